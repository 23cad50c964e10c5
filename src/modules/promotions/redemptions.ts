/**
 * What a checkout takes from promotions, in the checkout's own transaction, and gives back
 * when the checkout is cancelled or expires unpaid. Each take is one conditional statement:
 *   coupon      claimed → used       (`where status = 'claimed'`: used twice at once, one fails)
 *   flash sale  sold + n ≤ flash_stock, inside the window; and the buyer's count + n ≤ limit
 *   live price  sold + n ≤ live_stock, while the room is live; and the buyer's count + n ≤ limit
 * A failure throws, which rolls the whole checkout back (orders, stock, the other takes).
 * Every take is recorded per checkout, so the release gives back exactly what was taken, once.
 */
import type { Clock } from '../../lib/clock.ts';
import { conflict } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { Db, Executor } from '../../db/index.ts';
import type { PricingResult, Redemptions } from '../trade/index.ts';
import type { PromotionsRepo } from './promotions.repo.ts';

const INT_MAX = 2_147_483_647;
/** Hot rows first (flash, then live-room stock), coupons last; a stable order avoids lock cycles. */
const TAKE_ORDER: Record<string, number> = { flash_sale: 0, live_price: 1, coupon: 2 };

export function createRedemptions(deps: { db: Db; clock: Clock; repo: PromotionsRepo }): Redemptions {
  const { db, clock, repo } = deps;
  const flashLimit = db.prepared<{ limit_per_buyer: number | null }>('select limit_per_buyer from promotions_flash_sales where id = ?');
  const liveLimit = db.prepared<{ limit_per_buyer: number | null }>('select limit_per_buyer from promotions_live_prices where id = ?');

  async function takeFlash(tx: Executor, buyerId: string, flashId: string, qty: number, now: number): Promise<void> {
    if ((await repo.takeFlash(tx, flashId, qty, now)) !== 1) {
      throw conflict('flash_sale_sold_out', 'the flash sale sold out (or ended) while you were checking out; review the price again', { flash_sale_id: flashId }).zh('限时抢购已抢光或已结束，请重新确认价格');
    }
    // Read after the update, which holds the sale's row (PostgreSQL): the limit cannot move under us.
    const limit = (await flashLimit.first(tx, [flashId]))?.limit_per_buyer ?? null;
    // Counted even without a limit, so a later limit (and the buyer's history) sees these units.
    const within = (limit === null || qty <= limit) && (await repo.countFlashBuyer(tx, flashId, buyerId, qty, limit ?? INT_MAX)) === 1;
    if (!within) throw conflict('flash_sale_limit', `at most ${limit} per buyer at the flash-sale price`, { flash_sale_id: flashId, limit_per_buyer: limit }).zh(`限时抢购每人限购${limit}件`);
  }

  /** Live-room stock: one conditional update that also re-checks the room is live now; then the buyer's count. */
  async function takeLive(tx: Executor, buyerId: string, liveId: string, qty: number, now: number): Promise<void> {
    if ((await repo.takeLive(tx, liveId, qty, now)) !== 1) {
      throw conflict('live_price_sold_out', 'the live price sold out (or the room stopped being live) while you were checking out; review the price again', { live_price_id: liveId }).zh('直播专享价已抢光或直播已结束，请重新确认价格');
    }
    const limit = (await liveLimit.first(tx, [liveId]))?.limit_per_buyer ?? null;
    const within = (limit === null || qty <= limit) && (await repo.countLiveBuyer(tx, liveId, buyerId, qty, limit ?? INT_MAX)) === 1;
    if (!within) throw conflict('live_price_limit', `at most ${limit} per buyer at the live price`, { live_price_id: liveId, limit_per_buyer: limit }).zh(`直播专享价每人限购${limit}件`);
  }

  return {
    async redeem(tx: Executor, buyerId: string, checkoutId: string, pricing: PricingResult): Promise<void> {
      const now = clock.now();
      // Flash sales first, in id order (the hot rows; a stable order keeps PostgreSQL free of lock cycles).
      const takes = [...(pricing.redemptions ?? [])].sort((a, b) => (a.kind === b.kind ? (a.ref_id < b.ref_id ? -1 : 1) : (TAKE_ORDER[a.kind] ?? 9) - (TAKE_ORDER[b.kind] ?? 9)));
      for (const r of takes) {
        if (r.kind === 'coupon') {
          if ((await repo.useCoupon(tx, r.ref_id, buyerId, checkoutId, now)) !== 1) {
            throw conflict('coupon_unavailable', 'this coupon was just used for another order', { coupon_id: r.ref_id }).zh('优惠券已被其他订单使用，请重新选择');
          }
        } else if (r.kind === 'flash_sale') {
          await takeFlash(tx, buyerId, r.ref_id, r.quantity, now);
        } else if (r.kind === 'live_price') {
          await takeLive(tx, buyerId, r.ref_id, r.quantity, now);
        } else {
          throw new Error(`promotions: unknown redemption kind ${r.kind}`);
        }
        await repo.insertRedemption(tx, { id: newId('rdm'), checkout_id: checkoutId, buyer_id: buyerId, kind: r.kind as 'coupon' | 'flash_sale' | 'live_price', ref_id: r.ref_id, quantity: r.quantity, created_at: now });
      }
    },

    async release(tx: Executor, checkoutId: string): Promise<void> {
      const now = clock.now();
      for (const r of await repo.heldOf(tx, checkoutId)) {
        if ((await repo.releaseOne(tx, r.id, now)) !== 1) continue; // released already
        if (r.kind === 'coupon') {
          await repo.unuseCoupon(tx, r.ref_id, checkoutId);
        } else if (r.kind === 'live_price') {
          await repo.returnLive(tx, r.ref_id, r.quantity);
          await repo.returnLiveBuyer(tx, r.ref_id, r.buyer_id, r.quantity);
        } else {
          await repo.returnFlash(tx, r.ref_id, r.quantity);
          await repo.returnFlashBuyer(tx, r.ref_id, r.buyer_id, r.quantity);
        }
      }
    },
  };
}
