import type { Clock } from '../lib/clock.ts';
import { HOUR_MS } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import { createDb, type Db, type Executor } from '../db/index.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { Outbox } from '../db/outbox.ts';
import { Scheduler } from '../db/scheduler.ts';
import { createIdentityModule, LogSmsSender, type IdentityModule, type SmsSender } from '../modules/identity/index.ts';
import { capabilities, createStoresModule, type StoresModule } from '../modules/stores/index.ts';
import { createLedgerModule, type LedgerModule } from '../modules/ledger/index.ts';
import { createCatalogModule, LocalObjectStorage, type CatalogModule, type StoreFacts } from '../modules/catalog/index.ts';
import { createInventoryModule, type InventoryModule } from '../modules/inventory/index.ts';
import { subscribeCatalogDelisting } from '../subscribers/catalog-delisting.ts';
import { createSearchModule, type SearchModule } from '../modules/search/index.ts';
import { subscribeSearchIndexer } from '../subscribers/search-indexer.ts';
import { createTradeModule, type TradeModule } from '../modules/trade/index.ts';
import { createFulfillmentModule, type FulfillmentModule } from '../modules/fulfillment/index.ts';
import { createPromotionsModule, type PromotionsModule } from '../modules/promotions/index.ts';
import { createAftersalesModule, type AftersalesModule, type RefundPort } from '../modules/aftersales/index.ts';
import { subscribeAftersalesReturns } from '../subscribers/aftersales-returns.ts';
import type { PaymentsModule } from '../modules/payments/index.ts';
import type { Config } from './config.ts';
import { createLane } from '../lib/lane.ts';
import type { PaymentGateway } from './payment-gateway.ts';
import { wirePayments } from './wire-payments.ts';
import type { CampaignsModule } from '../modules/campaigns/index.ts';
import { wireCampaignEvents, wireCampaigns } from './wire-campaigns.ts';
import type { AffiliateModule } from '../modules/affiliate/index.ts';
import type { AnalyticsModule } from '../modules/analytics/index.ts';
import { commissionRateFor, wireAffiliate, wireAffiliateEvents } from './wire-affiliate.ts';
import type { LiveModule } from '../modules/live/index.ts';
import { wireLive } from './wire-live.ts';
import type { ContentModule } from '../modules/content/index.ts';
import { wireContent } from './wire-content.ts';
import type { PresaleFlow } from '../flows/presale.ts';
import { wirePresale } from './wire-presale.ts';
import type { CsModule } from '../modules/cs/index.ts';
import { wireCs } from './wire-cs.ts';

/**
 * The composition root: every module is created here by hand and given exactly the
 * collaborators it needs. No container, nothing global.
 */
export interface AppContext {
  config: Config;
  db: Db;
  clock: Clock;
  log: Logger;
  outbox: Outbox;
  scheduler: Scheduler;
  identity: IdentityModule;
  stores: StoresModule;
  ledger: LedgerModule;
  catalog: CatalogModule;
  inventory: InventoryModule;
  search: SearchModule;
  trade: TradeModule;
  fulfillment: FulfillmentModule;
  promotions: PromotionsModule;
  aftersales: AftersalesModule;
  payments: PaymentsModule;
  campaigns: CampaignsModule;
  affiliate: AffiliateModule;
  analytics: AnalyticsModule;
  live: LiveModule;
  content: ContentModule;
  cs: CsModule;
  /** Pre-sale (预售): deposit orders, balance payments, forfeits and deposit refunds (src/flows/presale.ts). */
  presale: PresaleFlow;
  /** The payment provider (sandbox or WeChat Pay) behind payments; tests reach the sandbox through it. */
  paymentGateway: PaymentGateway;
  /** Set by the HTTP server; exposed for the purge job. */
  idempotency?: { purgeExpired(ex?: Executor): Promise<number> };
  /** false while starting and once shutdown begins; /readyz reports it. */
  ready: boolean;
}

export interface WireOptions {
  config: Config;
  clock: Clock;
  log: Logger;
  sms?: SmsSender;
  /** PostgreSQL schema (tests give each file its own). */
  schema?: string;
  /** Replaces the stores module as the source of store qualifications/brands (tests of catalog rules). */
  storeFacts?: StoreFacts;
  /** Replaces payments as after-sales' refund API (tests of orders paid without the payment protocol). */
  refunds?: RefundPort;
}

export async function wire(opts: WireOptions): Promise<AppContext> {
  const { config, clock, log } = opts;
  const db = await createDb({ url: config.databaseUrl, schema: opts.schema, sqliteSynchronous: config.sqliteSynchronous });
  const applied = await migrateToLatest(db.kysely, db.schema);
  if (applied.length) log.info({ migrations: applied }, 'migrations applied');
  const outbox = new Outbox(db, clock, log);
  const scheduler = new Scheduler(db, clock, log);
  const identity = createIdentityModule({ db, clock, log, sms: opts.sms ?? new LogSmsSender(log) });
  const ledger = createLedgerModule({ db, clock });
  const stores = createStoresModule({ db, clock, outbox, identity, ledger, scheduler });
  await stores.scheduleRecurringJobs(db.kysely);
  const storeFacts: StoreFacts = opts.storeFacts ?? { qualifications: stores.heldQualifications, certifiedBrands: stores.certifiedBrands };
  const catalog = createCatalogModule({ db, clock, outbox, stores, storeFacts, storage: new LocalObjectStorage(config.mediaDir), mediaMaxBytes: config.mediaMaxBytes });
  subscribeCatalogDelisting(outbox, catalog);
  const inventory = createInventoryModule({ db, clock, outbox });
  const search = createSearchModule({ db, clock, log, catalog, inventory, synonymsPath: config.searchSynonymsPath, cacheMb: config.searchCacheMb, answerCache: config.searchAnswerCache });
  subscribeSearchIndexer(outbox, search);
  const fulfillment = createFulfillmentModule({ db, clock, outbox, scheduler });
  const promotions = wirePromotions({ db, clock, outbox, catalog, inventory, fulfillment });
  const campaigns = wireCampaigns({ db, clock, outbox, scheduler, stores, catalog, inventory, promotions });
  const { affiliate, analytics } = wireAffiliate({ db, clock, catalog, identity, ledger });
  // Content verifies 'live' claims through live rooms, which are wired after trade (they follow its order events).
  const liveRef: { current?: LiveModule } = {};
  const content = wireContent({
    db, clock, outbox, catalog, mediaDir: config.mediaDir, config: config.content, creatorMayLink: affiliate.creatorMayLink,
    live: { verifyRoomProduct: async (roomId, productId) => (liveRef.current ? liveRef.current.verifyRoomProduct(roomId, productId) : null) },
  });
  const trade = wireTrade({ db, clock, outbox, scheduler, identity, stores, inventory, catalog, promotions, campaigns, attribute: content.attributeLines, checkoutConcurrency: config.checkoutConcurrency });
  const aftersales = createAftersalesModule({ db, clock, outbox, scheduler, log, orders: trade, shipments: fulfillment, ledger, refunds: () => opts.refunds ?? payments });
  subscribeAftersalesReturns(outbox, aftersales);
  const { payments, paymentGateway } = await wirePayments({ db, clock, log, outbox, scheduler, config, trade, ledger, aftersales, commissionRateBp: commissionRateFor({ trade, affiliate }) });
  wireAffiliateEvents({ outbox, trade, payments, affiliate, analytics });
  wireCampaignEvents({ outbox, trade, payments, campaigns });
  const live = wireLive({ config, db, clock, log, outbox, scheduler, catalog, promotions, trade, affiliate });
  liveRef.current = live;
  const cs = wireCs({ db, clock, outbox, catalog, stores, trade, bannedWords: content.config.bannedWords });
  const presale = wirePresale({ db, clock, outbox, scheduler, trade, campaigns, payments });
  const ctx: AppContext = { config, db, clock, log, outbox, scheduler, identity, stores, ledger, catalog, inventory, search, trade, fulfillment, promotions, aftersales, payments, campaigns, affiliate, analytics, live, content, cs, presale, paymentGateway, ready: false };

  scheduler.register('platform.purge_idempotency_keys', async (_job, tx) => {
    const n = await ctx.idempotency?.purgeExpired(tx); // in the job's transaction: the embedded engine has one connection
    log.info({ purged: n }, 'expired idempotency keys purged');
    await scheduler.schedule(tx, { kind: 'platform.purge_idempotency_keys', run_at: clock.now() + HOUR_MS, dedupe_key: `purge_idem:${Math.floor((clock.now() + HOUR_MS) / HOUR_MS)}` });
  });
  await scheduler.schedule(db.kysely, { kind: 'platform.purge_idempotency_keys', run_at: clock.now() + HOUR_MS, dedupe_key: `purge_idem:${Math.floor((clock.now() + HOUR_MS) / HOUR_MS)}` });
  return ctx;
}

/** Promotions asks catalog (products, SKU prices), inventory (stock) and fulfillment (shipping templates). */
function wirePromotions(d: { db: Db; clock: Clock; outbox: Outbox; catalog: CatalogModule; inventory: InventoryModule; fulfillment: FulfillmentModule }): PromotionsModule {
  return createPromotionsModule({
    db: d.db, clock: d.clock, outbox: d.outbox,
    products: async (ids) => new Map([...(await d.catalog.getProducts(ids)).values()].map((p) => [p.id, { product_id: p.id, store_id: p.store_id, category_id: p.category_id }])),
    sku: async (skuId) => {
      const snap = (await d.catalog.saleSnapshots([skuId])).get(skuId);
      if (!snap) return undefined;
      const level = (await d.inventory.levels([skuId])).get(skuId);
      return { sku_id: skuId, store_id: snap.store_id, product_id: snap.product_id, price_minor: snap.price_minor, stock: level?.available ?? 0 };
    },
    shippingTemplates: (storeIds, ex) => d.fulfillment.defaultTemplates(storeIds, ex),
  });
}

/** Trade asks catalog, stores, identity and inventory through plain functions; promotions prices and redeems. */
function wireTrade(d: { db: Db; clock: Clock; outbox: Outbox; scheduler: Scheduler; identity: IdentityModule; stores: StoresModule; inventory: InventoryModule; catalog: CatalogModule; promotions: PromotionsModule; campaigns: CampaignsModule; attribute?: ContentModule['attributeLines']; checkoutConcurrency: number }): TradeModule {
  const snapshots = d.catalog;
  // Restricted stores keep selling; suspended and closed ones don't (stores' lifecycle rules decide).
  const openStoreIds = async (ids: readonly string[]) => new Set([...(await d.stores.getStores(ids)).values()].filter((s) => capabilities(s.status).may_sell).map((s) => s.id));
  return createTradeModule({
    db: d.db, clock: d.clock, outbox: d.outbox, scheduler: d.scheduler, pricer: d.campaigns.pricer(d.promotions.pricer), redemptions: d.campaigns.redemptions(d.promotions.redemptions),
    admission: createLane(d.checkoutConcurrency, 10_000),
    balancePricer: d.promotions.pricer, // a pre-sale balance: the units were taken with the deposit, the campaign's 满减 applies by its campaign id
    skuFacts: async (skuIds) => {
      const snaps = await snapshots.saleSnapshots(skuIds);
      const open = await openStoreIds([...snaps.values()].map((s) => s.store_id));
      return new Map([...snaps.values()].map((s) => [s.sku_id, { sku_id: s.sku_id, product_id: s.product_id, store_id: s.store_id, purchasable: s.on_sale && open.has(s.store_id) }]));
    },
    checkout: {
      saleSnapshots: (ids) => snapshots.saleSnapshots(ids),
      openStoreIds,
      address: (buyerId, addressId) => d.identity.getAddress(buyerId, addressId),
      reserve: (tx, lines, ref, actor) => d.inventory.reserve(tx, lines, ref, actor),
      available: async (skuIds) => new Map([...(await d.inventory.levels(skuIds)).values()].map((l) => [l.sku_id, l.available])),
      attribute: d.attribute, // content's last-touch rule (src/modules/content/README.md)
    },
    orders: {
      release: (tx, ref, actor) => d.inventory.release(tx, ref, actor), commitSale: (tx, ref, actor) => d.inventory.commitSale(tx, ref, actor),
      restock: (tx, skuId, qty, ref, actor) => d.inventory.restock(tx, skuId, qty, ref, actor),
    },
  });
}

export function startWorkers(ctx: AppContext): void {
  ctx.outbox.start();
  ctx.scheduler.start();
  ctx.search.start();
  ctx.aftersales.start();
  ctx.payments.start();
  ctx.campaigns.start();
  ctx.live.start();
  ctx.paymentGateway.startAutoTick(1000);
}

export async function shutdown(ctx: AppContext): Promise<void> {
  ctx.ready = false;
  await ctx.outbox.stop();
  await ctx.scheduler.stop();
  await ctx.search.stop();
  await ctx.aftersales.stop();
  await ctx.payments.stop();
  ctx.campaigns.stop();
  ctx.live.stop();
  await ctx.paymentGateway.close();
  await ctx.db.close();
}
