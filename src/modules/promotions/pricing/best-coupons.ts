/**
 * bestCoupons: the selection of the buyer's coupons that makes the cart cheapest, so checkout
 * can pre-select it (the buyer may still change it). It prices candidate selections with the
 * real engine, so every stacking rule, floor and threshold is honoured by construction.
 *
 * Search: coupons that cannot apply on their own are dropped; the rest are grouped by the
 * stacking limit that binds them (one store coupon per store, one platform coupon per order);
 * every combination of group choices is tried when there are at most `max_evaluations`, else
 * coordinate descent (improve one group at a time until nothing improves). Ties: lower total,
 * then fewer coupons, then coupons that expire sooner, then smaller ids — so it is
 * deterministic and saves coupons the buyer does not need.
 */
import { price } from './price.ts';
import { DEFAULT_POLICY } from './policy.ts';
import { byText } from './state.ts';
import type { Coupon, PricedCart, PricingFail, PricingInput, PricingPolicy } from './pricing.types.ts';

export interface BestCoupons {
  ok: true;
  coupon_ids: string[];
  cart: PricedCart;
  evaluated: number;
  exhaustive: boolean;
}

interface Scored {
  coupons: Coupon[];
  cart: PricedCart;
}

const SUBSET_CAP = 64;
const kindOf = (c: Coupon) => (c.scope === 'store' ? 'store_coupon' : 'platform_coupon');

export function bestCoupons(input: PricingInput, available: readonly Coupon[], policy: PricingPolicy = DEFAULT_POLICY, opts: { max_evaluations?: number } = {}): BestCoupons | PricingFail {
  const maxEval = opts.max_evaluations ?? 2000;
  let evaluated = 0;
  const cache = new Map<string, Scored>();
  const run = (coupons: Coupon[]): Scored | PricingFail => {
    const key = coupons.map((c) => `${kindOf(c)}:${c.coupon_id}`).join('|');
    const hit = cache.get(key);
    if (hit) return hit;
    evaluated++;
    const r = price({ ...input, coupons }, policy);
    if (!r.ok) return r;
    const scored = { coupons, cart: r.value };
    cache.set(key, scored);
    return scored;
  };

  const base = run([]);
  if ('ok' in base) return base;
  const seen = new Set<string>();
  const usable = [...available]
    .sort((a, b) => byText(kindOf(a), kindOf(b)) || byText(a.coupon_id, b.coupon_id))
    .filter((c) => {
      const key = `${kindOf(c)}:${c.coupon_id}`;
      if (seen.has(key)) return false;
      seen.add(key);
      const r = run([c]) as Scored;
      return r.cart.steps.some((s) => s.source_id === c.coupon_id && s.source_kind === kindOf(c));
    });

  const groups = groupOptions(usable, policy);
  const pick = (sel: number[]) => sel.flatMap((k, g) => groups[g][k]);
  const size = groups.reduce((n, g) => n * g.length, 1);
  const truncated = groups.some((g) => g.length === SUBSET_CAP);
  const exhaustive = size <= maxEval && !truncated;
  let best = base;
  const consider = (sel: number[]): boolean => {
    const r = run(pick(sel)) as Scored;
    if (better(r, best)) {
      best = r;
      return true;
    }
    return false;
  };
  if (size <= maxEval) {
    for (let i = 0; i < size; i++) consider(mixedRadix(i, groups.map((g) => g.length)));
  } else {
    const sel = groups.map(() => 0);
    for (let changed = true; changed; ) {
      changed = false;
      for (let g = 0; g < groups.length; g++) {
        for (let k = 0; k < groups[g].length; k++) {
          const trial = sel.slice();
          trial[g] = k;
          if (consider(trial)) {
            sel[g] = k;
            changed = true;
          }
        }
      }
    }
  }
  // Only the coupons that actually applied; pricing them alone gives the identical cart.
  const applied = best.coupons.filter((c) => best.cart.steps.some((s) => s.source_id === c.coupon_id && s.source_kind === kindOf(c)));
  const final = run(applied) as Scored;
  return { ok: true, coupon_ids: applied.map((c) => c.coupon_id), cart: final.cart, evaluated, exhaustive };
}

/** One list of options per limit group; option 0 is always "none of these". */
function groupOptions(coupons: Coupon[], policy: PricingPolicy): Coupon[][][] {
  const byKey = new Map<string, { max: number; coupons: Coupon[] }>();
  for (const c of coupons) {
    const kind = kindOf(c);
    const limit = policy.stages.find((s) => s.stage === kind)?.limit;
    const key = !limit ? `${kind}#${c.coupon_id}` : limit.per === 'order' ? kind : c.store_id ? `${kind}@${c.store_id}` : `${kind}#${c.coupon_id}`;
    const g = byKey.get(key) ?? { max: limit?.max ?? 1, coupons: [] };
    g.coupons.push(c);
    byKey.set(key, g);
  }
  return [...byKey.keys()].sort(byText).map((k) => {
    const g = byKey.get(k)!;
    return subsetsUpTo(g.coupons, g.max, SUBSET_CAP);
  });
}

/** Subsets of size 0..max in lexicographic order, at most `cap` of them. */
function subsetsUpTo<T>(items: T[], max: number, cap: number): T[][] {
  const out: T[][] = [[]];
  const walk = (start: number, acc: T[]) => {
    for (let i = start; i < items.length && out.length < cap; i++) {
      const next = [...acc, items[i]];
      out.push(next);
      if (next.length < max) walk(i + 1, next);
    }
  };
  walk(0, []);
  return out;
}

function mixedRadix(n: number, radices: number[]): number[] {
  return radices.map((r) => {
    const d = n % r;
    n = Math.floor(n / r);
    return d;
  });
}

function better(a: Scored, b: Scored): boolean {
  if (a.cart.total_minor !== b.cart.total_minor) return a.cart.total_minor < b.cart.total_minor;
  if (a.coupons.length !== b.coupons.length) return a.coupons.length < b.coupons.length;
  const exp = (x: Scored) => x.coupons.map((c) => c.valid_to_ms).sort((p, q) => p - q);
  const ea = exp(a);
  const eb = exp(b);
  for (let i = 0; i < ea.length; i++) if (ea[i] !== eb[i]) return ea[i] < eb[i];
  const ids = (x: Scored) => x.coupons.map((c) => c.coupon_id).sort(byText).join('\u0000');
  return byText(ids(a), ids(b)) < 0;
}
