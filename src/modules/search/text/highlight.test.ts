import { test } from 'node:test';
import assert from 'node:assert/strict';
import { highlight, highlightSpans } from './highlight.ts';
import { parseQuery } from './query.ts';

const terms = (query: string) => parseQuery(query, null).terms;

test('wraps matches in mixed Chinese and English titles', () => {
  assert.equal(
    highlight('【新品】华为手机 Mate 60 Pro 5G', terms('华为 mate 5g')),
    '【新品】<em>华为</em>手机 <em>Mate</em> 60 Pro <em>5G</em>',
  );
});

test('merges adjacent and overlapping spans', () => {
  assert.equal(highlight('华为手机 Mate 60', terms('华为手机')), '<em>华为手机</em> Mate 60');
  assert.equal(highlight('夏季碎花连衣裙', ['连衣裙', '连衣', '衣裙']), '夏季碎花<em>连衣裙</em>');
});

test('offsets point into the original text across emoji and full-width letters', () => {
  const title = '🔥iPhone15 ＰＲＯ 手机壳';
  const spans = highlightSpans(title, terms('iphone pro 手机'));
  assert.deepEqual(spans.map((s) => title.slice(s.start, s.end)), ['iPhone', 'ＰＲＯ', '手机']);
  assert.deepEqual(spans[0], { start: 2, end: 8 });
});

test('highlights a one-character match inside a word', () => {
  assert.equal(highlight('碎花连衣裙', ['裙']), '碎花连衣<em>裙</em>');
});

test('escapes HTML outside and inside the marks', () => {
  assert.equal(
    highlight('<b>手机</b> & "壳"', terms('手机')),
    '&lt;b&gt;<em>手机</em>&lt;/b&gt; &amp; &quot;壳&quot;',
  );
  assert.equal(highlight('A&B <x>', []), 'A&amp;B &lt;x&gt;');
});
