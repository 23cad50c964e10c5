/**
 * A small, conservative English stemmer (a light cut of Porter's step 1 plus final-e removal).
 *
 * Stems are index terms, not words: 'shoes' and 'shoe' both become 'sho', 'running' and 'run'
 * become 'run', 'charging' and 'charge' become 'charg'. What matters is that the indexer and
 * the query parser call the same function. Changing the rules means re-indexing.
 *
 * Words of three letters or fewer, and anything that is not all a–z, pass through untouched
 * (model codes, numbers, other scripts).
 */

const VOWEL = /[aeiouy]/;
const LOWER_ASCII = /^[a-z]+$/;

export function stem(word: string): string {
  if (word.length <= 3 || !LOWER_ASCII.test(word)) return word;
  let w = stripPlural(word);
  w = stripVerbSuffix(w);
  return stripFinalE(w);
}

function stripPlural(w: string): string {
  if (w.endsWith('ies') && w.length > 4) return w.slice(0, -3) + 'y'; // batteries → battery
  if (w.endsWith('sses')) return w.slice(0, -2); // dresses → dress
  if (/(?:ch|sh|x|z)es$/.test(w)) return w.slice(0, -2); // watches → watch, boxes → box
  if (w.endsWith('ss') || w.endsWith('us') || w.endsWith('is')) return w; // glass, bus, iris
  if (w.endsWith('s')) return w.slice(0, -1); // shoes → shoe, phones → phone
  return w;
}

function stripVerbSuffix(w: string): string {
  if (w.endsWith('eed')) return w; // speed, need, feed
  for (const suffix of ['ing', 'ed']) {
    if (!w.endsWith(suffix)) continue;
    const base = w.slice(0, -suffix.length);
    if (base.length < 3 || !VOWEL.test(base)) return w; // ring, bed, red
    return undouble(base);
  }
  return w;
}

/** running → runn → run; but keep ll, ss, zz (filled → fill, dressed → dress). */
function undouble(w: string): string {
  const last = w[w.length - 1];
  if (w.length >= 3 && last === w[w.length - 2] && !'aeiouylsz'.includes(last)) return w.slice(0, -1);
  return w;
}

/** phone → phon, so that phone/phones/phoned meet; keep 'ee' (free, tee). */
function stripFinalE(w: string): string {
  if (w.length > 3 && w.endsWith('e') && !w.endsWith('ee')) return w.slice(0, -1);
  return w;
}
