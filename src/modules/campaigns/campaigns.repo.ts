import { preparedIn, tables, type Db, type Executor } from '../../db/index.ts';
import type { Phase } from './phases.ts';

export interface CampaignRow {
  id: string; name: string; description: string; phase: Phase; status: 'active' | 'cancelled';
  registration_start_ms: number; review_start_ms: number; warmup_start_ms: number; selling_start_ms: number; selling_end_ms: number;
  rules: string; fee_rate_bp: number | null; balance_window_ms: number | null; threshold: string | null; threshold_promotion_id: string | null; sections: string;
  created_by: string | null; created_at: number; updated_at: number;
}
export type RegistrationStatus = 'pending' | 'approved' | 'rejected' | 'withdrawn';
export interface RegistrationRow {
  id: string; campaign_id: string; store_id: string; product_id: string; sku_id: string; category_id: string; title: string; image: string | null;
  price_minor: number; low_30d_minor: number; campaign_price_minor: number; campaign_stock: number; sold: number; limit_per_buyer: number | null; status: RegistrationStatus;
  review_note: string | null; reviewed_by: string | null; reviewed_at: number | null; created_by: string | null; created_at: number; updated_at: number;
}
/** `buyer_id` is set when the take counts against the buyer's limit at the campaign price. */
export interface StockTakeRow { id: string; checkout_id: string; registration_id: string; quantity: number; buyer_id: string | null; status: 'held' | 'released'; created_at: number }
export interface SaleRow {
  line_id: string; campaign_id: string; order_id: string; store_id: string; buyer_id: string; product_id: string; sku_id: string; category_id: string; title: string;
  quantity: number; goods_minor: number; paid_minor: number; platform_discount_minor: number; merchant_discount_minor: number; campaign_discount_minor: number;
  fee_rate_bp: number; fee_minor: number; paid_at: number; recorded_at: number;
  /** What payments has booked back on the line (in flight or done; a failed refund comes off again), the part after settlement, the whole units that covers. */
  refunded_minor: number; refunded_after_settlement_minor: number; refunded_units: number;
}
export interface ReservationOfferRow {
  id: string; campaign_id: string; name: string; coupon_template_id: string; budget: number; reserved: number; per_buyer_limit: number; terms: string; created_at: number;
}
export interface ReservationRow {
  id: string; offer_id: string; campaign_id: string; buyer_id: string; status: 'reserved' | 'issued'; coupon_id: string | null; created_at: number; issued_at: number | null;
}
export interface PresaleOfferRow {
  id: string; campaign_id: string; registration_id: string; store_id: string; product_id: string; sku_id: string; title: string; price_minor: number; deposit_minor: number;
  deposit_value_minor: number; stock: number; taken: number; per_buyer_limit: number; created_by: string | null; created_at: number; updated_at: number;
}
export type PresaleTakeStage = 'awaiting_deposit' | 'deposit_paid' | 'balance_paid' | 'forfeited' | 'refunded' | 'cancelled';
export interface PresaleTakeRow {
  id: string; checkout_id: string; order_id: string; campaign_id: string; offer_id: string; registration_id: string; buyer_id: string; quantity: number; deposit_minor: number;
  status: 'held' | 'released'; stage: PresaleTakeStage; created_at: number; updated_at: number;
}
export interface CampaignsTables {
  campaigns_campaigns: CampaignRow;
  campaigns_registrations: RegistrationRow;
  campaigns_stock_takes: StockTakeRow;
  campaigns_sales: SaleRow;
  campaigns_reservation_offers: ReservationOfferRow;
  campaigns_reservation_counts: { offer_id: string; buyer_id: string; reserved: number };
  campaigns_reservations: ReservationRow;
  campaigns_presale_offers: PresaleOfferRow;
  campaigns_presale_takes: PresaleTakeRow;
  campaigns_presale_counts: { offer_id: string; buyer_id: string; taken: number };
  campaigns_buyer_counts: { registration_id: string; buyer_id: string; taken: number };
}

/** A campaign-priced SKU on sale right now: what the pricer needs, in one prepared statement. */
export interface SellingSku {
  registration_id: string; campaign_id: string; store_id: string; campaign_price_minor: number; campaign_stock: number; sold: number;
  fee_rate_bp: number | null; selling_start_ms: number; selling_end_ms: number; limit_per_buyer: number | null;
}

/** The only code that touches campaigns_* tables. Checkout's statements are prepared once. */
export function createCampaignsRepo(db: Db) {
  const q = (ex: Executor = db.kysely) => tables<CampaignsTables>(ex);
  // The whole cart in one statement (a round trip per line costs on PostgreSQL).
  const sellingSkus = preparedIn<SellingSku & { sku_id: string }>(db,
    `select r.sku_id, r.id as registration_id, r.campaign_id, r.store_id, r.campaign_price_minor, r.campaign_stock, r.sold, r.limit_per_buyer, c.fee_rate_bp, c.selling_start_ms, c.selling_end_ms
     from campaigns_registrations r join campaigns_campaigns c on c.id = r.campaign_id
     where r.sku_id in (?*) and r.status = 'approved' and c.phase = 'selling' and c.status = 'active' order by r.sku_id, r.id`,
  );
  const takeStock = db.prepared(`update campaigns_registrations set sold = sold + ? where id = ? and status = 'approved' and sold + ? <= campaign_stock`);
  const returnStock = db.prepared('update campaigns_registrations set sold = sold - ? where id = ? and sold >= ?');
  const insertTake = db.prepared(`insert into campaigns_stock_takes (id, checkout_id, registration_id, quantity, buyer_id, status, created_at) values (?, ?, ?, ?, ?, 'held', ?)`);
  // The buyer's units at the campaign price: one conditional upsert (the first take inserts; later ones add while within the limit).
  const countBuyer = db.prepared(`insert into campaigns_buyer_counts (registration_id, buyer_id, taken) values (?, ?, ?)
    on conflict (registration_id, buyer_id) do update set taken = campaigns_buyer_counts.taken + excluded.taken where campaigns_buyer_counts.taken + excluded.taken <= ?`);
  const uncountBuyer = db.prepared('update campaigns_buyer_counts set taken = taken - ? where registration_id = ? and buyer_id = ? and taken >= ?');
  const buyerCounts = preparedIn<{ registration_id: string; taken: number }>(db, 'select registration_id, taken from campaigns_buyer_counts where buyer_id = ? and registration_id in (?*)');
  const heldTakes = db.prepared<StockTakeRow>(`select * from campaigns_stock_takes where checkout_id = ? and status = 'held' order by registration_id`);
  const releaseTake = db.prepared(`update campaigns_stock_takes set status = 'released' where id = ? and status = 'held'`);
  const heldPresaleTakes = db.prepared<PresaleTakeRow>(`select * from campaigns_presale_takes where checkout_id = ? and status = 'held'`);
  return {
    q,
    /** Each SKU's approved registration in a campaign that is selling now (the first registered, should there be several). */
    async sellingSkus(skuIds: readonly string[], ex: Executor = db.kysely): Promise<Map<string, SellingSku>> {
      const found = new Map<string, SellingSku>();
      for (const r of await sellingSkus(ex, [...new Set(skuIds)])) if (!found.has(r.sku_id)) found.set(r.sku_id, r);
      return found;
    },
    /** 1 when the units fit in what is left of the campaign stock. */
    takeStock: (tx: Executor, registrationId: string, qty: number) => takeStock.run(tx, [qty, registrationId, qty]),
    returnStock: (tx: Executor, registrationId: string, qty: number) => returnStock.run(tx, [qty, registrationId, qty]),
    insertTake: (tx: Executor, t: Omit<StockTakeRow, 'status'>) => insertTake.run(tx, [t.id, t.checkout_id, t.registration_id, t.quantity, t.buyer_id, t.created_at]),
    /** 1 when the buyer's units at the campaign price stay within the limit (the caller checks qty ≤ limit for a first take). */
    countBuyer: (tx: Executor, registrationId: string, buyerId: string, qty: number, limit: number) => countBuyer.run(tx, [registrationId, buyerId, qty, limit]),
    uncountBuyer: (tx: Executor, registrationId: string, buyerId: string, qty: number) => uncountBuyer.run(tx, [qty, registrationId, buyerId, qty]),
    /** A buyer's units at the campaign price, per registration (one statement for all of a cart's limited lines). */
    async buyerCounts(buyerId: string, registrationIds: readonly string[], ex: Executor = db.kysely): Promise<Map<string, number>> {
      const rows = await buyerCounts(ex, registrationIds, [buyerId]);
      return new Map(rows.map((r) => [r.registration_id, Number(r.taken)]));
    },
    heldTakes: (tx: Executor, checkoutId: string) => heldTakes.all(tx, [checkoutId]),
    releaseTake: (tx: Executor, id: string) => releaseTake.run(tx, [id]),
    /** Pre-sale units a deposit checkout holds (released on expiry, forfeit or cancel). */
    heldPresaleTakes: (tx: Executor, checkoutId: string) => heldPresaleTakes.all(tx, [checkoutId]),
    campaign: (id: string, ex: Executor = db.kysely) => q(ex).selectFrom('campaigns_campaigns').selectAll().where('id', '=', id).executeTakeFirst(),
  };
}
export type CampaignsRepo = ReturnType<typeof createCampaignsRepo>;
