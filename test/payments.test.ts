// A database test on both engines (startTestApp underneath startPaymentsApp: scripts/test.ts runs it per engine).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { MINUTE_MS, SECOND_MS } from '../src/lib/clock.ts';
import { PLATFORM_OWNER } from '../src/modules/ledger/index.ts';
import { signNotificationBody } from '../src/modules/payments/wechatpay/notify.ts';
import { toRfc3339Cst } from '../src/modules/payments/wechatpay/time.ts';
import { signedInUser } from './support/fixtures.ts';
import { balanceOf, payAtCashier, startPaymentsApp, storeSelling, type PaymentsTestApp } from './support/payments.ts';

let t: PaymentsTestApp;
type User = Awaited<ReturnType<typeof signedInUser>>;
let buyer: User, other: User, owner: User, operator: User;
let shop: Awaited<ReturnType<typeof storeSelling>>;
let addressId: string;

before(async () => {
  t = await startPaymentsApp();
  [buyer, other, owner] = [await signedInUser(t), await signedInUser(t), await signedInUser(t)];
  operator = await signedInUser(t, ['operator']);
  shop = await storeSelling(t, owner.id, '支付测试店', { fee_rate_bp: 300, price_minor: 12800, stock: 500 });
  addressId = (await t.call('POST', '/api/v1/me/addresses', { token: buyer.token, body: { recipient: '孙八', phone: '13812340001', province: '北京市', city: '北京市', district: '朝阳区', detail: '建国路1号' } })).body.id;
});
after(() => t.close());

async function checkout(quantity = 1) {
  const c = await t.call('POST', '/api/v1/checkouts', { token: buyer.token, body: { items: [{ sku_id: shop.sku, quantity }], address_id: addressId } });
  assert.equal(c.status, 201, JSON.stringify(c.body));
  return c.body as { checkout_id: string; order_ids: string[]; total_minor: number };
}
const startPay = async (checkoutId: string) => {
  const r = await t.call('POST', `/api/v1/checkouts/${checkoutId}/pay`, { token: buyer.token, body: {} });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
};
const orderStatus = async (id: string) => (await t.call('GET', `/api/v1/me/orders/${id}`, { token: buyer.token })).body.status;
const books = async () => ({
  clearing: await balanceOf(t, 'buyer_payments_clearing', PLATFORM_OWNER), escrow: await balanceOf(t, 'platform_escrow', shop.store.id),
  payable: await balanceOf(t, 'buyer_refunds_payable', PLATFORM_OWNER),
});
const flags = async () => (await t.call('GET', '/api/v1/console/payments/flags?status=open', { token: operator.token })).body.items;
const eventOf = (body: string) => (JSON.parse(body) as { event_type: string }).event_type;

describe('paying', () => {
  test("another buyer's checkout is not found; a paid checkout cannot be paid again; a late one cannot be paid at all", async () => {
    const c = await checkout();
    assert.equal((await t.call('POST', `/api/v1/checkouts/${c.checkout_id}/pay`, { token: other.token, body: {} })).status, 404);
    assert.equal((await t.call('GET', `/api/v1/checkouts/${c.checkout_id}/payment`, { token: other.token })).status, 404);
    await t.payCheckout(buyer.token, c.checkout_id);
    const again = await t.call('POST', `/api/v1/checkouts/${c.checkout_id}/pay`, { token: buyer.token, body: {} });
    assert.deepEqual([again.status, again.body.error.code], [409, 'checkout_already_paid']);
    const late = await checkout();
    t.clock.advance(14 * MINUTE_MS + 59 * SECOND_MS);
    await startPay(late.checkout_id); // still in time: the provider is told to refuse payment after pay_by
    t.clock.advance(2 * SECOND_MS);
    const refused = await fetch(`${t.sandbox.url}/sandbox/pay/${late.checkout_id}/confirm`, { method: 'POST', headers: { accept: 'application/json' } });
    assert.equal(refused.status, 409, 'the sandbox refuses a payment after time_expire');
    await t.pump();
    assert.equal(await orderStatus(late.order_ids[0]), 'cancelled');
    assert.equal(t.sandbox.transaction(late.checkout_id)!.trade_state, 'CLOSED', 'the unpaid timer closed the provider order');
  });

  test('a notification our processing fails on is answered 500, retried by the provider, and applied once', async () => {
    const c = await checkout();
    await startPay(c.checkout_id);
    const real = t.ctx.trade.markCheckoutPaid;
    let failures = 1;
    t.ctx.trade.markCheckoutPaid = async (...args) => {
      if (failures-- > 0) throw new Error('database hiccup');
      return real(...args);
    };
    try {
      await payAtCashier(`${t.sandbox.url}/sandbox/pay/${c.checkout_id}`);
      await t.pump();
      assert.equal(t.delivered.at(-1)!.status, 500);
      assert.equal(await orderStatus(c.order_ids[0]), 'unpaid', 'nothing half-happened');
      t.clock.advance(15 * SECOND_MS); // WeChat's first retry interval
      await t.pump();
      assert.equal(t.delivered.at(-1)!.status, 204);
      assert.equal(await orderStatus(c.order_ids[0]), 'paid');
    } finally {
      t.ctx.trade.markCheckoutPaid = real;
    }
  });
});

describe('hostile notifications', () => {
  test('a replayed notification is acknowledged and credits nothing twice; a stale replay is refused', async () => {
    const c = await checkout(2);
    await t.payCheckout(buyer.token, c.checkout_id);
    const genuine = t.delivered.at(-1)!;
    assert.equal(genuine.status, 204);
    const before = await books();
    const replay = await t.notify(genuine.headers, genuine.body);
    assert.equal(replay.status, 204, 'a duplicate is acknowledged');
    assert.deepEqual(await books(), before, 'and changes no money');
    t.clock.advance(6 * MINUTE_MS);
    const stale = await t.notify(genuine.headers, genuine.body);
    assert.equal(stale.status, 401, 'outside the 5-minute window the signature no longer counts');
    assert.deepEqual(await books(), before);
    assert.equal(await orderStatus(c.order_ids[0]), 'paid');
  });

  test('forged notifications (tampered body, a stranger\'s key, no signature) are 401 and change nothing', async () => {
    const c = await checkout();
    const paid = await checkout();
    await t.payCheckout(buyer.token, paid.checkout_id);
    const genuine = t.delivered.at(-1)!;
    await startPay(c.checkout_id);
    const before = await books();
    // the genuine headers over another body: the signature covers the exact bytes
    const tampered = await t.notify(genuine.headers, genuine.body.replace(/"summary":"[^"]*"/, '"summary":"支付成功!"'));
    assert.equal(tampered.status, 401);
    // a well-formed notification signed with a key that is not the provider's
    const stranger = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    const forged = signNotificationBody(genuine.body, { privateKey: stranger, serial: genuine.headers['Wechatpay-Serial'] ?? genuine.headers['wechatpay-serial'] }, t.clock);
    assert.equal((await t.notify(forged.headers, forged.body)).status, 401);
    assert.equal((await t.notify({ 'content-type': 'application/json' }, genuine.body)).status, 401);
    assert.deepEqual(await books(), before);
    assert.equal(await orderStatus(c.order_ids[0]), 'unpaid');
  });

  test('an authentic notification with the wrong amount is refused, flagged for operators and acknowledged', async () => {
    const c = await checkout();
    await startPay(c.checkout_id);
    const tx = t.sandbox.transaction(c.checkout_id)!;
    const before = await books();
    t.sandbox.injectNotification({
      notify_url: tx.notify_url, event_type: 'TRANSACTION.SUCCESS', original_type: 'transaction',
      resource: {
        appid: tx.appid, mchid: tx.mchid, out_trade_no: c.checkout_id, transaction_id: '4200000000000000000000000001', trade_type: 'NATIVE', trade_state: 'SUCCESS',
        trade_state_desc: '支付成功', bank_type: 'OTHERS', success_time: toRfc3339Cst(t.clock.now()), payer: { openid: 'o_attacker' },
        amount: { total: 1, payer_total: 1, currency: 'CNY', payer_currency: 'CNY' },
      },
    });
    await t.pump();
    assert.equal(t.delivered.at(-1)!.status, 204, 'acknowledged: a retry would carry the same numbers');
    assert.equal(await orderStatus(c.order_ids[0]), 'unpaid');
    assert.deepEqual(await books(), before);
    const flag = (await flags()).find((f: any) => f.kind === 'amount_mismatch' && f.ref === c.checkout_id);
    assert.ok(flag, 'an operator sees it');
    assert.deepEqual([flag.details.expected_minor, flag.details.reported_minor], [c.total_minor, 1]);
    const resolved = await t.call('POST', `/api/v1/console/payments/flags/${flag.id}/resolve`, { token: operator.token, body: { note: '与微信支付核实：伪造通知' } });
    assert.equal(resolved.body.status, 'resolved');
  });

  test('a refund notification for a refund we never asked for is flagged and acknowledged', async () => {
    const c = await checkout();
    await t.payCheckout(buyer.token, c.checkout_id);
    const tx = t.sandbox.transaction(c.checkout_id)!;
    t.sandbox.injectNotification({
      notify_url: tx.notify_url, event_type: 'REFUND.SUCCESS', original_type: 'refund',
      resource: { mchid: tx.mchid, out_trade_no: c.checkout_id, transaction_id: tx.transaction_id, out_refund_no: 'not_ours_1', refund_id: '50300000000000000000000000001', refund_status: 'SUCCESS', success_time: toRfc3339Cst(t.clock.now()), user_received_account: '支付用户零钱', amount: { total: tx.total, refund: tx.total, payer_total: tx.total, payer_refund: tx.total } },
    });
    const before = await books();
    await t.pump();
    assert.equal(t.delivered.at(-1)!.status, 204);
    assert.deepEqual(await books(), before);
    assert.ok((await flags()).some((f: any) => f.kind === 'unknown_refund' && f.ref === 'not_ours_1'));
  });
});

describe('cancelled checkouts', () => {
  test('cancelling closes the provider order, so the cashier refuses to take the money', async () => {
    const c = await checkout();
    await startPay(c.checkout_id);
    assert.equal((await t.call('POST', `/api/v1/me/orders/${c.order_ids[0]}/cancel`, { token: buyer.token, body: {} })).status, 200);
    await t.pump();
    assert.equal(t.sandbox.transaction(c.checkout_id)!.trade_state, 'CLOSED');
    const res = await fetch(`${t.sandbox.url}/sandbox/pay/${c.checkout_id}/confirm`, { method: 'POST', headers: { accept: 'application/json' } });
    assert.equal(res.status, 409);
    assert.equal((await t.call('GET', `/api/v1/checkouts/${c.checkout_id}/payment`, { token: buyer.token })).body.payment.status, 'closed');
  });

  test('money that lands on a cancelled checkout is refunded automatically, under a refund number derived from the checkout', async () => {
    const c = await checkout();
    await startPay(c.checkout_id);
    const before = await books();
    const mark = t.delivered.length;
    await payAtCashier(`${t.sandbox.url}/sandbox/pay/${c.checkout_id}`); // paid at the provider; the notification is not out yet
    assert.equal((await t.call('POST', `/api/v1/me/orders/${c.order_ids[0]}/cancel`, { token: buyer.token, body: {} })).status, 200);
    await t.pump(); // close → ORDERPAID → payment applied to a cancelled checkout → refund → REFUND.SUCCESS
    const refund = t.sandbox.refund(`auto_${c.checkout_id}`);
    assert.ok(refund, 'refunded under auto_<checkout id>');
    assert.deepEqual([refund.refund, refund.status], [c.total_minor, 'SUCCESS']);
    const p = (await t.call('GET', `/api/v1/checkouts/${c.checkout_id}/payment`, { token: buyer.token })).body;
    assert.deepEqual([p.checkout_status, p.payment.status, p.payment.outcome], ['cancelled', 'paid', 'refunded']);
    assert.equal(await orderStatus(c.order_ids[0]), 'cancelled');
    assert.deepEqual(await books(), before, 'in and straight back out: clearing, escrow and refunds payable as before');
    assert.ok(t.delivered.slice(mark).filter((d) => d.body.includes(`"event_type":"TRANSACTION.SUCCESS"`)).every((d) => d.status === 204), 'the late payment notification is a duplicate, acknowledged');
    const report = await t.ctx.payments.reconcileNow();
    assert.equal(report.ok, true, JSON.stringify(report));
  });
});

describe('reconciliation', () => {
  test('reports a payment the provider has and we have not heard of, until its notification lands', async () => {
    const c = await checkout();
    await startPay(c.checkout_id);
    await payAtCashier(`${t.sandbox.url}/sandbox/pay/${c.checkout_id}`); // the notification is not delivered yet
    const run = await t.call('POST', '/api/v1/console/payments/reconciliation', { token: operator.token });
    assert.equal(run.body.ok, false);
    assert.deepEqual(run.body.provider.differences, [{ kind: 'paid_at_provider_not_recorded', ref: c.checkout_id, ours: 'pending', theirs: 'paid' }]);
    assert.deepEqual([run.body.ledger.ok, run.body.escrow.problems, run.body.refunds_payable.ok], [true, [], true], 'our own books are fine');
    assert.equal((await t.call('GET', '/api/v1/console/payments/reconciliation/latest', { token: operator.token })).body.ok, false);
    await t.pump();
    assert.equal((await t.ctx.payments.reconcileNow()).ok, true);
    assert.equal((await t.call('GET', '/api/v1/console/payments/reconciliation/latest', { token: other.token })).status, 403, 'operators only');
  });

  test('the daily job records a request the payments worker runs outside any transaction', async () => {
    t.clock.advance(25 * 60 * MINUTE_MS);
    await t.pump();
    const latest = (await t.call('GET', '/api/v1/console/payments/reconciliation/latest', { token: (await signedInUser(t, ['operator'])).token })).body;
    assert.equal(latest.ok, true, JSON.stringify(latest));
    assert.equal(latest.at, new Date(t.clock.now()).toISOString());
  });
});

describe('chaos: duplicate and out-of-order notifications', () => {
  let c2: PaymentsTestApp;
  before(async () => {
    c2 = await startPaymentsApp({ chaos: { duplicate_rate: 1, reorder: true } });
  });
  after(() => c2.close());

  test('every notification twice, the refund overtaking its payment: one payment, one refund, books exact', async () => {
    const [u, o] = [await signedInUser(c2), await signedInUser(c2)];
    const op = await signedInUser(c2, ['operator']);
    const s = await storeSelling(c2, o.id, '混沌店', { fee_rate_bp: 300, price_minor: 5000 });
    const addr = (await c2.call('POST', '/api/v1/me/addresses', { token: u.token, body: { recipient: '周九', phone: '13812340002', province: '上海市', city: '上海市', district: '黄浦区', detail: '南京东路1号' } })).body.id;
    const c = (await c2.call('POST', '/api/v1/checkouts', { token: u.token, body: { items: [{ sku_id: s.sku, quantity: 2 }], address_id: addr } })).body;
    const pay = (await c2.call('POST', `/api/v1/checkouts/${c.checkout_id}/pay`, { token: u.token, body: {} })).body;
    await payAtCashier(pay.pay_page_url); // two TRANSACTION.SUCCESS copies queued, not sent yet
    // The buyer's page polls with refresh: the provider's query says paid before any notification arrives.
    const polled = await c2.call('GET', `/api/v1/checkouts/${c.checkout_id}/payment?refresh=true`, { token: u.token });
    assert.equal(polled.body.checkout_status, 'paid');
    const orderId = c.order_ids[0];
    const line = (await c2.call('GET', `/api/v1/me/orders/${orderId}`, { token: u.token })).body.lines[0];
    const r = await c2.call('POST', '/api/v1/console/payments/refunds', { token: op.token, body: { order_id: orderId, reason: '缺货', out_refund_no: `rf_${orderId}`, lines: [{ line_id: line.id, amount_minor: 5000 }] } });
    assert.equal(r.body.status, 'processing');
    await c2.pump();
    const events = c2.delivered.map((d) => eventOf(d.body));
    assert.deepEqual(events, ['REFUND.SUCCESS', 'REFUND.SUCCESS', 'TRANSACTION.SUCCESS', 'TRANSACTION.SUCCESS'], 'the refund overtakes its payment, each twice');
    assert.ok(c2.delivered.every((d) => d.status === 204));
    assert.equal(await balanceOf(c2, 'platform_escrow', s.store.id), 10000 - 5000);
    assert.equal(await balanceOf(c2, 'buyer_payments_clearing', PLATFORM_OWNER), 10000 - 5000);
    assert.equal(await balanceOf(c2, 'buyer_refunds_payable', PLATFORM_OWNER), 0);
    assert.equal((await c2.call('GET', `/api/v1/console/payments/refunds/rf_${orderId}`, { token: op.token })).body.status, 'succeeded');
    const report = await c2.ctx.payments.reconcileNow();
    assert.equal(report.ok, true, JSON.stringify(report));
  });
});
