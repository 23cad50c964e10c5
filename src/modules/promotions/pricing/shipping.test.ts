import { test } from 'node:test';
import assert from 'node:assert/strict';
import { price } from './price.ts';
import { feeFor } from './shipping.ts';
import { cart, coupon, line, lineOf, priced, stepOf, storeOf, template } from './pricing.fixtures.ts';

test('first item plus each additional item: 3 items at ¥8 + ¥2 is ¥12', () => {
  const c = priced(cart([line('a1', 'store_a', 1500, 3)]));
  assert.equal(storeOf(c, 'store_a').shipping_minor, 1200);
  assert.equal(stepOf(c, 'tpl_store_a')?.message_zh, '运费¥12.00（浙江省）');
});

test('additional units are charged per started block', () => {
  const r = { provinces: '*' as const, first_units: 1000, first_fee_minor: 1000, additional_units: 500, additional_fee_minor: 300 };
  assert.equal(feeFor(r, 0), 0);
  assert.equal(feeFor(r, 1000), 1000);
  assert.equal(feeFor(r, 1001), 1300);
  assert.equal(feeFor(r, 2000), 1600);
});

test('a weight-based template charges by grams', () => {
  const tpl = template('store_a', { basis: 'weight', free_over_minor: null, rules: [{ provinces: '*', first_units: 1000, first_fee_minor: 1000, additional_units: 1000, additional_fee_minor: 500 }] });
  const c = priced(cart([line('a1', 'store_a', 2000, 2, { weight_g: 1200 })], { shipping_templates: [tpl] })); // 2.4 kg
  assert.equal(c.shipping_minor, 2000);
  assert.throws(() => price(cart([line('a1', 'store_a', 2000)], { shipping_templates: [tpl] })), /weight_g is required/);
});

test('free shipping over ¥99, judged on what is paid for goods after discounts', () => {
  assert.equal(priced(cart([line('a1', 'store_a', 9900)])).shipping_minor, 0);
  const c = priced(cart([line('a1', 'store_a', 10400)], { coupons: [coupon('a_10', { kind: 'fixed', off_minor: 1000 })] }));
  assert.equal(c.shipping_minor, 800); // ¥104 − ¥10 = ¥94 < ¥99
  assert.equal(stepOf(c, 'tpl_store_a')?.code, 'shipping_fee');
  assert.equal(stepOf(priced(cart([line('a1', 'store_a', 9900)])), 'tpl_store_a')?.message_zh, '满¥99.00包邮');
});

test('a remote province pays its own fee even above the free-shipping threshold', () => {
  const c = priced(cart([line('a1', 'store_a', 15000)], { province: '新疆维吾尔自治区' }));
  assert.equal(c.shipping_minor, 2000);
  assert.equal(stepOf(c, 'tpl_store_a')?.message_zh, '运费¥20.00（新疆维吾尔自治区为偏远地区，不参与包邮）');
});

test('a store that does not ship to the province fails the cart with the stores named', () => {
  const tpl = template('store_b', { rules: [{ provinces: ['浙江省', '上海市'], first_units: 1, first_fee_minor: 0, additional_units: 1, additional_fee_minor: 0 }] });
  const r = price(cart([line('a1', 'store_a', 1000), line('b1', 'store_b', 1000)], { province: '西藏自治区', shipping_templates: [template('store_a'), tpl] }));
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.equal(r.code, 'undeliverable_region');
  assert.deepEqual(r.details.store_ids, ['store_b']);
  assert.equal(r.message_zh, '该店铺不支持配送至西藏自治区');
});

test('a store without a shipping template fails the cart', () => {
  const r = price(cart([line('a1', 'store_a', 1000)], { shipping_templates: [] }));
  assert.equal(r.ok ? null : r.code, 'no_shipping_template');
});

test('the fee is allocated to the store’s lines in proportion to what they pay, summing exactly', () => {
  const c = priced(cart([line('a1', 'store_a', 1000), line('a2', 'store_a', 2000), line('a3', 'store_a', 3333)]));
  assert.equal(c.shipping_minor, 1200);
  // 189.48 / 378.97 / 631.55: the two leftover fen go to the largest remainders (.97, .55)
  assert.deepEqual(c.lines.map((l) => l.shipping_minor), [189, 379, 632]);
  assert.equal(lineOf(c, 'a3').paid_minor, 3333 + 632);
});
