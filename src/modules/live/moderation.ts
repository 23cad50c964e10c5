/**
 * Comment moderation with a banned-word list: a comment containing a banned word (case- and
 * width-insensitive, spaces ignored) is stored as `blocked` and never broadcast; its author is
 * told. Deployments extend the list (`bannedWords` in the module's deps).
 */
export const DEFAULT_BANNED_WORDS: readonly string[] = [
  '加微信', '加v', '私聊下单', '私下交易', '微信转账', '代刷', '刷单', '赌博', '博彩', '色情', '约炮', '枪支', '毒品', '发票代开', '傻逼', '操你', '垃圾主播', '高仿', 'a货',
];

const normalize = (s: string) => s.normalize('NFKC').toLowerCase().replace(/\s+/g, '');

export function createModerator(extra: readonly string[] = []) {
  const words = [...DEFAULT_BANNED_WORDS, ...extra].map(normalize).filter(Boolean);
  return (text: string): { ok: true } | { ok: false; word: string } => {
    const t = normalize(text);
    const hit = words.find((w) => t.includes(w));
    return hit ? { ok: false, word: hit } : { ok: true };
  };
}
