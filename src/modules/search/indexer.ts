/**
 * The write side. Events only put a product on the queue (search_pending, in the event's
 * transaction); `processPending()` then re-reads the queued products through the catalog and
 * inventory modules' batch getters — outside any transaction, so it never waits on itself
 * on the one-connection embedded engine — and writes their documents. Every run rebuilds a
 * product's document from its current state, so repeated, late or reordered events all
 * converge on the same index, and an unchanged document (same content hash) is not written.
 */
import type { Clock } from '../../lib/clock.ts';
import type { Db, Executor } from '../../db/index.ts';
import { buildSearchDoc, deletedDoc, type SearchDoc, type SourceCategory, type SourceProduct } from './search-doc.ts';
import type { DocRow, ExistingDoc, SearchRepo } from './search.repo.ts';

/** The catalog and inventory functions the index is fed from. */
export interface SearchSources {
  getProducts(ids: readonly string[]): Promise<Map<string, SourceProduct>>;
  listCategories(): Promise<SourceCategory[]>;
  /** Available (on hand − reserved) per SKU. */
  available(skuIds: readonly string[]): Promise<Map<string, number>>;
  /** Ids of live products after `after`, in id order. */
  liveProductIds(after: string | undefined, limit: number): Promise<string[]>;
}

export interface IndexOutcome {
  written: number;
  unchanged: number;
}

const BATCH = 200;

export function createIndexer(deps: { db: Db; repo: SearchRepo; clock: Clock; sources: SearchSources }) {
  const { db, repo, clock, sources } = deps;

  /** Documents for these products as they are now (a missing product becomes a deleted document). */
  async function buildDocs(ids: readonly string[], existing: ReadonlyMap<string, ExistingDoc>, categories: ReadonlyMap<string, SourceCategory>): Promise<SearchDoc[]> {
    const products = await sources.getProducts(ids);
    const available = await sources.available([...products.values()].flatMap((p) => p.skus.map((s) => s.id)));
    const docs: SearchDoc[] = [];
    for (const id of ids) {
      const p = products.get(id);
      if (p) docs.push(buildSearchDoc(p, categories, available));
      else {
        const old = existing.get(id);
        if (old) docs.push(deletedDoc(id, old));
      }
    }
    return docs;
  }

  /** Writes the documents that changed, in one transaction. */
  async function write(docs: readonly SearchDoc[]): Promise<IndexOutcome> {
    if (!docs.length) return { written: 0, unchanged: 0 };
    return db.transaction(async (tx) => {
      const existing = new Map((await repo.existing(tx, docs.map((d) => d.product_id))).map((r) => [r.product_id, r]));
      const changed = docs.filter((d) => existing.get(d.product_id)?.content_hash !== d.content_hash);
      if (!changed.length) return { written: 0, unchanged: docs.length };
      const fresh = changed.filter((d) => !existing.has(d.product_id));
      let nextDocNo = fresh.length ? await repo.allocate(tx, 'doc_no', fresh.length) : 0;
      let nextSeq = await repo.allocate(tx, 'seq', changed.length);
      const now = clock.now();
      const stale: [string, number][] = [];
      const postings: [string, number, number][] = [];
      const rows: DocRow[] = changed.map((d) => {
        const old = existing.get(d.product_id);
        const docNo = old ? Number(old.doc_no) : nextDocNo++;
        if (old) for (const [term] of JSON.parse(old.postings) as [string, number][]) stale.push([term, docNo]);
        for (const [term, tfs] of d.postings) postings.push([term, docNo, tfs]);
        return toRow(d, docNo, nextSeq++, now);
      });
      await repo.deletePostings(tx, stale);
      await repo.insertPostings(tx, postings);
      await repo.upsertDocs(tx, rows);
      await repo.replaceSkus(tx, changed.map((d) => d.product_id), changed.flatMap((d) => d.sku_ids.map((s) => [s, d.product_id] as [string, string])));
      return { written: changed.length, unchanged: docs.length - changed.length };
    });
  }

  /** Re-indexes these products from their current state. */
  async function reindex(ids: readonly string[], categories?: ReadonlyMap<string, SourceCategory>): Promise<IndexOutcome> {
    const cats = categories ?? new Map((await sources.listCategories()).map((c) => [c.id, c]));
    const existing = new Map((await repo.existing(db.kysely, ids)).map((r) => [r.product_id, r]));
    return write(await buildDocs(ids, existing, cats));
  }

  let running: Promise<IndexOutcome> | undefined;

  return {
    reindex,

    /** Queues a product for re-indexing, in the caller's (the event's) transaction. */
    enqueue: (tx: Executor, productId: string, token: string) => repo.enqueue(tx, productId, token, clock.now()),

    productIdsForSkus: (ex: Executor, skuIds: readonly string[]) => repo.productIdsForSkus(ex, skuIds),

    /** Indexes everything queued (one run at a time per process; callers share the run). */
    processPending(): Promise<IndexOutcome> {
      running ??= (async () => {
        const total: IndexOutcome = { written: 0, unchanged: 0 };
        try {
          for (;;) {
            const batch = await repo.pending(BATCH);
            if (!batch.length) return total;
            const out = await reindex(batch.map((p) => p.product_id));
            await db.transaction((tx) => repo.clearPending(tx, batch.map((p) => [p.product_id, p.token])));
            total.written += out.written;
            total.unchanged += out.unchanged;
            if (batch.length < BATCH) return total;
          }
        } finally {
          running = undefined;
        }
      })();
      return running;
    },

    /**
     * Re-indexes every live product, then every indexed product that is no longer live. In
     * place: searches keep working meanwhile. `fresh` first drops every posting (the index
     * is empty until the rebuild has passed), for when the analyzer changed.
     */
    async rebuild(opts: { fresh?: boolean; batch?: number; onProgress?: (done: number) => void } = {}): Promise<IndexOutcome & { products: number; ms: number }> {
      const started = performance.now();
      const batchSize = opts.batch ?? 500;
      const queued = await repo.pending(1_000_000);
      if (opts.fresh) await db.transaction((tx) => repo.resetIndex(tx));
      const categories = new Map((await sources.listCategories()).map((c) => [c.id, c]));
      const total: IndexOutcome = { written: 0, unchanged: 0 };
      const live = new Set<string>();
      const add = (o: IndexOutcome) => {
        total.written += o.written;
        total.unchanged += o.unchanged;
      };
      for (let after: string | undefined; ; ) {
        const ids = await sources.liveProductIds(after, batchSize);
        if (!ids.length) break;
        for (const id of ids) live.add(id);
        add(await reindex(ids, categories));
        opts.onProgress?.(live.size);
        after = ids[ids.length - 1];
      }
      const gone = (await repo.visibleProductIds()).filter((id) => !live.has(id));
      for (let i = 0; i < gone.length; i += batchSize) add(await reindex(gone.slice(i, i + batchSize), categories));
      // Events queued before the rebuild read the products are covered by it.
      await db.transaction((tx) => repo.clearPending(tx, queued.map((p) => [p.product_id, p.token])));
      return { ...total, products: live.size, ms: Math.round(performance.now() - started) };
    },
  };
}
export type Indexer = ReturnType<typeof createIndexer>;

function toRow(d: SearchDoc, docNo: number, seq: number, now: number): DocRow {
  return {
    product_id: d.product_id, doc_no: docNo, store_id: d.store_id, category_id: d.category_id, category_path: JSON.stringify(d.category_path), title: d.title,
    title_compact: d.title_compact, title_spans: JSON.stringify(d.title_spans), brand: d.brand, image_url: d.image_url, status: d.status, visible: d.visible ? 1 : 0, in_stock: d.in_stock ? 1 : 0,
    price_min_minor: d.price_min_minor, price_max_minor: d.price_max_minor, sales: d.sales, created_at: d.created_at,
    len_title: d.lengths.title, len_brand: d.lengths.brand, len_category: d.lengths.category, len_attributes: d.lengths.attributes, len_description: d.lengths.description,
    postings: JSON.stringify(d.postings), content_hash: d.content_hash, seq, indexed_at: now,
  };
}
