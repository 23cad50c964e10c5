/**
 * Postings lists of recently queried terms, in memory, with exact invalidation.
 *
 * A list read from search_postings is kept (docs ascending, packed tfs) under a byte budget,
 * least recently used first out. When documents change, the caller reports them with their
 * current postings (`changed`); every cached list is brought up to date lazily the next time
 * it is used: entries of changed documents are dropped and re-added from their current
 * postings. So a common term (手机, 裙) is read from the database once, not on every query,
 * and its df is the length of its list. Past `maxLogged` changes (a rebuild) the cache
 * simply empties and refills from the database.
 */

export interface TermList {
  docs: Int32Array;
  tfs: Int32Array;
  /** BM25F weighted tf per posting (scorer.weights), valid while `weightsStamp` equals the table's lengthStamp. */
  weights?: Float64Array;
  weightsStamp?: number;
}

interface Entry extends TermList {
  gen: number;
  bytes: number;
}

const EMPTY = new Int32Array(0);

export class PostingsCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  private gen = 0;
  private clearedAt = 0;
  private readonly log: { gen: number; docs: number[] }[] = [];
  private logged = 0;
  private readonly fresh = new Map<number, ReadonlyMap<string, number> | null>();

  constructor(
    private readonly maxBytes: number,
    private readonly maxLogged = 5000,
  ) {}

  get generation(): number {
    return this.gen;
  }

  get stats(): { terms: number; bytes: number } {
    return { terms: this.entries.size, bytes: this.bytes };
  }

  /** Documents whose postings changed, with their postings now (null: it has none, e.g. hidden). */
  changed(docs: readonly { docNo: number; postings: ReadonlyMap<string, number> | null }[]): void {
    if (!docs.length) return;
    this.gen++;
    for (const d of docs) this.fresh.set(d.docNo, d.postings);
    this.log.push({ gen: this.gen, docs: docs.map((d) => d.docNo) });
    this.logged += docs.length;
    if (this.logged > this.maxLogged) this.clear();
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
    this.log.length = 0;
    this.fresh.clear();
    this.logged = 0;
    this.clearedAt = this.gen;
  }

  lookup(term: string): TermList | undefined {
    const e = this.entries.get(term);
    if (e === undefined) return undefined;
    if (e.gen < this.gen) this.catchUp(term, e);
    this.entries.delete(term); // most recently used goes last
    this.entries.set(term, e);
    return e;
  }

  /** Caches a list read from the database when the cache was at generation `fetchedAt`. */
  store(term: string, list: TermList, fetchedAt: number): TermList {
    if (fetchedAt < this.clearedAt) return list; // the changes since are forgotten: use once, don't keep
    const e: Entry = { ...list, gen: fetchedAt, bytes: 0 };
    if (e.gen < this.gen) this.catchUp(term, e);
    const old = this.entries.get(term);
    if (old) {
      this.bytes -= old.bytes;
      this.entries.delete(term);
    }
    e.bytes = entryBytes(term, e);
    this.entries.set(term, e);
    this.bytes += e.bytes;
    for (const [key, victim] of this.entries) {
      if (this.bytes <= this.maxBytes || key === term) break;
      this.entries.delete(key);
      this.bytes -= victim.bytes;
    }
    return e;
  }

  private catchUp(term: string, e: Entry): void {
    const changed = new Set<number>();
    for (let i = this.log.length - 1; i >= 0 && this.log[i].gen > e.gen; i--) for (const d of this.log[i].docs) changed.add(d);
    const removeAt: number[] = [];
    const add: [number, number][] = [];
    for (const d of changed) {
      const at = indexOf(e.docs, d);
      if (at >= 0) removeAt.push(at);
      const tf = this.fresh.get(d)?.get(term);
      if (tf !== undefined) add.push([d, tf]);
    }
    e.gen = this.gen;
    if (!removeAt.length && !add.length) return;
    const remove = new Set(removeAt);
    const n = e.docs.length - remove.size + add.length;
    const docs = new Int32Array(n);
    const tfs = new Int32Array(n);
    add.sort((a, b) => a[0] - b[0]);
    let j = 0;
    let a = 0;
    for (let i = 0; i < e.docs.length; i++) {
      if (remove.has(i)) continue;
      while (a < add.length && add[a][0] < e.docs[i]) [docs[j], tfs[j++]] = add[a++];
      docs[j] = e.docs[i];
      tfs[j++] = e.tfs[i];
    }
    while (a < add.length) [docs[j], tfs[j++]] = add[a++];
    const before = e.bytes;
    e.docs = docs;
    e.tfs = tfs;
    e.weights = undefined;
    if (before > 0) {
      e.bytes = entryBytes(term, e);
      this.bytes += e.bytes - before;
    }
  }
}

export function emptyList(): TermList {
  return { docs: EMPTY, tfs: EMPTY };
}

function entryBytes(term: string, e: TermList): number {
  return 96 + term.length * 2 + e.docs.byteLength * 4; // docs, tfs and the weights (8 bytes each)
}

function indexOf(sorted: Int32Array, value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = sorted[mid];
    if (v === value) return mid;
    if (v < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
