/**
 * Random carts from a fixed seed: whatever the mix of stores, special prices, coupons,
 * promotions and templates, allocations sum exactly, nothing is negative or fractional,
 * the coupon floor holds per line, and the result does not depend on input order.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bestCoupons } from './best-coupons.ts';
import { floorAmount } from './allocation.ts';
import { DEFAULT_POLICY } from './policy.ts';
import { price } from './price.ts';
import { NOW } from './pricing.fixtures.ts';
import type { CartLine, Coupon, PricedCart, PricingInput, ShippingTemplate, ThresholdPromotion } from './pricing.types.ts';

function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)];
  const chance = (p: number) => next() < p;
  return { int, pick, chance };
}
type R = ReturnType<typeof rng>;

const GROUPS = [undefined, 'store_coupon', 'platform_coupon', 'campaign', 'exclusive'];
const stacking = (r: R) => (r.chance(0.7) ? {} : { stacking_group: r.pick(GROUPS), stacks_with: r.chance(0.5) ? ['*'] : [r.pick(GROUPS) ?? 'store_coupon'] });
const funding = (r: R) => r.pick([{ funder: 'platform' as const }, { funder: 'merchant' as const }, { funder: 'shared' as const, platform_share_bp: r.int(0, 10000) }]);
const window = (r: R) => (r.chance(0.9) ? { valid_from_ms: NOW - 1000, valid_to_ms: NOW + 1000 } : { valid_from_ms: NOW + 1, valid_to_ms: NOW + 1000 });

function randomLine(r: R, i: number, store: string): CartLine {
  const unit = r.int(1, 50_000);
  const l: CartLine = { line_id: `l${i}`, store_id: store, sku_id: `s${i}`, product_id: `p${r.int(0, 5)}`, category_id: r.pick(['c1', 'c2']), quantity: r.int(1, 5), unit_price_minor: unit, weight_g: r.int(1, 3000) };
  if (r.chance(0.2)) l.flash = { flash_sale_id: `fs${i}`, price_minor: r.int(0, unit), start_ms: NOW - r.int(-10, 1000), end_ms: NOW + r.int(-10, 1000), limit_per_buyer: r.chance(0.5) ? r.int(1, 5) : null };
  if (r.chance(0.1)) l.live = { room_id: `room${i}`, price_minor: r.int(0, unit), start_ms: NOW - 1, end_ms: NOW + 1, ordered_in_room: r.chance(0.7) };
  if (r.chance(0.3)) l.campaign_id = 'cmp';
  return l;
}

function randomCoupon(r: R, i: number, stores: string[]): Coupon {
  const kind = r.pick(['fixed', 'threshold', 'percent'] as const);
  const scope = r.chance(0.6) ? 'store' : 'platform';
  return {
    coupon_id: `c${i}`, scope, store_id: scope === 'store' ? r.pick(stores) : undefined, kind, ...funding(r), ...window(r), ...stacking(r),
    off_minor: r.int(1, 40_000), threshold_minor: kind === 'threshold' ? r.int(40_001, 200_000) : r.chance(0.3) ? r.int(0, 50_000) : undefined,
    pay_rate_bp: r.int(1, 9999), cap_minor: r.chance(0.5) ? r.int(1, 10_000) : undefined,
    applies_to: r.chance(0.3) ? { category_ids: [r.pick(['c1', 'c2'])] } : undefined,
  };
}

function randomPromotion(r: R, i: number, stores: string[]): ThresholdPromotion {
  const scope = r.chance(0.5) ? 'store' : 'platform';
  const step = r.int(1000, 20_000);
  const rule = r.chance(0.5)
    ? { kind: 'every' as const, step_minor: step, off_minor: r.int(1, step - 1), cap_minor: r.chance(0.5) ? r.int(1, 5000) : undefined }
    : { kind: 'tiers' as const, tiers: [{ threshold_minor: step, off_minor: r.int(1, step - 1) }, { threshold_minor: step * 3, off_minor: step }] };
  return { promotion_id: `m${i}`, scope, store_id: scope === 'store' ? r.pick(stores) : undefined, rule, ...funding(r), ...window(r), ...stacking(r), campaign_id: r.chance(0.3) ? 'cmp' : undefined };
}

function randomTemplate(r: R, store: string): ShippingTemplate {
  const rule = (provinces: string[] | '*') => ({ provinces, first_units: r.int(1, 1000), first_fee_minor: r.int(0, 2000), additional_units: r.int(1, 1000), additional_fee_minor: r.int(0, 1000) });
  return { template_id: `t_${store}`, store_id: store, basis: r.pick(['quantity', 'weight'] as const), rules: [rule(['新疆维吾尔自治区']), rule('*')], free_over_minor: r.chance(0.6) ? r.int(0, 100_000) : null, no_free_provinces: ['新疆维吾尔自治区'] };
}

function randomCart(seed: number): PricingInput {
  const r = rng(seed);
  const stores = Array.from({ length: r.int(1, 4) }, (_, i) => `st${i}`);
  const lines = stores.flatMap((s, si) => Array.from({ length: r.int(1, 4) }, (_, j) => randomLine(r, si * 10 + j, s)));
  return {
    lines,
    coupons: Array.from({ length: r.int(0, 5) }, (_, i) => randomCoupon(r, i, stores)),
    promotions: Array.from({ length: r.int(0, 3) }, (_, i) => randomPromotion(r, i, stores)),
    shipping_templates: stores.map((s) => randomTemplate(r, s)),
    province: r.pick(['浙江省', '广东省', '新疆维吾尔自治区']),
    now_ms: NOW,
  };
}

function assertSound(c: PricedCart): void {
  const walk = (v: unknown, path: string): void => {
    if (typeof v === 'number') assert.ok(Number.isSafeInteger(v) && (v >= 0 || path.endsWith('now_ms')), `${path} = ${v}`);
    else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) if (k !== 'details') walk(x, `${path}.${k}`);
  };
  walk(c, 'cart');
  for (const st of c.steps.filter((s) => s.stage !== 'price' && s.stage !== 'shipping')) {
    const onLines = c.lines.flatMap((l) => l.discounts).filter((d) => d.source_id === st.source_id && d.source_kind === st.source_kind);
    assert.equal(onLines.reduce((t, d) => t + d.amount_minor, 0), st.amount_minor, `step ${st.source_id}`);
  }
  for (const l of c.lines) {
    assert.equal(l.paid_minor, l.goods_minor - l.discounts.reduce((t, d) => t + d.amount_minor, 0) + l.shipping_minor);
    const couponOff = l.discounts.filter((d) => d.source_kind.endsWith('_coupon')).reduce((t, d) => t + d.amount_minor, 0);
    if (couponOff > 0) assert.ok(l.goods_minor - couponOff >= floorAmount(l.list_unit_price_minor * l.quantity, 2000), `floor of ${l.line_id}`);
  }
  for (const s of c.stores) {
    const own = c.lines.filter((l) => l.store_id === s.store_id);
    assert.equal(own.reduce((t, l) => t + l.shipping_minor, 0), s.shipping_minor);
    assert.equal(own.reduce((t, l) => t + l.paid_minor, 0), s.total_minor);
  }
  assert.equal(c.stores.reduce((t, s) => t + s.total_minor, 0), c.total_minor);
  assert.equal(c.goods_minor - c.discount_minor + c.shipping_minor, c.total_minor);
  assert.equal(c.funding.platform_minor + c.funding.merchant_minor, c.discount_minor);
}

test('over 400 random carts allocations sum exactly, nothing is negative, floors hold, order does not matter', () => {
  let discounted = 0;
  for (let seed = 1; seed <= 400; seed++) {
    const input = randomCart(seed);
    const r = price(input, DEFAULT_POLICY);
    assert.ok(r.ok, `seed ${seed}`);
    assertSound(r.value);
    if (r.value.discount_minor > 0) discounted++;
    const shuffled = { ...input, lines: [...input.lines].reverse(), coupons: [...(input.coupons ?? [])].reverse(), promotions: [...(input.promotions ?? [])].reverse() };
    assert.equal(JSON.stringify(price(shuffled)), JSON.stringify(r), `seed ${seed} depends on input order`);
  }
  assert.ok(discounted > 200, `only ${discounted} carts had a discount: the generator is too tame`);
});

test('over 60 random wallets bestCoupons never does worse than no coupons or any single coupon', () => {
  for (let seed = 1000; seed < 1060; seed++) {
    const input = randomCart(seed);
    const wallet = input.coupons ?? [];
    const best = bestCoupons({ ...input, coupons: [] }, wallet);
    assert.ok(best.ok);
    assertSound(best.cart);
    for (const c of [[], ...wallet.map((w) => [w])]) {
      const r = price({ ...input, coupons: c });
      assert.ok(r.ok && best.cart.total_minor <= r.value.total_minor, `seed ${seed}`);
    }
  }
});
