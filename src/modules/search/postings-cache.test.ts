import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PostingsCache } from './postings-cache.ts';
import { parseSynonymFile } from './synonyms-config.ts';

const list = (...pairs: [number, number][]) => ({ docs: Int32Array.from(pairs.map((p) => p[0])), tfs: Int32Array.from(pairs.map((p) => p[1])) });
const pairs = (l: { docs: Int32Array; tfs: Int32Array } | undefined) => (l ? [...l.docs].map((d, i) => [d, l.tfs[i]]) : undefined);

test('a cached list follows later document changes: removed, re-added with new tfs, added', () => {
  const cache = new PostingsCache(1 << 20);
  cache.store('手机', list([1, 1], [3, 1], [5, 2]), cache.generation);
  cache.changed([
    { docNo: 3, postings: null }, // hidden
    { docNo: 5, postings: new Map([['手机', 7]]) }, // re-indexed
    { docNo: 4, postings: new Map([['手机', 1], ['华为', 1]]) }, // new
    { docNo: 9, postings: new Map([['裙', 1]]) }, // unrelated
  ]);
  assert.deepEqual(pairs(cache.lookup('手机')), [[1, 1], [4, 1], [5, 7]]);
  assert.equal(cache.lookup('华为'), undefined, 'never fetched: not cached');
});

test('a list fetched before a change is brought up to date when stored', () => {
  const cache = new PostingsCache(1 << 20);
  const gen = cache.generation;
  cache.changed([{ docNo: 2, postings: new Map([['裙', 1]]) }]);
  assert.deepEqual(pairs(cache.store('裙', list([1, 1]), gen)), [[1, 1], [2, 1]]);
});

test('past the change budget the cache empties; evicts least recently used past the byte budget', () => {
  const cache = new PostingsCache(1 << 20, 2);
  cache.store('a', list([1, 1]), cache.generation);
  cache.changed([1, 2, 3].map((docNo) => ({ docNo, postings: null })));
  assert.equal(cache.lookup('a'), undefined);
  const small = new PostingsCache(300);
  small.store('a', list([1, 1]), 0);
  small.store('b', list([1, 1]), 0);
  small.store('c', list([1, 1]), 0);
  assert.equal(small.lookup('a'), undefined);
  assert.ok(small.lookup('c'));
});

test('synonym files: JSON groups, or one group per line with comments and the defaults', () => {
  assert.deepEqual(parseSynonymFile('[["手机","智能手机"]]', true), [['手机', '智能手机']]);
  const groups = parseSynonymFile('# ours\n电视, 电视机，TV\n@defaults\nalone\n', false);
  assert.deepEqual(groups[0], ['电视', '电视机', 'TV']);
  assert.ok(groups.some((g) => g.includes('smartphone')));
  assert.ok(!groups.some((g) => g.length < 2));
  assert.throws(() => parseSynonymFile('{"a":1}', true));
});

test('a synonym file named by the configuration replaces the built-in list', async () => {
  const { writeFileSync, mkdtempSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const { loadSynonyms, lazySynonymIndex } = await import('./synonyms-config.ts');
  const { parseQuery } = await import('./text/query.ts');
  const file = join(mkdtempSync(join(tmpdir(), 'syn-')), 'synonyms.txt');
  writeFileSync(file, '电视, 电视机, TV\n');
  const loaded = loadSynonyms(file);
  assert.equal(loaded.source, file);
  const index = lazySynonymIndex(loaded.groups)();
  assert.ok(parseQuery('tv', index).terms.includes('电视'));
  assert.ok(!parseQuery('手机', index).terms.includes('smartphon'), 'the defaults are not included unless asked');
  assert.throws(() => loadSynonyms(join(tmpdir(), 'no-such-synonyms.json')), /cannot read the search synonym file/);
});
