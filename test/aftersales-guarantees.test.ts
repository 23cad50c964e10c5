import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { HOUR_MS } from '../src/lib/clock.ts';
import { PLATFORM_OWNER } from '../src/modules/ledger/index.ts';
import { startTestApp } from './support/app.ts';
import { aftersalesWorld, FakeRefunds, advance, ok200, shopWithStock, trackingNo, type User } from './support/aftersales.ts';
import { signedInUser } from './support/fixtures.ts';
import { assertBooksBalance } from './support/onboarding.ts';

const refunds = new FakeRefunds();
let w: Awaited<ReturnType<typeof aftersalesWorld>>;
let t: typeof w.t;
let buyer: User;
let operator: User;
let shop: typeof w.shop;

before(async () => {
  w = await aftersalesWorld(await startTestApp({ refunds }), refunds);
  ({ t, buyer, operator, shop } = w);
});
after(() => w.t.close());

const claim = (body: Record<string, unknown>, who = buyer) => t.call('POST', '/api/v1/me/guarantee-claims', { token: who.token, body });
const balance = async (code: Parameters<typeof t.ctx.ledger.findAccount>[1], owner: string) => (await t.ctx.ledger.findAccount(t.ctx.db.kysely, code, owner))?.balance_minor ?? 0;
const evidence = ['https://files.example/proof.jpg'];

describe('假一赔三 (counterfeit)', () => {
  test('an operator approves: appraisal + 3 × price, from the merchant’s balance or booked as its debt; the books balance', async () => {
    const o = await w.order(2, 'received');
    const filed = await claim({ order_id: o.id, line_id: o.line.id, kind: 'counterfeit', quantity: 1, appraisal_fee_minor: 20000, description: '鉴定为假货', evidence });
    assert.equal(filed.status, 201, JSON.stringify(filed.body));
    const id = filed.body.claim.id;
    assert.equal(filed.body.claim.status, 'submitted');
    assert.equal(await t.ctx.aftersales.hasOpenRequest(o.id), true);
    assert.equal((await claim({ order_id: o.id, line_id: o.line.id, kind: 'counterfeit', description: '再来', evidence })).status, 409);
    const queue = await t.call('GET', '/api/v1/console/guarantee-claims', { token: operator.token });
    assert.ok(queue.body.items.some((c: any) => c.id === id));
    assert.equal((await t.call('POST', `/api/v1/console/guarantee-claims/${id}/decide`, { token: buyer.token, body: { approve: true, reason: 'x' } })).status, 403);

    const payableBefore = await balance('buyer_compensation_payable', PLATFORM_OWNER);
    const r = await t.call('POST', `/api/v1/console/guarantee-claims/${id}/decide`, { token: operator.token, body: { approve: true, reason: '鉴定报告确认为假货' } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual([r.body.claim.status, r.body.claim.amount_minor, r.body.claim.funding], ['paid', 20000 + 3 * 9900, 'merchant_debt']);
    assert.equal(await balance('merchant_compensation_owed', shop.store.id), 49700, 'no balance yet: the platform advances it, the merchant owes it');
    assert.equal(await balance('buyer_compensation_payable', PLATFORM_OWNER) - payableBefore, 49700);
    assert.equal(await balance('merchant_available', shop.store.id), 0);
    assert.equal(await t.ctx.aftersales.hasOpenRequest(o.id), false);
    assert.equal((await t.call('POST', `/api/v1/console/guarantee-claims/${id}/decide`, { token: operator.token, body: { approve: true, reason: '再次' } })).status, 409);
    const seen = (await t.call('GET', `/api/v1/me/guarantee-claims/${id}`, { token: buyer.token })).body;
    assert.deepEqual(seen.history.map((h: any) => [h.action, h.actor]), [['create', 'buyer'], ['approve', 'operator']]);
    await assertBooksBalance(t);
  });

  test('a rejected claim moves no money; another buyer cannot claim on the order', async () => {
    const o = await w.order(1, 'received');
    assert.equal((await claim({ order_id: o.id, line_id: o.line.id, kind: 'counterfeit', description: '假的', evidence }, w.other)).status, 404);
    const id = (await claim({ order_id: o.id, line_id: o.line.id, kind: 'counterfeit', description: '假的', evidence })).body.claim.id;
    const transfers = (await t.ctx.ledger.reconcile()).transfers;
    const r = await t.call('POST', `/api/v1/console/guarantee-claims/${id}/decide`, { token: operator.token, body: { approve: false, reason: '鉴定为正品' } });
    assert.deepEqual([r.body.claim.status, r.body.claim.decision_reason], ['rejected', '鉴定为正品']);
    assert.equal((await t.ctx.ledger.reconcile()).transfers, transfers);
  });
});

describe('坏损包退 (damaged on arrival)', () => {
  test('the merchant’s damage ratio refunds that share through payments', async () => {
    const o = await w.order(2, 'received');
    const id = (await claim({ order_id: o.id, line_id: o.line.id, kind: 'damaged', quantity: 1, description: '外壳碎裂', evidence })).body.claim.id;
    assert.equal((await w.a.create(buyer, { order_id: o.id, line_id: o.line.id, type: 'refund_only', reason: 'damaged' })).status, 409, 'one open matter per item');
    const r = await t.call('POST', `/api/v1/merchant/stores/${shop.store.id}/guarantee-claims/${id}/damage-ratio`, { token: shop.owner.token, body: { damage_ratio_bp: 3000, note: '按三成赔付' } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual([r.body.claim.status, r.body.claim.amount_minor, r.body.claim.funding], ['paid', 2970, 'refund']);
    assert.equal((await w.a.order(buyer, o.id)).body.lines[0].refunded_minor, 2970);
    assert.equal(refunds.moneyMoved(o.id), 2970);
  });

  test('a merchant silent for 48 hours: the damage is refunded in full', async () => {
    const o = await w.order(1, 'received');
    const id = (await claim({ order_id: o.id, line_id: o.line.id, kind: 'damaged', description: '屏幕碎了', evidence })).body.claim.id;
    await advance(t, 48 * HOUR_MS + 1, w.users);
    const c = (await t.call('GET', `/api/v1/merchant/stores/${shop.store.id}/guarantee-claims/${id}`, { token: shop.owner.token })).body;
    assert.deepEqual([c.claim.status, c.claim.damage_ratio_bp, c.claim.amount_minor], ['paid', 10000, 9900]);
    assert.equal((await w.a.order(buyer, o.id)).body.status, 'completed');
    const late = await t.call('POST', `/api/v1/merchant/stores/${shop.store.id}/guarantee-claims/${id}/reject`, { token: shop.owner.token, body: { reason: '晚了' } });
    assert.equal(late.status, 409);
  });
});

describe('运费险 (return-shipping insurance)', () => {
  test('an insured return that completes pays the buyer’s return shipping, platform-funded, once', async () => {
    const insured = await shopWithStock(t, await signedInUser(t), '运费险店', { shipping_insurance: true });
    w.users.push(insured.owner);
    const o = await w.order(1, 'received', insured);
    assert.equal(o.line.shipping_insurance, true);
    const expenseBefore = await balance('platform_shipping_insurance_expense', PLATFORM_OWNER);
    const req = await w.created({ order_id: o.id, line_id: o.line.id, type: 'return_refund', reason: 'no_reason_7d' });
    assert.equal(req.shipping_insurance, true);
    ok200(await w.a.merchant(insured, req.id, 'approve'));
    ok200(await w.a.buyer(buyer, req.id, 'return-shipment', { carrier: 'SANDBOX', tracking_no: trackingNo() }));
    ok200(await w.a.merchant(insured, req.id, 'confirm-return'));
    const claims = (await t.call('GET', '/api/v1/me/guarantee-claims', { token: buyer.token })).body.items.filter((c: any) => c.request_id === req.id);
    assert.deepEqual(claims.map((c: any) => [c.kind, c.status, c.amount_minor, c.funding]), [['shipping_insurance', 'paid', 1000, 'platform']]);
    assert.equal(await balance('platform_shipping_insurance_expense', PLATFORM_OWNER) - expenseBefore, 1000);
    assert.ok((await w.a.mine(buyer, req.id)).body.history.some((h: any) => h.action === 'shipping_insurance_paid'));
    await assertBooksBalance(t);
  });
});
