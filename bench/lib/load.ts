/**
 * Load from the bench process with autocannon: a warm-up run that is thrown away (JIT,
 * statement caches, connection pools), then the measured run.
 */
import autocannon from 'autocannon';
import { cpuSince, cpuSnapshot, machineBusyCores, type CpuUse } from './cpu.ts';
import type { ServerHandle } from './processes.ts';
import type { Settings } from './types.ts';

export interface LoadRequest {
  /** Path on the server, e.g. `/api/v1/me`. */
  path: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadResult {
  /** 2xx responses per second over the measured run. */
  rps: number;
  p50Ms: number;
  p99Ms: number;
  ok: number;
  /** Non-2xx responses, socket errors and timeouts together; anything but 0 spoils the row. */
  failures: number;
  failureDetail: string;
  durationS: number;
  cpu: CpuUse;
}

/** Machine CPU (in cores) below which it counts as quiet, measured while the bench is idle. */
export const QUIET_CORES = 0.15;

/**
 * On a shared machine, wait (up to `maxS`) for the rest of the machine to go quiet before a
 * measurement; returns the seconds waited and the busy level last seen.
 */
export async function waitForQuiet(maxS: number, log: (m: string) => void): Promise<{ waitedS: number; busy: number }> {
  const start = Date.now();
  let busy = await machineBusyCores(1_000);
  let said = false;
  while (busy > QUIET_CORES && Date.now() - start < maxS * 1000) {
    if (!said) log(`    machine busy (${busy.toFixed(2)} cores used by others); waiting up to ${maxS} s for quiet`);
    said = true;
    busy = await machineBusyCores(1_000);
  }
  const waitedS = (Date.now() - start) / 1000 - 1;
  if (busy > QUIET_CORES && maxS > 0) log(`    still busy (${busy.toFixed(2)} cores) after ${waitedS.toFixed(0)} s; measuring anyway`);
  return { waitedS, busy };
}

export async function runLoad(server: ServerHandle, req: LoadRequest, settings: Settings): Promise<LoadResult> {
  const { path, ...rest } = req;
  const base = { ...rest, url: `${server.baseUrl}${path}`, connections: settings.connections, pipelining: settings.pipelining, timeout: 10 };
  if (settings.warmupS > 0) await autocannon({ ...base, duration: settings.warmupS });
  const before = cpuSnapshot(server);
  const r = await autocannon({ ...base, duration: settings.durationS });
  const cpu = cpuSince(before, server);
  const failures = r.non2xx + r.errors; // autocannon counts timeouts among errors too
  const codes = Object.entries(r.statusCodeStats).filter(([code]) => !code.startsWith('2')).map(([code, s]) => `${s.count}×${code}`);
  const detail = [...codes, r.errors - r.timeouts ? `${r.errors - r.timeouts} socket errors` : '', r.timeouts ? `${r.timeouts} timeouts` : ''].filter(Boolean).join(', ');
  return {
    rps: r['2xx'] / r.duration,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    ok: r['2xx'],
    failures,
    failureDetail: detail,
    durationS: r.duration,
    cpu,
  };
}
