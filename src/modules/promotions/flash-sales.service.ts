import type { Clock } from '../../lib/clock.ts';
import { conflict, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { clampLimit, decodeCursor, toPage, type Page } from '../../lib/page.ts';
import type { Db } from '../../db/index.ts';
import type { Outbox } from '../../db/outbox.ts';
import { invalidOffer, windowProblems } from './offer-checks.ts';
import { toFlashSale, type FlashSale } from './offer-rows.ts';
import { validateFlashSale, type PricingPolicy, type Problem } from './pricing/index.ts';
import type { FlashSaleRow, OfferStatus, PromotionsRepo } from './promotions.repo.ts';

/** What a flash sale is checked against: the SKU's owner, current price and available stock. */
export interface FlashSkuFacts {
  sku_id: string;
  store_id: string;
  product_id: string;
  price_minor: number;
  /** Units available now (on hand − held by unpaid orders). */
  stock: number;
}
export type FlashSkuLookup = (skuId: string) => Promise<FlashSkuFacts | undefined>;

export interface FlashSaleInput {
  sku_id: string;
  price_minor: number;
  flash_stock: number;
  limit_per_buyer?: number | null;
  start_ms: number;
  end_ms: number;
}
export type FlashSalePatch = Partial<Omit<FlashSaleInput, 'sku_id'>> & { status?: OfferStatus };

/**
 * 限时抢购 entries per SKU. Creation and edits are checked by the engine's validateFlashSale
 * against the SKU's current price and stock (≤ 24 h, 10%–85% of the price and ≥ ¥10 below it,
 * flash stock ≤ SKU stock); one SKU has at most one active sale at any moment.
 */
export function createFlashSales(deps: { db: Db; clock: Clock; outbox: Outbox; repo: PromotionsRepo; policy: PricingPolicy; sku: FlashSkuLookup }) {
  const { db, clock, outbox, repo, policy } = deps;

  async function skuOf(storeId: string, skuId: string): Promise<FlashSkuFacts> {
    const s = await deps.sku(skuId);
    if (!s || s.store_id !== storeId) throw notFound('sku', skuId);
    return s;
  }

  function check(row: FlashSaleRow, sku: FlashSkuFacts, skuStock: number, now: number): void {
    const entry = { flash_sale_id: row.id, sku_id: row.sku_id, start_ms: row.start_ms, end_ms: row.end_ms, price_minor: row.price_minor, flash_stock: row.flash_stock, limit_per_buyer: row.limit_per_buyer };
    const r = validateFlashSale(entry, { sku_id: sku.sku_id, price_minor: sku.price_minor, stock: skuStock }, policy.flash_sale);
    const problems: Problem[] = [...(r.ok ? [] : r.details.problems), ...windowProblems({ valid_to_ms: row.end_ms }, now)];
    if (problems.length) throw invalidOffer('invalid_flash_sale', problems);
  }

  async function assertNoOverlap(row: FlashSaleRow): Promise<void> {
    const other = await repo.q().selectFrom('promotions_flash_sales').select(['id', 'start_ms', 'end_ms']).where('sku_id', '=', row.sku_id).where('status', '=', 'active')
      .where('id', '!=', row.id).where('start_ms', '<', row.end_ms).where('end_ms', '>', row.start_ms).executeTakeFirst();
    if (other) throw conflict('flash_sale_overlaps', 'this SKU already has a flash sale in that period', { flash_sale_id: other.id }).zh('该商品在此时间段已有限时抢购活动');
  }

  async function get(storeId: string, id: string): Promise<FlashSaleRow> {
    const r = await repo.q().selectFrom('promotions_flash_sales').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r || r.store_id !== storeId) throw notFound('flash_sale', id);
    return r;
  }

  return {
    async createFlashSale(storeId: string, input: FlashSaleInput, actorId: string | null): Promise<FlashSale> {
      const now = clock.now();
      const sku = await skuOf(storeId, input.sku_id);
      const row: FlashSaleRow = {
        id: newId('fls'), store_id: storeId, product_id: sku.product_id, sku_id: sku.sku_id, price_minor: input.price_minor, flash_stock: input.flash_stock, sold: 0,
        limit_per_buyer: input.limit_per_buyer ?? null, start_ms: input.start_ms, end_ms: input.end_ms, status: 'active', created_by: actorId, created_at: now, updated_at: now,
      };
      check(row, sku, sku.stock, now);
      await assertNoOverlap(row);
      return db.transaction(async (tx) => {
        await repo.q(tx).insertInto('promotions_flash_sales').values(row).execute();
        await outbox.emit(tx, 'flash_sale.created', row.id, { flash_sale_id: row.id, store_id: storeId, product_id: row.product_id, sku_id: row.sku_id, start_ms: row.start_ms, end_ms: row.end_ms });
        return toFlashSale(row, now);
      });
    },

    async flashSale(storeId: string, id: string): Promise<FlashSale> {
      return toFlashSale(await get(storeId, id), clock.now());
    },

    async listFlashSales(storeId: string, opts: { status?: OfferStatus; sku_id?: string; limit?: number; cursor?: string }): Promise<Page<FlashSale>> {
      const now = clock.now();
      const limit = clampLimit(opts.limit);
      const after = decodeCursor(opts.cursor);
      let q = repo.q().selectFrom('promotions_flash_sales').selectAll().where('store_id', '=', storeId).orderBy('id', 'desc').limit(limit + 1);
      if (opts.status) q = q.where('status', '=', opts.status);
      if (opts.sku_id) q = q.where('sku_id', '=', opts.sku_id);
      if (after !== undefined) q = q.where('id', '<', String(after));
      return toPage((await q.execute()).map((r) => toFlashSale(r, now)), limit, (f) => f.id);
    },

    /**
     * Edits price, stock, limit or window (checked again against the SKU now), or stops the
     * sale. Flash stock never goes below what is already sold (one conditional update).
     */
    async updateFlashSale(storeId: string, id: string, patch: FlashSalePatch): Promise<FlashSale> {
      const now = clock.now();
      const current = await get(storeId, id);
      const next: FlashSaleRow = { ...current, ...patch, limit_per_buyer: patch.limit_per_buyer === undefined ? current.limit_per_buyer : patch.limit_per_buyer, updated_at: now };
      if (next.status === 'active') {
        const sku = await skuOf(storeId, current.sku_id);
        // The units this sale already holds are out of the SKU's available stock: count them back.
        check(next, sku, patch.flash_stock === undefined ? Number.MAX_SAFE_INTEGER : sku.stock + current.sold, now);
        await assertNoOverlap(next);
      }
      return db.transaction(async (tx) => {
        const r = await repo.q(tx).updateTable('promotions_flash_sales')
          .set({ price_minor: next.price_minor, flash_stock: next.flash_stock, limit_per_buyer: next.limit_per_buyer, start_ms: next.start_ms, end_ms: next.end_ms, status: next.status, updated_at: now })
          .where('id', '=', id).where('sold', '<=', next.flash_stock).executeTakeFirst();
        if (Number(r.numUpdatedRows) !== 1) throw conflict('below_sold', 'flash stock cannot be lower than what is already sold', { flash_stock: next.flash_stock }).zh('活动库存不能低于已售数量');
        const row = await repo.q(tx).selectFrom('promotions_flash_sales').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
        await outbox.emit(tx, 'flash_sale.updated', id, { flash_sale_id: id, store_id: storeId, sku_id: row.sku_id, changed: Object.keys(patch) });
        return toFlashSale(row, now);
      });
    },
  };
}
