/**
 * Reads a V8 .cpuprofile (from `node --cpu-prof`) and says where the time went, limited to a
 * window of monotonic time (so start-up and warm-up don't blur the measured load).
 * V8 stamps samples with the same monotonic clock as process.hrtime on Linux, so the bench
 * process can mark the window.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { ROOT } from './processes.ts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface Entry {
  name: string;
  ms: number;
  pct: number;
}

export interface ProfileSummary {
  sampledMs: number;
  /** Self time by function. */
  bySelf: Entry[];
  /** Time with the function on the stack (recursion counted once). */
  byInclusive: Entry[];
  /** Self time by where the code lives: our src/, a package, Node internals, GC, idle. */
  byArea: Entry[];
}

/** Server code may run from a --ref export; name its files relative to that root. */
let codeRoot = ROOT;

function where(url: string): string {
  if (!url) return '';
  const path = url.startsWith('file://') ? new URL(url).pathname : url;
  return path.startsWith(codeRoot) ? relative(codeRoot, path) : path;
}

function area(node: ProfileNode): string {
  const { functionName, url } = node.callFrame;
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node: internals';
  const path = where(url);
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (pkg) return pkg[1];
  if (path.startsWith('src/')) return path.split('/').slice(0, 2).join('/');
  return path;
}

function label(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = where(url);
  // tsx compiles our .ts files without keeping lines, so a line number there would mislead.
  const line = file.endsWith('.ts') ? '' : `:${lineNumber + 1}`;
  return `${functionName || '(anonymous)'}${file ? ` ${file.replace(/^.*node_modules\//, '')}${line}` : ''}`;
}

function top(map: Map<string, number>, totalMs: number, n: number): Entry[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, ms]) => ({ name, ms, pct: (ms / totalMs) * 100 }));
}

/**
 * window: [fromUs, toUs] in process.hrtime microseconds; omit for the whole profile.
 * root: the directory the server ran from.
 */
export function summarizeProfile(file: string, opts: { window?: [number, number]; top?: number; root?: string } = {}): ProfileSummary {
  const { window, top: n = 25 } = opts;
  codeRoot = opts.root ? `${opts.root.replace(/\/$/, '')}/` : ROOT;
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const c of node.children ?? []) parent.set(c, node.id);

  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const areas = new Map<string, number>();
  let t = profile.startTime;
  let sampledMs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i];
    if (window && (t < window[0] || t > window[1])) continue;
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000; // a sample stands for the time until the next one
    const leaf = byId.get(profile.samples[i])!;
    sampledMs += dt;
    self.set(label(leaf), (self.get(label(leaf)) ?? 0) + dt);
    areas.set(area(leaf), (areas.get(area(leaf)) ?? 0) + dt);
    const seen = new Set<string>();
    for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
      const l = label(byId.get(id)!);
      if (seen.has(l)) continue;
      seen.add(l);
      inclusive.set(l, (inclusive.get(l) ?? 0) + dt);
    }
  }
  return { sampledMs, bySelf: top(self, sampledMs, n), byInclusive: top(inclusive, sampledMs, n), byArea: top(areas, sampledMs, n) };
}

export function formatSummary(s: ProfileSummary): string {
  const block = (title: string, entries: Entry[]) =>
    [`${title}:`, ...entries.map((e) => `  ${e.pct.toFixed(1).padStart(5)}%  ${e.ms.toFixed(0).padStart(6)} ms  ${e.name}`)].join('\n');
  return [
    `sampled ${s.sampledMs.toFixed(0)} ms of the server's main thread`,
    block('self time by area', s.byArea),
    block('self time by function', s.bySelf),
    block('inclusive time by function', s.byInclusive),
  ].join('\n\n');
}
