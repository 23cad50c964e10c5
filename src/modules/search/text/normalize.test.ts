import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compact, normalize, normalizeWithOffsets } from './normalize.ts';

test('folds full-width characters to half-width and lower-cases Latin', () => {
  assert.equal(normalize('ＡＢＣ１２３　Ｐｒｏ'), 'abc123 pro');
  assert.equal(normalize('iPhone 15 PRO'), 'iphone 15 pro');
});

test('turns punctuation, symbols and emoji into spaces', () => {
  assert.equal(normalize('【新品】华为，手机！😀👍🏽❤️ #热卖#'), '新品 华为 手机 热卖');
  assert.equal(normalize('1️⃣号'), '1号');
});

test('keeps decimals, joins thousands and possessives', () => {
  assert.equal(normalize('2.5mm 1,299元'), '2.5mm 1299元');
  assert.equal(normalize("Men's Shoes. End."), 'mens shoes end');
});

test('applies NFKC and folds Latin diacritics', () => {
  assert.equal(normalize('5㎏ ①号 Café CAFE\u0301'), '5kg 1号 cafe cafe');
});

test('does not convert traditional to simplified Chinese (out of scope)', () => {
  assert.equal(normalize('手機'), '手機');
});

test('keeps characters outside the BMP whole', () => {
  assert.equal(normalize('𠮷野家'), '𠮷野家');
});

test('maps every output unit back to its original range', () => {
  const input = 'Ａ😀㎏é';
  const n = normalizeWithOffsets(input);
  assert.equal(n.text, 'a kge');
  assert.deepEqual(n.starts, [0, 1, 3, 3, 4]);
  assert.deepEqual(n.ends, [1, 3, 4, 4, 5]);
});

test('compact form ignores spacing', () => {
  assert.equal(compact('华为 Mate60 '), compact('华为mate 60'));
});
