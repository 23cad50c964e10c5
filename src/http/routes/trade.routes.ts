import { Type } from 'typebox';
import type { AppContext } from '../../app/wire.ts';
import { toIso } from '../../lib/clock.ts';
import { formatYuan } from '../../lib/money.ts';
import { ORDER_STATUSES, CHANNELS, type OrderView } from '../../modules/trade/index.ts';
import { errors, IdParam, MoneyMinor, Page, PageQuery, Timestamp, NullableTimestamp } from '../schemas.ts';
import type { App } from '../types.ts';

export const AttributionBody = Type.Object({
  channel: Type.Optional(Type.Union(CHANNELS.map((c) => Type.Literal(c)))),
  content_id: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Null()])),
  creator_id: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Null()])),
  campaign_id: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Null()])),
  share_chain: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 10 })),
}, { additionalProperties: false });
const Quantity = Type.Integer({ minimum: 1, maximum: 200 });
const SkuId = Type.String({ pattern: '^sku_[0-9A-HJKMNP-TV-Z]{26}$' });

const CartItemSchema = Type.Object({ id: Type.String(), sku_id: Type.String(), product_id: Type.String(), store_id: Type.String(), quantity: Type.Integer(), attribution: Type.Unknown(), added_at: Timestamp });
const CheckoutBody = Type.Object({
  items: Type.Optional(Type.Array(Type.Object({ sku_id: SkuId, quantity: Quantity, attribution: Type.Optional(AttributionBody) }, { additionalProperties: false }), { minItems: 1, maxItems: 50 })),
  cart_item_ids: Type.Optional(Type.Array(Type.String({ pattern: '^cit_' }), { minItems: 1, maxItems: 50 })),
  address_id: Type.String({ pattern: '^adr_' }),
  coupon_ids: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 10 })),
  notes: Type.Optional(Type.Record(Type.String({ pattern: '^sto_' }), Type.String({ maxLength: 200 }))),
  expected_total_minor: Type.Optional(MoneyMinor),
}, { additionalProperties: false });
const PricingSchema = Type.Object({
  total_minor: MoneyMinor, currency: Type.Literal('CNY'),
  stores: Type.Array(Type.Object({ store_id: Type.String(), goods_minor: MoneyMinor, discount_minor: MoneyMinor, shipping_minor: MoneyMinor, total_minor: MoneyMinor })),
  lines: Type.Array(Type.Object({ line_id: Type.String(), unit_price_minor: MoneyMinor, goods_minor: MoneyMinor, discount_minor: MoneyMinor, shipping_minor: MoneyMinor, paid_minor: MoneyMinor, discounts: Type.Array(Type.Unknown()) })),
  explanation: Type.Unknown(),
  coupon_ids: Type.Array(Type.String(), { description: 'the coupons that applied (with auto_coupons: the cheapest selection from the wallet)' }),
});
const PreviewBody = Type.Object({
  ...CheckoutBody.properties,
  address_id: Type.Optional(Type.String({ pattern: '^adr_' })),
  auto_coupons: Type.Optional(Type.Boolean({ description: "pick the cheapest coupons from the buyer's wallet (coupon_ids is ignored); send the returned coupon_ids when placing" })),
}, { additionalProperties: false });
const LineSchema = Type.Object({
  id: Type.String(), sku_id: Type.String(), product_id: Type.String(), title: Type.String(), spec: Type.Record(Type.String(), Type.String()), image: Type.Union([Type.String(), Type.Null()]),
  quantity: Type.Integer(), unit_price_minor: MoneyMinor, goods_minor: MoneyMinor, discount_minor: MoneyMinor, shipping_minor: MoneyMinor, paid_minor: MoneyMinor,
  discounts: Type.Array(Type.Unknown()), no_reason_return_7d: Type.Boolean(), shipping_insurance: Type.Boolean(), shipped_quantity: Type.Integer(),
  cancelled_quantity: Type.Integer({ description: 'units refunded before they shipped: not to be shipped' }),
  held_quantity: Type.Optional(Type.Integer({ description: 'merchant views: unshipped units under a refund-only request (仅退款) — not shipped until the request is answered' })), refunded_minor: MoneyMinor,
  channel: Type.String(), content_id: Type.Union([Type.String(), Type.Null()]), creator_id: Type.Union([Type.String(), Type.Null()]), campaign_id: Type.Union([Type.String(), Type.Null()]),
  share_chain: Type.Array(Type.String()),
});
const OrderSchema = Type.Object({
  id: Type.String(), checkout_id: Type.String(), store_id: Type.String(), status: Type.String(), kind: Type.Union([Type.Literal('normal'), Type.Literal('presale')], { description: 'presale: paid by a deposit and a balance (/presale-orders)' }), goods_minor: MoneyMinor, discount_minor: MoneyMinor, shipping_minor: MoneyMinor,
  total_minor: MoneyMinor, currency: Type.Literal('CNY'), address: Type.Record(Type.String(), Type.Union([Type.String(), Type.Null()])), buyer_note: Type.String(),
  created_at: Timestamp, paid_at: NullableTimestamp, shipped_at: NullableTimestamp, received_at: NullableTimestamp, completed_at: NullableTimestamp, cancelled_at: NullableTimestamp,
  cancel_reason: Type.Union([Type.String(), Type.Null()]), lines: Type.Array(LineSchema),
});
const OrderDetail = Type.Intersect([OrderSchema, Type.Object({ pricing: Type.Unknown(), history: Type.Array(Type.Object({ from: Type.String(), to: Type.String(), event: Type.String(), actor: Type.String(), reason: Type.Union([Type.String(), Type.Null()]), at: Timestamp })) })]);
const OrderListQuery = Type.Intersect([PageQuery, Type.Object({
  status: Type.Optional(Type.Union(ORDER_STATUSES.map((s) => Type.Literal(s)))),
  created_from: Type.Optional(Type.String({ format: 'date-time' })), created_to: Type.Optional(Type.String({ format: 'date-time' })),
})]);

/** `held`: per line, units the merchant may not ship yet (merchant views only). */
export function presentOrder(o: OrderView, held?: ReadonlyMap<string, number>) {
  return {
    id: o.id, checkout_id: o.checkout_id, store_id: o.store_id, status: o.status, kind: o.kind, goods_minor: o.goods_minor, discount_minor: o.discount_minor, shipping_minor: o.shipping_minor,
    total_minor: o.total_minor, currency: o.currency, address: o.address, buyer_note: o.buyer_note, created_at: toIso(o.created_at)!, paid_at: toIso(o.paid_at),
    shipped_at: toIso(o.shipped_at), received_at: toIso(o.received_at), completed_at: toIso(o.completed_at), cancelled_at: toIso(o.cancelled_at), cancel_reason: o.cancel_reason,
    lines: o.lines.map((l) => ({
      id: l.id, sku_id: l.sku_id, product_id: l.product_id, title: l.title, spec: l.spec, image: l.image, quantity: l.quantity, unit_price_minor: l.unit_price_minor,
      goods_minor: l.goods_minor, discount_minor: l.discount_minor, shipping_minor: l.shipping_minor, paid_minor: l.paid_minor, discounts: l.discounts,
      no_reason_return_7d: l.no_reason_return_7d, shipping_insurance: l.shipping_insurance, shipped_quantity: l.shipped_quantity, cancelled_quantity: l.cancelled_quantity, ...(held ? { held_quantity: held.get(l.id) ?? 0 } : {}), refunded_minor: l.refunded_minor,
      channel: l.channel, content_id: l.content_id, creator_id: l.creator_id, campaign_id: l.campaign_id, share_chain: l.share_chain,
    })),
  };
}
const presentDetail = (d: { order: OrderView; transitions: { from_status: string; to_status: string; event: string; actor_kind: string; reason: string | null; at: number }[] }, held?: ReadonlyMap<string, number>) => ({
  ...presentOrder(d.order, held), pricing: d.order.pricing,
  history: d.transitions.map((t) => ({ from: t.from_status, to: t.to_status, event: t.event, actor: t.actor_kind, reason: t.reason, at: toIso(t.at)! })),
});
const filterOf = (q: { status?: string; created_from?: string; created_to?: string; limit?: number; cursor?: string }) => ({
  status: q.status as never, limit: q.limit, cursor: q.cursor,
  created_from: q.created_from ? Date.parse(q.created_from) : undefined, created_to: q.created_to ? Date.parse(q.created_to) : undefined,
});

/** Buyer cart, checkout and orders. */
export const buyerTradeRoutes = (ctx: AppContext) => async (app: App) => {
  app.get('/me/cart', { schema: { tags: ['trade'], response: { 200: Type.Object({ items: Type.Array(CartItemSchema) }), ...errors(401) } } }, async (req) => ({
    items: (await ctx.trade.listCart(req.principal!.account_id)).map((i) => ({ ...i, added_at: toIso(i.added_at)! })),
  }));
  app.post('/me/cart/items', {
    schema: { tags: ['trade'], body: Type.Object({ sku_id: SkuId, quantity: Quantity, attribution: Type.Optional(AttributionBody) }, { additionalProperties: false }), response: { 201: CartItemSchema, ...errors(400, 401, 404, 422) } },
  }, async (req, reply) => {
    const i = await ctx.trade.addToCart(req.principal!.account_id, req.body);
    return reply.status(201).send({ ...i, added_at: toIso(i.added_at)! });
  });
  app.patch('/me/cart/items/:itemId', {
    schema: { tags: ['trade'], params: IdParam('itemId', 'cit'), body: Type.Object({ quantity: Quantity }, { additionalProperties: false }), response: { 200: CartItemSchema, ...errors(400, 401, 404) } },
  }, async (req) => {
    const i = await ctx.trade.setCartQuantity(req.principal!.account_id, req.params.itemId, req.body.quantity);
    return { ...i, added_at: toIso(i.added_at)! };
  });
  app.delete('/me/cart/items/:itemId', { schema: { tags: ['trade'], params: IdParam('itemId', 'cit'), response: { 204: Type.Null(), ...errors(400, 401, 404) } } }, async (req, reply) => {
    await ctx.trade.removeFromCart(req.principal!.account_id, req.params.itemId);
    return reply.status(204).send(null);
  });

  app.post('/checkout/preview', {
    schema: { tags: ['trade'], summary: 'Price a cart or buy-now list with the full breakdown, placing nothing', body: PreviewBody, response: { 200: PricingSchema, ...errors(400, 401, 404, 422) } },
  }, async (req) => {
    const p = await ctx.trade.previewCheckout(req.principal!.account_id, req.body);
    return { total_minor: p.total_minor, currency: p.currency, stores: p.stores, lines: p.lines, explanation: p.explanation, coupon_ids: p.coupon_ids ?? [] };
  });
  app.post('/checkouts', {
    schema: {
      tags: ['trade'], summary: 'Place orders (one per store) for one combined payment; send an Idempotency-Key',
      body: CheckoutBody,
      response: { 201: Type.Object({ checkout_id: Type.String(), order_ids: Type.Array(Type.String()), total_minor: MoneyMinor, currency: Type.Literal('CNY'), pay_by: Timestamp, pricing: PricingSchema }), ...errors(400, 401, 404, 409, 422) },
    },
  }, async (req, reply) => {
    const c = await ctx.trade.placeCheckout(req.principal!.account_id, req.body);
    const p = c.pricing;
    return reply.status(201).send({ checkout_id: c.checkout_id, order_ids: c.order_ids, total_minor: c.total_minor, currency: c.currency, pay_by: toIso(c.pay_by)!, pricing: { total_minor: p.total_minor, currency: p.currency, stores: p.stores, lines: p.lines, explanation: p.explanation, coupon_ids: p.coupon_ids ?? [] } });
  });

  app.get('/me/orders', { schema: { tags: ['trade'], querystring: OrderListQuery, response: { 200: Page(OrderSchema), ...errors(400, 401) } } }, async (req) => {
    const page = await ctx.trade.buyerOrders(req.principal!.account_id, filterOf(req.query as never));
    return { items: page.items.map((o) => presentOrder(o)), next_cursor: page.next_cursor };
  });
  app.get('/me/orders/:orderId', { schema: { tags: ['trade'], params: IdParam('orderId', 'ord'), response: { 200: OrderDetail, ...errors(400, 401, 404) } } }, async (req) =>
    presentDetail(await ctx.trade.buyerOrder(req.principal!.account_id, req.params.orderId)));
  app.post('/me/orders/:orderId/cancel', {
    schema: { tags: ['trade'], summary: 'Cancel an unpaid order (and the other orders of its combined payment)', params: IdParam('orderId', 'ord'), body: Type.Object({ reason: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false }), response: { 200: Type.Object({ cancelled_order_ids: Type.Array(Type.String()) }), ...errors(400, 401, 404, 409) } },
  }, async (req) => ({ cancelled_order_ids: (await ctx.trade.cancelByBuyer(req.principal!.account_id, req.params.orderId, req.body.reason ?? 'buyer_cancelled')).map((o) => o.id) }));
  app.post('/me/orders/:orderId/confirm-receipt', {
    schema: { tags: ['trade'], params: IdParam('orderId', 'ord'), response: { 200: OrderDetail, ...errors(400, 401, 404, 409) } },
  }, async (req) => {
    const buyerId = req.principal!.account_id;
    await ctx.db.transaction((tx) => ctx.trade.confirmReceipt(tx, req.params.orderId, { kind: 'buyer', id: buyerId }, buyerId));
    return presentDetail(await ctx.trade.buyerOrder(buyerId, req.params.orderId));
  });
};

/** Units of each line (by line id) under a refund-only request, for the orders the merchant may still ship — one query. */
function heldUnits(ctx: AppContext, orders: readonly OrderView[]): Promise<ReadonlyMap<string, number>> {
  return ctx.aftersales.openRefundOnlyUnits(orders.filter((o) => o.status === 'paid' || o.status === 'partially_shipped').map((o) => o.id));
}

/** Merchant order desk: list with filters, detail, CSV export. */
export const merchantTradeRoutes = (ctx: AppContext) => async (app: App) => {
  const StoreParams = IdParam('storeId', 'sto');
  app.get('/stores/:storeId/orders', { config: { permission: 'orders.read' }, schema: { tags: ['merchant'], params: StoreParams, querystring: OrderListQuery, response: { 200: Page(OrderSchema), ...errors(400, 401, 404) } } }, async (req) => {
    const page = await ctx.trade.storeOrders(req.params.storeId, filterOf(req.query as never));
    const held = await heldUnits(ctx, page.items);
    return { items: page.items.map((o) => presentOrder(o, held)), next_cursor: page.next_cursor };
  });
  app.get('/stores/:storeId/orders/:orderId', { config: { permission: 'orders.read' }, schema: { tags: ['merchant'], params: Type.Intersect([StoreParams, IdParam('orderId', 'ord')]), response: { 200: OrderDetail, ...errors(400, 401, 404) } } }, async (req) => {
    const d = await ctx.trade.storeOrder(req.params.storeId, req.params.orderId);
    return presentDetail(d, await heldUnits(ctx, [d.order]));
  });
  app.get('/stores/:storeId/orders.csv', {
    config: { permission: 'orders.read' },
    schema: { tags: ['merchant'], summary: 'Export orders as CSV (UTF-8 with BOM, opens in Excel)', params: StoreParams, querystring: Type.Omit(OrderListQuery, ['limit', 'cursor']), response: { 200: Type.String(), ...errors(400, 401, 404) } },
  }, async (req, reply) => {
    const rows: string[] = ['\ufeff订单号,状态,下单时间,商品,规格,数量,商品金额(元),优惠(元),运费(元),实付(元),收货人,渠道'];
    const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
    for await (const o of ctx.trade.storeOrdersAll(req.params.storeId, filterOf(req.query as never))) {
      for (const l of o.lines) {
        rows.push([o.id, o.status, toIso(o.created_at)!, l.title, Object.values(l.spec).join('/'), String(l.quantity), formatYuan(l.goods_minor), formatYuan(l.discount_minor), formatYuan(l.shipping_minor), formatYuan(l.paid_minor), String(o.address.recipient ?? ''), l.channel].map(cell).join(','));
      }
    }
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="orders-${req.params.storeId}.csv"`).send(rows.join('\r\n') + '\r\n');
  });
};
