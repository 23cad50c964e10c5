/**
 * Eligibility rules (报名门槛) as data, configured per campaign, and the automatic check of a
 * SKU registration against them. Every failed rule comes back explained in Chinese and English,
 * all at once, so a merchant can fix everything in one go. Pure: the facts come in.
 */
import { formatCny } from '../../lib/money.ts';

export interface EligibilityRules {
  /** Store subject types allowed (individual 个体, enterprise 企业); empty/absent = any. */
  store_types?: ('individual' | 'enterprise')[];
  /** Minimum store score (店铺体验分, 0–100). */
  min_store_score?: number;
  /** Leaf categories (or their parents) allowed; empty/absent = any. */
  category_ids?: string[];
  /** The campaign price must be at least this much below the lowest price of the last 30 days (basis points, 500 = 5%). */
  min_discount_bp?: number;
  /** Minimum campaign stock per SKU. */
  min_stock?: number;
}

export interface RegistrationFacts {
  store: { subject_type: string; score: number; may_sell: boolean };
  sku: { on_sale: boolean; category_id: string; parent_category_id: string | null; price_minor: number };
  /** Lowest price in the last 30 days including today's (what "real discount" is measured against). */
  low_30d_minor: number;
  /** Units available now (on hand − held). */
  available: number;
  campaign_price_minor: number;
  campaign_stock: number;
  /** Units one buyer may get at the campaign price over the campaign; null/absent = no limit. */
  limit_per_buyer?: number | null;
}

export interface Problem {
  code: string;
  message: string;
  message_zh: string;
  details?: Record<string, unknown>;
}

/** The most a campaign price may be for the rules' minimum discount: ⌊low × (10000 − bp) / 10000⌋. */
export function maxCampaignPrice(low30d: number, minDiscountBp: number): number {
  return Math.floor((low30d * (10_000 - minDiscountBp)) / 10_000);
}

const pct = (bp: number) => `${(bp / 100).toFixed(bp % 100 === 0 ? 0 : 1)}%`;

export function registrationProblems(rules: EligibilityRules, f: RegistrationFacts): Problem[] {
  const out: Problem[] = [];
  if (!f.store.may_sell) out.push({ code: 'store_not_open', message: 'the store is not open for selling', message_zh: '店铺当前不可经营' });
  if (rules.store_types?.length && !rules.store_types.includes(f.store.subject_type as 'individual')) {
    out.push({ code: 'store_type_not_allowed', message: `only ${rules.store_types.join(' / ')} stores may join`, message_zh: `仅限${rules.store_types.map((s) => (s === 'enterprise' ? '企业' : '个体工商户')).join('、')}店铺报名`, details: { allowed: rules.store_types, store_type: f.store.subject_type } });
  }
  if (rules.min_store_score !== undefined && f.store.score < rules.min_store_score) {
    out.push({ code: 'store_score_too_low', message: `a store score of at least ${rules.min_store_score} is required (yours: ${f.store.score})`, message_zh: `店铺体验分须不低于${rules.min_store_score}分（当前${f.store.score}分）`, details: { min_store_score: rules.min_store_score, score: f.store.score } });
  }
  if (!f.sku.on_sale) out.push({ code: 'sku_not_on_sale', message: 'the product must be live and the SKU active', message_zh: '商品须在售且规格已启用' });
  if (rules.category_ids?.length && !rules.category_ids.includes(f.sku.category_id) && !(f.sku.parent_category_id && rules.category_ids.includes(f.sku.parent_category_id))) {
    out.push({ code: 'category_not_allowed', message: 'this category is not part of the campaign', message_zh: '该类目不在本次活动招商范围内', details: { category_id: f.sku.category_id, allowed: rules.category_ids } });
  }
  if (!(Number.isSafeInteger(f.campaign_price_minor) && f.campaign_price_minor >= 1)) {
    out.push({ code: 'invalid_campaign_price', message: 'the campaign price must be at least ¥0.01', message_zh: '活动价须不低于0.01元' });
  } else {
    const fake = discountProblem(f.campaign_price_minor, f.low_30d_minor, rules.min_discount_bp ?? 0);
    if (fake) out.push(fake);
  }
  if (!(Number.isSafeInteger(f.campaign_stock) && f.campaign_stock >= 1)) {
    out.push({ code: 'invalid_campaign_stock', message: 'campaign stock must be at least 1', message_zh: '活动库存至少为1件' });
  } else {
    if (rules.min_stock !== undefined && f.campaign_stock < rules.min_stock) {
      out.push({ code: 'stock_below_minimum', message: `at least ${rules.min_stock} units of campaign stock are required`, message_zh: `活动库存须不少于${rules.min_stock}件`, details: { min_stock: rules.min_stock, campaign_stock: f.campaign_stock } });
    }
    if (f.campaign_stock > f.available) {
      out.push({ code: 'stock_exceeds_available', message: `campaign stock (${f.campaign_stock}) exceeds the SKU's available stock (${f.available})`, message_zh: `活动库存（${f.campaign_stock}件）超过商品可售库存（${f.available}件）`, details: { available: f.available, campaign_stock: f.campaign_stock } });
    }
  }
  if (f.limit_per_buyer !== undefined && f.limit_per_buyer !== null && !(Number.isSafeInteger(f.limit_per_buyer) && f.limit_per_buyer >= 1)) {
    out.push({ code: 'invalid_limit_per_buyer', message: 'the per-buyer limit at the campaign price is at least 1 unit', message_zh: '活动价每人限购数量至少为1件' });
  }
  return out;
}

/**
 * "Real discount": the campaign price at most ⌊low × (1 − min_discount)⌋ (below the low when no
 * minimum is set) — checked at registration and again when an operator approves (the low may
 * have dropped meanwhile). Null when it is a real discount.
 */
export function discountProblem(campaignPriceMinor: number, low30dMinor: number, minDiscountBp: number): Problem | null {
  const bp = minDiscountBp;
  const ceiling = bp > 0 ? maxCampaignPrice(low30dMinor, bp) : low30dMinor - 1;
  if (campaignPriceMinor <= ceiling) return null;
  return {
    code: 'discount_not_real',
    message: `the campaign price ${formatCny(campaignPriceMinor)} must be at least ${pct(bp)} below the lowest price of the last 30 days (${formatCny(low30dMinor)}): at most ${formatCny(Math.max(0, ceiling))}`,
    message_zh: `活动价${formatCny(campaignPriceMinor)}须比近30天最低价${formatCny(low30dMinor)}${bp > 0 ? `至少低${pct(bp)}` : '更低'}，即不高于${formatCny(Math.max(0, ceiling))}`,
    details: { campaign_price_minor: campaignPriceMinor, low_30d_minor: low30dMinor, min_discount_bp: bp, max_campaign_price_minor: Math.max(0, ceiling) },
  };
}

/** Rules an operator may save: sane numbers, nothing else. */
export function rulesProblems(r: EligibilityRules): Problem[] {
  const out: Problem[] = [];
  if (r.min_store_score !== undefined && !(r.min_store_score >= 0 && r.min_store_score <= 100)) out.push({ code: 'invalid_min_store_score', message: 'min_store_score is 0–100', message_zh: '店铺体验分门槛须在0–100之间' });
  if (r.min_discount_bp !== undefined && !(Number.isSafeInteger(r.min_discount_bp) && r.min_discount_bp >= 0 && r.min_discount_bp < 10_000)) out.push({ code: 'invalid_min_discount', message: 'min_discount_bp is 0–9999', message_zh: '最低降价幅度须在0–99.99%之间' });
  if (r.min_stock !== undefined && !(Number.isSafeInteger(r.min_stock) && r.min_stock >= 1)) out.push({ code: 'invalid_min_stock', message: 'min_stock is at least 1', message_zh: '最低活动库存至少为1件' });
  return out;
}
