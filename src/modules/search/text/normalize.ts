/**
 * Text normalisation shared by indexing and querying, so both sides produce the same terms.
 *
 * - NFKC: full-width ASCII (ＡＢＣ１２３) becomes half-width, ㎏ becomes kg, ① becomes 1,
 *   CJK compatibility ideographs become their unified forms.
 * - Latin letters are lower-cased and their diacritics folded (café → cafe).
 * - Punctuation, symbols (emoji included), separators and control characters become spaces,
 *   except: an apostrophe between letters is dropped (men's → mens), a comma between digits
 *   is dropped (1,299 → 1299), and a dot between digits is kept (2.5 stays 2.5).
 * - Traditional → simplified Chinese conversion is OUT OF SCOPE: 手機 and 手机 are different
 *   terms. A synonym group or a conversion table can be added later without changing callers.
 *
 * Every UTF-16 unit of the output remembers the range of the original string it came from, so
 * tokens can report offsets into the original (for highlighting).
 */

export interface Normalized {
  /** Normalised text; one space stands for each removed character, nothing is collapsed. */
  text: string;
  /** starts[i], ends[i]: the original [start, end) that produced text[i] (UTF-16 offsets). */
  starts: number[];
  ends: number[];
}

const MARK = /\p{M}/u;
const LATIN = /\p{Script=Latin}/u;
const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;
const DIGIT = /\p{N}/u;
const LETTER = /\p{L}/u;
const APOSTROPHES = new Set(["'", '\u2019', '\u02bc']);

/** Normalises text and keeps, for every output unit, the original range it came from. */
export function normalizeWithOffsets(input: string): Normalized {
  // One entry per output code point (not UTF-16 unit), so surrogate pairs stay whole.
  const points: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  let i = 0;
  while (i < input.length) {
    let j = i + codePointLength(input, i);
    // A base character and its combining marks normalise together (e + ◌́ → é).
    while (j < input.length && MARK.test(String.fromCodePoint(input.codePointAt(j)!))) {
      j += codePointLength(input, j);
    }
    for (const point of mapChunk(input.slice(i, j))) {
      points.push(point);
      starts.push(i);
      ends.push(j);
    }
    i = j;
  }
  resolvePunctuation(points);
  const out: Normalized = { text: '', starts: [], ends: [] };
  for (let k = 0; k < points.length; k++) {
    for (let u = 0; u < points[k].length; u++) {
      out.starts.push(starts[k]);
      out.ends.push(ends[k]);
    }
  }
  out.text = points.join('');
  return out;
}

/** Normalised text with whitespace collapsed and trimmed (for comparisons, not offsets). */
export function normalize(input: string): string {
  return normalizeWithOffsets(input).text.replace(/\s+/g, ' ').trim();
}

/** Normalised text without any whitespace: 「华为 Mate60」 and 「华为mate 60」 compare equal. */
export function compact(input: string): string {
  return normalizeWithOffsets(input).text.replace(/\s+/g, '');
}

function codePointLength(s: string, i: number): number {
  return s.codePointAt(i)! > 0xffff ? 2 : 1;
}

/** Maps one chunk (base + marks) to its normalised form; punctuation stays for the next pass. */
function mapChunk(chunk: string): string {
  const c = chunk.charCodeAt(0);
  if (chunk.length === 1 && c < 0x80) {
    if (c >= 0x41 && c <= 0x5a) return String.fromCharCode(c + 32);
    return chunk;
  }
  if (chunk.length === 1 && c >= 0x4e00 && c <= 0x9fff) return chunk; // common Han: NFKC identity
  // Variation selectors and the keycap mark only decorate emoji.
  let s = chunk.normalize('NFKC').toLowerCase().replace(/[\uFE00-\uFE0F\u20E3]/g, '');
  if (LATIN.test(s)) s = s.normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC');
  return s;
}

/**
 * Turns every non-word unit into a space, except the few in-word punctuation cases listed in the
 * file comment. Works in place on code points; a deleted one becomes ''.
 */
function resolvePunctuation(units: string[]): void {
  for (let k = 0; k < units.length; k++) {
    const u = units[k];
    if (u === ' ') continue;
    if (MARK.test(u)) {
      // A mark survives only on a word character (it was already folded away on Latin).
      if (k === 0 || !WORD_CHAR.test(units[k - 1])) units[k] = ' ';
      continue;
    }
    if (WORD_CHAR.test(u)) continue;
    const prev = k > 0 ? units[k - 1] : '';
    const next = k + 1 < units.length ? units[k + 1] : '';
    if (u === '.' && DIGIT.test(prev) && DIGIT.test(next)) continue;
    if (u === ',' && DIGIT.test(prev) && DIGIT.test(next)) units[k] = '';
    else if (APOSTROPHES.has(u) && LETTER.test(prev) && LETTER.test(next)) units[k] = '';
    else units[k] = ' ';
  }
}
