import { notFound } from '../../lib/errors.ts';
import { clampLimit, decodeCursor, toPage, type Page } from '../../lib/page.ts';
import type { Db, Executor } from '../../db/index.ts';
import type { CatalogRepo, PriceHistoryRow, ProductRow, ProductStatus, ReviewStatus, SkuRow } from './catalog.repo.ts';
import { toProduct, toReview, type Product, type ProductWithReview, type Review } from './catalog.types.ts';
import { storeProductRow, storeSkuRow } from './listing-context.ts';

export type PricePoint = Pick<PriceHistoryRow, 'id' | 'sku_id' | 'price_minor' | 'list_price_minor' | 'actor_id' | 'created_at'>;

/** Reads: products as staff and buyers see them, reviews, price history. */
export function createCatalogReads(deps: { db: Db; repo: CatalogRepo }) {
  const { db, repo } = deps;

  async function withSkus(rows: ProductRow[], opts: { activeOnly?: boolean } = {}, ex?: Executor): Promise<Product[]> {
    const skus = await repo.skusOfMany(rows.map((r) => r.id), ex);
    const by = new Map<string, SkuRow[]>();
    for (const s of skus) if (!opts.activeOnly || s.status === 'active') by.set(s.product_id, [...(by.get(s.product_id) ?? []), s]);
    return rows.map((r) => toProduct(r, by.get(r.id) ?? []));
  }

  async function withReviews(products: Product[]): Promise<ProductWithReview[]> {
    const reviews = new Map((await repo.reviewsByIds(products.map((p) => p.review_id).filter((id): id is string => id !== null))).map((r) => [r.id, toReview(r)]));
    return products.map((p) => ({ ...p, review: p.review_id ? reviews.get(p.review_id) ?? null : null }));
  }

  return {
    /** A product as its store's staff see it (any status, every SKU, the latest review); another store's is not found. */
    async getStoreProduct(storeId: string, productId: string): Promise<ProductWithReview> {
      const row = await storeProductRow(repo, storeId, productId, db.kysely);
      return (await withReviews(await withSkus([row])))[0];
    },

    async listStoreProducts(storeId: string, opts: { limit?: number; cursor?: string; status?: ProductStatus }): Promise<Page<ProductWithReview>> {
      const limit = clampLimit(opts.limit);
      const after = decodeCursor(opts.cursor);
      let query = repo.q().selectFrom('catalog_products').selectAll().where('store_id', '=', storeId).orderBy('id', 'desc').limit(limit + 1);
      if (opts.status) query = query.where('status', '=', opts.status);
      if (after !== undefined) query = query.where('id', '<', String(after));
      const page = toPage(await query.execute(), limit, (p) => p.id);
      return { items: await withReviews(await withSkus(page.items)), next_cursor: page.next_cursor };
    },

    /** A product as buyers see it: only live ones, only active SKUs. */
    async getLiveProduct(productId: string): Promise<Product> {
      const row = await repo.productById(productId);
      if (!row || row.status !== 'live') throw notFound('product', productId);
      return (await withSkus([row], { activeOnly: true }))[0];
    },

    async listLiveProducts(opts: { limit?: number; cursor?: string; store_id?: string; category_id?: string }): Promise<Page<Product>> {
      const limit = clampLimit(opts.limit);
      const after = decodeCursor(opts.cursor);
      let query = repo.q().selectFrom('catalog_products').selectAll().where('status', '=', 'live').orderBy('id', 'desc').limit(limit + 1);
      if (opts.store_id) query = query.where('store_id', '=', opts.store_id);
      if (opts.category_id) query = query.where('category_id', '=', opts.category_id);
      if (after !== undefined) query = query.where('id', '<', String(after));
      return toPage(await withSkus(await query.execute(), { activeOnly: true }), limit, (p) => p.id);
    },

    /**
     * Batch getter for event consumers (the search index): products by id in any status, with
     * every SKU (`status` on each). Missing ids are simply absent.
     */
    async getProducts(ids: readonly string[]): Promise<Map<string, Product>> {
      if (!ids.length) return new Map();
      const rows = await repo.q().selectFrom('catalog_products').selectAll().where('id', 'in', ids).execute();
      return new Map((await withSkus(rows)).map((p) => [p.id, p]));
    },

    /** Ids of every product in a status, in id order, for rebuilding an index page by page. */
    async productIdsPage(opts: { status?: ProductStatus; after?: string; limit: number }): Promise<string[]> {
      let query = repo.q().selectFrom('catalog_products').select('id').orderBy('id').limit(opts.limit);
      if (opts.status) query = query.where('status', '=', opts.status);
      if (opts.after) query = query.where('id', '>', opts.after);
      return (await query.execute()).map((r) => r.id);
    },

    /** The operators' queue (oldest first) or any review status, with the automatic findings. */
    async listReviews(opts: { status?: ReviewStatus; store_id?: string; limit?: number; cursor?: string }): Promise<Page<Review>> {
      const limit = clampLimit(opts.limit);
      const after = decodeCursor(opts.cursor);
      let query = repo.q().selectFrom('catalog_reviews').selectAll().where('status', '=', opts.status ?? 'pending').orderBy('id').limit(limit + 1);
      if (opts.store_id) query = query.where('store_id', '=', opts.store_id);
      if (after !== undefined) query = query.where('id', '>', String(after));
      const page = toPage(await query.execute(), limit, (r) => r.id);
      return { items: page.items.map(toReview), next_cursor: page.next_cursor };
    },

    async getReview(reviewId: string): Promise<Review> {
      const r = await repo.reviewById(reviewId);
      if (!r) throw notFound('review', reviewId);
      return toReview(r);
    },

    /** Every review of one product, newest first (the merchant's history of findings and decisions). */
    async productReviews(storeId: string, productId: string, opts: { limit?: number; cursor?: string }): Promise<Page<Review>> {
      await storeProductRow(repo, storeId, productId, db.kysely);
      const limit = clampLimit(opts.limit);
      const after = decodeCursor(opts.cursor);
      let query = repo.q().selectFrom('catalog_reviews').selectAll().where('product_id', '=', productId).orderBy('id', 'desc').limit(limit + 1);
      if (after !== undefined) query = query.where('id', '<', String(after));
      const page = toPage(await query.execute(), limit, (r) => r.id);
      return { items: page.items.map(toReview), next_cursor: page.next_cursor };
    },

    async priceHistory(storeId: string, skuId: string, opts: { limit?: number; cursor?: string }): Promise<Page<PricePoint>> {
      await storeSkuRow(repo, storeId, skuId, db.kysely);
      const limit = clampLimit(opts.limit);
      const after = decodeCursor(opts.cursor);
      let query = repo.q().selectFrom('catalog_price_history').select(['id', 'sku_id', 'price_minor', 'list_price_minor', 'actor_id', 'created_at'])
        .where('sku_id', '=', skuId).orderBy('id', 'desc').limit(limit + 1);
      if (after !== undefined) query = query.where('id', '<', String(after));
      const page = toPage(await query.execute(), limit, (r) => r.id);
      return { items: page.items.map((p) => ({ ...p, price_minor: Number(p.price_minor), list_price_minor: p.list_price_minor === null ? null : Number(p.list_price_minor), created_at: Number(p.created_at) })), next_cursor: page.next_cursor };
    },

    /** Lowest price a SKU had at any moment since `sinceMs` (null when it has no history): campaigns' 30-day-low rule. */
    lowestPriceSince: (skuId: string, sinceMs: number, ex?: Executor) => repo.lowestPriceSince(skuId, sinceMs, ex),

    /** Every SKU of a store with its product's title (CSV export), in product then SKU order. */
    async storeSkus(storeId: string): Promise<{ product: Product; sku_index: number }[]> {
      const rows = await repo.q().selectFrom('catalog_products').selectAll().where('store_id', '=', storeId).orderBy('id').execute();
      return (await withSkus(rows)).flatMap((p) => p.skus.map((_, i) => ({ product: p, sku_index: i })));
    },

    /** SKU ids of a store by barcode (stock import by barcode). */
    async skuIdsByBarcode(storeId: string, barcodes: readonly string[]): Promise<Map<string, string[]>> {
      if (!barcodes.length) return new Map();
      const rows = await repo.q().selectFrom('catalog_skus').select(['id', 'barcode']).where('store_id', '=', storeId).where('barcode', 'in', barcodes).execute();
      const out = new Map<string, string[]>();
      for (const r of rows) out.set(r.barcode!, [...(out.get(r.barcode!) ?? []), r.id]);
      return out;
    },
  };
}
