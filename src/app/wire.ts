import type { Clock } from '../lib/clock.ts';
import { HOUR_MS } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import { createDb, type Db } from '../db/index.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { Outbox } from '../db/outbox.ts';
import { Scheduler } from '../db/scheduler.ts';
import { createIdentityModule, LogSmsSender, type IdentityModule, type SmsSender } from '../modules/identity/index.ts';
import { createStoresModule, type StoresModule } from '../modules/stores/index.ts';
import { createCatalogModule, type CatalogModule } from '../modules/catalog/index.ts';
import { createInventoryModule, type InventoryModule } from '../modules/inventory/index.ts';
import type { Config } from './config.ts';

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
  catalog: CatalogModule;
  inventory: InventoryModule;
  /** Set by the HTTP server; exposed for the purge job. */
  idempotency?: { purgeExpired(): Promise<number> };
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
}

export async function wire(opts: WireOptions): Promise<AppContext> {
  const { config, clock, log } = opts;
  const db = await createDb({ url: config.databaseUrl, schema: opts.schema, sqliteSynchronous: config.sqliteSynchronous });
  const applied = await migrateToLatest(db.kysely, db.schema);
  if (applied.length) log.info({ migrations: applied }, 'migrations applied');
  const outbox = new Outbox(db, clock, log);
  const scheduler = new Scheduler(db, clock, log);
  const identity = createIdentityModule({ db, clock, log, sms: opts.sms ?? new LogSmsSender(log) });
  const stores = createStoresModule({ db, clock, outbox, identity });
  const catalog = createCatalogModule({ db, clock, outbox, stores });
  const inventory = createInventoryModule({ db, clock, outbox });
  const ctx: AppContext = { config, db, clock, log, outbox, scheduler, identity, stores, catalog, inventory, ready: false };

  scheduler.register('platform.purge_idempotency_keys', async (_job, tx) => {
    const n = await ctx.idempotency?.purgeExpired();
    log.info({ purged: n }, 'expired idempotency keys purged');
    await scheduler.schedule(tx, { kind: 'platform.purge_idempotency_keys', run_at: clock.now() + HOUR_MS, dedupe_key: `purge_idem:${Math.floor((clock.now() + HOUR_MS) / HOUR_MS)}` });
  });
  await scheduler.schedule(db.kysely, { kind: 'platform.purge_idempotency_keys', run_at: clock.now() + HOUR_MS, dedupe_key: `purge_idem:${Math.floor((clock.now() + HOUR_MS) / HOUR_MS)}` });
  return ctx;
}

export function startWorkers(ctx: AppContext): void {
  ctx.outbox.start();
  ctx.scheduler.start();
}

export async function shutdown(ctx: AppContext): Promise<void> {
  ctx.ready = false;
  await ctx.outbox.stop();
  await ctx.scheduler.stop();
  await ctx.db.close();
}
