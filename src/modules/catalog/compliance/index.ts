/** Public surface of listing compliance; re-export from the catalog module's index.ts. */
export { reviewListing, decide } from './review-listing.ts';
export { stripHtml, stripHtmlMapped, normalizeForMatch, originalSpan } from './normalize.ts';
export type { MappedText, NormalizeOptions } from './normalize.ts';
export {
  WORD_LISTS,
  ABSOLUTE_CLAIM_WORDS,
  MEDICAL_CLAIM_WORDS,
  PROHIBITED_ITEM_WORDS,
  COUNTERFEIT_HINT_WORDS,
  COUNTERFEIT_CONTEXT_WORDS,
  COMPATIBILITY_MARKERS,
  NO_BRAND_VALUES,
} from './word-lists.ts';
export { CONTACT_PATTERNS } from './text-checks.ts';
export { TITLE_MIN_CHARS, TITLE_MAX_CHARS, STUFFING_MIN_REPEATS } from './title-checks.ts';
export { SKU_PRICE_OUTLIER_FACTOR } from './price-checks.ts';
export type * from './compliance.types.ts';
