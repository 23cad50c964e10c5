import { tables, type Db, type Executor } from '../../db/index.ts';

export interface OfferRow {
  id: string; store_id: string; product_id: string; category_id: string; title: string; image: string | null; price_minor: number; rate_bp: number;
  starts_at: number; ends_at: number | null; created_by: string | null; created_at: number; updated_at: number;
}
export interface RateRow {
  id: string; offer_id: string; creator_id: string; rate_bp: number; valid_from: number; valid_to: number | null;
}
export interface SelectionRow {
  id: string; creator_id: string; offer_id: string; product_id: string; store_id: string; selected_at: number; removed_at: number | null;
}
export type CommissionStatus = 'pending' | 'settled' | 'reversed' | 'none';
export type IneligibleReason = 'not_in_pool' | 'offer_inactive' | 'not_selected';
export interface CommissionRow {
  line_id: string; order_id: string; store_id: string; creator_id: string; product_id: string; offer_id: string | null; title: string; quantity: number;
  channel: string; content_id: string | null; paid_minor: number; refunded_minor: number; rate_bp: number; ineligible_reason: IneligibleReason | null;
  order_status: string; status: CommissionStatus; settled_commission_minor: number; reversed_commission_minor: number; paid_at: number; settled_at: number | null; updated_at: number;
}
export interface AffiliateTables {
  affiliate_offers: OfferRow;
  affiliate_rates: RateRow;
  affiliate_selections: SelectionRow;
  affiliate_commissions: CommissionRow;
}

/** bigint columns as numbers on both engines (the pg parser already does it; this keeps the types honest). */
const MONEY: (keyof CommissionRow)[] = ['paid_minor', 'refunded_minor', 'settled_commission_minor', 'reversed_commission_minor', 'paid_at', 'updated_at'];
export const numCommission = (r: CommissionRow): CommissionRow => {
  const out = { ...r } as Record<string, unknown>;
  for (const k of MONEY) out[k] = Number(r[k]);
  if (r.settled_at !== null) out.settled_at = Number(r.settled_at);
  return out as unknown as CommissionRow;
};
export const numOffer = (r: OfferRow): OfferRow => ({
  ...r, price_minor: Number(r.price_minor), starts_at: Number(r.starts_at), ends_at: r.ends_at === null ? null : Number(r.ends_at), created_at: Number(r.created_at), updated_at: Number(r.updated_at),
});

/** The only code that touches affiliate_* tables. */
export function createAffiliateRepo(db: Db) {
  const q = (ex: Executor = db.kysely) => tables<AffiliateTables>(ex);
  return {
    q,
    async offerByProduct(productId: string, ex?: Executor): Promise<OfferRow | undefined> {
      const r = await q(ex).selectFrom('affiliate_offers').selectAll().where('product_id', '=', productId).executeTakeFirst();
      return r && numOffer(r);
    },
    async offerById(id: string, ex?: Executor): Promise<OfferRow | undefined> {
      const r = await q(ex).selectFrom('affiliate_offers').selectAll().where('id', '=', id).executeTakeFirst();
      return r && numOffer(r);
    },
    /** Rates of an offer valid at some point at or after `since` (current ones have valid_to null). */
    async currentRates(offerIds: readonly string[], ex?: Executor): Promise<RateRow[]> {
      if (!offerIds.length) return [];
      return q(ex).selectFrom('affiliate_rates').selectAll().where('offer_id', 'in', offerIds).where('valid_to', 'is', null).execute();
    },
    async ratesAt(offerId: string, at: number, ex?: Executor): Promise<RateRow[]> {
      return q(ex).selectFrom('affiliate_rates').selectAll().where('offer_id', '=', offerId).where('valid_from', '<=', at)
        .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', at)])).execute();
    },
    async selectionAt(creatorId: string, productId: string, at: number, ex?: Executor): Promise<SelectionRow | undefined> {
      return q(ex).selectFrom('affiliate_selections').selectAll().where('creator_id', '=', creatorId).where('product_id', '=', productId).where('selected_at', '<=', at)
        .where((eb) => eb.or([eb('removed_at', 'is', null), eb('removed_at', '>', at)])).executeTakeFirst();
    },
    async activeSelection(creatorId: string, productId: string, ex?: Executor): Promise<SelectionRow | undefined> {
      return q(ex).selectFrom('affiliate_selections').selectAll().where('creator_id', '=', creatorId).where('product_id', '=', productId).where('removed_at', 'is', null).executeTakeFirst();
    },
    async commissionsOfOrder(orderId: string, ex?: Executor): Promise<CommissionRow[]> {
      return (await q(ex).selectFrom('affiliate_commissions').selectAll().where('order_id', '=', orderId).orderBy('line_id').execute()).map(numCommission);
    },
  };
}
export type AffiliateRepo = ReturnType<typeof createAffiliateRepo>;
