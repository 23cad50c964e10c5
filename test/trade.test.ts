import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MINUTE_MS } from '../src/lib/clock.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { openStoreWithProduct, signedInUser } from './support/fixtures.ts';

let t: TestApp;
let buyer: Awaited<ReturnType<typeof signedInUser>>;
let other: Awaited<ReturnType<typeof signedInUser>>;
let a: Awaited<ReturnType<typeof openStoreWithProduct>>;
let b: Awaited<ReturnType<typeof openStoreWithProduct>>;
let addressId: string;
const address = { recipient: '王五', phone: '13812340000', province: '上海市', city: '上海市', district: '浦东新区', detail: '世纪大道100号' };

async function stockOf(storeOwnerToken: string, storeId: string, productId: string) {
  const p = await t.call('GET', `/api/v1/merchant/stores/${storeId}/products/${productId}`, { token: storeOwnerToken });
  return p.body.skus.map((s: any) => s.stock);
}

let ownerA: Awaited<ReturnType<typeof signedInUser>>;
before(async () => {
  t = await startTestApp();
  ownerA = await signedInUser(t);
  const ownerB = await signedInUser(t);
  a = await openStoreWithProduct(t, ownerA.id, '交易甲店');
  b = await openStoreWithProduct(t, ownerB.id, '交易乙店');
  buyer = await signedInUser(t);
  other = await signedInUser(t);
  addressId = (await t.call('POST', '/api/v1/me/addresses', { token: buyer.token, body: address })).body.id;
});
after(() => t.close());

describe('checkout', () => {
  test('a cart across two stores becomes two orders paid by one checkout, with stock held', async () => {
    for (const sku of [a.product.skus[0].id, b.product.skus[1].id]) {
      assert.equal((await t.call('POST', '/api/v1/me/cart/items', { token: buyer.token, body: { sku_id: sku, quantity: 2 } })).status, 201);
    }
    const cart = await t.call('GET', '/api/v1/me/cart', { token: buyer.token });
    assert.equal(cart.body.items.length, 2);
    const preview = await t.call('POST', '/api/v1/checkout/preview', { token: buyer.token, body: { cart_item_ids: cart.body.items.map((i: any) => i.id) } });
    assert.equal(preview.status, 200);
    assert.equal(preview.body.total_minor, 2 * 9900 + 2 * 10900);
    const res = await t.call('POST', '/api/v1/checkouts', {
      token: buyer.token, headers: { 'idempotency-key': 'checkout-two-stores-1' },
      body: { cart_item_ids: cart.body.items.map((i: any) => i.id), address_id: addressId, expected_total_minor: preview.body.total_minor },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.order_ids.length, 2);
    assert.equal(res.body.total_minor, 41600);
    const orders = await t.call('GET', '/api/v1/me/orders', { token: buyer.token });
    assert.deepEqual(orders.body.items.map((o: any) => o.status), ['unpaid', 'unpaid']);
    assert.equal(orders.body.items.reduce((s: number, o: any) => s + o.total_minor, 0), res.body.total_minor);
    const stock = await stockOf(ownerA.token, a.store.id, a.product.id);
    assert.deepEqual(stock[0], { on_hand: 10, reserved: 2, available: 8 });
    assert.deepEqual((await t.call('GET', '/api/v1/me/cart', { token: buyer.token })).body.items, [], 'checked-out items leave the cart');

    const replay = await t.call('POST', '/api/v1/checkouts', {
      token: buyer.token, headers: { 'idempotency-key': 'checkout-two-stores-1' },
      body: { cart_item_ids: cart.body.items.map((i: any) => i.id), address_id: addressId, expected_total_minor: preview.body.total_minor },
    });
    assert.equal(replay.status, 201);
    assert.equal(replay.body.checkout_id, res.body.checkout_id);
  });

  test('the order line keeps a snapshot of title, spec and price at purchase time', async () => {
    const res = await t.call('POST', '/api/v1/checkouts', { token: buyer.token, body: { items: [{ sku_id: a.product.skus[1].id, quantity: 1 }], address_id: addressId } });
    await t.call('PATCH', `/api/v1/merchant/stores/${a.store.id}/skus/${a.product.skus[1].id}/price`, { token: ownerA.token, body: { price_minor: 50000 } });
    const order = await t.call('GET', `/api/v1/me/orders/${res.body.order_ids[0]}`, { token: buyer.token });
    assert.equal(order.body.lines[0].unit_price_minor, 10900);
    assert.deepEqual(order.body.lines[0].spec, { 颜色: '白' });
    assert.equal(order.body.lines[0].channel, 'direct');
    await t.call('PATCH', `/api/v1/merchant/stores/${a.store.id}/skus/${a.product.skus[1].id}/price`, { token: ownerA.token, body: { price_minor: 10900 } });
  });

  test('a changed total is refused with 409 price_changed and nothing is placed', async () => {
    const before = (await t.call('GET', '/api/v1/me/orders?limit=100', { token: buyer.token })).body.items.length;
    const r = await t.call('POST', '/api/v1/checkouts', { token: buyer.token, body: { items: [{ sku_id: a.product.skus[0].id, quantity: 1 }], address_id: addressId, expected_total_minor: 1 } });
    assert.equal(r.status, 409);
    assert.equal(r.body.error.code, 'price_changed');
    assert.equal(r.body.error.details.total_minor, 9900);
    assert.equal((await t.call('GET', '/api/v1/me/orders?limit=100', { token: buyer.token })).body.items.length, before);
  });
});

describe('hostile input', () => {
  test('client prices, negative and huge quantities and unknown fields are 400', async () => {
    const sku = a.product.skus[0].id;
    for (const item of [{ sku_id: sku, quantity: 1, price_minor: 1 }, { sku_id: sku, quantity: -1 }, { sku_id: sku, quantity: 0 }, { sku_id: sku, quantity: 1e9 }, { sku_id: sku, quantity: 1.5 }]) {
      const r = await t.call('POST', '/api/v1/checkouts', { token: buyer.token, body: { items: [item], address_id: addressId } });
      assert.equal(r.status, 400, JSON.stringify(item));
    }
  });

  test("another buyer's cart items, address and orders are not found", async () => {
    const item = (await t.call('POST', '/api/v1/me/cart/items', { token: buyer.token, body: { sku_id: a.product.skus[0].id, quantity: 1 } })).body;
    const otherAddress = (await t.call('POST', '/api/v1/me/addresses', { token: other.token, body: address })).body.id;
    assert.equal((await t.call('POST', '/api/v1/checkouts', { token: other.token, body: { cart_item_ids: [item.id], address_id: otherAddress } })).status, 404);
    assert.equal((await t.call('POST', '/api/v1/checkouts', { token: other.token, body: { items: [{ sku_id: a.product.skus[0].id, quantity: 1 }], address_id: addressId } })).status, 404);
    const order = (await t.call('GET', '/api/v1/me/orders', { token: buyer.token })).body.items[0];
    assert.equal((await t.call('GET', `/api/v1/me/orders/${order.id}`, { token: other.token })).status, 404);
    assert.equal((await t.call('POST', `/api/v1/me/orders/${order.id}/cancel`, { token: other.token, body: {} })).status, 404);
    assert.equal((await t.call('GET', `/api/v1/merchant/stores/${b.store.id}/orders/${order.id}`, { token: ownerA.token })).status, 404);
    await t.call('DELETE', `/api/v1/me/cart/items/${item.id}`, { token: buyer.token });
  });

  test('more than the stock is a 422 and holds nothing', async () => {
    const before = await stockOf(ownerA.token, a.store.id, a.product.id);
    const r = await t.call('POST', '/api/v1/checkouts', { token: buyer.token, body: { items: [{ sku_id: a.product.skus[0].id, quantity: 1 }, { sku_id: a.product.skus[1].id, quantity: 100 }], address_id: addressId } });
    assert.equal(r.status, 422);
    assert.equal(r.body.error.code, 'insufficient_stock');
    assert.deepEqual(await stockOf(ownerA.token, a.store.id, a.product.id), before);
  });
});

describe('order life', () => {
  test('a buyer cancels an unpaid order: stock comes back; cancelling again is 409 with the state', async () => {
    const before = await stockOf(ownerA.token, a.store.id, a.product.id);
    const c = (await t.call('POST', '/api/v1/checkouts', { token: buyer.token, body: { items: [{ sku_id: a.product.skus[0].id, quantity: 3 }], address_id: addressId } })).body;
    assert.equal((await stockOf(ownerA.token, a.store.id, a.product.id))[0].reserved, before[0].reserved + 3);
    const r = await t.call('POST', `/api/v1/me/orders/${c.order_ids[0]}/cancel`, { token: buyer.token, body: { reason: '不想要了' } });
    assert.equal(r.status, 200);
    assert.deepEqual(await stockOf(ownerA.token, a.store.id, a.product.id), before);
    const again = await t.call('POST', `/api/v1/me/orders/${c.order_ids[0]}/cancel`, { token: buyer.token, body: {} });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.details.current_status, 'cancelled');
    const detail = await t.call('GET', `/api/v1/me/orders/${c.order_ids[0]}`, { token: buyer.token });
    assert.deepEqual(detail.body.history.map((h: any) => [h.from, h.to, h.actor]), [['unpaid', 'cancelled', 'buyer']]);
  });

  test('an order unpaid for 15 minutes is cancelled by the scheduler and its stock released', async () => {
    const before = await stockOf(ownerA.token, a.store.id, a.product.id);
    const c = (await t.call('POST', '/api/v1/checkouts', { token: buyer.token, body: { items: [{ sku_id: a.product.skus[0].id, quantity: 2 }], address_id: addressId } })).body;
    t.clock.advance(14 * MINUTE_MS);
    await t.ctx.scheduler.runDue();
    assert.equal((await t.call('GET', `/api/v1/me/orders/${c.order_ids[0]}`, { token: buyer.token })).body.status, 'unpaid');
    t.clock.advance(MINUTE_MS + 1);
    await t.ctx.scheduler.runDue();
    const o = (await t.call('GET', `/api/v1/me/orders/${c.order_ids[0]}`, { token: buyer.token })).body;
    assert.equal(o.status, 'cancelled');
    assert.equal(o.cancel_reason, 'unpaid_timeout');
    // every order still unpaid from the earlier tests is older than 15 minutes now: all released
    const after = await stockOf(ownerA.token, a.store.id, a.product.id);
    assert.ok(before[0].reserved >= 2);
    assert.deepEqual(after.map((s: any) => s.reserved), [0, 0]);
    assert.deepEqual(after.map((s: any) => s.on_hand), before.map((s: any) => s.on_hand));
  });

  test('merchants list their orders with filters and export CSV', async () => {
    const list = await t.call('GET', `/api/v1/merchant/stores/${a.store.id}/orders?status=cancelled`, { token: ownerA.token });
    assert.equal(list.status, 200);
    assert.ok(list.body.items.length >= 2);
    assert.ok(list.body.items.every((o: any) => o.status === 'cancelled' && o.store_id === a.store.id));
    const csv = await fetch(`${t.baseUrl}/api/v1/merchant/stores/${a.store.id}/orders.csv`, { headers: { authorization: `Bearer ${ownerA.token}` } });
    assert.equal(csv.status, 200);
    const bytes = Buffer.from(await csv.arrayBuffer());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM so Excel reads Chinese');
    const text = bytes.subarray(3).toString('utf8');
    assert.match(text, /^订单号,状态/);
    assert.match(text, /交易甲店 测试商品/);
    assert.doesNotMatch(text, /交易乙店/);
  });
});

describe('concurrency', () => {
  test('64 buyers racing for 10 units: exactly 10 orders, nothing oversold', async () => {
    const owner = await signedInUser(t);
    const hot = await openStoreWithProduct(t, owner.id, '秒杀店');
    const sku = hot.product.skus[0].id; // 10 in stock
    const buyers = await Promise.all(Array.from({ length: 16 }, () => signedInUser(t)));
    const addrs = await Promise.all(buyers.map(async (u) => (await t.call('POST', '/api/v1/me/addresses', { token: u.token, body: address })).body.id));
    const attempts = await Promise.all(Array.from({ length: 64 }, (_, i) => t.call('POST', '/api/v1/checkouts', { token: buyers[i % 16].token, body: { items: [{ sku_id: sku, quantity: 1 }], address_id: addrs[i % 16] } })));
    const ok = attempts.filter((r) => r.status === 201).length;
    const soldOut = attempts.filter((r) => r.status === 422 && r.body.error.code === 'insufficient_stock').length;
    assert.equal(ok, 10);
    assert.equal(soldOut, 54);
    const stock = (await stockOf(owner.token, hot.store.id, hot.product.id))[0];
    assert.deepEqual(stock, { on_hand: 10, reserved: 10, available: 0 });
  });
});
