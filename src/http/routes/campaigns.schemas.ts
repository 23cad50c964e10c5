import { Type, type TSchema } from 'typebox';
import { toIso } from '../../lib/clock.ts';
import type { Campaign, CampaignReport, Rankings, Registration, ReservationOffer, VenueItem, VenueSection } from '../../modules/campaigns/index.ts';
import { MoneyMinor, NullableTimestamp, Timestamp } from '../schemas.ts';
import { ThresholdRule } from './promotions.schemas.ts';

/** Request/response schemas and presenters for campaigns (times are ISO-8601 at the edge). */
const Nullable = <T extends TSchema>(s: T) => Type.Union([s, Type.Null()]);
const Ids = (prefix: string, max = 200) => Type.Array(Type.String({ pattern: `^${prefix}_`, maxLength: 40 }), { maxItems: max });
const Phase = Type.Union([Type.Literal('scheduled'), Type.Literal('registration'), Type.Literal('review'), Type.Literal('warmup'), Type.Literal('selling'), Type.Literal('ended')]);
const iso = (ms: number) => toIso(ms)!;

export const Rules = Type.Object({
  store_types: Type.Optional(Type.Array(Type.Union([Type.Literal('individual'), Type.Literal('enterprise')]), { maxItems: 2 })),
  min_store_score: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
  category_ids: Type.Optional(Ids('cat')),
  min_discount_bp: Type.Optional(Type.Integer({ minimum: 0, maximum: 9999, description: 'campaign price at least this far below the 30-day low (500 = 5%)' })),
  min_stock: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000_000 })),
}, { additionalProperties: false });
const Threshold = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  rule: ThresholdRule,
  funder: Type.Optional(Type.Union([Type.Literal('platform'), Type.Literal('merchant'), Type.Literal('shared')])),
  platform_share_bp: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000 })),
  stacks_with: Type.Optional(Type.Array(Type.String({ pattern: '^[a-z0-9_*]{1,40}$' }), { maxItems: 10, description: "e.g. ['store_coupon'] to stack with store coupons; default ['*']" })),
}, { additionalProperties: false });
const Section = Type.Object({
  key: Type.String({ pattern: '^[a-z0-9_-]{1,40}$' }),
  title: Type.String({ minLength: 1, maxLength: 40 }),
  kind: Type.Union([Type.Literal('category'), Type.Literal('theme')]),
  category_ids: Type.Optional(Ids('cat')),
  product_ids: Type.Optional(Ids('prd')),
}, { additionalProperties: false });
const times = {
  registration_start: Timestamp, review_start: Timestamp, warmup_start: Timestamp, selling_start: Timestamp, selling_end: Timestamp,
};
export const CampaignBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 40 }),
  description: Type.Optional(Type.String({ maxLength: 500 })),
  ...times,
  rules: Rules,
  fee_rate_bp: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 500, description: 'reduced technical service fee for participating items sold during selling (100 = 1%)' }))),
  threshold: Type.Optional(Nullable(Threshold)),
  sections: Type.Optional(Type.Array(Section, { maxItems: 30 })),
  presale_balance_hours: Type.Optional(Type.Integer({ minimum: 1, maximum: 744, description: 'pre-sale: hours from selling start in which the balance (尾款) is paid; default 24 (or all of selling if shorter)' })),
}, { additionalProperties: false });
export const CampaignPatchBody = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  description: Type.Optional(Type.String({ maxLength: 500 })),
  rules: Type.Optional(Rules),
  sections: Type.Optional(Type.Array(Section, { maxItems: 30 })),
  status: Type.Optional(Type.Literal('cancelled')),
}, { additionalProperties: false, minProperties: 1 });

export const CampaignSchema = Type.Object({
  id: Type.String(), name: Type.String(), description: Type.String(), phase: Phase, phase_label_zh: Type.String(), status: Type.String(),
  ...times, rules: Rules, fee_rate_bp: Nullable(Type.Integer()), threshold: Nullable(Type.Unknown()), threshold_promotion_id: Nullable(Type.String()),
  sections: Type.Array(Section), presale_balance_window: Type.Object({ from: Timestamp, to: Timestamp }, { description: 'when pre-sale balances are paid' }), created_at: Timestamp, updated_at: Timestamp,
});
export const presentCampaign = (c: Campaign) => ({
  id: c.id, name: c.name, description: c.description, phase: c.phase, phase_label_zh: c.phase_label_zh, status: c.status,
  registration_start: iso(c.registration_start_ms), review_start: iso(c.review_start_ms), warmup_start: iso(c.warmup_start_ms), selling_start: iso(c.selling_start_ms), selling_end: iso(c.selling_end_ms),
  rules: c.rules, fee_rate_bp: c.fee_rate_bp, threshold: c.threshold, threshold_promotion_id: c.threshold_promotion_id, sections: c.sections,
  presale_balance_window: { from: iso(c.selling_start_ms), to: iso(c.selling_start_ms + c.balance_window_ms) }, created_at: iso(c.created_at), updated_at: iso(c.updated_at),
});

export const RegistrationBody = Type.Object({
  sku_id: Type.String({ pattern: '^sku_', maxLength: 40 }),
  campaign_price_minor: Type.Integer({ minimum: 1, maximum: 100_000_000_00 }),
  campaign_stock: Type.Integer({ minimum: 1, maximum: 10_000_000 }),
  limit_per_buyer: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 10_000, description: 'units one buyer gets at the campaign price over the campaign; beyond it the item is at its own price (限购)' }))),
}, { additionalProperties: false });
export const RegistrationSchema = Type.Object({
  id: Type.String(), campaign_id: Type.String(), store_id: Type.String(), product_id: Type.String(), sku_id: Type.String(), category_id: Type.String(), title: Type.String(),
  image: Nullable(Type.String()), price_minor: MoneyMinor, low_30d_minor: MoneyMinor, campaign_price_minor: MoneyMinor, campaign_stock: Type.Integer(), sold: Type.Integer(),
  limit_per_buyer: Nullable(Type.Integer()),
  status: Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('rejected'), Type.Literal('withdrawn')]), review_note: Nullable(Type.String()),
  reviewed_at: NullableTimestamp, created_at: Timestamp,
});
export const presentRegistration = (r: Registration) => ({ ...r, reviewed_at: toIso(r.reviewed_at), created_at: iso(r.created_at) });

export const ReviewBody = Type.Object({
  decisions: Type.Array(Type.Object({
    registration_id: Type.String({ pattern: '^crg_', maxLength: 40 }),
    decision: Type.Union([Type.Literal('approve'), Type.Literal('reject')]),
    reason: Type.Optional(Type.String({ maxLength: 200 })),
  }, { additionalProperties: false }), { minItems: 1, maxItems: 500 }),
}, { additionalProperties: false });
const ProblemSchema = Type.Object({ code: Type.String(), message: Type.String(), message_zh: Type.String(), details: Type.Optional(Type.Record(Type.String(), Type.Unknown())) });
export const ReviewResult = Type.Object({
  results: Type.Array(Type.Object({
    registration_id: Type.String(), ok: Type.Boolean(), status: Type.Optional(Type.String()), code: Type.Optional(Type.String()), message: Type.Optional(Type.String()),
    message_zh: Type.Optional(Type.String()),
    problems: Type.Optional(Type.Array(ProblemSchema, { description: 'why an approval was refused (e.g. discount_not_real: the 30-day low dropped since registration)' })),
  })),
});

export const OfferBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 40 }),
  coupon: Type.Object({
    kind: Type.Union([Type.Literal('fixed'), Type.Literal('threshold')]),
    off_minor: Type.Integer({ minimum: 1, maximum: 20000 }),
    threshold_minor: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000_000_00 })),
  }, { additionalProperties: false }),
  budget: Type.Integer({ minimum: 1, maximum: 10_000_000 }),
  per_buyer_limit: Type.Integer({ minimum: 1, maximum: 100 }),
  funder: Type.Optional(Type.Union([Type.Literal('platform'), Type.Literal('merchant'), Type.Literal('shared')])),
  platform_share_bp: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000 })),
}, { additionalProperties: false });
export const OfferSchema = Type.Object({
  id: Type.String(), campaign_id: Type.String(), name: Type.String(), coupon_template_id: Type.String(), budget: Type.Integer(), reserved: Type.Integer(), per_buyer_limit: Type.Integer(),
  coupon: Type.Object({ kind: Type.String(), off_minor: Type.Integer(), threshold_minor: Type.Optional(Type.Integer()) }),
});
export const presentOffer = (o: ReservationOffer) => o;
export const ReservationSchema = Type.Object({ id: Type.String(), offer_id: Type.String(), status: Type.String(), coupon_id: Nullable(Type.String()), created_at: Timestamp, issued_at: NullableTimestamp });
export const presentReservation = (r: { id: string; offer_id: string; status: string; coupon_id: string | null; created_at: number; issued_at: number | null }) =>
  ({ ...r, created_at: iso(r.created_at), issued_at: toIso(r.issued_at) });

const Item = Type.Object({
  registration_id: Type.String(), product_id: Type.String(), sku_id: Type.String(), store_id: Type.String(), category_id: Type.String(), title: Type.String(), image: Nullable(Type.String()),
  price_minor: MoneyMinor, campaign_price_minor: MoneyMinor, campaign_stock: Type.Integer(), limit_per_buyer: Nullable(Type.Integer()), sold_units: Type.Integer(), velocity_units: Type.Integer(),
});
export const VenueSchema = Type.Object({
  campaign: CampaignSchema,
  sections: Type.Array(Type.Object({ key: Type.String(), title: Type.String(), kind: Type.String(), items: Type.Array(Item) })),
  items: Type.Integer({ description: 'approved items in the venue' }),
  updated_at: Timestamp,
});
export const presentVenue = (v: { campaign: Campaign; sections: VenueSection[]; items: number; updated_at: number }) =>
  ({ campaign: presentCampaign(v.campaign), sections: v.sections as (VenueSection & { items: VenueItem[] })[], items: v.items, updated_at: iso(v.updated_at) });
export const RankingsSchema = Type.Object({
  kind: Type.String(), category_id: Nullable(Type.String()), items: Type.Array(Item), updated_at: Timestamp,
});
export const presentRanking = (r: Rankings, kind: 'best_sellers' | 'trending' | 'category', categoryId: string | null) =>
  ({ kind, category_id: categoryId, items: kind === 'category' ? (r.by_category[categoryId ?? ''] ?? []) : r[kind], updated_at: iso(r.updated_at) });

export const ReportSchema = Type.Object({
  campaign_id: Type.String(), gmv_minor: Type.Integer(), goods_minor: Type.Integer(), orders: Type.Integer(), units: Type.Integer(), buyers: Type.Integer(),
  selling_stores: Type.Integer(), participating_stores: Type.Integer(), participating_items: Type.Integer(),
  discount: Type.Object({ total_minor: Type.Integer(), platform_minor: Type.Integer(), merchant_minor: Type.Integer(), campaign_offers_minor: Type.Integer() }),
  fee_income_minor: Type.Integer(),
  presale: Type.Object({
    deposit_orders: Type.Integer(), deposits_taken_minor: Type.Integer({ description: 'deposits paid (= the ledger’s pay:<order>:deposit)' }), awaiting_balance_orders: Type.Integer(),
    balance_paid_orders: Type.Integer(), balance_paid_units: Type.Integer(), forfeited_orders: Type.Integer(), forfeited_minor: Type.Integer({ description: 'deposits forfeited to merchants (= forfeit:<order>:*)' }),
    refunded_orders: Type.Integer(), refunded_minor: Type.Integer(),
  }, { description: 'pre-sale: GMV counts a pre-sale order once its balance is paid (deposit + balance)' }),
  top_items: Type.Array(Type.Object({ sku_id: Type.String(), product_id: Type.String(), store_id: Type.String(), title: Type.String(), units: Type.Integer(), gmv_minor: Type.Integer() })),
  refunds: Type.Object({
    lines: Type.Integer(), orders: Type.Integer(), refunded_minor: Type.Integer(), units: Type.Integer(),
  }, { description: 'booked back to buyers on campaign lines; GMV, units, discounts and fee income above are already net of it (settlement’s arithmetic)' }),
  currency: Type.Literal('CNY'), as_of: Timestamp,
});
export const presentReport = (r: CampaignReport) => ({ ...r, as_of: iso(r.as_of) });
