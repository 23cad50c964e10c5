/**
 * The query side: parse → postings (cache, else one statement for every missing term) →
 * filter + score → AND, or OR when AND finds nothing (`relaxed`) → facets → top-k after the
 * cursor → the page's rows and highlights.
 *
 * Before answering, the in-memory document table follows search_documents: a read of the `seq`
 * counter (at once after this process wrote to the index, else at most every REFRESH_MS), then
 * only the rows changed since — so several server processes sharing one database stay current.
 */
import { clampLimit } from '../../lib/page.ts';
import { escapeHtml } from './text/highlight.ts';
import { highlightStored } from './highlight-spans.ts';
import { parseQuery, type MatchMode, type ParsedQuery } from './text/query.ts';
import type { SynonymIndex } from './text/synonyms.ts';
import { DocTable } from './doc-table.ts';
import { emptyList, PostingsCache, type TermList } from './postings-cache.ts';
import { decodeSearchCursor, encodeSearchCursor, facetCounts, sortPoint, topK, type Facets, type Hits, type SortKey, type SortPoint } from './results.ts';
import { accumulate, driverTerms } from './scorer.ts';
import { browse, filterOf, filterParts, withoutImpossible } from './filters.ts';
import type { PageDoc, SearchRepo } from './search.repo.ts';

export interface SearchQuery {
  q?: string;
  /** This category and everything under it. */
  category_id?: string;
  /** Any of these brands (case-insensitive). */
  brand?: string[];
  store_id?: string;
  /** On the product's lowest active SKU price, fen, inclusive. */
  price_min?: number;
  price_max?: number;
  in_stock?: boolean;
  sort?: SortKey;
  limit?: number;
  cursor?: string;
  /** Default true. */
  facets?: boolean;
}

export interface SearchItem {
  id: string; title: string; title_highlight: string; brand: string | null; store_id: string; category_id: string; image_url: string | null;
  price_min_minor: number; price_max_minor: number; currency: 'CNY'; in_stock: boolean; sales: number; created_at: number;
}

export interface SearchResult {
  items: SearchItem[];
  next_cursor: string | null;
  /** Matches in all (not just this page). */
  total: number;
  /** No product had every query word, so these have some of them. */
  relaxed: boolean;
  /** Query words as the index understood them (after segmentation and synonyms). */
  terms: string[];
  facets: Facets | null;
}

/**
 * Changes made by other processes are looked for at most this often (ms of process time, not
 * the domain clock: a cache interval); this process's own index writes mark the copy stale at once.
 */
export const REFRESH_MS = 50;
/** Past this many changed documents since the last look, reload everything (after a rebuild). */
const MAX_INCREMENTAL = 5000;
const LOAD_PAGE = 20_000;
/** Display rows (title, spans, image …) of recently shown products: a page is mostly products shown before. */
const ROW_CACHE = 20_000;
/** Parsed queries (segmentation and synonym expansion cost more than scoring a rare word). */
const PARSE_CACHE = 2_000;
/**
 * Whole answers of recent queries, like Solr's queryResultCache or Elasticsearch's request
 * cache: popular queries (手机, a category's newest) repeat far more often than the index
 * changes. Exact: emptied whenever this process's copy of the index changes, and an answer
 * computed while it changed is not kept.
 */
export const ANSWER_CACHE = 1_000;

export function createSearchReader(deps: { repo: SearchRepo; synonyms: () => SynonymIndex | null; cacheBytes: number; answerCache?: number }) {
  const answerCache = deps.answerCache ?? ANSWER_CACHE;
  const { repo } = deps;
  let state = { table: new DocTable(), cache: new PostingsCache(deps.cacheBytes) };
  let loaded = false;
  let seenSeq = 0;
  let refreshing: Promise<void> | undefined;
  let stale = true;
  const rowCache = new Map<number, PageDoc>(); // LRU by insertion order; entries of changed documents are dropped
  let rowGen = 0; // bumped when documents change: a row read before that is not cached
  const parsedCache = new Map<string, ParsedQuery>();
  const answers = new Map<string, SearchResult>(); // LRU by insertion order
  let checkedAt = -Infinity;

  /** Documents changed: cached rows and answers built before are no longer valid. */
  function documentsChanged(): void {
    rowGen++;
    answers.clear();
  }

  function parse(text: string): ParsedQuery {
    let parsed = parsedCache.get(text);
    if (parsed === undefined) {
      parsed = parseQuery(text, deps.synonyms());
      if (parsedCache.size >= PARSE_CACHE) parsedCache.delete(parsedCache.keys().next().value!);
      parsedCache.set(text, parsed);
    }
    return parsed;
  }

  async function fullLoad(): Promise<void> {
    const startSeq = await repo.currentSeq();
    const table = new DocTable();
    for (let after = 0; ; ) {
      const rows = await repo.docsPage(after, LOAD_PAGE);
      for (const r of rows) table.apply(r);
      if (rows.length < LOAD_PAGE) break;
      after = Number(rows[rows.length - 1].doc_no);
    }
    // Changes committed while loading have seq > startSeq: the next refresh applies them again.
    state = { table, cache: new PostingsCache(deps.cacheBytes) };
    rowCache.clear();
    documentsChanged();
    seenSeq = startSeq;
    loaded = true;
  }

  async function catchUp(): Promise<void> {
    if (!loaded) return fullLoad();
    if ((await repo.currentSeq()) === seenSeq) return;
    const rows = await repo.docsSince(seenSeq, MAX_INCREMENTAL + 1);
    if (rows.length > MAX_INCREMENTAL) return fullLoad();
    const changes = rows.map((r) => {
      state.table.apply(r);
      rowCache.delete(Number(r.doc_no));
      seenSeq = Math.max(seenSeq, Number(r.seq));
      return { docNo: Number(r.doc_no), postings: Number(r.visible) === 1 ? new Map(JSON.parse(r.postings) as [string, number][]) : null };
    });
    state.cache.changed(changes);
    if (changes.length) documentsChanged();
  }

  function refresh(): Promise<void> {
    // A write after the running refresh began must not be missed: look again once it is done.
    if (refreshing) return stale ? refreshing.then(refresh) : refreshing;
    const now = performance.now();
    if (loaded && !stale && now - checkedAt < REFRESH_MS) return Promise.resolve();
    stale = false;
    checkedAt = now;
    refreshing = catchUp().finally(() => (refreshing = undefined));
    return refreshing;
  }

  async function lists(terms: readonly string[], cache: PostingsCache): Promise<TermList[]> {
    const out: (TermList | undefined)[] = terms.map((t) => cache.lookup(t));
    const missing = terms.filter((_, i) => out[i] === undefined);
    if (missing.length) {
      const gen = cache.generation;
      const rows = await repo.postingsFor(missing);
      const counts = new Map<string, number>();
      for (const r of rows) counts.set(r.term, (counts.get(r.term) ?? 0) + 1);
      const fetched = new Map(missing.map((t) => [t, { docs: new Int32Array(counts.get(t) ?? 0), tfs: new Int32Array(counts.get(t) ?? 0), at: 0 }]));
      for (const r of rows) {
        const f = fetched.get(r.term)!;
        f.docs[f.at] = Number(r.doc_no);
        f.tfs[f.at++] = Number(r.tfs);
      }
      terms.forEach((t, i) => {
        const f = fetched.get(t);
        if (out[i] === undefined && f) out[i] = cache.store(t, f.docs.length ? { docs: f.docs, tfs: f.tfs } : emptyList(), gen);
      });
    }
    return out as TermList[];
  }

  /** What the answer needs of the matches, copied out while the scorer's shared buffers are still ours. */
  interface Picked {
    docs: number[];
    terms: (string[] | null)[];
    next: SortPoint | null;
    total: number;
    facets: Facets | null;
  }

  function pick(table: DocTable, hits: Hits, sort: SortKey, limit: number, after: SortPoint | undefined, termsOf: (i: number) => string[] | null, wantFacets: boolean): Picked {
    const order = topK(table, hits, sort, limit + 1, after);
    const shown = order.slice(0, limit);
    return {
      docs: shown.map((i) => hits.docs[i]),
      terms: shown.map(termsOf),
      next: order.length > limit ? sortPoint(table, hits, shown[shown.length - 1], sort) : null,
      total: hits.n,
      facets: wantFacets ? facetCounts(table, hits, { categories: 30, brands: 20 }) : null,
    };
  }

  async function page(p: Picked): Promise<SearchItem[]> {
    const missing = p.docs.filter((d) => !rowCache.has(d));
    const gen = rowGen;
    const fetched = new Map<number, PageDoc>((await repo.pageDocs(missing)).map((r) => [Number(r.doc_no), r]));
    return p.docs.flatMap((d, at) => {
      const r = rowCache.get(d) ?? fetched.get(d);
      if (r && (rowGen === gen || !fetched.has(d))) {
        rowCache.delete(d); // most recently used goes last
        rowCache.set(d, r);
        if (rowCache.size > ROW_CACHE) rowCache.delete(rowCache.keys().next().value!);
      }
      if (!r) return []; // gone between scoring and reading (a concurrent full rebuild)
      const t = p.terms[at];
      return [{
        id: r.product_id, title: r.title, title_highlight: t ? highlightStored(r.title, r.title_spans, t) : escapeHtml(r.title), brand: r.brand, store_id: r.store_id, category_id: r.category_id,
        image_url: r.image_url, price_min_minor: Number(r.price_min_minor ?? 0), price_max_minor: Number(r.price_max_minor ?? 0), currency: 'CNY' as const,
        in_stock: Number(r.in_stock) === 1, sales: Number(r.sales), created_at: Number(r.created_at),
      }];
    });
  }

  return {
    refresh,
    /** This process wrote to the index: the next query reads the changes first. */
    markStale: () => {
      stale = true;
    },
    /** Loads the document table now (start-up), rather than on the first query. */
    warmUp: () => refresh(),
    cacheStats: () => ({ documents: state.table.visibleCount, ...state.cache.stats, answers: answers.size }),

    /** The answer to `q`; the same object for the same query while the index does not change (do not modify it). */
    async search(q: SearchQuery): Promise<SearchResult> {
      await refresh();
      const key = JSON.stringify([q.q?.trim() ?? '', q.category_id, q.brand, q.store_id, q.price_min, q.price_max, q.in_stock, q.sort ?? 'relevance', clampLimit(q.limit), q.cursor, q.facets !== false]);
      const hit = answers.get(key);
      if (hit) {
        answers.delete(key); // most recently used goes last
        answers.set(key, hit);
        return hit;
      }
      const gen = rowGen;
      const result = await answer(q);
      if (rowGen === gen && answerCache > 0) {
        answers.set(key, result);
        if (answers.size > answerCache) answers.delete(answers.keys().next().value!);
      }
      return result;
    },
  };

  async function answer(q: SearchQuery): Promise<SearchResult> {
    const { table, cache } = state;
    const sort = q.sort ?? 'relevance';
    const limit = clampLimit(q.limit);
    const cursor = decodeSearchCursor(q.cursor, sort);
    const wantFacets = q.facets !== false;
    const parts = filterParts(table, q);
    const accept = filterOf(table, parts);
    const text = (q.q ?? '').trim();
    const parsed: ParsedQuery | null = text ? parse(text) : null;
    const empty: SearchResult = { items: [], next_cursor: null, total: 0, relaxed: false, terms: parsed?.terms ?? [], facets: wantFacets ? { categories: [], brands: [], price: [] } : null };
    if (accept === undefined || (parsed && parsed.groups.length === 0)) return empty;

    let mode: MatchMode = cursor?.mode ?? 'all';
    let picked: Picked;
    if (parsed === null) {
      picked = pick(table, browse(table, parts ?? null), sort, limit, cursor?.after, () => null, wantFacets);
    } else {
      const full = await lists(parsed.terms, cache);
      const forAll = withoutImpossible(parsed, full);
      const drivers = mode === 'all' ? driverTerms(parsed, forAll) : null;
      let acc = accumulate(parsed, mode === 'all' ? forAll : full, table, accept, drivers);
      try {
        const scored = sort === 'relevance';
        let m = acc.evaluate(mode, scored);
        if (m.n === 0 && mode === 'all') {
          // OR needs every term's candidates: AND's came only from the driver terms.
          if (forAll !== full || drivers !== null) {
            acc.release();
            acc = accumulate(parsed, full, table, accept);
          }
          const any = acc.evaluate('any', scored);
          if (any.n > 0) [m, mode] = [any, 'any'];
        }
        picked = pick(table, m, sort, limit, cursor?.after, m.termsOf, wantFacets);
      } finally {
        acc.release(); // other queries may reuse the buffers from here on
      }
    }
    return {
      items: await page(picked),
      next_cursor: picked.next ? encodeSearchCursor({ sort, mode, after: picked.next }) : null,
      total: picked.total,
      relaxed: mode === 'any',
      terms: parsed?.terms ?? [],
      facets: picked.facets,
    };
  }
}
export type SearchReader = ReturnType<typeof createSearchReader>;
