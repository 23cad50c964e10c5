/**
 * Domain events written by inventory, in the same transaction as the change. Search, the
 * merchant dashboard and notifications follow these; payloads carry ids and the new levels.
 *
 * - `stock.changed` (aggregate: sku id) — every merchant change of a SKU's stock (initial,
 *   adjustment, import); for the order flow (reserve, release, sale) only when the SKU's
 *   availability crosses zero (sold out / available again). Every change, order flow included,
 *   is in the movement log; an order's own stock holds are told by the order's events — one
 *   event per held line would double a checkout's writes for no reader.
 * - `product.out_of_stock` (aggregate: product id) — the product's total available across its
 *   SKUs went from > 0 to 0.
 * - `product.back_in_stock` (aggregate: product id) — it went from 0 to > 0 (including the
 *   first stocking of a new product).
 *
 * "Available" is on hand minus reserved (reserved = held by unpaid orders). The per-product
 * total counts every SKU that has stock, disabled ones included: inventory does not know SKU
 * status; search decides what a disabled SKU means from `product.updated`.
 */
import type { MovementReason } from './inventory.repo.ts';

export const INVENTORY_EVENTS = ['stock.changed', 'product.out_of_stock', 'product.back_in_stock'] as const;

export interface StockChangedPayload {
  sku_id: string;
  product_id: string | null;
  store_id: string;
  on_hand: number;
  reserved: number;
  available: number;
  delta_on_hand: number;
  delta_reserved: number;
  reason: MovementReason;
  /** The reservation ref (order id) for reserve/release/sale. */
  ref: string | null;
}

export interface ProductStockPayload {
  product_id: string;
  store_id: string;
  /** The product's total available after the change. */
  available: number;
}
