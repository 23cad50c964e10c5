import { Type } from 'typebox';
import type { AppContext } from '../../app/wire.ts';
import { notFound } from '../../lib/errors.ts';
import { createListing } from '../../flows/create-listing.ts';
import { presentProduct, presentStore, ProductSchema, SkuSchema, StoreSchema } from '../presenters.ts';
import { errors, IdParam, MoneyMinor, Page, PageQuery } from '../schemas.ts';
import type { App } from '../types.ts';

const StoreParams = IdParam('storeId', 'sto');
const StoreProductParams = Type.Intersect([StoreParams, IdParam('productId', 'prd')]);
const StoreSkuParams = Type.Intersect([StoreParams, IdParam('skuId', 'sku')]);
const StaffRole = Type.Union([Type.Literal('owner'), Type.Literal('operator'), Type.Literal('customer_service')]);
const StaffSchema = Type.Object({ account_id: Type.String(), display_name: Type.String(), phone_masked: Type.String(), role: Type.String() });

const SkuBody = Type.Object({
  spec: Type.Record(Type.String({ maxLength: 20 }), Type.String({ minLength: 1, maxLength: 40 })),
  price_minor: Type.Integer({ minimum: 1, maximum: 100_000_000_00 }),
  list_price_minor: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 100_000_000_00 }), Type.Null()])),
  barcode: Type.Optional(Type.Union([Type.String({ pattern: '^\\d{8,14}$' }), Type.Null()])),
  stock: Type.Integer({ minimum: 0, maximum: 10_000_000 }),
}, { additionalProperties: false });
const ProductBody = Type.Object({
  category_id: Type.String({ pattern: '^cat_' }), title: Type.String({ minLength: 2, maxLength: 60 }), subtitle: Type.Optional(Type.String({ maxLength: 100 })),
  description: Type.Optional(Type.String({ maxLength: 20000 })), brand: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Null()])),
  attributes: Type.Optional(Type.Record(Type.String({ maxLength: 30 }), Type.String({ maxLength: 200 }))), images: Type.Optional(Type.Array(Type.String({ maxLength: 500 }), { maxItems: 20 })),
  skus: Type.Array(SkuBody, { minItems: 1, maxItems: 200 }),
}, { additionalProperties: false });

/**
 * The merchant assistant's API. Every route under /stores/:storeId checks membership (404 for
 * other stores) and the route's permission (403 when the staff role may not do it).
 */
export const merchantRoutes = (ctx: AppContext) => async (app: App) => {
  app.get('/stores', { schema: { tags: ['merchant'], summary: 'Stores I work in', response: { 200: Type.Object({ items: Type.Array(Type.Intersect([StoreSchema, Type.Object({ my_role: Type.String() })])) }), ...errors(401) } } }, async (req) => {
    const staff = req.principal!.staff;
    const stores = await ctx.stores.getStores([...staff.keys()]);
    return { items: [...stores.values()].map((s) => ({ ...presentStore(s), my_role: staff.get(s.id)! })) };
  });

  app.get('/stores/:storeId', { config: { permission: 'store.read' }, schema: { tags: ['merchant'], params: StoreParams, response: { 200: StoreSchema, ...errors(401, 404) } } }, async (req) =>
    presentStore(await ctx.stores.getStore(req.params.storeId)));

  app.patch('/stores/:storeId', {
    config: { permission: 'store.manage' },
    schema: { tags: ['merchant'], params: StoreParams, body: Type.Object({ description: Type.Optional(Type.String({ maxLength: 500 })), logo_url: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])) }, { additionalProperties: false }), response: { 200: StoreSchema, ...errors(400, 401, 403, 404) } },
  }, async (req) => presentStore(await ctx.stores.updateProfile(req.params.storeId, req.body)));

  app.get('/stores/:storeId/staff', { config: { permission: 'store.read' }, schema: { tags: ['merchant'], params: StoreParams, response: { 200: Type.Object({ items: Type.Array(StaffSchema) }), ...errors(401, 404) } } }, async (req) => ({
    items: await ctx.identity.listStaff(req.params.storeId),
  }));

  app.post('/stores/:storeId/staff', {
    config: { permission: 'staff.manage' },
    schema: { tags: ['merchant'], summary: 'Add a staff member by phone (they must have an account)', params: StoreParams, body: Type.Object({ phone: Type.String({ minLength: 11, maxLength: 16 }), role: StaffRole }, { additionalProperties: false }), response: { 201: Type.Object({ items: Type.Array(StaffSchema) }), ...errors(400, 401, 403, 404, 422) } },
  }, async (req, reply) => {
    const accountId = await ctx.identity.accountIdByPhone(req.body.phone);
    if (!accountId) throw notFound('account');
    await ctx.identity.addStaff(ctx.db.kysely, req.params.storeId, accountId, req.body.role);
    return reply.status(201).send({ items: await ctx.identity.listStaff(req.params.storeId) });
  });

  app.delete('/stores/:storeId/staff/:accountId', {
    config: { permission: 'staff.manage' },
    schema: { tags: ['merchant'], params: Type.Intersect([StoreParams, IdParam('accountId', 'acc')]), response: { 204: Type.Null(), ...errors(401, 403, 404, 422) } },
  }, async (req, reply) => {
    await ctx.identity.removeStaff(req.params.storeId, req.params.accountId);
    return reply.status(204).send(null);
  });

  app.get('/stores/:storeId/products', {
    config: { permission: 'store.read' },
    schema: { tags: ['merchant'], params: StoreParams, querystring: Type.Intersect([PageQuery, Type.Object({ status: Type.Optional(Type.Union(['draft', 'in_review', 'live', 'rejected', 'delisted'].map((s) => Type.Literal(s)))) })]), response: { 200: Page(ProductSchema), ...errors(400, 401, 404) } },
  }, async (req) => {
    const page = await ctx.catalog.listStoreProducts(req.params.storeId, req.query as { limit?: number; cursor?: string; status?: never });
    const levels = await ctx.inventory.levels(page.items.flatMap((p) => p.skus.map((s) => s.id)));
    return { items: page.items.map((p) => presentProduct(p, levels, 'staff')), next_cursor: page.next_cursor };
  });

  app.post('/stores/:storeId/products', {
    config: { permission: 'catalog.write' },
    schema: { tags: ['merchant'], params: StoreParams, body: ProductBody, response: { 201: ProductSchema, ...errors(400, 401, 403, 404, 422) } },
  }, async (req, reply) => {
    const { skus, ...rest } = req.body;
    const product = await createListing(ctx, req.params.storeId, { ...rest, skus, stock: skus.map((s) => s.stock) }, req.principal!.account_id);
    const levels = await ctx.inventory.levels(product.skus.map((s) => s.id));
    return reply.status(201).send(presentProduct(product, levels, 'staff'));
  });

  app.get('/stores/:storeId/products/:productId', { config: { permission: 'store.read' }, schema: { tags: ['merchant'], params: StoreProductParams, response: { 200: ProductSchema, ...errors(401, 404) } } }, async (req) => {
    const product = await ctx.catalog.getStoreProduct(req.params.storeId, req.params.productId);
    return presentProduct(product, await ctx.inventory.levels(product.skus.map((s) => s.id)), 'staff');
  });

  app.patch('/stores/:storeId/skus/:skuId/price', {
    config: { permission: 'price.write' },
    schema: { tags: ['merchant'], summary: 'Change a SKU price (owner and operator roles)', params: StoreSkuParams, body: Type.Object({ price_minor: Type.Integer({ minimum: 1, maximum: 100_000_000_00 }), list_price_minor: Type.Optional(Type.Union([MoneyMinor, Type.Null()])) }, { additionalProperties: false }), response: { 200: SkuSchema, ...errors(400, 401, 403, 404, 422) } },
  }, async (req) => {
    const { product_id: _p, ...sku } = await ctx.catalog.setSkuPrice(req.params.storeId, req.params.skuId, req.body, req.principal!.account_id);
    return sku;
  });

  app.post('/stores/:storeId/skus/:skuId/stock-adjustments', {
    config: { permission: 'stock.write' },
    schema: { tags: ['merchant'], params: StoreSkuParams, body: Type.Object({ delta: Type.Integer({ minimum: -10_000_000, maximum: 10_000_000, not: { const: 0 } }), reason: Type.Optional(Type.String({ maxLength: 100 })) }, { additionalProperties: false }), response: { 200: Type.Object({ sku_id: Type.String(), on_hand: Type.Integer(), reserved: Type.Integer(), available: Type.Integer() }), ...errors(400, 401, 403, 404, 422) } },
  }, async (req) => ctx.inventory.adjust(req.params.storeId, req.params.skuId, req.body.delta, req.principal!.account_id, req.body.reason ?? 'adjust'));
};
