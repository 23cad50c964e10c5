/**
 * Brand rules. A store may only sell a brand it is certified for (authorisation letter or
 * trademark on file). Another brand's name in the title is either an accessory's
 * compatibility note ("适用于iPhone"), plain traffic-riding (review), or, next to words like
 * 同款/平替, a counterfeit signal (block).
 */
import type { Finding, KnownBrand, ListingInput } from './compliance.types.ts';
import { normalizePhrase } from './normalize.ts';
import { compileWordList, findWords, type CompiledWordList, type WordHit } from './phrase-match.ts';
import type { TextField } from './text-checks.ts';
import { COMPATIBILITY_MARKERS, NO_BRAND_VALUES } from './word-lists.ts';

/** How far before a brand name (normalised characters) a compatibility marker may end. */
const COMPAT_WINDOW = 4;

/** Maps any spelling of a brand to one key so "耐克", "NIKE" and "Nike" are the same brand. */
export class BrandIndex {
  private readonly keyByName = new Map<string, string>();
  /** Every spelling, for finding mentions in text. */
  readonly spellings: string[] = [];

  constructor(known: readonly KnownBrand[], extraNames: readonly string[]) {
    known.forEach((b, i) => {
      for (const name of [b.name, ...(b.aliases ?? [])]) this.add(name, `known:${i}`);
    });
    for (const name of extraNames) this.add(name, `name:${normalizePhrase(name)}`);
  }

  private add(name: string, key: string): void {
    const norm = normalizePhrase(name);
    if (norm === '' || this.keyByName.has(norm)) return;
    this.keyByName.set(norm, key);
    this.spellings.push(name);
  }

  key(name: string): string {
    const norm = normalizePhrase(name);
    return this.keyByName.get(norm) ?? `name:${norm}`;
  }
}

const NO_BRAND = new Set(NO_BRAND_VALUES.map(normalizePhrase));

/** The listing's brand, or null when absent or a "no brand" placeholder. */
export function effectiveBrand(brand: string | null): string | null {
  if (brand === null) return null;
  const norm = normalizePhrase(brand);
  return norm === '' || NO_BRAND.has(norm) ? null : brand;
}

export function checkBrandCertified(input: ListingInput, index: BrandIndex): Finding[] {
  const brand = effectiveBrand(input.brand);
  if (brand === null) return [];
  const certified = new Set(input.store_certified_brands.map((b) => index.key(b)));
  if (certified.has(index.key(brand))) return [];
  return [{
    code: 'brand_not_certified', severity: 'block', field: 'brand',
    message: `The store is not certified to sell the brand "${brand}"`,
    message_zh: `店铺未获得品牌「${brand}」的授权`,
    details: { brand },
  }];
}

/**
 * Other brands named in the title. `context` is the compiled counterfeit-context list
 * (同款, 平替 …); any such word anywhere in the title turns a mention into a block.
 */
export function checkBrandMentions(
  input: ListingInput,
  title: TextField,
  index: BrandIndex,
  context: CompiledWordList,
): Finding[] {
  const brand = effectiveBrand(input.brand);
  const ownKey = brand === null ? null : index.key(brand);
  const brandList = compileWordList({ banned: index.spellings, allowed: [] });
  const mentions = findWords(title.original, title.tight, brandList).filter((h) => index.key(h.word) !== ownKey);
  if (mentions.length === 0) return [];
  const hints = findWords(title.original, title.tight, context);
  const findings: Finding[] = [];
  const reported = new Set<string>();
  for (const m of mentions) {
    const key = index.key(m.word);
    if (reported.has(key)) continue;
    reported.add(key);
    findings.push(mentionFinding(title, m, hints));
  }
  return findings;
}

function mentionFinding(title: TextField, m: WordHit, hints: readonly WordHit[]): Finding {
  const mention = { start: m.start, end: m.end, text: m.text };
  if (hints.length > 0) {
    const hintSpans = hints.map((h) => ({ word: h.word, start: h.start, end: h.end, text: h.text }));
    return {
      code: 'counterfeit_brand_reference', severity: 'block', field: title.field,
      message: `Title names the brand "${m.word}" together with "${hints[0].word}", a counterfeit signal`,
      message_zh: `标题中「${m.word}」与「${hints[0].word}」同时出现，涉嫌假冒或蹭品牌`,
      details: { brand: m.word, matches: [mention], hints: hintSpans },
    };
  }
  if (isCompatibilityMention(title, m)) {
    return {
      code: 'compatibility_brand_mention', severity: 'info', field: title.field,
      message: `Title names "${m.word}" as a compatible product`,
      message_zh: `标题以适用/兼容方式提及品牌「${m.word}」`,
      details: { brand: m.word, matches: [mention] },
    };
  }
  return {
    code: 'foreign_brand_mention', severity: 'review', field: title.field,
    message: `Title names the brand "${m.word}", which is not this listing's brand`,
    message_zh: `标题提及非本商品品牌「${m.word}」`,
    details: { brand: m.word, matches: [mention] },
  };
}

function isCompatibilityMention(title: TextField, m: WordHit): boolean {
  return COMPATIBILITY_MARKERS.some((marker) => {
    const norm = normalizePhrase(marker);
    return title.tight.text.slice(Math.max(0, m.from - COMPAT_WINDOW - norm.length), m.from).includes(norm);
  });
}
