/**
 * Finds list phrases in normalised text. Rules, in order:
 *  1. a phrase matches the separator-free normalised text (so "最 好", "ＴＯＰ１" match);
 *  2. a phrase edge that is an ASCII letter/digit must not continue a word of the same kind
 *     in the original ("no.1" does not match inside "NO12", "top1" not inside "stop1");
 *  3. a hit inside an allowed phrase is dropped ("最" inside "最新");
 *  4. a hit inside a longer hit of the same list is dropped (report "最好", not also "最").
 */
import type { TextSpan, WordList } from './compliance.types.ts';
import { normalizePhrase, originalSpan, type MappedText } from './normalize.ts';

interface CompiledPhrase {
  readonly word: string;
  readonly norm: string;
}

export interface CompiledWordList {
  readonly banned: readonly CompiledPhrase[];
  readonly allowed: readonly CompiledPhrase[];
}

export interface WordHit extends TextSpan {
  /** The list entry as written in the list. */
  readonly word: string;
  /** Position in the normalised text. */
  readonly from: number;
  readonly to: number;
}

export function compileWordList(
  list: WordList,
  extraBanned: readonly string[] = [],
  extraAllowed: readonly string[] = [],
): CompiledWordList {
  return {
    banned: compilePhrases([...list.banned, ...extraBanned]),
    allowed: compilePhrases([...list.allowed, ...extraAllowed]),
  };
}

function compilePhrases(words: readonly string[]): CompiledPhrase[] {
  const seen = new Set<string>();
  const out: CompiledPhrase[] = [];
  for (const word of words) {
    const norm = normalizePhrase(word);
    // A phrase of only punctuation would match nothing (or everything): a list bug.
    if (norm.length === 0) throw new Error(`word list entry normalises to nothing: ${JSON.stringify(word)}`);
    if (seen.has(norm)) continue;
    seen.add(norm);
    out.push({ word, norm });
  }
  return out;
}

/** Hits of `list` in `norm` (a separator-free normalisation of `original`), by position. */
export function findWords(original: string, norm: MappedText, list: CompiledWordList): WordHit[] {
  const allowed = byStart(occurrences(original, norm, list.allowed));
  const hits = byStart(occurrences(original, norm, list.banned));
  // Sweeps over hits sorted by (start asc, end desc): everything seen before a hit starts at or
  // before it, so it is covered iff the furthest end seen so far reaches its end. Linear after
  // sorting, whatever the number of hits a merchant's text produces.
  const kept: RawHit[] = [];
  let allowedEnd = -1;
  let a = 0;
  let bannedEnd = -1;
  for (const h of hits) {
    while (a < allowed.length && allowed[a].from <= h.from) allowedEnd = Math.max(allowedEnd, allowed[a++].to);
    // Phrases are deduplicated, so an earlier hit reaching this far is strictly longer.
    if (allowedEnd < h.to && bannedEnd < h.to) kept.push(h);
    bannedEnd = Math.max(bannedEnd, h.to);
  }
  return kept.map((h) => {
    const { start, end } = originalSpan(norm, h.from, h.to);
    return { word: h.phrase.word, from: h.from, to: h.to, start, end, text: original.slice(start, end) };
  });
}

function byStart(hits: RawHit[]): RawHit[] {
  return hits.sort((x, y) => x.from - y.from || y.to - x.to);
}

interface RawHit {
  readonly phrase: CompiledPhrase;
  readonly from: number;
  readonly to: number;
}

function occurrences(original: string, norm: MappedText, phrases: readonly CompiledPhrase[]): RawHit[] {
  const out: RawHit[] = [];
  for (const phrase of phrases) {
    for (let at = norm.text.indexOf(phrase.norm); at >= 0; at = norm.text.indexOf(phrase.norm, at + 1)) {
      const to = at + phrase.norm.length;
      if (onWordBoundary(original, norm, phrase.norm, at, to)) out.push({ phrase, from: at, to });
    }
  }
  return out;
}

type CharClass = 'letter' | 'digit' | null;

function asciiClass(ch: string | undefined): CharClass {
  if (ch === undefined || ch === '') return null;
  const c = ch.normalize('NFKC').toLowerCase();
  if (/^[a-z]$/.test(c)) return 'letter';
  if (/^[0-9]$/.test(c)) return 'digit';
  return null;
}

function onWordBoundary(original: string, norm: MappedText, phrase: string, from: number, to: number): boolean {
  const { start, end } = originalSpan(norm, from, to);
  const first = asciiClass(phrase[0]);
  if (first !== null && asciiClass(original[start - 1]) === first) return false;
  const last = asciiClass(phrase[phrase.length - 1]);
  if (last !== null && asciiClass(original[end]) === last) return false;
  return true;
}

/** Hits grouped by list entry, in order of first appearance. */
export function groupByWord(hits: readonly WordHit[]): Map<string, WordHit[]> {
  const groups = new Map<string, WordHit[]>();
  for (const h of hits) {
    const g = groups.get(h.word);
    if (g) g.push(h);
    else groups.set(h.word, [h]);
  }
  return groups;
}

export function toSpan(h: WordHit): TextSpan {
  return { start: h.start, end: h.end, text: h.text };
}
