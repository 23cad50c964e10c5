import type { Clock } from '../../lib/clock.ts';
import type { Logger } from '../../lib/logger.ts';
import type { Db, Executor } from '../../db/index.ts';
import type { CatalogModule } from '../catalog/index.ts';
import type { InventoryModule } from '../inventory/index.ts';
import { warmUpJieba } from './text/jieba.ts';
import { createIndexer, type SearchSources } from './indexer.ts';
import { createSearchRepo } from './search.repo.ts';
import { createSearchReader, type SearchQuery, type SearchResult } from './search.service.ts';
import { lazySynonymIndex, loadSynonyms } from './synonyms-config.ts';

export type { SearchQuery, SearchResult, SearchItem } from './search.service.ts';
export type { Facets, SortKey } from './results.ts';
export { SORTS, PRICE_BUCKETS_MINOR } from './results.ts';
export type { SearchSources, IndexOutcome } from './indexer.ts';

export interface SearchDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  catalog: Pick<CatalogModule, 'getProducts' | 'listCategories' | 'productIdsPage'>;
  inventory: Pick<InventoryModule, 'levels'>;
  /** A synonym file (see synonyms-config.ts); the built-in list when absent. */
  synonymsPath?: string | null;
  /** Memory for cached postings lists (default 128 MB). */
  cacheMb?: number;
  /** Whole answers kept for repeated queries (default 1,000; 0 = off). */
  answerCache?: number;
  /** How often the background indexer looks for queued products (default 200 ms). */
  pollMs?: number;
}

/**
 * Product search: an inverted index in the database (search_postings), a per-product search
 * document fed by catalog and inventory events, and queries with filters, facets, sorting,
 * cursor pagination and highlights. Rules a newcomer must know: README.md here and in text/.
 */
export function createSearchModule(deps: SearchDeps) {
  const { db, clock, log } = deps;
  const repo = createSearchRepo(db);
  const synonyms = loadSynonyms(deps.synonymsPath);
  const sources: SearchSources = {
    getProducts: (ids) => deps.catalog.getProducts(ids),
    listCategories: () => deps.catalog.listCategories(),
    async available(skuIds) {
      return new Map([...(await deps.inventory.levels(skuIds))].map(([id, l]) => [id, l.available]));
    },
    liveProductIds: (after, limit) => deps.catalog.productIdsPage({ status: 'live', after, limit }),
  };
  const indexer = createIndexer({ db, repo, clock, sources });
  const reader = createSearchReader({ repo, synonyms: lazySynonymIndex(synonyms.groups), cacheBytes: (deps.cacheMb ?? 128) * 1024 * 1024, answerCache: deps.answerCache });

  let timer: NodeJS.Timeout | undefined;
  let kickTimer: NodeJS.Timeout | undefined;
  /** Set when this process queued a product: the next query indexes the queue before answering. */
  let queuedHere = false;
  let inflight: Promise<void> | undefined;

  function indexQueued(): Promise<void> {
    queuedHere = false;
    const run = indexer.processPending().then(
      (out) => {
        if (out.written) {
          reader.markStale();
          log.debug({ ...out }, 'search index updated');
        }
      },
      (err) => {
        queuedHere = true;
        log.error({ err }, 'search indexing failed; will retry');
      },
    );
    inflight = run;
    return run;
  }

  return {
    /** GET /search/products. A product queued by this process is indexed before the answer (read your writes). */
    async search(q: SearchQuery): Promise<SearchResult> {
      if (queuedHere) await indexQueued();
      return reader.search(q);
    },

    /** For the event subscriber: queue a product for re-indexing in the event's transaction. */
    async enqueue(tx: Executor, productId: string, eventId: string): Promise<void> {
      await indexer.enqueue(tx, productId, eventId);
      queuedHere = true;
      if (timer && !kickTimer) kickTimer = setTimeout(() => ((kickTimer = undefined), void indexQueued()), 10).unref();
    },

    /** Products of these SKUs, as indexed (stock events that carry only a SKU). */
    productIdsForSkus: (ex: Executor, skuIds: readonly string[]) => indexer.productIdsForSkus(ex, skuIds),

    /** Indexes the queue now; the background loop does this every `pollMs`. */
    processPending: () => indexer.processPending().finally(reader.markStale),

    /** Re-indexes these products now, whatever their queue state. */
    reindex: (productIds: readonly string[]) => indexer.reindex(productIds).finally(reader.markStale),

    /** Re-indexes every product (npm run search:rebuild). */
    rebuild: (opts?: Parameters<typeof indexer.rebuild>[0]) => indexer.rebuild(opts).finally(reader.markStale),

    /** Loads the dictionary and the document table, so the first query is not slow. */
    async warmUp(): Promise<{ jieba_ms: number; load_ms: number; documents: number }> {
      const { load_ms: jieba_ms } = warmUpJieba();
      const started = performance.now();
      await reader.warmUp();
      return { jieba_ms, load_ms: Math.round(performance.now() - started), documents: reader.cacheStats().documents };
    },

    stats: () => ({ synonyms: synonyms.source, ...reader.cacheStats() }),

    /** Background indexing of the queue (the outbox dispatcher fills it). */
    start(): void {
      if (timer) return;
      timer = setInterval(() => void indexQueued(), deps.pollMs ?? 200);
      timer.unref();
      void this.warmUp().then((w) => log.info({ ...w, synonyms: synonyms.source }, 'search ready'), (err) => log.error({ err }, 'search warm-up failed'));
    },

    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      if (kickTimer) clearTimeout(kickTimer);
      timer = kickTimer = undefined;
      await inflight;
    },
  };
}
export type SearchModule = ReturnType<typeof createSearchModule>;
