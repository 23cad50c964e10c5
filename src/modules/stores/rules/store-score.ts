import { DAY_MS } from '../../../lib/clock.ts';

/**
 * Store experience score (店铺体验分), recomputed daily over the last 30 days.
 *
 *   score = product (≤ 40) + logistics (≤ 25) + after-sales (≤ 25) + (10 − dispute deduction)
 *
 * product     40 × clamp((R − 3) / 2)       R = (rating_sum + 4.5 × 10) / (rating_count + 10)
 *             The average is pulled toward 4.5 by 10 phantom ratings so a handful of reviews
 *             cannot swing it; averages of 3.0 and below earn nothing, 5.0 earns everything.
 * logistics   25 × clamp((s − 0.5) / 0.5)   s = orders shipped within 48 h / orders
 * after-sales 12.5 × clamp((a − 0.5) / 0.5) a = requests answered within 48 h / requests (1 if none)
 *           + 12.5 × clamp(1 − f / 0.05)    f = merchant-fault refunds / orders (5 % or more earns 0)
 * disputes    deduction = min(10, 2 × arbitrations lost per 1,000 orders)
 *
 * clamp(x) limits x to [0, 1]. The sum is computed exactly (rationals, no floating point) and
 * rounded half-up once to tenths: stored as an integer, 923 = 92.3. A store with fewer than
 * 30 orders in the window has too little signal and gets a neutral 80.0, marked provisional.
 * The per-part values returned alongside are rounded separately, for display only.
 */

export const SCORE_WINDOW_MS = 30 * DAY_MS;
export const MIN_ORDERS_FOR_SCORE = 30;
export const PROVISIONAL_SCORE_TENTHS = 800;

export interface ScoreInputs {
  /** paid orders in the window */
  orders: number;
  orders_shipped_within_48h: number;
  /** product ratings in the window and the sum of their stars (1–5 each) */
  rating_count: number;
  rating_sum: number;
  after_sales_requests: number;
  after_sales_answered_within_48h: number;
  merchant_fault_refunds: number;
  /** platform arbitrations ruled against the merchant */
  arbitrations_lost: number;
}

export interface StoreScore {
  /** 0–1000; 923 means 92.3 */
  score_tenths: number;
  provisional: boolean;
  /** null when provisional */
  parts_tenths: { product: number; logistics: number; after_sales: number; dispute_deduction: number } | null;
}

// Exact non-negative rationals; every input is an integer count, so nothing is ever approximated.
type Q = { n: bigint; d: bigint };
const q = (n: number | bigint, d: number | bigint = 1): Q => ({ n: BigInt(n), d: BigInt(d) });
const add = (a: Q, b: Q): Q => ({ n: a.n * b.d + b.n * a.d, d: a.d * b.d });
const sub = (a: Q, b: Q): Q => ({ n: a.n * b.d - b.n * a.d, d: a.d * b.d });
const mul = (a: Q, b: Q): Q => ({ n: a.n * b.n, d: a.d * b.d });
const div = (a: Q, b: Q): Q => ({ n: a.n * b.d, d: a.d * b.n });
const clamp01 = (a: Q): Q => (a.n <= 0n ? q(0) : a.n >= a.d ? q(1) : a);
const min = (a: Q, b: Q): Q => (a.n * b.d <= b.n * a.d ? a : b);
/** half-up to tenths; inputs here are never negative */
const toTenths = (a: Q): number => Number((a.n * 20n + a.d) / (a.d * 2n));

/** (x − floor) / (1 − floor), clamped: at or below the floor earns 0, a perfect 1 earns 1 */
const aboveFloor = (x: Q, floor: Q): Q => clamp01(div(sub(x, floor), sub(q(1), floor)));

function assertCount(name: string, v: number): void {
  if (!Number.isSafeInteger(v) || v < 0) throw new Error(`${name} must be a non-negative integer, got ${v}`);
}

export function computeStoreScore(s: ScoreInputs): StoreScore {
  for (const [k, v] of Object.entries(s)) assertCount(k, v as number);
  if (s.orders_shipped_within_48h > s.orders) throw new Error('orders_shipped_within_48h exceeds orders');
  if (s.after_sales_answered_within_48h > s.after_sales_requests) throw new Error('after_sales_answered_within_48h exceeds after_sales_requests');
  if (s.rating_sum < s.rating_count || s.rating_sum > 5 * s.rating_count) throw new Error('rating_sum must lie between 1× and 5× rating_count');

  if (s.orders < MIN_ORDERS_FOR_SCORE) return { score_tenths: PROVISIONAL_SCORE_TENTHS, provisional: true, parts_tenths: null };

  const smoothedRating = q(s.rating_sum + 45, s.rating_count + 10);
  const product = mul(q(40), clamp01(div(sub(smoothedRating, q(3)), q(2))));

  const shippedShare = q(s.orders_shipped_within_48h, s.orders);
  const logistics = mul(q(25), aboveFloor(shippedShare, q(1, 2)));

  const answeredShare = s.after_sales_requests === 0 ? q(1) : q(s.after_sales_answered_within_48h, s.after_sales_requests);
  const refundRate = q(s.merchant_fault_refunds, s.orders);
  const afterSales = add(
    mul(q(25, 2), aboveFloor(answeredShare, q(1, 2))),
    mul(q(25, 2), clamp01(sub(q(1), div(refundRate, q(5, 100))))),
  );

  const lostPerThousand = q(s.arbitrations_lost * 1000, s.orders);
  const deduction = min(q(10), mul(q(2), lostPerThousand));

  const total = sub(add(add(add(product, logistics), afterSales), q(10)), deduction);
  return {
    score_tenths: toTenths(total),
    provisional: false,
    parts_tenths: {
      product: toTenths(product),
      logistics: toTenths(logistics),
      after_sales: toTenths(afterSales),
      dispute_deduction: toTenths(deduction),
    },
  };
}

/** "92.3" — for messages and logs; the UI may format differently. */
export function formatScore(score_tenths: number): string {
  return `${Math.trunc(score_tenths / 10)}.${score_tenths % 10}`;
}

export type SubjectType = 'individual' | 'enterprise';

/**
 * How many accounts of each kind (e.g. Channels accounts, official accounts) a store may link.
 * Individual businesses: 1. Enterprises: 5, or 10 once the score reaches 90.0. A provisional
 * score (80.0) never unlocks the higher tier. Pass null when no score exists yet.
 */
export function linkedAccountLimit(subjectType: SubjectType, score: Pick<StoreScore, 'score_tenths'> | null): number {
  if (subjectType === 'individual') return 1;
  return score !== null && score.score_tenths >= 900 ? 10 : 5;
}
