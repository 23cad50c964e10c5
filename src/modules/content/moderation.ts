/**
 * Comment moderation with a banned-word list. The stores/catalog word lists are not part of
 * their modules' public interfaces, so content keeps its own list (extend it per deployment
 * with XIAODIAN_CONTENT_BANNED_WORDS). Matching ignores case, full/half width, spacing and
 * punctuation between characters, so "加 微-信" and "ＶＸ" still match.
 */
export const DEFAULT_COMMENT_BANNED_WORDS: readonly string[] = [
  // Taking buyers off the platform (private trades bypass escrow and after-sales).
  '加微信', '加我微信', '微信号', '加vx', 'vx号', '加qq', 'qq号', '私聊下单', '私下交易', '线下交易', '扫码加群',
  // Gambling, drugs, pornography, fraud.
  '赌博', '博彩', '网赌', '赌场', '六合彩', '毒品', '冰毒', '大麻', '色情', '约炮', '裸聊', '刷单', '代刷', '套现', '高仿', '假货', '诈骗',
  // Abuse.
  '傻逼', '煞笔', '操你', '去死', '贱人', '脑残',
];

export function normalizeForMatch(s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, '');
}

export interface WordFilter {
  /** The first banned word found in the text, or null. */
  find(text: string): string | null;
}

export function wordFilter(words: readonly string[]): WordFilter {
  const list = [...new Set(words)].map((w) => ({ word: w, norm: normalizeForMatch(w) })).filter((w) => w.norm.length > 0);
  return {
    find(text) {
      const norm = normalizeForMatch(text);
      return list.find((w) => norm.includes(w.norm))?.word ?? null;
    },
  };
}
