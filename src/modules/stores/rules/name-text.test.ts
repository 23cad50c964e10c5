import { test } from 'node:test';
import assert from 'node:assert/strict';
import { displayForm, findWord, normalizeStoreName } from './name-text.ts';

test('normalizeStoreName folds full-width, case and spacing into one key', () => {
  assert.equal(normalizeStoreName('  ＡＢＣ　小店  '), 'abc 小店');
  assert.equal(normalizeStoreName('Abc   小店'), normalizeStoreName('ａｂｃ 小店'));
  assert.equal(normalizeStoreName('Ｎｉｋｅ１２３'), 'nike123');
});

test('displayForm keeps case but trims and collapses spaces', () => {
  assert.equal(displayForm('  Star   River\u3000Shop '), 'Star River Shop');
});

test('findWord sees through spaces, punctuation and case', () => {
  assert.deepEqual(findWord('我的官 方小店', ['官方']), { word: '官方', matched: '官 方' });
  assert.deepEqual(findWord('我的官·方小店', ['官方']), { word: '官方', matched: '官·方' });
  assert.deepEqual(findWord('best OFFI-CIAL shop', ['official']), { word: 'official', matched: 'offi-cial' });
  assert.equal(findWord('星河小店', ['官方'])?.word, undefined);
});

test('findWord reports the longest listed word', () => {
  assert.equal(findWord('星河官方授权店', ['官方', '官方授权'])?.word, '官方授权');
});

test('findWord ignores empty or punctuation-only list entries', () => {
  assert.equal(findWord('星河小店', ['', ' ', '--']), null);
});

test('whole-word matching keeps short Latin brands out of longer words', () => {
  assert.equal(findWord('Nikeland 潮玩', ['Nike'], { wholeWord: true }), null);
  assert.equal(findWord('Nike Kids 潮玩', ['Nike'], { wholeWord: true })?.word, 'Nike');
  assert.equal(findWord('正品Nike潮玩', ['Nike'], { wholeWord: true })?.word, 'Nike');
  assert.equal(findWord('N.i.k.e 潮玩', ['Nike'], { wholeWord: true })?.matched, 'n.i.k.e');
});
