import type { Clock } from '../../lib/clock.ts';
import { conflict, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { Db, Executor } from '../../db/index.ts';
import type { Outbox } from '../../db/outbox.ts';
import type { FlashSkuFacts, FlashSkuLookup } from './flash-sales.service.ts';
import { invalidOffer } from './offer-checks.ts';
import { livePriceProblems, type PricingPolicy } from './pricing/index.ts';
import type { LivePriceRow, PromotionsRepo } from './promotions.repo.ts';

export interface LivePriceInput {
  room_id: string;
  /** The store whose SKU it is; the caller has checked the actor may price for that store. */
  store_id: string;
  sku_id: string;
  price_minor: number;
  live_stock: number;
  limit_per_buyer?: number | null;
  /** When the room went live (null: not yet): the price is valid from then until the room ends. */
  live_since_ms: number | null;
}

export type LivePrice = Omit<LivePriceRow, 'created_by'> & { stock_left: number };
const view = ({ created_by: _by, ...r }: LivePriceRow): LivePrice => ({ ...r, stock_left: Math.max(0, r.live_stock - r.sold) });

/**
 * Live-room prices (直播专享价): one price and its own stock per SKU per room, checked like a
 * flash sale (below the original price, at least min_price_bp of it, stock ≤ the SKU's), valid
 * only during the room's live period and only for orders attributed to the room (see pricer.ts).
 * The live module opens the period when the room starts and closes it when it ends, in its own
 * transaction (`openLivePrices` / `closeLivePrices`). Events: `live_price.updated`.
 */
export function createLivePrices(deps: { db: Db; clock: Clock; outbox: Outbox; repo: PromotionsRepo; policy: PricingPolicy; sku: FlashSkuLookup }) {
  const { db, clock, outbox, repo, policy } = deps;

  async function skuOf(storeId: string, skuId: string): Promise<FlashSkuFacts> {
    const s = await deps.sku(skuId);
    if (!s || s.store_id !== storeId) throw notFound('sku', skuId);
    return s;
  }

  return {
    /** Sets (or changes) a SKU's live price in a room; live stock never drops below what is sold. */
    async setLivePrice(input: LivePriceInput, actorId: string | null): Promise<LivePrice> {
      const now = clock.now();
      const sku = await skuOf(input.store_id, input.sku_id);
      const current = await repo.q().selectFrom('promotions_live_prices').selectAll().where('room_id', '=', input.room_id).where('sku_id', '=', input.sku_id).executeTakeFirst();
      // Units this price already sold are out of the SKU's available stock: count them back.
      const problems = livePriceProblems(input, { price_minor: sku.price_minor, stock: sku.stock + (current?.sold ?? 0) }, policy.flash_sale);
      if (problems.length) throw invalidOffer('invalid_live_price', problems);
      return db.transaction(async (tx) => {
        if (current) {
          const r = await repo.q(tx).updateTable('promotions_live_prices')
            .set({ price_minor: input.price_minor, live_stock: input.live_stock, limit_per_buyer: input.limit_per_buyer ?? null, status: 'active', updated_at: now })
            .where('id', '=', current.id).where('sold', '<=', input.live_stock).executeTakeFirst();
          if (Number(r.numUpdatedRows) !== 1) throw conflict('below_sold', 'live stock cannot be lower than what is already sold', { live_stock: input.live_stock }).zh('直播库存不能低于已售数量');
        } else {
          await repo.q(tx).insertInto('promotions_live_prices').values({
            id: newId('lvp'), room_id: input.room_id, store_id: input.store_id, product_id: sku.product_id, sku_id: sku.sku_id, price_minor: input.price_minor, live_stock: input.live_stock,
            sold: 0, limit_per_buyer: input.limit_per_buyer ?? null, live_from_ms: input.live_since_ms, live_to_ms: null, status: 'active', created_by: actorId, created_at: now, updated_at: now,
          }).execute();
        }
        const row = await repo.q(tx).selectFrom('promotions_live_prices').selectAll().where('room_id', '=', input.room_id).where('sku_id', '=', input.sku_id).executeTakeFirstOrThrow();
        await outbox.emit(tx, 'live_price.updated', row.id, { live_price_id: row.id, room_id: row.room_id, store_id: row.store_id, product_id: row.product_id, sku_id: row.sku_id, price_minor: row.price_minor, status: row.status });
        return view(row);
      });
    },

    /** Stops a SKU's live price (or all of a product's, removed from the shelf); idempotent. */
    async stopLivePrices(tx: Executor, roomId: string, filter: { sku_id?: string; product_id?: string }): Promise<number> {
      let q = repo.q(tx).updateTable('promotions_live_prices').set({ status: 'stopped', updated_at: clock.now() }).where('room_id', '=', roomId).where('status', '=', 'active');
      if (filter.sku_id) q = q.where('sku_id', '=', filter.sku_id);
      if (filter.product_id) q = q.where('product_id', '=', filter.product_id);
      return Number((await q.executeTakeFirst()).numUpdatedRows);
    },

    async livePricesOfRoom(roomId: string, ex?: Executor): Promise<LivePrice[]> {
      return (await repo.q(ex).selectFrom('promotions_live_prices').selectAll().where('room_id', '=', roomId).orderBy('id').execute()).map(view);
    },

    /**
     * Makes one of the store's coupon templates a live room's coupon (直播间专享券): from then on
     * it is claimed only through the room (`claimCoupon(…, { live_room_id })`) and no longer
     * listed in the store's coupons. A template belongs to at most one room.
     */
    async scopeCouponToRoom(storeId: string, templateId: string, roomId: string): Promise<void> {
      const r = await repo.q().updateTable('promotions_coupon_templates').set({ live_room_id: roomId, updated_at: clock.now() })
        .where('id', '=', templateId).where('store_id', '=', storeId).where((eb) => eb.or([eb('live_room_id', 'is', null), eb('live_room_id', '=', roomId)])).executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) throw notFound('coupon_template', templateId);
    },

    /** The room went live at `at`: its prices are valid from then (the room's transaction). */
    async openLivePrices(tx: Executor, roomId: string, at: number): Promise<void> {
      await repo.q(tx).updateTable('promotions_live_prices').set({ live_from_ms: at, live_to_ms: null, updated_at: at }).where('room_id', '=', roomId).execute();
    },

    /** The room ended at `at`: no order is priced or taken at a live price after that. */
    async closeLivePrices(tx: Executor, roomId: string, at: number): Promise<void> {
      await repo.q(tx).updateTable('promotions_live_prices').set({ live_to_ms: at, updated_at: at }).where('room_id', '=', roomId).where('live_to_ms', 'is', null).execute();
    },
  };
}
