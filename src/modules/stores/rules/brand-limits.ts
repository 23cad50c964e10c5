import { ok } from '../../../lib/result.ts';
import { ruleFail, type RuleResult } from './rule-result.ts';
import type { BrandBadge } from './store-name.ts';

/**
 * Who may hold a brand badge, and for how long.
 *
 * - 品牌自营 (brand_owned): the trademark owner or a first-level *exclusive* licensee;
 *   at most 5 stores per brand across the platform, so buyers can tell the real shop.
 * - 品牌授权 (brand_authorized): a first-level licensee (licensed directly by the owner);
 *   at most 1 store per company per brand, so one distributor cannot flood search.
 * A badge lasts while the trademark and every link of the authorisation chain are in force;
 * `decideBrandBadge` returns the earliest of those expiries for the caller to schedule delisting.
 */

export interface BrandLimits {
  maxBrandOwnedStoresPerBrand: number;
  maxAuthorizedStoresPerCompanyPerBrand: number;
}
export const DEFAULT_BRAND_LIMITS: BrandLimits = { maxBrandOwnedStoresPerBrand: 5, maxAuthorizedStoresPerCompanyPerBrand: 1 };

export interface TrademarkRecord {
  /** 注册号 / 申请号 as printed on the certificate */
  registration_number: string;
  /** Nice classification, 1–45 */
  nice_class: number;
  /** R = registered (®), TM = application filed and accepted */
  status: 'R' | 'TM';
  valid_from_ms: number;
  valid_to_ms: number;
}

export type TrademarkFailCode =
  | 'trademark_registration_number'
  | 'trademark_nice_class'
  | 'trademark_status'
  | 'trademark_validity_window'
  | 'trademark_not_yet_valid'
  | 'trademark_expired';

export function validateTrademark(tm: TrademarkRecord, nowMs: number): RuleResult<{ expires_at_ms: number }, TrademarkFailCode> {
  if (!/^\d{1,12}$/.test(tm.registration_number)) {
    return ruleFail('trademark_registration_number', 'A trademark registration number is 1–12 digits.', '商标注册号应为1至12位数字。', {
      registration_number: tm.registration_number,
    });
  }
  if (!Number.isInteger(tm.nice_class) || tm.nice_class < 1 || tm.nice_class > 45) {
    return ruleFail('trademark_nice_class', 'The Nice class must be a whole number from 1 to 45.', '商标类别（尼斯分类）应为1至45的整数。', {
      nice_class: tm.nice_class,
    });
  }
  if (tm.status !== 'R' && tm.status !== 'TM') {
    return ruleFail('trademark_status', 'Trademark status must be R (registered) or TM (application accepted).', '商标状态须为R（已注册）或TM（已受理）。', {
      status: tm.status,
    });
  }
  if (!(tm.valid_from_ms < tm.valid_to_ms)) {
    return ruleFail('trademark_validity_window', 'The trademark validity must start before it ends.', '商标有效期的起始日期须早于截止日期。', {
      valid_from_ms: tm.valid_from_ms,
      valid_to_ms: tm.valid_to_ms,
    });
  }
  if (nowMs < tm.valid_from_ms) {
    return ruleFail('trademark_not_yet_valid', 'The trademark is not yet in force.', '商标尚未生效。', { valid_from_ms: tm.valid_from_ms });
  }
  if (nowMs >= tm.valid_to_ms) {
    return ruleFail('trademark_expired', 'The trademark has expired.', '商标已过期。', { valid_to_ms: tm.valid_to_ms });
  }
  return ok({ expires_at_ms: tm.valid_to_ms });
}

/** One grant in the chain: `licensor_id` authorises `licensee_id` (company ids). */
export interface AuthorizationLink {
  licensor_id: string;
  licensee_id: string;
  exclusive: boolean;
  valid_from_ms: number;
  valid_to_ms: number;
}

export interface ChainSummary {
  /** 0 = the holder is the owner; 1 = licensed directly by the owner; 2 = sub-licensee … */
  level: number;
  holder_id: string;
  /** exclusivity of the last grant; the owner counts as exclusive */
  exclusive: boolean;
  /** earliest valid_to_ms over the links; null for the owner (no links) */
  earliest_expiry_ms: number | null;
}

export type ChainFailCode = 'chain_not_from_owner' | 'chain_broken' | 'chain_cycle' | 'chain_link_window' | 'chain_link_not_yet_valid' | 'chain_link_expired';

/** Links run owner → level-1 licensee → level-2 …; every link must be in force at nowMs. */
export function validateAuthorizationChain(ownerId: string, links: readonly AuthorizationLink[], nowMs: number): RuleResult<ChainSummary, ChainFailCode> {
  if (links.length === 0) return ok({ level: 0, holder_id: ownerId, exclusive: true, earliest_expiry_ms: null });
  if (links[0].licensor_id !== ownerId) {
    return ruleFail('chain_not_from_owner', 'The authorisation chain must start with the trademark owner.', '授权链须从商标权利人开始。', {
      owner_id: ownerId,
      licensor_id: links[0].licensor_id,
    });
  }
  const seen = new Set([ownerId]);
  let earliest = Infinity;
  for (let i = 0; i < links.length; i++) {
    const link = links[i];
    const level = i + 1;
    if (i > 0 && link.licensor_id !== links[i - 1].licensee_id) {
      return ruleFail('chain_broken', `Authorisation level ${level} is not granted by the level ${i} licensee.`, `第${level}级授权的授权方不是第${i}级被授权方，授权链不连续。`, {
        level,
        expected_licensor_id: links[i - 1].licensee_id,
        licensor_id: link.licensor_id,
      });
    }
    if (seen.has(link.licensee_id)) {
      return ruleFail('chain_cycle', 'A company appears twice in the authorisation chain.', '授权链中同一主体出现了两次。', { level, licensee_id: link.licensee_id });
    }
    seen.add(link.licensee_id);
    if (!(link.valid_from_ms < link.valid_to_ms)) {
      return ruleFail('chain_link_window', `Authorisation level ${level} must start before it ends.`, `第${level}级授权的起始日期须早于截止日期。`, { level });
    }
    if (nowMs < link.valid_from_ms) {
      return ruleFail('chain_link_not_yet_valid', `Authorisation level ${level} is not yet in force.`, `第${level}级授权尚未生效。`, {
        level,
        valid_from_ms: link.valid_from_ms,
      });
    }
    if (nowMs >= link.valid_to_ms) {
      return ruleFail('chain_link_expired', `Authorisation level ${level} has expired.`, `第${level}级授权已过期。`, { level, valid_to_ms: link.valid_to_ms });
    }
    earliest = Math.min(earliest, link.valid_to_ms);
  }
  const last = links[links.length - 1];
  return ok({ level: links.length, holder_id: last.licensee_id, exclusive: last.exclusive, earliest_expiry_ms: earliest });
}

export interface BadgeCounts {
  /** stores other than the applicant's holding brand_owned for this brand, platform-wide */
  brandOwnedStoresForBrand: number;
  /** the company's other stores holding brand_authorized for this brand */
  companyAuthorizedStoresForBrand: number;
}

export type BadgeFailCode =
  | 'badge_owned_requires_owner_or_exclusive_licensee'
  | 'badge_authorized_requires_first_level_licensee'
  | 'badge_owned_brand_limit'
  | 'badge_authorized_company_limit';

/** Eligibility by relation to the owner (a chain summary) and by the counts; pure, no validity checks. */
export function checkBadgeEligibility(
  badge: BrandBadge,
  chain: Pick<ChainSummary, 'level' | 'exclusive'>,
  counts: BadgeCounts,
  limits: BrandLimits = DEFAULT_BRAND_LIMITS,
): RuleResult<null, BadgeFailCode> {
  if (badge === 'brand_owned') {
    if (!(chain.level === 0 || (chain.level === 1 && chain.exclusive))) {
      return ruleFail(
        'badge_owned_requires_owner_or_exclusive_licensee',
        'Brand-owned (品牌自营) is only for the trademark owner or a first-level exclusive licensee.',
        '品牌自营仅限商标权利人或一级独占授权方申请。',
        { level: chain.level, exclusive: chain.exclusive },
      );
    }
    if (counts.brandOwnedStoresForBrand >= limits.maxBrandOwnedStoresPerBrand) {
      return ruleFail(
        'badge_owned_brand_limit',
        `At most ${limits.maxBrandOwnedStoresPerBrand} stores on the platform may be brand-owned for one brand.`,
        `同一品牌在平台上最多${limits.maxBrandOwnedStoresPerBrand}家店铺可获得品牌自营标识。`,
        { current: counts.brandOwnedStoresForBrand, max: limits.maxBrandOwnedStoresPerBrand },
      );
    }
    return ok(null);
  }
  if (chain.level !== 1) {
    const isOwner = chain.level === 0;
    return ruleFail(
      'badge_authorized_requires_first_level_licensee',
      isOwner
        ? 'The trademark owner should apply for brand-owned (品牌自营), not brand-authorised.'
        : 'Brand-authorised (品牌授权) requires a licence granted directly by the trademark owner.',
      isOwner ? '商标权利人请申请品牌自营，而非品牌授权。' : '品牌授权须由商标权利人直接授权（一级授权）。',
      { level: chain.level },
    );
  }
  if (counts.companyAuthorizedStoresForBrand >= limits.maxAuthorizedStoresPerCompanyPerBrand) {
    return ruleFail(
      'badge_authorized_company_limit',
      `A company may hold brand-authorised status for one brand in at most ${limits.maxAuthorizedStoresPerCompanyPerBrand} store(s).`,
      `同一主体的同一品牌最多${limits.maxAuthorizedStoresPerCompanyPerBrand}家店铺可获得品牌授权标识。`,
      { current: counts.companyAuthorizedStoresForBrand, max: limits.maxAuthorizedStoresPerCompanyPerBrand },
    );
  }
  return ok(null);
}

export interface BadgeApplication {
  badge: BrandBadge;
  /** the company behind the applying store */
  applicantId: string;
  trademark: TrademarkRecord;
  trademarkOwnerId: string;
  links: readonly AuthorizationLink[];
  counts: BadgeCounts;
  nowMs: number;
}

export interface BadgeDecision {
  level: number;
  /** when the badge lapses: min(trademark validity, every link's validity) — schedule delisting here */
  expires_at_ms: number;
}

/** The whole check in one call: trademark in force, chain valid and ending at the applicant, eligibility, limits. */
export function decideBrandBadge(
  app: BadgeApplication,
  limits: BrandLimits = DEFAULT_BRAND_LIMITS,
): RuleResult<BadgeDecision, TrademarkFailCode | ChainFailCode | BadgeFailCode | 'chain_not_to_applicant'> {
  const tm = validateTrademark(app.trademark, app.nowMs);
  if (!tm.ok) return tm;
  const chain = validateAuthorizationChain(app.trademarkOwnerId, app.links, app.nowMs);
  if (!chain.ok) return chain;
  if (chain.value.holder_id !== app.applicantId) {
    return ruleFail('chain_not_to_applicant', 'The authorisation chain does not end with the applying company.', '授权链的最终被授权方不是申请主体。', {
      holder_id: chain.value.holder_id,
    });
  }
  const eligible = checkBadgeEligibility(app.badge, chain.value, app.counts, limits);
  if (!eligible.ok) return eligible;
  const expires_at_ms = Math.min(tm.value.expires_at_ms, chain.value.earliest_expiry_ms ?? Infinity);
  return ok({ level: chain.value.level, expires_at_ms });
}
