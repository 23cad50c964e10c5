/**
 * Rows to a console table and to docs/benchmarks.md. The document is regenerated around
 * per-scenario sections delimited by `<!-- bench:<name> -->` … `<!-- /bench:<name> -->`;
 * a section is replaced only when its scenario ran, so partial runs keep the rest.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Machine } from './machine.ts';
import type { Cell, Column, EngineInfo, Row, Settings, SkippedEngine } from './types.ts';

function formatCell(value: Cell, col: Column): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    const d = col.decimals ?? 0;
    return value.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
  }
  return value;
}

function cells(columns: readonly Column[], rows: readonly Row[]): string[][] {
  return rows.map((row) => columns.map((c) => formatCell(row[c.key] ?? null, c)));
}

export function consoleTable(columns: readonly Column[], rows: readonly Row[]): string {
  const body = cells(columns, rows);
  const widths = columns.map((c, i) => Math.max(c.label.length, ...body.map((r) => r[i].length)));
  const line = (parts: string[]) =>
    parts.map((p, i) => (columns[i].align === 'left' ? p.padEnd(widths[i]) : p.padStart(widths[i]))).join('  ');
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(columns.map((c) => c.label)), rule, ...body.map(line)].join('\n');
}

export function markdownTable(columns: readonly Column[], rows: readonly Row[]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const header = `| ${columns.map((c) => esc(c.label)).join(' | ')} |`;
  const align = `|${columns.map((c) => (c.align === 'left' ? ' --- ' : ' ---: ')).join('|')}|`;
  const body = cells(columns, rows).map((r) => `| ${r.map(esc).join(' | ')} |`);
  return [header, align, ...body].join('\n');
}

export interface RunInfo {
  date: Date;
  machine: Machine;
  commit: string;
  settings: Settings;
  engines: readonly EngineInfo[];
  skipped: readonly SkippedEngine[];
  scenarios: readonly string[];
  /** Scheduling priority of the bench and its servers, e.g. "nice -10". */
  priority: string;
}

export function machineLine(m: Machine): string {
  return `${m.cpu}, ${m.cores} cores, ${m.ramGiB} GiB RAM, ${m.os}, Node ${m.node}`;
}

/** The heading block of a scenario's section: when, on what, and with which engines. */
export function sectionPreamble(run: RunInfo): string {
  const s = run.settings;
  const lines = [
    `_Measured ${run.date.toISOString()} · commit ${run.commit} · ${machineLine(run.machine)}._`,
    `_Load: ${s.connections} connections, pipelining ${s.pipelining}, ${s.durationS} s per endpoint after a ${s.warmupS} s warm-up; bench and servers at ${run.priority}._`,
    '',
    'Engines:',
    ...run.engines.map((e) => `- **${e.name}**: ${e.description}`),
    ...run.skipped.map((e) => `- **${e.name}: SKIPPED** — ${e.reason}`),
  ];
  return lines.join('\n');
}

const MARKER = /<!-- bench:([a-z0-9_-]+) -->\n([\s\S]*?)\n<!-- \/bench:\1 -->/g;

export function readSections(path: string): Map<string, string> {
  const sections = new Map<string, string>();
  if (!existsSync(path)) return sections;
  const text = readFileSync(path, 'utf8');
  for (const m of text.matchAll(MARKER)) sections.set(m[1], m[2]);
  return sections;
}

const COMMON_METHOD = `## How these numbers are taken

- \`npm run bench [-- <scenario>…]\` (bench/run.ts). Each server under test runs in its **own
  child process** (\`node --import tsx src/app/main.ts\`, \`LOG_LEVEL=warn\`, demo data loaded,
  background workers on as in production) on a **fresh database** — a temp SQLite file or a newly
  created PostgreSQL database — removed afterwards. The ceiling, a bare Fastify hello-world
  (bench/bare-fastify.ts), is also a separate child process measured in the same run.
- The load generator is autocannon (programmatic API) **in the bench process, on the same
  machine**. With 2 cores the load generator competes with the server for CPU, so absolute
  numbers understate what the server does alone; ratios to the bare server, measured under the
  same handicap, are the figure to compare across runs.
- Each endpoint gets a warm-up run that is thrown away, then the measured run. req/s counts 2xx
  responses per second of the measured run; p50/p99 are autocannon's latency percentiles (1 ms
  resolution). A row with any non-2xx response, socket error or timeout is flagged in "errors".
- RSS is the server child's VmRSS from /proc/<pid>/status right after the endpoint's run.
- CPU srv / gen / pg / other: cores kept busy on average during the measured run by the server
  child, by the bench process (the load generator), by the local PostgreSQL processes (PostgreSQL
  rows only; SQLite runs inside the server), and by everything else, hypervisor steal included
  (from /proc/stat and /proc/<pid>/stat). "other" well above 0.1 means the run was disturbed.
  Before each endpoint the bench waits (up to BENCH_QUIET_WAIT_S, 30 s) for the rest of the
  machine to drop below 0.15 cores, and measures a disturbed endpoint again (BENCH_RETRIES, 2),
  keeping the quietest run; a row still disturbed is reported, and named under the table.
- srv µs/req: the server child's CPU time per answered request (CPU srv ÷ req/s). It is the least
  load-generator-sensitive figure here: the server's main thread is the bottleneck once it nears
  1.0 core, and then req/s ≈ 1 s ÷ µs/req.
- The bench and its server children run at raised priority (BENCH_NICE, default nice -10) so
  that other work on a shared machine yields to them; a local PostgreSQL server keeps its own.
- Single runs on a shared machine vary by several percent; treat differences under ~10% as noise.`;

export function renderDocument(run: RunInfo, sections: Map<string, string>, order: readonly string[]): string {
  const names = [...order.filter((n) => sections.has(n)), ...[...sections.keys()].filter((n) => !order.includes(n) && n !== 'run')];
  const latest = [
    '## Latest run',
    '',
    `- Date: ${run.date.toISOString()}`,
    `- Machine: ${run.machine.cpu}; ${run.machine.cores} cores; ${run.machine.ramGiB} GiB RAM`,
    `- OS: ${run.machine.os}`,
    `- Node: ${run.machine.node}`,
    `- Commit: ${run.commit}`,
    `- Scenarios run: ${run.scenarios.join(', ')}`,
  ].join('\n');
  const parts = [
    '# Benchmarks',
    '',
    'Generated by `npm run bench`; change bench/, not this file. Each scenario owns the section between its',
    '`<!-- bench:<name> -->` markers, and a run replaces only the sections of the scenarios it ran.',
    '',
    `<!-- bench:run -->\n${latest}\n<!-- /bench:run -->`,
    '',
    COMMON_METHOD,
    '',
    ...names.flatMap((n) => [`<!-- bench:${n} -->\n${sections.get(n)}\n<!-- /bench:${n} -->`, '']),
  ];
  return parts.join('\n');
}

export function writeDocument(path: string, run: RunInfo, fresh: Map<string, string>, order: readonly string[]): void {
  const sections = readSections(path);
  for (const [name, body] of fresh) sections.set(name, body);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, renderDocument(run, sections, order));
}
