/**
 * Chinese segmentation helpers over one run of Han characters (no spaces, no Latin).
 * Jieba returns strings without offsets; these helpers recover the offsets (UTF-16, relative to
 * the run) so tokens can point back into the original text.
 */
import { getJieba, USE_HMM } from './jieba.ts';

export interface Span {
  term: string;
  from: number;
  to: number;
}

/** Jieba's precise cut, with offsets. Jieba keeps every character, so the words tile the run. */
export function cutWithSpans(run: string): Span[] {
  return tile(run, getJieba().cut(run, USE_HMM));
}

/**
 * Jieba's search-mode cut: the precise words plus the in-dictionary 2- and 3-character grams
 * inside longer words (智能手机 → 智能, 能手, 手机, 智能手机). Jieba emits each word's grams
 * just before the word itself, which is how the grams are placed.
 */
export function cutForSearchWithSpans(run: string): { words: Span[]; grams: Span[] } {
  const jieba = getJieba();
  const words = tile(run, jieba.cut(run, USE_HMM));
  const search = jieba.cutForSearch(run, USE_HMM);
  const grams: Span[] = [];
  let k = 0;
  for (const word of words) {
    const lastFrom = new Map<number, number>(); // gram length → where the previous one was found
    while (k < search.length && search[k] !== word.term) {
      const gram = search[k++];
      const after = (lastFrom.get(gram.length) ?? -1) + 1;
      let at = word.term.indexOf(gram, after);
      if (at < 0) at = word.term.indexOf(gram);
      if (at < 0) return { words, grams }; // not jieba's documented order: keep what is sure
      lastFrom.set(gram.length, at);
      grams.push({ term: gram, from: word.from + at, to: word.from + at + gram.length });
    }
    k++; // the word itself
  }
  return { words, grams };
}

/**
 * Covers a word with its dictionary sub-words, longest first from the left
 * (笔记本电脑 → 笔记本 + 电脑). Null when the word has no such cover.
 */
export function subwordCover(word: string): Span[] | null {
  const { words, grams } = cutForSearchWithSpans(word);
  const pieces = [...grams, ...words].filter((s) => s.term !== word);
  const cover: Span[] = [];
  let at = 0;
  while (at < word.length) {
    let best: Span | undefined;
    for (const p of pieces) {
      if (p.from === at && (best === undefined || p.to > best.to)) best = p;
    }
    if (best === undefined) return null;
    cover.push(best);
    at = best.to;
  }
  return cover.length > 1 ? cover : null;
}

/** Character n-grams by code point (a run shorter than n yields nothing). */
export function charNgrams(run: string, n: number): Span[] {
  const bounds = [0];
  for (const ch of run) bounds.push(bounds[bounds.length - 1] + ch.length);
  const out: Span[] = [];
  for (let i = 0; i + n < bounds.length; i++) {
    out.push({ term: run.slice(bounds[i], bounds[i + n]), from: bounds[i], to: bounds[i + n] });
  }
  return out;
}

function tile(run: string, words: string[]): Span[] {
  const spans: Span[] = [];
  let at = 0;
  for (const w of words) {
    if (run.startsWith(w, at)) {
      spans.push({ term: w, from: at, to: at + w.length });
      at += w.length;
    } else {
      // Jieba dropped or changed a character: fall back to whatever remains as one span.
      spans.push({ term: run.slice(at), from: at, to: run.length });
      return spans;
    }
  }
  if (at < run.length) spans.push({ term: run.slice(at), from: at, to: run.length });
  return spans;
}
