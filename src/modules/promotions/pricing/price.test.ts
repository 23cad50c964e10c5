import { test } from 'node:test';
import assert from 'node:assert/strict';
import { orderPricing } from './breakdown.ts';
import { DEFAULT_POLICY, withStage } from './policy.ts';
import { price } from './price.ts';
import { cart, coupon, line, lineOf, NOW, priced, promotion, rejectionOf, sharesOf, stepOf, storeOf } from './pricing.fixtures.ts';
import type { CartLine, PricingInput, ThresholdPromotion } from './pricing.types.ts';

/** Double 11: platform-funded 每满50减5 across stores that stacks with store coupons. */
const campaignMj = (stacks_with: string[]): ThresholdPromotion =>
  promotion('cmp_d11_mj', { scope: 'platform', store_id: undefined, funder: 'platform', campaign_id: 'cmp_d11', stacking_group: 'campaign', stacks_with, rule: { kind: 'every', step_minor: 5000, off_minor: 500 } });

function doubleEleven(stacks_with: string[]): PricingInput {
  return cart([line('a1', 'store_a', 3990, 2), line('a2', 'store_a', 5900), line('b1', 'store_b', 2500, 3)], {
    coupons: [coupon('a_100_10', { kind: 'threshold', threshold_minor: 10000, off_minor: 1000 })],
    promotions: [campaignMj(stacks_with)],
  });
}

test('worked example: 满50减5 across two stores stacked on a store coupon, shipping per store', () => {
  const c = priced(doubleEleven(['store_coupon']));
  // store_a: ¥79.80 + ¥59.00 = ¥138.80 ≥ ¥100 → the store coupon takes ¥10, split 575/425 (574.93 / 425.07)
  assert.deepEqual(sharesOf(c, 'a_100_10'), [575, 425, 0]);
  // then the campaign counts ¥74.05 + ¥54.75 + ¥75.00 = ¥203.80 → 4 × ¥5 = ¥20, split by what is left
  assert.deepEqual(sharesOf(c, 'cmp_d11_mj'), [727, 537, 736]);
  assert.deepEqual(c.lines.map((l) => l.goods_paid_minor), [6678, 4938, 6764]);
  // store_a pays ¥116.16 ≥ ¥99: free shipping; store_b ¥67.64: ¥8 + 2 × ¥2
  assert.deepEqual(c.stores.map((s) => [s.store_id, s.goods_minor, s.discount_minor, s.shipping_minor, s.total_minor]), [
    ['store_a', 13880, 2264, 0, 11616],
    ['store_b', 7500, 736, 1200, 7964],
  ]);
  assert.equal(c.total_minor, 19580);
  assert.deepEqual([c.funding.platform_minor, c.funding.merchant_minor], [2000, 1000]);
  assert.deepEqual(c.funding.by_store, [
    { store_id: 'store_a', platform_minor: 1264, merchant_minor: 1000 },
    { store_id: 'store_b', platform_minor: 736, merchant_minor: 0 },
  ]);
  assert.deepEqual(c.steps.map((s) => [s.stage, s.source_id, s.amount_minor]), [
    ['store_coupon', 'a_100_10', 1000],
    ['platform_threshold', 'cmp_d11_mj', 2000],
    ['shipping', 'tpl_store_a', 0],
    ['shipping', 'tpl_store_b', 1200],
  ]);
  assert.deepEqual(c.not_applied, []);
});

test('when the campaign does not stack with store coupons, lines with a store coupon do not count toward 满50减5', () => {
  const c = priced(doubleEleven([]));
  assert.deepEqual(sharesOf(c, 'cmp_d11_mj'), [0, 0, 500]); // only store_b's ¥75 → 1 × ¥5
  assert.equal(stepOf(c, 'cmp_d11_mj')?.details.basis_minor, 7500);
  assert.deepEqual(stepOf(c, 'cmp_d11_mj')?.details.not_stacked, { line_ids: ['a1', 'a2'], conflicts_with: ['a_100_10'] });
});

test('each line carries its original amount, every discount with its funder, its shipping share and what it paid', () => {
  const c = priced(doubleEleven(['store_coupon']));
  const b1 = lineOf(c, 'b1');
  assert.deepEqual(b1, {
    line_id: 'b1', store_id: 'store_b', sku_id: 'sku_b1', product_id: 'prd_b1', category_id: 'cat_food', campaign_id: null, quantity: 3,
    list_unit_price_minor: 2500, unit_price_minor: 2500, price_source: 'sku', price_source_id: null, goods_minor: 7500,
    discounts: [{ source_id: 'cmp_d11_mj', source_kind: 'platform_threshold', funder: 'platform', amount_minor: 736, platform_minor: 736, merchant_minor: 0, campaign_id: 'cmp_d11' }],
    discount_minor: 736, goods_paid_minor: 6764, shipping_minor: 1200, paid_minor: 7964,
  });
});

const flash = (extra = {}) => ({ flash_sale_id: 'fs_1', price_minor: 6900, start_ms: NOW - 1000, end_ms: NOW + 1000, limit_per_buyer: 2, bought_qty: 0, ...extra });

test('a valid flash-sale price replaces the SKU price and is explained, with nobody funding it', () => {
  const c = priced(cart([line('a1', 'store_a', 10000, 2, { flash: flash() })]));
  assert.deepEqual([c.lines[0].unit_price_minor, c.lines[0].goods_minor, c.lines[0].price_source], [6900, 13800, 'flash_sale']);
  assert.equal(stepOf(c, 'fs_1')?.amount_minor, 6200);
  assert.equal(stepOf(c, 'fs_1')?.message_zh, '限时抢购价¥69.00（原价¥100.00）');
  assert.deepEqual([c.discount_minor, c.funding.platform_minor, c.funding.merchant_minor], [0, 0, 0]);
});

test('a flash price is not used outside its window, above the buyer limit or beyond its stock', () => {
  const code = (l: CartLine) => rejectionOf(priced(cart([l])), 'fs_1')?.code;
  assert.equal(code(line('a1', 'store_a', 10000, 1, { flash: flash({ end_ms: NOW }) })), 'not_active');
  assert.equal(code(line('a1', 'store_a', 10000, 2, { flash: flash({ bought_qty: 1 }) })), 'over_buyer_limit');
  assert.equal(code(line('a1', 'store_a', 10000, 2, { flash: flash({ stock_left: 1 }) })), 'sold_out');
  assert.equal(code(line('a1', 'store_a', 6000, 1, { flash: flash() })), 'not_lower');
  assert.equal(priced(cart([line('a1', 'store_a', 10000, 3, { flash: flash() })])).lines[0].unit_price_minor, 10000);
});

test('a live price applies only to orders placed in the room while live; the lower of live and flash wins', () => {
  const live = (extra = {}) => ({ room_id: 'room_1', price_minor: 6500, start_ms: NOW - 1000, end_ms: NOW + 1000, ordered_in_room: true, ...extra });
  const outside = priced(cart([line('a1', 'store_a', 10000, 1, { live: live({ ordered_in_room: false }) })]));
  assert.equal(rejectionOf(outside, 'room_1')?.message_zh, '直播专享价仅限直播中从直播间下单');
  const both = priced(cart([line('a1', 'store_a', 10000, 1, { live: live(), flash: flash() })]));
  assert.deepEqual([both.lines[0].unit_price_minor, both.lines[0].price_source_id], [6500, 'room_1']);
  assert.equal(rejectionOf(both, 'fs_1')?.code, 'better_price_applied');
});

test('a coupon on a flash-sale line is allocated by the flash-price amount', () => {
  const c = priced(cart([line('a1', 'store_a', 10000, 1, { flash: flash() }), line('a2', 'store_a', 3100)], {
    coupons: [coupon('a_20', { kind: 'fixed', off_minor: 2000 })],
  }));
  assert.deepEqual(sharesOf(c, 'a_20'), [1380, 620]); // 6900 : 3100
  assert.equal(storeOf(c, 'store_a').total_minor, 6900 + 3100 - 2000 + 800 + 200); // 2 items, under ¥99
});

test('the same input gives the same output, whatever order lines, coupons and promotions arrive in', () => {
  const input = doubleEleven(['store_coupon']);
  const again = priced(doubleEleven(['store_coupon']));
  assert.deepEqual(priced(input), again);
  const shuffled: PricingInput = {
    ...input,
    lines: [...input.lines].reverse(),
    coupons: [coupon('b_5', { kind: 'fixed', off_minor: 500, store_id: 'store_b' }), ...(input.coupons ?? [])],
  };
  const reordered: PricingInput = { ...shuffled, lines: [input.lines[1], input.lines[2], input.lines[0]], coupons: [...(shuffled.coupons ?? [])].reverse() };
  assert.equal(JSON.stringify(priced(shuffled)), JSON.stringify(priced(reordered)));
});

test('a malformed cart is a programmer error, not a price', () => {
  assert.throws(() => price(cart([line('a1', 'store_a', 1000, 0)])), /quantity/);
  assert.throws(() => price(cart([line('a1', 'store_a', 10.5)])), /unit_price_minor/);
  assert.throws(() => price(cart([line('a1', 'store_a', 1000), line('a1', 'store_a', 1000)])), /unique/);
});

test('a malformed policy is refused: price first, shipping last, each stage once, floors within 0–100%', () => {
  const one = cart([line('a1', 'store_a', 1000)]);
  assert.throws(() => price(one, { ...DEFAULT_POLICY, stages: DEFAULT_POLICY.stages.slice(0, -1) }), /last stage/);
  assert.throws(() => price(one, { ...DEFAULT_POLICY, stages: [...DEFAULT_POLICY.stages.slice(0, 2), ...DEFAULT_POLICY.stages.slice(1)] }), /twice/);
  assert.throws(() => withStage(DEFAULT_POLICY, 'store_coupon', { floor_bp: 12000 }), /floor_bp/);
  assert.throws(() => withStage(DEFAULT_POLICY, 'shipping', { floor_bp: 100 }), /takes no floor/);
});


test('an empty cart prices to zero', () => {
  const c = priced(cart([]));
  assert.deepEqual([c.total_minor, c.lines.length, c.stores.length], [0, 0, 0]);
});

test('an order keeps only its own store’s slice: its lines, its part of cross-store steps, its funding', () => {
  const c = priced(doubleEleven(['store_coupon']));
  const b = orderPricing(c, 'store_b');
  assert.ok(b);
  assert.deepEqual(b.lines.map((l) => l.line_id), ['b1']);
  assert.deepEqual(b.steps.map((s) => [s.source_id, s.amount_minor, s.cart_amount_minor, s.lines.length]), [
    ['cmp_d11_mj', 736, 2000, 1],
    ['tpl_store_b', 1200, 1200, 1],
  ]);
  assert.deepEqual(b.funding, { platform_minor: 736, merchant_minor: 0 });
  assert.equal(b.store.total_minor, 7964);
  assert.equal(orderPricing(c, 'store_x'), null);
  assert.deepEqual(JSON.parse(JSON.stringify(b)), b); // stores as JSON unchanged
});
