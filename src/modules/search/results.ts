/**
 * From matched documents to a page: the sort orders, cursor pagination (the cursor is the
 * last item's sort key, so page 2 is "everything after it" — stable while the index does not
 * change and never repeating an item when it does), top-k selection with a bounded heap
 * (O(n log k), no full sort of 50,000 matches), and facet counts over all matches.
 */
import { invalid } from '../../lib/errors.ts';
import { decodeCursor, encodeCursor } from '../../lib/page.ts';
import type { MatchMode } from './text/query.ts';
import type { DocTable } from './doc-table.ts';

export const SORTS = ['relevance', 'sales', 'price_asc', 'price_desc', 'newest'] as const;
export type SortKey = (typeof SORTS)[number];

/** What an item's position depends on; also the cursor's content. */
export interface SortPoint {
  exact: number;
  value: number;
  id: string;
}

export interface Hits {
  n: number;
  docs: Int32Array;
  score: Float64Array;
  exact: Uint8Array;
}

export interface CursorState {
  sort: SortKey;
  mode: MatchMode;
  after: SortPoint;
}

export function encodeSearchCursor(c: CursorState): string {
  return encodeCursor(JSON.stringify([c.sort, c.mode, c.after.exact, c.after.value, c.after.id]));
}

export function decodeSearchCursor(cursor: string | undefined, sort: SortKey): CursorState | undefined {
  const raw = decodeCursor(cursor);
  if (raw === undefined) return undefined;
  try {
    const [s, mode, exact, value, id] = JSON.parse(String(raw)) as unknown[];
    if (s === sort && (mode === 'all' || mode === 'any') && typeof exact === 'number' && typeof value === 'number' && typeof id === 'string') {
      return { sort, mode, after: { exact, value, id } };
    }
  } catch {
    /* fall through */
  }
  throw invalid('invalid_cursor', 'cursor is not one this server issued for this sort order');
}

function valueOf(table: DocTable, hits: Hits, i: number, sort: SortKey): number {
  const d = hits.docs[i];
  return sort === 'relevance' ? hits.score[i] : sort === 'sales' ? table.sales[d] : sort === 'newest' ? table.created[d] : table.price[d];
}

/** Negative when a comes first. */
function compare(ea: number, va: number, ida: string, eb: number, vb: number, idb: string, sort: SortKey): number {
  if (ea !== eb) return eb - ea;
  if (va !== vb) return sort === 'price_asc' ? va - vb : vb - va;
  if (ida === idb) return 0;
  const byId = ida < idb ? -1 : 1;
  return sort === 'newest' ? -byId : byId;
}

/** Sort keys of every hit, in flat arrays (the heap compares thousands of them). */
class Keys {
  readonly exact: Uint8Array;
  readonly value: Float64Array;
  constructor(
    readonly table: DocTable,
    readonly hits: Hits,
    readonly sort: SortKey,
  ) {
    this.exact = sort === 'relevance' ? hits.exact : new Uint8Array(hits.n);
    this.value = new Float64Array(hits.n);
    for (let i = 0; i < hits.n; i++) this.value[i] = valueOf(table, hits, i, sort);
  }
  id(i: number): string {
    return this.table.productId[this.hits.docs[i]]!;
  }
  /** Negative when hit a comes before hit b. */
  cmp(a: number, b: number): number {
    const { exact, value } = this;
    if (exact[a] !== exact[b]) return exact[b] - exact[a];
    if (value[a] !== value[b]) return this.sort === 'price_asc' ? value[a] - value[b] : value[b] - value[a];
    return compare(0, 0, this.id(a), 0, 0, this.id(b), this.sort);
  }
  afterPoint(i: number, p: SortPoint): boolean {
    return compare(this.exact[i], this.value[i], this.id(i), p.exact, p.value, p.id, this.sort) > 0;
  }
}

/**
 * The `k` items that follow the cursor, in order: one pass with a bounded heap (worst kept item
 * on top). Hits are visited from the last: they come in document order, which is creation order,
 * so for `newest` the first k visited are already the best and nearly every other hit is turned
 * away by one comparison (front to back, every hit would displace the worst kept one).
 */
export function topK(table: DocTable, hits: Hits, sort: SortKey, k: number, after?: SortPoint): number[] {
  if (k <= 0) return [];
  const keys = new Keys(table, hits, sort);
  const heap: number[] = [];
  const swap = (x: number, y: number) => ([heap[x], heap[y]] = [heap[y], heap[x]]);
  for (let i = hits.n - 1; i >= 0; i--) {
    if (heap.length === k && keys.cmp(i, heap[0]) >= 0) continue; // not better than the worst kept: most hits stop here
    if (after && !keys.afterPoint(i, after)) continue;
    if (heap.length < k) {
      heap.push(i);
      for (let j = heap.length - 1; j > 0 && keys.cmp(heap[j], heap[(j - 1) >> 1]) > 0; j = (j - 1) >> 1) swap(j, (j - 1) >> 1);
      continue;
    }
    heap[0] = i;
    for (let j = 0; ; ) {
      const l = 2 * j + 1;
      let m = j;
      if (l < k && keys.cmp(heap[l], heap[m]) > 0) m = l;
      if (l + 1 < k && keys.cmp(heap[l + 1], heap[m]) > 0) m = l + 1;
      if (m === j) break;
      swap(j, m);
      j = m;
    }
  }
  return heap.sort((a, b) => keys.cmp(a, b));
}

export function sortPoint(table: DocTable, hits: Hits, i: number, sort: SortKey): SortPoint {
  return { exact: sort === 'relevance' ? hits.exact[i] : 0, value: valueOf(table, hits, i, sort), id: table.productId[hits.docs[i]]! };
}

/** Price buckets in fen: [0, 50) yuan, [50, 100) … [5,000, ∞). */
export const PRICE_BUCKETS_MINOR = [0, 50_00, 100_00, 200_00, 500_00, 1000_00, 2000_00, 5000_00];

export interface Facets {
  categories: { id: string; name: string; parent_id: string | null; count: number }[];
  brands: { name: string; count: number }[];
  price: { min_minor: number; max_minor: number | null; count: number }[];
}

export function facetCounts(table: DocTable, hits: Hits, opts: { categories: number; brands: number }): Facets {
  const perLeaf = new Int32Array(table.categories.length);
  const perBrand = new Int32Array(table.brandNames.length);
  const perBucket = new Int32Array(PRICE_BUCKETS_MINOR.length);
  const { category, brand, priceBucket } = table;
  const docs = hits.docs;
  for (let i = 0, n = hits.n; i < n; i++) {
    const d = docs[i];
    perLeaf[category[d]]++;
    const b = brand[d];
    if (b >= 0) perBrand[b]++;
    perBucket[priceBucket[d]]++;
  }
  const perNode = new Int32Array(table.categories.length);
  perLeaf.forEach((count, leaf) => {
    if (count > 0) for (const node of table.categories[leaf].path) perNode[node] += count;
  });
  const byCount = <T extends { count: number }>(a: T, b: T) => b.count - a.count;
  const categories: (Facets['categories'][number] & { depth: number })[] = [];
  perNode.forEach((count, n) => {
    if (count === 0) return;
    const node = table.categories[n];
    categories.push({ id: node.id, name: node.name, parent_id: node.parent >= 0 ? table.categories[node.parent].id : null, count, depth: node.path.length });
  });
  const brands: Facets['brands'] = [];
  perBrand.forEach((count, n) => {
    if (count > 0) brands.push({ name: table.brandNames[n], count });
  });
  return {
    categories: categories
      .sort((a, b) => a.depth - b.depth || byCount(a, b) || (a.id < b.id ? -1 : 1))
      .slice(0, opts.categories)
      .map(({ depth: _depth, ...rest }) => rest),
    brands: brands.sort((a, b) => byCount(a, b) || (a.name < b.name ? -1 : 1)).slice(0, opts.brands),
    price: PRICE_BUCKETS_MINOR.map((min, i) => ({ min_minor: min, max_minor: PRICE_BUCKETS_MINOR[i + 1] ?? null, count: perBucket[i] })).filter((b) => b.count > 0),
  };
}
