/**
 * Query-independent halves of scoring, shared by scorer.ts: the BM25F weighted term frequency
 * of each posting (cached on the postings list), and a query's groups as flat arrays and bit
 * masks for the candidate loop.
 */
import { FIELD_WEIGHTS } from './text/rank.ts';
import { FIELDS } from './text/document.ts';
import type { ParsedQuery } from './text/query.ts';
import { REC, REC_LEN, type DocTable } from './doc-table.ts';
import type { TermList } from './postings-cache.ts';
import { TF_BITS } from './search-doc.ts';

export const K1 = 1.2;
const B = 0.75;
const NF = FIELDS.length;
const WEIGHTS = FIELDS.map((f) => FIELD_WEIGHTS[f]);
const TF_MASK = (1 << TF_BITS) - 1;
/** Up to this many query terms, presence is a bit mask per candidate (fast group checks). */
export const MASK_TERMS = 30;

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
export interface Plan {
  /** Alternatives of group g: altFrom[g] … altFrom[g + 1]. */
  altFrom: Int32Array;
  /** Terms of alternative a: altTerms[termFrom[a] … termFrom[a + 1]]. */
  termFrom: Int32Array;
  altTerms: Int32Array;
  /** Bit mask of each alternative's terms (when the query has ≤ MASK_TERMS terms). */
  altMasks: Int32Array;
  masked: boolean;
}

export function plan(query: ParsedQuery): Plan {
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

/** In 'all' mode with masks: does the candidate have some alternative of every group? */
export function hasEveryGroup(mask: number, altFrom: Int32Array, altMasks: Int32Array): boolean {
  for (let g = 0; g < altFrom.length - 1; g++) {
    let ok = false;
    for (let a = altFrom[g]; a < altFrom[g + 1] && !ok; a++) ok = (mask & altMasks[a]) === altMasks[a];
    if (!ok) return false;
  }
  return true;
}

