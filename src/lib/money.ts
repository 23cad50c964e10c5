/**
 * Money is an integer amount of minor units (fen for CNY) plus a currency.
 * Never a float: every operation checks its inputs are safe integers.
 * Rates are basis points (1% = 100 bp); rounding happens only here.
 */
export type Currency = 'CNY';
export interface Money {
  readonly amount_minor: number;
  readonly currency: Currency;
}

export const CURRENCIES: readonly Currency[] = ['CNY'];

function assertMinor(n: number): void {
  if (!Number.isSafeInteger(n)) throw new Error(`money amount must be a safe integer, got ${n}`);
}

export function money(amount_minor: number, currency: Currency = 'CNY'): Money {
  assertMinor(amount_minor);
  return { amount_minor, currency };
}

export function add(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return money(a.amount_minor + b.amount_minor, a.currency);
}

export function sub(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return money(a.amount_minor - b.amount_minor, a.currency);
}

function sameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) throw new Error(`currency mismatch: ${a.currency} vs ${b.currency}`);
}

/**
 * amount × rate_bp / 10000, rounded half-up (away from zero for negatives).
 * Integer arithmetic only; amounts up to ~9e11 fen × 10000 bp stay exact.
 */
export function applyRateBp(amount_minor: number, rate_bp: number): number {
  assertMinor(amount_minor);
  if (!Number.isSafeInteger(rate_bp)) throw new Error(`rate must be integer basis points, got ${rate_bp}`);
  const product = BigInt(amount_minor) * BigInt(rate_bp);
  const sign = product < 0n ? -1n : 1n;
  const abs = product * sign;
  const q = abs / 10000n;
  const r = abs % 10000n;
  return Number((r * 2n >= 10000n ? q + 1n : q) * sign);
}

/**
 * total × part / whole, rounded half up; exact at part = whole (0 when part or whole is 0).
 * Settlement's proportional shares of a partly refunded line (subsidy, reversals) use it.
 */
export function prorate(total: number, part: number, whole: number): number {
  if (whole <= 0 || part <= 0 || total === 0) return 0;
  if (part >= whole) return total;
  const n = BigInt(total) * BigInt(part) * 2n + BigInt(whole);
  return Number(n / (2n * BigInt(whole)));
}

/**
 * Split `total` across `weights` proportionally; the parts always sum to `total`.
 * Largest-remainder method; ties go to the largest weight, then the earliest index,
 * so the result is deterministic (needed for exact partial refunds).
 */
export function allocate(total: number, weights: readonly number[]): number[] {
  assertMinor(total);
  if (weights.length === 0) {
    if (total !== 0) throw new Error('cannot allocate a non-zero total over no weights');
    return [];
  }
  for (const w of weights) if (!Number.isSafeInteger(w) || w < 0) throw new Error(`weight must be a non-negative integer, got ${w}`);
  const sumW = weights.reduce((s, w) => s + w, 0);
  if (sumW === 0) {
    // No basis for proportion: everything to the first line.
    return weights.map((_, i) => (i === 0 ? total : 0));
  }
  const sign = total < 0 ? -1 : 1;
  const abs = BigInt(Math.abs(total));
  const bigSum = BigInt(sumW);
  const parts = weights.map((w) => (abs * BigInt(w)) / bigSum);
  const rems = weights.map((w, i) => ({ i, w, r: (abs * BigInt(w)) % bigSum }));
  let left = Number(abs - parts.reduce((s, p) => s + p, 0n));
  rems.sort((a, b) => (a.r === b.r ? (a.w === b.w ? a.i - b.i : b.w - a.w) : a.r > b.r ? -1 : 1));
  for (const { i } of rems) {
    if (left === 0) break;
    parts[i] += 1n;
    left--;
  }
  return parts.map((p) => sign * Number(p));
}

/** 12.34 — a fen amount as a decimal yuan string, by integer arithmetic (CSV exports). */
export function formatYuan(amount_minor: number): string {
  assertMinor(amount_minor);
  const abs = Math.abs(amount_minor);
  return `${amount_minor < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** ¥12.34 — for logs and the UI's default formatting; never parsed back. */
export function formatCny(amount_minor: number): string {
  const y = formatYuan(amount_minor);
  return y.startsWith('-') ? `-¥${y.slice(1)}` : `¥${y}`;
}

/** Parses a decimal yuan string such as "12.3" into fen without floating point. */
export function parseYuan(text: string): number | null {
  const m = /^(-)?(\d{1,12})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m) return null;
  const fen = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return m[1] ? -fen : fen;
}
