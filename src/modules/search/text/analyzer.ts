/**
 * Turns text into index terms. Documents ('index') and queries ('query') go through the same
 * normalisation, segmentation, stopwords and stemming, so a query term equals the stored term.
 *
 * Chinese (runs of Han characters):
 * - index: Jieba search-mode words (夏季碎花连衣裙 → 夏季, 碎花, 连衣, 衣裙, 连衣裙) PLUS every
 *   character bigram and every single character. The bigrams let out-of-dictionary words
 *   (new brand names, 「小度」 when Jieba splits it) still match: a query word is always also
 *   expressible as bigrams/characters, which the index is guaranteed to hold wherever that
 *   string occurs. Characters make one-character queries (裙, 鞋, 茶) work. Trade-off: about
 *   three terms per character instead of one (more posting rows, larger df lists), and
 *   matches by bigrams are looser than word matches (they ignore word boundaries).
 * - query: Jieba's precise cut; each word is a unit that matches as the word itself, or as its
 *   dictionary sub-words (笔记本电脑 → 笔记本 + 电脑), or else as all its bigrams.
 *   Note Jieba has no word 华为手机: it cuts to 华为 + 手机, two units that must both match.
 * Latin/digits: lower-cased, stemmed (stem.ts); model codes stay whole and are also split at
 *   letter/digit boundaries: iphone15 → iphone15 + iphon, 15; 128gb → 128gb + 128, gb.
 * Japanese kana and Hangul: character bigrams and characters only (no dictionary).
 *
 * Offsets (start/end) are UTF-16 offsets into the ORIGINAL string, end exclusive.
 */
import { charNgrams, cutForSearchWithSpans, cutWithSpans, subwordCover, type Span } from './chinese.ts';
import { normalizeWithOffsets, type Normalized } from './normalize.ts';
import { stem } from './stem.ts';
import { isStopword } from './stopwords.ts';

export type AnalyzeMode = 'index' | 'query';

export interface Token {
  term: string;
  /** Ordinal of the word (Jieba word, Latin word) the token belongs to; sub-terms share it. */
  position: number;
  start: number;
  end: number;
  /** 'word': a whole word; 'part': a sub-term of one (gram, bigram, character, code piece). */
  kind: 'word' | 'part';
}

/** One query word and the ways it may match: any alternative, each needing all its terms. */
export interface QueryUnit {
  token: Token;
  alternatives: Token[][];
}

/** Longer terms are skipped: they are noise (hashes, URLs) and bloat the term index. */
export const MAX_TERM_LENGTH = 64;

type RunKind = 'han' | 'kana' | 'word';
interface Run {
  kind: RunKind;
  text: string;
  /** Offset of the run in the normalised text. */
  from: number;
}

const HAN = /\p{Script=Han}/u;
const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u30fc]/u;
const WORD = /[\p{L}\p{N}\p{M}.]/u;
const PIECES = /\p{N}+(?:\.\p{N}+)*|[^\p{N}.]+/gu;

export function analyze(text: string, mode: AnalyzeMode): Token[] {
  if (mode === 'query') return flattenUnits(analyzeQueryUnits(text));
  const norm = normalizeWithOffsets(text);
  const out = new TokenList(norm);
  let position = 0;
  for (const run of splitRuns(norm.text)) {
    if (run.kind === 'han') position = indexHan(run, position, out);
    else if (run.kind === 'kana') indexNgrams(run, position++, out);
    else {
      const w = latinWord(run.text);
      if (w === null) continue;
      const pos = position++;
      out.add(w.whole, run.from, run.from + run.text.length, pos, 'word');
      for (const p of w.parts) out.add(p.term, run.from + p.from, run.from + p.to, pos, 'part');
    }
  }
  return out.sorted();
}

export function analyzeQueryUnits(text: string): QueryUnit[] {
  const norm = normalizeWithOffsets(text);
  const units: QueryUnit[] = [];
  const tok = (s: Span, base: number, kind: Token['kind']): Token =>
    makeToken(norm, s.term, base + s.from, base + s.to, units.length, kind);
  const push = (word: Token, ...alts: Token[][]): void => {
    const alternatives = [[word], ...alts]
      .map((alt) => alt.filter((t) => !isStopword(t.term) && t.term.length <= MAX_TERM_LENGTH))
      .filter((alt) => alt.length > 0);
    if (alternatives.length > 0) units.push({ token: word, alternatives });
  };
  for (const run of splitRuns(norm.text)) {
    if (run.kind === 'han') {
      for (const w of cutWithSpans(run.text)) {
        if (isStopword(w.term)) continue;
        const word = tok(w, run.from, 'word');
        if (Array.from(w.term).length < 3) push(word);
        else {
          const pieces = subwordCover(w.term) ?? charNgrams(w.term, 2);
          push(word, pieces.map((p) => tok(p, run.from + w.from, 'part')));
        }
      }
    } else if (run.kind === 'kana') {
      const whole = { term: run.text, from: 0, to: run.text.length };
      const grams = charNgrams(run.text, 2);
      const word = tok(whole, run.from, 'word');
      // Kana runs are not indexed whole, so a run longer than a bigram matches by bigrams only.
      if (grams.length <= 1) push(word);
      else units.push({ token: word, alternatives: [grams.map((g) => tok(g, run.from, 'part'))] });
    } else {
      const w = latinWord(run.text);
      if (w === null) continue;
      const word = tok({ term: w.whole, from: 0, to: run.text.length }, run.from, 'word');
      if (w.parts.length === 0) push(word);
      else push(word, w.parts.map((p) => tok(p, run.from, 'part')));
    }
  }
  return units;
}

/** Han run at index time: search-mode words and grams, bigrams, characters. */
function indexHan(run: Run, position: number, out: TokenList): number {
  const { words, grams } = cutForSearchWithSpans(run.text);
  const wordAt = new Array<number>(run.text.length).fill(0);
  words.forEach((w, i) => wordAt.fill(i, w.from, w.to));
  const add = (s: Span, kind: Token['kind']): void => {
    out.add(s.term, run.from + s.from, run.from + s.to, position + wordAt[s.from], kind);
  };
  for (const w of words) add(w, 'word');
  for (const g of grams) add(g, 'part');
  for (const b of charNgrams(run.text, 2)) add(b, 'part');
  for (const c of charNgrams(run.text, 1)) add(c, 'part');
  return position + words.length;
}

function indexNgrams(run: Run, position: number, out: TokenList): void {
  for (const n of [2, 1]) {
    for (const s of charNgrams(run.text, n)) out.add(s.term, run.from + s.from, run.from + s.to, position, 'part');
  }
}

/**
 * A Latin/digit word: its whole term (stemmed when all letters) and, for model codes that mix
 * letters and digits, the pieces. Null for stopwords.
 */
function latinWord(text: string): { whole: string; parts: Span[] } | null {
  if (isStopword(text)) return null;
  const pieces: Span[] = [];
  for (const m of text.matchAll(PIECES)) {
    pieces.push({ term: stem(m[0]), from: m.index, to: m.index + m[0].length });
  }
  if (pieces.length <= 1) return { whole: stem(text), parts: [] };
  return { whole: text, parts: pieces };
}

function splitRuns(text: string): Run[] {
  const runs: Run[] = [];
  let current: Run | undefined;
  let at = 0;
  for (const ch of text) {
    const kind: RunKind | null = HAN.test(ch) ? 'han' : KANA.test(ch) ? 'kana' : WORD.test(ch) ? 'word' : null;
    if (kind !== null && current?.kind === kind) current.text += ch;
    else {
      current = kind === null ? undefined : { kind, text: ch, from: at };
      if (current !== undefined) runs.push(current);
    }
    at += ch.length;
  }
  return runs;
}

function makeToken(norm: Normalized, term: string, from: number, to: number, position: number, kind: Token['kind']): Token {
  return { term, position, start: norm.starts[from], end: norm.ends[to - 1], kind };
}

function flattenUnits(units: QueryUnit[]): Token[] {
  const seen = new Set<string>();
  const tokens: Token[] = [];
  for (const unit of units) {
    for (const t of [unit.token, ...unit.alternatives.flat()]) {
      const key = `${t.term}\u0000${t.start}`;
      if (seen.has(key) || isStopword(t.term) || t.term.length > MAX_TERM_LENGTH) continue;
      seen.add(key);
      tokens.push(t);
    }
  }
  return tokens;
}

/**
 * Collects index tokens, one per (term, start): the same term from two sources counts once.
 * Stopwords are dropped here, whatever produced them.
 */
class TokenList {
  private readonly tokens: Token[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly norm: Normalized) {}

  add(term: string, from: number, to: number, position: number, kind: Token['kind']): void {
    if (term.length === 0 || term.length > MAX_TERM_LENGTH || isStopword(term)) return;
    const key = `${term}\u0000${from}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.tokens.push(makeToken(this.norm, term, from, to, position, kind));
  }

  sorted(): Token[] {
    return this.tokens.sort((a, b) => a.position - b.position || a.start - b.start || b.end - a.end);
  }
}
