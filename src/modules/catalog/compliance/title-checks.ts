/**
 * Title shape: length limits and keyword stuffing ("连衣裙 女 连衣裙 夏季 连衣裙" games search).
 * Chinese has no spaces, so a "word" is any run of 2+ Han characters repeated; Latin words
 * are tokens with at least two letters (sizes like "S M L" and numbers don't count).
 */
import type { Finding, TextSpan } from './compliance.types.ts';
import { originalSpan, type MappedText } from './normalize.ts';
import type { TextField } from './text-checks.ts';

export const TITLE_MIN_CHARS = 5;
export const TITLE_MAX_CHARS = 60;
export const STUFFING_MIN_REPEATS = 3;
/** Longer repeated Han runs are reported through their repeated parts anyway. */
const MAX_HAN_WORD = 10;

/** Length in user-perceived characters (code points) of the trimmed title. */
export function titleLength(title: string): number {
  return [...title.trim()].length;
}

export function checkTitleLength(title: string): Finding[] {
  const length = titleLength(title);
  const details = { length, min: TITLE_MIN_CHARS, max: TITLE_MAX_CHARS };
  if (length < TITLE_MIN_CHARS) {
    return [{
      code: 'title_too_short', severity: 'block', field: 'title', details,
      message: `Title must be at least ${TITLE_MIN_CHARS} characters (has ${length})`,
      message_zh: `标题至少${TITLE_MIN_CHARS}个字（当前${length}个）`,
    }];
  }
  if (length > TITLE_MAX_CHARS) {
    return [{
      code: 'title_too_long', severity: 'block', field: 'title', details,
      message: `Title must be at most ${TITLE_MAX_CHARS} characters (has ${length})`,
      message_zh: `标题最多${TITLE_MAX_CHARS}个字（当前${length}个）`,
    }];
  }
  return [];
}

interface Repeat {
  readonly word: string;
  readonly spans: readonly TextSpan[];
}

export function checkKeywordStuffing(title: TextField): Finding[] {
  return findRepeatedWords(title).map((r) => ({
    code: 'keyword_stuffing' as const,
    severity: 'review' as const,
    field: title.field,
    message: `"${r.word}" is repeated ${r.spans.length} times in the title`,
    message_zh: `标题中「${r.word}」重复${r.spans.length}次，涉嫌堆砌关键词`,
    details: { word: r.word, count: r.spans.length, matches: r.spans },
  }));
}

export function findRepeatedWords(f: TextField): Repeat[] {
  // Separators are kept: stuffing aims at search, which only sees intact words, and joining
  // across "/" would invent words ("上衣/裙子" → "衣裙").
  const han = repeatedHanWords(f.loose).map((w) => toRepeat(f, f.loose, w.word, w.positions));
  const latin = repeatedLatinTokens(f.loose).map((w) => toRepeat(f, f.loose, w.word, w.positions));
  return [...han, ...latin];
}

function toRepeat(f: TextField, mapped: MappedText, word: string, positions: readonly number[]): Repeat {
  const spans = positions.map((at) => {
    const { start, end } = originalSpan(mapped, at, at + word.length);
    return { start, end, text: f.original.slice(start, end) };
  });
  return { word, spans };
}

interface Occurrences {
  readonly word: string;
  readonly positions: number[];
}

function repeatedHanWords(loose: MappedText): Occurrences[] {
  // Runs of Han characters; words are never counted across a run boundary. One pass collects
  // every start position per word (O(n × MAX_HAN_WORD)), so an over-long title stays cheap.
  const starts = new Map<string, number[]>();
  for (const run of loose.text.matchAll(/\p{Script=Han}{2,}/gu)) {
    for (let len = 2; len <= Math.min(MAX_HAN_WORD, run[0].length); len++) {
      for (let i = 0; i + len <= run[0].length; i++) {
        const word = run[0].slice(i, i + len);
        const list = starts.get(word);
        if (list) list.push(run.index + i);
        else starts.set(word, [run.index + i]);
      }
    }
  }
  const repeated = [...starts]
    .map(([word, positions]) => ({ word, positions: nonOverlapping(positions, word.length) }))
    .filter((w) => w.positions.length >= STUFFING_MIN_REPEATS)
    .sort((a, b) => b.word.length - a.word.length);
  // Keep the longest: "连衣裙"×3 implies "连衣"×3, which is noise.
  const kept: Occurrences[] = [];
  for (const w of repeated) {
    if (!kept.some((k) => k.word.includes(w.word))) kept.push(w);
  }
  return kept.sort((a, b) => a.positions[0] - b.positions[0]);
}

/** Greedy left-to-right, so "哈哈哈哈" holds "哈哈" twice, not three times. */
function nonOverlapping(sortedStarts: readonly number[], len: number): number[] {
  const kept: number[] = [];
  for (const p of sortedStarts) {
    if (kept.length === 0 || p >= kept[kept.length - 1] + len) kept.push(p);
  }
  return kept;
}

function repeatedLatinTokens(loose: MappedText): Occurrences[] {
  const byToken = new Map<string, number[]>();
  for (const m of loose.text.matchAll(/[a-z0-9]+/g)) {
    if ((m[0].match(/[a-z]/g) ?? []).length < 2) continue;
    const positions = byToken.get(m[0]) ?? [];
    positions.push(m.index);
    byToken.set(m[0], positions);
  }
  return [...byToken]
    .filter(([, positions]) => positions.length >= STUFFING_MIN_REPEATS)
    .map(([word, positions]) => ({ word, positions }));
}
