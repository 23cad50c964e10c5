import AjvCompiler, { type ValidatorFactory } from '@fastify/ajv-compiler';
import Fastify, { LogController } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { randomBytes } from 'node:crypto';
import type { AppContext } from '../app/wire.ts';
import { authHook } from './auth.ts';
import { errorHandler, notFoundHandler } from './errors.ts';
import { idempotency } from './idempotency.ts';
import { ErrorBody } from './schemas.ts';
import { responseValidation } from './response-validation.ts';
import type { App } from './types.ts';
import { authRoutes } from './routes/auth.routes.ts';
import { buyerRoutes } from './routes/buyer.routes.ts';
import { merchantRoutes } from './routes/merchant.routes.ts';
import { publicRoutes } from './routes/public.routes.ts';
import { healthRoutes } from './routes/health.routes.ts';
import { buyerTradeRoutes, merchantTradeRoutes } from './routes/trade.routes.ts';
import { fulfillmentRoutes } from './routes/fulfillment.routes.ts';
import { searchRoutes } from './routes/search.routes.ts';
import { merchantCatalogRoutes } from './routes/merchant-catalog.routes.ts';
import { merchantCatalogFileRoutes } from './routes/merchant-catalog-files.routes.ts';
import { merchantInventoryRoutes } from './routes/merchant-inventory.routes.ts';
import { consoleCatalogRoutes } from './routes/console-catalog.routes.ts';
import { mediaRoutes } from './routes/media.routes.ts';
import { storesRoutes } from './routes/stores.routes.ts';
import { consoleStoresRoutes } from './routes/console-stores.routes.ts';
import { buyerAftersalesRoutes, consoleAftersalesRoutes, merchantAftersalesRoutes } from './routes/aftersales.routes.ts';
import { merchantPromotionRoutes } from './routes/promotions.routes.ts';
import { consolePromotionRoutes } from './routes/console-promotions.routes.ts';
import { buyerPromotionRoutes } from './routes/buyer-promotions.routes.ts';
import { buyerPaymentRoutes, paymentNotifyRoutes } from './routes/payments.routes.ts';
import { merchantFinanceRoutes } from './routes/finance.routes.ts';
import { consolePaymentRoutes } from './routes/console-payments.routes.ts';
import { buyerContentRoutes, consoleContentRoutes, contentLinkRoutes, creatorContentRoutes, merchantContentRoutes } from './routes/content.routes.ts';
import { liveRoutes } from './routes/live.routes.ts';
import { buyerCampaignRoutes, consoleCampaignRoutes, merchantCampaignRoutes } from './routes/campaigns.routes.ts';
import { buyerPresaleRoutes, merchantPresaleRoutes } from './routes/presale.routes.ts';
import { webApp } from './web.ts';
import { creatorAffiliateRoutes, merchantAffiliateRoutes } from './routes/affiliate.routes.ts';
import { creatorAnalyticsRoutes, merchantAnalyticsRoutes, trackingRoutes } from './routes/analytics.routes.ts';
import { buyerCsRoutes, merchantCsRoutes } from './routes/cs.routes.ts';

export interface ServerOptions {
  /** Check every response against its schema and fail loudly (tests); off in production. */
  validateResponses?: boolean;
  /** Log each request (off in tests and benchmarks). */
  logRequests?: boolean;
}

/**
 * Request ids: unique per process start plus a counter — cheap, sortable within a process,
 * and not secret (they appear in logs and error bodies). An incoming X-Request-Id wins.
 */
function requestIds(): () => string {
  const boot = randomBytes(4).toString('hex');
  let n = 0;
  return () => `req_${boot}_${(++n).toString(36)}`;
}

/**
 * Query strings, params and headers arrive as text and are coerced to their schema's types;
 * JSON bodies are already typed and are NOT coerced: with coercion, Ajv turns `null` into `0`
 * or `""` in the first branch of a nullable union (`free_threshold_minor: null` would mean
 * "free shipping over ¥0") and accepts `"5"` for a number.
 */
const ajvCompilers = AjvCompiler();
const bodiesUncoerced: ValidatorFactory = (externalSchemas, ajvOptions) => {
  const coercing = ajvCompilers(externalSchemas, ajvOptions);
  const base = (ajvOptions ?? {}) as { customOptions?: Record<string, unknown> };
  const strict = ajvCompilers(externalSchemas, { ...base, customOptions: { ...base.customOptions, coerceTypes: false } } as typeof ajvOptions);
  return (route) => (route.httpPart === 'body' ? strict : coercing)(route);
};

export async function buildServer(ctx: AppContext, opts: ServerOptions = {}): Promise<App> {
  const app = Fastify({
    loggerInstance: ctx.log,
    logController: new LogController({ disableRequestLogging: (req) => !opts.logRequests || req.url === '/healthz' || req.url === '/readyz' }),
    requestIdHeader: 'x-request-id',
    genReqId: requestIds(),
    trustProxy: ctx.config.trustProxy,
    bodyLimit: 1024 * 1024,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false } },
    schemaController: { compilersFactory: { buildValidator: bodiesUncoerced } },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as App;

  app.decorateRequest('principal', null);
  app.decorateRequest('idempotency', null);
  app.addSchema(ErrorBody);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Xiaodian API', version: '1', description: '小店 — content-commerce platform API. Money is integer minor units (fen) with a currency; times are ISO-8601 UTC; lists use cursor pagination; POSTs accept Idempotency-Key.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'access token from /api/v1/auth/*' } } },
      security: [{ bearer: [] }],
    },
    refResolver: { buildLocalReference: (json, _base, _frag, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', uiConfig: { docExpansion: 'list', deepLinking: true } });

  if (opts.validateResponses) responseValidation(app);

  const idem = idempotency(ctx.db, ctx.clock);
  ctx.idempotency = idem;
  app.addHook('onRequest', authHook(ctx.identity));
  app.addHook('preHandler', idem.preHandler);
  app.addHook('onSend', idem.onSend);

  await app.register(healthRoutes(ctx));
  await app.register(mediaRoutes(ctx));
  await app.register(contentLinkRoutes(ctx)); // /media/content/… and share links /s/<token>
  app.get('/api/openapi.json', { config: { auth: 'public' }, schema: { hide: true } }, async () => app.swagger());
  await app.register(
    async (api) => {
      await api.register(authRoutes(ctx), { prefix: '/auth' });
      await api.register(buyerRoutes(ctx), { prefix: '/me' });
      await api.register(merchantRoutes(ctx), { prefix: '/merchant' });
      await api.register(merchantCatalogRoutes(ctx), { prefix: '/merchant' });
      await api.register(merchantInventoryRoutes(ctx), { prefix: '/merchant' });
      await api.register(merchantCatalogFileRoutes(ctx), { prefix: '/merchant' });
      await api.register(consoleCatalogRoutes(ctx), { prefix: '/console' });
      await api.register(storesRoutes(ctx), { prefix: '/merchant' });
      await api.register(consoleStoresRoutes(ctx), { prefix: '/console' });
      await api.register(publicRoutes(ctx));
      await api.register(searchRoutes(ctx));
      await api.register(buyerTradeRoutes(ctx));
      await api.register(merchantTradeRoutes(ctx), { prefix: '/merchant' });
      await api.register(fulfillmentRoutes(ctx));
      await api.register(buyerAftersalesRoutes(ctx));
      await api.register(merchantAftersalesRoutes(ctx), { prefix: '/merchant' });
      await api.register(consoleAftersalesRoutes(ctx), { prefix: '/console' });
      await api.register(merchantPromotionRoutes(ctx), { prefix: '/merchant' });
      await api.register(consolePromotionRoutes(ctx), { prefix: '/console' });
      await api.register(buyerPromotionRoutes(ctx));
      await api.register(buyerPaymentRoutes(ctx));
      await api.register(paymentNotifyRoutes(ctx)); // its own plugin: the raw body for the signature
      await api.register(merchantFinanceRoutes(ctx), { prefix: '/merchant' });
      await api.register(consoleCampaignRoutes(ctx), { prefix: '/console' });
      await api.register(merchantCampaignRoutes(ctx), { prefix: '/merchant' });
      await api.register(buyerCampaignRoutes(ctx));
      await api.register(buyerPresaleRoutes(ctx));
      await api.register(merchantPresaleRoutes(ctx), { prefix: '/merchant' });
      await api.register(consolePaymentRoutes(ctx), { prefix: '/console' });
      await api.register(buyerContentRoutes(ctx));
      await api.register(merchantContentRoutes(ctx), { prefix: '/merchant' });
      await api.register(creatorContentRoutes(ctx), { prefix: '/creator' });
      await api.register(consoleContentRoutes(ctx), { prefix: '/console' });
      await api.register(liveRoutes(ctx));
      await api.register(merchantAffiliateRoutes(ctx), { prefix: '/merchant' });
      await api.register(creatorAffiliateRoutes(ctx), { prefix: '/creator' });
      await api.register(merchantAnalyticsRoutes(ctx), { prefix: '/merchant' });
      await api.register(creatorAnalyticsRoutes(ctx), { prefix: '/creator' });
      await api.register(trackingRoutes(ctx));
      await api.register(buyerCsRoutes(ctx));
      await api.register(merchantCsRoutes(ctx), { prefix: '/merchant' });
    },
    { prefix: '/api/v1' },
  );
  // The web app (web/dist): storefront at /, merchant assistant at /merchant, console at /console.
  await app.register(webApp());
  // The payment provider posts notifications to this server unless XIAODIAN_PAYMENTS_NOTIFY_URL says otherwise.
  app.addHook('onListen', (done) => {
    const a = app.server.address();
    if (a && typeof a === 'object') ctx.paymentGateway.listening(a.address, a.port);
    done();
  });
  app.addHook('onClose', async () => {
    await ctx.payments.stop();
    await ctx.paymentGateway.close(); // the in-process payment sandbox listens on its own port
  });
  return app;
}
