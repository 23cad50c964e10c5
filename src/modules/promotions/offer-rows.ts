/**
 * Rows ↔ the engine's offer shapes, the views other code sees, and the Chinese labels
 * (满¥199减¥20, 8折, 每满¥50减¥5) shown on coupons and promotion badges.
 */
import { formatCny } from '../../lib/money.ts';
import type { Applicability, Coupon, Funder, ThresholdPromotion, ThresholdRule } from './pricing/index.ts';
import type { CouponRow, CouponTemplateRow, FlashSaleRow, OfferStatus, Scope, ThresholdRow } from './promotions.repo.ts';

export interface CouponTemplate {
  id: string;
  scope: Scope;
  store_id: string | null;
  name: string;
  kind: 'fixed' | 'threshold' | 'percent';
  off_minor: number | null;
  threshold_minor: number | null;
  pay_rate_bp: number | null;
  cap_minor: number | null;
  applies_to: Applicability;
  funder: Funder;
  platform_share_bp: number | null;
  stacking_group: string | null;
  stacks_with: string[] | null;
  campaign_id: string | null;
  valid_from_ms: number;
  valid_to_ms: number;
  valid_days: number | null;
  claim_from_ms: number;
  claim_to_ms: number;
  total_quantity: number;
  claimed: number;
  remaining: number;
  per_buyer_limit: number;
  status: OfferStatus;
  label_zh: string;
  created_at: number;
  updated_at: number;
}

export type WalletState = 'usable' | 'used' | 'expired';

/** A coupon in a buyer's wallet: its own validity, the template's terms. */
export interface WalletCoupon {
  id: string;
  template_id: string;
  name: string;
  scope: Scope;
  store_id: string | null;
  kind: CouponTemplate['kind'];
  off_minor: number | null;
  threshold_minor: number | null;
  pay_rate_bp: number | null;
  cap_minor: number | null;
  applies_to: Applicability;
  label_zh: string;
  state: WalletState;
  valid_from_ms: number;
  valid_to_ms: number;
  claimed_at: number;
  used_at: number | null;
}

export interface ThresholdPromotionView {
  id: string;
  scope: Scope;
  store_id: string | null;
  name: string;
  rule: ThresholdRule;
  applies_to: Applicability;
  funder: Funder;
  platform_share_bp: number | null;
  stacking_group: string | null;
  stacks_with: string[] | null;
  campaign_id: string | null;
  valid_from_ms: number;
  valid_to_ms: number;
  status: OfferStatus;
  label_zh: string;
  created_at: number;
  updated_at: number;
}

export type FlashPhase = 'upcoming' | 'running' | 'ended' | 'stopped';
export type FlashSale = Omit<FlashSaleRow, 'created_by'> & { stock_left: number; phase: FlashPhase };

/** ¥199 rather than ¥199.00 on badges. */
const y = (fen: number) => formatCny(fen).replace(/\.00$/, '');
const zhe = (bp: number) => `${String(bp / 1000).replace(/\.?0+$/, '')}折`;

export function couponLabel(t: Pick<CouponTemplateRow, 'kind' | 'off_minor' | 'threshold_minor' | 'pay_rate_bp' | 'cap_minor'>): string {
  if (t.kind === 'fixed') return `无门槛减${y(t.off_minor ?? 0)}`;
  if (t.kind === 'threshold') return `满${y(t.threshold_minor ?? 0)}减${y(t.off_minor ?? 0)}`;
  const head = t.threshold_minor ? `满${y(t.threshold_minor)}打${zhe(t.pay_rate_bp ?? 0)}` : zhe(t.pay_rate_bp ?? 0);
  return t.cap_minor ? `${head}，最高减${y(t.cap_minor)}` : head;
}

export function ruleLabel(r: ThresholdRule): string {
  if (r.kind === 'every') return `每满${y(r.step_minor)}减${y(r.off_minor)}${r.cap_minor ? `，封顶${y(r.cap_minor)}` : ''}`;
  return r.tiers.map((t) => `满${y(t.threshold_minor)}减${y(t.off_minor)}`).join('，');
}

const json = <T>(s: string | null): T | null => (s === null ? null : (JSON.parse(s) as T));

export const toTemplate = (r: CouponTemplateRow): CouponTemplate => ({
  id: r.id, scope: r.scope, store_id: r.store_id, name: r.name, kind: r.kind, off_minor: r.off_minor, threshold_minor: r.threshold_minor, pay_rate_bp: r.pay_rate_bp,
  cap_minor: r.cap_minor, applies_to: JSON.parse(r.applies_to), funder: r.funder, platform_share_bp: r.platform_share_bp, stacking_group: r.stacking_group,
  stacks_with: json<string[]>(r.stacks_with), campaign_id: r.campaign_id, valid_from_ms: r.valid_from_ms, valid_to_ms: r.valid_to_ms, valid_days: r.valid_days,
  claim_from_ms: r.claim_from_ms, claim_to_ms: r.claim_to_ms, total_quantity: r.total_quantity, claimed: r.claimed, remaining: Math.max(0, r.total_quantity - r.claimed),
  per_buyer_limit: r.per_buyer_limit, status: r.status, label_zh: couponLabel(r), created_at: r.created_at, updated_at: r.updated_at,
});

export function walletState(c: Pick<CouponRow, 'status' | 'valid_to_ms'>, now: number): WalletState {
  if (c.status === 'used') return 'used';
  return c.valid_to_ms <= now ? 'expired' : 'usable';
}

export const toWalletCoupon = (c: CouponRow, t: CouponTemplateRow, now: number): WalletCoupon => ({
  id: c.id, template_id: t.id, name: t.name, scope: t.scope, store_id: t.store_id, kind: t.kind, off_minor: t.off_minor, threshold_minor: t.threshold_minor,
  pay_rate_bp: t.pay_rate_bp, cap_minor: t.cap_minor, applies_to: JSON.parse(t.applies_to), label_zh: couponLabel(t), state: walletState(c, now),
  valid_from_ms: c.valid_from_ms, valid_to_ms: c.valid_to_ms, claimed_at: c.claimed_at, used_at: c.used_at,
});

export const toThreshold = (r: ThresholdRow): ThresholdPromotionView => {
  const rule = JSON.parse(r.rule) as ThresholdRule;
  return {
    id: r.id, scope: r.scope, store_id: r.store_id, name: r.name, rule, applies_to: JSON.parse(r.applies_to), funder: r.funder, platform_share_bp: r.platform_share_bp,
    stacking_group: r.stacking_group, stacks_with: json<string[]>(r.stacks_with), campaign_id: r.campaign_id, valid_from_ms: r.valid_from_ms, valid_to_ms: r.valid_to_ms,
    status: r.status, label_zh: ruleLabel(rule), created_at: r.created_at, updated_at: r.updated_at,
  };
};

export function toFlashSale({ created_by: _by, ...r }: FlashSaleRow, now: number): FlashSale {
  const phase: FlashPhase = r.status === 'stopped' ? 'stopped' : now < r.start_ms ? 'upcoming' : now < r.end_ms ? 'running' : 'ended';
  return { ...r, stock_left: Math.max(0, r.flash_stock - r.sold), phase };
}

/** Drops null optionals so the engine sees "absent", which is what its defaults key on. */
function stacking(r: { stacking_group: string | null; stacks_with: string | null; platform_share_bp: number | null; campaign_id: string | null }) {
  return {
    ...(r.stacking_group !== null ? { stacking_group: r.stacking_group } : {}),
    ...(r.stacks_with !== null ? { stacks_with: JSON.parse(r.stacks_with) as string[] } : {}),
    ...(r.platform_share_bp !== null ? { platform_share_bp: r.platform_share_bp } : {}),
    ...(r.campaign_id !== null ? { campaign_id: r.campaign_id } : {}),
  };
}

/** The engine's Coupon for a template's terms; the id and validity are the wallet coupon's. */
export function engineCoupon(t: CouponTemplateRow, id: string, window: { valid_from_ms: number; valid_to_ms: number }): Coupon {
  return {
    coupon_id: id, scope: t.scope, ...(t.store_id ? { store_id: t.store_id } : {}), kind: t.kind, funder: t.funder, ...stacking(t),
    ...(t.off_minor !== null ? { off_minor: t.off_minor } : {}), ...(t.threshold_minor !== null ? { threshold_minor: t.threshold_minor } : {}),
    ...(t.pay_rate_bp !== null ? { pay_rate_bp: t.pay_rate_bp } : {}), ...(t.cap_minor !== null ? { cap_minor: t.cap_minor } : {}),
    applies_to: JSON.parse(t.applies_to), valid_from_ms: window.valid_from_ms, valid_to_ms: window.valid_to_ms,
  };
}

export function enginePromotion(r: ThresholdRow): ThresholdPromotion {
  return {
    promotion_id: r.id, scope: r.scope, ...(r.store_id ? { store_id: r.store_id } : {}), rule: JSON.parse(r.rule), funder: r.funder, ...stacking(r),
    applies_to: JSON.parse(r.applies_to), valid_from_ms: r.valid_from_ms, valid_to_ms: r.valid_to_ms,
  };
}

/** Does an offer's applicability admit this product? (what the coupon list on a product page asks) */
export function admits(a: Applicability, p: { store_id: string; category_id: string; product_id: string }): boolean {
  const any = (list: readonly string[] | undefined, v: string) => !list || list.length === 0 || list.includes(v);
  return any(a.store_ids, p.store_id) && any(a.category_ids, p.category_id) && any(a.product_ids, p.product_id) && !(a.exclude_product_ids ?? []).includes(p.product_id);
}
