/**
 * Text preparation for matching: HTML stripping and Unicode normalisation that keep a map
 * from every output character back to the original string, so a finding can highlight
 * exactly what the merchant typed (including full-width letters, entities and the
 * spaces/emoji they inserted to dodge a word filter).
 */

/** A transformed string plus, for each UTF-16 unit of it, the original [start, end). */
export interface MappedText {
  readonly text: string;
  readonly starts: readonly number[];
  readonly ends: readonly number[];
}

class MappedBuilder {
  private parts: string[] = [];
  readonly starts: number[] = [];
  readonly ends: number[] = [];

  push(s: string, start: number, end: number): void {
    this.parts.push(s);
    for (let i = 0; i < s.length; i++) {
      this.starts.push(start);
      this.ends.push(end);
    }
  }

  lastChar(): string | undefined {
    const last = this.parts[this.parts.length - 1];
    return last === undefined ? undefined : last[last.length - 1];
  }

  done(): MappedText {
    return { text: this.parts.join(''), starts: this.starts, ends: this.ends };
  }
}

export function identityMapped(text: string): MappedText {
  const idx = Array.from({ length: text.length }, (_, i) => i);
  return { text, starts: idx, ends: idx.map((i) => i + 1) };
}

/** Original [start, end) covered by `mapped.text.slice(from, to)`; `to > from` required. */
export function originalSpan(mapped: MappedText, from: number, to: number): { start: number; end: number } {
  if (!(from >= 0 && to > from && to <= mapped.text.length)) {
    throw new Error(`invalid span [${from}, ${to}) of text with length ${mapped.text.length}`);
  }
  return { start: mapped.starts[from], end: mapped.ends[to - 1] };
}

// ---------------------------------------------------------------------------------------------
// HTML

/** Tags that end a line of text; we emit one '\n' so words in adjacent blocks stay apart. */
const BLOCK_TAGS = new Set([
  'p', 'div', 'br', 'li', 'ul', 'ol', 'dl', 'dt', 'dd', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'tr', 'td', 'th', 'table', 'section', 'article', 'header', 'footer', 'blockquote', 'hr', 'pre',
]);
const RAW_TEXT_TAGS = new Set(['script', 'style', 'template']);

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ensp: ' ', emsp: ' ', thinsp: ' ',
  middot: '·', hellip: '…', ldquo: '“', rdquo: '”', lsquo: '‘', rsquo: '’', mdash: '—',
  ndash: '–', yen: '¥', times: '×', copy: '©', reg: '®', trade: '™', deg: '°', zwj: '\u200D',
  zwnj: '\u200C',
};

// Quoted attribute values may contain '>'.
const TAG_RE = /<\/?([a-zA-Z][a-zA-Z0-9-]*)(?:[^>"']|"[^"]*"|'[^']*')*>/y;
const DECL_RE = /<[!?][^>]*>/y;
const ENTITY_RE = /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z][a-zA-Z0-9]{1,7}));/y;

/** Text content of an HTML fragment (or plain text, returned as is) with offsets to the input. */
export function stripHtmlMapped(html: string): MappedText {
  const out = new MappedBuilder();
  let i = 0;
  while (i < html.length) {
    const ch = html[i];
    if (ch === '<') {
      const markup = skipMarkup(html, i);
      if (markup) {
        if (markup.block && out.lastChar() !== undefined && out.lastChar() !== '\n') out.push('\n', i, markup.end);
        i = markup.end;
        continue;
      }
    } else if (ch === '&') {
      ENTITY_RE.lastIndex = i;
      const m = ENTITY_RE.exec(html);
      const decoded = m ? decodeEntity(m) : null;
      if (m && decoded !== null) {
        out.push(decoded, i, i + m[0].length);
        i += m[0].length;
        continue;
      }
    }
    out.push(ch, i, i + 1);
    i++;
  }
  return out.done();
}

/** Plain text of an HTML fragment; see `stripHtmlMapped` for offsets. */
export function stripHtml(html: string): string {
  return stripHtmlMapped(html).text;
}

function skipMarkup(html: string, at: number): { end: number; block: boolean } | null {
  if (html.startsWith('<!--', at)) {
    const close = html.indexOf('-->', at + 4);
    return { end: close < 0 ? html.length : close + 3, block: false };
  }
  TAG_RE.lastIndex = at;
  const tag = TAG_RE.exec(html);
  if (tag) {
    const name = tag[1].toLowerCase();
    const end = at + tag[0].length;
    const closing = html[at + 1] === '/';
    if (!closing && RAW_TEXT_TAGS.has(name)) {
      // Everything up to the matching close tag is code, not text.
      const close = html.toLowerCase().indexOf(`</${name}`, end);
      if (close < 0) return { end: html.length, block: false };
      const gt = html.indexOf('>', close);
      return { end: gt < 0 ? html.length : gt + 1, block: false };
    }
    return { end, block: BLOCK_TAGS.has(name) };
  }
  DECL_RE.lastIndex = at;
  const decl = DECL_RE.exec(html);
  return decl ? { end: at + decl[0].length, block: false } : null;
}

function decodeEntity(m: RegExpExecArray): string | null {
  if (m[3] !== undefined) return NAMED_ENTITIES[m[3].toLowerCase()] ?? null;
  const cp = m[1] !== undefined ? Number.parseInt(m[1], 10) : Number.parseInt(m[2], 16);
  const valid = cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff);
  return valid ? String.fromCodePoint(cp) : '\uFFFD';
}

// ---------------------------------------------------------------------------------------------
// Normalisation

export interface NormalizeOptions {
  /**
   * true (default): drop whitespace, punctuation, symbols, marks and invisible characters so
   * "最 * 好" and "最\u200B好" both read "最好". '%' is kept because "100%" is itself a phrase.
   * false: keep them (for patterns such as URLs and phone numbers that need separators),
   * dropping only invisible format characters.
   */
  readonly dropSeparators?: boolean;
}

// A base code point with its combining marks: NFKC must see them together to compose.
const SEGMENT_RE = /\P{M}\p{M}*|\p{M}+/gu;
const SEPARATOR_RE = /^[\p{White_Space}\p{P}\p{S}\p{C}\p{M}]$/u;
const FORMAT_RE = /^\p{Cf}$/u;
const KEPT_SYMBOLS = new Set(['%']);

/**
 * NFKC + lower-case (full-width → ASCII, ① → 1, ＶＸ → vx), optionally dropping separators.
 * Accepts an already mapped text (e.g. from `stripHtmlMapped`); the result then maps back to
 * that text's original.
 */
export function normalizeForMatch(input: string | MappedText, options: NormalizeOptions = {}): MappedText {
  const base = typeof input === 'string' ? identityMapped(input) : input;
  const drop = options.dropSeparators ?? true;
  const out = new MappedBuilder();
  for (const seg of base.text.matchAll(SEGMENT_RE)) {
    const from = seg.index;
    const start = base.starts[from];
    const end = base.ends[from + seg[0].length - 1];
    for (const cp of seg[0].normalize('NFKC').toLowerCase()) {
      if (drop ? SEPARATOR_RE.test(cp) && !KEPT_SYMBOLS.has(cp) : FORMAT_RE.test(cp)) continue;
      out.push(cp, start, end);
    }
  }
  return out.done();
}

/** Normalised form of a single phrase (list entry, brand name, option value) for comparison. */
export function normalizePhrase(phrase: string): string {
  return normalizeForMatch(phrase).text;
}
