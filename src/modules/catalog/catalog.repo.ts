import { tables, type Db, type Executor } from '../../db/index.ts';

export type ProductStatus = 'draft' | 'in_review' | 'live' | 'rejected' | 'delisted';
export type ReviewTrigger = 'create' | 'edit' | 'price' | 'sku_added' | 'relist';
/** passed/rejected_auto: decided by the automatic check; pending → approved | rejected by an operator. */
export type ReviewStatus = 'passed' | 'rejected_auto' | 'pending' | 'approved' | 'rejected' | 'superseded' | 'withdrawn';
export type DelistReason = 'merchant' | 'brand_revoked' | 'qualification_expired';

export interface CategoryRow {
  id: string; parent_id: string | null; code: string; name_zh: string; name_en: string; is_leaf: number; fee_rate_bp: number; deposit_minor: number;
  required_attributes: string; required_qualifications: string; no_reason_return_7d: number; shipping_insurance: number; sort: number; allows_efficacy_claims: number;
}
export interface ProductRow {
  id: string; store_id: string; category_id: string; title: string; subtitle: string; description: string; brand: string | null; attributes: string;
  images: string; status: ProductStatus; sales: number; created_at: number; updated_at: number; published_at: number | null;
  review_id: string | null; delisted_reason: DelistReason | null; delisted_note: string | null; delisted_at: number | null;
}
export interface SkuRow {
  id: string; product_id: string; store_id: string; spec: string; price_minor: number; list_price_minor: number | null; currency: 'CNY';
  barcode: string | null; status: 'active' | 'disabled'; created_at: number; updated_at: number;
}
export interface ReviewRow {
  id: string; product_id: string; store_id: string; trigger: ReviewTrigger; decision: 'pass' | 'review' | 'reject'; status: ReviewStatus; findings: string; snapshot: string;
  decided_by: string | null; decided_at: number | null; reason: string | null; created_at: number;
}
export interface PriceHistoryRow {
  id: string; sku_id: string; product_id: string; store_id: string; price_minor: number; list_price_minor: number | null; actor_id: string | null; created_at: number;
}
export interface MediaRow {
  id: string; store_id: string; storage_key: string; content_type: string; size_bytes: number; sha256: string; uploaded_by: string | null; created_at: number;
}
export interface CatalogTables {
  catalog_categories: CategoryRow;
  catalog_products: ProductRow;
  catalog_skus: SkuRow;
  catalog_reviews: ReviewRow;
  catalog_price_history: PriceHistoryRow;
  catalog_media: MediaRow;
}

/** The only code that touches catalog tables. */
export function createCatalogRepo(db: Db) {
  const q = (ex: Executor = db.kysely) => tables<CatalogTables>(ex);
  const productById = db.prepared<ProductRow>('select * from catalog_products where id = ?');
  const skusOf = db.prepared<SkuRow>('select * from catalog_skus where product_id = ? order by id');
  const lowInWindow = db.prepared<{ low: number | null }>('select min(price_minor) as low from catalog_price_history where sku_id = ? and created_at >= ?');
  const lastBefore = db.prepared<{ price_minor: number }>('select price_minor from catalog_price_history where sku_id = ? and created_at < ? order by created_at desc, id desc limit 1');
  return {
    q,
    productById: (id: string, ex: Executor = db.kysely) => productById.first(ex, [id]),
    skusOf: (productId: string, ex: Executor = db.kysely) => skusOf.all(ex, [productId]),
    skusOfMany: (productIds: readonly string[], ex?: Executor) =>
      productIds.length ? q(ex).selectFrom('catalog_skus').selectAll().where('product_id', 'in', productIds).orderBy('id').execute() : Promise.resolve([]),
    categoryById: (id: string, ex?: Executor) => q(ex).selectFrom('catalog_categories').selectAll().where('id', '=', id).executeTakeFirst(),
    reviewById: (id: string, ex?: Executor) => q(ex).selectFrom('catalog_reviews').selectAll().where('id', '=', id).executeTakeFirst(),
    reviewsByIds: (ids: readonly string[], ex?: Executor) =>
      ids.length ? q(ex).selectFrom('catalog_reviews').selectAll().where('id', 'in', ids).execute() : Promise.resolve([]),
    /** Lowest price in effect at any time since `sinceMs`: the price on entry to the window and every change in it. */
    async lowestPriceSince(skuId: string, sinceMs: number, ex: Executor = db.kysely): Promise<number | null> {
      const inWindow = (await lowInWindow.first(ex, [skuId, sinceMs]))?.low ?? null;
      const atStart = (await lastBefore.first(ex, [skuId, sinceMs]))?.price_minor ?? null;
      const lows = [inWindow, atStart].filter((v): v is number => v !== null).map(Number);
      return lows.length ? Math.min(...lows) : null;
    },
  };
}
export type CatalogRepo = ReturnType<typeof createCatalogRepo>;
