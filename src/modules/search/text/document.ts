/**
 * A product as index rows: (term, field, tf) postings plus per-field lengths, ready for a
 * `search_postings(term, product_id, field, tf)` table, and the way back from fetched rows to
 * the per-document term frequencies that rank.ts scores.
 */
import { analyze } from './analyzer.ts';

export const FIELDS = ['title', 'brand', 'category', 'attributes', 'description'] as const;
export type Field = (typeof FIELDS)[number];

/** The text of each field; attributes as one string, e.g. 「颜色 红色 尺码 XL」. */
export type DocumentText = Partial<Record<Field, string>>;

/** Term frequency per field for one term in one document. */
export type FieldTf = Partial<Record<Field, number>>;

export interface Posting {
  term: string;
  field: Field;
  tf: number;
}

export interface IndexedDocument {
  postings: Posting[];
  /** Tokens per field (the BM25 length), to store beside the document for length norms. */
  lengths: Partial<Record<Field, number>>;
}

/** Text beyond this is not indexed (long descriptions add rows, not relevance). */
export const MAX_FIELD_CHARS = 20_000;

export function indexDocument(doc: DocumentText): IndexedDocument {
  const postings: Posting[] = [];
  const lengths: Partial<Record<Field, number>> = {};
  for (const field of FIELDS) {
    const text = doc[field];
    if (text === undefined || text.length === 0) continue;
    const tokens = analyze(text.slice(0, MAX_FIELD_CHARS), 'index');
    if (tokens.length === 0) continue;
    lengths[field] = tokens.length;
    const tf = new Map<string, number>();
    for (const t of tokens) tf.set(t.term, (tf.get(t.term) ?? 0) + 1);
    for (const [term, n] of tf) postings.push({ term, field, tf: n });
  }
  return { postings, lengths };
}

export interface PostingRow {
  term: string;
  docId: string;
  field: Field;
  tf: number;
}

/** Fetched posting rows → docId → term → tf per field. */
export function groupPostings(rows: Iterable<PostingRow>): Map<string, Map<string, FieldTf>> {
  const docs = new Map<string, Map<string, FieldTf>>();
  for (const row of rows) {
    let terms = docs.get(row.docId);
    if (terms === undefined) docs.set(row.docId, (terms = new Map()));
    let tf = terms.get(row.term);
    if (tf === undefined) terms.set(row.term, (tf = {}));
    tf[row.field] = (tf[row.field] ?? 0) + row.tf;
  }
  return docs;
}
