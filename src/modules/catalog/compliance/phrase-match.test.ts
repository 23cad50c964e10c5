import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeForMatch } from './normalize.ts';
import { compileWordList, findWords } from './phrase-match.ts';

function find(text: string, banned: string[], allowed: string[] = []) {
  return findWords(text, normalizeForMatch(text), compileWordList({ banned, allowed }));
}

describe('findWords', () => {
  it('finds a phrase with its original offsets', () => {
    const hits = find('本品最佳选择', ['最佳']);
    assert.deepEqual(hits.map((h) => [h.word, h.start, h.end, h.text]), [['最佳', 2, 4, '最佳']]);
  });

  it('finds a phrase split by spaces, symbols or emoji', () => {
    const hits = find('全 网 最★低', ['全网最低']);
    assert.equal(hits.length, 1);
    assert.equal(hits[0].text, '全 网 最★低');
  });

  it('finds every occurrence', () => {
    assert.equal(find('第一 还是 第一', ['第一']).length, 2);
  });

  it('ignores a hit inside an allowed phrase', () => {
    assert.deepEqual(find('最新款', ['最'], ['最新']), []);
  });

  it('still reports a hit outside the allowed phrase next to it', () => {
    assert.deepEqual(find('最新最好', ['最', '最好'], ['最新']).map((h) => h.text), ['最好']);
  });

  it('reports the longest phrase only, not the shorter ones inside it', () => {
    assert.deepEqual(find('全网最低价', ['最', '最低', '最低价', '全网最低']).map((h) => h.word), ['全网最低', '最低价']);
  });

  it('does not match a Latin phrase inside a longer word or number', () => {
    assert.deepEqual(find('型号NO.12 stop1', ['no.1', 'top1']), []);
  });

  it('matches a Latin phrase at a word edge, full-width included', () => {
    assert.deepEqual(find('销量ＮＯ．１!', ['no.1']).map((h) => h.text), ['ＮＯ．１']);
  });

  it('rejects a list entry that is only punctuation', () => {
    assert.throws(() => compileWordList({ banned: ['+'], allowed: [] }), /normalises to nothing/);
  });
});
