import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { money } from '../../../lib/money.ts';
import { SECOND_MS } from '../../../lib/clock.ts';
import { WECHAT_RETRY_SCHEDULE_MS } from './notifier.ts';
import { startHarness, type Harness } from './test-support.ts';

/** Client ↔ sandbox over real HTTP on ephemeral ports, with a local notification receiver. */

async function createAndPay(h: Harness, no: string, total = 1234) {
  const created = await h.provider.createPayment({ out_trade_no: no, amount: money(total), description: '小店-测试订单', notify_url: h.receiver.url });
  assert.ok(created.ok, JSON.stringify(created));
  assert.ok(h.sandbox.pay(no).ok);
}

describe('payment through the sandbox', () => {
  let h: Harness;
  before(async () => (h = await startHarness()));
  after(() => h.close());

  it('creates a Native payment, pays on the cashier page, and delivers a verified, decrypted notification', async () => {
    const created = await h.provider.createPayment({ out_trade_no: 'chk_pay_0001', amount: money(1234), description: '小店-测试订单', notify_url: h.receiver.url });
    assert.ok(created.ok && created.value.channel === 'native', JSON.stringify(created));
    const codeUrl = created.value.code_url;
    assert.equal(codeUrl, `${h.sandbox.url}/sandbox/pay/chk_pay_0001`);

    const unpaid = await h.provider.query('chk_pay_0001');
    assert.ok(unpaid.ok);
    assert.equal(unpaid.value.state, 'unpaid');
    assert.equal(unpaid.value.amount_minor, 1234);

    const page = await (await fetch(codeUrl)).text();
    assert.match(page, /¥12\.34/);
    assert.match(page, /确认支付/);
    const confirm = await fetch(`${codeUrl}/confirm`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    assert.equal(confirm.status, 200);
    assert.match(await confirm.text(), /支付成功/);

    assert.equal(h.receiver.received.length, 0, 'nothing is sent before the sandbox ticks');
    const attempts = await h.sandbox.tick();
    assert.deepEqual(attempts.map((a) => [a.event_type, a.outcome]), [['TRANSACTION.SUCCESS', 'delivered']]);
    const [event] = h.receiver.events();
    assert.ok(event.type === 'payment.succeeded');
    assert.equal(event.out_trade_no, 'chk_pay_0001');
    assert.equal(event.amount_minor, 1234);
    assert.equal(event.payer_total_minor, 1234);
    assert.equal(event.currency, 'CNY');
    assert.equal(event.paid_at_ms, Math.floor(h.clock.now() / 1000) * 1000);
    assert.match(event.transaction_id, /^4200\d{24}$/);
    assert.equal(h.receiver.received[0].answered, 204);
    assert.match(h.receiver.received[0].body, /"resource_type":"encrypt-resource"/);
    assert.doesNotMatch(h.receiver.received[0].body, /chk_pay_0001/, 'the resource is encrypted on the wire');

    const paid = await h.provider.query('chk_pay_0001');
    assert.ok(paid.ok);
    assert.equal(paid.value.state, 'paid');
    assert.equal(paid.value.transaction_id, event.transaction_id);
    assert.equal(paid.value.paid_at_ms, event.paid_at_ms);
  });

  it('answers a repeated prepay with the same fields idempotently, and refuses a reused out_trade_no', async () => {
    const input = { out_trade_no: 'chk_pay_0002', amount: money(500), description: '重复下单', notify_url: h.receiver.url };
    const a = await h.provider.createPayment(input);
    const b = await h.provider.createPayment(input);
    assert.deepEqual(a, b);
    const c = await h.provider.createPayment({ ...input, amount: money(501) });
    assert.ok(!c.ok && c.code === 'rejected');
    assert.equal((c.details as { provider_code: string }).provider_code, 'INVALID_REQUEST');
  });

  it('creates a JSAPI payment whose pay parameters are signed by the merchant key', async () => {
    const r = await h.provider.createPayment({ out_trade_no: 'chk_pay_0003', amount: money(100), description: 'JSAPI', notify_url: h.receiver.url, payer_openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' });
    assert.ok(r.ok && r.value.channel === 'jsapi', JSON.stringify(r));
    assert.equal(r.value.pay_params.package, `prepay_id=${r.value.prepay_id}`);
    assert.equal(r.value.pay_params.appId, h.creds.appid);
  });

  it('closes an unpaid order, after which it cannot be paid; a paid order cannot be closed', async () => {
    await h.provider.createPayment({ out_trade_no: 'chk_pay_0004', amount: money(100), description: '关单', notify_url: h.receiver.url });
    assert.deepEqual(await h.provider.close('chk_pay_0004'), { ok: true, value: undefined });
    assert.equal((await h.provider.query('chk_pay_0004')).ok && (await h.provider.query('chk_pay_0004') as { value: { state: string } }).value.state, 'closed');
    const paid = h.sandbox.pay('chk_pay_0004');
    assert.ok(!paid.ok && paid.code === 'closed');
    const closePaid = await h.provider.close('chk_pay_0001');
    assert.ok(!closePaid.ok && closePaid.code === 'rejected');
    assert.equal((closePaid.details as { provider_code: string }).provider_code, 'ORDERPAID');
  });

  it('fits a long description into the 127-byte limit on a character boundary', async () => {
    const r = await h.provider.createPayment({ out_trade_no: 'chk_pay_0005', amount: money(100), description: '超长商品标题'.repeat(20), notify_url: h.receiver.url });
    assert.ok(r.ok, JSON.stringify(r));
    const d = h.sandbox.transaction('chk_pay_0005')!.description;
    assert.ok(Buffer.byteLength(d) <= 127 && d.length === 42);
  });

  it('reports an unknown order as not_found', async () => {
    const r = await h.provider.query('chk_nope_0000');
    assert.ok(!r.ok && r.code === 'not_found');
  });
});

describe('notification retries', () => {
  let h: Harness;
  before(async () => (h = await startHarness()));
  after(() => h.close());

  it('retries on WeChat Pay\'s schedule until the receiver answers success, then stops', async () => {
    h.receiver.answer = (_e, i) => (i < 3 ? 500 : 204);
    await createAndPay(h, 'chk_retry_001');
    const t0 = h.clock.now();
    const seen: number[] = [];
    await h.sandbox.tick();
    seen.push(h.clock.now() - t0);
    h.clock.advance(14 * SECOND_MS);
    assert.deepEqual(await h.sandbox.tick(), [], 'nothing is due before 15 s');
    h.clock.advance(1 * SECOND_MS);
    await h.sandbox.tick();
    seen.push(h.clock.now() - t0);
    h.clock.advance(15 * SECOND_MS);
    await h.sandbox.tick();
    seen.push(h.clock.now() - t0);
    h.clock.advance(30 * SECOND_MS);
    const last = await h.sandbox.tick();
    seen.push(h.clock.now() - t0);
    assert.deepEqual(seen, [0, 15_000, 30_000, 60_000]);
    assert.equal(last[0].outcome, 'delivered');
    assert.deepEqual(h.receiver.received.map((r) => r.answered), [500, 500, 500, 204]);
    const ids = new Set(h.receiver.events().map((e) => e.notification_id));
    assert.equal(ids.size, 1, 'every retry carries the same notification id');
    assert.equal(h.sandbox.nextDueAt(), null);
  });

  it('gives up after the last interval (~24 h 4 min) when the receiver never succeeds', async () => {
    h.receiver.answer = () => 503;
    const before = h.receiver.received.length;
    await createAndPay(h, 'chk_retry_002');
    const t0 = h.clock.now();
    await h.runUntilIdle();
    const mine = h.receiver.received.slice(before);
    assert.equal(mine.length, WECHAT_RETRY_SCHEDULE_MS.length + 1);
    assert.equal(h.clock.now() - t0, (24 * 60 + 4) * 60 * SECOND_MS);
    const d = h.sandbox.deliveries().find((x) => x.body === mine[0].body)!;
    assert.equal(d.status, 'gave_up');
  });
});

describe('duplicate and out-of-order delivery when asked for', () => {
  it('delivers every notification twice with duplicate_rate 1', async () => {
    const h = await startHarness({ chaos: { duplicate_rate: 1 } });
    try {
      await createAndPay(h, 'chk_dup_0001');
      await h.sandbox.tick();
      const events = h.receiver.events();
      assert.equal(events.length, 2);
      assert.equal(events[0].notification_id, events[1].notification_id);
      assert.deepEqual(h.sandbox.deliveries().map((d) => d.duplicate), [false, true]);
    } finally {
      await h.close();
    }
  });

  it('delivers newest-first with reorder, so a refund can overtake its payment', async () => {
    const h = await startHarness({ chaos: { reorder: true } });
    try {
      await createAndPay(h, 'chk_ooo_0001', 300);
      await createAndPay(h, 'chk_ooo_0002', 400);
      const refund = await h.provider.refund({ out_refund_no: 'rfd_ooo_0001', out_trade_no: 'chk_ooo_0001', refund: money(300), total: money(300) });
      assert.ok(refund.ok, JSON.stringify(refund));
      await h.sandbox.tick();
      assert.deepEqual(
        h.receiver.events().map((e) => [e.type, e.type === 'ignored' ? null : e.out_trade_no]),
        [['refund.succeeded', 'chk_ooo_0001'], ['payment.succeeded', 'chk_ooo_0002'], ['payment.succeeded', 'chk_ooo_0001']],
      );
    } finally {
      await h.close();
    }
  });
});
