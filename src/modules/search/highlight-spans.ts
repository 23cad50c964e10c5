/**
 * text/highlight.ts's marks from spans stored at index time (search_documents.title_spans):
 * the same merge of overlapping and touching spans, the same HTML escaping, no analysis at
 * query time (analysing 20 titles per page cost more than the rest of the query).
 */
import { escapeHtml } from './text/highlight.ts';

export function highlightStored(text: string, spansJson: string, terms: readonly string[]): string {
  if (!terms.length) return escapeHtml(text);
  const wanted = new Set(terms);
  let spans: [string, number, number][];
  try {
    spans = JSON.parse(spansJson) as [string, number, number][];
  } catch {
    return escapeHtml(text);
  }
  const hits = spans.filter((s) => wanted.has(s[0])).sort((a, b) => a[1] - b[1] || a[2] - b[2]);
  let out = '';
  let at = 0;
  for (let i = 0; i < hits.length; ) {
    const start = hits[i][1];
    let end = hits[i][2];
    for (i++; i < hits.length && hits[i][1] <= end; i++) end = Math.max(end, hits[i][2]);
    out += escapeHtml(text.slice(at, start)) + '<em>' + escapeHtml(text.slice(start, end)) + '</em>';
    at = end;
  }
  return out + escapeHtml(text.slice(at));
}
