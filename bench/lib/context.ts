/** The BenchContext that scenarios get: servers on fresh databases, and load with retries. */
import type { Checkout } from './checkout.ts';
import type { EngineProvider } from './engines.ts';
import { QUIET_CORES, runLoad, waitForQuiet, type LoadResult } from './load.ts';
import { startServer, type StartOptions } from './processes.ts';
import type { BenchContext, EngineName, Settings } from './types.ts';

export interface ContextOptions {
  providers: readonly EngineProvider[];
  settings: Settings;
  log: (message: string) => void;
  /** Run the Xiaodian servers from this export instead of the working tree. */
  checkout?: Checkout;
  /** Write a V8 CPU profile of every Xiaodian child here. */
  profileDir?: string;
}

export function createContext(opts: ContextOptions): BenchContext {
  const { settings, log, checkout, profileDir } = opts;
  const byName = new Map<EngineName, EngineProvider>(opts.providers.map((p) => [p.info.name, p]));
  return {
    engines: opts.providers.map((p) => p.info),
    settings,
    log,
    async startXiaodian(engine, start: StartOptions = {}) {
      const provider = byName.get(engine);
      if (!provider) throw new Error(`engine ${engine} is not available in this run`);
      const db = await provider.provision();
      return startServer({
        name: `xiaodian (${engine})`,
        script: 'src/app/main.ts',
        cwd: checkout?.dir,
        env: { ...db.env, LOG_LEVEL: 'warn', XIAODIAN_SEED_DEMO: 'true', ...start.env },
        nodeArgs: [...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), ...(start.nodeArgs ?? [])],
        readyPath: '/readyz',
        pgDatabase: db.pgDatabase,
        cleanup: db.drop,
      });
    },
    startBare: () => startServer({ name: 'bare Fastify', script: 'bench/bare-fastify.ts', env: {}, readyPath: '/' }),
    async load(server, request) {
      // On a shared machine: wait for quiet, and measure again when neighbours still got in
      // the way, keeping the least disturbed run.
      let best: LoadResult | undefined;
      for (let attempt = 0; attempt <= settings.retries; attempt++) {
        if (settings.quietWaitS > 0) await waitForQuiet(settings.quietWaitS, log);
        const r = await runLoad(server, request, settings);
        if (!best || r.cpu.other < best.cpu.other) best = r;
        if (r.cpu.other <= QUIET_CORES) break;
        if (attempt < settings.retries) log(`    disturbed: others used ${r.cpu.other.toFixed(2)} cores; measuring again`);
      }
      return best!;
    },
  };
}
