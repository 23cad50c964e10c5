import { Type } from 'typebox';
import type { AppContext } from '../../app/wire.ts';
import type { WalletState } from '../../modules/promotions/index.ts';
import { errors, IdParam, Page, PageQuery } from '../schemas.ts';
import type { App } from '../types.ts';
import { ClaimableCouponSchema, presentClaimable, presentWallet, WalletCouponSchema } from './promotions.schemas.ts';

const tags = ['coupons'];

/**
 * Buyers: the coupons they can claim (on a product page, a store page, or the platform's 领券中心),
 * claiming one (budget and per-buyer limit hold under any concurrency; send an Idempotency-Key
 * to make a retried tap safe), and their wallet by state.
 */
export const buyerPromotionRoutes = (ctx: AppContext) => async (app: App) => {
  app.get('/coupons', {
    config: { auth: 'public' },
    schema: {
      tags, summary: 'Coupons claimable now: for a product (its store’s and the platform’s that apply), a store, or — with neither — the platform’s',
      querystring: Type.Object({ product_id: Type.Optional(Type.String({ pattern: '^prd_' })), store_id: Type.Optional(Type.String({ pattern: '^sto_' })) }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(ClaimableCouponSchema) }), ...errors(400, 404) },
    },
  }, async (req) => ({ items: (await ctx.promotions.availableCoupons(req.query, req.principal?.account_id ?? null)).map(presentClaimable) }));

  app.post('/coupons/:templateId/claim', {
    schema: {
      tags, summary: 'Claim one coupon into the wallet (领券)', params: IdParam('templateId', 'cpt'),
      response: { 201: WalletCouponSchema, ...errors(400, 401, 404, 422) },
    },
  }, async (req, reply) => reply.status(201).send(presentWallet(await ctx.promotions.claimCoupon(req.principal!.account_id, req.params.templateId))));

  app.get('/me/coupons', {
    schema: {
      tags, summary: 'My coupons: usable (not used, not expired), used, or expired; newest first',
      querystring: Type.Intersect([PageQuery, Type.Object({
        state: Type.Optional(Type.Union([Type.Literal('usable'), Type.Literal('used'), Type.Literal('expired')])),
        store_id: Type.Optional(Type.String({ pattern: '^sto_', description: "this store's coupons and the platform's" })),
      })]),
      response: { 200: Page(WalletCouponSchema), ...errors(400, 401) },
    },
  }, async (req) => {
    const page = await ctx.promotions.listWallet(req.principal!.account_id, req.query as { state?: WalletState; store_id?: string; limit?: number; cursor?: string });
    return { items: page.items.map(presentWallet), next_cursor: page.next_cursor };
  });
};
