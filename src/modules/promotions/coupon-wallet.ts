import type { Clock } from '../../lib/clock.ts';
import { DAY_MS } from '../../lib/clock.ts';
import { notFound, rule } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { clampLimit, decodeCursor, toPage, type Page } from '../../lib/page.ts';
import type { Db, Executor } from '../../db/index.ts';
import type { Outbox } from '../../db/outbox.ts';
import type { ProductLookup } from './offer-checks.ts';
import { admits, toTemplate, toWalletCoupon, type CouponTemplate, type WalletCoupon, type WalletState } from './offer-rows.ts';
import type { CouponTemplateRow, PromotionsRepo } from './promotions.repo.ts';

export interface ClaimableCoupon extends CouponTemplate {
  /** How many of this template the asking buyer already holds (0 when signed out). */
  claimed_by_me: number;
  can_claim: boolean;
}

const AVAILABLE_MAX = 50;

/** Buyers claim coupons into their wallet (领券) and see them by state. */
export function createCouponWallet(deps: { db: Db; clock: Clock; outbox: Outbox; repo: PromotionsRepo; products: ProductLookup }) {
  const { db, clock, outbox, repo } = deps;

  /** Why a claim that did not get a coupon failed, read inside the same transaction. */
  function whyNot(t: CouponTemplateRow, now: number) {
    if (t.status !== 'active') return rule('coupon_not_claimable', 'this coupon is no longer being given out', { template_id: t.id }).zh('该优惠券已停止发放');
    if (now < t.claim_from_ms) return rule('claim_not_started', 'claiming has not started yet', { template_id: t.id, claim_from_ms: t.claim_from_ms }).zh('尚未开始领取');
    if (now >= t.claim_to_ms) return rule('claim_ended', 'claiming has ended', { template_id: t.id }).zh('领取已结束');
    return rule('coupon_sold_out', 'all of these coupons have been claimed', { template_id: t.id, total_quantity: t.total_quantity }).zh('优惠券已领完');
  }

  return {
    /**
     * One coupon into the buyer's wallet. The per-buyer count and the budget each move by one
     * conditional statement in one transaction, so neither is ever exceeded, however many
     * buyers claim at once; a failure of the second rolls back the first.
     */
    async claimCoupon(buyerId: string, templateId: string, opts: { live_room_id?: string } = {}): Promise<WalletCoupon> {
      const now = clock.now();
      return db.transaction(async (tx) => {
        const t = await repo.q(tx).selectFrom('promotions_coupon_templates').selectAll().where('id', '=', templateId).executeTakeFirst();
        if (!t) throw notFound('coupon_template', templateId);
        // A live room's coupon is claimed through the room (module live checks it is live now).
        if ((t.live_room_id ?? null) !== (opts.live_room_id ?? null)) {
          throw rule('live_room_coupon', 'this coupon can only be claimed in its live room while it is live', { template_id: t.id, live_room_id: t.live_room_id ?? null }).zh('该券仅限直播间直播时领取');
        }
        if ((await repo.countClaim(tx, t.id, buyerId, t.per_buyer_limit)) !== 1) {
          throw rule('claim_limit_reached', `at most ${t.per_buyer_limit} per buyer`, { template_id: t.id, per_buyer_limit: t.per_buyer_limit }).zh(`每人限领${t.per_buyer_limit}张`);
        }
        if ((await repo.takeBudget(tx, t.id, now)) !== 1) {
          const fresh = await repo.q(tx).selectFrom('promotions_coupon_templates').selectAll().where('id', '=', templateId).executeTakeFirstOrThrow();
          throw whyNot(fresh, now);
        }
        const valid_from_ms = t.valid_days ? Math.max(now, t.valid_from_ms) : t.valid_from_ms;
        const valid_to_ms = t.valid_days ? Math.min(t.valid_to_ms, valid_from_ms + t.valid_days * DAY_MS) : t.valid_to_ms;
        const coupon = { id: newId('cpn'), template_id: t.id, buyer_id: buyerId, valid_from_ms, valid_to_ms, claimed_at: now };
        await repo.insertCoupon(tx, coupon);
        await outbox.emit(tx, 'coupon.claimed', coupon.id, { coupon_id: coupon.id, template_id: t.id, buyer_id: buyerId, scope: t.scope, store_id: t.store_id, campaign_id: t.campaign_id });
        return toWalletCoupon({ ...coupon, status: 'claimed', used_at: null, used_checkout_id: null }, t, now);
      });
    },

    /**
     * A coupon granted outside claiming, in the caller's transaction (campaign reservations
     * 预约领券 issued at selling start): counts against the budget and the per-buyer limit like a
     * claim (the same conditional statements) but ignores the claim window and a stopped template.
     */
    async grantCoupon(tx: Executor, buyerId: string, templateId: string): Promise<WalletCoupon> {
      const now = clock.now();
      const t = await repo.q(tx).selectFrom('promotions_coupon_templates').selectAll().where('id', '=', templateId).executeTakeFirst();
      if (!t) throw notFound('coupon_template', templateId);
      if ((await repo.countClaim(tx, t.id, buyerId, t.per_buyer_limit)) !== 1) {
        throw rule('claim_limit_reached', `at most ${t.per_buyer_limit} per buyer`, { template_id: t.id, per_buyer_limit: t.per_buyer_limit }).zh(`每人限领${t.per_buyer_limit}张`);
      }
      const taken = await repo.q(tx).updateTable('promotions_coupon_templates').set((eb) => ({ claimed: eb('claimed', '+', 1) }))
        .where('id', '=', t.id).whereRef('claimed', '<', 'total_quantity').executeTakeFirst();
      if (Number(taken.numUpdatedRows) !== 1) throw rule('coupon_sold_out', 'all of these coupons have been given out', { template_id: t.id }).zh('优惠券已发完');
      const coupon = { id: newId('cpn'), template_id: t.id, buyer_id: buyerId, valid_from_ms: Math.max(now, t.valid_from_ms), valid_to_ms: t.valid_to_ms, claimed_at: now };
      await repo.insertCoupon(tx, coupon);
      await outbox.emit(tx, 'coupon.claimed', coupon.id, { coupon_id: coupon.id, template_id: t.id, buyer_id: buyerId, scope: t.scope, store_id: t.store_id, campaign_id: t.campaign_id });
      return toWalletCoupon({ ...coupon, status: 'claimed', used_at: null, used_checkout_id: null }, t, now);
    },

    /** The buyer's wallet: usable (not expired, not used), used, or expired; newest first. */
    async listWallet(buyerId: string, opts: { state?: WalletState; store_id?: string; limit?: number; cursor?: string }): Promise<Page<WalletCoupon>> {
      const now = clock.now();
      const limit = clampLimit(opts.limit);
      const after = decodeCursor(opts.cursor);
      let q = repo.q().selectFrom('promotions_coupons as c').innerJoin('promotions_coupon_templates as t', 't.id', 'c.template_id')
        .selectAll('c').where('c.buyer_id', '=', buyerId).orderBy('c.id', 'desc').limit(limit + 1);
      if (opts.state === 'used') q = q.where('c.status', '=', 'used');
      if (opts.state === 'usable') q = q.where('c.status', '=', 'claimed').where('c.valid_to_ms', '>', now);
      if (opts.state === 'expired') q = q.where('c.status', '=', 'claimed').where('c.valid_to_ms', '<=', now);
      if (opts.store_id) q = q.where((eb) => eb.or([eb('t.store_id', '=', opts.store_id!), eb('t.scope', '=', 'platform')]));
      if (after !== undefined) q = q.where('c.id', '<', String(after));
      const rows = await q.execute();
      const templates = await templatesById([...new Set(rows.map((r) => r.template_id))]);
      return toPage(rows.map((c) => toWalletCoupon(c, templates.get(c.template_id)!, now)), limit, (c) => c.id);
    },

    /**
     * Coupons a buyer can claim right now: for a product (the store's and the platform's that
     * apply to it), for a store, or — with neither — the platform's (领券中心).
     */
    async availableCoupons(filter: { product_id?: string; store_id?: string }, buyerId: string | null): Promise<ClaimableCoupon[]> {
      const now = clock.now();
      let storeId = filter.store_id;
      let product: { store_id: string; category_id: string; product_id: string } | undefined;
      if (filter.product_id) {
        product = (await deps.products([filter.product_id])).get(filter.product_id);
        if (!product) throw notFound('product', filter.product_id);
        storeId = product.store_id;
      }
      let q = repo.q().selectFrom('promotions_coupon_templates').selectAll().where('status', '=', 'active').where('live_room_id', 'is', null).where('claim_from_ms', '<=', now).where('claim_to_ms', '>', now)
        .whereRef('claimed', '<', 'total_quantity').orderBy('id').limit(AVAILABLE_MAX * 4);
      q = storeId ? q.where((eb) => eb.or([eb('store_id', '=', storeId!), eb('scope', '=', 'platform')])) : q.where('scope', '=', 'platform');
      const rows = (await q.execute()).filter((t) => {
        const a = JSON.parse(t.applies_to);
        if (product) return admits(a, product);
        return !storeId || admits({ store_ids: a.store_ids }, { store_id: storeId, category_id: '', product_id: '' });
      }).slice(0, AVAILABLE_MAX);
      const mine = new Map<string, number>();
      if (buyerId && rows.length) {
        const claims = await repo.q().selectFrom('promotions_coupon_claims').selectAll().where('buyer_id', '=', buyerId).where('template_id', 'in', rows.map((r) => r.id)).execute();
        for (const c of claims) mine.set(c.template_id, c.claimed);
      }
      return rows.map((r) => {
        const n = mine.get(r.id) ?? 0;
        return { ...toTemplate(r), claimed_by_me: n, can_claim: n < r.per_buyer_limit };
      });
    },
  };

  async function templatesById(ids: string[]): Promise<Map<string, CouponTemplateRow>> {
    if (!ids.length) return new Map();
    const rows = await repo.q().selectFrom('promotions_coupon_templates').selectAll().where('id', 'in', ids).execute();
    return new Map(rows.map((r) => [r.id, r]));
  }
}
