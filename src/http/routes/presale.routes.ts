import { Type } from 'typebox';
import type { AppContext } from '../../app/wire.ts';
import { toIso } from '../../lib/clock.ts';
import type { PresaleOffer } from '../../modules/campaigns/index.ts';
import type { PresaleView } from '../../modules/trade/index.ts';
import { errors, IdParam, MoneyMinor, Page, PageQuery, Timestamp } from '../schemas.ts';
import type { App } from '../types.ts';
import { PaymentSchema, presentPayment } from './payments.routes.ts';
import { AttributionBody } from './trade.routes.ts';

/** Pre-sale (预售): offers on campaign registrations, deposit orders, deposit and balance payments. */
const iso = (ms: number) => toIso(ms)!;
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(s: T) => Type.Union([s, Type.Null()]);
const Rules = Type.Object({ zh: Type.String(), en: Type.String() }, { description: 'the rules shown to the buyer: deposit, what it counts for, the balance window, the forfeit rule' });

const OfferBody = Type.Object({
  price_minor: Type.Integer({ minimum: 1, maximum: 100_000_000_00, description: 'the final pre-sale price per unit (≤ the campaign price)' }),
  deposit_minor: Type.Integer({ minimum: 1, maximum: 100_000_000_00, description: '定金 per unit: at most 20% of the price (Civil Code art. 586)' }),
  deposit_value_minor: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000_000_00, description: '定金膨胀: what the deposit counts for (≥ deposit, ≤ 5× deposit, < price); absent = the deposit' })),
  stock: Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'pre-sale units, drawn from the registration’s campaign stock' }),
  per_buyer_limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 99 })),
}, { additionalProperties: false });
const OfferSchema = Type.Object({
  id: Type.String(), campaign_id: Type.String(), registration_id: Type.String(), store_id: Type.String(), product_id: Type.String(), sku_id: Type.String(), title: Type.String(),
  price_minor: MoneyMinor, deposit_minor: MoneyMinor, deposit_value_minor: MoneyMinor, stock: Type.Integer(), taken: Type.Integer(), per_buyer_limit: Type.Integer(),
  balance_from: Timestamp, balance_to: Timestamp, rules: Rules,
});
const presentOffer = (o: PresaleOffer) => ({ ...o, balance_from: iso(o.balance_from), balance_to: iso(o.balance_to) });

const Stage = Type.Union([Type.Literal('awaiting_deposit'), Type.Literal('deposit_paid'), Type.Literal('balance_paid'), Type.Literal('cancelled'), Type.Literal('forfeited'), Type.Literal('refunded')]);
const PresaleOrderSchema = Type.Object({
  order_id: Type.String(), order_status: Type.String(), stage: Stage, campaign_id: Type.String(), offer_id: Type.String(), store_id: Type.String(), sku_id: Type.String(), quantity: Type.Integer(),
  price_minor: MoneyMinor, deposit_minor: MoneyMinor, deposit_value_minor: MoneyMinor, deposit_total_minor: MoneyMinor, deposit_value_total_minor: MoneyMinor,
  balance_goods_minor: Type.Integer({ description: '(price − deposit value) × quantity, before the 满减, coupons and shipping' }),
  balance_minor: Nullable(MoneyMinor), balance_from: Timestamp, balance_to: Timestamp, deposit_checkout_id: Type.String(), deposit_pay_by: Timestamp,
  balance_checkout_id: Nullable(Type.String()), rules: Rules, created_at: Timestamp,
});
const presentPresale = (p: PresaleView) => ({ ...p, balance_from: iso(p.balance_from), balance_to: iso(p.balance_to), deposit_pay_by: iso(p.deposit_pay_by), created_at: iso(p.created_at) });
const WithPayment = Type.Object({ presale: PresaleOrderSchema, payment: PaymentSchema });

const OrderParams = IdParam('orderId', 'ord');
const CampaignParams = IdParam('campaignId', 'cmp');
const Coupons = Type.Array(Type.String({ maxLength: 40 }), { maxItems: 10 });
const actor = (req: { principal: { account_id: string } | null }) => req.principal!.account_id;

export const buyerPresaleRoutes = (ctx: AppContext) => async (app: App) => {
  const tags = ['pre-sale'];
  app.get('/campaigns/:campaignId/presale-offers', {
    config: { auth: 'public' }, schema: { tags, summary: 'Pre-sale offers of a campaign with their rules (deposit, inflation, balance window, forfeit)', params: CampaignParams, response: { 200: Type.Object({ items: Type.Array(OfferSchema) }), ...errors(400, 404) } },
  }, async (req) => ({ items: (await ctx.campaigns.presaleOffers(req.params.campaignId)).map(presentOffer) }));

  app.post('/presale-orders', {
    schema: {
      tags, summary: 'Warm-up: place a pre-sale (deposit) order for one SKU; pay its deposit next. Send an Idempotency-Key',
      body: Type.Object({
        offer_id: Type.String({ pattern: '^cps_', maxLength: 40 }), quantity: Type.Integer({ minimum: 1, maximum: 99 }), address_id: Type.String({ pattern: '^adr_' }),
        notes: Type.Optional(Type.String({ maxLength: 200 })), attribution: Type.Optional(AttributionBody),
      }, { additionalProperties: false }),
      response: { 201: PresaleOrderSchema, ...errors(400, 401, 404, 409, 422) },
    },
  }, async (req, reply) => reply.status(201).send(presentPresale(await ctx.presale.placeOrder(actor(req), req.body))));

  app.get('/presale-orders', {
    schema: { tags, summary: 'My pre-sale orders, newest first', querystring: Type.Object({ campaign_id: Type.Optional(Type.String({ pattern: '^cmp_', maxLength: 40 })) }), response: { 200: Type.Object({ items: Type.Array(PresaleOrderSchema) }), ...errors(400, 401) } },
  }, async (req) => ({ items: (await ctx.trade.buyerPresaleOrders(actor(req), (req.query as { campaign_id?: string }).campaign_id)).map(presentPresale) }));

  app.get('/presale-orders/:orderId', {
    schema: { tags, params: OrderParams, response: { 200: PresaleOrderSchema, ...errors(400, 401, 404) } },
  }, async (req) => presentPresale(await ctx.trade.presaleOrder(actor(req), req.params.orderId)));

  app.post('/presale-orders/:orderId/deposit/pay', {
    schema: {
      tags, summary: 'Pay the deposit (its own payment): the QR code / cashier page, or JSAPI parameters; calling again resumes it', params: OrderParams,
      body: Type.Optional(Type.Object({ payer_openid: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })) }, { additionalProperties: false })),
      response: { 200: WithPayment, ...errors(400, 401, 404, 409) },
    },
  }, async (req) => {
    const r = await ctx.presale.payDeposit(actor(req), req.params.orderId, { payer_openid: req.body?.payer_openid });
    return { presale: presentPresale(r.presale), payment: presentPayment(r.payment) };
  });

  app.post('/presale-orders/:orderId/balance/preview', {
    schema: {
      tags, summary: 'What the balance would be now: (price − deposit value) with the campaign 满减, store coupons and shipping', params: OrderParams,
      body: Type.Optional(Type.Object({ coupon_ids: Type.Optional(Coupons), auto_coupons: Type.Optional(Type.Boolean()) }, { additionalProperties: false })),
      response: { 200: Type.Object({ balance_minor: MoneyMinor, coupon_ids: Type.Array(Type.String()), pricing: Type.Unknown() }), ...errors(400, 401, 404, 422) },
    },
  }, async (req) => ctx.presale.previewBalance(actor(req), req.params.orderId, req.body ?? {}));

  app.post('/presale-orders/:orderId/balance/pay', {
    schema: {
      tags, summary: 'In the balance window: place the balance checkout and pay it (an open one is resumed)', params: OrderParams,
      body: Type.Optional(Type.Object({ coupon_ids: Type.Optional(Coupons), expected_balance_minor: Type.Optional(MoneyMinor), payer_openid: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })) }, { additionalProperties: false })),
      response: { 200: WithPayment, ...errors(400, 401, 404, 409, 422) },
    },
  }, async (req) => {
    const r = await ctx.presale.payBalance(actor(req), req.params.orderId, req.body ?? {});
    return { presale: presentPresale(r.presale), payment: presentPayment(r.payment) };
  });
};

export const merchantPresaleRoutes = (ctx: AppContext) => async (app: App) => {
  const tags = ['merchant pre-sale'];
  const StoreParams = IdParam('storeId', 'sto');
  app.put('/stores/:storeId/campaign-registrations/:registrationId/presale', {
    config: { permission: 'price.write' as const },
    schema: {
      tags, summary: 'Set the pre-sale of a registration (before selling, while no deposit is taken); refused (422) with every problem explained',
      params: Type.Intersect([StoreParams, IdParam('registrationId', 'crg')]), body: OfferBody, response: { 200: OfferSchema, ...errors(400, 401, 403, 404, 409, 422) },
    },
  }, async (req) => presentOffer(await ctx.campaigns.configurePresale(req.params.storeId, req.params.registrationId, req.body, actor(req))));
  app.get('/stores/:storeId/campaigns/:campaignId/presale-offers', {
    config: { permission: 'store.read' as const }, schema: { tags, params: Type.Intersect([StoreParams, CampaignParams]), response: { 200: Type.Object({ items: Type.Array(OfferSchema) }), ...errors(400, 401, 404) } },
  }, async (req) => ({ items: (await ctx.campaigns.presaleOffers(req.params.campaignId, { store_id: req.params.storeId })).map(presentOffer) }));
  app.get('/stores/:storeId/campaigns/:campaignId/presale-orders', {
    config: { permission: 'orders.read' as const },
    schema: {
      tags, summary: "The store's pre-sale orders of a campaign, newest first, with their stage (no buyer details)", params: Type.Intersect([StoreParams, CampaignParams]),
      querystring: Type.Intersect([PageQuery, Type.Object({ stage: Type.Optional(Stage) })]), response: { 200: Page(PresaleOrderSchema), ...errors(400, 401, 404) },
    },
  }, async (req) => {
    const page = await ctx.trade.storePresaleOrders(req.params.storeId, req.params.campaignId, req.query as { stage?: PresaleView['stage']; limit?: number; cursor?: string });
    return { items: page.items.map(presentPresale), next_cursor: page.next_cursor };
  });
  app.post('/stores/:storeId/presale-orders/:orderId/cancel', {
    config: { permission: 'orders.write' as const },
    schema: {
      tags, summary: 'Cancel a pre-sale order before its balance (cannot ship): a paid deposit is refunded in full',
      params: Type.Intersect([StoreParams, OrderParams]), body: Type.Optional(Type.Object({ reason: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false })),
      response: { 200: PresaleOrderSchema, ...errors(400, 401, 403, 404, 409) },
    },
  }, async (req) => presentPresale(await ctx.presale.merchantCancel(req.params.storeId, req.params.orderId, actor(req), req.body?.reason ?? 'merchant_cancelled')));
};
