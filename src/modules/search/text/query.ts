/**
 * A user's query as term groups. Every group stands for one query word (or synonym phrase) and
 * is matched when ANY of its alternatives is matched; an alternative is matched when the
 * document has ALL of its terms:
 *
 *   裙子 连衣  →  group 裙子: [裙子] | [裙]          (synonyms)
 *                 group 连衣: [连衣]
 *   笔记本电脑 →  group: [笔记本电脑] | [笔记本, 电脑] | [laptop] | …
 *
 * 'all' semantics: every group matched (the normal search). 'any': at least one term of one
 * group present (a fallback when 'all' finds nothing; whether to fall back is the caller's call).
 *
 * `terms` lists every term any group can use: fetch the postings of exactly these terms, e.g.
 *   PostgreSQL: SELECT term, product_id, field, tf FROM search_postings WHERE term = ANY($1)
 *   SQLite:     … WHERE term IN (SELECT value FROM json_each(?))   -- one JSON array parameter
 * so one prepared statement serves every query length.
 */
import { analyzeQueryUnits, type QueryUnit } from './analyzer.ts';
import { compact, normalize } from './normalize.ts';
import { defaultSynonymIndex, lookupSynonyms, type SynonymIndex } from './synonyms.ts';

export type MatchMode = 'all' | 'any';

export interface TermGroup {
  /** The part of the raw query this group came from. */
  text: string;
  /** OR over alternatives; each alternative is an AND over its terms. Never empty. */
  alternatives: readonly (readonly string[])[];
}

export interface ParsedQuery {
  raw: string;
  /** normalize(raw): for display and logging. */
  normalized: string;
  /** The query without spaces, compared with compact(title) for the exact-title boosts. */
  compact: string;
  groups: TermGroup[];
  /** Every distinct term of every group: the postings to fetch. */
  terms: string[];
}

/** Longer queries are cut; nobody types more, and it bounds the term list. */
export const MAX_QUERY_CHARS = 100;
export const MAX_GROUPS = 12;

/** Pass `null` for no synonyms. */
export function parseQuery(raw: string, synonyms: SynonymIndex | null = defaultSynonymIndex()): ParsedQuery {
  const text = Array.from(raw).slice(0, MAX_QUERY_CHARS).join('');
  const units = analyzeQueryUnits(text);
  const groups: TermGroup[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < units.length && groups.length < MAX_GROUPS; ) {
    const { group, used } = nextGroup(text, units, i, synonyms);
    i += used;
    const key = group.alternatives.map((a) => a.join('\u0000')).sort().join('\u0001');
    if (seen.has(key)) continue; // 「手机 手机」 is one requirement
    seen.add(key);
    groups.push(group);
  }
  const terms = [...new Set(groups.flatMap((g) => g.alternatives.flat()))];
  return { raw, normalized: normalize(text), compact: compact(text), groups, terms };
}

/** The group starting at units[i]: the longest synonym phrase there, or the unit alone. */
function nextGroup(
  text: string,
  units: QueryUnit[],
  i: number,
  synonyms: SynonymIndex | null,
): { group: TermGroup; used: number } {
  const own = units[i].alternatives.map((alt) => alt.map((t) => t.term));
  const maxWords = Math.min(synonyms?.maxWords ?? 1, units.length - i);
  for (let n = maxWords; n >= 1 && synonyms !== null; n--) {
    const words = units.slice(i, i + n).map((u) => u.token.term);
    const found = lookupSynonyms(synonyms, words);
    if (found === undefined) continue;
    const alternatives = n === 1 ? [...own, ...found] : [...found];
    const last = units[i + n - 1].token;
    return { group: { text: text.slice(units[i].token.start, last.end), alternatives: dedupe(alternatives) }, used: n };
  }
  const t = units[i].token;
  return { group: { text: text.slice(t.start, t.end), alternatives: dedupe(own) }, used: 1 };
}

/** Whether a document with these terms satisfies the group (some alternative fully present). */
export function groupMatches(group: TermGroup, has: (term: string) => boolean): boolean {
  return group.alternatives.some((alt) => alt.every(has));
}

/** AND semantics: every group matched. A query with no groups (all stopwords) matches nothing. */
export function matchesAll(query: ParsedQuery, has: (term: string) => boolean): boolean {
  return query.groups.length > 0 && query.groups.every((g) => groupMatches(g, has));
}

/** OR semantics: at least one query term present. */
export function matchesAny(query: ParsedQuery, has: (term: string) => boolean): boolean {
  return query.terms.some(has);
}

export function matches(query: ParsedQuery, has: (term: string) => boolean, mode: MatchMode): boolean {
  return mode === 'all' ? matchesAll(query, has) : matchesAny(query, has);
}

function dedupe(alternatives: readonly (readonly string[])[]): string[][] {
  const seen = new Set<string>();
  const out: string[][] = [];
  for (const alt of alternatives) {
    const key = [...alt].sort().join('\u0000');
    if (alt.length === 0 || seen.has(key)) continue;
    seen.add(key);
    out.push([...alt]);
  }
  return out;
}
