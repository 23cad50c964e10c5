import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DAY_MS, HOUR_MS } from '../src/lib/clock.ts';
import { PLATFORM_OWNER } from '../src/modules/ledger/index.ts';
import { api, trackingNo, type User } from './support/aftersales.ts';
import { relogin, signedInUser } from './support/fixtures.ts';
import { assertBooksBalance } from './support/onboarding.ts';
import { balanceOf, startPaymentsApp, storeSelling, type PaymentsTestApp } from './support/payments.ts';

/**
 * After-sales over the real payments module and the bundled sandbox provider (real signatures,
 * asynchronous notifications). startPaymentsApp wraps startTestApp, so this file runs on both engines.
 */
let t: PaymentsTestApp;
let a: ReturnType<typeof api>;
let buyer: User, owner: User, operator: User;
let shop: Awaited<ReturnType<typeof storeSelling>>;
let addressId: string;

before(async () => {
  t = await startPaymentsApp();
  a = api(t);
  [buyer, owner, operator] = [await signedInUser(t), await signedInUser(t), await signedInUser(t, ['operator'])];
  shop = await storeSelling(t, owner.id, '售后支付店', { fee_rate_bp: 300, price_minor: 9900, stock: 100 });
  addressId = (await t.call('POST', '/api/v1/me/addresses', { token: buyer.token, body: { recipient: '周九', phone: '13812340002', province: '江苏省', city: '南京市', district: '玄武区', detail: '中山路1号' } })).body.id;
});
after(() => t.close());

/** Everything due: outbox, scheduler, payments worker, sandbox notifications, after-sales refunds. */
async function pumpAll(): Promise<void> {
  for (let i = 0; i < 10; i++) {
    await t.pump();
    if ((await t.ctx.aftersales.runDueRefunds()) === 0) return;
  }
}
async function advance(ms: number): Promise<void> {
  t.clock.advance(ms);
  await pumpAll();
  for (const u of [buyer, owner, operator]) u.token = (await relogin(t, u)).token;
}
async function paidOrder(quantity: number) {
  const c = await t.call('POST', '/api/v1/checkouts', { token: buyer.token, body: { items: [{ sku_id: shop.sku, quantity }], address_id: addressId } });
  assert.equal(c.status, 201, JSON.stringify(c.body));
  await t.payCheckout(buyer.token, c.body.checkout_id);
  const o = (await a.order(buyer, c.body.order_ids[0])).body;
  assert.equal(o.status, 'paid');
  return { id: o.id as string, line: o.lines[0] };
}
const merchantShop = () => ({ store: shop.store, owner }) as never;

describe('refunds through payments and the sandbox provider', () => {
  test('an instant refund leaves escrow, reaches the buyer, and closes the order; the books balance', async () => {
    const o = await paidOrder(1);
    assert.equal(await balanceOf(t, 'platform_escrow', shop.store.id), 9900);
    const r = await a.create(buyer, { order_id: o.id, line_id: o.line.id, type: 'refund_only', reason: 'no_longer_needed' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    await pumpAll();
    const d = (await a.mine(buyer, r.body.request.id)).body;
    assert.equal(d.request.status, 'refunded');
    const provider = t.sandbox.refund(d.refunds[0].id);
    assert.deepEqual([provider?.refund, provider?.status], [9900, 'SUCCESS'], 'the provider refunded under our out_refund_no');
    assert.equal((await a.order(buyer, o.id)).body.status, 'closed');
    assert.equal(await balanceOf(t, 'platform_escrow', shop.store.id), 0);
    assert.equal(await balanceOf(t, 'buyer_refunds_payable', PLATFORM_OWNER), 0);
    await assertBooksBalance(t);
  });

  test('settlement waits while a request is open; the refund comes out of escrow, the rest settles; 假一赔三 is then paid from the balance', async () => {
    const o = await paidOrder(5);
    await t.call('POST', `/api/v1/merchant/stores/${shop.store.id}/orders/${o.id}/shipments`, { token: owner.token, body: { carrier: 'SANDBOX', tracking_no: trackingNo() } });
    assert.equal((await t.call('POST', `/api/v1/me/orders/${o.id}/confirm-receipt`, { token: buyer.token })).status, 200);
    const req = (await a.create(buyer, { order_id: o.id, line_id: o.line.id, type: 'return_refund', reason: 'no_reason_7d', quantity: 1 })).body.request;
    await advance(7 * DAY_MS + HOUR_MS);
    assert.equal((await t.ctx.payments.orderFunds(o.id))?.status, 'held', 'an open request holds settlement');
    assert.equal((await a.mine(buyer, req.id)).body.request.status, 'awaiting_return', 'the merchant stayed silent: approved after 48 h');
    assert.equal((await a.buyer(buyer, req.id, 'return-shipment', { carrier: 'SANDBOX', tracking_no: trackingNo() })).status, 200);
    assert.equal((await a.merchant(merchantShop(), req.id, 'confirm-return')).status, 200);
    await pumpAll();
    assert.equal((await a.mine(buyer, req.id)).body.request.status, 'refunded');
    await advance(HOUR_MS + 1);
    const funds = await t.ctx.payments.orderFunds(o.id);
    assert.deepEqual([funds?.status, Number(funds?.refunded_minor)], ['settled', 9900]);
    const available = await balanceOf(t, 'merchant_available', shop.store.id);
    assert.equal(available, 4 * 9900 - Math.round(4 * 9900 * 0.03), 'the merchant gets what was not refunded, minus the 3% fee');

    const claim = await t.call('POST', '/api/v1/me/guarantee-claims', { token: buyer.token, body: { order_id: o.id, line_id: o.line.id, kind: 'counterfeit', quantity: 1, appraisal_fee_minor: 5000, description: '鉴定为假货', evidence: ['https://files.example/report.pdf'] } });
    assert.equal(claim.status, 201, JSON.stringify(claim.body));
    const decided = await t.call('POST', `/api/v1/console/guarantee-claims/${claim.body.claim.id}/decide`, { token: operator.token, body: { approve: true, reason: '鉴定报告属实' } });
    assert.deepEqual([decided.body.claim.amount_minor, decided.body.claim.funding], [5000 + 3 * 9900, 'merchant_balance']);
    assert.equal(await balanceOf(t, 'merchant_available', shop.store.id), available - 34700);
    await assertBooksBalance(t);
  });
});
