/**
 * Messages are checked against the platform's banned-word list (the content module's comment
 * list, extended per deployment with XIAODIAN_CONTENT_BANNED_WORDS, handed in by app/wire-cs.ts).
 * Matching ignores case, full/half width, spaces and punctuation between characters, so
 * "加 微-信" and "ＶＸ号" still match.
 */
export function normalizeForMatch(s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, '');
}

/** Returns the first banned word found in a text, or null. */
export function bannedWordFinder(words: readonly string[]): (text: string) => string | null {
  const list = [...new Set(words)].map((w) => ({ word: w, norm: normalizeForMatch(w) })).filter((w) => w.norm.length > 0);
  return (text) => {
    const norm = normalizeForMatch(text);
    return list.find((w) => norm.includes(w.norm))?.word ?? null;
  };
}

/** Up to `max` characters (code points, so an emoji is not cut in half) on one line, for list previews. */
export function preview(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const chars = [...flat];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : flat;
}

/** Characters as a person counts them (code points). */
export const charCount = (text: string) => [...text].length;
