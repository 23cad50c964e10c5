import { Type } from 'typebox';
import type { AppContext } from '../../app/wire.ts';
import { MovementSchema, presentMovement, StockLevelSchema } from '../catalog.presenters.ts';
import { errors, IdParam, Page, PageQuery } from '../schemas.ts';
import type { App } from '../types.ts';
import type { MovementReason } from '../../modules/inventory/index.ts';

const StoreParams = IdParam('storeId', 'sto');
const StoreSkuParams = Type.Intersect([StoreParams, IdParam('skuId', 'sku')]);
const Note = Type.String({ maxLength: 200, description: 'why, shown in the movement log (e.g. 盘点, 到货)' });
const Reason = Type.Union(['initial', 'adjust', 'import', 'reserve', 'release', 'sale', 'restock'].map((r) => Type.Literal(r)));

/** Stock in the merchant assistant: adjust one SKU or many, and the movement log (who, why, balance after). */
export const merchantInventoryRoutes = (ctx: AppContext) => async (app: App) => {
  const tags = ['merchant inventory'];
  app.post('/stores/:storeId/skus/:skuId/stock-adjustments', {
    config: { permission: 'stock.write' },
    schema: {
      tags, summary: 'Add or remove stock of one SKU (never below what unpaid orders hold)', params: StoreSkuParams,
      body: Type.Object({ delta: Type.Integer({ minimum: -10_000_000, maximum: 10_000_000, not: { const: 0 } }), note: Type.Optional(Note) }, { additionalProperties: false }),
      response: { 200: StockLevelSchema, ...errors(400, 401, 403, 404, 422) },
    },
  }, async (req) => ctx.inventory.adjust(req.params.storeId, req.params.skuId, req.body.delta, req.principal!.account_id, req.body.note ?? null));

  app.post('/stores/:storeId/stock-adjustments', {
    config: { permission: 'stock.write' },
    schema: {
      tags, summary: 'Adjust many SKUs at once — all or nothing; 422 lists every failing line and nothing changes', params: StoreParams,
      body: Type.Object({
        items: Type.Array(Type.Object({
          sku_id: Type.String({ pattern: '^sku_' }),
          delta: Type.Optional(Type.Integer({ minimum: -10_000_000, maximum: 10_000_000 })),
          on_hand: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000, description: 'set the count instead of adding (a stock-take)' })),
          note: Type.Optional(Note),
        }, { additionalProperties: false }), { minItems: 1, maxItems: 500 }),
      }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(StockLevelSchema) }), ...errors(400, 401, 403, 404, 422) },
    },
  }, async (req) => ({ items: await ctx.inventory.adjustMany(req.params.storeId, req.body.items, req.principal!.account_id) }));

  app.get('/stores/:storeId/stock-movements', {
    config: { permission: 'store.read' },
    schema: {
      tags, summary: 'The movement log, newest first', params: StoreParams,
      querystring: Type.Intersect([PageQuery, Type.Object({ sku_id: Type.Optional(Type.String({ pattern: '^sku_' })), reason: Type.Optional(Reason) })]),
      response: { 200: Page(MovementSchema), ...errors(400, 401, 404) },
    },
  }, async (req) => {
    const page = await ctx.inventory.listMovements(req.params.storeId, req.query as { limit?: number; cursor?: string; sku_id?: string; reason?: MovementReason });
    return { items: page.items.map(presentMovement), next_cursor: page.next_cursor };
  });
};
