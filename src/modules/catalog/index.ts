import type { Clock } from '../../lib/clock.ts';
import type { Db } from '../../db/index.ts';
import type { Outbox } from '../../db/outbox.ts';
import type { ReviewRules } from './compliance/index.ts';
import { createCatalogRepo } from './catalog.repo.ts';
import { createCatalogReads } from './catalog.service.ts';
import { createCategories } from './categories.ts';
import { DEFAULT_KNOWN_BRANDS } from './known-brands.ts';
import { listingContext, type StoreLookup } from './listing-context.ts';
import { createListingReview, type StoreFacts } from './listing-review.ts';
import { createListingStatus } from './listing-status.ts';
import { createMedia } from './media/media.service.ts';
import type { ObjectStorage } from './media/object-storage.ts';
import { createProductWrites } from './product-writes.ts';
import { createSaleSnapshots } from './sale-snapshot.ts';
import { createSkuWrites } from './sku-writes.ts';

export type { Category, Product, Sku, ProductInput, SkuInput, ProductPatch, Review, ReviewSnapshot, ProductWithReview } from './catalog.types.ts';
export type { ProductStatus, ReviewStatus, ReviewTrigger, DelistReason } from './catalog.repo.ts';
export type { CategoryInput, CategoryPatch } from './categories.ts';
export type { StoreFacts, StoreFactsSnapshot } from './listing-review.ts';
export type { ListingContext, StoreLookup } from './listing-context.ts';
export type { Media } from './media/media.service.ts';
export type { PricePoint } from './catalog.service.ts';
export type { SaleSnapshot } from './sale-snapshot.ts';
export type { Finding, Decision } from './compliance/index.ts';
export { LocalObjectStorage, type ObjectStorage } from './media/object-storage.ts';
export { feeRateFor, FEE_TIERS_BP, NEW_STORE_FEE_BP, NEW_STORE_PERIOD_MS, NEW_STORE_GMV_CAP_MINOR, type StoreFeeFacts } from './category-rules.ts';
export { PRICE_LOW_WINDOW_MS } from './listing-review.ts';
export { readProductCsv, productCsvRows, PRODUCT_CSV_COLUMNS, type ProductGroup, type RowError } from './catalog-csv.ts';
/**
 * Domain events (same transaction as the change; payload types in catalog.events.ts):
 * - `product.created`  { product_id, store_id, category_id, status }
 * - `product.updated`  { product_id, store_id, status, changed: string[], actor_id }
 *      fields/SKUs/status changed: an edit, a review outcome, an operator's decision, a SKU added or disabled
 * - `product.delisted` { product_id, store_id, reason: 'merchant'|'brand_revoked'|'qualification_expired', actor_id }
 * - `product.relisted` { product_id, store_id, status, actor_id }  (status: live, or in_review/rejected after the re-review)
 * - `sku.price_changed` { sku_id, product_id, store_id, from_minor, to_minor, list_price_minor, actor_id }
 * Buyers (and search) see a product exactly when its status is `live`; re-read it with
 * `getProducts(ids)`. Stock events come from inventory (see inventory/index.ts).
 */
export { CATALOG_EVENTS, type ProductCreatedPayload, type ProductUpdatedPayload, type ProductDelistedPayload, type ProductRelistedPayload, type SkuPriceChangedPayload } from './catalog.events.ts';

export interface CatalogDeps {
  db: Db;
  clock: Clock;
  outbox: Outbox;
  /** Store status (only open stores list products). */
  stores: StoreLookup;
  /** Qualifications and certified brands of a store (the stores module). */
  storeFacts: StoreFacts;
  /** Where product images are kept. */
  storage: ObjectStorage;
  mediaMaxBytes?: number;
  /** Extra banned/allowed words and known brands for listing review. */
  reviewRules?: ReviewRules;
}

/**
 * Categories with their rules, products (SPU) and SKUs, listing compliance review, price
 * history and product media. Rules a newcomer must know: compliance/README.md (the checks)
 * and product-status.ts (how reviews move a product between draft, in_review, live,
 * rejected and delisted).
 */
export function createCatalogModule(deps: CatalogDeps) {
  const { db, clock, outbox } = deps;
  const repo = createCatalogRepo(db);
  const rules: ReviewRules = { ...deps.reviewRules, knownBrands: [...DEFAULT_KNOWN_BRANDS, ...(deps.reviewRules?.knownBrands ?? [])] };
  const review = createListingReview({ repo, clock, storeFacts: deps.storeFacts, rules });
  const writes = createProductWrites({ db, repo, clock, outbox, review });
  const skus = createSkuWrites({ db, repo, clock, outbox, review });
  const status = createListingStatus({ db, repo, clock, outbox, review, storeFacts: deps.storeFacts, knownBrands: rules.knownBrands ?? [] });
  const context = (storeId: string, opts: { requireOpen?: boolean } = {}) => listingContext(deps.stores, review, storeId, { requireOpen: opts.requireOpen ?? false });
  return {
    ...createCategories({ db, repo }),
    ...createCatalogReads({ db, repo }),
    /** What checkout needs per SKU (price, on-sale, category fee/return rules): see sale-snapshot.ts. */
    ...createSaleSnapshots(db),
    ...createMedia({ repo, clock, storage: deps.storage, maxBytes: deps.mediaMaxBytes ?? 5 * 1024 * 1024 }),
    /** Fetch before opening a transaction that creates a product or adds a SKU (see flows/). */
    listingContext: (storeId: string) => context(storeId, { requireOpen: true }),
    createProduct: writes.createProduct,
    addSku: skus.addSku,
    editProduct: async (storeId: string, productId: string, patch: Parameters<typeof writes.editProduct>[2], actorId: string) =>
      writes.editProduct(await context(storeId), productId, patch, actorId),
    setSkuStatus: async (storeId: string, skuId: string, to: 'active' | 'disabled', actorId: string) => skus.setSkuStatus(await context(storeId), skuId, to, actorId),
    setSkuPrice: async (storeId: string, skuId: string, input: { price_minor: number; list_price_minor?: number | null }, actorId: string) =>
      skus.setSkuPrice(await context(storeId), skuId, input, actorId),
    delist: status.delist,
    relist: async (storeId: string, productId: string, actorId: string) => status.relist(await context(storeId, { requireOpen: true }), productId, actorId),
    delistForBrand: status.delistForBrand,
    delistForQualification: status.delistForQualification,
    approveReview: status.approveReview,
    rejectReview: status.rejectReview,
  };
}
export type CatalogModule = ReturnType<typeof createCatalogModule>;
