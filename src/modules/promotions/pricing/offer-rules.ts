/**
 * Structural checks of coupons and threshold promotions. The promotions service runs them
 * (with the policy) when a merchant or operator creates an offer; the engine runs them
 * (without the policy caps) on every offer it is handed and ignores — with a reason — the
 * ones that are broken, rather than crashing a checkout over one bad row.
 */
import { formatCny } from '../../../lib/money.ts';
import type { Coupon, Funding, PricingPolicy, ThresholdPromotion } from './pricing.types.ts';

export interface Problem {
  code: string;
  message: string;
  message_zh: string;
  details?: Record<string, unknown>;
}

const isFen = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
const isPos = (n: unknown): n is number => isFen(n) && n > 0;

function common(o: Funding & { scope: string; store_id?: string; valid_from_ms: number; valid_to_ms: number }, add: (p: Problem) => void): void {
  if (o.scope === 'store' && !o.store_id) add({ code: 'store_id_required', message: 'a store-scoped offer needs store_id', message_zh: '店铺优惠须指定店铺' });
  if (!(Number.isSafeInteger(o.valid_from_ms) && Number.isSafeInteger(o.valid_to_ms) && o.valid_from_ms < o.valid_to_ms)) {
    add({ code: 'invalid_window', message: 'valid_from_ms must be before valid_to_ms', message_zh: '有效期开始时间须早于结束时间' });
  }
  if (o.funder === 'shared' && !(Number.isSafeInteger(o.platform_share_bp) && o.platform_share_bp! >= 0 && o.platform_share_bp! <= 10000)) {
    add({ code: 'invalid_share', message: 'a shared offer needs platform_share_bp in 0..10000', message_zh: '共同出资须设置平台承担比例（0–10000基点）' });
  }
}

/** Everything wrong with a coupon (empty when valid). With a policy, also the platform caps. */
export function couponProblems(c: Coupon, policy?: PricingPolicy): Problem[] {
  const out: Problem[] = [];
  const add = (p: Problem) => out.push(p);
  common(c, add);
  if (c.kind === 'fixed' || c.kind === 'threshold') {
    if (!isPos(c.off_minor)) add({ code: 'invalid_off', message: 'off_minor must be a positive amount of fen', message_zh: '优惠金额须为正整数（分）' });
    if (c.kind === 'threshold' && !isPos(c.threshold_minor)) add({ code: 'invalid_threshold', message: '满X减Y needs threshold_minor > 0', message_zh: '满减券须设置使用门槛' });
    if (c.kind === 'threshold' && isPos(c.off_minor) && isPos(c.threshold_minor) && c.off_minor >= c.threshold_minor) {
      add({ code: 'off_not_below_threshold', message: 'the amount off must be below the threshold', message_zh: '优惠金额须小于使用门槛' });
    }
    if (policy && isPos(c.off_minor) && c.off_minor > policy.max_fixed_coupon_off_minor) {
      const cap = policy.max_fixed_coupon_off_minor;
      add({ code: 'fixed_over_max', message: `a fixed coupon takes at most ${formatCny(cap)} off`, message_zh: `单张满减/立减券最高优惠${formatCny(cap)}`, details: { max_minor: cap } });
    }
  } else if (c.kind === 'percent') {
    if (!(Number.isSafeInteger(c.pay_rate_bp) && c.pay_rate_bp! > 0 && c.pay_rate_bp! < 10000)) {
      add({ code: 'invalid_rate', message: 'pay_rate_bp must be 1..9999 (8000 = 8折)', message_zh: '折扣须在0.01折至9.99折之间' });
    }
    if (c.cap_minor !== undefined && !isPos(c.cap_minor)) add({ code: 'invalid_cap', message: 'cap_minor must be positive', message_zh: '最高优惠金额须为正数' });
    if (c.threshold_minor !== undefined && !isFen(c.threshold_minor)) add({ code: 'invalid_threshold', message: 'threshold_minor must be fen ≥ 0', message_zh: '使用门槛须为非负整数（分）' });
  } else {
    add({ code: 'invalid_kind', message: `unknown coupon kind "${String(c.kind)}"`, message_zh: '未知的优惠券类型' });
  }
  return out;
}

/** Everything wrong with a threshold promotion (empty when valid). */
export function promotionProblems(p: ThresholdPromotion): Problem[] {
  const out: Problem[] = [];
  const add = (x: Problem) => out.push(x);
  common(p, add);
  const r = p.rule;
  if (r.kind === 'tiers') {
    const ok = r.tiers.length > 0 && r.tiers.every((t, i) => isPos(t.threshold_minor) && isPos(t.off_minor) && t.off_minor < t.threshold_minor
      && (i === 0 || (t.threshold_minor > r.tiers[i - 1].threshold_minor && t.off_minor > r.tiers[i - 1].off_minor)));
    if (!ok) add({ code: 'invalid_tiers', message: 'tiers need rising thresholds with rising amounts off, each below its threshold', message_zh: '阶梯满减须门槛递增、优惠递增且优惠小于门槛' });
  } else if (r.kind === 'every') {
    if (!(isPos(r.step_minor) && isPos(r.off_minor) && r.off_minor < r.step_minor)) add({ code: 'invalid_every', message: '每满X减Y needs 0 < Y < X', message_zh: '每满减须满足 0 < 优惠 < 门槛' });
    if (r.cap_minor !== undefined && !isPos(r.cap_minor)) add({ code: 'invalid_cap', message: 'cap_minor must be positive', message_zh: '封顶金额须为正数' });
  } else {
    add({ code: 'invalid_rule', message: 'unknown threshold rule', message_zh: '未知的满减规则' });
  }
  return out;
}
