import { Type } from 'typebox';
import type { AppContext } from '../../app/wire.ts';
import type { FlashSale, OfferStatus, ThresholdInput } from '../../modules/promotions/index.ts';
import { errors, IdParam, Page, PageQuery } from '../schemas.ts';
import type { App } from '../types.ts';
import {
  CouponTemplateSchema, couponInput, FlashSaleBody, FlashSalePatchBody, FlashSaleSchema, flashInput, ms, OfferStatus as OfferStatusSchema, presentFlashSale, presentTemplate,
  presentThreshold, StoreCouponBody, StoreThresholdBody, StoreThresholdPatch, TemplatePatchBody, ThresholdSchema, thresholdInput,
} from './promotions.schemas.ts';

const StoreParams = IdParam('storeId', 'sto');
const tags = ['merchant promotions'];
const write = { permission: 'price.write' as const };
const read = { permission: 'store.read' as const };
const ListQuery = Type.Intersect([PageQuery, Type.Object({ status: Type.Optional(OfferStatusSchema) })]);
const page = <T, U>(p: { items: T[]; next_cursor: string | null }, f: (x: T) => U) => ({ items: p.items.map(f), next_cursor: p.next_cursor });

/**
 * A store's promotions in the merchant assistant, under /api/v1/merchant/stores/:storeId:
 * coupons (店铺券), threshold promotions (满减) and flash sales (限时抢购). Creating and editing
 * needs `price.write` (owner, operator — not customer service); reading needs `store.read`.
 * Ending an offer is an edit (`status: 'stopped'`): claimed coupons stay usable until they expire.
 */
export const merchantPromotionRoutes = (ctx: AppContext) => async (app: App) => {
  /** Flash sales as the merchant's list shows them: with the SKU's title, spec and own price now. */
  async function withProducts(sales: FlashSale[]) {
    const snaps = await ctx.catalog.saleSnapshots([...new Set(sales.map((f) => f.sku_id))]);
    return sales.map((f) => {
      const s = snaps.get(f.sku_id);
      return { ...presentFlashSale(f), ...(s ? { product: { title: s.title, spec: s.spec, image: s.image, price_minor: s.price_minor } } : {}) };
    });
  }

  const p = ctx.promotions;
  const owner = (storeId: string) => ({ scope: 'store' as const, store_id: storeId });
  const actor = (req: { principal: { account_id: string } | null }) => req.principal!.account_id;

  // ── coupons ──
  const TemplateParams = Type.Intersect([StoreParams, IdParam('templateId', 'cpt')]);
  app.post('/stores/:storeId/coupons', {
    config: write, schema: { tags, summary: 'Create a store coupon (满X减Y, 无门槛, 折扣券) with a budget and a per-buyer limit', params: StoreParams, body: StoreCouponBody, response: { 201: CouponTemplateSchema, ...errors(400, 401, 403, 404, 422) } },
  }, async (req, reply) => reply.status(201).send(presentTemplate(await p.createStoreCoupon(req.params.storeId, couponInput(req.body), actor(req)))));
  app.get('/stores/:storeId/coupons', {
    config: read, schema: { tags, summary: "The store's coupons with claimed and remaining counts, newest first", params: StoreParams, querystring: ListQuery, response: { 200: Page(CouponTemplateSchema), ...errors(400, 401, 404) } },
  }, async (req) => page(await p.listCouponTemplates(owner(req.params.storeId), req.query as { status?: OfferStatus }), presentTemplate));
  app.get('/stores/:storeId/coupons/:templateId', {
    config: read, schema: { tags, params: TemplateParams, response: { 200: CouponTemplateSchema, ...errors(400, 401, 404) } },
  }, async (req) => presentTemplate(await p.couponTemplate(owner(req.params.storeId), req.params.templateId)));
  app.patch('/stores/:storeId/coupons/:templateId', {
    config: write, schema: { tags, summary: 'Rename, change the budget (not below what is claimed) or the limit, end claiming early, stop or resume', params: TemplateParams, body: TemplatePatchBody, response: { 200: CouponTemplateSchema, ...errors(400, 401, 403, 404, 409, 422) } },
  }, async (req) => {
    const { claim_to, ...rest } = req.body;
    return presentTemplate(await p.updateCouponTemplate(owner(req.params.storeId), req.params.templateId, { ...rest, ...(claim_to ? { claim_to_ms: ms(claim_to) } : {}) }));
  });

  // ── 满减 ──
  const PromotionParams = Type.Intersect([StoreParams, IdParam('promotionId', 'prm')]);
  app.post('/stores/:storeId/threshold-promotions', {
    config: write, schema: { tags, summary: 'Create a store 满减 (one tier, a ladder, or 每满X减Y with a cap); applied automatically at checkout', params: StoreParams, body: StoreThresholdBody, response: { 201: ThresholdSchema, ...errors(400, 401, 403, 404, 422) } },
  }, async (req, reply) => reply.status(201).send(presentThreshold(await p.createStoreThreshold(req.params.storeId, thresholdInput(req.body) as ThresholdInput, actor(req)))));
  app.get('/stores/:storeId/threshold-promotions', {
    config: read, schema: { tags, params: StoreParams, querystring: ListQuery, response: { 200: Page(ThresholdSchema), ...errors(400, 401, 404) } },
  }, async (req) => page(await p.listThresholds(owner(req.params.storeId), req.query as { status?: OfferStatus }), presentThreshold));
  app.get('/stores/:storeId/threshold-promotions/:promotionId', {
    config: read, schema: { tags, params: PromotionParams, response: { 200: ThresholdSchema, ...errors(400, 401, 404) } },
  }, async (req) => presentThreshold(await p.thresholdPromotion(owner(req.params.storeId), req.params.promotionId)));
  app.patch('/stores/:storeId/threshold-promotions/:promotionId', {
    config: write, schema: { tags, summary: 'Edit (validated again) or stop a 满减', params: PromotionParams, body: StoreThresholdPatch, response: { 200: ThresholdSchema, ...errors(400, 401, 403, 404, 422) } },
  }, async (req) => presentThreshold(await p.updateThreshold(owner(req.params.storeId), req.params.promotionId, thresholdInput(req.body as Record<string, never>))));

  // ── 限时抢购 ──
  const FlashParams = Type.Intersect([StoreParams, IdParam('flashSaleId', 'fls')]);
  app.post('/stores/:storeId/flash-sales', {
    config: write,
    schema: {
      tags, summary: 'Create a flash sale for one SKU: ≤ 24 h, 10%–85% of the current price and ≥ ¥10 below it, flash stock ≤ the SKU’s available stock',
      params: StoreParams, body: FlashSaleBody, response: { 201: FlashSaleSchema, ...errors(400, 401, 403, 404, 409, 422) },
    },
  }, async (req, reply) => {
    const { sku_id, price_minor, flash_stock, limit_per_buyer } = req.body;
    const f = await p.createFlashSale(req.params.storeId, { sku_id, price_minor, flash_stock, limit_per_buyer, start_ms: ms(req.body.starts_at), end_ms: ms(req.body.ends_at) }, actor(req));
    return reply.status(201).send((await withProducts([f]))[0]);
  });
  app.get('/stores/:storeId/flash-sales', {
    config: read,
    schema: { tags, params: StoreParams, querystring: Type.Intersect([ListQuery, Type.Object({ sku_id: Type.Optional(Type.String({ pattern: '^sku_' })) })]), response: { 200: Page(FlashSaleSchema), ...errors(400, 401, 404) } },
  }, async (req) => {
    const list = await p.listFlashSales(req.params.storeId, req.query as { status?: OfferStatus; sku_id?: string });
    return { items: await withProducts(list.items), next_cursor: list.next_cursor };
  });
  app.get('/stores/:storeId/flash-sales/:flashSaleId', {
    config: read, schema: { tags, params: FlashParams, response: { 200: FlashSaleSchema, ...errors(400, 401, 404) } },
  }, async (req) => (await withProducts([await p.flashSale(req.params.storeId, req.params.flashSaleId)]))[0]);
  app.patch('/stores/:storeId/flash-sales/:flashSaleId', {
    config: write, schema: { tags, summary: 'Edit price, stock (not below what is sold), limit or window — checked again — or stop', params: FlashParams, body: FlashSalePatchBody, response: { 200: FlashSaleSchema, ...errors(400, 401, 403, 404, 409, 422) } },
  }, async (req) => (await withProducts([await p.updateFlashSale(req.params.storeId, req.params.flashSaleId, flashInput(req.body))]))[0]);
};
