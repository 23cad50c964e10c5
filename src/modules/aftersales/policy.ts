import { DAY_MS, HOUR_MS } from '../../lib/clock.ts';
import { allocate, applyRateBp } from '../../lib/money.ts';
import { fail, ok, type Fail, type Ok } from '../../lib/result.ts';
import type { DeadlineConfig, RequestType } from './request-machine.ts';

/**
 * The platform's after-sales rules as pure functions over facts (order, line, earlier
 * requests, the clock), so they are tested without a database. See README.md.
 */
export interface AftersalesConfig extends DeadlineConfig {
  /** Requests are accepted from payment until this long after receipt (anytime before receipt). */
  window_after_receipt_ms: number;
  /** 7-day no-reason returns (七天无理由): this long after receipt, on lines flagged for it. */
  no_reason_ms: number;
  /** At most this many requests per order line, whatever became of them. */
  max_requests_per_line: number;
  /** Guarantee claims (保障单) are accepted until this long after receipt. */
  guarantee_window_ms: number;
  /** 假一赔三: the buyer gets the appraisal fee (up to this) plus `counterfeit_multiple` × what the goods cost. */
  max_appraisal_fee_minor: number;
  counterfeit_multiple: number;
  /** 运费险: the flat return-shipping payout per insured return (platform-funded). */
  shipping_insurance_payout_minor: number;
}

export const DEFAULT_AFTERSALES_CONFIG: AftersalesConfig = {
  merchant_response_ms: 48 * HOUR_MS,
  buyer_response_ms: 7 * DAY_MS,
  escalation_window_ms: 7 * DAY_MS,
  return_shipping_ms: 7 * DAY_MS,
  merchant_receipt_ms: 10 * DAY_MS,
  window_after_receipt_ms: 15 * DAY_MS,
  no_reason_ms: 7 * DAY_MS,
  max_requests_per_line: 5,
  guarantee_window_ms: 90 * DAY_MS,
  max_appraisal_fee_minor: 500_00,
  counterfeit_multiple: 3,
  shipping_insurance_payout_minor: 10_00,
};

export type RequestReason =
  | 'no_reason_7d' | 'not_as_described' | 'quality' | 'wrong_item' | 'damaged' | 'missing_parts' | 'not_received' | 'no_longer_needed' | 'other';
export const REQUEST_REASONS: readonly RequestReason[] = [
  'no_reason_7d', 'not_as_described', 'quality', 'wrong_item', 'damaged', 'missing_parts', 'not_received', 'no_longer_needed', 'other',
];

export interface OrderFacts {
  status: string;
  paid_at: number | null;
  received_at: number | null;
}
export interface LineFacts {
  quantity: number;
  shipped_quantity: number;
  paid_minor: number;
  shipping_minor: number;
  refunded_minor: number;
  no_reason_return_7d: number | boolean;
}
/** What earlier requests of the same line left behind. */
export interface LineHistory {
  requests: number;
  open: boolean;
  /** Units settled by a refund (returned, or refunded without a return): not requestable again. */
  consumed_units: number;
}

/** `conflict` (409): the request clashes with another one; otherwise a business rule (422). */
export type PolicyFail = Fail & { message_zh: string; conflict?: boolean };
export type PolicyResult<T> = Ok<T> | PolicyFail;
const no = (code: string, message: string, message_zh: string, details?: unknown): PolicyFail => ({ ...fail(code, message, details), message_zh });

const REFUNDABLE_ORDER = new Set(['paid', 'partially_shipped', 'shipped', 'received', 'completed']);

/** The after-sales window of an order: open from payment; closes `window_after_receipt_ms` after receipt. */
export function windowCheck(order: OrderFacts, now: number, cfg: Pick<AftersalesConfig, 'window_after_receipt_ms'>, afterReceiptMs = cfg.window_after_receipt_ms): PolicyResult<{ closes_at: number | null }> {
  if (!REFUNDABLE_ORDER.has(order.status) || order.paid_at === null) {
    return no('order_not_eligible', `an order that is ${order.status} has no after-sales`, '该订单状态不支持售后', { order_status: order.status });
  }
  const closesAt = order.received_at === null ? null : order.received_at + afterReceiptMs;
  if (closesAt !== null && now > closesAt) return no('aftersales_window_closed', 'the after-sales window of this order has closed', '已超过售后申请期限', { closed_at: closesAt });
  return ok({ closes_at: closesAt });
}

/** Each unit's share of what the line paid (discounts already allocated to the line), largest remainders first. */
export const unitShares = (totalMinor: number, quantity: number): number[] => allocate(totalMinor, Array.from({ length: quantity }, () => 1));

/**
 * The most a request for `quantity` units may refund: the next units' shares of the line's
 * paid amount (so partial quantities add up exactly to the line), never more than the line
 * has left after earlier refunds.
 */
export function maxRefund(line: LineFacts, consumedUnits: number, quantity: number): number {
  const shares = unitShares(line.paid_minor, line.quantity).slice(consumedUnits, consumedUnits + quantity);
  return Math.max(0, Math.min(shares.reduce((s, x) => s + x, 0), line.paid_minor - line.refunded_minor));
}

export interface NewRequest {
  type: RequestType;
  reason: RequestReason;
  quantity: number;
  amount_minor?: number;
}

/** Everything a new request must satisfy; returns the amount it asks for and whether it is an instant refund. */
export function checkNewRequest(input: NewRequest, order: OrderFacts, line: LineFacts, history: LineHistory, now: number, cfg: AftersalesConfig): PolicyResult<{ amount_minor: number; max_minor: number; instant: boolean }> {
  const window = windowCheck(order, now, cfg);
  if (!window.ok) return window;
  if (history.open) return { ...no('request_already_open', 'this item already has an open after-sales request', '该商品已有进行中的售后申请'), conflict: true };
  if (history.requests >= cfg.max_requests_per_line) {
    return no('request_limit_reached', `at most ${cfg.max_requests_per_line} after-sales requests per item`, `每件商品最多申请 ${cfg.max_requests_per_line} 次售后`, { max: cfg.max_requests_per_line });
  }
  const units = line.quantity - history.consumed_units;
  if (units <= 0) return no('nothing_left', 'every unit of this item has been refunded', '该商品已全部退款');
  if (input.quantity > units) return no('quantity_exceeds', `only ${units} unit(s) of this item are left for after-sales`, `该商品可申请售后的数量为 ${units}`, { max_quantity: units });
  if (input.type !== 'refund_only' && line.shipped_quantity === 0) {
    return no('not_shipped', 'nothing of this item has shipped: ask for a refund instead', '商品尚未发货，请申请仅退款');
  }
  if (input.reason === 'no_reason_7d') {
    if (!line.no_reason_return_7d || input.type === 'refund_only') return no('no_reason_not_supported', 'this item has no 7-day no-reason return', '该商品不支持七天无理由退货');
    if (order.received_at !== null && now > order.received_at + cfg.no_reason_ms) return no('no_reason_expired', 'the 7 days for a no-reason return have passed', '已超过七天无理由退货期限');
  }
  const max = maxRefund(line, history.consumed_units, input.quantity);
  if (input.type === 'exchange') return ok({ amount_minor: 0, max_minor: max, instant: false });
  const amount = input.amount_minor ?? max;
  if (amount > max) return no('amount_exceeds_refundable', `at most ${max} fen can be refunded for ${input.quantity} unit(s)`, `退款金额不能超过 ${max} 分`, { max_minor: max });
  if (amount <= 0) return no('nothing_to_refund', 'nothing is left to refund on this item', '该商品已无可退金额');
  return ok({ amount_minor: amount, max_minor: max, instant: input.type === 'refund_only' && line.shipped_quantity === 0 });
}

/** 假一赔三: the appraisal fee (capped) plus `multiple` × what the buyer paid for the goods of these units (freight excluded). */
export function counterfeitCompensation(line: LineFacts, quantity: number, appraisalFeeMinor: number, cfg: Pick<AftersalesConfig, 'max_appraisal_fee_minor' | 'counterfeit_multiple'>): { amount_minor: number; appraisal_fee_minor: number; goods_minor: number } {
  const goods = unitShares(line.paid_minor - line.shipping_minor, line.quantity).slice(0, quantity).reduce((s, x) => s + x, 0);
  const fee = Math.min(appraisalFeeMinor, cfg.max_appraisal_fee_minor);
  return { amount_minor: fee + cfg.counterfeit_multiple * goods, appraisal_fee_minor: fee, goods_minor: goods };
}

/** 坏损包退: the merchant's damage ratio applied to what these units may still refund. */
export const damageRefund = (line: LineFacts, consumedUnits: number, quantity: number, ratioBp: number): number => applyRateBp(maxRefund(line, consumedUnits, quantity), ratioBp);
