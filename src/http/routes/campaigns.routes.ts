import { Type } from 'typebox';
import type { AppContext } from '../../app/wire.ts';
import { notFound } from '../../lib/errors.ts';
import type { RegistrationStatus } from '../../modules/campaigns/index.ts';
import { errors, IdParam } from '../schemas.ts';
import type { App } from '../types.ts';
import {
  CampaignBody, CampaignPatchBody, CampaignSchema, OfferBody, OfferSchema, presentCampaign, presentOffer, presentRanking, presentRegistration, presentReport, presentReservation,
  presentVenue, RankingsSchema, RegistrationBody, RegistrationSchema, ReportSchema, ReservationSchema, ReviewBody, ReviewResult, VenueSchema,
} from './campaigns.schemas.ts';
import { ms } from './promotions.schemas.ts';

const CampaignParams = IdParam('campaignId', 'cmp');
const actor = (req: { principal: { account_id: string } | null }) => req.principal!.account_id;
const list = <T, U>(xs: T[], f: (x: T) => U) => ({ items: xs.map(f) });
const Items = <T extends Parameters<typeof Type.Array>[0]>(s: T) => Type.Object({ items: Type.Array(s) });

/** Operators (console): campaigns, review in bulk, reservation coupons, the live report. */
export const consoleCampaignRoutes = (ctx: AppContext) => async (app: App) => {
  const c = ctx.campaigns;
  const tags = ['console: campaigns'];
  const op = { auth: 'operator' as const };
  app.post('/campaigns', {
    config: op, schema: { tags, summary: 'Create a campaign: phase times, eligibility rules, fee cut, platform 满减, venue sections', body: CampaignBody, response: { 201: CampaignSchema, ...errors(400, 401, 403, 422) } },
  }, async (req, reply) => {
    const b = req.body;
    const created = await c.createCampaign({
      name: b.name, description: b.description, rules: b.rules, fee_rate_bp: b.fee_rate_bp, threshold: b.threshold, sections: b.sections,
      ...(b.presale_balance_hours !== undefined ? { balance_window_ms: b.presale_balance_hours * 3_600_000 } : {}),
      times: { registration_start_ms: ms(b.registration_start), review_start_ms: ms(b.review_start), warmup_start_ms: ms(b.warmup_start), selling_start_ms: ms(b.selling_start), selling_end_ms: ms(b.selling_end) },
    }, actor(req));
    return reply.status(201).send(presentCampaign(created));
  });
  app.get('/campaigns', { config: op, schema: { tags, response: { 200: Items(CampaignSchema), ...errors(401, 403) } } }, async () => list(await c.listCampaigns(), presentCampaign));
  app.get('/campaigns/:campaignId', {
    config: op, schema: { tags, params: CampaignParams, response: { 200: CampaignSchema, ...errors(400, 401, 403, 404) } },
  }, async (req) => presentCampaign(await c.campaign(req.params.campaignId)));
  app.patch('/campaigns/:campaignId', {
    config: op, schema: { tags, summary: 'Rename, edit rules (until selling) or venue sections, or cancel (before selling)', params: CampaignParams, body: CampaignPatchBody, response: { 200: CampaignSchema, ...errors(400, 401, 403, 404, 422) } },
  }, async (req) => presentCampaign(await c.updateCampaign(req.params.campaignId, req.body, actor(req))));
  app.get('/campaigns/:campaignId/registrations', {
    config: op,
    schema: { tags, params: CampaignParams, querystring: Type.Object({ status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('rejected'), Type.Literal('withdrawn')])) }), response: { 200: Items(RegistrationSchema), ...errors(400, 401, 403, 404) } },
  }, async (req) => list(await c.campaignRegistrations(req.params.campaignId, (req.query as { status?: RegistrationStatus }).status), presentRegistration));
  app.post('/campaigns/:campaignId/registrations/review', {
    config: op, schema: { tags, summary: 'Approve or reject registrations in bulk (each from pending; the others are reported)', params: CampaignParams, body: ReviewBody, response: { 200: ReviewResult, ...errors(400, 401, 403, 404, 422) } },
  }, async (req) => ({ results: await c.review(req.params.campaignId, req.body.decisions, actor(req)) }));
  app.post('/campaigns/:campaignId/reservation-offers', {
    config: op, schema: { tags, summary: 'A reservation coupon (预约领券): reserved in warm-up, issued at selling start, with a budget', params: CampaignParams, body: OfferBody, response: { 201: OfferSchema, ...errors(400, 401, 403, 404, 422) } },
  }, async (req, reply) => reply.status(201).send(presentOffer(await c.createReservationOffer(req.params.campaignId, req.body, actor(req)))));
  app.get('/campaigns/:campaignId/report', {
    config: op, schema: { tags, summary: 'Live report: GMV, orders, stores and items, discount cost by funder, fee income, top items', params: CampaignParams, response: { 200: ReportSchema, ...errors(400, 401, 403, 404) } },
  }, async (req) => {
    await c.campaign(req.params.campaignId);
    return presentReport(await c.report(req.params.campaignId));
  });
};

/** Merchants: campaigns open for registration, register SKUs, withdraw before selling. */
export const merchantCampaignRoutes = (ctx: AppContext) => async (app: App) => {
  const c = ctx.campaigns;
  const tags = ['merchant campaigns'];
  const StoreParams = IdParam('storeId', 'sto');
  app.get('/stores/:storeId/campaigns', {
    config: { permission: 'store.read' as const }, schema: { tags, summary: 'Campaigns open for registration, with their rules', params: StoreParams, response: { 200: Items(CampaignSchema), ...errors(400, 401, 404) } },
  }, async () => list(await c.listCampaigns({ phases: ['registration'] }), presentCampaign));
  app.get('/stores/:storeId/campaign-registrations', {
    config: { permission: 'store.read' as const },
    schema: { tags, params: StoreParams, querystring: Type.Object({ campaign_id: Type.Optional(Type.String({ pattern: '^cmp_', maxLength: 40 })) }), response: { 200: Items(RegistrationSchema), ...errors(400, 401, 404) } },
  }, async (req) => list(await c.storeRegistrations(req.params.storeId, (req.query as { campaign_id?: string }).campaign_id), presentRegistration));
  app.post('/stores/:storeId/campaigns/:campaignId/registrations', {
    config: { permission: 'price.write' as const },
    schema: { tags, summary: 'Register a SKU with campaign price and stock; refused (422) with every failed rule explained', params: Type.Intersect([StoreParams, CampaignParams]), body: RegistrationBody, response: { 201: RegistrationSchema, ...errors(400, 401, 403, 404, 409, 422) } },
  }, async (req, reply) => reply.status(201).send(presentRegistration(await c.register(req.params.campaignId, req.params.storeId, req.body, actor(req)))));
  app.post('/stores/:storeId/campaign-registrations/:registrationId/withdraw', {
    config: { permission: 'price.write' as const },
    schema: { tags, summary: 'Withdraw a registration before selling starts', params: Type.Intersect([StoreParams, IdParam('registrationId', 'crg')]), response: { 200: RegistrationSchema, ...errors(400, 401, 403, 404, 409, 422) } },
  }, async (req) => presentRegistration(await c.withdraw(req.params.storeId, req.params.registrationId, actor(req))));
};

/** Buyers: visible campaigns, the main venue, rankings (public, from memory), reservations. */
export const buyerCampaignRoutes = (ctx: AppContext) => async (app: App) => {
  const c = ctx.campaigns;
  const tags = ['campaigns'];
  const pub = { auth: 'public' as const };
  app.get('/campaigns', { config: pub, schema: { tags, summary: 'Campaigns in warm-up or selling', response: { 200: Items(CampaignSchema) } } }, async () => list(await c.visibleCampaigns(), presentCampaign));
  app.get('/campaigns/:campaignId/venue', {
    config: pub, schema: { tags, summary: 'The main venue (主会场): sections of approved items, best sellers first', params: CampaignParams, response: { 200: VenueSchema, ...errors(400, 404) } },
  }, async (req) => {
    const v = await c.venue(req.params.campaignId);
    if (!v) throw notFound('campaign', req.params.campaignId);
    return presentVenue(v);
  });
  app.get('/campaigns/:campaignId/rankings', {
    config: pub,
    schema: {
      tags, summary: 'Rankings (榜单): best sellers, trending (units in the last hour), or per category', params: CampaignParams,
      querystring: Type.Object({ kind: Type.Optional(Type.Union([Type.Literal('best_sellers'), Type.Literal('trending'), Type.Literal('category')])), category_id: Type.Optional(Type.String({ pattern: '^cat_', maxLength: 40 })) }),
      response: { 200: RankingsSchema, ...errors(400, 404) },
    },
  }, async (req) => {
    const r = await c.rankings(req.params.campaignId);
    if (!r) throw notFound('campaign', req.params.campaignId);
    const q = req.query as { kind?: 'best_sellers' | 'trending' | 'category'; category_id?: string };
    return presentRanking(r, q.kind ?? 'best_sellers', q.category_id ?? null);
  });
  app.get('/campaigns/:campaignId/reservation-offers', {
    config: pub, schema: { tags, params: CampaignParams, response: { 200: Items(OfferSchema), ...errors(400) } },
  }, async (req) => list(await c.reservationOffers(req.params.campaignId), presentOffer));
  app.post('/campaigns/:campaignId/reservation-offers/:offerId/reserve', {
    schema: { tags, summary: '预约: reserve a campaign coupon in warm-up; it is issued when selling starts', params: Type.Intersect([CampaignParams, IdParam('offerId', 'cro')]), response: { 201: Type.Object({ reservation_id: Type.String(), offer: OfferSchema }), ...errors(400, 401, 404, 422) } },
  }, async (req, reply) => reply.status(201).send(await c.reserve(actor(req), req.params.campaignId, req.params.offerId)));
  app.get('/campaigns/:campaignId/my-reservations', {
    schema: { tags, params: CampaignParams, response: { 200: Items(ReservationSchema), ...errors(400, 401) } },
  }, async (req) => list(await c.myReservations(actor(req), req.params.campaignId), presentReservation));
};
