/**
 * Foundation: what the HTTP layer and authentication cost before any business logic.
 * Every authenticated request resolves its bearer token (session + roles + staff lookups),
 * so if this is slow, every endpoint built on it is slow.
 */
import { bearer, expectStatus, login, DEMO_BUYER } from '../lib/api.ts';
import { QUIET_CORES, type LoadResult } from '../lib/load.ts';
import type { ServerHandle } from '../lib/processes.ts';
import type { BenchContext, EngineInfo, Row, Scenario } from '../lib/types.ts';

/** The authenticated reads should keep at least this share of bare Fastify's throughput. */
const TARGET_PCT = 50;
const MiB = 1024 * 1024;


const ADDRESSES = [
  { recipient: '张三', phone: '13700000001', province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路 100 号 3 幢 502', postal_code: '310012', is_default: true },
  { recipient: '张三', phone: '13700000001', province: '上海市', city: '上海市', district: '浦东新区', detail: '张江路 88 号 12 楼' },
  { recipient: '李四', phone: '13900001111', province: '广东省', city: '深圳市', district: '南山区', detail: '科技园南区 6 栋 1801' },
];

interface Endpoint {
  label: string;
  path: string;
  auth: boolean;
}

const ENDPOINTS: readonly Endpoint[] = [
  { label: 'GET /healthz', path: '/healthz', auth: false },
  { label: 'GET /api/v1/me (auth)', path: '/api/v1/me', auth: true },
  { label: 'GET /api/v1/me/addresses (auth, 3 rows)', path: '/api/v1/me/addresses', auth: true },
];

function verdict(r: LoadResult, pct: number | null, bare: LoadResult): string {
  if (r.failures > 0) return 'INVALID (errors)';
  const v = `${pct !== null && pct >= TARGET_PCT ? 'PASS' : 'FAIL'} (≥${TARGET_PCT}%)`;
  // A ratio to a disturbed ceiling (or from a disturbed run) says little either way.
  return r.cpu.other > QUIET_CORES || bare.cpu.other > QUIET_CORES ? `${v}, disturbed` : v;
}

/** Server CPU time per answered request, in µs. */
const usPerRequest = (r: LoadResult) => (r.rps > 0 ? (r.cpu.server * 1e6) / r.rps : null);

function toRow(engine: EngineInfo, endpoint: string, r: LoadResult, server: ServerHandle, bare: LoadResult, target: boolean): Row {
  const pct = bare.rps ? (r.rps / bare.rps) * 100 : null;
  const us = usPerRequest(r);
  const bareUs = usPerRequest(bare);
  return {
    engine: engine.name,
    endpoint,
    rps: r.rps,
    p50: r.p50Ms,
    p99: r.p99Ms,
    pct,
    rss: server.rssBytes() / MiB,
    errors: r.failures ? r.failureDetail : '0',
    us_per_req: us,
    cpu_pct: us && bareUs ? (bareUs / us) * 100 : null,
    cpu_server: r.cpu.server,
    cpu_loadgen: r.cpu.loadgen,
    cpu_db: engine.name === 'postgres' ? r.cpu.db : null,
    cpu_other: r.cpu.other,
    target: target ? verdict(r, pct, bare) : null,
    peak_rss: server.peakRssBytes() / MiB,
  };
}

async function measureBare(ctx: BenchContext, engine: EngineInfo): Promise<{ row: Row; result: LoadResult }> {
  const bare = await ctx.startBare();
  try {
    ctx.log(`  ${engine.name}: bare Fastify GET /`);
    const r = await ctx.load(bare, { path: '/' });
    return { row: toRow(engine, 'bare Fastify GET / (ceiling)', r, bare, r, false), result: r };
  } finally {
    await bare.stop();
  }
}

async function measureXiaodian(ctx: BenchContext, engine: EngineInfo, bare: LoadResult): Promise<Row[]> {
  const server = await ctx.startXiaodian(engine.name);
  try {
    const idleRss = server.rssBytes() / MiB;
    const { token, accountId } = await login(server.baseUrl, DEMO_BUYER);
    for (const address of ADDRESSES) await expectStatus(201, server.baseUrl, 'POST', '/api/v1/me/addresses', { token, body: address });
    // Check the answers once, so a 401 or an empty list can't pass for a fast endpoint.
    const me = await expectStatus<{ id: string }>(200, server.baseUrl, 'GET', '/api/v1/me', { token });
    if (me.id !== accountId) throw new Error(`GET /api/v1/me answered for ${me.id}, expected ${accountId}`);
    const list = await expectStatus<{ items: unknown[] }>(200, server.baseUrl, 'GET', '/api/v1/me/addresses', { token });
    if (list.items.length !== ADDRESSES.length) throw new Error(`GET /api/v1/me/addresses returned ${list.items.length} rows, expected ${ADDRESSES.length}`);

    const rows: Row[] = [];
    for (const ep of ENDPOINTS) {
      ctx.log(`  ${engine.name}: ${ep.label}`);
      const r = await ctx.load(server, { path: ep.path, headers: ep.auth ? bearer(token) : {} });
      rows.push({ ...toRow(engine, ep.label, r, server, bare, ep.auth), idle_rss: idleRss });
    }
    return rows;
  } finally {
    await server.stop();
  }
}

export const foundation: Scenario = {
  name: 'foundation',
  title: 'Foundation: HTTP and authentication overhead',
  method: [
    'For each engine: the bare Fastify ceiling (re-measured right before the engine\'s block, so each',
    'ratio compares against a ceiling taken minutes apart under the same conditions), then one Xiaodian',
    'server on a fresh database with the demo data. The demo buyer signs in once (sign-ins are throttled',
    'per account and hashed with argon2) and creates 3 addresses; the measured requests reuse that',
    'bearer token. `GET /healthz` is public and touches no database; `GET /api/v1/me` resolves the',
    'token to a principal (session, account status, roles, store memberships) and reads the account;',
    '`GET /api/v1/me/addresses` resolves the token and lists the 3 addresses. How many statements each',
    'of these runs is up to the server (and its caches): this measures the result.',
    `Target: each authenticated read keeps **≥ ${TARGET_PCT}%** of bare Fastify's requests/s.`,
    '"% of bare by CPU" compares server CPU per request instead (bare µs/req ÷ this row\'s µs/req):',
    'what the share would be with the server CPU-bound on a core of its own. It moves less than the',
    'req/s ratio when the load generator or neighbours take CPU, so read it beside a disturbed row.',
    'On PostgreSQL it leaves out the database\'s own CPU ("CPU pg"), which runs on the other core.',
  ].join('\n'),
  columns: [
    { key: 'engine', label: 'engine', align: 'left' },
    { key: 'endpoint', label: 'endpoint', align: 'left' },
    { key: 'rps', label: 'req/s' },
    { key: 'p50', label: 'p50 ms' },
    { key: 'p99', label: 'p99 ms' },
    { key: 'pct', label: '% of bare' },
    { key: 'us_per_req', label: 'srv µs/req' },
    { key: 'cpu_pct', label: '% of bare by CPU' },
    { key: 'rss', label: 'RSS MiB' },
    { key: 'cpu_server', label: 'CPU srv', decimals: 2 },
    { key: 'cpu_loadgen', label: 'CPU gen', decimals: 2 },
    { key: 'cpu_db', label: 'CPU pg', decimals: 2 },
    { key: 'cpu_other', label: 'CPU other', decimals: 2 },
    { key: 'errors', label: 'errors' },
    { key: 'target', label: 'target', align: 'left' },
  ],
  async run(ctx) {
    const rows: Row[] = [];
    for (const engine of ctx.engines) {
      const bare = await measureBare(ctx, engine);
      rows.push(bare.row);
      rows.push(...(await measureXiaodian(ctx, engine, bare.result)));
    }
    return rows;
  },
  summarize(rows) {
    const lines = rows
      .filter((r) => r.target)
      .map((r) => `- ${r.engine}, ${r.endpoint}: **${Math.round(r.pct as number)}%** of bare Fastify's req/s → **${r.target}**; by server CPU per request ${Math.round(r.cpu_pct as number)}%`);
    const disturbed = rows.filter((r) => (r.cpu_other as number) > QUIET_CORES);
    if (disturbed.length) {
      lines.push(`- ⚠ other processes used more than ${QUIET_CORES} of a core during: ${disturbed.map((r) => `${r.engine} ${r.endpoint} (${(r.cpu_other as number).toFixed(2)})`).join('; ')} — re-run on a quiet machine before trusting those rows.`);
    }
    for (const engine of new Set(rows.map((r) => r.engine))) {
      const ours = rows.filter((r) => r.engine === engine && r.idle_rss !== undefined);
      if (!ours.length) continue;
      const peak = Math.max(...ours.map((r) => r.peak_rss as number));
      lines.push(`- ${engine}: server RSS ${(ours[0].idle_rss as number).toFixed(0)} MiB idle after start (demo data loaded), peak ${peak.toFixed(0)} MiB during the run.`);
    }
    return lines;
  },
};
