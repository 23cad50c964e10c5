import { loadPaymentsSettings, type PaymentsSettings } from './payments-config.ts';
import { loadContentSettings } from './content-config.ts';
import type { ContentConfig } from '../modules/content/index.ts';
import type { SqliteSynchronous } from '../db/index.ts';

/**
 * Configuration comes from environment variables only (documented in the README).
 * Parsed once at start; a bad value stops the process with a clear message.
 */
export interface Config {
  port: number;
  host: string;
  /** `postgres://…` for PostgreSQL, otherwise a SQLite file path. */
  databaseUrl: string;
  sqliteSynchronous: SqliteSynchronous;
  logLevel: string;
  seedDemo: boolean;
  /** Extra demo buyers 13710000001… (password as the demo's), for load tests with many buyers. */
  demoExtraBuyers: number;
  trustProxy: boolean;
  /** Run the outbox dispatcher and the job scheduler in this process. */
  workers: boolean;
  shutdownGraceMs: number;
  /** Uploaded product images (local storage root, served at /media/…). */
  mediaDir: string;
  /** Largest accepted image upload, in bytes. */
  mediaMaxBytes: number;
  /** Search synonym list (XIAODIAN_SEARCH_SYNONYMS; see modules/search/synonyms-config.ts); null: the built-in list. */
  searchSynonymsPath: string | null;
  /** Memory for cached search postings lists, in MB. */
  searchCacheMb: number;
  /** Checkout handlers running at once (a bulkhead: reads stay fast during a flash sale); 0 = no bound. */
  checkoutConcurrency: number;
  /** Whole answers of recent queries kept (0 turns the answer cache off). */
  searchAnswerCache: number;
  /** Live rooms: how often room events are flushed to viewers, in ms (XIAODIAN_LIVE_FLUSH_MS; 0 = at once). */
  liveFlushMs: number;
  /** Payment provider (sandbox by default), notification URL, creator commission: payments-config.ts. */
  payments: PaymentsSettings;
  /** Attribution window, share links, comment banned words, video size: content-config.ts. */
  content: ContentConfig;
}

function bool(name: string, fallback: boolean): boolean {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(v)) return true;
  if (/^(0|false|no|off)$/i.test(v)) return false;
  throw new Error(`${name} must be true or false, got "${v}"`);
}

function int(name: string, fallback: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${v}"`);
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const sync = (env.XIAODIAN_SQLITE_SYNCHRONOUS ?? 'FULL').toUpperCase();
  if (sync !== 'FULL' && sync !== 'FULL_INLINE' && sync !== 'NORMAL') throw new Error('XIAODIAN_SQLITE_SYNCHRONOUS must be FULL, FULL_INLINE or NORMAL');
  return {
    port: int('PORT', 8080),
    host: env.HOST ?? '0.0.0.0',
    databaseUrl: env.DATABASE_URL || env.XIAODIAN_SQLITE_PATH || './data/xiaodian.db',
    sqliteSynchronous: sync,
    logLevel: env.LOG_LEVEL ?? 'info',
    seedDemo: bool('XIAODIAN_SEED_DEMO', true),
    demoExtraBuyers: int('XIAODIAN_DEMO_EXTRA_BUYERS', 0),
    trustProxy: bool('XIAODIAN_TRUST_PROXY', false),
    workers: bool('XIAODIAN_WORKERS', true),
    shutdownGraceMs: int('XIAODIAN_SHUTDOWN_GRACE_MS', 10_000),
    mediaDir: env.XIAODIAN_MEDIA_DIR || './data/media',
    mediaMaxBytes: int('XIAODIAN_MEDIA_MAX_BYTES', 5 * 1024 * 1024),
    searchSynonymsPath: env.XIAODIAN_SEARCH_SYNONYMS || null,
    searchCacheMb: int('XIAODIAN_SEARCH_CACHE_MB', 128),
    checkoutConcurrency: int('XIAODIAN_CHECKOUT_CONCURRENCY', 8),
    searchAnswerCache: int('XIAODIAN_SEARCH_ANSWER_CACHE', 1000),
    liveFlushMs: int('XIAODIAN_LIVE_FLUSH_MS', 50),
    payments: loadPaymentsSettings(env),
    content: loadContentSettings(env),
  };
}
