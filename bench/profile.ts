/**
 * Where does one endpoint spend the server's CPU?
 *
 *   npx tsx bench/profile.ts [--engine=sqlite|postgres] [--duration=10] [--as=buyer|owner|none] [--top=25] /api/v1/me
 *   npx tsx bench/profile.ts --bare /        (the bare Fastify ceiling, for comparison)
 *   … --ref=<commit>                           (run the server from a clean export of a commit)
 *   … --keep                                   (keep the .cpuprofile and print its path)
 *   npx tsx bench/profile.ts checkout          (POST /api/v1/checkouts, 3 lines, as in `npm run bench -- trade`)
 *
 * Starts Xiaodian under `node --cpu-prof` on a fresh database, signs in, puts the same load on
 * the path as `npm run bench` does, stops the server (which writes the profile) and prints the
 * time by area, by function (self) and by function (inclusive), counting only the measured run.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bearer, login, DEMO_BUYER, DEMO_OWNER } from './lib/api.ts';
import { exportRef } from './lib/checkout.ts';
import { formatSummary, summarizeProfile } from './lib/cpu-profile.ts';
import { DEFAULT_PG_URL, resolveEngines } from './lib/engines.ts';
import { runLoad, type LoadRequest } from './lib/load.ts';
import { setup } from './scenarios/trade.ts';
import { startServer } from './lib/processes.ts';
import type { EngineName, Settings } from './lib/types.ts';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const path = args.find((a) => !a.startsWith('--'));
if (!path) {
  process.stderr.write('usage: npx tsx bench/profile.ts [--engine=sqlite|postgres] [--duration=10] [--as=buyer|owner|none] [--top=25] <path>\n');
  process.exit(2);
}
const engine = flag('engine', 'sqlite') as EngineName;
const as = flag('as', 'buyer');
const settings: Settings = { durationS: Number(flag('duration', '10')), warmupS: 2, connections: 64, pipelining: 1, quietWaitS: 0, retries: 0 };

const bare = args.includes('--bare');
const dir = mkdtempSync(join(tmpdir(), 'xd-prof-'));
const profiling = ['--cpu-prof', `--cpu-prof-dir=${dir}`];
const ref = flag('ref', '');
const checkout = ref ? exportRef(ref) : undefined;
if (checkout) process.on('exit', () => checkout.remove());

async function start() {
  if (bare) return startServer({ name: 'bare Fastify', script: 'bench/bare-fastify.ts', env: {}, nodeArgs: profiling, readyPath: '/' });
  const { providers, skipped } = await resolveEngines([engine], process.env.XIAODIAN_BENCH_PG_URL || DEFAULT_PG_URL);
  if (!providers.length) throw new Error(`${engine} is not available: ${skipped[0]?.reason}`);
  const db = await providers[0].provision();
  return startServer({
    name: `xiaodian (${engine})`,
    script: 'src/app/main.ts',
    cwd: checkout?.dir,
    env: { ...db.env, LOG_LEVEL: 'warn', XIAODIAN_SEED_DEMO: 'true', ...(path === 'checkout' ? { XIAODIAN_DEMO_EXTRA_BUYERS: '64' } : {}) },
    nodeArgs: profiling,
    readyPath: '/readyz',
    pgDatabase: db.pgDatabase,
    cleanup: db.drop,
  });
}

const server = await start();
let window: [number, number];
try {
  const headers: Record<string, string> = as === 'none' || bare ? {} : bearer((await login(server.baseUrl, as === 'owner' ? DEMO_OWNER : DEMO_BUYER)).token);
  let req: LoadRequest = { path, headers };
  if (path === 'checkout') {
    const s = await setup(server);
    const body = JSON.stringify({ items: s.checkoutSkus.map((sku_id) => ({ sku_id, quantity: 1 })), address_id: s.addressId });
    req = { path: '/api/v1/checkouts', method: 'POST', headers: { ...bearer(s.token), 'content-type': 'application/json' }, body };
  }
  await runLoad(server, req, { ...settings, durationS: settings.warmupS, warmupS: 0 });
  const from = Number(process.hrtime.bigint() / 1000n);
  const r = await runLoad(server, req, { ...settings, warmupS: 0 });
  window = [from, Number(process.hrtime.bigint() / 1000n)];
  const perRequestUs = (r.cpu.server * 1e6) / r.rps;
  process.stdout.write(`${path} on ${bare ? 'bare Fastify' : engine}: ${r.rps.toFixed(0)} req/s, ${perRequestUs.toFixed(0)} µs server CPU per request (profiling adds to both), ${r.failures} failures ${r.failureDetail}\n\n`);
} finally {
  await server.stop();
}
const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
if (!file) throw new Error(`no profile written in ${dir}`);
process.stdout.write(`${formatSummary(summarizeProfile(join(dir, file), { window, top: Number(flag('top', '25')), root: checkout?.dir }))}\n`);
if (args.includes('--keep')) process.stdout.write(`\nprofile kept: ${join(dir, file)} (open it in Chrome DevTools → Performance)\n`);
else rmSync(dir, { recursive: true, force: true });
