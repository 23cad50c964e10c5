/**
 * text/rank.ts's BM25F over typed arrays, for tens of thousands of candidates per query:
 * the same formula, group semantics and boosts (scorer.test.ts checks it ranks exactly like
 * the in-memory reference index), without a Map per document or re-normalising titles
 * (title_compact is stored at index time). Filters run while postings are visited, so a
 * rejected document costs one array read per posting.
 *
 * One addition: a product that is out of stock keeps matching but its score is multiplied
 * by OUT_OF_STOCK_FACTOR (an exact title match still comes first).
 */
import { idf } from './text/rank.ts';
import type { MatchMode, ParsedQuery } from './text/query.ts';
import { REC, REC_BOOST, type DocTable } from './doc-table.ts';
import type { TermList } from './postings-cache.ts';
import { hasEveryGroup, K1, MASK_TERMS, plan, weights, type Plan } from './scoring-parts.ts';

export { OUT_OF_STOCK_FACTOR } from './boost.ts';
const TITLE_CONTAINS_BOOST = 1;

/** Matched documents, in no particular order. */
export interface Matches {
  n: number;
  docs: Int32Array;
  score: Float64Array;
  exact: Uint8Array;
  /** Query terms the i-th match has (for highlighting). */
  termsOf(i: number): string[];
}

export interface Accumulated {
  /** Candidates: documents having at least one query term and passing the filters. */
  slots: number;
  /** `scored` false: match only (an order that is not by relevance); scores are 0. */
  evaluate(mode: MatchMode, scored?: boolean): Matches;
  /** Must be called when done with the results (resets shared buffers). */
  release(): void;
}

/** Buffers reused by every query; scoring is synchronous, so queries never share them at once. */
const scratch = {
  slotOf: new Int32Array(0) as Int32Array<ArrayBuffer>,
  slotDoc: new Int32Array(1024),
  slotW: new Float64Array(1024 * 8),
  slotMask: new Int32Array(1024),
  rejected: new Int32Array(1024),
  outDocs: new Int32Array(1024),
  outScore: new Float64Array(1024),
  outExact: new Uint8Array(1024),
  outSlot: new Int32Array(1024),
  inUse: false,
};

function growFloat(a: Float64Array<ArrayBuffer>, n: number): Float64Array<ArrayBuffer> {
  const next = new Float64Array(Math.max(n, a.length * 2));
  next.set(a);
  return next;
}

function growInt(a: Int32Array<ArrayBuffer>, n: number, fill?: number): Int32Array<ArrayBuffer> {
  if (n <= a.length) return a;
  const next = new Int32Array(Math.max(n, a.length * 2));
  if (fill !== undefined) next.fill(fill);
  next.set(a);
  return next;
}


/**
 * Pass 1, per posting: find or make the document's slot (filters run once per document) and
 * keep the term's weighted tf (from the list's cached weights). No scoring yet: most candidates of an AND query fail a
 * group, and they are rejected in evaluate() by a mask test before any BM25 arithmetic.
 * `accept` null: no filters.
 */
/**
 * For 'all' mode: the terms whose postings may create candidates. A document matching every
 * group contains, in the group picked here, all terms of one alternative — so its rarest term
 * too. Only those terms (one per alternative of the group with the fewest such postings) open
 * slots; the other terms' postings only fill in slots that exist. 「手机」 then skips every
 * product that merely says 智能 or sits in the "Phones" category: fewer candidates, same matches
 * and the same scores. Null: every term opens slots (an impossible group: nothing matches).
 */
export function driverTerms(query: ParsedQuery, lists: readonly TermList[]): Set<number> | null {
  const index = new Map(query.terms.map((t, i) => [t, i]));
  let best: Set<number> | null = null;
  let bestCost = Infinity;
  for (const g of query.groups) {
    const leads = new Set<number>();
    let cost = 0;
    for (const alt of g.alternatives) {
      let lead = -1;
      for (const term of alt) {
        const t = index.get(term)!;
        if (lead < 0 || lists[t].docs.length < lists[lead].docs.length) lead = t;
      }
      if (lead < 0 || lists[lead].docs.length === 0) continue; // this alternative cannot match
      if (!leads.has(lead)) cost += lists[lead].docs.length;
      leads.add(lead);
    }
    if (leads.size === 0) return null;
    if (cost < bestCost) [best, bestCost] = [leads, cost];
  }
  return best;
}

export function accumulate(query: ParsedQuery, lists: readonly TermList[], table: DocTable, accept: ((doc: number) => boolean) | null, drivers: Set<number> | null = null): Accumulated {
  if (scratch.inUse) throw new Error('scorer buffers in use: release() the previous query first');
  scratch.inUse = true;
  const T = query.terms.length;
  scratch.slotOf = growInt(scratch.slotOf, table.size, -1);
  const slotOf = scratch.slotOf;
  const visible = table.visible;
  const size = table.size;
  let slotDoc = scratch.slotDoc;
  let slotW = scratch.slotW;
  let slotMask = scratch.slotMask;
  let rejectedList = scratch.rejected;
  let slots = 0;
  let rejected = 0;
  // Terms that open slots first, then the others (which only fill in existing slots).
  const order = drivers === null ? [...Array(T).keys()] : [...Array(T).keys()].sort((a, b) => Number(drivers.has(b)) - Number(drivers.has(a)));
  for (const t of order) {
    const docs = lists[t].docs;
    const w = weights(lists[t], table);
    const bit = t < MASK_TERMS ? 1 << t : 0;
    const opens = drivers === null || drivers.has(t);
    for (let j = 0; j < docs.length; j++) {
      const d = docs[j];
      if (d >= size) continue;
      let s = slotOf[d];
      if (s < 0) {
        if (s === -2 || !opens) continue;
        if (visible[d] === 0 || (accept !== null && !accept(d))) {
          slotOf[d] = -2;
          if (rejected === rejectedList.length) scratch.rejected = rejectedList = growInt(rejectedList, rejected + 1);
          rejectedList[rejected++] = d;
          continue;
        }
        s = slots++;
        slotOf[d] = s;
        if (s === slotDoc.length) {
          scratch.slotDoc = slotDoc = growInt(slotDoc, s + 1);
          scratch.slotMask = slotMask = growInt(slotMask, s + 1);
        }
        if ((s + 1) * T > slotW.length) scratch.slotW = slotW = growFloat(slotW, (s + 1) * T);
        slotDoc[s] = d;
        slotMask[s] = 0;
        for (let k = s * T, end = k + T; k < end; k++) slotW[k] = 0;
      }
      slotW[s * T + t] = w[j];
      slotMask[s] |= bit;
    }
  }
  return new Accumulation(query, table, lists.map((l) => idf(l.docs.length, table.visibleCount)), slots, rejected);
}

/** The candidates of one query; a class, not closures (keeps per-query allocation small). */
class Accumulation implements Accumulated {
  constructor(
    private readonly query: ParsedQuery,
    private readonly table: DocTable,
    private readonly idfs: readonly number[],
    readonly slots: number,
    private readonly rejected: number,
  ) {}

  evaluate(mode: MatchMode, scored = true): Matches {
    return evaluate(this.query, this.table, this.idfs, this.slots, mode, scored);
  }

  release(): void {
    const { slotOf, slotDoc, rejected } = scratch;
    for (let s = 0; s < this.slots; s++) slotOf[slotDoc[s]] = -1;
    for (let r = 0; r < this.rejected; r++) slotOf[rejected[r]] = -1;
    scratch.inUse = false;
  }
}

/** What scoring one candidate needs; one shape for every query (keeps the hot functions monomorphic). */
class SlotScorer {
  readonly termScore: Float64Array;
  constructor(
    readonly plan: Plan,
    readonly T: number,
    readonly idf: Float64Array,
    readonly all: boolean,
  ) {
    this.termScore = new Float64Array(T);
  }

  /** The BM25F sum of the candidate in slot `s`; -1 when it does not match. */
  score(s: number, slotW: Float64Array): number {
    const { T, termScore, idf } = this;
    const { altFrom, termFrom, altTerms } = this.plan;
    const base = s * T;
    for (let t = 0; t < T; t++) {
      const w = slotW[base + t];
      termScore[t] = w === 0 ? -1 : (idf[t] * w * (K1 + 1)) / (K1 + w);
    }
    const G = altFrom.length - 1;
    let matchedGroups = 0;
    let sum = 0;
    for (let g = 0; g < G; g++) {
      let bestFull = -1;
      let bestPart = 0;
      for (let a = altFrom[g]; a < altFrom[g + 1]; a++) {
        const len = termFrom[a + 1] - termFrom[a];
        let present = 0;
        let part = 0;
        for (let k = termFrom[a]; k < termFrom[a + 1]; k++) {
          const v = termScore[altTerms[k]];
          if (v >= 0) {
            present++;
            part += v;
          }
        }
        if (present === len) bestFull = Math.max(bestFull, part);
        else if (present > 0) bestPart = Math.max(bestPart, (part * present) / len);
      }
      if (bestFull >= 0) {
        matchedGroups++;
        sum += bestFull;
      } else if (this.all) return -1;
      else sum += bestPart;
    }
    if (!(sum > 0)) return -1;
    return this.all ? sum : (sum * (1 + matchedGroups)) / (1 + G);
  }
}

/**
 * Pass 2: which candidates match (mask tests in 'all' mode), and — only when the order is by
 * relevance — their BM25F score, group by group: the best fully present alternative, or in
 * 'any' mode for an unmatched group the best partly present one scaled by its coverage.
 */
function evaluate(query: ParsedQuery, table: DocTable, idfs: readonly number[], slots: number, mode: MatchMode, scored: boolean): Matches {
  const T = query.terms.length;
  const p = plan(query);
  const all = mode === 'all';
  const scorer = new SlotScorer(p, T, Float64Array.from(idfs), all);
  const qc = query.compact;
  const q = Uint16Array.from({ length: qc.length }, (_, i) => qc.charCodeAt(i));
  // Result buffers are shared too (valid until release()); an OR retry overwrites the AND attempt's.
  if (scratch.outDocs.length < slots) {
    const cap = Math.max(slots, scratch.outDocs.length * 2);
    [scratch.outDocs, scratch.outScore, scratch.outExact, scratch.outSlot] = [new Int32Array(cap), new Float64Array(cap), new Uint8Array(cap), new Int32Array(cap)];
  }
  const { slotW, slotMask, slotDoc, outDocs: docs, outScore: score, outExact: exact, outSlot: slotOfMatch } = scratch;
  const { rec } = table;
  const quick = all && p.masked;
  let n = 0;
  for (let s = 0; s < slots; s++) {
    if (quick && !hasEveryGroup(slotMask[s], p.altFrom, p.altMasks)) continue;
    const d = slotDoc[s];
    let sc = 0;
    if (scored || !p.masked) {
      sc = scorer.score(s, slotW);
      if (sc < 0) continue;
    }
    let isExact = 0;
    if (scored) {
      if (table.titleMatch(d, q, false)) {
        sc *= 1 + TITLE_CONTAINS_BOOST;
        isExact = table.titleMatch(d, q, true) ? 1 : 0;
      }
      sc *= rec[d * REC + REC_BOOST];
    }
    docs[n] = d;
    score[n] = sc;
    exact[n] = isExact;
    slotOfMatch[n++] = s;
  }
  return {
    n,
    docs,
    score,
    exact,
    termsOf: (i) => query.terms.filter((_, t) => scratch.slotW[slotOfMatch[i] * T + t] !== 0),
  };
}
