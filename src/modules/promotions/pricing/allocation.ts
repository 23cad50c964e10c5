/**
 * Spreading a discount over lines. Built on lib/money `allocate` (largest remainder): the
 * proportional part of each line is floored, then the leftover fen go one each to the lines
 * with the largest fractional remainders; among equal remainders to the largest line, then
 * the earliest (lines are in canonical order, so that is deterministic). That is how
 * "remainders to the largest line" is realised here.
 */
import { allocate, applyRateBp } from '../../../lib/money.ts';
import type { Funding } from './pricing.types.ts';

/**
 * Allocates `total` over lines proportionally to `weights`, never giving a line more than
 * its `caps[i]` (its headroom above a floor). Lines that would overflow are held at their cap
 * and the rest is spread over the others in the same proportional way (water-filling), so the
 * parts always sum to `total`. Requires total ≤ Σ caps and caps[i] ≤ weights[i].
 */
export function allocateCapped(total: number, weights: readonly number[], caps: readonly number[]): number[] {
  if (weights.length !== caps.length) throw new Error('allocateCapped: weights and caps differ in length');
  const capSum = caps.reduce((s, c) => s + c, 0);
  if (total < 0 || total > capSum) throw new Error(`allocateCapped: ${total} does not fit under caps summing to ${capSum}`);
  const out = weights.map(() => 0);
  let active = caps.flatMap((c, i) => (c > 0 ? [i] : []));
  let left = total;
  while (left > 0) {
    const parts = allocate(left, active.map((i) => weights[i]));
    const over = active.filter((i, k) => parts[k] > caps[i]);
    if (over.length === 0) {
      active.forEach((i, k) => (out[i] += parts[k]));
      break;
    }
    for (const i of over) {
      out[i] = caps[i];
      left -= caps[i];
    }
    active = active.filter((i) => !over.includes(i));
  }
  return out;
}

/**
 * The platform's and the merchant's part of each line's share of one discount. The platform
 * total is rounded once (half up) on the whole discount, then allocated like the discount, so
 * per-line parts sum exactly to the per-funder totals the ledger posts.
 */
export function splitFunding(f: Funding, shares: readonly number[]): { platform: number[]; merchant: number[] } {
  const total = shares.reduce((s, x) => s + x, 0);
  const platformTotal = f.funder === 'platform' ? total : f.funder === 'merchant' ? 0 : applyRateBp(total, f.platform_share_bp ?? 0);
  const platform = total === 0 ? shares.map(() => 0) : allocate(platformTotal, shares);
  return { platform, merchant: shares.map((s, i) => s - platform[i]) };
}

/**
 * The least a line may cost under a floor of `floor_bp`: ⌈base × bp / 10000⌉. Rounded up, not
 * half-up like lib/money, because "never below 20%" must hold to the fen.
 */
export function floorAmount(base_minor: number, floor_bp: number): number {
  if (floor_bp === 0) return 0;
  const p = base_minor * floor_bp;
  if (Number.isSafeInteger(p)) {
    const r = p % 10000; // exact on safe integers, unlike ceil(p / 10000) near 2^53
    return (p - r) / 10000 + (r > 0 ? 1 : 0);
  }
  return Number((BigInt(base_minor) * BigInt(floor_bp) + 9999n) / 10000n);
}
