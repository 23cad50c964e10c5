import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_COMMENT_BANNED_WORDS, wordFilter } from './moderation.ts';

const filter = wordFilter(DEFAULT_COMMENT_BANNED_WORDS);

test('finds banned words through spacing, punctuation, width and case', () => {
  assert.equal(filter.find('想要的加微信聊'), '加微信');
  assert.equal(filter.find('加 微-信 123'), '加微信');
  assert.equal(filter.find('加ＶＸ详谈'), '加vx');
  assert.equal(filter.find('赌。博网站'), '赌博');
});

test('lets ordinary comments through', () => {
  assert.equal(filter.find('音质很好，已下单！'), null);
  assert.equal(filter.find('微信支付方便吗'), null);
});

test('extra words extend the list', () => {
  assert.equal(wordFilter([...DEFAULT_COMMENT_BANNED_WORDS, '竞品']).find('竞 品更便宜'), '竞品');
});
