import { systemClock } from '../lib/clock.ts';
import { createLogger } from '../lib/logger.ts';
import { buildServer } from '../http/server.ts';
import { loadConfig } from './config.ts';
import { seedDemo } from './seed-demo.ts';
import { shutdown, startWorkers, wire } from './wire.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const ctx = await wire({ config, clock: systemClock, log });
  if (config.seedDemo) {
    const logins = await seedDemo(ctx);
    if (logins) {
      const lines = logins.map((l) => `  ${l.phone} / ${l.password}   ${l.who}`).join('\n');
      process.stdout.write(`\n小店 demo data loaded. Demo log-ins (phone / password):\n${lines}\n\n`);
    }
  }
  const app = await buildServer(ctx, { logRequests: true });
  if (config.workers) startWorkers(ctx);
  await app.listen({ port: config.port, host: config.host });
  ctx.ready = true;
  log.info({ engine: ctx.db.engine, url: `http://localhost:${config.port}`, docs: `http://localhost:${config.port}/api/docs` }, 'xiaodian is up');

  // Graceful shutdown: stop taking connections, let in-flight requests finish, then close.
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    ctx.ready = false;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      log.error('graceful shutdown timed out; exiting');
      process.exit(1);
    }, config.shutdownGraceMs);
    force.unref();
    await app.close();
    await shutdown(ctx);
    log.info('bye');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err) => {
  process.stderr.write(`xiaodian failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
