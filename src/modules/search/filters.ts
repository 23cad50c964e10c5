/**
 * Pieces of a query that need no database: filters as one predicate over the document table,
 * the listing without words, and dropping postings an AND query cannot use.
 */
import type { DocTable } from './doc-table.ts';
import { emptyList, type TermList } from './postings-cache.ts';
import type { Hits } from './results.ts';
import type { SearchQuery } from './search.service.ts';
import type { ParsedQuery } from './text/query.ts';

/**
 * For AND: an alternative with a term no document has can never match, so postings of terms
 * used only by such alternatives need not be read (手机's synonym "mobile phone" → [mobil, phon]:
 * no product says "mobile", and every phone's category says "Phones").
 */
export function withoutImpossible(query: ParsedQuery, lists: TermList[]): TermList[] {
  const needed = new Set<number>();
  const index = new Map(query.terms.map((t, i) => [t, i]));
  for (const g of query.groups) {
    for (const alt of g.alternatives) {
      const ts = alt.map((t) => index.get(t)!);
      if (ts.every((t) => lists[t].docs.length > 0)) for (const t of ts) needed.add(t);
    }
  }
  if (needed.size === lists.length) return lists;
  return lists.map((l, i) => (needed.has(i) ? l : emptyList()));
}

/**
 * The filters of a query: the category mask apart (listings by category are the common case and
 * get a tight loop), `rest` the other filters as one predicate (null: none).
 * undefined: nothing can match (an unknown category, brand or store); null: no filter at all.
 */
export interface FilterParts {
  categoryMask: Uint8Array | undefined;
  rest: ((d: number) => boolean) | null;
}

export function filterParts(table: DocTable, q: SearchQuery): FilterParts | null | undefined {
  let categoryMask: Uint8Array | undefined;
  if (q.category_id) {
    const n = table.categoryNumber(q.category_id);
    if (n === undefined) return undefined;
    categoryMask = table.categoryMask(n);
  }
  let brandMask: Uint8Array | undefined;
  if (q.brand?.length) {
    const numbers = q.brand.map((b) => table.brandNumber(b)).filter((n) => n !== undefined);
    if (!numbers.length) return undefined;
    brandMask = new Uint8Array(table.brandNames.length);
    for (const n of numbers) brandMask[n] = 1;
  }
  const store = q.store_id ? table.storeNumber(q.store_id) : -1;
  if (store === undefined) return undefined;
  const lo = q.price_min ?? -Infinity;
  const hi = q.price_max ?? Infinity;
  const inStockOnly = q.in_stock === true;
  const outOfStockOnly = q.in_stock === false;
  const others = brandMask !== undefined || store >= 0 || q.price_min !== undefined || q.price_max !== undefined || q.in_stock !== undefined;
  if (!categoryMask && !others) return null;
  const rest = others
    ? (d: number) =>
      (brandMask === undefined || (table.brand[d] >= 0 && brandMask[table.brand[d]] === 1)) &&
      (store < 0 || table.store[d] === store) &&
      table.price[d] >= lo && table.price[d] <= hi &&
      (!inStockOnly || table.inStock[d] === 1) && (!outOfStockOnly || table.inStock[d] === 0)
    : null;
  return { categoryMask, rest };
}

/** The filters as one predicate; undefined: nothing can match, null: no filter. */
export function filterOf(table: DocTable, parts: FilterParts | null | undefined): ((d: number) => boolean) | null | undefined {
  if (!parts) return parts;
  const { categoryMask: mask, rest } = parts;
  if (mask === undefined) return rest;
  const category = table.category;
  return rest === null ? (d) => mask[category[d]] === 1 : (d) => mask[category[d]] === 1 && rest(d);
}

/** Buffers of the listing without words, reused by every query (the answer is picked from them synchronously). */
const scratch = { docs: new Int32Array(0), score: new Float64Array(0), exact: new Uint8Array(0) };

/**
 * Every visible document passing the filters: a listing without query words. Relevance = sales.
 * The returned arrays are shared: valid until the next listing.
 */
export function browse(table: DocTable, parts: FilterParts | null): Hits {
  if (scratch.docs.length < table.visibleCount) {
    const cap = Math.max(table.visibleCount, scratch.docs.length * 2);
    scratch.docs = new Int32Array(cap);
    scratch.score = new Float64Array(cap);
    scratch.exact = new Uint8Array(cap);
  }
  const { docs, score } = scratch;
  const { visible, category, sales } = table;
  const mask = parts?.categoryMask;
  const rest = parts?.rest ?? null;
  const max = table.visibleCount;
  let n = 0;
  for (let d = 0, size = table.size; d < size && n < max; d++) {
    if (visible[d] === 0) continue;
    if (mask !== undefined && mask[category[d]] !== 1) continue;
    if (rest !== null && !rest(d)) continue;
    docs[n] = d;
    score[n++] = sales[d];
  }
  return { n, docs, score, exact: scratch.exact };
}
