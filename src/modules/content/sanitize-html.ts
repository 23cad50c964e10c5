/**
 * Allow-list HTML sanitiser for article bodies. Nothing from the input is passed through:
 * the input is tokenised and the output is rebuilt from allowed tags, allowed attributes
 * (values entity-decoded, checked, re-escaped) and text (decoded, re-escaped). Anything the
 * tokeniser does not recognise as a well-formed tag is text and comes out escaped, so a
 * malformed or unexpected construct can only ever become visible characters.
 */

const ALLOWED: Record<string, readonly string[]> = {
  p: [], br: [], hr: [], strong: [], b: [], em: [], i: [], u: [], s: [], del: [], sub: [], sup: [],
  h2: [], h3: [], h4: [], blockquote: [], ul: [], ol: [], li: [], pre: [], code: [], span: [],
  figure: [], figcaption: [],
  a: ['href', 'title', 'data-product-id'],
  img: ['src', 'alt', 'width', 'height'],
};
const VOID = new Set(['br', 'hr', 'img']);
/** Dropped together with everything inside them. */
const DROP_WITH_CONTENT = new Set([
  'script', 'style', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'noscript', 'noembed', 'noframes', 'template',
  'textarea', 'title', 'xmp', 'plaintext', 'svg', 'math', 'select', 'option', 'head', 'base', 'link', 'meta',
]);
const URL_ATTRS = new Set(['href', 'src']);
const MAX_DEPTH = 24;

const NAMED: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', copy: '©', reg: '®', hellip: '…', mdash: '—', ndash: '–',
  lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', middot: '·', times: '×', yen: '¥', colon: ':', tab: '\t', newline: '\n',
};

export function decodeEntities(s: string): string {
  return s.replace(/&(#[xX][0-9a-fA-F]{1,8}|#[0-9]{1,10}|[a-zA-Z][a-zA-Z0-9]{1,31});?/g, (m, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\ufffd';
      return String.fromCodePoint(code);
    }
    const named = NAMED[body.toLowerCase()];
    return named ?? m;
  });
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/**
 * http(s) URLs and same-site absolute paths only. Browsers ignore ASCII whitespace and control
 * characters inside a scheme ("java\tscript:"), so they are removed before the check and the
 * cleaned value is what is emitted.
 */
export function safeUrl(raw: string, kind: 'href' | 'src'): string | null {
  // eslint-disable-next-line no-control-regex
  const cleaned = raw.replace(/[\u0000-\u0020\u007f-\u009f\u00a0\u1680\u2000-\u200f\u2028\u2029\u202f\u205f\u3000\ufeff]/g, '');
  if (cleaned.length === 0 || cleaned.length > 2000) return null;
  if (/^https:\/\/[^/\\]/i.test(cleaned)) return cleaned;
  if (kind === 'href' && /^http:\/\/[^/\\]/i.test(cleaned)) return cleaned;
  if (/^\/(?![/\\])/.test(cleaned)) return cleaned;
  return null;
}

interface Tag { name: string; closing: boolean; attrs: [string, string][]; end: number }

/** Parses the tag starting at `i` (input[i] === '<'); null when it is not a well-formed tag. */
function readTag(input: string, i: number): Tag | null {
  const head = /^<(\/?)([a-zA-Z][a-zA-Z0-9-]{0,30})/.exec(input.slice(i, i + 34));
  if (!head) return null;
  let p = i + head[0].length;
  const attrs: [string, string][] = [];
  const n = input.length;
  for (;;) {
    while (p < n && /[\s/]/.test(input[p])) p++;
    if (p >= n) return null;
    if (input[p] === '>') break;
    const nameM = /^[^\s"'>/=]+/.exec(input.slice(p, p + 200));
    if (!nameM) return null;
    const name = nameM[0].toLowerCase();
    p += nameM[0].length;
    while (p < n && /\s/.test(input[p])) p++;
    let value = '';
    if (input[p] === '=') {
      p++;
      while (p < n && /\s/.test(input[p])) p++;
      const q = input[p];
      if (q === '"' || q === "'") {
        const close = input.indexOf(q, p + 1);
        if (close < 0) return null;
        value = input.slice(p + 1, close);
        p = close + 1;
      } else {
        const v = /^[^\s>]*/.exec(input.slice(p))!;
        value = v[0];
        p += v[0].length;
      }
    }
    attrs.push([name, value]);
  }
  return { name: head[2].toLowerCase(), closing: head[1] === '/', attrs, end: p + 1 };
}

function renderAttrs(tag: string, attrs: [string, string][]): string {
  const allowed = ALLOWED[tag];
  const seen = new Set<string>();
  let out = '';
  let linked = false;
  for (const [name, raw] of attrs) {
    if (!allowed.includes(name) || seen.has(name)) continue;
    seen.add(name);
    let value = decodeEntities(raw);
    if (URL_ATTRS.has(name)) {
      const url = safeUrl(value, name as 'href' | 'src');
      if (url === null) continue;
      value = url;
      linked = true;
    } else if (name === 'width' || name === 'height') {
      if (!/^\d{1,4}$/.test(value)) continue;
    } else if (name === 'data-product-id') {
      if (!/^prd_[0-9A-HJKMNP-TV-Z]{26}$/.test(value)) continue;
    } else {
      value = value.slice(0, 200);
    }
    out += ` ${name}="${escapeHtml(value)}"`;
  }
  if (tag === 'a' && linked) out += ' rel="noopener noreferrer nofollow" target="_blank"';
  return out;
}

/** Returns safe HTML containing only allow-listed tags and attributes. */
export function sanitizeHtml(input: string): string {
  const out: string[] = [];
  const stack: string[] = [];
  let text = '';
  const flushText = () => {
    if (text) out.push(escapeHtml(decodeEntities(text)));
    text = '';
  };
  let i = 0;
  const n = input.length;
  while (i < n) {
    const lt = input.indexOf('<', i);
    if (lt < 0) {
      text += input.slice(i);
      break;
    }
    text += input.slice(i, lt);
    if (input.startsWith('<!--', lt)) {
      const end = input.indexOf('-->', lt + 4);
      i = end < 0 ? n : end + 3;
      continue;
    }
    if (input[lt + 1] === '!' || input[lt + 1] === '?') {
      const end = input.indexOf('>', lt);
      i = end < 0 ? n : end + 1;
      continue;
    }
    const tag = readTag(input, lt);
    if (!tag) {
      // Not a tag: a literal "<" (escaped on output). An unterminated tag drops the rest.
      if (/^<\/?[a-zA-Z]/.test(input.slice(lt, lt + 3))) {
        i = n;
        continue;
      }
      text += '<';
      i = lt + 1;
      continue;
    }
    i = tag.end;
    if (DROP_WITH_CONTENT.has(tag.name)) {
      if (!tag.closing) {
        const close = new RegExp(`</${tag.name}[\\s/>]`, 'i').exec(input.slice(i));
        i = close ? i + close.index + close[0].length : n;
        if (close && close[0].slice(-1) !== '>') {
          const gt = input.indexOf('>', i);
          i = gt < 0 ? n : gt + 1;
        }
      }
      continue;
    }
    if (!(tag.name in ALLOWED)) continue; // unknown tag: dropped, its text kept
    flushText();
    if (tag.closing) {
      const at = stack.lastIndexOf(tag.name);
      if (at < 0) continue;
      while (stack.length > at) out.push(`</${stack.pop()}>`);
      continue;
    }
    if (VOID.has(tag.name)) {
      if (tag.name === 'img' && !tag.attrs.some(([k, v]) => k === 'src' && safeUrl(decodeEntities(v), 'src'))) continue;
      out.push(`<${tag.name}${renderAttrs(tag.name, tag.attrs)}>`);
      continue;
    }
    if (stack.length >= MAX_DEPTH) continue;
    stack.push(tag.name);
    out.push(`<${tag.name}${renderAttrs(tag.name, tag.attrs)}>`);
  }
  flushText();
  while (stack.length) out.push(`</${stack.pop()}>`);
  return out.join('');
}

/** The visible text of (sanitised) HTML, whitespace collapsed: summaries and moderation. */
export function htmlText(html: string): string {
  return decodeEntities(sanitizeHtml(html).replace(/<br>|<\/(p|li|h2|h3|h4|blockquote|figcaption|pre)>/g, ' ').replace(/<[^>]*>/g, '')).replace(/\s+/g, ' ').trim();
}
