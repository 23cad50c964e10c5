import { ok } from '../../../lib/result.ts';
import { DAY_MS } from '../../../lib/clock.ts';
import { ruleFail, type RuleFail, type RuleResult } from './rule-result.ts';
import { displayForm, findWord, normalizeStoreName } from './name-text.ts';

export { normalizeStoreName } from './name-text.ts';

/**
 * Store naming rules. Checked in this order, first failure wins:
 *  1. no emoji, control, format (zero-width), private-use or line-separator characters;
 *  2. length 2–30 characters (code points, after trimming and NFKC);
 *  3. no banned word anywhere (case-insensitive, spacing/punctuation between characters ignored);
 *  4. by certification:
 *     - 品牌自营 (brand_owned):      <brand>[<owned suffix>]            e.g. 耐克官方旗舰店
 *     - 品牌授权 (brand_authorized): <brand><≥2 adjacent chars of the company's trade name><authorized suffix>
 *                                                                     e.g. 耐克星河专卖店
 *     - none: no reserved word (旗舰, 专卖, 官方 …) and no brand certified on the platform.
 * Uniqueness is the repository's job, on `normalizeStoreName`.
 */

export type BrandBadge = 'brand_owned' | 'brand_authorized';
export interface BrandCertification {
  badge: BrandBadge;
  brandNames: readonly string[];
}

export interface StoreNameInput {
  name: string;
  /** null when the store holds no brand certification */
  certification: BrandCertification | null;
  /** 字号 of the operating company, e.g. 星河 for 深圳市星河贸易有限公司 */
  tradeName: string;
  bannedWords: readonly string[];
  /** brand names certified to any store on the platform; off-limits to uncertified stores */
  protectedBrands?: readonly string[];
}

export interface StoreNamePolicy {
  minLength: number;
  maxLength: number;
  ownedSuffixes: readonly string[];
  authorizedSuffixes: readonly string[];
  reservedWords: readonly string[];
  /** adjacent trade-name characters a 品牌授权 name must carry */
  minTradeNameChars: number;
}

export const DEFAULT_STORE_NAME_POLICY: StoreNamePolicy = {
  minLength: 2,
  maxLength: 30,
  ownedSuffixes: ['官方旗舰店', '旗舰店', '官方店', '官方自营店', '自营店'],
  authorizedSuffixes: ['授权专卖店', '专卖店', '专营店', '授权店'],
  // Traditional forms are listed too: NFKC does not fold 旗艦 to 旗舰.
  reservedWords: [
    '旗舰', '专卖', '专营', '官方', '直营', '自营', '授权', '官方授权', '特许', '特许经营', '总代理', '总经销',
    '旗艦', '專賣', '專營', '直營', '授權', '總代理', '總經銷',
    'official', 'flagship', 'authorized', 'authorised',
  ],
  minTradeNameChars: 2,
};

export type StoreNameFailCode =
  | 'name_length'
  | 'name_has_emoji'
  | 'name_has_control_char'
  | 'name_uses_banned_word'
  | 'name_uses_reserved_word'
  | 'name_uses_protected_brand'
  | 'name_brand_missing'
  | 'name_suffix_not_allowed'
  | 'name_trade_name_missing';

export interface ValidStoreName {
  /** what to store and show */
  display_name: string;
  /** the unique key (normalizeStoreName) */
  unique_key: string;
}

const EMOJI = /\p{Extended_Pictographic}|\p{Regional_Indicator}|[\u{FE0F}\u{20E3}]/u;
// Cc controls, Cf format chars (zero-width space/joiner, bidi overrides), Co private use,
// Cs lone surrogates, Zl/Zp separators: invisible or unrenderable, and they defeat uniqueness.
const CONTROL = /[\p{Cc}\p{Cf}\p{Co}\p{Cs}\p{Zl}\p{Zp}]/u;

const codePoint = (ch: string) => 'U+' + ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');

export function validateStoreName(input: StoreNameInput, policy: StoreNamePolicy = DEFAULT_STORE_NAME_POLICY): RuleResult<ValidStoreName, StoreNameFailCode> {
  const raw = input.name.trim();
  for (const ch of raw) {
    if (EMOJI.test(ch)) {
      return ruleFail('name_has_emoji', 'Store names cannot contain emoji.', '店铺名称不能包含表情符号。', { char: ch, code_point: codePoint(ch) });
    }
    if (CONTROL.test(ch)) {
      return ruleFail('name_has_control_char', 'Store names cannot contain control or invisible characters.', '店铺名称不能包含控制字符或不可见字符。', {
        code_point: codePoint(ch),
      });
    }
  }
  const display = displayForm(raw);
  const length = [...display].length;
  if (length < policy.minLength || length > policy.maxLength) {
    return ruleFail(
      'name_length',
      `Store names must be ${policy.minLength}–${policy.maxLength} characters long.`,
      `店铺名称长度应为${policy.minLength}至${policy.maxLength}个字符。`,
      { length, min: policy.minLength, max: policy.maxLength },
    );
  }
  const banned = findWord(display, input.bannedWords);
  if (banned) {
    return ruleFail('name_uses_banned_word', `The store name contains the prohibited word "${banned.word}".`, `店铺名称包含禁用词“${banned.word}”。`, banned);
  }
  const failure = input.certification ? checkCertifiedName(display, input.certification, input.tradeName, policy) : checkPlainName(display, input, policy);
  return failure ?? ok({ display_name: display, unique_key: normalizeStoreName(display) });
}

function checkPlainName(display: string, input: StoreNameInput, policy: StoreNamePolicy): RuleFail<StoreNameFailCode> | null {
  const reserved = findWord(display, policy.reservedWords);
  if (reserved) {
    return ruleFail(
      'name_uses_reserved_word',
      `"${reserved.word}" may only be used by stores with brand certification.`,
      `“${reserved.word}”仅限通过品牌认证的店铺使用。`,
      reserved,
    );
  }
  const brand = findWord(display, input.protectedBrands ?? [], { wholeWord: true });
  if (brand) {
    return ruleFail(
      'name_uses_protected_brand',
      `"${brand.word}" is a certified brand; only stores certified for it may use it in their name.`,
      `“${brand.word}”为已认证品牌，仅获得该品牌认证的店铺可在名称中使用。`,
      { brand: brand.word, matched: brand.matched },
    );
  }
  return null;
}

function checkCertifiedName(display: string, cert: BrandCertification, tradeName: string, policy: StoreNamePolicy): RuleFail<StoreNameFailCode> | null {
  const key = normalizeStoreName(display);
  const brands = [...cert.brandNames].sort((a, b) => normalizeStoreName(b).length - normalizeStoreName(a).length);
  let firstFailure: RuleFail<StoreNameFailCode> | null = null;
  for (const brand of brands) {
    const brandKey = normalizeStoreName(brand);
    if (!brandKey || !key.startsWith(brandKey)) continue;
    const rest = key.slice(brandKey.length).trim();
    const failure = cert.badge === 'brand_owned' ? checkOwnedRest(rest, policy) : checkAuthorizedRest(rest, tradeName, policy);
    if (!failure) return null;
    firstFailure ??= failure;
  }
  return (
    firstFailure ??
    ruleFail(
      'name_brand_missing',
      `A brand-certified store name must begin with its certified brand (${cert.brandNames.join(', ')}).`,
      `品牌认证店铺的名称须以认证品牌开头（${cert.brandNames.join('、')}）。`,
      { brands: cert.brandNames },
    )
  );
}

function checkOwnedRest(rest: string, policy: StoreNamePolicy): RuleFail<StoreNameFailCode> | null {
  if (rest === '' || policy.ownedSuffixes.some((s) => normalizeStoreName(s) === rest)) return null;
  return suffixNotAllowed('brand_owned', rest, policy.ownedSuffixes);
}

function checkAuthorizedRest(rest: string, tradeName: string, policy: StoreNamePolicy): RuleFail<StoreNameFailCode> | null {
  const suffix = policy.authorizedSuffixes
    .map((s) => normalizeStoreName(s))
    .sort((a, b) => b.length - a.length)
    .find((s) => rest.endsWith(s));
  if (suffix === undefined) return suffixNotAllowed('brand_authorized', rest, policy.authorizedSuffixes);
  const middle = rest.slice(0, rest.length - suffix.length).trim();
  const trade = normalizeStoreName(tradeName);
  if ([...middle].length >= policy.minTradeNameChars && trade.includes(middle)) return null;
  return ruleFail(
    'name_trade_name_missing',
    `A brand-authorised store name must put at least ${policy.minTradeNameChars} adjacent characters of the company's trade name "${tradeName}" between the brand and the suffix.`,
    `品牌授权店铺名称须在品牌与后缀之间包含企业字号“${tradeName}”中至少${policy.minTradeNameChars}个连续的字。`,
    { trade_name: tradeName, found: middle, min_chars: policy.minTradeNameChars },
  );
}

function suffixNotAllowed(badge: BrandBadge, rest: string, allowed: readonly string[]): RuleFail<StoreNameFailCode> {
  const label = badge === 'brand_owned' ? 'brand-owned' : 'brand-authorised';
  const labelZh = badge === 'brand_owned' ? '品牌自营' : '品牌授权';
  return ruleFail(
    'name_suffix_not_allowed',
    `A ${label} store name must end with one of: ${allowed.join(', ')}${badge === 'brand_owned' ? ' (or the brand alone)' : ''}.`,
    `${labelZh}店铺名称须以下列后缀结尾：${allowed.join('、')}${badge === 'brand_owned' ? '（或仅使用品牌名）' : ''}。`,
    { badge, found: rest, allowed },
  );
}

export interface RenamePolicy {
  maxRenames: number;
  periodMs: number;
}

export const DEFAULT_RENAME_POLICY: RenamePolicy = { maxRenames: 2, periodMs: 365 * DAY_MS };

/**
 * At most `maxRenames` renames in any rolling `periodMs`. When blocked, details carry
 * `next_allowed_at_ms`: the moment enough past renames have aged out of the window.
 */
export function renameAllowed(
  history: readonly number[],
  nowMs: number,
  policy: RenamePolicy = DEFAULT_RENAME_POLICY,
): RuleResult<{ remaining: number }, 'rename_limit_reached'> {
  if (!Number.isSafeInteger(policy.maxRenames) || policy.maxRenames < 1) throw new Error(`maxRenames must be a positive integer, got ${policy.maxRenames}`);
  const windowStart = nowMs - policy.periodMs;
  // Renames stamped after nowMs (clock skew between servers) still count.
  const recent = history.filter((t) => t > windowStart).sort((a, b) => a - b);
  if (recent.length < policy.maxRenames) return ok({ remaining: policy.maxRenames - recent.length });
  const next_allowed_at_ms = recent[recent.length - policy.maxRenames] + policy.periodMs;
  const days = Math.round(policy.periodMs / DAY_MS);
  return ruleFail(
    'rename_limit_reached',
    `A store can be renamed at most ${policy.maxRenames} times in ${days} days.`,
    `店铺名称${days}天内最多可修改${policy.maxRenames}次。`,
    { next_allowed_at_ms, max_renames: policy.maxRenames, period_ms: policy.periodMs },
  );
}
