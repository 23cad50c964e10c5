/**
 * Domain events written by the catalog, each in the same transaction as its change. The
 * search index (and analytics, recommendations) follow these; payloads carry ids — read the
 * current product through `catalog.getProductsForIndex` rather than trusting a payload copy.
 *
 * | type                 | aggregate  | when |
 * |----------------------|------------|------|
 * | `product.created`    | product id | a product was created (any status; usually live or in_review) |
 * | `product.updated`    | product id | fields, SKUs or status changed (edit, review outcome, operator decision, SKU added/disabled) |
 * | `product.delisted`   | product id | taken off sale by the merchant or by the platform (brand revoked, qualification expired) |
 * | `product.relisted`   | product id | a delisted product was put back; `status` says whether it is live again or waits in review |
 * | `sku.price_changed`  | sku id     | a SKU's price or strikethrough price changed |
 *
 * A product is visible to buyers exactly when its status is `live`. Stock events
 * (`stock.changed`, `product.out_of_stock`, `product.back_in_stock`) come from inventory.
 */
import type { DelistReason, ProductStatus } from './catalog.repo.ts';

export const CATALOG_EVENTS = ['product.created', 'product.updated', 'product.delisted', 'product.relisted', 'sku.price_changed'] as const;

export interface ProductCreatedPayload {
  product_id: string;
  store_id: string;
  category_id: string;
  status: ProductStatus;
}

export interface ProductUpdatedPayload {
  product_id: string;
  store_id: string;
  status: ProductStatus;
  /** Which parts changed: field names (`title`, `attributes` …), `skus`, `images`, `status`. */
  changed: string[];
  /** Who made the change: a merchant's staff or an operator; null when the platform did. */
  actor_id: string | null;
}

export interface ProductDelistedPayload {
  product_id: string;
  store_id: string;
  reason: DelistReason;
  /** The account that delisted it, or null when the platform did (a stores event). */
  actor_id: string | null;
}

export interface ProductRelistedPayload {
  product_id: string;
  store_id: string;
  status: ProductStatus;
  actor_id: string | null;
}

export interface SkuPriceChangedPayload {
  sku_id: string;
  product_id: string;
  store_id: string;
  from_minor: number;
  to_minor: number;
  list_price_minor: number | null;
  actor_id: string | null;
}
