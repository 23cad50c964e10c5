import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeForMatch, originalSpan, stripHtml, stripHtmlMapped } from './normalize.ts';

/** The original text behind normalised [from, to). */
function back(original: string, mapped: ReturnType<typeof normalizeForMatch>, from: number, to: number): string {
  const { start, end } = originalSpan(mapped, from, to);
  return original.slice(start, end);
}

describe('stripHtml', () => {
  it('returns plain text unchanged, including a lone "<" that is not a tag', () => {
    assert.equal(stripHtml('价格<100元 & 包邮'), '价格<100元 & 包邮');
  });

  it('removes tags and separates block elements with one newline', () => {
    assert.equal(stripHtml('<div><p>纯棉<b>面料</b></p><p>柔软</p></div>'), '纯棉面料\n柔软\n');
  });

  it('drops script, style and comments with their content', () => {
    assert.equal(stripHtml('a<script>var x = "<p>最好</p>";</script>b<style>p{}</style><!-- 最好 -->c'), 'abc');
  });

  it('keeps ">" inside quoted attribute values from ending the tag', () => {
    assert.equal(stripHtml('<img alt="a>b" src="x.png">图'), '图');
  });

  it('decodes named and numeric entities', () => {
    assert.equal(stripHtml('&lt;tag&gt; &amp; &#26368;&#x597D;&nbsp;!'), '<tag> & 最好 !');
  });

  it('leaves unknown entities as text', () => {
    assert.equal(stripHtml('&bogus; &#0;'), '&bogus; \uFFFD');
  });

  it('maps every output character back to its source in the HTML', () => {
    const html = '<p>质量&#26368;<i>好</i></p>';
    const mapped = stripHtmlMapped(html);
    const at = mapped.text.indexOf('最');
    assert.equal(html.slice(mapped.starts[at], mapped.ends[at]), '&#26368;');
    const good = mapped.text.indexOf('好');
    assert.equal(html.slice(mapped.starts[good], mapped.ends[good]), '好');
  });
});

describe('normalizeForMatch', () => {
  it('folds full-width forms and case with NFKC + lower-case', () => {
    assert.equal(normalizeForMatch('ＶＸ１２３ ＡＢＣ').text, 'vx123abc');
  });

  it('drops spaces, punctuation, symbols, emoji and zero-width characters by default', () => {
    assert.equal(normalizeForMatch('最 * 好\u200B😀！').text, '最好');
  });

  it('keeps "%" so that "100%" stays distinguishable from "100"', () => {
    assert.equal(normalizeForMatch('１００％ 纯棉').text, '100%纯棉');
  });

  it('keeps separators when asked, dropping only invisible characters', () => {
    assert.equal(normalizeForMatch('Ｗｗｗ.ABC.com 1\u200B3', { dropSeparators: false }).text, 'www.abc.com 13');
  });

  it('composes a base letter with its combining mark before matching', () => {
    assert.equal(normalizeForMatch('cafe\u0301').text, 'café');
  });

  it('maps a match back to the original characters including inserted separators', () => {
    const original = '本店 最 ~ 好 的';
    const mapped = normalizeForMatch(original);
    const from = mapped.text.indexOf('最好');
    assert.equal(back(original, mapped, from, from + 2), '最 ~ 好');
  });

  it('maps expanded compatibility characters to the whole source character', () => {
    const original = '重量5㎏';
    const mapped = normalizeForMatch(original);
    assert.equal(mapped.text, '重量5kg');
    assert.equal(back(original, mapped, 3, 5), '㎏');
  });

  it('maps characters outside the BMP as one unit', () => {
    const original = 'a𠀀b';
    const mapped = normalizeForMatch(original);
    assert.equal(back(original, mapped, 1, 3), '𠀀');
  });

  it('composes with stripped HTML so offsets point into the raw HTML', () => {
    const html = '<p>全网</p><p>最 低&#20215;</p>';
    const mapped = normalizeForMatch(stripHtmlMapped(html));
    const from = mapped.text.indexOf('最低价');
    assert.equal(back(html, mapped, from, from + 3), '最 低&#20215;');
  });

  it('rejects an empty or out-of-range span as a programmer error', () => {
    const mapped = normalizeForMatch('abc');
    assert.throws(() => originalSpan(mapped, 1, 1));
    assert.throws(() => originalSpan(mapped, 0, 4));
  });
});
