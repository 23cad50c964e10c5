import { Type } from 'typebox';
import type { AppContext } from '../../app/wire.ts';
import { DAY_MS, HOUR_MS } from '../../lib/clock.ts';
import { invalid } from '../../lib/errors.ts';
import { ANALYTICS_CHANNELS, TRACK_KINDS, type DayRange, type Dimension, type Scope } from '../../modules/analytics/index.ts';
import { errors, IdParam } from '../schemas.ts';
import type { App } from '../types.ts';
import { DayRangeQuery } from './affiliate.schemas.ts';

const tags = ['analytics'];
const StoreParams = IdParam('storeId', 'sto');
const metricFields = {
  gmv_minor: Type.Integer({ description: 'what buyers paid (freight share included) on orders paid that day / in that group' }),
  refunded_minor: Type.Integer({ description: 'refunded so far on those lines' }), net_minor: Type.Integer(), currency: Type.Literal('CNY'),
  orders: Type.Integer(), buyers: Type.Integer(), units: Type.Integer(), visitors: Type.Integer({ description: 'distinct viewers tracked' }), views: Type.Integer(),
  conversion_bp: Type.Union([Type.Integer(), Type.Null()], { description: 'buyers ÷ visitors in basis points; null with no tracked views' }),
};
const RowSchema = Type.Object({ key: Type.Union([Type.String(), Type.Null()], { description: 'the day, channel, content id, creator id or product id; null: none (e.g. no creator)' }), ...metricFields });
const SummarySchema = Type.Object({ from: Type.String(), to: Type.String(), avg_order_minor: Type.Integer(), ...metricFields });
const ReportSchema = Type.Object({ from: Type.String(), to: Type.String(), dimension: Type.String(), items: Type.Array(RowSchema) });

/** Shanghai days [from, to] as epoch-ms bounds [start of from, start of the day after to); open when absent. */
export function dayStartRange(q: { from?: string; to?: string }): { from?: number; to?: number } {
  const start = (d: string) => Date.parse(`${d}T00:00:00Z`) - 8 * HOUR_MS;
  return { from: q.from ? start(q.from) : undefined, to: q.to ? start(q.to) + DAY_MS : undefined };
}

const DIMENSIONS: Record<string, Dimension> = { 'by-day': 'day', 'by-channel': 'channel', 'by-content': 'content', 'by-creator': 'creator', 'by-product': 'product' };

function reportRoutes(app: App, ctx: AppContext, prefix: string, scopeOf: (req: any) => Scope, routeConfig: Record<string, unknown>, params: unknown, dims: string[], who: string) {
  const range = (q: { from?: string; to?: string }): DayRange => {
    const d = ctx.analytics.defaultRange();
    return { from: q.from ?? (q.to && q.to < d.from ? q.to : d.from), to: q.to ?? d.to };
  };
  app.get(`${prefix}/summary`, {
    config: routeConfig,
    schema: { tags, summary: `${who}: GMV, orders, buyers, units, views and conversion between two days (Asia/Shanghai, default the last 30)`, ...(params ? { params } : {}), querystring: DayRangeQuery, response: { 200: SummarySchema, ...errors(400, 401, 403, 404) } },
  }, async (req) => ({ ...(await ctx.analytics.summary(scopeOf(req), range(req.query as never))), currency: 'CNY' as const }));
  for (const path of dims) {
    const dimension = DIMENSIONS[path];
    app.get(`${prefix}/${path}`, {
      config: routeConfig,
      schema: { tags, summary: `${who}: the same figures ${path.replace('-', ' ')}${dimension === 'day' ? ' (every day of the range, zeros included)' : ' (largest GMV first)'}`, ...(params ? { params } : {}), querystring: DayRangeQuery, response: { 200: ReportSchema, ...errors(400, 401, 403, 404) } },
    }, async (req) => {
      const r = range(req.query as never);
      return { ...r, dimension, items: (await ctx.analytics.report(scopeOf(req), dimension, r)).map((row) => ({ ...row, currency: 'CNY' as const })) };
    });
  }
}

/** The merchant dashboard's reports, under /api/v1/merchant/stores/:storeId/analytics (finance.read: owner and operator). */
export const merchantAnalyticsRoutes = (ctx: AppContext) => async (app: App) => {
  reportRoutes(app, ctx, '/stores/:storeId/analytics', (req) => ({ store_id: req.params.storeId }), { permission: 'finance.read' }, StoreParams, ['by-day', 'by-channel', 'by-content', 'by-creator', 'by-product'], 'Store');
};

/** A creator's own reports, under /api/v1/creator/analytics (sales attributed to them in any store). */
export const creatorAnalyticsRoutes = (ctx: AppContext) => async (app: App) => {
  reportRoutes(app, ctx, '/analytics', (req) => ({ creator_id: req.principal.account_id }), { auth: 'creator' }, null, ['by-day', 'by-channel', 'by-content', 'by-product'], 'Creator');
};

/**
 * Tracking from the web app (store pages, product clicks, content views): anyone may send, the
 * viewer is the signed-in account or the client's anonymous id. Content and live rooms on the
 * server call `ctx.analytics.track(...)` directly instead.
 */
export const trackingRoutes = (ctx: AppContext) => async (app: App) => {
  app.post('/analytics/events', {
    config: { auth: 'public' },
    schema: {
      tags, summary: 'Track a view, product click, like, share or comment (idempotent by event_id)',
      body: Type.Object({
        event_id: Type.String({ minLength: 8, maxLength: 64, pattern: '^[A-Za-z0-9_:.-]+$', description: "the client's unique id for this event" }),
        kind: Type.Union(TRACK_KINDS.map((k) => Type.Literal(k))), channel: Type.Union(ANALYTICS_CHANNELS.map((c) => Type.Literal(c))),
        store_id: Type.Optional(Type.String({ maxLength: 40 })), creator_id: Type.Optional(Type.String({ maxLength: 40 })), content_id: Type.Optional(Type.String({ maxLength: 40 })),
        product_id: Type.Optional(Type.String({ maxLength: 40 })), anonymous_id: Type.Optional(Type.String({ minLength: 8, maxLength: 64, description: 'a random id the client keeps when not signed in' })),
      }, { additionalProperties: false }),
      response: { 202: Type.Object({ recorded: Type.Boolean() }), ...errors(400) },
    },
  }, async (req, reply) => {
    const b = req.body;
    const viewer = req.principal ? req.principal.account_id : b.anonymous_id ? `anon:${b.anonymous_id}` : null;
    if (!viewer) throw invalid('viewer_required', 'sign in or send anonymous_id');
    const r = await ctx.analytics.track({
      kind: b.kind, channel: b.channel, store_id: b.store_id ?? null, creator_id: b.creator_id ?? null, content_id: b.content_id ?? null, product_id: b.product_id ?? null,
      viewer_key: viewer, dedupe_key: `web:${b.event_id}`,
    });
    return reply.status(202).send(r);
  });
};
