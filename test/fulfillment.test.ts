import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DAY_MS, HOUR_MS } from '../src/lib/clock.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { openStoreWithProduct, relogin, signedInUser } from './support/fixtures.ts';

let t: TestApp;
let owner: Awaited<ReturnType<typeof signedInUser>>;
let buyer: Awaited<ReturnType<typeof signedInUser>>;
let shop: Awaited<ReturnType<typeof openStoreWithProduct>>;
let addressId: string;

before(async () => {
  t = await startTestApp();
  owner = await signedInUser(t);
  buyer = await signedInUser(t);
  shop = await openStoreWithProduct(t, owner.id, '发货测试店');
  addressId = (await t.call('POST', '/api/v1/me/addresses', { token: buyer.token, body: { recipient: '赵六', phone: '13912341234', province: '广东省', city: '广州市', district: '天河区', detail: '体育西路1号' } })).body.id;
});
after(() => t.close());

/** A paid order of 2 × black + 1 × white (payments would mark it paid after a verified notification). */
async function paidOrder(): Promise<{ orderId: string; lines: any[] }> {
  const c = (await t.call('POST', '/api/v1/checkouts', { token: buyer.token, body: { items: [{ sku_id: shop.product.skus[0].id, quantity: 2 }, { sku_id: shop.product.skus[1].id, quantity: 1 }], address_id: addressId } })).body;
  const outcome = await t.ctx.db.transaction((tx) => t.ctx.trade.markCheckoutPaid(tx, c.checkout_id, c.total_minor));
  assert.equal(outcome.kind, 'paid');
  const order = (await t.call('GET', `/api/v1/me/orders/${c.order_ids[0]}`, { token: buyer.token })).body;
  return { orderId: order.id, lines: order.lines };
}

const ship = (orderId: string, body: unknown, token = owner.token) => t.call('POST', `/api/v1/merchant/stores/${shop.store.id}/orders/${orderId}/shipments`, { token, body });

describe('shipping', () => {
  test('an unpaid order cannot ship (409 with its state)', async () => {
    const c = (await t.call('POST', '/api/v1/checkouts', { token: buyer.token, body: { items: [{ sku_id: shop.product.skus[0].id, quantity: 1 }], address_id: addressId } })).body;
    const r = await ship(c.order_ids[0], { carrier: 'SF', tracking_no: 'SF1234567890123' });
    assert.equal(r.status, 409);
    assert.equal(r.body.error.details.current_status, 'unpaid');
    await t.call('POST', `/api/v1/me/orders/${c.order_ids[0]}/cancel`, { token: buyer.token, body: {} });
  });

  test('partial shipment, then the rest; stock leaves on payment; buyer follows the parcel to delivery', async () => {
    const { orderId, lines } = await paidOrder();
    const black = lines.find((l: any) => l.quantity === 2);
    const first = await ship(orderId, { carrier: 'SF', tracking_no: 'sf1000000000001', lines: [{ line_id: black.id, quantity: 1 }] });
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal(first.body.tracking_no, 'SF1000000000001');
    let order = (await t.call('GET', `/api/v1/me/orders/${orderId}`, { token: buyer.token })).body;
    assert.equal(order.status, 'partially_shipped');
    const over = await ship(orderId, { carrier: 'SF', tracking_no: 'SF1000000000002', lines: [{ line_id: black.id, quantity: 2 }] });
    assert.equal(over.status, 422);
    assert.equal(over.body.error.code, 'ship_quantity_exceeds');
    const rest = await ship(orderId, { carrier: 'ZTO', tracking_no: '7300000000001' });
    assert.equal(rest.status, 201);
    order = (await t.call('GET', `/api/v1/me/orders/${orderId}`, { token: buyer.token })).body;
    assert.equal(order.status, 'shipped');
    assert.deepEqual(order.lines.map((l: any) => l.shipped_quantity - l.quantity), [0, 0]);

    t.clock.advance(2 * DAY_MS + HOUR_MS);
    await t.ctx.scheduler.runDue();
    [buyer, owner] = [await relogin(t, buyer), await relogin(t, owner)];
    const tracking = (await t.call('GET', `/api/v1/me/orders/${orderId}/shipments`, { token: buyer.token })).body.items;
    assert.equal(tracking.length, 2);
    assert.ok(tracking.every((s: any) => s.status === 'delivered'));
    assert.deepEqual(tracking[0].events.map((e: any) => e.status), ['shipped', 'picked_up', 'in_transit', 'out_for_delivery', 'delivered']);
    assert.match(tracking[0].events[4].description, /签收/);
  });

  test('a shipped order is received automatically 10 days after it shipped, and completes', async () => {
    const { orderId } = await paidOrder();
    await ship(orderId, { carrier: 'YTO', tracking_no: 'YT1234567890123' });
    t.clock.advance(10 * DAY_MS - HOUR_MS);
    await t.ctx.scheduler.runDue();
    [buyer, owner] = [await relogin(t, buyer), await relogin(t, owner)];
    assert.equal((await t.call('GET', `/api/v1/me/orders/${orderId}`, { token: buyer.token })).body.status, 'shipped');
    t.clock.advance(2 * HOUR_MS);
    await t.ctx.scheduler.runDue();
    [buyer, owner] = [await relogin(t, buyer), await relogin(t, owner)];
    const order = (await t.call('GET', `/api/v1/me/orders/${orderId}`, { token: buyer.token })).body;
    assert.equal(order.status, 'completed');
    assert.deepEqual(order.history.slice(-2).map((h: any) => [h.event, h.actor]), [['auto_receive', 'system'], ['complete', 'system']]);
  });

  test('the buyer confirms receipt early; confirming twice is 409', async () => {
    const { orderId } = await paidOrder();
    await ship(orderId, { carrier: 'JD', tracking_no: 'JDVA0000000001' });
    const r = await t.call('POST', `/api/v1/me/orders/${orderId}/confirm-receipt`, { token: buyer.token });
    assert.equal(r.status, 200);
    assert.equal(r.body.status, 'completed');
    assert.equal((await t.call('POST', `/api/v1/me/orders/${orderId}/confirm-receipt`, { token: buyer.token })).status, 409);
  });

  test('bad carriers and tracking numbers are 400; another store or a customer-service role cannot ship', async () => {
    const { orderId } = await paidOrder();
    assert.equal((await ship(orderId, { carrier: 'XX', tracking_no: '123456789' })).body.error.code, 'unknown_carrier');
    const bad = await ship(orderId, { carrier: 'SF', tracking_no: '123456' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'invalid_tracking_no');
    const stranger = await signedInUser(t);
    await openStoreWithProduct(t, stranger.id, '别人的店');
    assert.equal((await ship(orderId, { carrier: 'SF', tracking_no: 'SF1000000000009' }, stranger.token)).status, 404);
    const cs = await signedInUser(t);
    await t.call('POST', `/api/v1/merchant/stores/${shop.store.id}/staff`, { token: owner.token, body: { phone: cs.phone, role: 'customer_service' } });
    assert.equal((await ship(orderId, { carrier: 'SF', tracking_no: 'SF1000000000009' }, cs.token)).status, 403);
    const order = (await t.call('GET', `/api/v1/me/orders/${orderId}`, { token: buyer.token })).body;
    assert.equal(order.status, 'paid');
  });

  test('shipping templates: a default rule is required; the store keeps one default', async () => {
    const base = { name: '全国包邮', is_default: true, free_threshold_minor: 9900, excluded_provinces: ['西藏自治区'] };
    const bad = await t.call('POST', `/api/v1/merchant/stores/${shop.store.id}/shipping-templates`, { token: owner.token, body: { ...base, rules: [{ provinces: ['广东省'], first_units: 1, first_fee_minor: 0, additional_units: 1, additional_fee_minor: 0 }] } });
    assert.equal(bad.status, 422);
    const rules = [{ provinces: '*', first_units: 1, first_fee_minor: 800, additional_units: 1, additional_fee_minor: 200 }];
    const one = await t.call('POST', `/api/v1/merchant/stores/${shop.store.id}/shipping-templates`, { token: owner.token, body: { ...base, rules } });
    const two = await t.call('POST', `/api/v1/merchant/stores/${shop.store.id}/shipping-templates`, { token: owner.token, body: { ...base, name: '新模板', rules } });
    assert.equal(one.status, 201);
    const list = (await t.call('GET', `/api/v1/merchant/stores/${shop.store.id}/shipping-templates`, { token: owner.token })).body.items;
    assert.deepEqual(list.filter((x: any) => x.is_default).map((x: any) => x.id), [two.body.id]);
  });

  test('a template without a free-shipping threshold charges freight on every order (null is not ¥0)', async () => {
    const rules = [{ provinces: '*', first_units: 1, first_fee_minor: 1000, additional_units: 1, additional_fee_minor: 0 }];
    const tpl = await t.call('POST', `/api/v1/merchant/stores/${shop.store.id}/shipping-templates`, { token: owner.token, body: { name: '不包邮', is_default: true, rules, free_threshold_minor: null, excluded_provinces: [] } });
    assert.equal(tpl.status, 201, JSON.stringify(tpl.body));
    assert.equal(tpl.body.free_threshold_minor, null);
    const preview = await t.call('POST', '/api/v1/checkout/preview', { token: buyer.token, body: { items: [{ sku_id: shop.product.skus[0].id, quantity: 1 }], address_id: addressId } });
    assert.equal(preview.status, 200, JSON.stringify(preview.body));
    assert.equal(preview.body.stores[0].shipping_minor, 1000);
    // a number sent as text is refused in a JSON body rather than coerced
    const text = await t.call('POST', `/api/v1/merchant/stores/${shop.store.id}/shipping-templates`, { token: owner.token, body: { name: '文本', is_default: false, rules, free_threshold_minor: '9900', excluded_provinces: [] } });
    assert.equal(text.status, 400);
  });
});
