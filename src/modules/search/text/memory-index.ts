/**
 * An in-memory stand-in for the SQL term index, doing step for step what the repository will
 * do with `search_postings(term, product_id, field, tf)` and a per-document table of field
 * lengths, title and sales. Used by the tests; also the reference for the SQL version.
 */
import { FIELDS, groupPostings, indexDocument, type DocumentText, type Field, type PostingRow } from './document.ts';
import { matches, type ParsedQuery } from './query.ts';
import { rank, type CorpusStats, type RankDoc, type RankOptions, type Ranked } from './rank.ts';

interface StoredDoc {
  title: string;
  lengths: Partial<Record<Field, number>>;
  sales?: number;
}

export interface MemoryIndex {
  put(id: string, doc: DocumentText & { title: string }, sales?: number): void;
  search(query: ParsedQuery, options?: RankOptions): Ranked[];
}

export function createMemoryIndex(): MemoryIndex {
  const rows: PostingRow[] = [];
  const docs = new Map<string, StoredDoc>();

  function stats(terms: readonly string[]): CorpusStats {
    // SQL: SELECT term, COUNT(DISTINCT product_id) … GROUP BY term; AVG(length) per field.
    const df = new Map<string, number>();
    for (const term of terms) {
      df.set(term, new Set(rows.filter((r) => r.term === term).map((r) => r.docId)).size);
    }
    const avgLengths: Partial<Record<Field, number>> = {};
    for (const field of FIELDS) {
      const lengths = [...docs.values()].map((d) => d.lengths[field]).filter((n) => n !== undefined);
      if (lengths.length > 0) avgLengths[field] = lengths.reduce((a, b) => a + b, 0) / lengths.length;
    }
    return { docCount: docs.size, avgLengths, df };
  }

  return {
    put(id, doc, sales) {
      // Re-indexing replaces every row of the document, as the SQL version must (one transaction).
      for (let i = rows.length - 1; i >= 0; i--) if (rows[i].docId === id) rows.splice(i, 1);
      const indexed = indexDocument(doc);
      for (const p of indexed.postings) rows.push({ ...p, docId: id });
      docs.set(id, { title: doc.title, lengths: indexed.lengths, sales });
    },
    search(query, options = {}) {
      // SQL: SELECT term, product_id, field, tf FROM search_postings WHERE term = ANY($terms)
      const wanted = new Set(query.terms);
      const byDoc = groupPostings(rows.filter((r) => wanted.has(r.term)));
      const candidates: RankDoc[] = [];
      for (const [id, tf] of byDoc) {
        if (!matches(query, (t) => tf.has(t), options.mode ?? 'all')) continue;
        const stored = docs.get(id)!;
        candidates.push({ id, title: stored.title, lengths: stored.lengths, tf, sales: stored.sales });
      }
      return rank(query, candidates, stats(query.terms), options);
    },
  };
}
