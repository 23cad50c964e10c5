import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, analyzeQueryUnits } from './analyzer.ts';
import { stem } from './stem.ts';

const terms = (text: string, mode: 'index' | 'query' = 'index'): string[] => analyze(text, mode).map((t) => t.term);
const units = (text: string): string[][][] =>
  analyzeQueryUnits(text).map((u) => u.alternatives.map((alt) => alt.map((t) => t.term)));

test('indexes Chinese with search-mode words, bigrams and characters', () => {
  const t = terms('夏季碎花连衣裙');
  for (const expected of ['夏季', '碎花', '连衣裙', '连衣', '衣裙', '花连', '裙']) assert.ok(t.includes(expected), expected);
  const phone = terms('华为手机');
  for (const expected of ['华为', '手机', '为手', '手', '机']) assert.ok(phone.includes(expected), expected);
});

test('counts a term once per occurrence, not once per source', () => {
  // 华为 is both a Jieba word and a bigram at the same place.
  assert.equal(terms('华为').filter((t) => t === '华为').length, 1);
  assert.equal(terms('手机 手机壳').filter((t) => t === '手机').length, 2);
});

test('reports offsets into the original string', () => {
  const text = '【新品】华为手机 Ｍａｔｅ 60 Pro';
  for (const t of analyze(text, 'index')) {
    const surface = text.slice(t.start, t.end);
    if (/\p{Script=Han}/u.test(t.term)) assert.equal(surface, t.term);
  }
  const mate = analyze(text, 'index').find((t) => t.term === 'mat');
  assert.equal(mate && text.slice(mate.start, mate.end), 'Ｍａｔｅ');
});

test('query mode cuts precisely and offers sub-words or bigrams for long words', () => {
  assert.deepEqual(units('裙子 连衣'), [[['裙子']], [['连衣']]]);
  assert.deepEqual(units('笔记本电脑'), [[['笔记本电脑'], ['笔记本', '电脑']]]);
  assert.deepEqual(units('连衣裙'), [[['连衣裙'], ['连衣', '衣裙']]]);
});

test('lower-cases and stems English the same way in documents and queries', () => {
  assert.deepEqual(terms('Running Shoes', 'query'), terms('running shoe'));
  assert.deepEqual(terms('RUNNING SHOES'), ['run', 'sho']);
});

test('keeps model codes whole and also split into letters and digits', () => {
  assert.deepEqual(terms('iPhone15'), ['iphone15', 'iphon', '15']);
  assert.deepEqual(terms('128GB'), ['128gb', '128', 'gb']);
  assert.deepEqual(terms('P60'), ['p60', 'p', '60']);
  assert.deepEqual(terms('2.5mm'), ['2.5mm', '2.5', 'mm']);
  assert.deepEqual(units('iphone15'), [[['iphone15'], ['iphon', '15']]]);
});

test('treats full-width input like half-width', () => {
  assert.deepEqual(terms('ｉＰｈｏｎｅ１５ ＰＲＯ', 'query'), terms('iphone15 pro', 'query'));
});

test('drops stopwords', () => {
  const t = terms('苹果和华为的手机 for the kids');
  for (const stop of ['和', '的', 'for', 'the']) assert.ok(!t.includes(stop), stop);
  assert.deepEqual(units('的 the 和'), []);
});

test('splits mixed Chinese and Latin into separate words', () => {
  const t = terms('5G手机');
  assert.ok(t.includes('5g') && t.includes('手机'));
});

test('stems plurals and -ing/-ed forms to a shared term', () => {
  const same = [['shoes', 'shoe'], ['running', 'run'], ['batteries', 'battery'], ['dresses', 'dress'],
    ['watches', 'watch'], ['charging', 'charge'], ['phones', 'phone'], ['stopped', 'stop']];
  for (const [a, b] of same) assert.equal(stem(a), stem(b), `${a} ~ ${b}`);
  for (const keep of ['glass', 'bus', 'speed', 'ring', 'usb', 'x9']) assert.equal(stem(keep), keep);
});
