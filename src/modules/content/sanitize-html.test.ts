import { test } from 'node:test';
import assert from 'node:assert/strict';
import { htmlText, safeUrl, sanitizeHtml } from './sanitize-html.ts';

/** Whatever the input, the output must contain no executable construct. */
function assertInert(html: string) {
  const lower = html.toLowerCase();
  for (const bad of ['<script', '<iframe', '<svg', '<object', '<embed', '<style', 'javascript:', 'vbscript:', 'data:', ' on', '<math', '<base', '<meta', '<link', 'srcdoc', 'style=']) {
    assert.ok(!lower.includes(bad) || (bad === ' on' && !/<[^>]*\son[a-z]+\s*=/i.test(html)), `${JSON.stringify(bad)} in ${html}`);
  }
}

test('keeps allowed formatting, links and images', () => {
  const html = '<h2>春季新品</h2><p>这款<strong>耳机</strong>很<em>轻</em>。<br><a href="https://example.com/x?a=1&amp;b=2" title="看看">链接</a></p><ul><li>一</li></ul><img src="/media/content/x.jpg" alt="图" width="300">';
  assert.equal(sanitizeHtml(html),
    '<h2>春季新品</h2><p>这款<strong>耳机</strong>很<em>轻</em>。<br><a href="https://example.com/x?a=1&amp;b=2" title="看看" rel="noopener noreferrer nofollow" target="_blank">链接</a></p><ul><li>一</li></ul><img src="/media/content/x.jpg" alt="图" width="300">');
});

test('removes scripts, event handlers and dangerous URLs (classic XSS vectors)', () => {
  const vectors = [
    '<script>alert(1)</script>',
    '<SCRIPT SRC=//evil.example/x.js></SCRIPT>',
    '<img src=x onerror=alert(1)>',
    '<img src="/ok.jpg" onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="&#x6A;avascript&colon;alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="//evil.example">x</a>',
    '<a href="/\\evil.example">x</a>',
    '<svg onload=alert(1)><script>alert(1)</script></svg>',
    '<iframe src="https://evil.example" srcdoc="<script>alert(1)</script>"></iframe>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<scr<script>ipt>alert(1)</scr</script>ipt>',
    '<<script>script>alert(1)<</script>/script>',
    '<!--<script>alert(1)</script>-->',
    '<![CDATA[<script>alert(1)</script>]]>',
    '<p title="</p><script>alert(1)</script>">x</p>',
    '<img src="x" alt="x"onerror="alert(1)">',
    '<a href="https://ok.example" onclick="alert(1)">x</a>',
    '<object data="x.swf"></object><embed src="x.swf">',
    '<base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<textarea><script>alert(1)</script></textarea>',
    '<p><img src="https://ok.example/a.png"/onerror=alert(1)></p>',
    '<div onmouseover="alert(1)">hover</div>',
    '<style>*{background:url(javascript:alert(1))}</style>',
    '<script',
    '<a href="https://ok.example"',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<template><script>alert(1)</script></template>',
  ];
  for (const v of vectors) assertInert(sanitizeHtml(v));
  assert.equal(sanitizeHtml('<a href="javascript:alert(1)">x</a>'), '<a>x</a>');
  assert.equal(sanitizeHtml('<img src=x onerror=alert(1)>'), '');
  assert.equal(sanitizeHtml('<p title="</p><script>alert(1)</script>">x</p>'), '<p>x</p>');
});

test('escapes text and balances tags', () => {
  assert.equal(sanitizeHtml('1 < 2 & 3 > 2'), '1 &lt; 2 &amp; 3 &gt; 2');
  assert.equal(sanitizeHtml('&lt;script&gt;'), '&lt;script&gt;');
  assert.equal(sanitizeHtml('<p><strong>粗</p>'), '<p><strong>粗</strong></p>');
  assert.equal(sanitizeHtml('</p>孤立<b>'), '孤立<b></b>');
  assert.equal(sanitizeHtml('<custom-tag x="1">文字</custom-tag>'), '文字');
  assert.equal(sanitizeHtml('<br/><hr />'), '<br><hr>');
});

test('data-product-id must be a product id', () => {
  assert.equal(sanitizeHtml('<a data-product-id="prd_01JD3Q0000000000000000000A">买</a>'), '<a data-product-id="prd_01JD3Q0000000000000000000A">买</a>');
  assert.equal(sanitizeHtml('<a data-product-id="&quot; onclick=alert(1)">买</a>'), '<a>买</a>');
});

test('safe URLs: https, http links, same-site paths', () => {
  assert.equal(safeUrl('https://a.example/x.png', 'src'), 'https://a.example/x.png');
  assert.equal(safeUrl('http://a.example/x.png', 'src'), null);
  assert.equal(safeUrl('http://a.example/', 'href'), 'http://a.example/');
  assert.equal(safeUrl('/media/content/a.jpg', 'src'), '/media/content/a.jpg');
  assert.equal(safeUrl('//evil', 'href'), null);
  assert.equal(safeUrl('mailto:a@b', 'href'), null);
});

test('htmlText gives the visible text', () => {
  assert.equal(htmlText('<h2>标题</h2><p>第一段&amp;<script>x</script></p><p>第二段</p>'), '标题 第一段& 第二段');
});
