import { Type } from 'typebox';
import type { AppContext } from '../../app/wire.ts';
import type { CommissionStatus, OfferStatus, PoolFilter } from '../../modules/affiliate/index.ts';
import { dayStartRange } from './analytics.routes.ts';
import {
  CreatorOrderSchema, CreatorOrdersQuery, DayRangeQuery, EarningsSchema, OfferBody, OfferListQuery, OfferPatchBody, OfferSchema, PoolItemSchema, PoolQuery, presentCreatorOrder,
  presentOffer, presentPoolItem, presentSelection, SelectBody, SelectionSchema, StoreCreatorSchema,
} from './affiliate.schemas.ts';
import { errors, IdParam, Page, PageQuery } from '../schemas.ts';
import type { App } from '../types.ts';

const StoreParams = IdParam('storeId', 'sto');
const OfferParams = Type.Intersect([StoreParams, IdParam('offerId', 'aof')]);
const tags = ['affiliate'];
const ms = (iso: string | null | undefined) => (iso === undefined ? undefined : iso === null ? null : Date.parse(iso));

/**
 * The merchant's side of the affiliate pool, under /api/v1/merchant/stores/:storeId/affiliate:
 * offering products to creators (price.write: owner and operator), the offers (store.read) and
 * which creators sell the store's products (finance.read: it shows GMV and commission).
 */
export const merchantAffiliateRoutes = (ctx: AppContext) => async (app: App) => {
  const a = ctx.affiliate;
  app.post('/stores/:storeId/affiliate/offers', {
    config: { permission: 'price.write' },
    schema: { tags, summary: 'Put a product into the affiliate pool (优选联盟) with a commission rate (1%–50%) and optional exclusive rates for named creators', params: StoreParams, body: OfferBody, response: { 201: OfferSchema, ...errors(400, 401, 403, 404, 409, 422) } },
  }, async (req, reply) => {
    const b = req.body;
    const offer = await a.addOffer(req.params.storeId, { product_id: b.product_id, rate_bp: b.rate_bp, exclusive_rates: b.exclusive_rates, starts_at: ms(b.starts_at) ?? undefined, ends_at: ms(b.ends_at) }, req.principal!.account_id);
    return reply.status(201).send(presentOffer(offer));
  });
  app.get('/stores/:storeId/affiliate/offers', {
    config: { permission: 'store.read' },
    schema: { tags, summary: "The store's offers, newest first", params: StoreParams, querystring: Type.Intersect([PageQuery, OfferListQuery]), response: { 200: Page(OfferSchema), ...errors(400, 401, 404) } },
  }, async (req) => {
    const p = await a.storeOffers(req.params.storeId, req.query as { status?: OfferStatus; limit?: number; cursor?: string });
    return { items: p.items.map(presentOffer), next_cursor: p.next_cursor };
  });
  app.patch('/stores/:storeId/affiliate/offers/:offerId', {
    config: { permission: 'price.write' },
    schema: { tags, summary: 'Change the rate, the exclusive rates (the list replaces the old one) or the end; orders already paid keep the rate they were paid at', params: OfferParams, body: OfferPatchBody, response: { 200: OfferSchema, ...errors(400, 401, 403, 404, 422) } },
  }, async (req) => {
    const b = req.body;
    return presentOffer(await a.updateOffer(req.params.storeId, req.params.offerId, { rate_bp: b.rate_bp, exclusive_rates: b.exclusive_rates, ends_at: ms(b.ends_at) }));
  });
  app.post('/stores/:storeId/affiliate/offers/:offerId/withdraw', {
    config: { permission: 'price.write' },
    schema: { tags, summary: 'Take the product out of the pool now: orders paid from now on earn no commission', params: OfferParams, response: { 200: OfferSchema, ...errors(401, 403, 404) } },
  }, async (req) => presentOffer(await a.withdrawOffer(req.params.storeId, req.params.offerId)));
  app.get('/stores/:storeId/affiliate/creators', {
    config: { permission: 'finance.read' },
    schema: { tags, summary: "Creators selling the store's products: selections, orders, GMV and commission (paid between from and to, Asia/Shanghai days)", params: StoreParams, querystring: DayRangeQuery, response: { 200: Type.Object({ items: Type.Array(StoreCreatorSchema) }), ...errors(400, 401, 403, 404) } },
  }, async (req) => ({ items: await a.storeCreators(req.params.storeId, dayStartRange(req.query)) }));
};

/**
 * The creator's side (达人), under /api/v1/creator (creator role): browse the pool, select
 * products, their orders (no buyer data) and earnings.
 */
export const creatorAffiliateRoutes = (ctx: AppContext) => async (app: App) => {
  const a = ctx.affiliate;
  const me = (req: { principal: { account_id: string } | null }) => req.principal!.account_id;
  const auth = { auth: 'creator' as const };
  app.get('/pool', {
    config: auth,
    schema: { tags, summary: 'Browse the affiliate pool: active offers of products on sale, by rate (default), newest or price', querystring: Type.Intersect([PageQuery, PoolQuery]), response: { 200: Page(PoolItemSchema), ...errors(400, 401, 403) } },
  }, async (req) => {
    const p = await a.browse(me(req), req.query as PoolFilter);
    return { items: p.items.map(presentPoolItem), next_cursor: p.next_cursor };
  });
  app.get('/selections', {
    config: auth,
    schema: { tags, summary: 'My selected products (选品), newest first, with my rate and whether the offer is still active', querystring: PageQuery, response: { 200: Page(SelectionSchema), ...errors(400, 401, 403) } },
  }, async (req) => {
    const p = await a.selections(me(req), req.query as { limit?: number; cursor?: string });
    return { items: p.items.map(presentSelection), next_cursor: p.next_cursor };
  });
  app.post('/selections', {
    config: auth,
    schema: { tags, summary: 'Select a product from the pool (selecting it again answers the existing selection with 200)', body: SelectBody, response: { 200: SelectionSchema, 201: SelectionSchema, ...errors(400, 401, 403, 404, 422) } },
  }, async (req, reply) => {
    const r = await a.select(me(req), req.body.product_id);
    return reply.status(r.created ? 201 : 200).send(presentSelection(r.selection));
  });
  app.delete('/selections/:productId', {
    config: auth,
    schema: { tags, summary: 'Remove a product from my selection: orders paid from now on earn no commission on it', params: IdParam('productId', 'prd'), response: { 204: Type.Null(), ...errors(401, 403, 404) } },
  }, async (req, reply) => {
    await a.unselect(me(req), req.params.productId);
    return reply.status(204).send(null);
  });
  app.get('/orders', {
    config: auth,
    schema: { tags, summary: 'Order lines attributed to me, newest first: product, amount, status and commission — no buyer name, phone or address', querystring: Type.Intersect([PageQuery, CreatorOrdersQuery]), response: { 200: Page(CreatorOrderSchema), ...errors(400, 401, 403) } },
  }, async (req) => {
    const p = await a.creatorOrders(me(req), req.query as { status?: CommissionStatus; limit?: number; cursor?: string });
    return { items: p.items.map(presentCreatorOrder), next_cursor: p.next_cursor };
  });
  app.get('/earnings', {
    config: auth,
    schema: { tags, summary: 'My commission: pending (paid, not settled), settled and reversed (from the ledger) and the balance owed to me', response: { 200: EarningsSchema, ...errors(401, 403) } },
  }, async (req) => a.earnings(me(req)));
};
