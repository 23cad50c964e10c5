/**
 * Words dropped at index and query time. Kept short on purpose: in product titles most words
 * carry meaning, and a word dropped here can never be searched for. Changing the list means
 * re-indexing.
 */
export const STOPWORDS: ReadonlySet<string> = new Set([
  // Chinese function words and particles
  '的', '了', '和', '与', '及', '或', '等', '之', '在', '是', '把', '被', '对', '为', '以',
  '于', '而', '并', '也', '都', '就', '着', '过', '啊', '吧', '呢', '吗', '嘛', '哦', '呀',
  '这', '那', '个', '其', '各', '从', '向', '给', '让', '我', '你', '他', '她', '它',
  '我们', '你们', '他们', '以及', '或者', '还有', '一个', '这个', '那个', '就是', '而且',
  // English (already lower-cased; stemming happens after this check)
  'a', 'an', 'the', 'and', 'or', 'of', 'for', 'with', 'in', 'on', 'at', 'to', 'by', 'from',
  'is', 'are', 'be', 'as', 'it', 'its', 'this', 'that', 'these', 'those',
]);

export function isStopword(term: string): boolean {
  return STOPWORDS.has(term);
}
