import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DAY_MS } from '../src/lib/clock.ts';
import { startTestApp } from './support/app.ts';
import { aftersalesWorld, FakeRefunds, advance, ok200, shopWithStock, trackingNo, type User } from './support/aftersales.ts';
import { signedInUser } from './support/fixtures.ts';

const refunds = new FakeRefunds();
let w: Awaited<ReturnType<typeof aftersalesWorld>>;
let t: typeof w.t;
let a: typeof w.a;
let buyer: User;
let shop: typeof w.shop;
let other: User;
let operator: User;
let addressId: string;
let users: User[];
let order: typeof w.order;
let created: typeof w.created;

before(async () => {
  w = await aftersalesWorld(await startTestApp({ refunds }), refunds);
  ({ t, a, buyer, other, operator, shop, users, order, created, addressId } = w);
});
after(() => w.t.close());

describe('negotiation and arbitration', () => {
  test('the merchant negotiates: the buyer rejects one proposal, answers a request for proof, accepts another type and amount', async () => {
    const o = await order(1, 'received');
    const req = await created({ order_id: o.id, line_id: o.line.id, type: 'return_refund', reason: 'quality', description: '有划痕' });
    const tooMuch = await a.merchant(shop, req.id, 'propose', { kind: 'amount', amount_minor: 9901, note: '多退' });
    assert.equal(tooMuch.status, 422);
    assert.equal(tooMuch.body.error.code, 'amount_exceeds_refundable');
    const p1 = ok200(await a.merchant(shop, req.id, 'propose', { kind: 'amount', amount_minor: 3000, note: '退30元可以吗' }));
    assert.deepEqual([p1.status, p1.waiting_on, p1.deadline_action], ['awaiting_buyer', 'buyer', 'buyer_timeout']);
    assert.deepEqual(p1.proposal, { kind: 'amount', amount_minor: 3000, note: '退30元可以吗' });
    assert.equal(ok200(await a.buyer(buyer, req.id, 'reject-proposal', { note: '不同意' })).status, 'pending_merchant');
    ok200(await a.merchant(shop, req.id, 'propose', { kind: 'proof', note: '请上传划痕照片' }));
    assert.equal((await a.buyer(buyer, req.id, 'accept-proposal')).body.error.code, 'no_proposal');
    const proved = ok200(await a.buyer(buyer, req.id, 'proof', { note: '见图', evidence: ['https://files.example/scratch.jpg'] }));
    assert.deepEqual([proved.status, proved.evidence], ['pending_merchant', ['https://files.example/scratch.jpg']]);
    ok200(await a.merchant(shop, req.id, 'propose', { kind: 'type', type: 'refund_only', amount_minor: 2000, note: '不用退货，补偿20元' }));
    const done = ok200(await a.buyer(buyer, req.id, 'accept-proposal'));
    assert.deepEqual([done.status, done.type, done.refund_amount_minor], ['refunded', 'refund_only', 2000]);
    const d = (await a.mine(buyer, req.id)).body;
    assert.deepEqual(d.history.map((h: any) => [h.action, h.actor]), [
      ['create', 'buyer'], ['propose', 'merchant'], ['reject_proposal', 'buyer'], ['request_proof', 'merchant'], ['submit_proof', 'buyer'], ['propose', 'merchant'], ['accept_proposal', 'buyer'], ['refund_succeeded', 'system'],
    ]);
    assert.equal((await a.order(buyer, o.id)).body.lines[0].refunded_minor, 2000);
  });

  test('a buyer who leaves a proposal unanswered for 7 days: the request closes', async () => {
    const o = await order(1, 'received');
    const req = await created({ order_id: o.id, line_id: o.line.id, type: 'refund_only', reason: 'quality' });
    ok200(await a.merchant(shop, req.id, 'propose', { kind: 'amount', amount_minor: 1000, note: '补偿10元' }));
    await advance(t, 7 * DAY_MS + 1, users);
    const r = (await a.mine(buyer, req.id)).body.request;
    assert.deepEqual([r.status, r.close_reason], ['closed', 'buyer_did_not_answer']);
  });

  test('a rejection goes to platform arbitration; an operator decides for the buyer with a written reason', async () => {
    const o = await order(1, 'shipped');
    const req = await created({ order_id: o.id, line_id: o.line.id, type: 'refund_only', reason: 'not_received' });
    const rejected = ok200(await a.merchant(shop, req.id, 'reject', { reason: '物流显示已签收' }));
    assert.deepEqual([rejected.status, rejected.deadline_action], ['rejected', 'escalation_timeout']);
    const escalated = ok200(await a.buyer(buyer, req.id, 'escalate', { statement: '我没有收到包裹' }));
    assert.deepEqual([escalated.status, escalated.waiting_on], ['arbitration', 'operator']);
    assert.equal((await a.buyer(buyer, req.id, 'withdraw')).status, 409, 'a case before the platform is not withdrawn');
    const queue = await t.call('GET', '/api/v1/console/aftersales/disputes', { token: operator.token });
    assert.equal(queue.status, 200);
    const dispute = queue.body.items.find((d: any) => d.request_id === req.id);
    assert.equal(dispute.buyer_statement, '我没有收到包裹');
    assert.equal((await t.call('GET', '/api/v1/console/aftersales/disputes', { token: buyer.token })).status, 403);
    const noReason = await t.call('POST', `/api/v1/console/aftersales/disputes/${dispute.id}/decide`, { token: operator.token, body: { decision: 'buyer' } });
    assert.equal(noReason.status, 400);
    const decided = await t.call('POST', `/api/v1/console/aftersales/disputes/${dispute.id}/decide`, { token: operator.token, body: { decision: 'buyer', reason: '物流签收地址与收货地址不符，支持买家', refund_amount_minor: 9000 } });
    assert.equal(decided.status, 200, JSON.stringify(decided.body));
    assert.deepEqual([decided.body.dispute.status, decided.body.request.status, decided.body.request.refund_amount_minor], ['decided', 'refunded', 9000]);
    const again = await t.call('POST', `/api/v1/console/aftersales/disputes/${dispute.id}/decide`, { token: operator.token, body: { decision: 'merchant', reason: '改判' } });
    assert.equal(again.status, 409);
    const seen = (await a.mine(buyer, req.id)).body;
    assert.equal(seen.disputes[0].decision_reason, '物流签收地址与收货地址不符，支持买家');
    assert.deepEqual(seen.history.map((h: any) => h.action), ['create', 'reject', 'escalate', 'decide_for_buyer', 'refund_succeeded']);
    assert.equal((await a.store(shop, req.id)).body.history[3].actor_id, operator.id);
  });

  test('an operator decides for the merchant: the request closes; refused returned goods go to arbitration with the goods back', async () => {
    const o = await order(1, 'received');
    const req = await created({ order_id: o.id, line_id: o.line.id, type: 'return_refund', reason: 'quality' });
    ok200(await a.merchant(shop, req.id, 'reject', { reason: '人为损坏' }));
    ok200(await a.buyer(buyer, req.id, 'escalate', { statement: '收到就是坏的' }));
    const dispute = (await a.mine(buyer, req.id)).body.disputes[0];
    const r = await t.call('POST', `/api/v1/console/aftersales/disputes/${dispute.id}/decide`, { token: operator.token, body: { decision: 'merchant', reason: '买家未提供凭证' } });
    assert.deepEqual([r.body.request.status, r.body.request.close_reason], ['closed', 'arbitration_for_merchant']);

    const req2 = await created({ order_id: o.id, line_id: o.line.id, type: 'return_refund', reason: 'quality' });
    ok200(await a.merchant(shop, req2.id, 'approve'));
    ok200(await a.buyer(buyer, req2.id, 'return-shipment', { carrier: 'SANDBOX', tracking_no: trackingNo() }));
    ok200(await a.merchant(shop, req2.id, 'reject', { reason: '退回商品缺少配件' }));
    ok200(await a.buyer(buyer, req2.id, 'escalate', { statement: '配件都在' }));
    const d2 = (await a.mine(buyer, req2.id)).body.disputes[0];
    const r2 = await t.call('POST', `/api/v1/console/aftersales/disputes/${d2.id}/decide`, { token: operator.token, body: { decision: 'buyer', reason: '退货签收照片显示配件齐全' } });
    assert.deepEqual([r2.body.request.status, r2.body.request.refund_amount_minor], ['refunded', 9900], 'goods already back: straight to the refund');
  });
});

describe('limits and hostile input', () => {
  test('at most 5 requests per item, one open at a time', async () => {
    const o = await order(1, 'shipped');
    const body = { order_id: o.id, line_id: o.line.id, type: 'refund_only', reason: 'other' };
    for (let i = 0; i < 5; i++) {
      const req = await created(body);
      const second = await a.create(buyer, body);
      assert.equal(second.status, 409);
      assert.equal(second.body.error.code, 'request_already_open');
      assert.equal(ok200(await a.buyer(buyer, req.id, 'withdraw')).close_reason, 'withdrawn');
    }
    const sixth = await a.create(buyer, body);
    assert.equal(sixth.status, 422);
    assert.equal(sixth.body.error.code, 'request_limit_reached');
    assert.match(sixth.body.error.message_zh, /最多申请 5 次/);
  });

  test('outside the window is refused; the 7-day no-reason return ends after 7 days', async () => {
    const o = await order(1, 'received');
    await advance(t, 8 * DAY_MS, users);
    const late = await a.create(buyer, { order_id: o.id, line_id: o.line.id, type: 'return_refund', reason: 'no_reason_7d' });
    assert.equal(late.status, 422);
    assert.equal(late.body.error.code, 'no_reason_expired');
    const req = await created({ order_id: o.id, line_id: o.line.id, type: 'return_refund', reason: 'quality' });
    ok200(await a.buyer(buyer, req.id, 'withdraw'));
    await advance(t, 7 * DAY_MS + 1, users);
    const closed = await a.create(buyer, { order_id: o.id, line_id: o.line.id, type: 'return_refund', reason: 'quality' });
    assert.equal(closed.status, 422);
    assert.equal(closed.body.error.code, 'aftersales_window_closed');
    assert.ok(closed.body.error.message_zh);
  });

  test('amounts above what is refundable, other buyers and other stores, unpaid orders, bad input', async () => {
    const o = await order(2, 'shipped');
    const over = await a.create(buyer, { order_id: o.id, line_id: o.line.id, type: 'refund_only', reason: 'other', quantity: 1, amount_minor: 9901 });
    assert.equal(over.status, 422);
    assert.deepEqual([over.body.error.code, over.body.error.details.max_minor], ['amount_exceeds_refundable', 9900]);
    assert.equal((await a.create(buyer, { order_id: o.id, line_id: o.line.id, type: 'refund_only', reason: 'other', quantity: 3 })).body.error.code, 'quantity_exceeds');
    assert.equal((await a.create(other, { order_id: o.id, line_id: o.line.id, type: 'refund_only', reason: 'other' })).status, 404);
    const req = await created({ order_id: o.id, line_id: o.line.id, type: 'refund_only', reason: 'other', amount_minor: 100 });
    assert.equal((await a.mine(other, req.id)).status, 404);
    assert.equal((await a.buyer(other, req.id, 'withdraw')).status, 404);
    const stranger = await shopWithStock(t, await signedInUser(t), '别家店');
    assert.equal((await t.call('GET', `/api/v1/merchant/stores/${stranger.store.id}/aftersales/${req.id}`, { token: stranger.owner.token })).status, 404);
    assert.equal((await t.call('POST', `/api/v1/merchant/stores/${shop.store.id}/aftersales/${req.id}/approve`, { token: stranger.owner.token, body: {} })).status, 404);
    for (const bad of [{ amount_minor: -1 }, { amount_minor: 1.5 }, { quantity: 0 }, { type: 'steal' }, { extra: 1 }]) {
      assert.equal((await a.create(buyer, { order_id: o.id, line_id: o.line.id, type: 'refund_only', reason: 'other', ...bad })).status, 400, JSON.stringify(bad));
    }
    const c = await t.call('POST', '/api/v1/checkouts', { token: buyer.token, body: { items: [{ sku_id: shop.product.skus[0].id, quantity: 1 }], address_id: addressId } });
    const unpaid = (await a.order(buyer, c.body.order_ids[0])).body;
    assert.equal((await a.create(buyer, { order_id: unpaid.id, line_id: unpaid.lines[0].id, type: 'refund_only', reason: 'other' })).body.error.code, 'order_not_eligible');
    assert.equal((await a.create(buyer, { order_id: o.id, line_id: o.line.id, type: 'return_refund', reason: 'no_reason_7d' })).body.error.code, 'request_already_open');
  });
  test('a retried create with the same Idempotency-Key replays the first answer: one request, one refund', async () => {
    const o = await order(1);
    const body = { order_id: o.id, line_id: o.line.id, type: 'refund_only', reason: 'no_longer_needed' };
    const headers = { 'idempotency-key': `asr-create-${o.id}` };
    const first = await t.call('POST', '/api/v1/me/aftersales', { token: buyer.token, body, headers });
    const again = await t.call('POST', '/api/v1/me/aftersales', { token: buyer.token, body, headers });
    assert.equal(first.status, 201);
    assert.deepEqual([again.status, again.headers.get('idempotent-replayed'), again.body.request.id], [201, 'true', first.body.request.id]);
    assert.equal((await t.call('GET', '/api/v1/me/aftersales?limit=100', { token: buyer.token })).body.items.filter((r: any) => r.order_id === o.id).length, 1);
    assert.equal(refunds.moneyMoved(o.id), 9900);
  });
});

describe('refunds through payments', () => {
  test('a refund the provider cannot take now is retried with the same out_refund_no until it succeeds', async () => {
    const o = await order(1);
    refunds.mode = 'down';
    const req = await created({ order_id: o.id, line_id: o.line.id, type: 'refund_only', reason: 'no_longer_needed' });
    assert.equal(req.status, 'refunding');
    assert.equal(await t.ctx.aftersales.hasOpenRequest(o.id), true);
    refunds.mode = 'processing';
    await advance(t, 30_000, users);
    assert.equal((await a.mine(buyer, req.id)).body.request.status, 'refunding');
    refunds.mode = 'succeed';
    await advance(t, 60_000, users);
    const d = (await a.mine(buyer, req.id)).body;
    assert.equal(d.request.status, 'refunded');
    const nos = new Set(refunds.calls.filter((c) => c.order_id === o.id).map((c) => c.out_refund_no));
    assert.equal(nos.size, 1);
    assert.ok(refunds.calls.filter((c) => c.order_id === o.id).length >= 3);
    assert.equal(refunds.moneyMoved(o.id), 9900);
    assert.equal((await a.order(buyer, o.id)).body.lines[0].refunded_minor, 9900);
  });

  test('a refund the provider refuses waits for an operator, who sends it again', async () => {
    const o = await order(1);
    refunds.mode = 'refuse';
    const req = await created({ order_id: o.id, line_id: o.line.id, type: 'refund_only', reason: 'no_longer_needed' });
    assert.deepEqual([req.status, req.waiting_on], ['refund_failed', 'operator']);
    refunds.mode = 'succeed';
    const r = await t.call('POST', `/api/v1/console/aftersales/requests/${req.id}/retry-refund`, { token: operator.token });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.request.status, 'refunded');
    assert.deepEqual(r.body.refunds.map((x: any) => x.status), ['failed', 'succeeded']);
    assert.equal(refunds.moneyMoved(o.id), 9900);
  });
});
