import { parseYuan } from '../lib/format.ts';
import type { MessageKey } from '../lib/messages.ts';
import type { ThresholdRule } from './types.ts';

/**
 * The promotion forms' typing, apart from the screen: yuan into fen, 折 into basis points, a
 * datetime-local into ISO-8601, and the bodies the merchant promotion routes take
 * (promotions.schemas.ts). Only what is plainly wrong is caught here (a missing or malformed
 * amount, an end before the start); the rules themselves — coupon floors, ladders, flash-sale
 * price bands — are the server's, and its explanation is what the merchant sees.
 */
export type Bad = { bad: MessageKey };

/** A datetime-local value (the person's local time) for an instant, to the minute. */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  d.setSeconds(0, 0);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/** A datetime-local value (read as the person's local time) as epoch ms; null when empty or not a time. */
export function fromLocalInput(v: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(v)) return null;
  const ms = new Date(v).getTime();
  return Number.isNaN(ms) ? null : ms;
}

/** "8.5" 折 → 8500 bp (what the buyer pays); null unless 0 < rate < 10 with at most two decimals. */
export function parseZhe(s: string): number | null {
  const m = /^\s*(\d)(?:\.(\d{1,2}))?\s*折?\s*$/.exec(s);
  if (!m) return null;
  const bp = Number(m[1]) * 1000 + Number((m[2] ?? '').padEnd(2, '0')) * 10;
  return bp > 0 && bp < 10_000 ? bp : null;
}

/** A whole number within [min, max]; null otherwise. */
export function parseCount(s: string, min = 1, max = 10_000_000): number | null {
  if (!/^\s*\d{1,9}\s*$/.test(s)) return null;
  const n = Number(s);
  return n >= min && n <= max ? n : null;
}

const positiveFen = (s: string) => {
  const fen = parseYuan(s);
  return fen !== null && fen > 0 ? fen : null;
};

/** A validity typed as two datetime-locals: both there and the end after the start. */
export function windowOf(from: string, to: string): { from_ms: number; to_ms: number } | Bad {
  const f = fromLocalInput(from);
  const e = fromLocalInput(to);
  if (f === null || e === null) return { bad: 'm.promo.badTime' };
  if (e <= f) return { bad: 'm.promo.badWindow' };
  return { from_ms: f, to_ms: e };
}
const iso = (ms: number) => new Date(ms).toISOString();

// ───────────── 店铺券 ─────────────
export type CouponKind = 'threshold' | 'fixed' | 'percent';
export interface CouponDraft { name: string; kind: CouponKind; threshold: string; off: string; rate: string; cap: string; total: string; limit: string; from: string; to: string; days: string }
export interface CouponBody {
  name: string; kind: CouponKind; off_minor?: number; threshold_minor?: number; pay_rate_bp?: number; cap_minor?: number;
  valid_from: string; valid_to: string; valid_days?: number; total_quantity: number; per_buyer_limit: number;
}

/** A new coupon's starting values: 满减, valid for a week from now, 100 of them, one each. */
export function couponDraft(now: number): CouponDraft {
  return { name: '', kind: 'threshold', threshold: '', off: '', rate: '', cap: '', total: '100', limit: '1', from: toLocalInput(now), to: toLocalInput(now + 7 * 86_400_000), days: '' };
}

export function couponBody(d: CouponDraft): CouponBody | Bad {
  if (!d.name.trim()) return { bad: 'm.promo.badName' };
  const terms: Partial<CouponBody> = {};
  if (d.kind === 'percent') {
    const bp = parseZhe(d.rate);
    if (bp === null) return { bad: 'm.cpn.badRate' };
    terms.pay_rate_bp = bp;
    if (d.threshold.trim()) {
      const th = positiveFen(d.threshold);
      if (th === null) return { bad: 'm.cpn.badThreshold' };
      terms.threshold_minor = th;
    }
    if (d.cap.trim()) {
      const cap = positiveFen(d.cap);
      if (cap === null) return { bad: 'm.cpn.badCap' };
      terms.cap_minor = cap;
    }
  } else {
    const off = positiveFen(d.off);
    if (off === null) return { bad: 'm.cpn.badOff' };
    terms.off_minor = off;
    if (d.kind === 'threshold') {
      const th = positiveFen(d.threshold);
      if (th === null) return { bad: 'm.cpn.badThreshold' };
      terms.threshold_minor = th;
    }
  }
  const total = parseCount(d.total);
  const limit = parseCount(d.limit, 1, 100);
  if (total === null) return { bad: 'm.cpn.badTotal' };
  if (limit === null) return { bad: 'm.cpn.badLimit' };
  const days = d.days.trim() ? parseCount(d.days, 1, 365) : undefined;
  if (days === null) return { bad: 'm.cpn.badDays' };
  const w = windowOf(d.from, d.to);
  if ('bad' in w) return w;
  return { name: d.name.trim(), kind: d.kind, ...terms, valid_from: iso(w.from_ms), valid_to: iso(w.to_ms), ...(days ? { valid_days: days } : {}), total_quantity: total, per_buyer_limit: limit };
}

// ───────────── 满减 ─────────────
export interface TierDraft { threshold: string; off: string }
export interface ThresholdDraft { name: string; kind: ThresholdRule['kind']; tiers: TierDraft[]; step: string; off: string; cap: string; from: string; to: string }

const fenText = (fen: number) => `${Math.floor(fen / 100)}${fen % 100 ? `.${String(fen % 100).padStart(2, '0')}` : ''}`;

/** The form's starting values: a saved 满减 as it is, or one empty tier for a week from now. */
export function thresholdDraft(now: number, saved?: { name: string; rule: ThresholdRule; valid_from: string; valid_to: string }): ThresholdDraft {
  if (!saved) return { name: '', kind: 'tiers', tiers: [{ threshold: '', off: '' }], step: '', off: '', cap: '', from: toLocalInput(now), to: toLocalInput(now + 7 * 86_400_000) };
  const r = saved.rule;
  const window = { from: toLocalInput(Date.parse(saved.valid_from)), to: toLocalInput(Date.parse(saved.valid_to)) };
  return r.kind === 'tiers'
    ? { name: saved.name, kind: 'tiers', tiers: r.tiers.map((x) => ({ threshold: fenText(x.threshold_minor), off: fenText(x.off_minor) })), step: '', off: '', cap: '', ...window }
    : { name: saved.name, kind: 'every', tiers: [{ threshold: '', off: '' }], step: fenText(r.step_minor), off: fenText(r.off_minor), cap: r.cap_minor ? fenText(r.cap_minor) : '', ...window };
}

export interface ThresholdBody { name: string; rule: ThresholdRule; valid_from: string; valid_to: string }

export function thresholdBody(d: ThresholdDraft): ThresholdBody | Bad {
  if (!d.name.trim()) return { bad: 'm.promo.badName' };
  let rule: ThresholdRule;
  if (d.kind === 'tiers') {
    const tiers = [];
    for (const x of d.tiers) {
      const threshold_minor = positiveFen(x.threshold);
      const off_minor = positiveFen(x.off);
      if (threshold_minor === null || off_minor === null) return { bad: 'm.thr.badTier' };
      tiers.push({ threshold_minor, off_minor });
    }
    if (tiers.length === 0) return { bad: 'm.thr.badTier' };
    rule = { kind: 'tiers', tiers };
  } else {
    const step_minor = positiveFen(d.step);
    const off_minor = positiveFen(d.off);
    if (step_minor === null || off_minor === null) return { bad: 'm.thr.badEvery' };
    const cap = d.cap.trim() ? positiveFen(d.cap) : undefined;
    if (cap === null) return { bad: 'm.thr.badCap' };
    rule = { kind: 'every', step_minor, off_minor, ...(cap ? { cap_minor: cap } : {}) };
  }
  const w = windowOf(d.from, d.to);
  if ('bad' in w) return w;
  return { name: d.name.trim(), rule, valid_from: iso(w.from_ms), valid_to: iso(w.to_ms) };
}

// ───────────── 限时抢购 ─────────────
export interface FlashDraft { price: string; stock: string; limit: string; from: string; to: string }
export interface FlashBody { price_minor: number; flash_stock: number; limit_per_buyer: number | null; starts_at: string; ends_at: string }

/** A new sale's starting values: from now for two hours, one each; a saved sale as it is. */
export function flashDraft(now: number, saved?: { price_minor: number; flash_stock: number; limit_per_buyer: number | null; starts_at: string; ends_at: string }): FlashDraft {
  if (!saved) return { price: '', stock: '', limit: '1', from: toLocalInput(now), to: toLocalInput(now + 2 * 3_600_000) };
  return {
    price: fenText(saved.price_minor), stock: String(saved.flash_stock), limit: saved.limit_per_buyer === null ? '' : String(saved.limit_per_buyer),
    from: toLocalInput(Date.parse(saved.starts_at)), to: toLocalInput(Date.parse(saved.ends_at)),
  };
}

export function flashBody(d: FlashDraft): FlashBody | Bad {
  const price = positiveFen(d.price);
  if (price === null) return { bad: 'm.fls.badPrice' };
  const stock = parseCount(d.stock);
  if (stock === null) return { bad: 'm.fls.badStock' };
  const limit = d.limit.trim() ? parseCount(d.limit, 1, 200) : null;
  if (limit === null && d.limit.trim()) return { bad: 'm.fls.badLimit' };
  const w = windowOf(d.from, d.to);
  if ('bad' in w) return w;
  return { price_minor: price, flash_stock: stock, limit_per_buyer: limit, starts_at: iso(w.from_ms), ends_at: iso(w.to_ms) };
}

// ───────────── how an offer reads ─────────────
/** Where an offer is in its life: stopped by the merchant, not yet started, running, or past its end. */
export type OfferState = 'stopped' | 'upcoming' | 'running' | 'ended';
export function offerState(o: { status: string; valid_from: string; valid_to: string }, now: number): OfferState {
  if (o.status === 'stopped') return 'stopped';
  if (now < Date.parse(o.valid_from)) return 'upcoming';
  return now < Date.parse(o.valid_to) ? 'running' : 'ended';
}

const y = (fen: number) => `¥${fenText(fen)}`;
const zhe = (bp: number) => `${bp / 100}% of the price`;

/** The English of the server's label_zh (满¥100减¥10 → ¥10 off ¥100): the API labels in Chinese only. */
export function couponLabelEn(c: { kind: string; off_minor: number | null; threshold_minor: number | null; pay_rate_bp: number | null; cap_minor: number | null }): string {
  if (c.kind === 'fixed') return `${y(c.off_minor ?? 0)} off, no minimum`;
  if (c.kind === 'threshold') return `${y(c.off_minor ?? 0)} off ${y(c.threshold_minor ?? 0)}`;
  const head = `pay ${zhe(c.pay_rate_bp ?? 0)}${c.threshold_minor ? ` from ${y(c.threshold_minor)}` : ''}`;
  return c.cap_minor ? `${head}, at most ${y(c.cap_minor)} off` : head;
}
export function ruleLabelEn(r: ThresholdRule): string {
  if (r.kind === 'every') return `${y(r.off_minor)} off every ${y(r.step_minor)}${r.cap_minor ? `, at most ${y(r.cap_minor)}` : ''}`;
  return r.tiers.map((x) => `${y(x.off_minor)} off ${y(x.threshold_minor)}`).join(', ');
}
