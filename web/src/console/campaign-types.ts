/** Wire shapes of the console's campaign API (src/http/routes/campaigns.schemas.ts). */
export type Phase = 'scheduled' | 'registration' | 'review' | 'warmup' | 'selling' | 'ended';
export const PHASES: Phase[] = ['scheduled', 'registration', 'review', 'warmup', 'selling', 'ended'];
export type ThresholdRule = { kind: 'tiers'; tiers: { threshold_minor: number; off_minor: number }[] } | { kind: 'every'; step_minor: number; off_minor: number; cap_minor?: number };
export interface Section { key: string; title: string; kind: 'category' | 'theme'; category_ids?: string[]; product_ids?: string[] }
export interface Rules { store_types?: ('individual' | 'enterprise')[]; min_store_score?: number; category_ids?: string[]; min_discount_bp?: number; min_stock?: number }
export interface Threshold { name?: string; rule: ThresholdRule; funder?: 'platform' | 'merchant' | 'shared'; platform_share_bp?: number; stacks_with?: string[] }
export interface Campaign {
  id: string; name: string; description: string; phase: Phase; phase_label_zh: string; status: 'active' | 'cancelled';
  registration_start: string; review_start: string; warmup_start: string; selling_start: string; selling_end: string;
  rules: Rules; fee_rate_bp: number | null; threshold: Threshold | null; threshold_promotion_id: string | null; sections: Section[]; created_at: string; updated_at: string;
}
export interface Registration {
  id: string; campaign_id: string; store_id: string; product_id: string; sku_id: string; category_id: string; title: string; image: string | null;
  price_minor: number; low_30d_minor: number; campaign_price_minor: number; campaign_stock: number; sold: number;
  status: 'pending' | 'approved' | 'rejected' | 'withdrawn'; review_note: string | null; reviewed_at: string | null; created_at: string;
}
export interface ReviewResult { registration_id: string; ok: boolean; status?: string; code?: string; message?: string }
export interface Report {
  campaign_id: string; gmv_minor: number; goods_minor: number; orders: number; units: number; buyers: number; selling_stores: number; participating_stores: number; participating_items: number;
  discount: { total_minor: number; platform_minor: number; merchant_minor: number; campaign_offers_minor: number }; fee_income_minor: number;
  top_items: { sku_id: string; product_id: string; store_id: string; title: string; units: number; gmv_minor: number }[]; currency: 'CNY'; as_of: string;
}
export interface VenueItem { registration_id: string; product_id: string; title: string; image: string | null; price_minor: number; campaign_price_minor: number; sold_units: number }
export interface Venue { sections: { key: string; title: string; kind: string; items: VenueItem[] }[]; items: number; updated_at: string }
export interface Category { id: string; parent_id: string | null; code: string; name_zh: string; name_en: string; is_leaf: boolean }

/** Basis points as a percentage a person types ("1.5" → 150); null when empty or not a number in range. */
export function parsePercentBp(s: string, max = 100): number | null {
  const m = /^\s*(\d{1,3})(?:\.(\d{1,2}))?\s*$/.exec(s);
  if (!m) return null;
  const bp = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return bp <= max * 100 ? bp : null;
}
export const percent = (bp: number) => `${(bp / 100).toFixed(bp % 100 === 0 ? 0 : 2)}%`;
