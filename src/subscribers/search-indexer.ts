import type { DomainEvent, Outbox } from '../db/outbox.ts';
import type { Executor } from '../db/index.ts';
import type { SearchModule } from '../modules/search/index.ts';

export const SEARCH_INDEXER_SUBSCRIBER = 'search.indexer';

/** Every event after which a product's search document may differ. */
export const SEARCH_EVENTS = [
  'product.created', 'product.updated', 'product.delisted', 'product.relisted', 'sku.price_changed',
  'stock.changed', 'product.out_of_stock', 'product.back_in_stock',
] as const;

/**
 * Keeps the search index following the catalog and inventory. The handler only queues the
 * product (search_pending, in the event's transaction); the search module re-reads it through
 * the catalog and inventory modules and re-indexes it within milliseconds (background loop,
 * kicked here) — and before the next search of this process answers.
 *
 * Idempotent by construction: the queue row is keyed by product and re-indexing rebuilds the
 * document from the product's current state, so a redelivered, late or reordered event
 * changes nothing (and the outbox records each delivery in the same transaction).
 *
 * Only a SKU going from available to none or back can change the document (its in-stock
 * flag), so other `stock.changed` events (merchant adjustments) are skipped.
 */
export function subscribeSearchIndexer(outbox: Outbox, search: Pick<SearchModule, 'enqueue' | 'productIdsForSkus'>): void {
  outbox.subscribe(SEARCH_INDEXER_SUBSCRIBER, SEARCH_EVENTS, async (event, tx) => {
    const productId = await productOf(event, tx, search);
    if (productId) await search.enqueue(tx, productId, event.id);
  });
}

async function productOf(event: DomainEvent, tx: Executor, search: Pick<SearchModule, 'productIdsForSkus'>): Promise<string | null> {
  const p = event.payload as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
  if (event.type === 'stock.changed') {
    const available = Number(p.available);
    const before = available - (Number(p.delta_on_hand ?? 0) - Number(p.delta_reserved ?? 0));
    if (Number.isFinite(available) && Number.isFinite(before) && available > 0 === before > 0) return null;
    const skuId = str(p.sku_id) ?? str(event.aggregate_id);
    return str(p.product_id) ?? (skuId ? (await search.productIdsForSkus(tx, [skuId])).get(skuId) ?? null : null);
  }
  // product.* events name the product; sku.price_changed carries product_id too.
  return str(p.product_id) ?? (event.aggregate_id.startsWith('prd_') ? event.aggregate_id : null);
}
