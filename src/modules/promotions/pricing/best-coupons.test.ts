import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bestCoupons } from './best-coupons.ts';
import { cart, coupon, line, NOW, priced, promotion } from './pricing.fixtures.ts';
import type { Coupon } from './pricing.types.ts';

const platform = (id: string, c: Parameters<typeof coupon>[1]) => coupon(id, { scope: 'platform', store_id: undefined, funder: 'platform', ...c });

const twoStores = cart([line('a1', 'store_a', 12000), line('b1', 'store_b', 6000)]);
const wallet: Coupon[] = [
  coupon('a_5', { kind: 'fixed', off_minor: 500 }),
  coupon('a_100_15', { kind: 'threshold', threshold_minor: 10000, off_minor: 1500 }),
  coupon('a_300_50', { kind: 'threshold', threshold_minor: 30000, off_minor: 5000 }), // not reachable
  coupon('b_3', { kind: 'fixed', off_minor: 300, store_id: 'store_b' }),
  platform('p_10', { kind: 'fixed', off_minor: 1000 }),
  platform('p_95z', { kind: 'percent', pay_rate_bp: 9500, cap_minor: 2000 }),
];

function ok<T extends { ok: boolean }>(r: T): Extract<T, { ok: true }> {
  assert.equal(r.ok, true);
  return r as Extract<T, { ok: true }>;
}

test('picks the cheapest whole cart, shipping included: the ¥10 platform coupon would cost store_a its free shipping', () => {
  const best = ok(bestCoupons(twoStores, wallet));
  // store_a: 满100减15 beats ¥5 (→ ¥105); store_b: ¥3 (→ ¥57). Platform: ¥10 fixed would put
  // store_a at ¥98.52, under ¥99 free shipping (+¥8); 9.5折 takes ¥8.10 and keeps it at ¥99.75.
  assert.deepEqual(best.coupon_ids, ['p_95z', 'a_100_15', 'b_3']);
  assert.equal(best.exhaustive, true);
  assert.deepEqual(best.cart, priced({ ...twoStores, coupons: wallet.filter((c) => best.coupon_ids.includes(c.coupon_id)) }));
  assert.deepEqual([best.cart.discount_minor, best.cart.shipping_minor, best.cart.total_minor], [1500 + 300 + 810, 800, 16190]);
  const withP10 = priced({ ...twoStores, coupons: wallet.filter((c) => ['a_100_15', 'b_3', 'p_10'].includes(c.coupon_id)) });
  assert.equal(withP10.total_minor, 16800);
});

test('leaves a store coupon out when it would block a bigger campaign discount', () => {
  const mj = promotion('cmp_mj', { scope: 'platform', store_id: undefined, funder: 'platform', stacks_with: [], rule: { kind: 'every', step_minor: 5000, off_minor: 500 } });
  const input = cart([line('a1', 'store_a', 20000)], { promotions: [mj] });
  const best = ok(bestCoupons(input, [coupon('a_5', { kind: 'fixed', off_minor: 500 })]));
  assert.deepEqual(best.coupon_ids, []);
  assert.equal(best.cart.discount_minor, 2000); // 4 × ¥5, versus ¥5 + ¥0 with the coupon
});

test('on equal savings it uses fewer coupons, then the one that expires sooner', () => {
  const input = cart([line('a1', 'store_a', 5000)]);
  const soon = coupon('z_soon', { kind: 'fixed', off_minor: 500, valid_to_ms: NOW + 1000 });
  const late = coupon('a_late', { kind: 'fixed', off_minor: 500 });
  assert.deepEqual(ok(bestCoupons(input, [late, soon])).coupon_ids, ['z_soon']);
  // a platform coupon stuck at the floor adds nothing and is not used
  const floorInput = cart([line('a1', 'store_a', 1000)]);
  const r = ok(bestCoupons(floorInput, [coupon('a_9', { kind: 'fixed', off_minor: 900 }), platform('p_1', { kind: 'fixed', off_minor: 100 })]));
  assert.deepEqual(r.coupon_ids, ['a_9']);
});

test('with a small evaluation budget it falls back to coordinate descent and still finds this optimum', () => {
  const best = ok(bestCoupons(twoStores, wallet, undefined, { max_evaluations: 1 }));
  assert.equal(best.exhaustive, false);
  assert.deepEqual(best.coupon_ids, ['p_95z', 'a_100_15', 'b_3']);
});

test('is deterministic regardless of the wallet order, and passes on a cart that cannot be shipped', () => {
  const a = ok(bestCoupons(twoStores, wallet));
  const b = ok(bestCoupons(twoStores, [...wallet].reverse()));
  assert.deepEqual(a, b);
  const r = bestCoupons({ ...twoStores, shipping_templates: [] }, wallet);
  assert.equal(r.ok ? null : r.code, 'no_shipping_template');
});
