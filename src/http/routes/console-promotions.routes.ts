import { Type } from 'typebox';
import type { AppContext } from '../../app/wire.ts';
import type { OfferStatus, PlatformThresholdInput } from '../../modules/promotions/index.ts';
import { errors, IdParam, Page, PageQuery } from '../schemas.ts';
import type { App } from '../types.ts';
import {
  CouponTemplateSchema, couponInput, ms, OfferStatus as OfferStatusSchema, PlatformCouponBody, PlatformThresholdBody, PlatformThresholdPatch, presentTemplate, presentThreshold,
  TemplatePatchBody, ThresholdSchema, thresholdInput,
} from './promotions.schemas.ts';

const tags = ['console: promotions'];
const op = { auth: 'operator' as const };
const PLATFORM = { scope: 'platform' as const };
const ListQuery = Type.Intersect([PageQuery, Type.Object({ status: Type.Optional(OfferStatusSchema) })]);
const page = <T, U>(p: { items: T[]; next_cursor: string | null }, f: (x: T) => U) => ({ items: p.items.map(f), next_cursor: p.next_cursor });

/**
 * Platform coupons and platform-wide 满减 in the console (operators only). The operator says
 * who funds each offer (platform, merchant, or shared by platform_share_bp), which campaign it
 * belongs to, and what it stacks with — all data, applied by the pricing engine.
 */
export const consolePromotionRoutes = (ctx: AppContext) => async (app: App) => {
  const p = ctx.promotions;
  const actor = (req: { principal: { account_id: string } | null }) => req.principal!.account_id;
  const TemplateParams = IdParam('templateId', 'cpt');
  const PromotionParams = IdParam('promotionId', 'prm');

  app.post('/coupons', {
    config: op, schema: { tags, summary: 'Create a platform coupon with its funder, budget and per-buyer limit', body: PlatformCouponBody, response: { 201: CouponTemplateSchema, ...errors(400, 401, 403, 422) } },
  }, async (req, reply) => reply.status(201).send(presentTemplate(await p.createPlatformCoupon(couponInput(req.body), actor(req)))));
  app.get('/coupons', {
    config: op, schema: { tags, querystring: ListQuery, response: { 200: Page(CouponTemplateSchema), ...errors(400, 401, 403) } },
  }, async (req) => page(await p.listCouponTemplates(PLATFORM, req.query as { status?: OfferStatus }), presentTemplate));
  app.get('/coupons/:templateId', {
    config: op, schema: { tags, params: TemplateParams, response: { 200: CouponTemplateSchema, ...errors(400, 401, 403, 404) } },
  }, async (req) => presentTemplate(await p.couponTemplate(PLATFORM, req.params.templateId)));
  app.patch('/coupons/:templateId', {
    config: op, schema: { tags, params: TemplateParams, body: TemplatePatchBody, response: { 200: CouponTemplateSchema, ...errors(400, 401, 403, 404, 409, 422) } },
  }, async (req) => {
    const { claim_to, ...rest } = req.body;
    return presentTemplate(await p.updateCouponTemplate(PLATFORM, req.params.templateId, { ...rest, ...(claim_to ? { claim_to_ms: ms(claim_to) } : {}) }));
  });

  app.post('/threshold-promotions', {
    config: op, schema: { tags, summary: 'Create a platform-wide 满减 (e.g. 每满50减5) across stores', body: PlatformThresholdBody, response: { 201: ThresholdSchema, ...errors(400, 401, 403, 422) } },
  }, async (req, reply) => reply.status(201).send(presentThreshold(await p.createPlatformThreshold(thresholdInput(req.body) as PlatformThresholdInput, actor(req)))));
  app.get('/threshold-promotions', {
    config: op, schema: { tags, querystring: ListQuery, response: { 200: Page(ThresholdSchema), ...errors(400, 401, 403) } },
  }, async (req) => page(await p.listThresholds(PLATFORM, req.query as { status?: OfferStatus }), presentThreshold));
  app.get('/threshold-promotions/:promotionId', {
    config: op, schema: { tags, params: PromotionParams, response: { 200: ThresholdSchema, ...errors(400, 401, 403, 404) } },
  }, async (req) => presentThreshold(await p.thresholdPromotion(PLATFORM, req.params.promotionId)));
  app.patch('/threshold-promotions/:promotionId', {
    config: op, schema: { tags, params: PromotionParams, body: PlatformThresholdPatch, response: { 200: ThresholdSchema, ...errors(400, 401, 403, 404, 422) } },
  }, async (req) => presentThreshold(await p.updateThreshold(PLATFORM, req.params.promotionId, thresholdInput(req.body as Record<string, never>))));
};
