// Issue 5 end to end, on both engines: a creator selects a merchant's product from the affiliate
// pool, goes live with it pinned at a live price; a viewer buys from the room and pays through
// the sandbox; the order carries the room, the creator and the live price; after completion the
// merchant is settled minus fee and commission and the creator is owed the commission; a refund
// takes both back in proportion.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../src/lib/clock.ts';
import { applyRateBp } from '../src/lib/money.ts';
import { prorate } from '../src/modules/payments/index.ts';
import { relogin, signedInUser } from './support/fixtures.ts';
import { assertBooksBalance } from './support/onboarding.ts';
import { balanceOf, startPaymentsApp, storeSelling, type PaymentsTestApp } from './support/payments.ts';

type User = Awaited<ReturnType<typeof signedInUser>>;
let t: PaymentsTestApp;
let owner: User, creator: User, viewer: User, operator: User;
let shop: Awaited<ReturnType<typeof storeSelling>>;
let addressId: string;

const ok = <T = any>(r: { status: number; body: T }, status = 200): T => {
  assert.equal(r.status, status, JSON.stringify(r.body));
  return r.body;
};

before(async () => {
  t = await startPaymentsApp();
  [owner, viewer] = [await signedInUser(t), await signedInUser(t)];
  creator = await signedInUser(t, ['buyer', 'creator']);
  operator = await signedInUser(t, ['operator']);
  shop = await storeSelling(t, owner.id, '直播联盟店', { fee_rate_bp: 300, price_minor: 12_900 }); // 3% category, ¥129
  addressId = ok(await t.call('POST', '/api/v1/me/addresses', { token: viewer.token, body: { recipient: '周九', phone: '13812345670', province: '浙江省', city: '杭州市', district: '滨江区', detail: '网商路1号' } }), 201).id;
});
after(() => t.close());

test('creator selects → goes live with a pinned live price → a viewer buys in the room → settled with fee and commission → a refund reverses both', async () => {
  // The merchant offers the product at 20% commission; the creator selects it.
  ok(await t.call('POST', `/api/v1/merchant/stores/${shop.store.id}/affiliate/offers`, { token: owner.token, body: { product_id: shop.product.id, rate_bp: 2000 } }), 201);
  assert.equal(ok(await t.call('POST', '/api/v1/creator/selections', { token: creator.token, body: { product_id: shop.product.id } }), 201).rate_bp, 2000);

  // The creator's room: the product on the shelf, a ¥99 live price set by the merchant, live, pinned.
  const room = ok(await t.call('POST', '/api/v1/creator/live/rooms', { token: creator.token, body: { title: '达人专场', stream_url: 'https://pull.example.com/live/e2e.m3u8', scheduled_start: new Date(t.clock.now() + HOUR_MS).toISOString() } }), 201);
  const item = ok(await t.call('POST', `/api/v1/live/rooms/${room.id}/shelf`, { token: creator.token, body: { product_id: shop.product.id } }), 201);
  ok(await t.call('PUT', `/api/v1/live/rooms/${room.id}/shelf/${item.id}/live-price`, { token: owner.token, body: { sku_id: shop.sku, price_minor: 9_900, live_stock: 10 } }));
  ok(await t.call('POST', `/api/v1/live/rooms/${room.id}/start`, { token: creator.token }));
  assert.equal(ok(await t.call('PUT', `/api/v1/live/rooms/${room.id}/pinned`, { token: creator.token, body: { item_id: item.id } })).item.pinned, true);

  // The same SKU bought outside the room pays the normal price and carries no creator, even when the client claims the room.
  const outside = ok(await t.call('POST', '/api/v1/checkout/preview', { token: viewer.token, body: { items: [{ sku_id: shop.sku, quantity: 1, attribution: { channel: 'store' } }], address_id: addressId } }));
  assert.equal(outside.lines[0].unit_price_minor, 12_900);

  // A viewer buys two in the room and pays through the sandbox (signed notification).
  const c = ok(await t.call('POST', `/api/v1/live/rooms/${room.id}/checkouts`, { token: viewer.token, body: { items: [{ sku_id: shop.sku, quantity: 2 }], address_id: addressId } }), 201);
  await t.payCheckout(viewer.token, c.checkout_id);
  const order = ok(await t.call('GET', `/api/v1/me/orders/${c.order_ids[0]}`, { token: viewer.token }));
  assert.equal(order.status, 'paid');
  const line = order.lines[0];
  assert.deepEqual([line.channel, line.content_id, line.creator_id, line.unit_price_minor, line.quantity], ['live', room.id, creator.id, 9_900, 2]);
  const paid = line.paid_minor;
  assert.equal(paid, 19_800);
  const commission = applyRateBp(paid, 2000);
  const fee = applyRateBp(paid, 300);
  const creatorOrders = ok(await t.call('GET', '/api/v1/creator/orders', { token: creator.token })).items;
  assert.deepEqual(creatorOrders.map((l: any) => [l.rate_bp, l.commission_minor, l.commission_status]), [[2000, commission, 'pending']]);

  // Shipped, received, settled after the settlement period.
  ok(await t.call('POST', `/api/v1/merchant/stores/${shop.store.id}/orders/${order.id}/shipments`, { token: owner.token, body: { carrier: 'SF', tracking_no: 'SF3000000000001' } }), 201);
  assert.equal(ok(await t.call('POST', `/api/v1/me/orders/${order.id}/confirm-receipt`, { token: viewer.token })).status, 'completed');
  const availableBefore = await balanceOf(t, 'merchant_available', shop.store.id);
  await t.pump();
  t.clock.advance(7 * DAY_MS + MINUTE_MS);
  await t.pump();
  [owner, creator, viewer, operator] = await Promise.all([owner, creator, viewer, operator].map((u) => relogin(t, u)));
  assert.equal(await balanceOf(t, 'merchant_available', shop.store.id) - availableBefore, paid - fee - commission, 'merchant: paid − fee − commission');
  assert.equal(await balanceOf(t, 'creator_commission_payable', creator.id), commission, 'the creator is owed the commission');
  await assertBooksBalance(t);

  // A partial refund after settlement takes fee and commission back in proportion.
  const refund = await t.call('POST', '/api/v1/console/payments/refunds', {
    token: operator.token, body: { order_id: order.id, reason: '退一件', out_refund_no: `rf_${order.id}_e2e`, lines: [{ line_id: line.id, amount_minor: 9_900 }] },
  });
  ok(refund);
  await t.pump();
  assert.equal(await balanceOf(t, 'creator_commission_payable', creator.id), commission - prorate(commission, 9_900, paid));
  await assertBooksBalance(t);

  // The room's statistics count the sale.
  const stats = ok(await t.call('GET', `/api/v1/live/rooms/${room.id}/stats`, { token: creator.token }));
  assert.deepEqual([stats.orders, stats.units, stats.gmv_minor], [1, 2, 19_800]);
});
