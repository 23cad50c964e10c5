import { test } from 'node:test';
import assert from 'node:assert/strict';
import { indexDocument } from './document.ts';
import { createMemoryIndex } from './memory-index.ts';
import { parseQuery } from './query.ts';
import { idf, rank, type CorpusStats, type RankDoc } from './rank.ts';

function shop(titles: Record<string, string>) {
  const index = createMemoryIndex();
  for (const [id, title] of Object.entries(titles)) index.put(id, { title });
  return (query: string, mode: 'all' | 'any' = 'all') => index.search(parseQuery(query), { mode }).map((r) => r.id);
}

const catalogue = {
  mate: '华为手机 Mate 60 Pro',
  dress: '夏季碎花连衣裙',
  skirt: '碎花半身裙',
  smart: '小米智能手机 红米Note',
  shoes: 'Nike running shoe',
  case: '手机壳 防摔',
  brand: '啵乐乐儿童牙膏',
  laptop: 'ThinkPad 笔记本电脑 14寸',
};

test('「手机」 finds 「华为手机 Mate 60 Pro」', () => {
  assert.ok(shop(catalogue)('手机').includes('mate'));
});

test('「裙子 连衣」 finds 「夏季碎花连衣裙」 but not a skirt without 连衣', () => {
  assert.deepEqual(shop(catalogue)('裙子 连衣'), ['dress']);
});

test('synonyms: 智能手机 finds 手机 titles and 手机 finds 智能手机 titles', () => {
  const search = shop(catalogue);
  assert.ok(search('智能手机').includes('mate'));
  assert.ok(search('手机').includes('smart'));
  assert.ok(search('laptop').includes('laptop'));
  assert.ok(search('smartphone').includes('mate'));
});

test('"Running Shoes" finds "running shoe"', () => {
  assert.deepEqual(shop(catalogue)('Running Shoes'), ['shoes']);
});

test('part of an out-of-dictionary brand name still matches (bigram fallback)', () => {
  assert.deepEqual(shop(catalogue)('啵乐'), ['brand']);
  assert.deepEqual(shop(catalogue)('乐乐牙膏'), ['brand']);
});

test('an exact title match ranks first among documents containing the term', () => {
  const search = shop({
    a: '蓝牙耳机 降噪蓝牙耳机 运动蓝牙耳机',
    b: '无线蓝牙耳机 超长续航',
    c: '耳机收纳盒 适用蓝牙耳机',
    exact: '蓝牙耳机',
    d: '蓝牙 头戴式 耳机',
  });
  const ids = search('蓝牙耳机');
  assert.equal(ids[0], 'exact');
  assert.equal(ids.length, 5);
  // Titles containing the whole query come before one with the words apart.
  assert.equal(ids[ids.length - 1], 'd');
});

test('exact title ranks first even against much higher sales', () => {
  const index = createMemoryIndex();
  index.put('popular', { title: '纯棉T恤 男 短袖' }, 100_000);
  index.put('exact', { title: '纯棉T恤' }, 0);
  assert.deepEqual(index.search(parseQuery('纯棉 t恤')).map((r) => r.id), ['exact', 'popular']);
});

test('a title match outweighs a description match', () => {
  const index = createMemoryIndex();
  index.put('desc', { title: '保温杯', description: '可以放进背包，搭配手机支架' });
  index.put('title', { title: '手机支架 桌面', description: '铝合金' });
  assert.deepEqual(index.search(parseQuery('支架')).map((r) => r.id), ['title', 'desc']);
});

test('sales nudge otherwise equal documents', () => {
  const index = createMemoryIndex();
  index.put('few', { title: '陶瓷马克杯 大容量' }, 3);
  index.put('many', { title: '陶瓷马克杯 大容量' }, 5000);
  assert.deepEqual(index.search(parseQuery('马克杯')).map((r) => r.id), ['many', 'few']);
});

test('AND finds nothing where OR falls back to partial matches, best coverage first', () => {
  const search = shop(catalogue);
  assert.deepEqual(search('华为 牙膏'), []);
  const any = search('华为 牙膏 儿童', 'any');
  assert.equal(any[0], 'brand');
  assert.deepEqual(any.slice().sort(), ['brand', 'mate']);
});

test('reports the matched terms for highlighting', () => {
  const index = createMemoryIndex();
  index.put('mate', { title: '华为手机 Mate 60 Pro' });
  const [hit] = index.search(parseQuery('华为 mate', null));
  assert.deepEqual(hit.matchedTerms.sort(), ['mat', '华为']);
});

test('indexDocument counts term frequency and length per field', () => {
  const { postings, lengths } = indexDocument({ title: '手机 手机壳', brand: 'Apple' });
  assert.deepEqual(postings.find((p) => p.term === '手机' && p.field === 'title')?.tf, 2);
  assert.deepEqual(postings.find((p) => p.field === 'brand'), { term: 'appl', field: 'brand', tf: 1 });
  assert.equal(lengths.brand, 1);
  assert.ok((lengths.title ?? 0) > 2);
});

test('rare terms weigh more than common ones', () => {
  assert.ok(idf(1, 1000) > idf(500, 1000));
  assert.ok(idf(2000, 1000) > 0); // stale statistics never turn a match negative
});

test('rank is a pure function of plain data', () => {
  const stats: CorpusStats = { docCount: 10, avgLengths: { title: 4 }, df: new Map([['手机', 2]]) };
  const doc = (id: string, tf: number, len: number): RankDoc => ({
    id, title: id, lengths: { title: len }, tf: new Map([['手机', { title: tf }]]),
  });
  const query = parseQuery('手机', null);
  const ranked = rank(query, [doc('long', 1, 20), doc('short', 1, 2), doc('none', 0, 2)], stats);
  assert.deepEqual(ranked.map((r) => r.id), ['short', 'long']);
});
