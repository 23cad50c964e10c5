/**
 * Marks the matched terms in a title. The title is analysed exactly as it was indexed, so a
 * match is found wherever the index found the term, including inside words (裙 in 连衣裙, 15 in
 * iPhone15) and across normalisation (ＰＲＯ matches pro). Spans that overlap or touch merge
 * into one: 华为 + 手机 → <em>华为手机</em>.
 */
import { analyze } from './analyzer.ts';

export interface HighlightSpan {
  /** UTF-16 offsets into the original text, end exclusive. */
  start: number;
  end: number;
}

export function highlightSpans(text: string, terms: Iterable<string>): HighlightSpan[] {
  const wanted = new Set(terms);
  if (wanted.size === 0) return [];
  const spans = analyze(text, 'index')
    .filter((t) => wanted.has(t.term))
    .map((t) => ({ start: t.start, end: t.end }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: HighlightSpan[] = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last !== undefined && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else merged.push({ ...s });
  }
  return merged;
}

/** The text HTML-escaped, with each matched span wrapped in <em>…</em>. */
export function highlight(text: string, terms: Iterable<string>): string {
  let out = '';
  let at = 0;
  for (const s of highlightSpans(text, terms)) {
    out += escapeHtml(text.slice(at, s.start)) + '<em>' + escapeHtml(text.slice(s.start, s.end)) + '</em>';
    at = s.end;
  }
  return out + escapeHtml(text.slice(at));
}

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}
