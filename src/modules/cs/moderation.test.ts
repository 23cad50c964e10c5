import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bannedWordFinder, charCount, preview } from './moderation.ts';

test('finds a banned word through spaces, punctuation, width and case', () => {
  const find = bannedWordFinder(['加微信', 'vx号']);
  assert.equal(find('亲，加 微-信 聊'), '加微信');
  assert.equal(find('我的ＶＸ号是多少'), 'vx号');
  assert.equal(find('请问有现货吗？'), null);
});

test('a preview is one line and cut with an ellipsis without splitting an emoji', () => {
  assert.equal(preview('你好\n\n  请问'), '你好 请问');
  const long = '😀'.repeat(70);
  const p = preview(long, 60);
  assert.equal(charCount(p), 60);
  assert.ok(p.endsWith('…'));
  assert.ok(!p.includes('\uFFFD'));
});
