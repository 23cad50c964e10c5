/**
 * `npm run bench [-- <scenario>…] [--engines=sqlite,postgres] [--duration=S] [--warmup=S]
 *  [--connections=N] [--quiet-wait=S] [--retries=N] [--nice=N] [--ref=<commit>] [--no-write] [--list]`
 *
 * --ref runs the Xiaodian servers from a clean export of that commit (see lib/checkout.ts);
 * by default they run from the working tree.
 *
 * Environment: BENCH_DURATION_S (10), BENCH_WARMUP_S (2), BENCH_CONNECTIONS (64),
 * BENCH_ENGINES (sqlite,postgres), BENCH_QUIET_WAIT_S (30), BENCH_RETRIES (2), BENCH_NICE (-10),
 * BENCH_REF, XIAODIAN_BENCH_PG_URL (postgres://127.0.0.1:5432/test),
 * BENCH_CPU_PROF_DIR (write a V8 CPU profile of every Xiaodian child there).
 *
 * Prints each scenario's table and rewrites its section of docs/benchmarks.md.
 * Missing targets are reported as FAIL in the table; they do not change the exit code.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { exportRef, type Checkout } from './lib/checkout.ts';
import { createContext } from './lib/context.ts';
import { DEFAULT_PG_URL, resolveEngines } from './lib/engines.ts';
import { describeCommit, describeMachine } from './lib/machine.ts';
import { abortAll, ROOT } from './lib/processes.ts';
import { consoleTable, markdownTable, machineLine, sectionPreamble, writeDocument, type RunInfo } from './lib/report.ts';
import type { BenchContext, EngineName, Scenario, Settings, SkippedEngine } from './lib/types.ts';
import { SCENARIOS } from './scenarios/index.ts';

const DOC_PATH = join(ROOT, 'docs', 'benchmarks.md');

interface Args {
  scenarios: string[];
  flags: Map<string, string>;
}

function parseArgs(argv: readonly string[]): Args {
  const scenarios: string[] = [];
  const flags = new Map<string, string>();
  for (const a of argv) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a);
    if (m) flags.set(m[1], m[2] ?? 'true');
    else scenarios.push(a);
  }
  return { scenarios, flags };
}

function positive(value: string | undefined, fallback: number, what: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${what} must be a non-negative number, got "${value}"`);
  return n;
}

function settingsFrom(flags: Map<string, string>): Settings {
  const opt = (flag: string, env: string) => flags.get(flag) ?? process.env[env];
  return {
    durationS: positive(opt('duration', 'BENCH_DURATION_S'), 10, 'duration'),
    warmupS: positive(opt('warmup', 'BENCH_WARMUP_S'), 2, 'warm-up'),
    connections: positive(opt('connections', 'BENCH_CONNECTIONS'), 64, 'connections'),
    pipelining: 1,
    quietWaitS: positive(opt('quiet-wait', 'BENCH_QUIET_WAIT_S'), 30, 'quiet wait'),
    retries: Math.floor(positive(opt('retries', 'BENCH_RETRIES'), 2, 'retries')),
  };
}

function engineList(value: string): EngineName[] {
  const names = value.split(',').map((s) => s.trim()).filter(Boolean);
  for (const n of names) if (n !== 'sqlite' && n !== 'postgres') throw new Error(`unknown engine "${n}" (sqlite, postgres)`);
  return names as EngineName[];
}

function shout(skipped: readonly SkippedEngine[]): void {
  if (!skipped.length) return;
  const bar = '!'.repeat(78);
  const lines = skipped.map((s) => `!! ${s.name.toUpperCase()} SKIPPED: ${s.reason}`);
  process.stderr.write(`\n${bar}\n${lines.join('\n')}\n!! Its rows are missing from this run. Start it or set XIAODIAN_BENCH_PG_URL.\n${bar}\n\n`);
}

/**
 * On a shared machine, give the bench and its servers (children inherit it) priority over
 * other work, so neighbours take less of the CPU during a measurement. With the kernel's
 * autogroup scheduling on, a process's nice only ranks it within its own session, so the
 * session's group gets the same nice. Needs privilege; without it the run goes on as it is.
 */
function raisePriority(nice: number): string {
  if (nice === 0) return 'normal priority';
  try {
    os.setPriority(nice);
  } catch (err) {
    return `normal priority (nice ${nice} refused: ${(err as Error).message})`;
  }
  const group = '/proc/self/autogroup';
  try {
    if (!existsSync(group)) return `nice ${nice}`;
    // The group outlives the bench (it is the shell's session): put its old priority back.
    const before = /nice (-?\d+)/.exec(readFileSync(group, 'utf8'))?.[1] ?? '0';
    writeFileSync(group, String(nice));
    process.on('exit', () => writeFileSync(group, before));
    return `nice ${nice}`;
  } catch {
    return `nice ${nice} within its session only (the session's scheduling group kept its priority)`;
  }
}

const log = (message: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);

/** Runs one scenario; its markdown section, or null when it failed (its old section stays). */
async function runScenario(scenario: Scenario, ctx: BenchContext, run: RunInfo): Promise<string | null> {
  log(`scenario ${scenario.name}`);
  let rows;
  try {
    rows = await scenario.run(ctx);
  } catch (err) {
    process.stderr.write(`\nscenario ${scenario.name} failed; its section of docs/benchmarks.md is left as it was:\n${(err as Error).stack}\n`);
    return null;
  }
  const summary = scenario.summarize?.(rows) ?? [];
  process.stdout.write(`\n== ${scenario.title} ==\n${consoleTable(scenario.columns, rows)}\n${summary.map((l) => l.replace(/\*\*/g, '')).join('\n')}\n`);
  return [`## ${scenario.title}`, '', sectionPreamble(run), '', scenario.method, '', markdownTable(scenario.columns, rows), '', ...summary].join('\n');
}

async function main(): Promise<void> {
  const { scenarios: names, flags } = parseArgs(process.argv.slice(2));
  if (flags.has('list') || flags.has('help')) {
    process.stdout.write(`scenarios: ${SCENARIOS.map((s) => s.name).join(', ')}\n(see the top of bench/run.ts for flags and environment)\n`);
    return;
  }
  const unknown = names.filter((n) => !SCENARIOS.some((s) => s.name === n));
  if (unknown.length) throw new Error(`unknown scenario(s): ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.name).join(', ')}`);
  const selected = names.length ? SCENARIOS.filter((s) => names.includes(s.name)) : SCENARIOS;

  const settings = settingsFrom(flags);
  const priority = raisePriority(Number(flags.get('nice') ?? process.env.BENCH_NICE ?? -10));
  const wanted = engineList(flags.get('engines') ?? process.env.BENCH_ENGINES ?? 'sqlite,postgres');
  const { providers, skipped } = await resolveEngines(wanted, process.env.XIAODIAN_BENCH_PG_URL || DEFAULT_PG_URL);
  shout(skipped);
  if (!providers.length) throw new Error('no engine available to benchmark');

  const ref = flags.get('ref') ?? process.env.BENCH_REF;
  const checkout: Checkout | undefined = ref ? exportRef(ref) : undefined;
  if (checkout) process.on('exit', () => checkout.remove());
  const profileDir = process.env.BENCH_CPU_PROF_DIR ? resolve(process.env.BENCH_CPU_PROF_DIR) : undefined;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const ctx = createContext({ providers, settings, log, checkout, profileDir });

  const machine = describeMachine();
  const commit = checkout ? `${checkout.commit} (clean export of --ref=${ref})` : describeCommit();
  const run: RunInfo = { date: new Date(), machine, commit, settings, engines: ctx.engines, skipped, scenarios: selected.map((s) => s.name), priority };
  log(`${machineLine(machine)}; commit ${commit}`);
  log(`engines: ${ctx.engines.map((e) => e.name).join(', ')}; ${settings.connections} connections, ${settings.durationS} s + ${settings.warmupS} s warm-up per endpoint; ${priority}`);

  const sections = new Map<string, string>();
  for (const scenario of selected) {
    const section = await runScenario(scenario, ctx, run);
    if (section) sections.set(scenario.name, section);
  }
  shout(skipped);

  if (flags.has('no-write')) log('--no-write: docs/benchmarks.md not touched');
  else if (sections.size) {
    writeDocument(DOC_PATH, run, sections, SCENARIOS.map((s) => s.name));
    log(`wrote ${DOC_PATH}`);
  }
  if (sections.size < selected.length) process.exitCode = 1;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  // A default signal death would skip the 'exit' handlers that kill the servers.
  process.on(signal, () => {
    process.stderr.write(`\n${signal}: stopping the servers and dropping their databases\n`);
    void abortAll().finally(() => process.exit(130));
  });
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
