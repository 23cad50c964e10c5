/**
 * Trade: the money path under load. (1) checkout throughput — 3-line orders (priced by the
 * pricing engine, stock held, orders + lines + checkout + timer + events written) from 64
 * concurrent connections; (2) flash sale — one SKU with 10,000 units, 64 connections making
 * 50,000 purchase attempts: orders created, units sold, oversold (must be 0), latency.
 * Every acknowledged order is durable: concurrent checkouts share one commit (group commit) and
 * the response waits until it is on disk (on the embedded engine the WAL is fsynced off the
 * event loop, src/db/wal-sync.ts). A third row per engine says where a checkout's server CPU goes.
 */
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { cpuSince, cpuSnapshot } from '../lib/cpu.ts';
import { bearer, call, expectStatus, login, DEMO_BUYER, DEMO_OPERATOR, DEMO_OWNER } from '../lib/api.ts';
import type { ServerHandle } from '../lib/processes.ts';
import type { BenchContext, EngineInfo, Row, Scenario } from '../lib/types.ts';

const FLASH_UNITS = 10_000;
const FLASH_ATTEMPTS = 50_000;
const CHECKOUT_TARGET_PCT = 25;
const FLASH_P99_TARGET_MS = 100;
const MiB = 1024 * 1024;
const BUYERS = 64;

interface Buyer { token: string; addressId: string }
interface Setup {
  /** BUYERS demo buyers (XIAODIAN_DEMO_EXTRA_BUYERS), one per connection, each with an address. */
  buyers: Buyer[];
  token: string;
  ownerToken: string;
  storeId: string;
  addressId: string;
  checkoutSkus: string[];
  flashSku: string;
  flashProduct: string;
}

/** Lists the bench products and a buyer address through the API (exported for bench/profile.ts). */
export async function setup(server: ServerHandle): Promise<Setup> {
  const base = server.baseUrl;
  const owner = await login(base, DEMO_OWNER);
  const buyer = await login(base, DEMO_BUYER);
  const stores = await expectStatus<{ items: { id: string; name: string }[] }>(200, base, 'GET', '/api/v1/merchant/stores', { token: owner.token });
  const storeId = stores.items[0].id;
  const cats = await expectStatus<{ items: { id: string; code: string; is_leaf: boolean }[] }>(200, base, 'GET', '/api/v1/categories');
  const audio = cats.items.find((c) => c.code === 'digital.audio') ?? cats.items.find((c) => c.is_leaf)!;
  const create = async (title: string, skus: { spec: Record<string, string>; price_minor: number; stock: number }[]) => {
    const p = await expectStatus<{ id: string; status: string; skus: { id: string }[] }>(201, base, 'POST', `/api/v1/merchant/stores/${storeId}/products`, { token: owner.token, body: { category_id: audio.id, title, skus } });
    if (p.status !== 'live') throw new Error(`bench product "${title}" is ${p.status}, not live (listing review)`);
    return p;
  };
  const multi = await create('无线蓝牙耳机 入耳式 长续航 三色可选', ['白色', '黑色', '蓝色'].map((c, i) => ({ spec: { 颜色: c }, price_minor: 19_900 + i * 1000, stock: 5_000_000 })));
  const flash = await create('限量抢购 头戴式蓝牙耳机 降噪款', [{ spec: { 颜色: '银色' }, price_minor: 29_900, stock: FLASH_UNITS }]);
  const addressOf = (token: string) => expectStatus<{ id: string }>(201, base, 'POST', '/api/v1/me/addresses', {
    token, body: { recipient: '压测买家', phone: '13700000001', province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路 100 号' },
  });
  const address = await addressOf(buyer.token);
  // The store's 满200减20 applies to every checkout (3 lines ≈ ¥627): the pricing engine allocates it to lines.
  const now = Date.now();
  await expectStatus(201, base, 'POST', `/api/v1/merchant/stores/${storeId}/threshold-promotions`, {
    token: owner.token, body: { name: '压测满200减20', rule: { kind: 'tiers', tiers: [{ threshold_minor: 20_000, off_minor: 2_000 }] }, valid_from: new Date(now - 60_000).toISOString(), valid_to: new Date(now + 86_400_000).toISOString() },
  });
  const buyers: Buyer[] = [];
  for (let i = 1; i <= BUYERS; i++) {
    const b = await login(base, { phone: `1371${String(i).padStart(7, '0')}`, password: DEMO_BUYER.password });
    buyers.push({ token: b.token, addressId: (await addressOf(b.token)).id });
  }
  return { buyers, token: buyer.token, ownerToken: owner.token, storeId, addressId: address.id, checkoutSkus: multi.skus.map((s) => s.id), flashSku: flash.skus[0].id, flashProduct: flash.id };
}

/** Each connection is one buyer (round robin over the buyers) checking out `items` again and again. */
function post(server: ServerHandle, buyers: readonly Buyer[], items: unknown, opts: { connections: number; durationS?: number; amount?: number }) {
  let next = 0;
  // `requests` with a per-connection context is autocannon's documented API; its typings lack it.
  const options = {
    url: `${server.baseUrl}/api/v1/checkouts`, connections: opts.connections, timeout: 30, ...(opts.amount ? { amount: opts.amount } : { duration: opts.durationS }),
    requests: [{
      method: 'POST',
      setupRequest: (req: Record<string, unknown>, context: Record<string, unknown>) => {
        if (context.buyer === undefined) context.buyer = buyers[next++ % buyers.length];
        const b = context.buyer as Buyer;
        return { ...req, headers: { ...bearer(b.token), 'content-type': 'application/json' }, body: JSON.stringify({ items, address_id: b.addressId }) };
      },
    }],
  };
  return autocannon(options as unknown as Parameters<typeof autocannon>[0]);
}

async function engineRows(ctx: BenchContext, engine: EngineInfo): Promise<Row[]> {
  const rows: Row[] = [];
  const bareServer = await ctx.startBare();
  const bare = await ctx.load(bareServer, { path: '/' });
  await bareServer.stop();
  rows.push({ engine: engine.name, what: 'bare Fastify GET / (ceiling)', rps: bare.rps, p50: bare.p50Ms, p99: bare.p99Ms, pct: 100, note: '' });

  // The embedded engine times every statement (XIAODIAN_SQL_STATS), so the bench can say where a checkout's time goes.
  const statsFile = join(tmpdir(), `xd-bench-sql-${process.pid}-${Date.now()}.txt`);
  const statsEnv: Record<string, string> = engine.name === 'sqlite' ? { XIAODIAN_SQL_STATS: statsFile } : {};
  const server = await ctx.startXiaodian(engine.name, { env: { XIAODIAN_DEMO_EXTRA_BUYERS: String(BUYERS), ...statsEnv } });
  try {
    const s = await setup(server);
    const items = s.checkoutSkus.map((sku_id) => ({ sku_id, quantity: 1 }));
    ctx.log(`  ${engine.name}: checkout warm-up`);
    await post(server, s.buyers, items, { connections: ctx.settings.connections, durationS: ctx.settings.warmupS || 1 });
    ctx.log(`  ${engine.name}: checkout ${ctx.settings.durationS} s × ${ctx.settings.connections} connections`);
    if (statsEnv.XIAODIAN_SQL_STATS) await sqlStats(server.pid, statsFile); // starts the count
    const cpu0 = cpuSnapshot(server);
    const r = await post(server, s.buyers, items, { connections: ctx.settings.connections, durationS: ctx.settings.durationS });
    const cpu = cpuSince(cpu0, server);
    const rps = r['2xx'] / r.duration;
    const failures = r.non2xx + r.errors;
    rows.push({
      engine: engine.name, what: 'POST /api/v1/checkouts (3 lines, 64 conn)', rps, p50: r.latency.p50, p99: r.latency.p99, pct: bare.rps ? (rps / bare.rps) * 100 : null,
      note: `${failures ? `${failures} failed; ` : ''}RSS ${(server.rssBytes() / MiB).toFixed(0)} MiB; target ≥${CHECKOUT_TARGET_PCT}% of bare`,
    });
    const srvUs = rps ? (cpu.server * 1e6) / rps : 0;
    const budgetUs = bare.rps ? 1e6 / ((CHECKOUT_TARGET_PCT / 100) * bare.rps) : 0;
    const sql = statsEnv.XIAODIAN_SQL_STATS ? splitSql(await sqlStats(server.pid, statsFile), r['2xx']) : null;
    rows.push({
      engine: engine.name, what: 'checkout: server CPU per order, and where it goes', rps: null, p50: null, p99: null, pct: null,
      note: [
        `**${srvUs.toFixed(0)} µs** of server CPU per checkout (${cpu.server.toFixed(2)} cores busy)${engine.name === 'postgres' ? ` + ${rps ? ((cpu.db * 1e6) / rps).toFixed(0) : '?'} µs in PostgreSQL` : ''}`,
        sql ? `SQL on the event loop ${sql.total.toFixed(0)} µs: the checkout's writes ${sql.writes.toFixed(0)} (${sql.writeStatements.toFixed(1)} statements), reads ${sql.reads.toFixed(0)}, commit and savepoints ${sql.commit.toFixed(0)}, background workers (outbox, jobs, index) ${sql.background.toFixed(0)}; the rest (HTTP, JSON, auth, pricing, JS) ${(srvUs - sql.total).toFixed(0)}` : '',
        `the ${CHECKOUT_TARGET_PCT}%-of-bare target allows ${budgetUs.toFixed(0)} µs per checkout`,
      ].filter(Boolean).join('; '),
    });

    ctx.log(`  ${engine.name}: flash sale ${FLASH_ATTEMPTS} attempts on ${FLASH_UNITS} units`);
    const f = await post(server, s.buyers, [{ sku_id: s.flashSku, quantity: 1 }], { connections: 64, amount: FLASH_ATTEMPTS });
    const created = f['2xx'];
    const soldOut = f.statusCodeStats['422']?.count ?? 0;
    const other = f.non2xx - soldOut + f.errors;
    const product = await expectStatus<{ skus: { stock: { on_hand: number; reserved: number; available: number } }[] }>(200, server.baseUrl, 'GET', `/api/v1/merchant/stores/${s.storeId}/products/${s.flashProduct}`, { token: s.ownerToken });
    const stock = product.skus[0].stock;
    const oversold = Math.max(0, created - FLASH_UNITS, stock.reserved - FLASH_UNITS, -stock.available);
    const operator = await login(server.baseUrl, DEMO_OPERATOR);
    const recon = await call<{ ok: boolean; problems?: unknown[] }>(server.baseUrl, 'POST', '/api/v1/console/payments/reconciliation', { token: operator.token });
    const books = recon.status === 200 ? (recon.body.ok ? 'ledger reconciles' : `ledger does NOT reconcile: ${JSON.stringify(recon.body.problems ?? []).slice(0, 200)}`) : `reconciliation HTTP ${recon.status}`;
    rows.push({
      engine: engine.name, what: `flash sale: ${FLASH_ATTEMPTS} attempts, ${FLASH_UNITS} units, 64 conn`, rps: f.requests.total / f.duration, p50: f.latency.p50, p99: f.latency.p99, pct: null,
      note: `orders ${created}, units held ${stock.reserved}, sold out ${soldOut}, other errors ${other}, **oversold ${oversold}**, stock on_hand ${stock.on_hand} available ${stock.available}; ${created === FLASH_UNITS && stock.reserved === FLASH_UNITS && oversold === 0 ? 'sold out exactly' : 'NOT exact'}; p99 target <${FLASH_P99_TARGET_MS} ms; ${books} after`,
    });
  } finally {
    await server.stop();
    if (process.env.BENCH_KEEP_SQL_STATS) ctx.log(`  SQL timings kept in ${statsFile}`);
    else rmSync(statsFile, { force: true });
  }
  return rows;
}

/** Asks the server to write its SQL timings (and start counting again); returns the file's lines. */
async function sqlStats(pid: number, file: string): Promise<string[]> {
  const before = existsSync(file) ? statSync(file).mtimeMs : 0;
  process.kill(pid, 'SIGUSR2');
  for (let i = 0; i < 100; i++) {
    await new Promise((r) => setTimeout(r, 50));
    if (existsSync(file) && statSync(file).mtimeMs !== before) return readFileSync(file, 'utf8').split('\n').filter(Boolean);
  }
  throw new Error('the server did not write its SQL timings (XIAODIAN_SQL_STATS) after SIGUSR2');
}

/**
 * Microseconds of SQL per checkout, by kind. A line is "<ns> ns <count>× <avg> µs  <sql>"
 * (src/db/sqlite-driver.ts). Background: the dispatchers' and indexer's own statements, which
 * the checkouts cause but do not wait for.
 */
function splitSql(lines: string[], checkouts: number) {
  const t = { writes: 0, writeStatements: 0, reads: 0, commit: 0, background: 0, total: 0 };
  for (const line of lines) {
    const m = /^\s*(\d+) ns\s+(\d+)×\s+\S+ µs\s+(.*)$/.exec(line);
    if (!m) continue;
    const us = Number(m[1]) / 1e3 / checkouts;
    const text = m[3].toLowerCase();
    t.total += us;
    if (/^(commit|begin|savepoint|release|rollback)/.test(text)) t.commit += us;
    else if (/"?(outbox_events|scheduler_jobs)"? (where|set)|search_|from "outbox_|update "outbox_/.test(text)) t.background += us;
    else if (/^(insert|update|delete)/.test(text)) {
      t.writes += us;
      t.writeStatements += Number(m[2]) / checkouts;
    } else t.reads += us;
  }
  return t;
}

export const trade: Scenario = {
  name: 'trade',
  title: 'Trade: checkout throughput and a flash sale',
  method: [
    'Each engine: bare Fastify (the ceiling), then one Xiaodian server on a fresh database with the demo data. Setup (not measured): the demo',
    'merchant lists a 3-SKU product (5,000,000 units each) and a 1-SKU flash product (10,000 units); the demo buyer adds an address.',
    `${BUYERS} demo buyers (one per connection) each add an address; the store runs 满200减20, so every checkout carries a discount allocated to its lines.`,
    '**Checkout**: `POST /api/v1/checkouts` with 3 lines — server prices (pricing engine), stock held per line (conditional updates), 1 order + 3 lines +',
    '1 checkout + movements + the 15-minute timer + domain events, committed durably before the 201. **Flash sale**: 50,000 buy-now attempts of',
    '1 unit from 64 connections with autocannon `amount`; 201 = order created (units held), 422 = sold out. Afterwards the SKU stock is read',
    'back: oversold = orders beyond 10,000 or held units beyond 10,000 (must be 0). **Where it goes**: server CPU per checkout over the measured run',
    '(/proc), and on the embedded engine each SQL statement timed at the better-sqlite3 call (`XIAODIAN_SQL_STATS`, counted over the measured run',
    'only) and split into the checkout\'s writes, its reads, commit and savepoints, and the background workers\' statements; beside it, the CPU',
    'per checkout the 25%-of-bare target allows (1 s ÷ (0.25 × bare req/s)).',
  ].join('\n'),
  columns: [
    { key: 'engine', label: 'engine', align: 'left' },
    { key: 'what', label: 'what', align: 'left' },
    { key: 'rps', label: 'req/s' },
    { key: 'p50', label: 'p50 ms' },
    { key: 'p99', label: 'p99 ms' },
    { key: 'pct', label: '% of bare' },
    { key: 'note', label: 'notes', align: 'left' },
  ],
  async run(ctx) {
    const rows: Row[] = [];
    for (const engine of ctx.engines) rows.push(...(await engineRows(ctx, engine)));
    return rows;
  },
};
