import type { AddressInfo } from 'node:net';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestClock } from '../../src/lib/clock.ts';
import { silentLogger, createLogger } from '../../src/lib/logger.ts';
import { loadConfig } from '../../src/app/config.ts';
import { wire, type AppContext } from '../../src/app/wire.ts';
import { buildServer } from '../../src/http/server.ts';
import { MemorySmsSender } from '../../src/modules/identity/index.ts';
import type { App } from '../../src/http/types.ts';
import type { StoreFacts } from '../../src/modules/catalog/index.ts';
import type { RefundPort } from '../../src/modules/aftersales/index.ts';
import { freshDatabase, type TestDatabase } from './engine.ts';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface TestApp {
  ctx: AppContext;
  app: App;
  clock: TestClock;
  sms: MemorySmsSender;
  baseUrl: string;
  database: TestDatabase;
  /** A real HTTP request to the running server. */
  call<T = any>(method: string, path: string, opts?: CallOptions): Promise<ApiResponse<T>>;
  close(): Promise<void>;
}

/** Starts the whole server on a fresh database, listening on a real port, with a test clock. */
export async function startTestApp(opts: { database?: TestDatabase; clock?: TestClock; storeFacts?: StoreFacts; refunds?: RefundPort } = {}): Promise<TestApp> {
  const database = opts.database ?? freshDatabase();
  const clock = opts.clock ?? new TestClock();
  const sms = new MemorySmsSender();
  const mediaDir = join(tmpdir(), `xiaodian-media-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const config = { ...loadConfig({}), databaseUrl: database.url, seedDemo: false, workers: false, mediaDir };
  const log = process.env.TEST_LOG ? createLogger('debug') : silentLogger;
  const ctx = await wire({ config, clock, log, sms, schema: database.schema, storeFacts: opts.storeFacts, refunds: opts.refunds });
  const app = await buildServer(ctx, { validateResponses: true });
  await app.listen({ port: 0, host: '127.0.0.1' });
  ctx.ready = true;
  const { port } = app.server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    ctx, app, clock, sms, baseUrl, database,
    async call(method, path, o = {}) {
      const headers: Record<string, string> = { ...o.headers };
      if (o.token) headers.authorization = `Bearer ${o.token}`;
      if (o.body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(baseUrl + path, { method, headers, body: o.body === undefined ? undefined : JSON.stringify(o.body) });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        /* not JSON */
      }
      return { status: res.status, body: body as any, headers: res.headers };
    },
    async close() {
      await app.close();
      await ctx.outbox.stop();
      await ctx.scheduler.stop();
      await ctx.db.close();
      if (!opts.database) await database.drop();
      rmSync(mediaDir, { recursive: true, force: true });
    },
  };
}
