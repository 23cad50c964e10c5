import type { Clock } from '../../lib/clock.ts';
import { rule } from '../../lib/errors.ts';
import type { Db, Executor } from '../../db/index.ts';
import type { Outbox } from '../../db/outbox.ts';
import type { CatalogRepo } from './catalog.repo.ts';
import type { SkuPriceChangedPayload } from './catalog.events.ts';
import { toSku, type ProductWithReview, type Sku, type SkuInput } from './catalog.types.ts';
import { checkSpecs, emitUpdated, newSkuRow, recordPrice, storeProductRow, storeSkuRow, type ListingContext } from './listing-context.ts';
import type { ListingReview } from './listing-review.ts';
import { guard } from './product-status.ts';
import { loadWithReview } from './product-writes.ts';

/** SKU changes: add, disable/enable, price. Each that buyers would see differently is reviewed again. */
export function createSkuWrites(deps: { db: Db; repo: CatalogRepo; clock: Clock; outbox: Outbox; review: ListingReview }) {
  const { db, repo, clock, outbox, review } = deps;

  async function reviewAndEmit(tx: Executor, lc: ListingContext, productId: string, trigger: 'edit' | 'price' | 'sku_added', changed: string[], actorId: string): Promise<ProductWithReview> {
    const before = (await repo.productById(productId, tx))!;
    const outcome = await review.review(tx, productId, trigger, lc.facts);
    await emitUpdated(outbox, tx, before, outcome.status, outcome.status !== outcome.previous ? [...changed, 'status'] : changed, actorId);
    return loadWithReview(repo, tx, (await repo.productById(productId, tx))!);
  }

  return {
    /** Adds a SKU in the caller's transaction (its stock is inventory's: see flows/edit-listing). */
    async addSku(tx: Executor, lc: ListingContext, productId: string, input: SkuInput, actorId: string): Promise<{ product: ProductWithReview; sku: Sku }> {
      const row = await storeProductRow(repo, lc.store_id, productId, tx);
      const g = guard('edit', row.status);
      if (!g.ok) throw rule(g.code, g.message, g.details).zh(g.message_zh);
      const existing = await repo.skusOf(productId, tx);
      checkSpecs(existing.map((s) => JSON.parse(s.spec)), [input.spec]);
      if (existing.length >= 200) throw rule('too_many_skus', 'a product has at most 200 SKUs').zh('每个商品最多200个规格');
      const now = clock.now();
      const sku = newSkuRow(productId, lc.store_id, input, now);
      await repo.q(tx).insertInto('catalog_skus').values(sku).execute();
      await recordPrice(repo, tx, sku, actorId, now);
      const product = await reviewAndEmit(tx, lc, productId, 'sku_added', ['skus'], actorId);
      return { product, sku: toSku(sku) };
    },

    /** Disables or re-enables a SKU. The last active SKU cannot be disabled: delist the product instead. */
    async setSkuStatus(lc: ListingContext, skuId: string, status: 'active' | 'disabled', actorId: string): Promise<ProductWithReview> {
      return db.transaction(async (tx) => {
        const sku = await storeSkuRow(repo, lc.store_id, skuId, tx);
        const product = await storeProductRow(repo, lc.store_id, sku.product_id, tx);
        if (sku.status === status) return loadWithReview(repo, tx, product);
        if (status === 'disabled') {
          const active = (await repo.skusOf(sku.product_id, tx)).filter((s) => s.status === 'active');
          if (active.length <= 1) throw rule('last_active_sku', 'the last active SKU cannot be disabled; delist the product instead', { sku_id: skuId }).zh('不能停用最后一个在售规格，请改为下架商品');
        }
        await repo.q(tx).updateTable('catalog_skus').set({ status, updated_at: clock.now() }).where('id', '=', skuId).execute();
        if (status === 'active') return reviewAndEmit(tx, lc, sku.product_id, 'edit', ['skus'], actorId);
        await repo.q(tx).updateTable('catalog_products').set({ updated_at: clock.now() }).where('id', '=', sku.product_id).execute();
        await emitUpdated(outbox, tx, product, product.status, ['skus'], actorId);
        return loadWithReview(repo, tx, (await repo.productById(sku.product_id, tx))!);
      });
    },

    /**
     * Changes a SKU's price and/or strikethrough price: recorded in the price history, emitted
     * as `sku.price_changed`, and reviewed (fake strikethrough; "discount" above the 30-day low).
     */
    async setSkuPrice(lc: ListingContext, skuId: string, input: { price_minor: number; list_price_minor?: number | null }, actorId: string): Promise<{ sku: Sku; product: ProductWithReview }> {
      return db.transaction(async (tx) => {
        const sku = await storeSkuRow(repo, lc.store_id, skuId, tx);
        const list = input.list_price_minor === undefined ? sku.list_price_minor : input.list_price_minor;
        const next = { ...sku, price_minor: input.price_minor, list_price_minor: list };
        if (Number(sku.price_minor) === next.price_minor && (sku.list_price_minor === null ? null : Number(sku.list_price_minor)) === list) {
          return { sku: toSku(sku), product: await loadWithReview(repo, tx, await storeProductRow(repo, lc.store_id, sku.product_id, tx)) };
        }
        const now = clock.now();
        await repo.q(tx).updateTable('catalog_skus').set({ price_minor: next.price_minor, list_price_minor: list, updated_at: now }).where('id', '=', skuId).execute();
        const payload: SkuPriceChangedPayload = {
          sku_id: skuId, product_id: sku.product_id, store_id: lc.store_id, from_minor: Number(sku.price_minor), to_minor: next.price_minor, list_price_minor: list, actor_id: actorId,
        };
        await outbox.emit(tx, 'sku.price_changed', skuId, { ...payload });
        // Reviewed before the new price enters the history: the 30-day low is of earlier prices.
        const product = await reviewAndEmit(tx, lc, sku.product_id, 'price', ['skus'], actorId);
        await recordPrice(repo, tx, next, actorId, now);
        return { sku: toSku({ ...next, updated_at: now }), product };
      });
    },
  };
}
