/**
 * `npm run search:rebuild [-- --fresh]`: re-indexes every product from the catalog.
 *
 * In place by default: searches keep answering while it runs, and products whose document
 * did not change are not written. `--fresh` first empties the term index (use it after
 * changing the analyzer, stopwords or stemmer in src/modules/search/text/).
 * Uses DATABASE_URL / XIAODIAN_SQLITE_PATH like the server; safe while the server runs.
 */
import { systemClock } from '../src/lib/clock.ts';
import { createLogger } from '../src/lib/logger.ts';
import { loadConfig } from '../src/app/config.ts';
import { shutdown, wire } from '../src/app/wire.ts';

const fresh = process.argv.includes('--fresh');
const config = loadConfig();
const log = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
const ctx = await wire({ config, clock: systemClock, log });
try {
  let lastPrint = 0;
  const out = await ctx.search.rebuild({
    fresh,
    onProgress(done) {
      if (Date.now() - lastPrint < 2000) return;
      lastPrint = Date.now();
      process.stderr.write(`  ${done} products…\n`);
    },
  });
  process.stdout.write(`search index rebuilt${fresh ? ' (fresh)' : ''} on ${ctx.db.engine}: ${out.products} live products, ${out.written} documents written, ${out.unchanged} unchanged, ${out.ms} ms\n`);
} finally {
  await shutdown(ctx);
}
