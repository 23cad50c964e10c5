import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promotionProblems } from './offer-rules.ts';
import { DEFAULT_POLICY, withStage } from './policy.ts';
import { cart, coupon, line, NOW, priced, promotion, rejectionOf, sharesOf, stepOf } from './pricing.fixtures.ts';
import type { ThresholdRule } from './pricing.types.ts';

const ladder: ThresholdRule = { kind: 'tiers', tiers: [{ threshold_minor: 10000, off_minor: 1000 }, { threshold_minor: 20000, off_minor: 3000 }] };

test('满100减10 / 满200减30 ladder: ¥268 takes the ¥30 tier', () => {
  const c = priced(cart([line('a1', 'store_a', 13400, 2)], { promotions: [promotion('mj_ladder', { rule: ladder })] }));
  assert.equal(c.discount_minor, 3000);
  assert.equal(stepOf(c, 'mj_ladder')?.details.tier_threshold_minor, 20000);
  assert.equal(c.total_minor, 26800 - 3000); // free shipping over ¥99
});

test('the ladder at ¥150 takes ¥10 and says ¥50 more would take ¥30', () => {
  const c = priced(cart([line('a1', 'store_a', 15000)], { promotions: [promotion('mj_ladder', { rule: ladder })] }));
  assert.equal(c.discount_minor, 1000);
  assert.deepEqual(stepOf(c, 'mj_ladder')?.details.next_tier, { threshold_minor: 20000, off_minor: 3000, short_minor: 5000 });
});

test('the ladder below its first tier is explained', () => {
  const c = priced(cart([line('a1', 'store_a', 9000)], { promotions: [promotion('mj_ladder', { rule: ladder })] }));
  assert.deepEqual(rejectionOf(c, 'mj_ladder')?.details, {
    threshold_minor: 10000, basis_minor: 9000, short_minor: 1000, next_tier: { threshold_minor: 10000, off_minor: 1000, short_minor: 1000 },
  });
});

test('每满50减5: ¥173 takes ¥15; with a ¥10 cap (封顶) it takes ¥10', () => {
  const every: ThresholdRule = { kind: 'every', step_minor: 5000, off_minor: 500 };
  assert.equal(priced(cart([line('a1', 'store_a', 17300)], { promotions: [promotion('mj_every', { rule: every })] })).discount_minor, 1500);
  const c = priced(cart([line('a1', 'store_a', 17300)], { promotions: [promotion('mj_every', { rule: { ...every, cap_minor: 1000 } })] }));
  assert.equal(c.discount_minor, 1000);
  assert.equal(stepOf(c, 'mj_every')?.message_zh, '优惠¥10.00，封顶¥10.00');
});

test('thresholds count what is left after coupons by default, or the goods when the stage says so', () => {
  const input = cart([line('a1', 'store_a', 20500)], { coupons: [coupon('a_10', { kind: 'fixed', off_minor: 1000 })], promotions: [promotion('mj_ladder', { rule: ladder })] });
  assert.equal(stepOf(priced(input), 'mj_ladder')?.amount_minor, 1000); // ¥195 after the coupon
  assert.equal(stepOf(priced(input, withStage(DEFAULT_POLICY, 'store_threshold', { basis: 'goods' })), 'mj_ladder')?.amount_minor, 3000);
});

test('of two exclusive promotions on the same items the larger applies and the other is explained', () => {
  const exclusive = { stacking_group: 'store_mj', stacks_with: ['store_coupon', 'platform_coupon', 'platform_threshold'] };
  const c = priced(cart([line('a1', 'store_a', 30000)], {
    promotions: [promotion('mj_a', { rule: ladder, ...exclusive }), promotion('mj_b', { rule: { kind: 'every', step_minor: 10000, off_minor: 1500 }, ...exclusive })],
  }));
  assert.equal(stepOf(c, 'mj_b')?.amount_minor, 4500);
  assert.equal(rejectionOf(c, 'mj_a')?.code, 'not_stackable');
});

test('a campaign promotion counts only the campaign items', () => {
  const c = priced(cart([line('a1', 'store_a', 6000, 1, { campaign_id: 'cmp_d11' }), line('a2', 'store_a', 6000)], {
    promotions: [promotion('cmp_mj', { scope: 'platform', store_id: undefined, rule: { kind: 'every', step_minor: 5000, off_minor: 500 }, applies_to: { campaign_ids: ['cmp_d11'] }, campaign_id: 'cmp_d11' })],
  }));
  assert.deepEqual(sharesOf(c, 'cmp_mj'), [500, 0]);
  assert.equal(c.lines[0].discounts[0].campaign_id, 'cmp_d11');
});

test('an expired promotion is explained', () => {
  const c = priced(cart([line('a1', 'store_a', 30000)], { promotions: [promotion('mj_old', { rule: ladder, valid_to_ms: NOW - 1 })] }));
  assert.equal(rejectionOf(c, 'mj_old')?.code, 'expired');
});

test('promotion rules are checked: ladders rise, every-X needs 0 < Y < X', () => {
  assert.deepEqual(promotionProblems(promotion('p', { rule: ladder })), []);
  const bad = { kind: 'tiers', tiers: [{ threshold_minor: 20000, off_minor: 3000 }, { threshold_minor: 10000, off_minor: 1000 }] } as const;
  assert.deepEqual(promotionProblems(promotion('p', { rule: bad })).map((p) => p.code), ['invalid_tiers']);
  assert.deepEqual(promotionProblems(promotion('p', { rule: { kind: 'every', step_minor: 500, off_minor: 500 } })).map((p) => p.code), ['invalid_every']);
  assert.deepEqual(promotionProblems(promotion('p', { rule: ladder, scope: 'store', store_id: undefined, funder: 'shared' })).map((p) => p.code), ['store_id_required', 'invalid_share']);
});
