/**
 * Types for listing compliance review. Pure data: the caller loads the listing, the category's
 * rules and the store's qualifications/brands, and persists the result.
 */

export type Severity = 'block' | 'review' | 'info';
export type Decision = 'pass' | 'review' | 'reject';

export type FindingCode =
  // text content
  | 'absolute_claim'
  | 'medical_claim'
  | 'prohibited_item'
  | 'counterfeit_hint'
  | 'contact_info'
  // title
  | 'title_too_short'
  | 'title_too_long'
  | 'keyword_stuffing'
  // category requirements
  | 'missing_required_attribute'
  | 'invalid_enum_attribute'
  | 'invalid_number_attribute'
  | 'missing_qualification'
  // brand
  | 'brand_not_certified'
  | 'counterfeit_brand_reference'
  | 'foreign_brand_mention'
  | 'compatibility_brand_mention'
  // price
  | 'no_skus'
  | 'non_positive_price'
  | 'fake_strikethrough_price'
  | 'strikethrough_equals_price'
  | 'discount_above_recent_low'
  | 'sku_price_outlier';

export interface Finding {
  readonly code: FindingCode;
  readonly severity: Severity;
  /** Path of the offending input, e.g. 'title', 'attributes.brand', 'skus[2].price_minor'. */
  readonly field: string;
  readonly message: string;
  readonly message_zh: string;
  readonly details: Readonly<Record<string, unknown>>;
}

/**
 * Where a word was found, as UTF-16 offsets into the field exactly as submitted
 * (for `description`: into the raw HTML), so `value.slice(start, end) === text`.
 */
export interface TextSpan {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export interface ReviewResult {
  readonly decision: Decision;
  /** Sorted block → review → info; stable within a severity. */
  readonly findings: readonly Finding[];
}

export interface RequiredAttribute {
  readonly key: string;
  readonly label_zh: string;
  readonly type: 'text' | 'enum' | 'number';
  /** Required when type is 'enum'. */
  readonly options?: readonly string[];
}

export interface CategoryRules {
  readonly required_attributes: readonly RequiredAttribute[];
  /** Qualification codes, e.g. 'food_business_licence'. */
  readonly required_qualifications: readonly string[];
  /** True for medical/pharmacy/health-food categories: skips the efficacy-claim check. */
  readonly allows_efficacy_claims?: boolean;
}

export interface SkuInput {
  readonly spec: Readonly<Record<string, string>>;
  readonly price_minor: number;
  /** The strikethrough "original" price, if shown. */
  readonly list_price_minor?: number | null;
  /** Lowest price in the last 30 days, if known. */
  readonly recent_low_price_minor?: number | null;
}

export interface ListingInput {
  readonly title: string;
  readonly subtitle?: string | null;
  /** Plain text or HTML; tags are stripped before matching. */
  readonly description: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly brand: string | null;
  readonly category: CategoryRules;
  readonly store_qualifications: readonly string[];
  readonly store_certified_brands: readonly string[];
  readonly skus: readonly SkuInput[];
}

export type WordListName =
  | 'absolute_claim'
  | 'medical_claim'
  | 'prohibited_item'
  | 'counterfeit_hint'
  | 'counterfeit_context';

export interface WordList {
  /** Phrases that trigger the check. */
  readonly banned: readonly string[];
  /** Phrases that legitimately contain a banned phrase; a hit inside one of these is ignored. */
  readonly allowed: readonly string[];
}

export interface KnownBrand {
  readonly name: string;
  /** Other spellings of the same brand, e.g. Chinese name, abbreviations. */
  readonly aliases?: readonly string[];
}

export interface ReviewRules {
  /** Appended to the default list of that name (platform-wide or per-category additions). */
  readonly extraBannedWords?: Partial<Record<WordListName, readonly string[]>>;
  /** Appended to the allow-list; an entry equal to a banned word disables that word. */
  readonly extraAllowedPhrases?: Partial<Record<WordListName, readonly string[]>>;
  /** Well-known brands whose names in a title need the listing to be of that brand. */
  readonly knownBrands?: readonly KnownBrand[];
}
