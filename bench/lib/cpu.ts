/**
 * Where the CPU went during a measured run: the server child, the load generator (this
 * process), a local PostgreSQL server (part of the system under test when it is the engine),
 * and everything else (other processes, hypervisor steal). On a 2-core machine the first
 * three compete; the last says whether the run was disturbed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';

interface Snapshot {
  machineBusy: number;
  machineTotal: number;
  self: number;
  server: number;
  db: number;
}

export interface CpuUse {
  /** In cores (1 = one core fully busy), averaged over the run. */
  server: number;
  loadgen: number;
  /** Local PostgreSQL backends of the server's database (0 for the embedded engine, which runs inside the server). */
  db: number;
  other: number;
}

function machineTicks(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0];
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  const busy = user + nice + system + irq + softirq + (steal ?? 0);
  return { busy, total: busy + idle + iowait };
}

function parseStat(stat: string): { comm: string; ticks: number } {
  // The command name (field 2) may contain spaces; fields after it are fixed.
  const close = stat.lastIndexOf(')');
  const fields = stat.slice(close + 2).split(' ');
  return { comm: stat.slice(stat.indexOf('(') + 1, close), ticks: Number(fields[11]) + Number(fields[12]) }; // utime + stime
}

function processTicks(pid: number | 'self'): number {
  return parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8')).ticks;
}

/**
 * CPU of the local PostgreSQL backends serving `database` (their process title names it:
 * "postgres: user database host(port) state"). Other databases' backends, e.g. another
 * test run's, count as "other"; shared background processes (WAL writer, checkpointer) too.
 */
function postgresTicks(database: string | undefined): number {
  if (!database) return 0;
  let sum = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const p = parseStat(readFileSync(`/proc/${entry}/stat`, 'utf8'));
      if (p.comm !== 'postgres') continue;
      const title = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (title.includes(` ${database} `)) sum += p.ticks;
    } catch {
      // the process ended while we looked
    }
  }
  return sum;
}

/** The process under load and, for PostgreSQL, the database whose backends serve it. */
export interface Measured {
  pid: number;
  pgDatabase?: string;
}

export function cpuSnapshot(target: Measured): Snapshot {
  const m = machineTicks();
  return { machineBusy: m.busy, machineTotal: m.total, self: processTicks('self'), server: processTicks(target.pid), db: postgresTicks(target.pgDatabase) };
}

export function cpuSince(start: Snapshot, target: Measured): CpuUse {
  const end = cpuSnapshot(target);
  const cores = os.availableParallelism();
  // Ticks per core over the interval, from the machine's own counter (USER_HZ agnostic).
  const perCore = (end.machineTotal - start.machineTotal) / cores;
  if (perCore <= 0) return { server: 0, loadgen: 0, db: 0, other: 0 };
  const server = (end.server - start.server) / perCore;
  const loadgen = (end.self - start.self) / perCore;
  const db = (end.db - start.db) / perCore;
  const busy = (end.machineBusy - start.machineBusy) / perCore;
  return { server, loadgen, db, other: Math.max(0, busy - server - loadgen - db) };
}

/**
 * Cores kept busy by the whole machine over `ms`; call it while the bench and its servers are
 * idle to see what the rest of the machine is doing.
 */
export async function machineBusyCores(ms: number): Promise<number> {
  const a = machineTicks();
  await new Promise((r) => setTimeout(r, ms));
  const b = machineTicks();
  const perCore = (b.total - a.total) / os.availableParallelism();
  return perCore > 0 ? (b.busy - a.busy) / perCore : 0;
}
