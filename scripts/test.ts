/**
 * `npm test`: the whole suite. Pure tests run once; tests that touch a database run on
 * the embedded engine and again on PostgreSQL when one is reachable. Browser tests run
 * when Chromium is installed. What is skipped is said loudly, never silently.
 *
 *   npm test                 everything available on this machine
 *   npm test -- auth         only files whose path contains "auth"
 *   XIAODIAN_TEST_ENGINES=sqlite npm test    one engine only
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import pg from 'pg';

const ROOT = new URL('..', import.meta.url).pathname;
const PG_URL = process.env.XIAODIAN_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const CHROMIUM = process.env.XIAODIAN_CHROMIUM ?? '/usr/bin/chromium';

function walk(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const filters = process.argv.slice(2);
const files = [...walk(join(ROOT, 'src')), ...walk(join(ROOT, 'test')), ...walk(join(ROOT, 'web', 'src'))]
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
// Everything under test/ is a scenario against a real database; under src/, files that start one.
const usesDb = (f: string) => f.startsWith(join(ROOT, 'test') + '/') || /startTestApp|freshDatabase/.test(readFileSync(f, 'utf8'));
const usesBrowser = (f: string) => f.includes('/test/browser/');
const pure = files.filter((f) => !usesDb(f) && !usesBrowser(f));
const db = files.filter((f) => usesDb(f) && !usesBrowser(f));
const browser = files.filter(usesBrowser);

async function pgReachable(): Promise<string | null> {
  const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    await c.query('select 1');
    return null;
  } catch (err) {
    return (err as Error).message;
  } finally {
    await c.end().catch(() => {});
  }
}

function run(label: string, list: string[], env: Record<string, string>): boolean {
  if (list.length === 0) return true;
  process.stdout.write(`\n━━ ${label}: ${list.length} file(s) ━━\n`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...list.map((f) => relative(ROOT, f))], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  return r.status === 0;
}

function banner(text: string): void {
  const line = '!'.repeat(Math.min(100, text.length + 8));
  process.stdout.write(`\n${line}\n!!! ${text} !!!\n${line}\n`);
}

const engines = (process.env.XIAODIAN_TEST_ENGINES ?? 'sqlite,postgres').split(',');
let ok = run('pure tests', pure, {});
const skipped: string[] = [];
if (engines.includes('sqlite')) ok = run('database tests on SQLite (embedded)', db, { XIAODIAN_TEST_ENGINE: 'sqlite' }) && ok;
if (engines.includes('postgres') && db.length) {
  const why = await pgReachable();
  if (why === null) ok = run(`database tests on PostgreSQL (${PG_URL})`, db, { XIAODIAN_TEST_ENGINE: 'postgres', XIAODIAN_TEST_PG_URL: PG_URL }) && ok;
  else if (process.env.XIAODIAN_TEST_REQUIRE_PG) {
    banner(`PostgreSQL required (XIAODIAN_TEST_REQUIRE_PG) but unreachable: ${why}`);
    ok = false;
  } else skipped.push(`PostgreSQL suite SKIPPED: ${PG_URL} unreachable (${why}). Start PostgreSQL or set XIAODIAN_TEST_PG_URL.`);
}
if (browser.length) {
  if (existsSync(CHROMIUM)) ok = run('browser tests (Chromium)', browser, { XIAODIAN_CHROMIUM: CHROMIUM }) && ok;
  else skipped.push(`Browser suite SKIPPED: ${CHROMIUM} not found (apt-get install chromium, or set XIAODIAN_CHROMIUM).`);
}
for (const s of skipped) banner(s);
process.stdout.write(ok ? '\nall test runs passed\n' : '\nTEST FAILURES (see above)\n');
process.exit(ok ? 0 : 1);
