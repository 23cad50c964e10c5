import { Type } from 'typebox';
import type { AppContext } from '../../app/wire.ts';
import { presentProduct, presentStore, ProductSchema, StoreSchema } from '../presenters.ts';
import { toIso } from '../../lib/clock.ts';
import { errors, IdParam, Page, PageQuery, Timestamp } from '../schemas.ts';
import type { App } from '../types.ts';

const CategorySchema = Type.Object({
  id: Type.String(), parent_id: Type.Union([Type.String(), Type.Null()]), code: Type.String(), name_zh: Type.String(), name_en: Type.String(), is_leaf: Type.Boolean(),
  fee_rate_bp: Type.Integer(), deposit_minor: Type.Integer(), no_reason_return_7d: Type.Boolean(), shipping_insurance: Type.Boolean(),
  required_attributes: Type.Array(Type.Object({ key: Type.String(), label_zh: Type.String(), type: Type.String(), options: Type.Optional(Type.Array(Type.String())) })),
  required_qualifications: Type.Array(Type.String()),
});

/** What anyone may browse without signing in: categories, open stores, live products. */
export const publicRoutes = (ctx: AppContext) => async (app: App) => {
  // Countdowns (pre-sale balance windows, flash sales) run on the server's clock: a phone's own may be off.
  app.get('/time', { config: { auth: 'public' }, schema: { tags: ['catalog'], summary: "The server's clock, for countdowns", response: { 200: Type.Object({ now: Timestamp }) } } }, async () => ({
    now: toIso(ctx.clock.now())!,
  }));

  app.get('/categories', { config: { auth: 'public' }, schema: { tags: ['catalog'], response: { 200: Type.Object({ items: Type.Array(CategorySchema) }) } } }, async () => ({
    items: await ctx.catalog.listCategories(),
  }));

  app.get('/stores', { config: { auth: 'public' }, schema: { tags: ['catalog'], querystring: PageQuery, response: { 200: Page(StoreSchema), ...errors(400) } } }, async (req) => {
    const page = await ctx.stores.listOpenStores(req.query);
    return { items: page.items.map(presentStore), next_cursor: page.next_cursor };
  });

  app.get('/stores/:storeId', { config: { auth: 'public' }, schema: { tags: ['catalog'], params: IdParam('storeId', 'sto'), response: { 200: StoreSchema, ...errors(400, 404) } } }, async (req) =>
    presentStore(await ctx.stores.getOpenStore(req.params.storeId)));

  app.get('/products', {
    config: { auth: 'public' },
    schema: { tags: ['catalog'], querystring: Type.Intersect([PageQuery, Type.Object({ store_id: Type.Optional(Type.String({ pattern: '^sto_' })), category_id: Type.Optional(Type.String({ pattern: '^cat_' })) })]), response: { 200: Page(ProductSchema), ...errors(400) } },
  }, async (req) => {
    const page = await ctx.catalog.listLiveProducts(req.query as { limit?: number; cursor?: string; store_id?: string; category_id?: string });
    const levels = await ctx.inventory.levels(page.items.flatMap((p) => p.skus.map((s) => s.id)));
    return { items: page.items.map((p) => presentProduct(p, levels, 'buyer')), next_cursor: page.next_cursor };
  });

  app.get('/products/:productId', { config: { auth: 'public' }, schema: { tags: ['catalog'], params: IdParam('productId', 'prd'), response: { 200: ProductSchema, ...errors(400, 404) } } }, async (req) => {
    const p = await ctx.catalog.getLiveProduct(req.params.productId);
    return presentProduct(p, await ctx.inventory.levels(p.skus.map((s) => s.id)), 'buyer');
  });
};
