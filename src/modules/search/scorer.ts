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
import { idf, FIELD_WEIGHTS } from './text/rank.ts';
import { FIELDS } from './text/document.ts';
import type { MatchMode, ParsedQuery } from './text/query.ts';
import { REC, REC_BOOST, REC_LEN, type DocTable } from './doc-table.ts';
import type { TermList } from './postings-cache.ts';
import { TF_BITS } from './search-doc.ts';

export { OUT_OF_STOCK_FACTOR } from './boost.ts';
const K1 = 1.2;
const B = 0.75;
const TITLE_CONTAINS_BOOST = 1;
const NF = FIELDS.length;
const WEIGHTS = FIELDS.map((f) => FIELD_WEIGHTS[f]);
const TF_MASK = (1 << TF_BITS) - 1;

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

/** Up to this many query terms, presence is a bit mask per candidate (fast group checks). */
const MASK_TERMS = 30;

/**
 * Pass 1, per posting: find or make the document's slot (filters run once per document) and
 * keep the term's weighted tf (from the list's cached weights). No scoring yet: most candidates of an AND query fail a
 * group, and they are rejected in evaluate() by a mask test before any BM25 arithmetic.
 * `accept` null: no filters.
 */
export function accumulate(query: ParsedQuery, lists: readonly TermList[], table: DocTable, accept: ((doc: number) => boolean) | null): Accumulated {
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
  for (let t = 0; t < T; t++) {
    const docs = lists[t].docs;
    const w = weights(lists[t], table);
    const bit = t < MASK_TERMS ? 1 << t : 0;
    for (let j = 0; j < docs.length; j++) {
      const d = docs[j];
      if (d >= size) continue;
      let s = slotOf[d];
      if (s < 0) {
        if (s === -2) continue;
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
  const idfs = lists.map((l) => idf(l.docs.length, table.visibleCount));
  return {
    slots,
    evaluate: (mode, scored = true) => evaluate(query, table, idfs, slots, mode, scored),
    release() {
      for (let s = 0; s < slots; s++) slotOf[scratch.slotDoc[s]] = -1;
      for (let r = 0; r < rejected; r++) slotOf[scratch.rejected[r]] = -1;
      scratch.inUse = false;
    },
  };
}

/**
 * The BM25F weighted term frequency of each posting, Σ_f weight_f · tf_f / (1 − b + b · len_f / avg_f):
 * everything of the score but idf and saturation. Cached on the list until average lengths or
 * the list change, so a common term's 10,000 postings are not re-weighted on every query.
 */
export function weights(list: TermList, table: DocTable): Float64Array {
  if (list.weights !== undefined && list.weightsStamp === table.lengthStamp && list.weights.length === list.docs.length) return list.weights;
  const { docs, tfs } = list;
  const rec = table.rec;
  const avg = Float64Array.from(FIELDS, (_, f) => table.avgLength(f));
  const w = new Float64Array(docs.length);
  for (let j = 0; j < docs.length; j++) {
    const at = docs[j] * REC + REC_LEN;
    const packed = tfs[j];
    let weighted = 0;
    for (let f = 0; f < NF; f++) {
      const tf = (packed >>> (TF_BITS * f)) & TF_MASK;
      if (tf === 0) continue;
      const a = avg[f];
      const norm = a > 0 ? 1 - B + (B * rec[at + f]) / a : 1;
      weighted += (WEIGHTS[f] * tf) / norm;
    }
    w[j] = weighted;
  }
  list.weights = w;
  list.weightsStamp = table.lengthStamp;
  return w;
}

/** A query's groups and alternatives as flat arrays for the hot loop. */
interface Plan {
  /** Alternatives of group g: altFrom[g] … altFrom[g + 1]. */
  altFrom: Int32Array;
  /** Terms of alternative a: altTerms[termFrom[a] … termFrom[a + 1]]. */
  termFrom: Int32Array;
  altTerms: Int32Array;
  /** Bit mask of each alternative's terms (when the query has ≤ MASK_TERMS terms). */
  altMasks: Int32Array;
  masked: boolean;
}

function plan(query: ParsedQuery): Plan {
  const termIndex = new Map(query.terms.map((t, i) => [t, i]));
  const masked = query.terms.length <= MASK_TERMS;
  const alts = query.groups.map((g) => g.alternatives.map((alt) => alt.map((t) => termIndex.get(t)!)));
  const altFrom = new Int32Array(alts.length + 1);
  alts.forEach((g, i) => (altFrom[i + 1] = altFrom[i] + g.length));
  const flat = alts.flat();
  const termFrom = new Int32Array(flat.length + 1);
  flat.forEach((alt, i) => (termFrom[i + 1] = termFrom[i] + alt.length));
  return {
    altFrom, termFrom, masked,
    altTerms: Int32Array.from(flat.flat()),
    altMasks: Int32Array.from(flat, (alt) => (masked ? alt.reduce((m, t) => m | (1 << t), 0) : 0)),
  };
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

/** In 'all' mode with masks: does the candidate have some alternative of every group? */
function hasEveryGroup(mask: number, altFrom: Int32Array, altMasks: Int32Array): boolean {
  for (let g = 0; g < altFrom.length - 1; g++) {
    let ok = false;
    for (let a = altFrom[g]; a < altFrom[g + 1] && !ok; a++) ok = (mask & altMasks[a]) === altMasks[a];
    if (!ok) return false;
  }
  return true;
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
