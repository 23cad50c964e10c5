/**
 * The only code that touches the search_* tables. Hot statements are written once as SQL per
 * engine and prepared (Db.prepared); lists travel as ONE parameter — a JSON array read with
 * json_each on SQLite, a PostgreSQL array with `= any(…)` / `unnest(…)` — so the statement
 * text never depends on a list's length.
 */
import type { Db, Executor } from '../../db/index.ts';

export interface DocRow {
  product_id: string; doc_no: number; store_id: string; category_id: string; category_path: string; title: string; title_compact: string; title_spans: string;
  brand: string | null; image_url: string | null; status: string; visible: number; in_stock: number; price_min_minor: number | null; price_max_minor: number | null;
  sales: number; created_at: number; len_title: number; len_brand: number; len_category: number; len_attributes: number; len_description: number;
  postings: string; content_hash: string; seq: number; indexed_at: number;
}
/** What the in-memory document table loads (no display text, no postings). */
export type DocState = Omit<DocRow, 'title' | 'title_spans' | 'image_url' | 'postings' | 'content_hash' | 'indexed_at' | 'status' | 'price_max_minor'>;
export type ExistingDoc = Pick<DocRow, 'product_id' | 'doc_no' | 'postings' | 'content_hash' | 'store_id' | 'category_id' | 'title' | 'created_at'>;
export type PageDoc = Pick<DocRow, 'doc_no' | 'product_id' | 'title' | 'title_spans' | 'brand' | 'image_url' | 'store_id' | 'category_id' | 'price_min_minor' | 'price_max_minor' | 'in_stock' | 'sales' | 'created_at'>;
export interface PostingRow { term: string; doc_no: number; tfs: number }

const STATE_COLUMNS = 'product_id, doc_no, store_id, category_id, category_path, title_compact, brand, visible, in_stock, price_min_minor, sales, created_at, len_title, len_brand, len_category, len_attributes, len_description, seq';
const DOC_COLUMNS = ['product_id', 'doc_no', 'store_id', 'category_id', 'category_path', 'title', 'title_compact', 'title_spans', 'brand', 'image_url', 'status', 'visible', 'in_stock',
  'price_min_minor', 'price_max_minor', 'sales', 'created_at', 'len_title', 'len_brand', 'len_category', 'len_attributes', 'len_description', 'postings', 'content_hash', 'seq', 'indexed_at'] as const;
/** Rows per multi-row statement: well under both engines' parameter limits. */
const CHUNK = 5000;

export function createSearchRepo(db: Db) {
  const pg = db.engine === 'postgres';
  const k = db.kysely;
  /** `x IN list` for one list parameter. */
  const inList = (col: string) => (pg ? `${col} = any(?)` : `${col} in (select value from json_each(?))`);
  const list = (values: readonly unknown[]): unknown => (pg ? values : JSON.stringify(values));
  /** Rows of (a, b[, c]) from one parameter per column (PostgreSQL) or one JSON array of tuples (SQLite). */
  const tuples = (cols: string[], types: string[]) =>
    pg ? `select * from unnest(${types.map((t) => `?::${t}[]`).join(', ')}) as v(${cols.join(', ')})` : `select ${cols.map((c, i) => `value ->> ${i} as ${c}`).join(', ')} from json_each(?)`;
  const tupleParams = (rows: readonly (readonly unknown[])[], width: number): unknown[] =>
    pg ? Array.from({ length: width }, (_, i) => rows.map((r) => r[i])) : [JSON.stringify(rows)];

  const seqStmt = db.prepared<{ value: number }>(`select value from search_meta where key = 'seq'`);
  const allocateStmt = db.prepared<{ value: number }>('update search_meta set value = value + ? where key = ? returning value');
  const existingStmt = db.prepared<ExistingDoc>(`select product_id, doc_no, postings, content_hash, store_id, category_id, title, created_at from search_documents where ${inList('product_id')}${pg ? ' for update' : ''}`);
  const deletePostingsStmt = db.prepared(`delete from search_postings where (term, doc_no) in (${tuples(['term', 'doc_no'], ['text', 'int'])})`);
  const insertPostingsStmt = db.prepared(`insert into search_postings (term, doc_no, tfs) ${tuples(['term', 'doc_no', 'tfs'], ['text', 'int', 'int'])}`);
  const deleteSkusStmt = db.prepared(`delete from search_skus where ${inList('product_id')}`);
  const insertSkusStmt = db.prepared(`insert into search_skus (sku_id, product_id) ${tuples(['sku_id', 'product_id'], ['text', 'text'])}`);
  const skuProductsStmt = db.prepared<{ sku_id: string; product_id: string }>(`select sku_id, product_id from search_skus where ${inList('sku_id')}`);
  const enqueueStmt = db.prepared('insert into search_pending (product_id, token, enqueued_at) values (?, ?, ?) on conflict (product_id) do update set token = excluded.token, enqueued_at = excluded.enqueued_at');
  const pendingStmt = db.prepared<{ product_id: string; token: string }>('select product_id, token from search_pending order by enqueued_at, product_id limit ?');
  const clearPendingStmt = db.prepared(`delete from search_pending where (product_id, token) in (${tuples(['product_id', 'token'], ['text', 'text'])})`);
  const docsSinceStmt = db.prepared<DocState & { postings: string }>(`select ${STATE_COLUMNS}, postings from search_documents where seq > ? order by seq limit ?`);
  const allDocsStmt = db.prepared<DocState>(`select ${STATE_COLUMNS} from search_documents where doc_no > ? order by doc_no limit ?`);
  const postingsStmt = db.prepared<PostingRow>(`select term, doc_no, tfs from search_postings where ${inList('term')} order by term, doc_no`);
  const pageStmt = db.prepared<PageDoc>(
    `select doc_no, product_id, title, title_spans, brand, image_url, store_id, category_id, price_min_minor, price_max_minor, in_stock, sales, created_at from search_documents where ${inList('doc_no')}`,
  );

  async function chunked<T>(rows: readonly T[], fn: (chunk: readonly T[]) => Promise<unknown>): Promise<void> {
    for (let i = 0; i < rows.length; i += CHUNK) await fn(rows.slice(i, i + CHUNK));
  }

  return {
    async currentSeq(ex: Executor = k): Promise<number> {
      return Number((await seqStmt.first(ex, []))?.value ?? 0);
    },
    /** Reserves `n` numbers of a counter; returns the first. Commits happen in counter order (row lock). */
    async allocate(tx: Executor, key: 'seq' | 'doc_no', n: number): Promise<number> {
      const row = await allocateStmt.first(tx, [n, key]);
      return Number(row!.value) - n + 1;
    },
    /** The current rows of these products (locked for the transaction on PostgreSQL). */
    existing: (tx: Executor, productIds: readonly string[]) => (productIds.length ? existingStmt.all(tx, [list(productIds)]) : Promise.resolve([])),
    deletePostings: (tx: Executor, pairs: readonly [string, number][]) => chunked(pairs, (c) => deletePostingsStmt.run(tx, tupleParams(c, 2))),
    insertPostings: (tx: Executor, rows: readonly [string, number, number][]) => chunked(rows, (c) => insertPostingsStmt.run(tx, tupleParams(c, 3))),
    async upsertDocs(tx: Executor, rows: readonly DocRow[]): Promise<void> {
      const updated = DOC_COLUMNS.filter((c) => c !== 'product_id' && c !== 'doc_no');
      for (let i = 0; i < rows.length; i += 200) {
        await tx
          .insertInto('search_documents')
          .values(rows.slice(i, i + 200) as any[])
          .onConflict((oc) => oc.column('product_id').doUpdateSet((eb) => Object.fromEntries(updated.map((c) => [c, eb.ref(`excluded.${c}`)]))))
          .execute();
      }
    },
    async replaceSkus(tx: Executor, productIds: readonly string[], pairs: readonly [string, string][]): Promise<void> {
      if (productIds.length) await deleteSkusStmt.run(tx, [list(productIds)]);
      await chunked(pairs, (c) => insertSkusStmt.run(tx, tupleParams(c, 2)));
    },
    async productIdsForSkus(ex: Executor, skuIds: readonly string[]): Promise<Map<string, string>> {
      if (!skuIds.length) return new Map();
      return new Map((await skuProductsStmt.all(ex, [list(skuIds)])).map((r) => [r.sku_id, r.product_id]));
    },
    enqueue: (tx: Executor, productId: string, token: string, now: number) => enqueueStmt.run(tx, [productId, token, now]),
    pending: (limit: number) => pendingStmt.all(k, [limit]),
    /** Removes queue rows still holding these tokens (a newer event replaced the token: the row stays). */
    clearPending: (tx: Executor, pairs: readonly [string, string][]) => chunked(pairs, (c) => clearPendingStmt.run(tx, tupleParams(c, 2))),
    docsSince: (seq: number, limit: number) => docsSinceStmt.all(k, [seq, limit]),
    /** Every document in doc_no order, a page at a time (startup and full reloads). */
    docsPage: (afterDocNo: number, limit: number) => allDocsStmt.all(k, [afterDocNo, limit]),
    postingsFor: (terms: readonly string[]) => postingsStmt.all(k, [list(terms)]),
    pageDocs: (docNos: readonly number[]) => (docNos.length ? pageStmt.all(k, [list(docNos)]) : Promise.resolve([])),
    async visibleProductIds(): Promise<string[]> {
      return (await k.selectFrom('search_documents').select('product_id').where('visible', '=', 1).execute()).map((r) => r.product_id as string);
    },
    /** A fresh rebuild: drops every posting and forgets every content hash, so each product is written again. */
    async resetIndex(tx: Executor): Promise<void> {
      await tx.deleteFrom('search_postings').execute();
      await tx.updateTable('search_documents').set({ postings: '[]', content_hash: '' }).execute();
    },
  };
}
export type SearchRepo = ReturnType<typeof createSearchRepo>;
