/**
 * BM25F scoring over plain data (no database): the caller fetches the postings of
 * `query.terms`, the documents' field lengths, titles and sales, and the corpus statistics.
 *
 * Per term t (Robertson & Zaragoza's simple BM25F):
 *   tf~ = Σ_field weight_f · tf_f / (1 − b + b · len_f / avgLen_f)
 *   score_t = idf(t) · tf~ · (k1 + 1) / (k1 + tf~),   idf = ln(1 + (N − df + 0.5) / (df + 0.5))
 * A group scores its best matched alternative (sum of its terms); the document scores the sum
 * of its groups. Then:
 * - an exact title match (compact(title) === query.compact) sorts before everything else;
 * - a title containing the whole compact query multiplies the score by 1 + titleContainsBoost;
 * - sales multiply it by 1 + salesWeight · log1p(sales), a nudge, not a reorder of relevance.
 */
import type { Field, FieldTf } from './document.ts';
import { compact } from './normalize.ts';
import { groupMatches, type MatchMode, type ParsedQuery, type TermGroup } from './query.ts';

export const FIELD_WEIGHTS: Readonly<Record<Field, number>> = {
  title: 3,
  brand: 2,
  category: 1.5,
  attributes: 1,
  description: 1,
};

export interface RankDoc {
  id: string;
  /** The original title; normalised here for the exact-match boosts. */
  title: string;
  /** Tokens per field, as indexDocument() reported. */
  lengths: Partial<Record<Field, number>>;
  /** Postings of this document for the query's terms (absent term: not in the document). */
  tf: ReadonlyMap<string, FieldTf>;
  sales?: number;
}

export interface CorpusStats {
  docCount: number;
  avgLengths: Partial<Record<Field, number>>;
  /** Documents containing the term in any field. */
  df: ReadonlyMap<string, number>;
}

export interface RankOptions {
  mode?: MatchMode;
  fieldWeights?: Partial<Record<Field, number>>;
  k1?: number;
  b?: number;
  titleContainsBoost?: number;
  salesWeight?: number;
}

export interface Ranked {
  id: string;
  score: number;
  exactTitle: boolean;
  titleContainsQuery: boolean;
  /** Groups fully matched (all of them in 'all' mode). */
  matchedGroups: number;
  /** Query terms the document has: pass them to highlight(). */
  matchedTerms: string[];
}

const DEFAULTS = { mode: 'all', k1: 1.2, b: 0.75, titleContainsBoost: 1, salesWeight: 0.02 } as const;

export function idf(df: number, docCount: number): number {
  const n = Math.max(0, Math.min(df, docCount)); // stale stats must not make idf negative
  return Math.log(1 + (docCount - n + 0.5) / (n + 0.5));
}

export function termScore(term: string, doc: RankDoc, stats: CorpusStats, options: RankOptions = {}): number {
  const fieldTf = doc.tf.get(term);
  if (fieldTf === undefined) return 0;
  const k1 = options.k1 ?? DEFAULTS.k1;
  const b = options.b ?? DEFAULTS.b;
  let weighted = 0;
  for (const [field, tf] of Object.entries(fieldTf) as [Field, number][]) {
    if (!(tf > 0)) continue;
    const weight = options.fieldWeights?.[field] ?? FIELD_WEIGHTS[field];
    const avg = stats.avgLengths[field];
    const len = doc.lengths[field];
    const norm = avg !== undefined && avg > 0 && len !== undefined ? 1 - b + (b * len) / avg : 1;
    weighted += (weight * tf) / norm;
  }
  if (weighted === 0) return 0;
  return (idf(stats.df.get(term) ?? 0, stats.docCount) * weighted * (k1 + 1)) / (k1 + weighted);
}

/** Scores one document; null when it does not match in the chosen mode. */
export function scoreDocument(
  query: ParsedQuery,
  doc: RankDoc,
  stats: CorpusStats,
  options: RankOptions = {},
): Ranked | null {
  const mode = options.mode ?? DEFAULTS.mode;
  if (query.groups.length === 0) return null;
  const has = (term: string): boolean => doc.tf.has(term);
  const scores = new Map<string, number>();
  const scoreOf = (term: string): number => {
    let s = scores.get(term);
    if (s === undefined) scores.set(term, (s = termScore(term, doc, stats, options)));
    return s;
  };
  let matchedGroups = 0;
  let sum = 0;
  for (const group of query.groups) {
    const matched = groupMatches(group, has);
    if (matched) matchedGroups++;
    else if (mode === 'all') return null;
    sum += groupScore(group, has, scoreOf, matched);
  }
  if (!(sum > 0)) return null;
  // In 'any' mode a document matching more of the query's groups comes first.
  let score = mode === 'all' ? sum : (sum * (1 + matchedGroups)) / (1 + query.groups.length);
  const title = compact(doc.title);
  const exactTitle = query.compact.length > 0 && title === query.compact;
  const titleContainsQuery = query.compact.length > 0 && title.includes(query.compact);
  if (titleContainsQuery) score *= 1 + (options.titleContainsBoost ?? DEFAULTS.titleContainsBoost);
  if (doc.sales !== undefined && doc.sales > 0) {
    score *= 1 + (options.salesWeight ?? DEFAULTS.salesWeight) * Math.log1p(doc.sales);
  }
  const matchedTerms = query.terms.filter(has);
  return { id: doc.id, score, exactTitle, titleContainsQuery, matchedGroups, matchedTerms };
}

/**
 * Best matched alternative; for an unmatched group (only in 'any' mode) the best partly present
 * alternative, scaled by the share of its terms present.
 */
function groupScore(
  group: TermGroup,
  has: (term: string) => boolean,
  scoreOf: (term: string) => number,
  matched: boolean,
): number {
  let best = 0;
  for (const alt of group.alternatives) {
    const present = alt.filter(has);
    if (present.length === 0 || (matched && present.length < alt.length)) continue;
    const s = present.reduce((acc, t) => acc + scoreOf(t), 0) * (present.length / alt.length);
    if (s > best) best = s;
  }
  return best;
}

/** Scores and sorts: exact title matches first, then by score, then by id for stable pages. */
export function rank(
  query: ParsedQuery,
  docs: Iterable<RankDoc>,
  stats: CorpusStats,
  options: RankOptions = {},
): Ranked[] {
  const out: Ranked[] = [];
  for (const doc of docs) {
    const r = scoreDocument(query, doc, stats, options);
    if (r !== null) out.push(r);
  }
  return out.sort(compareRanked);
}

export function compareRanked(a: Ranked, b: Ranked): number {
  if (a.exactTitle !== b.exactTitle) return a.exactTitle ? -1 : 1;
  if (a.score !== b.score) return b.score - a.score;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
