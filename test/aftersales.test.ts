import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DAY_MS, HOUR_MS } from '../src/lib/clock.ts';
import { startTestApp } from './support/app.ts';
import { aftersalesWorld, FakeRefunds, advance, ok200, settle, shopWithStock, trackingNo, type User } from './support/aftersales.ts';
import { signedInUser } from './support/fixtures.ts';

const refunds = new FakeRefunds();
let w: Awaited<ReturnType<typeof aftersalesWorld>>;
let t: typeof w.t;
let a: typeof w.a;
let buyer: User;
let shop: typeof w.shop;
let users: User[];
let order: typeof w.order;
let created: typeof w.created;

before(async () => {
  w = await aftersalesWorld(await startTestApp({ refunds }), refunds);
  ({ t, a, buyer, shop, users, order, created } = w);
});
after(() => w.t.close());

describe('request types end to end', () => {
  test('refund only before shipment is instant (极速退款) and closes the fully refunded order', async () => {
    const o = await order(1);
    const r = await a.create(buyer, { order_id: o.id, line_id: o.line.id, type: 'refund_only', reason: 'no_longer_needed' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.request.status, 'refunded');
    assert.equal(r.body.request.instant, true);
    assert.equal(r.body.request.refund_amount_minor, 9900);
    assert.deepEqual(r.body.history.map((h: any) => [h.action, h.actor]), [['create', 'buyer'], ['approve', 'system'], ['refund_succeeded', 'system']]);
    assert.deepEqual(r.body.refunds.map((x: any) => [x.amount_minor, x.status]), [[9900, 'succeeded']]);
    const call = refunds.calls.at(-1)!;
    assert.deepEqual(call, { order_id: o.id, lines: [{ line_id: o.line.id, amount_minor: 9900 }], reason: 'aftersales:refund_only:no_longer_needed', out_refund_no: r.body.refunds[0].id });
    const ord = (await a.order(buyer, o.id)).body;
    assert.equal(ord.status, 'closed');
    assert.equal(ord.lines[0].refunded_minor, 9900);
    assert.equal(await t.ctx.aftersales.hasOpenRequest(o.id), false);
  });

  test('refund only after shipment waits for the merchant; customer service reads but cannot decide', async () => {
    const o = await order(2, 'shipped');
    const req = await created({ order_id: o.id, line_id: o.line.id, type: 'refund_only', reason: 'not_as_described', amount_minor: 5000, description: '颜色不对' });
    assert.equal(req.status, 'pending_merchant');
    assert.equal(req.waiting_on, 'merchant');
    assert.equal(req.deadline_action, 'auto_approve');
    assert.equal(Date.parse(req.deadline_at), t.clock.now() + 48 * HOUR_MS);
    assert.equal(await t.ctx.aftersales.hasOpenRequest(o.id), true, 'an open request holds settlement');
    const queue = await t.call('GET', `/api/v1/merchant/stores/${shop.store.id}/aftersales/queue`, { token: w.cs.token });
    assert.equal(queue.status, 200);
    assert.ok(queue.body.items.some((x: any) => x.id === req.id));
    assert.equal((await a.store(shop, req.id, w.cs.token)).status, 200);
    assert.equal((await a.merchant(shop, req.id, 'approve', {}, w.cs.token)).status, 403);
    assert.equal((await a.merchant(shop, req.id, 'messages', { note: '您好，我们正在核实' }, w.cs.token)).status, 200);
    const done = ok200(await a.merchant(shop, req.id, 'approve'));
    assert.equal(done.status, 'refunded');
    const ord = (await a.order(buyer, o.id)).body;
    assert.equal(ord.status, 'shipped');
    assert.equal(ord.lines[0].refunded_minor, 5000);
    const mine = (await a.mine(buyer, req.id)).body;
    assert.deepEqual(mine.history.map((h: any) => h.action), ['create', 'message', 'approve', 'refund_succeeded']);
    assert.equal(mine.history[1].note, '您好，我们正在核实');
    assert.equal(mine.history[2].actor_id, undefined, 'buyers see the side, not the staff account');
    assert.equal((await a.store(shop, req.id)).body.history[2].actor_id, shop.owner.id);
  });

  test('return & refund: the return ships, its delivery starts the merchant’s 10 days, confirming refunds', async () => {
    const o = await order(2, 'received');
    const req = await created({ order_id: o.id, line_id: o.line.id, type: 'return_refund', reason: 'no_reason_7d', quantity: 1 });
    assert.equal(req.amount_minor, 9900);
    const approved = ok200(await a.merchant(shop, req.id, 'approve'));
    assert.equal(approved.status, 'awaiting_return');
    assert.equal(approved.deadline_action, 'return_timeout');
    const bad = await a.buyer(buyer, req.id, 'return-shipment', { carrier: 'SF', tracking_no: '12' });
    assert.equal(bad.status, 400);
    const shipped = ok200(await a.buyer(buyer, req.id, 'return-shipment', { carrier: 'SANDBOX', tracking_no: trackingNo() }));
    assert.equal(shipped.status, 'returning');
    assert.equal(shipped.deadline_at, null);
    await advance(t, 48 * HOUR_MS + 1, users);
    const delivered = (await a.mine(buyer, req.id)).body.request;
    assert.equal(delivered.status, 'return_delivered');
    assert.equal(delivered.deadline_action, 'auto_refund');
    assert.equal(Date.parse(delivered.deadline_at), Date.parse(delivered.return_delivered_at) + 10 * DAY_MS);
    await t.ctx.outbox.drain(); // a redelivered event changes nothing
    const done = ok200(await a.merchant(shop, req.id, 'confirm-return'));
    assert.equal(done.status, 'refunded');
    assert.equal((await a.order(buyer, o.id)).body.lines[0].refunded_minor, 9900);
  });

  test('exchange: the merchant confirms the returned goods and ships the replacement; no money moves', async () => {
    const o = await order(1, 'received');
    const before = refunds.calls.length;
    const req = await created({ order_id: o.id, line_id: o.line.id, type: 'exchange', reason: 'quality' });
    assert.equal(req.amount_minor, 0);
    ok200(await a.merchant(shop, req.id, 'approve'));
    ok200(await a.buyer(buyer, req.id, 'return-shipment', { carrier: 'SANDBOX', tracking_no: trackingNo() }));
    const missing = await a.merchant(shop, req.id, 'confirm-return', {});
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error.code, 'replacement_required');
    const done = ok200(await a.merchant(shop, req.id, 'confirm-return', { replacement: { carrier: 'SANDBOX', tracking_no: trackingNo() } }));
    assert.equal(done.status, 'exchanged');
    const shipments = (await t.call('GET', `/api/v1/me/orders/${o.id}/shipments`, { token: buyer.token })).body.items;
    assert.deepEqual(shipments.map((s: any) => s.direction), ['outbound', 'return', 'outbound']);
    assert.equal(shipments[2].id, done.replacement_shipment_id);
    assert.equal(refunds.calls.length, before);
    assert.equal(await t.ctx.aftersales.hasOpenRequest(o.id), false);
  });
});

describe('deadlines', () => {
  test('a merchant silent for 48 hours: approved automatically; acting after the deadline is refused', async () => {
    const o = await order(1, 'shipped');
    const req = await created({ order_id: o.id, line_id: o.line.id, type: 'refund_only', reason: 'not_received' });
    await advance(t, 47 * HOUR_MS, users);
    assert.equal((await a.mine(buyer, req.id)).body.request.status, 'pending_merchant');
    await advance(t, 2 * HOUR_MS, users, { settle: false });
    const late = await a.merchant(shop, req.id, 'reject', { reason: '已发货' });
    assert.equal(late.status, 409);
    assert.equal(late.body.error.code, 'deadline_passed');
    await settle(t);
    const d = (await a.mine(buyer, req.id)).body;
    assert.equal(d.request.status, 'refunded');
    assert.deepEqual(d.history.slice(1).map((h: any) => [h.action, h.actor]), [['auto_approve', 'system'], ['refund_succeeded', 'system']]);
    assert.equal((await a.order(buyer, o.id)).body.status, 'closed');
  });

  test('a buyer who does not post the return within 7 days: the request closes', async () => {
    const o = await order(1, 'received');
    const req = await created({ order_id: o.id, line_id: o.line.id, type: 'return_refund', reason: 'quality' });
    ok200(await a.merchant(shop, req.id, 'approve'));
    await advance(t, 7 * DAY_MS + 1, users);
    const r = (await a.mine(buyer, req.id)).body.request;
    assert.deepEqual([r.status, r.close_reason, r.open], ['closed', 'return_not_shipped', false]);
    assert.equal((await a.buyer(buyer, req.id, 'return-shipment', { carrier: 'SANDBOX', tracking_no: trackingNo() })).status, 409);
  });

  test('a merchant who does not confirm a delivered return within 10 days: refunded automatically', async () => {
    const o = await order(1, 'received');
    const req = await created({ order_id: o.id, line_id: o.line.id, type: 'exchange', reason: 'wrong_item' });
    ok200(await a.merchant(shop, req.id, 'approve'));
    ok200(await a.buyer(buyer, req.id, 'return-shipment', { carrier: 'SANDBOX', tracking_no: trackingNo() }));
    await advance(t, 2 * DAY_MS + HOUR_MS, users);
    assert.equal((await a.mine(buyer, req.id)).body.request.status, 'return_delivered');
    await advance(t, 10 * DAY_MS, users);
    const d = (await a.mine(buyer, req.id)).body;
    assert.equal(d.request.status, 'refunded', 'an exchange the merchant never confirmed is refunded');
    assert.equal(d.request.refund_amount_minor, 9900);
    assert.deepEqual(d.history.map((h: any) => h.action), ['create', 'approve', 'ship_return', 'return_delivered', 'auto_refund', 'refund_succeeded']);
  });

  test('a rejection not escalated within 7 days closes', async () => {
    const o = await order(1, 'received');
    const req = await created({ order_id: o.id, line_id: o.line.id, type: 'return_refund', reason: 'quality' });
    ok200(await a.merchant(shop, req.id, 'reject', { reason: '商品无质量问题' }));
    await advance(t, 7 * DAY_MS + 1, users);
    const r = (await a.mine(buyer, req.id)).body.request;
    assert.deepEqual([r.status, r.close_reason, r.merchant_reason], ['closed', 'rejection_not_escalated', '商品无质量问题']);
    assert.equal((await a.buyer(buyer, req.id, 'escalate', { statement: '我要投诉' })).status, 409);
  });
});

describe('partial refunds', () => {
  test('refunds by quantity use each unit\'s share of what the line paid, and add up to it exactly', async () => {
    const shipping = await shopWithStock(t, await signedInUser(t), '运费店');
    const rules = [{ provinces: '*', first_units: 1, first_fee_minor: 1001, additional_units: 1, additional_fee_minor: 0 }];
    const tpl = await t.call('POST', `/api/v1/merchant/stores/${shipping.store.id}/shipping-templates`, { token: shipping.owner.token, body: { name: '标准', is_default: true, rules, free_threshold_minor: 1_000_000_00, excluded_provinces: [] } });
    assert.equal(tpl.status, 201, JSON.stringify(tpl.body));
    users.push(shipping.owner);
    const o = await order(3, 'received', shipping);
    assert.equal(o.line.paid_minor, 3 * 9900 + 1001, 'the line carries its share of the freight');
    const first = await created({ order_id: o.id, line_id: o.line.id, type: 'return_refund', reason: 'no_reason_7d', quantity: 1 });
    assert.equal(first.amount_minor, 10234); // 30701 over 3 units: 10234, 10234, 10233
    const over = await a.create(buyer, { order_id: o.id, line_id: o.line.id, type: 'refund_only', reason: 'other', quantity: 1 });
    assert.equal(over.status, 409, 'one open request per item');
    for (const [req, qty] of [[first, 1]] as const) {
      ok200(await a.merchant(shipping, req.id, 'approve'));
      ok200(await a.buyer(buyer, req.id, 'return-shipment', { carrier: 'SANDBOX', tracking_no: trackingNo() }));
      assert.equal(ok200(await a.merchant(shipping, req.id, 'confirm-return')).refund_amount_minor, 10234 * qty);
    }
    const tooMuch = await a.create(buyer, { order_id: o.id, line_id: o.line.id, type: 'return_refund', reason: 'no_reason_7d', quantity: 2, amount_minor: 20468 });
    assert.equal(tooMuch.status, 422);
    assert.equal(tooMuch.body.error.details.max_minor, 20467);
    const rest = await created({ order_id: o.id, line_id: o.line.id, type: 'return_refund', reason: 'no_reason_7d' });
    assert.deepEqual([rest.quantity, rest.amount_minor], [2, 20467]);
    ok200(await a.merchant(shipping, rest.id, 'approve'));
    ok200(await a.buyer(buyer, rest.id, 'return-shipment', { carrier: 'SANDBOX', tracking_no: trackingNo() }));
    ok200(await a.merchant(shipping, rest.id, 'confirm-return'));
    const line = (await a.order(buyer, o.id)).body.lines[0];
    assert.equal(line.refunded_minor, line.paid_minor);
    assert.equal(refunds.moneyMoved(o.id), 30701);
    const none = await a.create(buyer, { order_id: o.id, line_id: o.line.id, type: 'refund_only', reason: 'other' });
    assert.equal(none.body.error.code, 'nothing_left', 'every unit is refunded');
  });
});
