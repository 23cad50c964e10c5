/**
 * Query-time synonyms. A group lists phrases that mean the same thing; a query word (or a run
 * of query words, e.g. "mobile phone" or 智能+手机) that equals one of the phrases matches any
 * of them. Expansion happens only at query time, so editing the list needs no re-indexing.
 *
 * Each phrase is analysed like a query. A one-word phrase contributes that word's ways to match
 * (笔记本电脑 → [笔记本电脑] or [笔记本, 电脑]); a several-word phrase contributes one
 * alternative needing all its words (mobile phone → [mobil, phon]).
 */
import { analyzeQueryUnits } from './analyzer.ts';

export type SynonymGroups = readonly (readonly string[])[];

export interface SynonymIndex {
  /** Key: the phrase's word terms joined by a space. Value: alternatives (OR of ANDs). */
  readonly byKey: ReadonlyMap<string, readonly (readonly string[])[]>;
  /** The most words any phrase has, to bound the longest-match scan. */
  readonly maxWords: number;
}

export const DEFAULT_SYNONYMS: SynonymGroups = [
  ['手机', '智能手机', 'mobile phone', 'smartphone', 'cellphone'],
  ['裙子', '裙'],
  ['笔记本', '笔记本电脑', 'laptop', 'notebook'],
  ['耳机', 'headphone', 'earphone', 'earbuds'],
  ['平板', '平板电脑', 'tablet'],
  ['t恤', 'tshirt', 't shirt'],
  ['运动鞋', 'sneaker', 'running shoe'],
  ['充电宝', '移动电源', 'power bank'],
];

export function buildSynonymIndex(groups: SynonymGroups): SynonymIndex {
  const byKey = new Map<string, string[][]>();
  let maxWords = 1;
  const phrases = groups.map((group) =>
    group
      .map((phrase) => analyzeQueryUnits(phrase))
      .filter((units) => units.length > 0)
      .map((units) => ({
        key: units.map((u) => u.token.term).join(' '),
        alternatives:
          units.length === 1
            ? units[0].alternatives.map((alt) => alt.map((t) => t.term))
            : [units.map((u) => u.token.term)],
        words: units.length,
      })),
  );
  for (const group of phrases) {
    const alternatives = dedupe(group.flatMap((p) => p.alternatives));
    for (const phrase of group) {
      maxWords = Math.max(maxWords, phrase.words);
      // A phrase in two groups matches the union of both.
      byKey.set(phrase.key, dedupe([...(byKey.get(phrase.key) ?? []), ...alternatives]));
    }
  }
  return { byKey, maxWords };
}

let defaultIndex: SynonymIndex | undefined;

/** The index of DEFAULT_SYNONYMS, built once (it needs the Jieba dictionary). */
export function defaultSynonymIndex(): SynonymIndex {
  defaultIndex ??= buildSynonymIndex(DEFAULT_SYNONYMS);
  return defaultIndex;
}

/** Alternatives for the phrase made of these word terms, if it is a synonym. */
export function lookupSynonyms(index: SynonymIndex, words: readonly string[]): readonly (readonly string[])[] | undefined {
  return index.byKey.get(words.join(' '));
}

function dedupe(alternatives: string[][]): string[][] {
  const seen = new Set<string>();
  const out: string[][] = [];
  for (const alt of alternatives) {
    const terms = [...new Set(alt)].sort();
    const key = terms.join('\u0000');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(terms);
  }
  return out;
}
