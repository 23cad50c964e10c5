import { test } from 'node:test';
import assert from 'node:assert/strict';
import { couponProblems } from './offer-rules.ts';
import { DEFAULT_POLICY, withStage } from './policy.ts';
import { cart, coupon, line, lineOf, NOW, priced, rejectionOf, sharesOf, stepOf, storeOf } from './pricing.fixtures.ts';

const platform = (id: string, c: Parameters<typeof coupon>[1]) => coupon(id, { scope: 'platform', store_id: undefined, funder: 'platform', ...c });

test('a ¥10 no-threshold coupon (无门槛立减) comes off the line', () => {
  const c = priced(cart([line('a1', 'store_a', 5000)], { coupons: [coupon('cpn_10', { kind: 'fixed', off_minor: 1000 })] }));
  assert.equal(lineOf(c, 'a1').goods_paid_minor, 4000);
  assert.equal(storeOf(c, 'store_a').total_minor, 4800); // + ¥8 shipping (under ¥99)
  assert.equal(stepOf(c, 'cpn_10')?.message_zh, '优惠¥10.00');
});

test('满100减20 is refused below ¥100 with how much is missing, and applied from ¥100', () => {
  const c80 = priced(cart([line('a1', 'store_a', 8000)], { coupons: [coupon('cpn_100_20', { kind: 'threshold', threshold_minor: 10000, off_minor: 2000 })] }));
  const r = rejectionOf(c80, 'cpn_100_20');
  assert.equal(r?.code, 'threshold_not_met');
  assert.equal(r?.details.short_minor, 2000);
  assert.equal(r?.message_zh, '未满¥100.00，当前¥80.00，还差¥20.00');
  const c120 = priced(cart([line('a1', 'store_a', 12000)], { coupons: [coupon('cpn_100_20', { kind: 'threshold', threshold_minor: 10000, off_minor: 2000 })] }));
  assert.equal(c120.discount_minor, 2000);
});

test('8折 with a ¥50 cap: 20% of ¥100 is ¥20, 20% of ¥300 is capped at ¥50', () => {
  const cpn = coupon('cpn_8z', { kind: 'percent', pay_rate_bp: 8000, cap_minor: 5000 });
  assert.equal(priced(cart([line('a1', 'store_a', 10000)], { coupons: [cpn] })).discount_minor, 2000);
  const big = priced(cart([line('a1', 'store_a', 10000, 3)], { coupons: [cpn] }));
  assert.equal(big.discount_minor, 5000);
  assert.deepEqual([stepOf(big, 'cpn_8z')?.details.capped_by, stepOf(big, 'cpn_8z')?.details.uncapped_minor], ['coupon_cap', 6000]);
});

test('a fixed coupon takes at most ¥200 off, and the promotions service is told so at creation', () => {
  const cpn = coupon('cpn_300', { kind: 'threshold', threshold_minor: 100000, off_minor: 30000 });
  const c = priced(cart([line('a1', 'store_a', 200000)], { coupons: [cpn] }));
  assert.equal(c.discount_minor, 20000);
  assert.equal(stepOf(c, 'cpn_300')?.message_zh, '优惠¥200.00，受平台单券最高优惠¥200.00限制');
  assert.deepEqual(couponProblems(cpn, DEFAULT_POLICY).map((p) => p.code), ['fixed_over_max']);
  assert.deepEqual(couponProblems(coupon('ok', { kind: 'fixed', off_minor: 20000 }), DEFAULT_POLICY), []);
});

test('a coupon never takes an item below 20% of its original price; the next coupon finds the floor reached', () => {
  const c = priced(cart([line('a1', 'store_a', 10000)], {
    coupons: [coupon('cpn_90', { kind: 'fixed', off_minor: 9000 }), platform('pc_10', { kind: 'fixed', off_minor: 1000 })],
  }));
  assert.equal(lineOf(c, 'a1').goods_paid_minor, 2000);
  assert.equal(stepOf(c, 'cpn_90')?.details.capped_by, 'floor');
  assert.equal(rejectionOf(c, 'pc_10')?.code, 'floor_reached');
});

test('the floor holds per line: a line already near its floor takes less and the others take the rest', () => {
  const c = priced(cart([line('a1', 'store_a', 10000), line('a2', 'store_a', 10000)], {
    coupons: [coupon('cpn_a1', { kind: 'fixed', off_minor: 7000, applies_to: { product_ids: ['prd_a1'] } }), platform('pc_60', { kind: 'fixed', off_minor: 6000 })],
  }));
  assert.deepEqual(sharesOf(c, 'pc_60'), [1000, 5000]); // proportional would give a1 ¥13.85 and breach its ¥20 floor
  assert.deepEqual(c.lines.map((l) => l.goods_paid_minor), [2000, 5000]);
});

test('the floor is a share of the list price by default, or of the flash/live price when the policy says so', () => {
  const flash = { flash_sale_id: 'fs_1', price_minor: 6000, start_ms: NOW - 1, end_ms: NOW + 1 };
  const input = cart([line('a1', 'store_a', 10000, 1, { flash })], { coupons: [coupon('cpn_55', { kind: 'fixed', off_minor: 5500 })] });
  assert.equal(priced(input).lines[0].goods_paid_minor, 2000);
  assert.equal(priced(input, { ...DEFAULT_POLICY, floor_base: 'effective_price' }).lines[0].goods_paid_minor, 1200);
});

test('floors are configurable per stage', () => {
  const policy = withStage(DEFAULT_POLICY, 'store_coupon', { floor_bp: 5000 });
  const c = priced(cart([line('a1', 'store_a', 10000)], { coupons: [coupon('cpn_90', { kind: 'fixed', off_minor: 9000 })] }), policy);
  assert.equal(c.discount_minor, 5000);
});

test('an expired or not-yet-valid coupon is explained, not applied', () => {
  const c = priced(cart([line('a1', 'store_a', 5000)], {
    coupons: [coupon('old', { kind: 'fixed', off_minor: 100, valid_to_ms: NOW }), coupon('early', { kind: 'fixed', off_minor: 100, valid_from_ms: NOW + 1 })],
  }));
  assert.equal(rejectionOf(c, 'old')?.code, 'expired');
  assert.equal(rejectionOf(c, 'early')?.code, 'not_started');
  assert.equal(c.discount_minor, 0);
});

test('a coupon for another store or another category is out of scope', () => {
  const c = priced(cart([line('a1', 'store_a', 5000)], {
    coupons: [coupon('b_cpn', { kind: 'fixed', off_minor: 100, store_id: 'store_b' }), coupon('drinks', { kind: 'fixed', off_minor: 100, applies_to: { category_ids: ['cat_drinks'] } })],
  }));
  assert.deepEqual([rejectionOf(c, 'b_cpn')?.code, rejectionOf(c, 'drinks')?.code], ['out_of_scope', 'out_of_scope']);
  assert.equal(rejectionOf(c, 'drinks')?.message_zh, '购物车中没有适用的商品');
});

test('one store coupon per store: the better of two is used; each store may use its own', () => {
  const c = priced(cart([line('a1', 'store_a', 5000), line('b1', 'store_b', 5000)], {
    coupons: [coupon('a_5', { kind: 'fixed', off_minor: 500 }), coupon('a_8', { kind: 'fixed', off_minor: 800 }), coupon('b_3', { kind: 'fixed', off_minor: 300, store_id: 'store_b' })],
  }));
  assert.deepEqual(storeOf(c, 'store_a').discounts.map((d) => d.source_id), ['a_8']);
  assert.deepEqual(storeOf(c, 'store_b').discounts.map((d) => d.source_id), ['b_3']);
  assert.equal(rejectionOf(c, 'a_5')?.code, 'limit_reached');
  assert.equal(rejectionOf(c, 'a_5')?.message_zh, '每个店铺最多使用1张');
});

test('one platform coupon per order, unless the policy allows more', () => {
  const input = cart([line('a1', 'store_a', 5000)], { coupons: [platform('p1', { kind: 'fixed', off_minor: 300 }), platform('p2', { kind: 'fixed', off_minor: 200 })] });
  const one = priced(input);
  assert.equal(one.discount_minor, 300);
  assert.equal(rejectionOf(one, 'p2')?.message_zh, '每笔订单最多使用1张');
  assert.equal(priced(input, withStage(DEFAULT_POLICY, 'platform_coupon', { limit: { per: 'order', max: 2 } })).discount_minor, 500);
});

test('stacking is data: a coupon that does not combine with store coupons skips those lines', () => {
  const exclusive = platform('p_excl', { kind: 'percent', pay_rate_bp: 9000, stacks_with: ['platform_threshold'] });
  const c = priced(cart([line('a1', 'store_a', 10000), line('b1', 'store_b', 10000)], { coupons: [coupon('a_10', { kind: 'fixed', off_minor: 1000 }), exclusive] }));
  assert.deepEqual(sharesOf(c, 'p_excl'), [0, 1000]); // only store_b's line, 10% of ¥100
  const alone = priced(cart([line('a1', 'store_a', 10000)], { coupons: [coupon('a_10', { kind: 'fixed', off_minor: 1000 }), exclusive] }));
  assert.equal(rejectionOf(alone, 'p_excl')?.code, 'not_stackable');
  assert.deepEqual(rejectionOf(alone, 'p_excl')?.details.conflicts_with, ['a_10']);
});

test('a flash-sale item that excludes coupons is not discounted by them', () => {
  const flash = { flash_sale_id: 'fs_1', price_minor: 6000, start_ms: NOW - 1, end_ms: NOW + 1, stacks_with: [] };
  const c = priced(cart([line('a1', 'store_a', 10000, 1, { flash })], { coupons: [coupon('a_5', { kind: 'fixed', off_minor: 500 })] }));
  assert.equal(rejectionOf(c, 'a_5')?.message_zh, '不可与fs_1同时使用');
});

test('the platform can ban a pairing outright, whatever the offers say', () => {
  const flash = { flash_sale_id: 'fs_1', price_minor: 6000, start_ms: NOW - 1, end_ms: NOW + 1 };
  const input = cart([line('a1', 'store_a', 10000, 1, { flash }), line('a2', 'store_a', 10000)], { coupons: [platform('p_10', { kind: 'fixed', off_minor: 1000 })] });
  assert.deepEqual(sharesOf(priced(input), 'p_10'), [375, 625]);
  const policy = { ...DEFAULT_POLICY, never_stack: [['flash_sale', 'platform_coupon']] as const };
  assert.deepEqual(sharesOf(priced(input, policy), 'p_10'), [0, 1000]);
});

test('misconfigured and duplicate coupons are explained and ignored', () => {
  const bad = coupon('bad', { kind: 'percent', pay_rate_bp: 12000 });
  const dup = coupon('dup', { kind: 'fixed', off_minor: 100 });
  const c = priced(cart([line('a1', 'store_a', 5000)], { coupons: [bad, dup, dup] }));
  assert.equal(rejectionOf(c, 'bad')?.code, 'invalid_offer');
  assert.deepEqual(c.not_applied.filter((n) => n.source_id === 'dup').map((n) => n.code), ['duplicate']);
  assert.equal(c.discount_minor, 100);
});

test('a coupon kind the policy has no stage for is explained', () => {
  const policy = { ...DEFAULT_POLICY, stages: DEFAULT_POLICY.stages.filter((s) => s.stage !== 'platform_coupon') };
  const c = priced(cart([line('a1', 'store_a', 5000)], { coupons: [platform('p1', { kind: 'fixed', off_minor: 300 })] }), policy);
  assert.equal(rejectionOf(c, 'p1')?.code, 'stage_not_in_policy');
});

test('a shared coupon is split between platform and merchants to the fen, per store and per source', () => {
  const c = priced(cart([line('a1', 'store_a', 3333), line('b1', 'store_b', 6667)], {
    coupons: [platform('p_shared', { kind: 'fixed', off_minor: 1001, funder: 'shared', platform_share_bp: 3000 })],
  }));
  assert.equal(c.funding.platform_minor, 300); // 30% of ¥10.01, half up
  assert.equal(c.funding.merchant_minor, 701);
  assert.deepEqual(c.funding.by_store.map((s) => s.platform_minor + s.merchant_minor), [lineOf(c, 'a1').discount_minor, lineOf(c, 'b1').discount_minor]);
  assert.deepEqual(c.funding.by_source, [{ source_id: 'p_shared', source_kind: 'platform_coupon', campaign_id: null, platform_minor: 300, merchant_minor: 701 }]);
});
