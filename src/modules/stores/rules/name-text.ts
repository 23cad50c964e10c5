/**
 * Text helpers behind the store-name rules: one normal form for comparison, and a
 * matcher that sees through spacing and punctuation ("官 方", "官·方", "Ｏｆｆｉｃｉａｌ").
 */

/**
 * The unique key for store names: NFKC (folds full-width Latin/digits and the ideographic
 * space to ASCII), trimmed, runs of whitespace collapsed to one space, lower case.
 * Two names with the same key are the same name to buyers, so the DB unique index uses it.
 */
export function normalizeStoreName(name: string): string {
  return displayForm(name).toLowerCase();
}

/** What we store and show: NFKC, trimmed, whitespace collapsed, case kept. */
export function displayForm(name: string): string {
  return name.normalize('NFKC').trim().replace(/\s+/gu, ' ');
}

const SIGNIFICANT = /[\p{L}\p{N}]/u;
const ASCII_ALNUM = /[a-z0-9]/;

interface Skeleton {
  /** normalizeStoreName(text) split into code points */
  norm: string[];
  /** the letters and digits of `norm`, in order */
  chars: string[];
  /** chars[i] sits at norm[at[i]] */
  at: number[];
}

function skeleton(text: string): Skeleton {
  const norm = [...normalizeStoreName(text)];
  const chars: string[] = [];
  const at: number[] = [];
  norm.forEach((ch, i) => {
    if (SIGNIFICANT.test(ch)) {
      chars.push(ch);
      at.push(i);
    }
  });
  return { norm, chars, at };
}

export interface WordHit {
  /** the listed word that matched */
  word: string;
  /** the stretch of the (normalised) name it matched, separators included, e.g. "官 方" */
  matched: string;
}

export interface FindOptions {
  /**
   * Latin/digit words only match as whole words ("Nike" in "Nike Kids", not in "Nikeland").
   * Used for brand names, where short Latin brands would otherwise hit ordinary words;
   * banned and reserved words match anywhere.
   */
  wholeWord?: boolean;
}

/**
 * Finds the first listed word occurring in `text`, comparing letters and digits only,
 * case-insensitively. Longer words are tried first so the report names "官方授权", not "官方".
 */
export function findWord(text: string, words: readonly string[], opts: FindOptions = {}): WordHit | null {
  const name = skeleton(text);
  const ordered = words
    .map((word) => ({ word, chars: skeleton(word).chars }))
    .filter((w) => w.chars.length > 0)
    .sort((a, b) => b.chars.length - a.chars.length);
  for (const { word, chars } of ordered) {
    for (let s = 0; s + chars.length <= name.chars.length; s++) {
      if (!chars.every((ch, k) => name.chars[s + k] === ch)) continue;
      const from = name.at[s];
      const to = name.at[s + chars.length - 1];
      if (opts.wholeWord && !isWholeWord(name.norm, from, to)) continue;
      return { word, matched: name.norm.slice(from, to + 1).join('') };
    }
  }
  return null;
}

function isWholeWord(norm: string[], from: number, to: number): boolean {
  const joinsBefore = ASCII_ALNUM.test(norm[from]) && from > 0 && ASCII_ALNUM.test(norm[from - 1]);
  const joinsAfter = ASCII_ALNUM.test(norm[to]) && to + 1 < norm.length && ASCII_ALNUM.test(norm[to + 1]);
  return !joinsBefore && !joinsAfter;
}
