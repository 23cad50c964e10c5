import { Type } from 'typebox';
import type { AppContext } from '../../app/wire.ts';
import { toIso } from '../../lib/clock.ts';
import { shipOrder } from '../../flows/ship-order.ts';
import { CARRIERS, type Shipment, type ShippingTemplate } from '../../modules/fulfillment/index.ts';
import { errors, IdParam, MoneyMinor, NullableTimestamp, Timestamp } from '../schemas.ts';
import type { App } from '../types.ts';

const ShipmentSchema = Type.Object({
  id: Type.String(), order_id: Type.String(), direction: Type.String(), carrier: Type.String(), carrier_name_zh: Type.String(), tracking_no: Type.String(),
  lines: Type.Array(Type.Object({ line_id: Type.String(), quantity: Type.Integer() })), status: Type.String(), created_at: Timestamp, delivered_at: NullableTimestamp,
  events: Type.Array(Type.Object({ status: Type.String(), description: Type.String(), location: Type.Union([Type.String(), Type.Null()]), at: Timestamp })),
});
const presentShipment = (s: Shipment) => ({ ...s, created_at: toIso(s.created_at)!, delivered_at: toIso(s.delivered_at), events: s.events.map((e) => ({ ...e, at: toIso(e.at)! })) });

const RuleSchema = Type.Object({
  provinces: Type.Union([Type.Literal('*'), Type.Array(Type.String({ minLength: 2, maxLength: 20 }), { minItems: 1, maxItems: 40 })]),
  first_units: Type.Integer({ minimum: 1, maximum: 1000 }), first_fee_minor: MoneyMinor,
  additional_units: Type.Integer({ minimum: 1, maximum: 1000 }), additional_fee_minor: MoneyMinor,
}, { additionalProperties: false });
const templateFields = {
  name: Type.String({ minLength: 1, maxLength: 40 }), is_default: Type.Boolean(), rules: Type.Array(RuleSchema, { minItems: 1, maxItems: 40 }),
  free_threshold_minor: Type.Union([MoneyMinor, Type.Null()]), excluded_provinces: Type.Array(Type.String({ minLength: 2, maxLength: 20 }), { maxItems: 40 }),
};
const TemplateBody = Type.Object(templateFields, { additionalProperties: false });
const TemplateSchema = Type.Object({ ...templateFields, id: Type.String(), store_id: Type.String() });
const presentTemplate = (t: ShippingTemplate) => t;

/** Merchants ship orders and keep shipping templates; buyers follow their parcels. */
export const fulfillmentRoutes = (ctx: AppContext) => async (app: App) => {
  const StoreParams = IdParam('storeId', 'sto');
  const StoreOrder = Type.Intersect([StoreParams, IdParam('orderId', 'ord')]);

  app.get('/carriers', { config: { auth: 'public' }, schema: { tags: ['fulfillment'], response: { 200: Type.Object({ items: Type.Array(Type.Object({ code: Type.String(), name_zh: Type.String(), name_en: Type.String() })) }) } } }, async () => ({
    items: CARRIERS.map((c) => ({ code: c.code, name_zh: c.name_zh, name_en: c.name_en })),
  }));

  app.post('/merchant/stores/:storeId/orders/:orderId/shipments', {
    config: { permission: 'orders.write' },
    schema: {
      tags: ['fulfillment'], summary: 'Ship lines of a paid order (partial shipments allowed; lines omitted = all that is left)', params: StoreOrder,
      body: Type.Object({
        carrier: Type.String({ minLength: 2, maxLength: 10 }), tracking_no: Type.String({ minLength: 6, maxLength: 40 }),
        lines: Type.Optional(Type.Array(Type.Object({ line_id: Type.String({ pattern: '^oli_' }), quantity: Type.Integer({ minimum: 1, maximum: 10000 }) }, { additionalProperties: false }), { minItems: 1, maxItems: 100 })),
      }, { additionalProperties: false }),
      response: { 201: ShipmentSchema, ...errors(400, 401, 403, 404, 409, 422) },
    },
  }, async (req, reply) => {
    const id = await shipOrder(ctx, req.params.storeId, req.params.orderId, req.body, { kind: 'merchant', id: req.principal!.account_id });
    return reply.status(201).send(presentShipment(await ctx.fulfillment.shipment(id)));
  });

  app.get('/merchant/stores/:storeId/orders/:orderId/shipments', { config: { permission: 'orders.read' }, schema: { tags: ['fulfillment'], params: StoreOrder, response: { 200: Type.Object({ items: Type.Array(ShipmentSchema) }), ...errors(401, 404) } } }, async (req) => {
    await ctx.trade.storeOrder(req.params.storeId, req.params.orderId); // 404 for another store's order
    return { items: (await ctx.fulfillment.shipmentsOfOrder(req.params.orderId)).map(presentShipment) };
  });

  app.get('/me/orders/:orderId/shipments', { schema: { tags: ['fulfillment'], summary: 'Tracking history of my order', params: IdParam('orderId', 'ord'), response: { 200: Type.Object({ items: Type.Array(ShipmentSchema) }), ...errors(401, 404) } } }, async (req) => {
    await ctx.trade.buyerOrder(req.principal!.account_id, req.params.orderId);
    return { items: (await ctx.fulfillment.shipmentsOfOrder(req.params.orderId)).map(presentShipment) };
  });

  app.get('/merchant/stores/:storeId/shipping-templates', { config: { permission: 'store.read' }, schema: { tags: ['fulfillment'], params: StoreParams, response: { 200: Type.Object({ items: Type.Array(TemplateSchema) }), ...errors(401, 404) } } }, async (req) => ({
    items: (await ctx.fulfillment.listTemplates(req.params.storeId)).map(presentTemplate),
  }));
  app.post('/merchant/stores/:storeId/shipping-templates', { config: { permission: 'price.write' }, schema: { tags: ['fulfillment'], params: StoreParams, body: TemplateBody, response: { 201: TemplateSchema, ...errors(400, 401, 403, 404, 422) } } }, async (req, reply) =>
    reply.status(201).send(presentTemplate(await ctx.fulfillment.saveTemplate(req.params.storeId, req.body))));
  app.put('/merchant/stores/:storeId/shipping-templates/:templateId', {
    config: { permission: 'price.write' },
    schema: { tags: ['fulfillment'], params: Type.Intersect([StoreParams, IdParam('templateId', 'spt')]), body: TemplateBody, response: { 200: TemplateSchema, ...errors(400, 401, 403, 404, 422) } },
  }, async (req) => presentTemplate(await ctx.fulfillment.saveTemplate(req.params.storeId, req.body, req.params.templateId)));
};
