import { preparedIn, tables, type Db, type Executor } from '../../db/index.ts';

export type Scope = 'store' | 'platform';
export type OfferStatus = 'active' | 'stopped';

export interface CouponTemplateRow {
  id: string; scope: Scope; store_id: string | null; name: string; kind: 'fixed' | 'threshold' | 'percent'; off_minor: number | null; threshold_minor: number | null;
  pay_rate_bp: number | null; cap_minor: number | null; applies_to: string; funder: 'platform' | 'merchant' | 'shared'; platform_share_bp: number | null;
  stacking_group: string | null; stacks_with: string | null; campaign_id: string | null; valid_from_ms: number; valid_to_ms: number; valid_days: number | null;
  claim_from_ms: number; claim_to_ms: number; total_quantity: number; claimed: number; per_buyer_limit: number; status: OfferStatus; created_by: string | null;
  created_at: number; updated_at: number;
  /** Set when the template is a live room's coupon: claimed only in that room while it is live. */
  live_room_id?: string | null;
}
export interface CouponRow {
  id: string; template_id: string; buyer_id: string; status: 'claimed' | 'used'; valid_from_ms: number; valid_to_ms: number; claimed_at: number; used_at: number | null;
  used_checkout_id: string | null;
}
export interface ThresholdRow {
  id: string; scope: Scope; store_id: string | null; name: string; rule: string; applies_to: string; funder: 'platform' | 'merchant' | 'shared'; platform_share_bp: number | null;
  stacking_group: string | null; stacks_with: string | null; campaign_id: string | null; valid_from_ms: number; valid_to_ms: number; status: OfferStatus; created_by: string | null;
  created_at: number; updated_at: number;
}
export interface FlashSaleRow {
  id: string; store_id: string; product_id: string; sku_id: string; price_minor: number; flash_stock: number; sold: number; limit_per_buyer: number | null;
  start_ms: number; end_ms: number; status: OfferStatus; created_by: string | null; created_at: number; updated_at: number;
}
export interface LivePriceRow {
  id: string; room_id: string; store_id: string; product_id: string; sku_id: string; price_minor: number; live_stock: number; sold: number; limit_per_buyer: number | null;
  live_from_ms: number | null; live_to_ms: number | null; status: OfferStatus; created_by: string | null; created_at: number; updated_at: number;
}
export interface RedemptionRow {
  id: string; checkout_id: string; buyer_id: string; kind: 'coupon' | 'flash_sale' | 'live_price'; ref_id: string; quantity: number; status: 'held' | 'released'; created_at: number; released_at: number | null;
}
export interface PromotionsTables {
  promotions_coupon_templates: CouponTemplateRow;
  promotions_coupon_claims: { template_id: string; buyer_id: string; claimed: number };
  promotions_coupons: CouponRow;
  promotions_thresholds: ThresholdRow;
  promotions_flash_sales: FlashSaleRow;
  promotions_flash_buyers: { flash_sale_id: string; buyer_id: string; quantity: number };
  promotions_redemptions: RedemptionRow;
  promotions_live_prices: LivePriceRow;
  promotions_live_buyers: { live_price_id: string; buyer_id: string; quantity: number };
}

/**
 * The only code that touches promotions_* tables. Every budget, limit and stock change is ONE
 * conditional statement (the WHERE re-checks the bound), so no engine's locking is relied on;
 * the statements on the claim and checkout paths are prepared once.
 */
export function createPromotionsRepo(db: Db) {
  const q = (ex: Executor = db.kysely) => tables<PromotionsTables>(ex);
  const stmt = {
    // claim
    takeBudget: db.prepared(`update promotions_coupon_templates set claimed = claimed + 1
      where id = ? and status = 'active' and claimed < total_quantity and claim_from_ms <= ? and claim_to_ms > ?`),
    countClaim: db.prepared(`insert into promotions_coupon_claims (template_id, buyer_id, claimed) values (?, ?, 1)
      on conflict (template_id, buyer_id) do update set claimed = promotions_coupon_claims.claimed + 1 where promotions_coupon_claims.claimed < ?`),
    insertCoupon: db.prepared('insert into promotions_coupons (id, template_id, buyer_id, status, valid_from_ms, valid_to_ms, claimed_at) values (?, ?, ?, \'claimed\', ?, ?, ?)'),
    // checkout
    useCoupon: db.prepared(`update promotions_coupons set status = 'used', used_at = ?, used_checkout_id = ? where id = ? and buyer_id = ? and status = 'claimed'`),
    takeFlash: db.prepared(`update promotions_flash_sales set sold = sold + ?
      where id = ? and status = 'active' and sold + ? <= flash_stock and start_ms <= ? and end_ms > ?`),
    countFlashBuyer: db.prepared(`insert into promotions_flash_buyers (flash_sale_id, buyer_id, quantity) values (?, ?, ?)
      on conflict (flash_sale_id, buyer_id) do update set quantity = promotions_flash_buyers.quantity + excluded.quantity
      where promotions_flash_buyers.quantity + excluded.quantity <= ?`),
    // live-room prices: valid only inside the room's live period (set when it starts and ends)
    takeLive: db.prepared(`update promotions_live_prices set sold = sold + ?
      where id = ? and status = 'active' and sold + ? <= live_stock and live_from_ms <= ? and (live_to_ms is null or live_to_ms > ?)`),
    countLiveBuyer: db.prepared(`insert into promotions_live_buyers (live_price_id, buyer_id, quantity) values (?, ?, ?)
      on conflict (live_price_id, buyer_id) do update set quantity = promotions_live_buyers.quantity + excluded.quantity
      where promotions_live_buyers.quantity + excluded.quantity <= ?`),
    returnLive: db.prepared('update promotions_live_prices set sold = sold - ? where id = ? and sold >= ?'),
    returnLiveBuyer: db.prepared('update promotions_live_buyers set quantity = quantity - ? where live_price_id = ? and buyer_id = ? and quantity >= ?'),
    liveOfSku: db.prepared<LivePriceRow>(`select * from promotions_live_prices where room_id = ? and sku_id = ? and status = 'active'`),
    liveBought: db.prepared<{ quantity: number }>('select quantity from promotions_live_buyers where live_price_id = ? and buyer_id = ?'),
    insertRedemption: db.prepared('insert into promotions_redemptions (id, checkout_id, buyer_id, kind, ref_id, quantity, status, created_at) values (?, ?, ?, ?, ?, ?, \'held\', ?)'),
    // cancel
    heldOf: db.prepared<RedemptionRow>('select * from promotions_redemptions where checkout_id = ? and status = \'held\' order by id'),
    releaseOne: db.prepared('update promotions_redemptions set status = \'released\', released_at = ? where id = ? and status = \'held\''),
    unuseCoupon: db.prepared(`update promotions_coupons set status = 'claimed', used_at = null, used_checkout_id = null where id = ? and status = 'used' and used_checkout_id = ?`),
    returnFlash: db.prepared('update promotions_flash_sales set sold = sold - ? where id = ? and sold >= ?'),
    returnFlashBuyer: db.prepared('update promotions_flash_buyers set quantity = quantity - ? where flash_sale_id = ? and buyer_id = ? and quantity >= ?'),
    // pricing reads
    flashBought: db.prepared<{ quantity: number }>('select quantity from promotions_flash_buyers where flash_sale_id = ? and buyer_id = ?'),
  };
  // Pricing reads take the whole cart in one statement each (a round trip per line costs on PostgreSQL).
  const flashOfSkus = preparedIn<FlashSaleRow>(db, `select * from promotions_flash_sales where sku_id in (?*) and status = 'active' and start_ms <= ? and end_ms > ? order by sku_id, start_ms, id`);
  const thresholdsOf = preparedIn<ThresholdRow>(db, `select * from promotions_thresholds where scope = 'platform' and status = 'active' and valid_from_ms <= ? and valid_to_ms > ?
    union all select * from promotions_thresholds where store_id in (?*) and status = 'active' and valid_from_ms <= ? and valid_to_ms > ?`);
  return {
    q,
    /** Budget first: 1 when a coupon of the template was still left and claimable now. */
    takeBudget: (tx: Executor, templateId: string, now: number) => stmt.takeBudget.run(tx, [templateId, now, now]),
    /** 1 when the buyer's count stayed within the limit (the row is created on the first claim). */
    countClaim: (tx: Executor, templateId: string, buyerId: string, limit: number) => stmt.countClaim.run(tx, [templateId, buyerId, limit]),
    insertCoupon: (tx: Executor, c: Pick<CouponRow, 'id' | 'template_id' | 'buyer_id' | 'valid_from_ms' | 'valid_to_ms' | 'claimed_at'>) =>
      stmt.insertCoupon.run(tx, [c.id, c.template_id, c.buyer_id, c.valid_from_ms, c.valid_to_ms, c.claimed_at]),
    useCoupon: (tx: Executor, couponId: string, buyerId: string, checkoutId: string, now: number) => stmt.useCoupon.run(tx, [now, checkoutId, couponId, buyerId]),
    takeFlash: (tx: Executor, flashId: string, qty: number, now: number) => stmt.takeFlash.run(tx, [qty, flashId, qty, now, now]),
    countFlashBuyer: (tx: Executor, flashId: string, buyerId: string, qty: number, limit: number) => stmt.countFlashBuyer.run(tx, [flashId, buyerId, qty, limit]),
    insertRedemption: (tx: Executor, r: Pick<RedemptionRow, 'id' | 'checkout_id' | 'buyer_id' | 'kind' | 'ref_id' | 'quantity' | 'created_at'>) =>
      stmt.insertRedemption.run(tx, [r.id, r.checkout_id, r.buyer_id, r.kind, r.ref_id, r.quantity, r.created_at]),
    heldOf: (tx: Executor, checkoutId: string) => stmt.heldOf.all(tx, [checkoutId]),
    releaseOne: (tx: Executor, id: string, now: number) => stmt.releaseOne.run(tx, [now, id]),
    unuseCoupon: (tx: Executor, couponId: string, checkoutId: string) => stmt.unuseCoupon.run(tx, [couponId, checkoutId]),
    returnFlash: (tx: Executor, flashId: string, qty: number) => stmt.returnFlash.run(tx, [qty, flashId, qty]),
    returnFlashBuyer: (tx: Executor, flashId: string, buyerId: string, qty: number) => stmt.returnFlashBuyer.run(tx, [qty, flashId, buyerId, qty]),
    takeLive: (tx: Executor, id: string, qty: number, now: number) => stmt.takeLive.run(tx, [qty, id, qty, now, now]),
    countLiveBuyer: (tx: Executor, id: string, buyerId: string, qty: number, limit: number) => stmt.countLiveBuyer.run(tx, [id, buyerId, qty, limit]),
    returnLive: (tx: Executor, id: string, qty: number) => stmt.returnLive.run(tx, [qty, id, qty]),
    returnLiveBuyer: (tx: Executor, id: string, buyerId: string, qty: number) => stmt.returnLiveBuyer.run(tx, [qty, id, buyerId, qty]),
    /** The room's active live price of a SKU (whether or not the room is live now). */
    liveOfSku: (roomId: string, skuId: string, ex: Executor = db.kysely) => stmt.liveOfSku.first(ex, [roomId, skuId]),
    liveBought: async (id: string, buyerId: string, ex: Executor = db.kysely) => (await stmt.liveBought.first(ex, [id, buyerId]))?.quantity ?? 0,
    /** The flash sale in effect now for each of these SKUs (the earliest-starting one when several overlap). */
    async flashOfSkus(skuIds: readonly string[], now: number, ex: Executor = db.kysely): Promise<Map<string, FlashSaleRow>> {
      const found = new Map<string, FlashSaleRow>();
      for (const f of await flashOfSkus(ex, [...new Set(skuIds)], [], [now, now])) if (!found.has(f.sku_id)) found.set(f.sku_id, f);
      return found;
    },
    /** 满减 in effect now: the platform's (by id), then each of these stores' (by id), in the stores' order. */
    async thresholdsInEffect(storeIds: readonly string[], now: number, ex: Executor = db.kysely): Promise<ThresholdRow[]> {
      const unique = [...new Set(storeIds)];
      const rows = unique.length
        ? await thresholdsOf(ex, unique, [now, now], [now, now])
        : await thresholdsOf(ex, [''], [now, now], [now, now]); // no store: the platform's alone
      const byId = new Map(rows.map((r) => [r.id, r]));
      const rank = new Map(unique.map((id, i) => [id, i]));
      const order = (r: ThresholdRow) => (r.scope === 'platform' ? -1 : rank.get(r.store_id ?? '') ?? unique.length);
      return [...byId.values()].sort((a, b) => order(a) - order(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    },
    flashBought: async (flashId: string, buyerId: string, ex: Executor = db.kysely) => (await stmt.flashBought.first(ex, [flashId, buyerId]))?.quantity ?? 0,
  };
}
export type PromotionsRepo = ReturnType<typeof createPromotionsRepo>;
