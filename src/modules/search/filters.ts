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

/** undefined: nothing can match (an unknown category, brand or store); null: no filter. */
export function filterOf(table: DocTable, q: SearchQuery): ((d: number) => boolean) | null | undefined {
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
  if (!categoryMask && !brandMask && store < 0 && q.price_min === undefined && q.price_max === undefined && q.in_stock === undefined) return null;
  return (d) =>
    (categoryMask === undefined || categoryMask[table.category[d]] === 1) &&
    (brandMask === undefined || (table.brand[d] >= 0 && brandMask[table.brand[d]] === 1)) &&
    (store < 0 || table.store[d] === store) &&
    table.price[d] >= lo && table.price[d] <= hi &&
    (!inStockOnly || table.inStock[d] === 1) && (!outOfStockOnly || table.inStock[d] === 0);
}

/** Every visible document passing the filters: a listing without query words. Relevance = sales. */
export function browse(table: DocTable, accept: ((d: number) => boolean) | null): Hits {
  const docs = new Int32Array(table.visibleCount);
  const score = new Float64Array(table.visibleCount);
  let n = 0;
  for (let d = 0; d < table.size && n < docs.length; d++) {
    if (table.visible[d] && (accept === null || accept(d))) {
      docs[n] = d;
      score[n++] = table.sales[d];
    }
  }
  return { n, docs, score, exact: new Uint8Array(n) };
}

