import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { textField } from './text-checks.ts';
import { checkKeywordStuffing, checkTitleLength, titleLength } from './title-checks.ts';

const stuffed = (title: string) => checkKeywordStuffing(textField('title', title)).map((f) => [f.details.word, f.details.count]);

describe('title length', () => {
  it('accepts 5 to 60 characters, counting code points of the trimmed title', () => {
    assert.deepEqual(checkTitleLength('纯棉T恤衫'), []);
    assert.deepEqual(checkTitleLength('字'.repeat(60)), []);
    assert.equal(titleLength('  𠀀𠀀𠀀  '), 3);
  });

  it('blocks a title shorter than 5 characters', () => {
    const [f] = checkTitleLength('  T恤  ');
    assert.deepEqual([f.code, f.severity, f.field, f.details.length], ['title_too_short', 'block', 'title', 2]);
  });

  it('blocks a title longer than 60 characters', () => {
    const [f] = checkTitleLength('字'.repeat(61));
    assert.deepEqual([f.code, f.severity, f.details.length], ['title_too_long', 'block', 61]);
  });
});

describe('keyword stuffing', () => {
  it('sends a Chinese word repeated three times to review, reporting the longest repeat', () => {
    const found = checkKeywordStuffing(textField('title', '连衣裙 女 连衣裙夏季 碎花连衣裙'));
    assert.deepEqual(found.map((f) => [f.code, f.severity, f.details.word, f.details.count]), [['keyword_stuffing', 'review', '连衣裙', 3]]);
    assert.deepEqual((found[0].details.matches as { start: number }[]).map((m) => m.start), [0, 6, 14]);
  });

  it('sends a Latin word repeated three times to review, ignoring case', () => {
    assert.deepEqual(stuffed('iPhone壳 IPHONE膜 iphone支架'), [['iphone', 3]]);
  });

  it('allows a word used twice', () => {
    assert.deepEqual(stuffed('新款连衣裙 法式连衣裙 收腰显瘦'), []);
  });

  it('does not count sizes, numbers or distinct model tokens', () => {
    assert.deepEqual(stuffed('T恤 S M L XL XXL 100 100 100 iPhone15 iPhone14 iPhone13'), []);
  });

  it('does not join words across punctuation into a phantom repeat', () => {
    // "衣/裙" and similar splits must not produce "衣裙"×3.
    assert.deepEqual(stuffed('上衣/裙子 大衣/裙装 毛衣/裙摆'), []);
  });
});
