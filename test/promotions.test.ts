import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { HOUR_MS, MINUTE_MS } from '../src/lib/clock.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { openStoreWithProduct, relogin, signedInUser } from './support/fixtures.ts';

type User = Awaited<ReturnType<typeof signedInUser>>;
let t: TestApp;
let ownerA: User, ownerB: User, operator: User, buyer: User, other: User;
let a: Awaited<ReturnType<typeof openStoreWithProduct>>;
let b: Awaited<ReturnType<typeof openStoreWithProduct>>;
let addressId: string;
const address = { recipient: '赵六', phone: '13812345678', province: '上海市', city: '上海市', district: '徐汇区', detail: '漕溪北路1号' };
const iso = (ms: number) => new Date(ms).toISOString();
const window = (fromMs = 0, toMs = 30 * 24 * HOUR_MS) => ({ valid_from: iso(t.clock.now() + fromMs), valid_to: iso(t.clock.now() + toMs) });

async function storeCoupon(body: Record<string, unknown>, owner = ownerA, storeId = a.store.id) {
  const r = await t.call('POST', `/api/v1/merchant/stores/${storeId}/coupons`, { token: owner.token, body: { name: '测试券', total_quantity: 100, per_buyer_limit: 5, ...window(), ...body } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}
async function claim(u: User, templateId: string) {
  const r = await t.call('POST', `/api/v1/coupons/${templateId}/claim`, { token: u.token });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id as string;
}
const checkout = (u: User, items: { sku_id: string; quantity: number }[], extra: Record<string, unknown> = {}, addr = addressId) =>
  t.call('POST', '/api/v1/checkouts', { token: u.token, body: { items, address_id: addr, ...extra } });
const orderCount = async (u: User) => (await t.call('GET', '/api/v1/me/orders?limit=100', { token: u.token })).body.items.length;
const wallet = async (u: User, state: string) => (await t.call('GET', `/api/v1/me/coupons?state=${state}&limit=100`, { token: u.token })).body.items.map((c: any) => c.id);
const flash = (id: string, storeId = a.store.id, owner = ownerA) => t.call('GET', `/api/v1/merchant/stores/${storeId}/flash-sales/${id}`, { token: owner.token }).then((r) => r.body);

before(async () => {
  t = await startTestApp();
  [ownerA, ownerB, operator, buyer, other] = await Promise.all([signedInUser(t), signedInUser(t), signedInUser(t, ['operator']), signedInUser(t), signedInUser(t)]);
  a = await openStoreWithProduct(t, ownerA.id, '促销甲店'); // SKUs ¥99 ×10, ¥109 ×5
  b = await openStoreWithProduct(t, ownerB.id, '促销乙店');
  addressId = (await t.call('POST', '/api/v1/me/addresses', { token: buyer.token, body: address })).body.id;
  // Store A: ¥8 for the first item, ¥2 each more, free over ¥500.
  await t.ctx.fulfillment.saveTemplate(a.store.id, {
    name: '默认', is_default: true, free_threshold_minor: 50_000, excluded_provinces: [],
    rules: [{ provinces: '*', first_units: 1, first_fee_minor: 800, additional_units: 1, additional_fee_minor: 200 }],
  });
});
after(() => t.close());

describe('checkout pricing', () => {
  test('a store coupon, a platform 每满50减5 and shipping give exact, allocated per-line amounts', async () => {
    const tpl = await storeCoupon({ name: '满150减20', kind: 'threshold', threshold_minor: 15_000, off_minor: 2_000 });
    assert.equal(tpl.label_zh, '满¥150减¥20');
    const mj = await t.call('POST', '/api/v1/console/threshold-promotions', { token: operator.token, body: { name: '平台每满50减5', rule: { kind: 'every', step_minor: 5000, off_minor: 500 }, funder: 'platform', ...window() } });
    assert.equal(mj.status, 201, JSON.stringify(mj.body));
    const couponId = await claim(buyer, tpl.id);

    const items = [{ sku_id: a.product.skus[0].id, quantity: 1 }, { sku_id: a.product.skus[1].id, quantity: 1 }];
    const r = await checkout(buyer, items, { coupon_ids: [couponId] });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const lines = r.body.pricing.lines;
    // ¥99 + ¥109 = ¥208 ≥ ¥150 → ¥20 split 952/1048; then ¥188 → 3 × ¥5 = ¥15 split 714/786;
    // shipping ¥8 + ¥2 split by what each line pays (8234 / 9066) → 476/524.
    assert.deepEqual(lines.map((l: any) => l.discounts.map((d: any) => [d.kind, d.amount_minor, d.platform_minor, d.merchant_minor])), [
      [['store_coupon', 952, 0, 952], ['platform_threshold', 714, 714, 0]],
      [['store_coupon', 1048, 0, 1048], ['platform_threshold', 786, 786, 0]],
    ]);
    assert.deepEqual(lines.map((l: any) => [l.goods_minor, l.discount_minor, l.shipping_minor, l.paid_minor]), [[9900, 1666, 476, 8710], [10900, 1834, 524, 9590]]);
    assert.equal(r.body.total_minor, 18_300);
    assert.deepEqual(r.body.pricing.coupon_ids, [couponId]);

    const order = (await t.call('GET', `/api/v1/me/orders/${r.body.order_ids[0]}`, { token: buyer.token })).body;
    assert.deepEqual([order.goods_minor, order.discount_minor, order.shipping_minor, order.total_minor], [20_800, 3_500, 1_000, 18_300]);
    assert.deepEqual(order.lines.map((l: any) => l.paid_minor).sort(), [8710, 9590]);
    assert.deepEqual(order.pricing.explanation.funding, { platform_minor: 1500, merchant_minor: 2000 });
    assert.deepEqual(await wallet(buyer, 'used'), [couponId]);

    const stopped = await t.call('PATCH', `/api/v1/console/threshold-promotions/${mj.body.id}`, { token: operator.token, body: { status: 'stopped' } });
    assert.equal(stopped.body.status, 'stopped');
    await t.call('POST', `/api/v1/me/orders/${r.body.order_ids[0]}/cancel`, { token: buyer.token, body: {} });
  });

  test('preview with auto_coupons picks the cheapest coupons from the wallet', async () => {
    const small = await storeCoupon({ name: '减5', kind: 'fixed', off_minor: 500 }, ownerB, b.store.id);
    const big = await storeCoupon({ name: '满100减15', kind: 'threshold', threshold_minor: 10_000, off_minor: 1_500 }, ownerB, b.store.id);
    const ids = [await claim(buyer, small.id), await claim(buyer, big.id)];
    const p = await t.call('POST', '/api/v1/checkout/preview', { token: buyer.token, body: { items: [{ sku_id: b.product.skus[1].id, quantity: 1 }], auto_coupons: true } });
    assert.equal(p.status, 200, JSON.stringify(p.body));
    assert.deepEqual(p.body.coupon_ids, [ids[1]]);
    assert.equal(p.body.total_minor, 10_900 - 1_500); // store B has no template: ships free
  });
});

describe('redemption', () => {
  test('a coupon cannot be used twice, one after the other', async () => {
    const couponId = await claim(buyer, (await storeCoupon({ kind: 'fixed', off_minor: 500 }, ownerB, b.store.id)).id);
    const item = [{ sku_id: b.product.skus[0].id, quantity: 1 }];
    const first = await checkout(buyer, item, { coupon_ids: [couponId] });
    assert.equal(first.status, 201);
    assert.equal(first.body.total_minor, 9_400);
    const before = await orderCount(buyer);
    const second = await checkout(buyer, item, { coupon_ids: [couponId] });
    assert.equal(second.status, 422);
    assert.equal(second.body.error.code, 'coupon_used');
    assert.equal(await orderCount(buyer), before);
    await t.call('POST', `/api/v1/me/orders/${first.body.order_ids[0]}/cancel`, { token: buyer.token, body: {} });
  });

  test('a coupon used by 8 concurrent checkouts is taken by exactly one', async () => {
    const couponId = await claim(buyer, (await storeCoupon({ kind: 'fixed', off_minor: 500 }, ownerB, b.store.id)).id);
    const before = await orderCount(buyer);
    const rs = await Promise.all(Array.from({ length: 8 }, () => checkout(buyer, [{ sku_id: b.product.skus[0].id, quantity: 1 }], { coupon_ids: [couponId] })));
    assert.equal(rs.filter((r) => r.status === 201).length, 1);
    for (const r of rs.filter((x) => x.status !== 201)) assert.ok(['coupon_unavailable', 'coupon_used'].includes(r.body.error.code), JSON.stringify(r.body));
    assert.equal(await orderCount(buyer), before + 1);
    const won = rs.find((r) => r.status === 201)!;
    await t.call('POST', `/api/v1/me/orders/${won.body.order_ids[0]}/cancel`, { token: buyer.token, body: {} });
  });

  test("another buyer's coupon (or an unknown one) is refused and nothing is placed", async () => {
    const theirs = await claim(other, (await storeCoupon({ kind: 'fixed', off_minor: 500 }, ownerB, b.store.id)).id);
    const before = await orderCount(buyer);
    for (const id of [theirs, 'cpn_01JZZZZZZZZZZZZZZZZZZZZZZZ']) {
      const r = await checkout(buyer, [{ sku_id: b.product.skus[0].id, quantity: 1 }], { coupon_ids: [id] });
      assert.equal(r.status, 422);
      assert.equal(r.body.error.code, 'coupon_not_found');
    }
    assert.equal(await orderCount(buyer), before);
    assert.deepEqual(await wallet(other, 'usable'), [theirs]);
  });

  test('cancelling returns the coupon and the flash stock; so does the 15-minute expiry', async () => {
    const start = t.clock.now();
    const fs = await t.call('POST', `/api/v1/merchant/stores/${b.store.id}/flash-sales`, {
      token: ownerB.token, body: { sku_id: b.product.skus[0].id, price_minor: 5_900, flash_stock: 3, limit_per_buyer: 2, starts_at: iso(start), ends_at: iso(start + 2 * HOUR_MS) },
    });
    assert.equal(fs.status, 201, JSON.stringify(fs.body));
    const tpl = await storeCoupon({ kind: 'fixed', off_minor: 500 }, ownerB, b.store.id);
    const couponId = await claim(buyer, tpl.id);
    for (const finish of ['cancel', 'expire']) {
      const r = await checkout(buyer, [{ sku_id: b.product.skus[0].id, quantity: 2 }], { coupon_ids: [couponId] });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(r.body.pricing.lines[0].unit_price_minor, 5_900);
      assert.equal(r.body.total_minor, 2 * 5_900 - 500);
      assert.deepEqual([(await flash(fs.body.id, b.store.id, ownerB)).sold, (await flash(fs.body.id, b.store.id, ownerB)).stock_left], [2, 1]);
      assert.ok((await wallet(buyer, 'used')).includes(couponId));
      if (finish === 'cancel') {
        assert.equal((await t.call('POST', `/api/v1/me/orders/${r.body.order_ids[0]}/cancel`, { token: buyer.token, body: {} })).status, 200);
      } else {
        t.clock.advance(15 * MINUTE_MS + 1);
        await t.ctx.scheduler.runDue();
        assert.equal((await t.call('GET', `/api/v1/me/orders/${r.body.order_ids[0]}`, { token: buyer.token })).body.status, 'cancelled');
      }
      assert.ok((await wallet(buyer, 'usable')).includes(couponId), `coupon back after ${finish}`);
      assert.equal((await flash(fs.body.id, b.store.id, ownerB)).sold, 0, `flash stock back after ${finish}`);
    }
    await t.call('PATCH', `/api/v1/merchant/stores/${b.store.id}/flash-sales/${fs.body.id}`, { token: ownerB.token, body: { status: 'stopped' } });
  });
});

describe('flash sales under concurrency', () => {
  test('8 buyers racing for 3 flash units: exactly 3 at the flash price; one buyer racing 4 checkouts gets at most 2', async () => {
    const sku = a.product.skus[0].id; // ¥99, 10 in stock
    const start = t.clock.now();
    const fs = await t.call('POST', `/api/v1/merchant/stores/${a.store.id}/flash-sales`, {
      token: ownerA.token, body: { sku_id: sku, price_minor: 5_900, flash_stock: 3, starts_at: iso(start), ends_at: iso(start + HOUR_MS) },
    });
    assert.equal(fs.status, 201, JSON.stringify(fs.body));
    const racers = await Promise.all(Array.from({ length: 8 }, () => signedInUser(t)));
    const addrs = await Promise.all(racers.map(async (u) => (await t.call('POST', '/api/v1/me/addresses', { token: u.token, body: address })).body.id));
    const rs = await Promise.all(racers.map((u, i) => checkout(u, [{ sku_id: sku, quantity: 1 }], {}, addrs[i])));
    const atFlash = rs.filter((r) => r.status === 201 && r.body.pricing.lines[0].unit_price_minor === 5_900);
    assert.equal(atFlash.length, 3);
    for (const r of rs.filter((x) => !atFlash.includes(x))) {
      assert.ok((r.status === 409 && r.body.error.code === 'flash_sale_sold_out') || (r.status === 201 && r.body.pricing.lines[0].unit_price_minor === 9_900), JSON.stringify(r.body));
    }
    assert.deepEqual([(await flash(fs.body.id)).sold, (await flash(fs.body.id)).stock_left], [3, 0]);
    // the merchant's views name the SKU and its own price beside the flash price
    assert.deepEqual((await flash(fs.body.id)).product, { title: '促销甲店 测试商品', spec: { 颜色: '黑' }, image: null, price_minor: 9_900 });
    const listed = (await t.call('GET', `/api/v1/merchant/stores/${a.store.id}/flash-sales`, { token: ownerA.token })).body.items.find((x: any) => x.id === fs.body.id);
    assert.equal(listed.product.price_minor, 9_900);
    for (const r of rs.filter((x) => x.status === 201)) await t.call('POST', `/api/v1/me/orders/${r.body.order_ids[0]}/cancel`, { token: racers[rs.indexOf(r)].token, body: {} });
    assert.equal((await flash(fs.body.id)).sold, 0);

    await t.call('PATCH', `/api/v1/merchant/stores/${a.store.id}/flash-sales/${fs.body.id}`, { token: ownerA.token, body: { flash_stock: 6, limit_per_buyer: 2 } });
    const mine = await Promise.all(Array.from({ length: 4 }, () => checkout(buyer, [{ sku_id: sku, quantity: 1 }])));
    const cheap = mine.filter((r) => r.status === 201 && r.body.pricing.lines[0].unit_price_minor === 5_900);
    assert.equal(cheap.length, 2);
    for (const r of mine.filter((x) => !cheap.includes(x))) {
      assert.ok((r.status === 409 && r.body.error.code === 'flash_sale_limit') || (r.status === 201 && r.body.pricing.lines[0].unit_price_minor === 9_900), JSON.stringify(r.body));
    }
    for (const r of mine.filter((x) => x.status === 201)) await t.call('POST', `/api/v1/me/orders/${r.body.order_ids[0]}/cancel`, { token: buyer.token, body: {} });
    await t.call('PATCH', `/api/v1/merchant/stores/${a.store.id}/flash-sales/${fs.body.id}`, { token: ownerA.token, body: { status: 'stopped' } });
  });
});

describe('claiming under concurrency', () => {
  test('64 concurrent claims by 16 buyers: the budget of 10 and the limit of 1 each hold', async () => {
    const tpl = await storeCoupon({ kind: 'fixed', off_minor: 300, total_quantity: 10, per_buyer_limit: 1 });
    const buyers = await Promise.all(Array.from({ length: 16 }, () => signedInUser(t)));
    const rs = await Promise.all(Array.from({ length: 64 }, (_, i) => t.call('POST', `/api/v1/coupons/${tpl.id}/claim`, { token: buyers[i % 16].token })));
    assert.equal(rs.filter((r) => r.status === 201).length, 10);
    for (const r of rs.filter((x) => x.status !== 201)) assert.ok(['coupon_sold_out', 'claim_limit_reached'].includes(r.body.error.code), JSON.stringify(r.body));
    const held = await Promise.all(buyers.map((u) => wallet(u, 'usable')));
    assert.ok(held.every((w) => w.length <= 1));
    assert.equal(held.flat().length, 10);
    const view = (await t.call('GET', `/api/v1/merchant/stores/${a.store.id}/coupons/${tpl.id}`, { token: ownerA.token })).body;
    assert.deepEqual([view.claimed, view.remaining], [10, 0]);
  });

  test('64 concurrent claims against a budget of 100 with a limit of 2: every buyer gets exactly 2', async () => {
    const tpl = await storeCoupon({ kind: 'fixed', off_minor: 300, total_quantity: 100, per_buyer_limit: 2 });
    const buyers = await Promise.all(Array.from({ length: 16 }, () => signedInUser(t)));
    const rs = await Promise.all(Array.from({ length: 64 }, (_, i) => t.call('POST', `/api/v1/coupons/${tpl.id}/claim`, { token: buyers[i % 16].token })));
    assert.equal(rs.filter((r) => r.status === 201).length, 32);
    assert.ok(rs.filter((r) => r.status !== 201).every((r) => r.body.error.code === 'claim_limit_reached'));
    assert.deepEqual((await Promise.all(buyers.map((u) => wallet(u, 'usable')))).map((w) => w.length), Array(16).fill(2));
  });
});

describe('offers', () => {
  test('customer service may read but not create coupons; a stranger sees no store; buyers cannot use the console', async () => {
    const cs = await signedInUser(t);
    await t.ctx.identity.addStaff(t.ctx.db.kysely, a.store.id, cs.id, 'customer_service');
    const csToken = (await relogin(t, cs)).token;
    const body = { name: '客服券', kind: 'fixed', off_minor: 500, total_quantity: 10, per_buyer_limit: 1, ...window() };
    const denied = await t.call('POST', `/api/v1/merchant/stores/${a.store.id}/coupons`, { token: csToken, body });
    assert.equal(denied.status, 403);
    assert.equal((await t.call('GET', `/api/v1/merchant/stores/${a.store.id}/coupons`, { token: csToken })).status, 200);
    assert.equal((await t.call('POST', `/api/v1/merchant/stores/${a.store.id}/flash-sales`, { token: csToken, body: {} })).status, 403);
    assert.equal((await t.call('POST', `/api/v1/merchant/stores/${a.store.id}/coupons`, { token: buyer.token, body })).status, 404);
    assert.equal((await t.call('POST', '/api/v1/console/coupons', { token: buyer.token, body })).status, 403);
  });

  test('offers that break the rules are 422 with every problem explained', async () => {
    const post = (path: string, body: unknown, token = ownerA.token) => t.call('POST', `/api/v1/merchant/stores/${a.store.id}/${path}`, { token, body });
    const tooBig = await post('coupons', { name: '大额券', kind: 'fixed', off_minor: 30_000, total_quantity: 1, per_buyer_limit: 1, ...window() });
    assert.equal(tooBig.status, 422);
    assert.deepEqual(tooBig.body.error.details.problems.map((p: any) => p.code), ['fixed_over_max']);
    assert.match(tooBig.body.error.message_zh, /¥200/);
    const ladder = await post('threshold-promotions', { name: '阶梯', rule: { kind: 'tiers', tiers: [{ threshold_minor: 20_000, off_minor: 3_000 }, { threshold_minor: 10_000, off_minor: 1_000 }] }, ...window() });
    assert.equal(ladder.status, 422);
    assert.equal(ladder.body.error.code, 'invalid_promotion');
    const start = t.clock.now();
    const fsBad = await post('flash-sales', { sku_id: a.product.skus[0].id, price_minor: 9_000, flash_stock: 50, starts_at: iso(start), ends_at: iso(start + 25 * HOUR_MS) });
    assert.equal(fsBad.status, 422);
    assert.deepEqual(fsBad.body.error.details.problems.map((p: any) => p.code).sort(), ['price_too_high', 'saving_too_small', 'stock_over_sku', 'too_long']);
    const foreign = await post('flash-sales', { sku_id: b.product.skus[0].id, price_minor: 5_000, flash_stock: 1, starts_at: iso(start), ends_at: iso(start + HOUR_MS) });
    assert.equal(foreign.status, 404);
  });

  test('a stopped coupon whose claiming period has ended cannot be resumed until the period is extended', async () => {
    const c = await storeCoupon({ name: '限时领取券', kind: 'fixed', off_minor: 500, threshold_minor: 5_000, claim_to: iso(t.clock.now() + HOUR_MS) });
    const patch = (body: unknown) => t.call('PATCH', `/api/v1/merchant/stores/${a.store.id}/coupons/${c.id}`, { token: ownerA.token, body });
    assert.equal((await patch({ status: 'stopped' })).body.status, 'stopped');
    t.clock.advance(HOUR_MS + MINUTE_MS);
    ownerA = await relogin(t, ownerA);
    const resumed = await patch({ status: 'active' });
    assert.equal(resumed.status, 422, JSON.stringify(resumed.body));
    assert.deepEqual(resumed.body.error.details.problems.map((p: any) => p.code), ['claim_period_over']);
    assert.equal((await t.call('GET', `/api/v1/merchant/stores/${a.store.id}/coupons/${c.id}`, { token: ownerA.token })).body.status, 'stopped', 'nothing changed');
    const extended = await patch({ status: 'active', claim_to: iso(t.clock.now() + HOUR_MS) });
    assert.equal(extended.status, 200, JSON.stringify(extended.body));
    assert.equal(extended.body.status, 'active');
  });

  test('a flash price applies only inside its window and within the per-buyer limit', async () => {
    const sku = a.product.skus[1].id; // ¥109, 5 in stock
    const start = t.clock.now() + HOUR_MS;
    const fs = await t.call('POST', `/api/v1/merchant/stores/${a.store.id}/flash-sales`, {
      token: ownerA.token, body: { sku_id: sku, price_minor: 6_900, flash_stock: 4, limit_per_buyer: 2, starts_at: iso(start), ends_at: iso(start + HOUR_MS) },
    });
    assert.equal(fs.status, 201, JSON.stringify(fs.body));
    assert.equal(fs.body.phase, 'upcoming');
    const unit = async (quantity: number, u = buyer) =>
      (await t.call('POST', '/api/v1/checkout/preview', { token: u.token, body: { items: [{ sku_id: sku, quantity }] } })).body.lines[0].unit_price_minor;
    assert.equal(await unit(1), 10_900, 'before the window');
    t.clock.set(start);
    [buyer, ownerA] = [await relogin(t, buyer), await relogin(t, ownerA)];
    assert.equal(await unit(2), 6_900);
    assert.equal(await unit(3), 10_900, 'over the per-buyer limit the whole line is at the SKU price');
    const placed = await checkout(buyer, [{ sku_id: sku, quantity: 2 }]);
    assert.equal(placed.status, 201, JSON.stringify(placed.body));
    assert.equal(placed.body.pricing.lines[0].unit_price_minor, 6_900);
    assert.equal(await unit(1), 10_900, 'this buyer already bought 2');
    assert.equal((await flash(fs.body.id)).stock_left, 2);
    t.clock.set(start + HOUR_MS);
    [buyer, other] = [await relogin(t, buyer), await relogin(t, other)];
    assert.equal(await unit(1, other), 10_900, 'after the window');
  });

  test('the wallet lists usable, used and expired coupons', async () => {
    [ownerB, other] = [await relogin(t, ownerB), await relogin(t, other)];
    const tpl = await storeCoupon({ kind: 'fixed', off_minor: 100, ...window(0, 2 * HOUR_MS) }, ownerB, b.store.id);
    const id = await claim(other, tpl.id);
    assert.ok((await wallet(other, 'usable')).includes(id));
    t.clock.advance(2 * HOUR_MS);
    other = await relogin(t, other);
    assert.ok((await wallet(other, 'expired')).includes(id));
    assert.ok(!(await wallet(other, 'usable')).includes(id));
  });
});
