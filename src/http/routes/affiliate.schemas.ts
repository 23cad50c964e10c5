import { Type } from 'typebox';
import { toIso } from '../../lib/clock.ts';
import type { CreatorOrderLine, Offer, PoolItem, Selection, StoreCreatorRow } from '../../modules/affiliate/index.ts';
import { MAX_RATE_BP, MIN_RATE_BP } from '../../modules/affiliate/index.ts';
import { MoneyMinor, NullableTimestamp, Timestamp } from '../schemas.ts';

const AccountId = Type.String({ pattern: '^acc_[0-9A-HJKMNP-TV-Z]{26}$', description: 'a creator account id (acc_…)' });
const ProductId = Type.String({ pattern: '^prd_[0-9A-HJKMNP-TV-Z]{26}$' });
/** Out-of-range rates reach the module, which answers rate_out_of_bounds with the bounds. */
const RateBp = Type.Integer({ minimum: 0, maximum: 10000, description: `commission in basis points of what the buyer paid for the line; ${MIN_RATE_BP}–${MAX_RATE_BP} (1%–50%)` });
const ExclusiveRates = Type.Array(Type.Object({ creator_id: AccountId, rate_bp: RateBp }, { additionalProperties: false }), { maxItems: 50, description: 'named creators get these rates instead of the public one' });
const OfferStatus = Type.Union([Type.Literal('scheduled'), Type.Literal('active'), Type.Literal('ended')]);

export const OfferBody = Type.Object({
  product_id: ProductId, rate_bp: RateBp, exclusive_rates: Type.Optional(ExclusiveRates),
  starts_at: Type.Optional(Timestamp), ends_at: Type.Optional(NullableTimestamp),
}, { additionalProperties: false });
export const OfferPatchBody = Type.Object({
  rate_bp: Type.Optional(RateBp), exclusive_rates: Type.Optional(ExclusiveRates), ends_at: Type.Optional(NullableTimestamp),
}, { additionalProperties: false, minProperties: 1 });
export const OfferListQuery = Type.Object({ status: Type.Optional(OfferStatus) });

export const OfferSchema = Type.Object({
  id: Type.String(), store_id: Type.String(), product_id: Type.String(), category_id: Type.String(), title: Type.String(), image: Type.Union([Type.String(), Type.Null()]),
  price_minor: MoneyMinor, currency: Type.Literal('CNY'), rate_bp: Type.Integer(), exclusive_rates: Type.Array(Type.Object({ creator_id: Type.String(), rate_bp: Type.Integer() })),
  starts_at: Timestamp, ends_at: NullableTimestamp, status: OfferStatus, created_at: Timestamp, updated_at: Timestamp,
});
export const presentOffer = (o: Offer) => ({
  ...o, currency: 'CNY' as const, starts_at: toIso(o.starts_at)!, ends_at: toIso(o.ends_at), created_at: toIso(o.created_at)!, updated_at: toIso(o.updated_at)!,
});

export const PoolQuery = Type.Object({
  category_id: Type.Optional(Type.String({ maxLength: 40 })), store_id: Type.Optional(Type.String({ maxLength: 40 })), q: Type.Optional(Type.String({ maxLength: 40 })),
  min_rate_bp: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000 })), max_price_minor: Type.Optional(MoneyMinor),
  sort: Type.Optional(Type.Union([Type.Literal('rate_desc'), Type.Literal('newest'), Type.Literal('price_asc')], { default: 'rate_desc' })),
});
const poolItemFields = {
  offer_id: Type.String(), store_id: Type.String(), product_id: Type.String(), category_id: Type.String(), title: Type.String(), image: Type.Union([Type.String(), Type.Null()]),
  price_minor: MoneyMinor, currency: Type.Literal('CNY'), rate_bp: Type.Integer({ description: "this creator's rate (exclusive when the merchant named them)" }),
  exclusive: Type.Boolean(), ends_at: NullableTimestamp, selected: Type.Boolean(),
};
export const PoolItemSchema = Type.Object(poolItemFields);
export const presentPoolItem = (i: PoolItem) => ({ ...i, currency: 'CNY' as const, ends_at: toIso(i.ends_at) });
export const SelectionSchema = Type.Object({ ...poolItemFields, selection_id: Type.String(), selected_at: Timestamp, offer_status: OfferStatus });
export const presentSelection = (s: Selection) => ({ ...presentPoolItem(s), selection_id: s.selection_id, selected_at: toIso(s.selected_at)!, offer_status: s.offer_status });
export const SelectBody = Type.Object({ product_id: ProductId }, { additionalProperties: false });

const CommissionStatus = Type.Union([Type.Literal('pending'), Type.Literal('settled'), Type.Literal('reversed'), Type.Literal('none')]);
/** Deliberately without buyer, address, phone or the full order id. */
export const CreatorOrderSchema = Type.Object({
  order_no: Type.String({ description: 'masked order id (support can match it; it opens nothing)' }), store_id: Type.String(), product_id: Type.String(), title: Type.String(),
  quantity: Type.Integer(), paid_minor: MoneyMinor, refunded_minor: MoneyMinor, currency: Type.Literal('CNY'), order_status: Type.String(), channel: Type.String(),
  content_id: Type.Union([Type.String(), Type.Null()]), rate_bp: Type.Integer(), commission_minor: MoneyMinor, commission_status: CommissionStatus,
  ineligible_reason: Type.Union([Type.Literal('not_in_pool'), Type.Literal('offer_inactive'), Type.Literal('not_selected'), Type.Null()]),
  paid_at: Timestamp, settled_at: NullableTimestamp,
}, { additionalProperties: false });
export const presentCreatorOrder = (l: CreatorOrderLine) => ({ ...l, currency: 'CNY' as const, paid_at: toIso(l.paid_at)!, settled_at: toIso(l.settled_at) });
export const CreatorOrdersQuery = Type.Object({ status: Type.Optional(CommissionStatus) });

export const EarningsSchema = Type.Object({
  currency: Type.Literal('CNY'),
  pending_minor: Type.Integer({ description: 'paid, not yet settled: what those lines will earn at their snapshot rates, less refunds so far' }), pending_orders: Type.Integer(),
  settled_minor: Type.Integer({ description: 'posted to the creator at settlement (ledger)' }), reversed_minor: Type.Integer({ description: 'taken back by refunds after settlement (ledger)' }),
  balance_minor: Type.Integer({ description: 'owed to the creator now (ledger account creator_commission_payable)' }),
});

export const StoreCreatorSchema = Type.Object({
  creator_id: Type.String(), display_name: Type.String(), selected_products: Type.Integer(), orders: Type.Integer(), lines: Type.Integer(),
  gmv_minor: Type.Integer({ description: 'paid − refunded on lines attributed to the creator' }), commission_minor: Type.Integer(), pending_commission_minor: Type.Integer(), settled_commission_minor: Type.Integer(),
});
export const presentStoreCreator = (r: StoreCreatorRow) => r;
export const DayRangeQuery = Type.Object({
  from: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'first day (Asia/Shanghai), default 30 days ago' })),
  to: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'last day included (Asia/Shanghai), default today' })),
});
