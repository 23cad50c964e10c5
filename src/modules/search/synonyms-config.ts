/**
 * Where the synonym list comes from: a file named by XIAODIAN_SEARCH_SYNONYMS, else the
 * defaults in text/synonyms.ts. Synonyms apply at query time only, so changing the file needs
 * a restart but no re-index.
 *
 * File formats:
 * - `.json`: an array of groups, each an array of phrases: [["手机", "智能手机", "mobile phone"], …]
 * - anything else: one group per line, phrases separated by commas (`,` or `，`); `#` starts a
 *   comment. A line `@defaults` includes the built-in list.
 */
import { readFileSync } from 'node:fs';
import { buildSynonymIndex, DEFAULT_SYNONYMS, type SynonymGroups, type SynonymIndex } from './text/synonyms.ts';

export function parseSynonymFile(text: string, json: boolean): SynonymGroups {
  if (json) {
    const parsed = JSON.parse(text) as unknown;
    if (!Array.isArray(parsed) || !parsed.every((g) => Array.isArray(g) && g.every((p) => typeof p === 'string'))) {
      throw new Error('a JSON synonym file must be an array of arrays of strings');
    }
    return parsed as string[][];
  }
  const groups: string[][] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '@defaults') groups.push(...DEFAULT_SYNONYMS.map((g) => [...g]));
    else if (line) groups.push(line.split(/[,，]/).map((p) => p.trim()).filter(Boolean));
  }
  return groups.filter((g) => g.length > 1);
}

export function loadSynonyms(path: string | null | undefined): { groups: SynonymGroups; source: string } {
  if (!path) return { groups: DEFAULT_SYNONYMS, source: 'built-in' };
  try {
    return { groups: parseSynonymFile(readFileSync(path, 'utf8'), path.endsWith('.json')), source: path };
  } catch (err) {
    throw new Error(`cannot read the search synonym file ${path}: ${(err as Error).message}`);
  }
}

/** Built on first use: it needs the Jieba dictionary, which is not loaded until search is used. */
export function lazySynonymIndex(groups: SynonymGroups): () => SynonymIndex {
  let index: SynonymIndex | undefined;
  return () => (index ??= buildSynonymIndex(groups));
}
