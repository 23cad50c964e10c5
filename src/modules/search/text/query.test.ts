import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchesAll, matchesAny, parseQuery } from './query.ts';
import { buildSynonymIndex } from './synonyms.ts';

const hasAll = (terms: string[]) => (t: string) => terms.includes(t);
const alternatives = (q: string, synonyms = buildSynonymIndex([])) => parseQuery(q, synonyms).groups.map((g) => g.alternatives);

test('each query word becomes a required group', () => {
  const q = parseQuery('裙子 连衣', null);
  assert.deepEqual(q.groups.map((g) => g.text), ['裙子', '连衣']);
  assert.equal(q.raw, '裙子 连衣');
  assert.equal(q.compact, '裙子连衣');
});

test('expands 手机 and 智能手机 to each other', () => {
  const phone = parseQuery('手机').groups;
  assert.equal(phone.length, 1);
  assert.ok(phone[0].alternatives.some((a) => a.length === 1 && a[0] === '智能手机'));
  const smart = parseQuery('智能手机').groups;
  assert.equal(smart.length, 1);
  assert.ok(smart[0].alternatives.some((a) => a.length === 1 && a[0] === '手机'));
});

test('matches multi-word synonym phrases as one group', () => {
  const q = parseQuery('Mobile Phones 黑色');
  assert.deepEqual(q.groups.map((g) => g.text), ['Mobile Phones', '黑色']);
  assert.ok(q.groups[0].alternatives.some((a) => a.length === 1 && a[0] === '手机'));
});

test('expands 裙子 to 裙 so a one-character term can match', () => {
  assert.ok(parseQuery('裙子').groups[0].alternatives.some((a) => a.length === 1 && a[0] === '裙'));
});

test('uses a custom synonym list and no synonyms when given null', () => {
  const custom = buildSynonymIndex([['番茄', '西红柿']]);
  assert.deepEqual(alternatives('番茄', custom)[0].slice(0, 2), [['番茄'], ['西红柿']]);
  assert.deepEqual(alternatives('手机'), [[['手机']]]);
  assert.deepEqual(parseQuery('手机', null).terms, ['手机']);
});

test('lists every term any group can use, once', () => {
  const q = parseQuery('笔记本电脑 笔记本电脑', null);
  assert.equal(q.groups.length, 1);
  assert.deepEqual(q.terms.sort(), ['电脑', '笔记本', '笔记本电脑'].sort());
});

test('AND needs every group, OR needs any term', () => {
  const q = parseQuery('华为 手机', null);
  assert.equal(matchesAll(q, hasAll(['华为', '手机'])), true);
  assert.equal(matchesAll(q, hasAll(['华为'])), false);
  assert.equal(matchesAny(q, hasAll(['华为'])), true);
  assert.equal(matchesAny(q, hasAll(['苹果'])), false);
});

test('a group matches by sub-words when the whole word is not indexed', () => {
  const q = parseQuery('笔记本电脑', null);
  assert.equal(matchesAll(q, hasAll(['笔记本', '电脑'])), true);
  assert.equal(matchesAll(q, hasAll(['笔记本'])), false);
});

test('a query of only stopwords or punctuation matches nothing', () => {
  for (const raw of ['的 了 the', '！？', '']) {
    const q = parseQuery(raw);
    assert.deepEqual(q.groups, []);
    assert.equal(matchesAll(q, () => true), false);
  }
});
