/**
 * The in-memory copy of search_documents that queries filter, score, facet and sort on:
 * columns in typed arrays indexed by doc_no, strings interned into small dictionaries
 * (categories with their ancestry, brands, stores). 100,000 products take ~10 MB.
 * Kept current by DocTable.apply() with the rows changed since the last `seq` seen.
 */
import { FIELDS } from './text/document.ts';
import type { DocState } from './search.repo.ts';
import { docBoost } from './boost.ts';
import { PRICE_BUCKETS_MINOR } from './results.ts';

const NF = FIELDS.length;
export const REC = 8;
export const REC_LEN = 0;
export const REC_BOOST = 5;
export const REC_TITLE = 6;
export const REC_TITLE_LEN = 7;

export interface CategoryNode {
  id: string;
  name: string;
  parent: number;
  /** Root → this node, as category numbers. */
  path: number[];
}

export class DocTable {
  capacity = 0;
  /** Highest doc_no + 1. */
  size = 0;
  productId: (string | undefined)[] = [];
  /**
   * compact(title) of every document, UTF-16 code units back to back in one buffer (a query
   * compares it with thousands of random documents: one array beats 100,000 string objects).
   */
  private titleBuf = new Uint16Array(1 << 16);
  private titleUsed = 0;
  visible = new Uint8Array(0);
  inStock = new Uint8Array(0);
  price = new Float64Array(0);
  /** Which of PRICE_BUCKETS_MINOR the price falls in (facets count buckets for every match). */
  priceBucket = new Uint8Array(0);
  sales = new Float64Array(0);
  created = new Float64Array(0);
  category = new Int32Array(0);
  brand = new Int32Array(0);
  store = new Int32Array(0);
  /**
   * What scoring reads of every candidate, in one 64-byte record per document (one cache line
   * instead of one per array): REC_LEN + f the length of field f (FIELDS order), REC_BOOST the
   * relevance multiplier from sales and stock (scorer.docBoost), REC_TITLE / REC_TITLE_LEN where
   * compact(title) sits in the title buffer.
   */
  rec = new Float64Array(0);

  visibleCount = 0;
  /** Changes whenever average field lengths may have changed (cached BM25 weights are then stale). */
  lengthStamp = 0;
  private readonly lenSum = new Float64Array(NF);
  private readonly lenCount = new Float64Array(NF);

  readonly categories: CategoryNode[] = [];
  private readonly categoryById = new Map<string, number>();
  private readonly pathCache = new Map<string, number>();
  readonly brandNames: string[] = [];
  private readonly brandByKey = new Map<string, number>();
  readonly storeIds: string[] = [];
  private readonly storeById = new Map<string, number>();

  /** Average length per field over visible documents that have the field (as rank.ts expects). */
  avgLength(f: number): number {
    return this.lenCount[f] > 0 ? this.lenSum[f] / this.lenCount[f] : 0;
  }

  categoryNumber(id: string): number | undefined {
    return this.categoryById.get(id);
  }

  brandNumber(name: string): number | undefined {
    return this.brandByKey.get(brandKey(name));
  }

  storeNumber(id: string): number | undefined {
    return this.storeById.get(id);
  }

  /** Category numbers at or under `id` (1 in the mask). */
  categoryMask(categoryNo: number): Uint8Array {
    const mask = new Uint8Array(this.categories.length);
    this.categories.forEach((c, i) => {
      if (c.path.includes(categoryNo)) mask[i] = 1;
    });
    return mask;
  }

  apply(row: DocState): void {
    const d = Number(row.doc_no);
    this.grow(d + 1);
    if (this.visible[d]) this.countStats(d, -1);
    this.productId[d] = row.product_id;
    this.setTitle(d, row.title_compact);
    this.visible[d] = Number(row.visible) === 1 ? 1 : 0;
    this.inStock[d] = Number(row.in_stock) === 1 ? 1 : 0;
    this.price[d] = row.price_min_minor === null ? NaN : Number(row.price_min_minor);
    let bucket = PRICE_BUCKETS_MINOR.length - 1;
    while (bucket > 0 && !(this.price[d] >= PRICE_BUCKETS_MINOR[bucket])) bucket--;
    this.priceBucket[d] = bucket;
    this.sales[d] = Number(row.sales);
    this.rec[d * REC + REC_BOOST] = docBoost(this.sales[d], this.inStock[d] === 1);
    this.created[d] = Number(row.created_at);
    this.category[d] = this.internPath(row.category_id, row.category_path);
    this.brand[d] = row.brand === null || row.brand.trim() === '' ? -1 : this.internBrand(row.brand);
    this.store[d] = this.intern(this.storeIds, this.storeById, row.store_id, row.store_id);
    const lens = [row.len_title, row.len_brand, row.len_category, row.len_attributes, row.len_description];
    for (let f = 0; f < NF; f++) this.rec[d * REC + REC_LEN + f] = Number(lens[f]);
    if (this.visible[d]) this.countStats(d, 1);
    if (d + 1 > this.size) this.size = d + 1;
  }

  /** Whether the document's compact title contains (`exact`: equals) the code units `q`. */
  titleMatch(d: number, q: Uint16Array, exact: boolean): boolean {
    const len = this.rec[d * REC + REC_TITLE_LEN] | 0; // ints: typed-array indexes must not be doubles
    const m = q.length;
    if (m === 0 || m > len || (exact && m !== len)) return false;
    const buf = this.titleBuf;
    const from = this.rec[d * REC + REC_TITLE] | 0;
    const last = from + len - m;
    const first = q[0];
    for (let i = from; i <= last; i++) {
      if (buf[i] !== first) continue;
      let k = 1;
      while (k < m && buf[i + k] === q[k]) k++;
      if (k === m) return true;
    }
    return false;
  }

  compactTitle(d: number): string {
    const from = this.rec[d * REC + REC_TITLE];
    return String.fromCharCode(...this.titleBuf.subarray(from, from + this.rec[d * REC + REC_TITLE_LEN]));
  }

  private setTitle(d: number, title: string): void {
    if (this.titleUsed + title.length > this.titleBuf.length) {
      const next = new Uint16Array(Math.max(this.titleBuf.length * 2, this.titleUsed + title.length));
      next.set(this.titleBuf.subarray(0, this.titleUsed));
      this.titleBuf = next;
    }
    for (let i = 0; i < title.length; i++) this.titleBuf[this.titleUsed + i] = title.charCodeAt(i);
    this.rec[d * REC + REC_TITLE] = this.titleUsed;
    this.rec[d * REC + REC_TITLE_LEN] = title.length;
    this.titleUsed += title.length; // a re-indexed title is appended; a full reload compacts
  }

  private countStats(d: number, sign: 1 | -1): void {
    this.visibleCount += sign;
    this.lengthStamp++;
    for (let f = 0; f < NF; f++) {
      const len = this.rec[d * REC + REC_LEN + f];
      if (len > 0) {
        this.lenSum[f] += sign * len;
        this.lenCount[f] += sign;
      }
    }
  }

  private grow(n: number): void {
    if (n <= this.capacity) return;
    const cap = Math.max(n, this.capacity * 2, 1024);
    const copy = <T extends Uint8Array | Int32Array | Float64Array>(a: T, len: number, fill?: number): T => {
      const next = new (a.constructor as new (n: number) => T)(len);
      if (fill !== undefined) next.fill(fill);
      next.set(a);
      return next;
    };
    this.visible = copy(this.visible, cap);
    this.inStock = copy(this.inStock, cap);
    this.price = copy(this.price, cap, NaN);
    this.priceBucket = copy(this.priceBucket, cap);
    this.sales = copy(this.sales, cap);
    this.created = copy(this.created, cap);
    this.category = copy(this.category, cap, -1);
    this.brand = copy(this.brand, cap, -1);
    this.store = copy(this.store, cap, -1);
    this.rec = copy(this.rec, cap * REC);
    this.capacity = cap;
  }

  private intern(names: string[], byKey: Map<string, number>, key: string, name: string): number {
    let n = byKey.get(key);
    if (n === undefined) {
      n = names.length;
      names.push(name);
      byKey.set(key, n);
    }
    return n;
  }

  private internBrand(name: string): number {
    return this.intern(this.brandNames, this.brandByKey, brandKey(name), name.trim());
  }

  /** The leaf's number; registers every node of the path (names and parents follow the latest row). */
  private internPath(categoryId: string, pathJson: string): number {
    const cached = this.pathCache.get(pathJson);
    if (cached !== undefined) return cached;
    let path: [string, string][] = [];
    try {
      path = JSON.parse(pathJson) as [string, string][];
    } catch {
      /* a malformed row indexes under its leaf id only */
    }
    if (!path.length || path[path.length - 1][0] !== categoryId) path = [...path, [categoryId, categoryId]];
    let parent = -1;
    const numbers: number[] = [];
    for (const [id, name] of path) {
      let n = this.categoryById.get(id);
      if (n === undefined) {
        n = this.categories.length;
        this.categories.push({ id, name, parent, path: [] });
        this.categoryById.set(id, n);
      }
      const node = this.categories[n];
      node.name = name;
      node.parent = parent;
      numbers.push(n);
      node.path = [...numbers];
      parent = n;
    }
    this.pathCache.set(pathJson, parent);
    return parent;
  }
}

/** Brands compare case- and width-insensitively: 「Apple」, 「APPLE」 and 「ａｐｐｌｅ」 are one brand. */
export function brandKey(name: string): string {
  return name.normalize('NFKC').trim().toLowerCase();
}
