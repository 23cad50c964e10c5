/**
 * Servers under test run in child processes, so the load generator (in the bench process)
 * and the server never share an event loop. Every child is tracked and killed if the bench
 * dies, so a failed run leaves nothing listening.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface StartOptions {
  /** Extra environment for the child (wins over the bench's defaults). */
  env?: Record<string, string>;
  /** Extra node flags, e.g. ['--cpu-prof', '--cpu-prof-dir=…']. */
  nodeArgs?: string[];
}

export interface ServerHandle {
  readonly name: string;
  readonly baseUrl: string;
  readonly pid: number;
  /** The PostgreSQL database the server uses, if any (to find its backends' CPU). */
  readonly pgDatabase?: string;
  /** Resident set size of the child now, in bytes (VmRSS). */
  rssBytes(): number;
  /** Peak resident set size so far, in bytes (VmHWM). */
  peakRssBytes(): number;
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
/** Cleanups (database drops) of servers not yet stopped. */
const pendingCleanups = new Set<() => Promise<void>>();
let aborting = false;

function killAll(): void {
  for (const child of live) child.kill('SIGKILL');
  live.clear();
}
process.on('exit', killAll);

/** On an interrupt: kill every server and drop their databases (bounded wait), then return. */
export async function abortAll(timeoutMs = 5_000): Promise<void> {
  aborting = true;
  killAll();
  const all = Promise.allSettled([...pendingCleanups].map((c) => c()));
  await Promise.race([all, new Promise((r) => setTimeout(r, timeoutMs).unref())]);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function procStatusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  if (!m) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(m[1]);
}

/** Keeps the last `max` characters of a child's output, for error messages. */
class Tail {
  private text = '';
  constructor(private readonly max = 16_000) {}
  push(chunk: Buffer): void {
    this.text = (this.text + chunk.toString('utf8')).slice(-this.max);
  }
  toString(): string {
    return this.text;
  }
}

export interface SpawnSpec {
  name: string;
  script: string;
  /** Directory the script path is relative to (default: this checkout). */
  cwd?: string;
  env: Record<string, string>;
  nodeArgs?: string[];
  /** Path that answers 200 once the server can take load. */
  readyPath: string;
  readyTimeoutMs?: number;
  pgDatabase?: string;
  /** Runs after stop (e.g. drop the database), whether or not stop was clean. */
  cleanup?: () => Promise<void>;
}

export async function startServer(spec: SpawnSpec): Promise<ServerHandle> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [...(spec.nodeArgs ?? []), '--import', 'tsx', spec.script], {
    cwd: spec.cwd ?? ROOT,
    env: { ...process.env, ...spec.env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  const output = new Tail();
  child.stdout!.on('data', (c: Buffer) => output.push(c));
  child.stderr!.on('data', (c: Buffer) => output.push(c));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => {
    live.delete(child);
    resolve(code);
  }));
  let hasExited = false;
  let ready = false;
  let stopping = false;
  void exited.then((code) => {
    hasExited = true;
    // A server that dies under load spoils the scenario; say why at once, not at the next /proc read.
    if (!stopping && !aborting && ready) process.stderr.write(`\n!! ${spec.name} (pid ${child.pid}) died during the run (exit code ${code})\n--- its output ---\n${output}\n`);
  });

  let cleaned = false;
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    pendingCleanups.delete(cleanup);
    await spec.cleanup?.();
  };
  pendingCleanups.add(cleanup);

  try {
    await waitReady(`${baseUrl}${spec.readyPath}`, spec.readyTimeoutMs ?? 120_000, () => hasExited);
  } catch (err) {
    child.kill('SIGKILL');
    await exited;
    await cleanup();
    throw new Error(`${spec.name} did not become ready: ${(err as Error).message}\n--- its output ---\n${output}`);
  }
  ready = true;
  const pid = child.pid!;
  return {
    name: spec.name,
    baseUrl,
    pid,
    pgDatabase: spec.pgDatabase,
    rssBytes: () => procStatusKb(pid, 'VmRSS') * 1024,
    peakRssBytes: () => procStatusKb(pid, 'VmHWM') * 1024,
    async stop() {
      stopping = true;
      if (!hasExited) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        const code = await exited;
        clearTimeout(timer);
        if (code !== 0 && code !== null) process.stderr.write(`warning: ${spec.name} exited with code ${code}\n--- its output ---\n${output}\n`);
      }
      await cleanup();
    },
  };
}

async function waitReady(url: string, timeoutMs: number, exited: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (exited()) throw new Error('the process exited');
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      if (res.status === 200) return;
      last = `status ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms (${last})`);
}
