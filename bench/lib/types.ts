/**
 * The contract between bench/run.ts and a scenario. A scenario gets a context that can start
 * servers (each in its own child process, on a fresh database) and put load on them, and
 * returns rows; the runner prints them and writes them into docs/benchmarks.md.
 */
import type { LoadRequest, LoadResult } from './load.ts';
import type { ServerHandle, StartOptions } from './processes.ts';

export type EngineName = 'sqlite' | 'postgres';

export interface EngineInfo {
  name: EngineName;
  /** What the docs say about it, e.g. "SQLite 3.50.2 (better-sqlite3), WAL, synchronous=FULL". */
  description: string;
}

export interface SkippedEngine {
  name: EngineName;
  reason: string;
}

export interface Settings {
  durationS: number;
  warmupS: number;
  connections: number;
  pipelining: number;
  /** Before each endpoint, wait up to this long for other processes to leave the CPU alone. */
  quietWaitS: number;
  /** Measure again (up to this many times) when other processes disturbed a run; keep the quietest. */
  retries: number;
}

export interface BenchContext {
  /** Engines that are available in this run, in order. */
  engines: readonly EngineInfo[];
  settings: Settings;
  log(message: string): void;
  /** Starts Xiaodian (demo data loaded) on a fresh database of the engine; stop() drops it. */
  startXiaodian(engine: EngineName, opts?: StartOptions): Promise<ServerHandle>;
  /** Starts the bare Fastify hello-world server: the ceiling. */
  startBare(): Promise<ServerHandle>;
  /** Warm-up (discarded), then the measured run, with the run's connections and duration. */
  load(server: ServerHandle, request: LoadRequest): Promise<LoadResult>;
}

export type Cell = string | number | null;
export type Row = Record<string, Cell>;

export interface Column {
  key: string;
  label: string;
  align?: 'left' | 'right';
  /** Numbers are shown with this many decimals (default 0). */
  decimals?: number;
}

export interface Scenario {
  /** CLI name and the marker of its section in docs/benchmarks.md. */
  name: string;
  title: string;
  /** Markdown: what is measured and how (goes under the section title). */
  method: string;
  columns: readonly Column[];
  run(ctx: BenchContext): Promise<Row[]>;
  /** Markdown lines stating the result against the scenario's targets. */
  summarize?(rows: readonly Row[]): string[];
}
