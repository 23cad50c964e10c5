import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestClock, MINUTE_MS } from '../../../lib/clock.ts';
import { money } from '../../../lib/money.ts';
import { createWechatPayProvider } from '../provider.ts';
import { buildNotificationBody, signNotificationBody } from '../wechatpay/notify.ts';
import { loadPrivateKey } from '../wechatpay/keys.ts';
import { generateMerchantCredentials, generateRsaKeyPair } from './credentials.ts';
import { createSandboxServer } from './server.ts';
import { startHarness, type Harness } from './test-support.ts';

async function paid(h: Harness, no: string, total: number) {
  assert.ok((await h.provider.createPayment({ out_trade_no: no, amount: money(total), description: '退款测试', notify_url: h.receiver.url })).ok);
  assert.ok(h.sandbox.pay(no).ok);
  await h.sandbox.tick();
}

describe('refunds', () => {
  let h: Harness;
  before(async () => (h = await startHarness()));
  after(() => h.close());

  it('accepts a partial refund as PROCESSING, then notifies REFUND.SUCCESS and answers queries', async () => {
    await paid(h, 'chk_rfd_0001', 1000);
    const r = await h.provider.refund({ out_refund_no: 'rfd_0001', out_trade_no: 'chk_rfd_0001', refund: money(300), total: money(1000), reason: '尺码不合适' });
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.value.state, 'processing');
    assert.equal(r.value.refund_minor, 300);
    await h.sandbox.tick();
    const event = h.receiver.events().at(-1)!;
    assert.ok(event.type === 'refund.succeeded');
    assert.equal(event.out_refund_no, 'rfd_0001');
    assert.equal(event.refund_id, r.value.refund_id);
    assert.equal(event.refund_minor, 300);
    assert.equal(event.total_minor, 1000);
    assert.equal(event.refunded_at_ms, Math.floor(h.clock.now() / 1000) * 1000);
    const q = await h.provider.queryRefund('rfd_0001');
    assert.ok(q.ok && q.value.state === 'succeeded');
    const t = await h.provider.query('chk_rfd_0001');
    assert.ok(t.ok && t.value.state === 'refunded');
  });

  it('treats a repeated out_refund_no as the same refund, and refuses more than is refundable', async () => {
    const again = await h.provider.refund({ out_refund_no: 'rfd_0001', out_trade_no: 'chk_rfd_0001', refund: money(300), total: money(1000) });
    assert.ok(again.ok && again.value.state === 'succeeded');
    const tooMuch = await h.provider.refund({ out_refund_no: 'rfd_0002', out_trade_no: 'chk_rfd_0001', refund: money(701), total: money(1000) });
    assert.ok(!tooMuch.ok && tooMuch.code === 'rejected');
    const rest = await h.provider.refund({ out_refund_no: 'rfd_0003', out_trade_no: 'chk_rfd_0001', refund: money(700), total: money(1000) });
    assert.ok(rest.ok);
    const wrongTotal = await h.provider.refund({ out_refund_no: 'rfd_0004', out_trade_no: 'chk_rfd_0001', refund: money(1), total: money(999) });
    assert.ok(!wrongTotal.ok && wrongTotal.code === 'rejected');
  });

  it('refuses to refund an unpaid order and reports an unknown refund as not_found', async () => {
    assert.ok((await h.provider.createPayment({ out_trade_no: 'chk_rfd_0002', amount: money(100), description: '未支付', notify_url: h.receiver.url })).ok);
    const r = await h.provider.refund({ out_refund_no: 'rfd_0010', out_trade_no: 'chk_rfd_0002', refund: money(100), total: money(100) });
    assert.ok(!r.ok && r.code === 'rejected');
    const q = await h.provider.queryRefund('rfd_nope');
    assert.ok(!q.ok && q.code === 'not_found');
  });

  it('can be told to close a refund instead (REFUND.CLOSED)', async () => {
    const h2 = await startHarness({ refundOutcome: () => 'CLOSED' });
    try {
      await paid(h2, 'chk_rfd_0003', 100);
      assert.ok((await h2.provider.refund({ out_refund_no: 'rfd_0020', out_trade_no: 'chk_rfd_0003', refund: money(100), total: money(100) })).ok);
      await h2.sandbox.tick();
      assert.equal(h2.receiver.events().at(-1)!.type, 'refund.closed');
    } finally {
      await h2.close();
    }
  });
});

describe('hostile input', () => {
  let h: Harness;
  before(async () => (h = await startHarness()));
  after(() => h.close());

  const forge = (privateKeyPem: string, serial: string, resource: object, clock = h.clock) => {
    const body = buildNotificationBody({ apiV3Key: h.creds.apiV3Key, event_type: 'TRANSACTION.SUCCESS', summary: '支付成功', original_type: 'transaction', resource, clock });
    return signNotificationBody(body, { privateKey: loadPrivateKey(privateKeyPem), serial }, clock);
  };
  const resource = (over: object = {}) => ({
    appid: h.creds.appid, mchid: h.creds.mchid, out_trade_no: 'chk_hostile_01', transaction_id: '4200000000000000000000000001', trade_type: 'NATIVE',
    trade_state: 'SUCCESS', trade_state_desc: '支付成功', bank_type: 'OTHERS', success_time: '2026-11-11T08:00:00+08:00',
    amount: { total: 1, payer_total: 1, currency: 'CNY', payer_currency: 'CNY' }, ...over,
  });
  const post = (n: { headers: Record<string, string>; body: string }) => fetch(h.receiver.url, { method: 'POST', headers: n.headers, body: n.body });

  it('rejects a notification signed with another key under the platform serial (401, and it is not processed)', async () => {
    const attacker = generateRsaKeyPair();
    const res = await post(forge(attacker.privateKeyPem, h.sandbox.platformSerial, resource()));
    assert.equal(res.status, 401);
    assert.deepEqual(await res.json(), { code: 'FAIL', message: 'bad_signature' });
    assert.equal(h.receiver.events().length, 0);
  });

  it('rejects a genuine notification replayed after the five-minute window', async () => {
    await paid(h, 'chk_hostile_02', 100);
    const original = h.receiver.received.at(-1)!;
    h.clock.advance(6 * MINUTE_MS);
    const headers = Object.fromEntries(Object.entries(original.headers).filter(([k]) => k.startsWith('wechatpay-') || k === 'content-type')) as Record<string, string>;
    const res = await post({ headers, body: original.body });
    assert.equal(res.status, 401);
    assert.equal(h.receiver.received.at(-1)!.failure, 'stale_timestamp');
  });

  it('rejects a body changed in transit', async () => {
    await paid(h, 'chk_hostile_03', 100);
    const original = h.receiver.received.at(-1)!;
    const headers = Object.fromEntries(Object.entries(original.headers).filter(([k]) => k.startsWith('wechatpay-'))) as Record<string, string>;
    const res = await post({ headers, body: original.body.replace('"summary":"支付成功"', '"summary":"支付成功 "') });
    assert.equal(res.status, 401);
    assert.equal(h.receiver.received.at(-1)!.failure, 'bad_signature');
  });

  it('refuses a resource for another merchant even when authentic', async () => {
    h.sandbox.injectNotification({ notify_url: h.receiver.url, event_type: 'TRANSACTION.SUCCESS', original_type: 'transaction', resource: resource({ mchid: '1900000999' }) });
    await h.sandbox.tick();
    assert.equal(h.receiver.received.at(-1)!.failure, 'mchid_mismatch');
  });

  it('passes an authentic notification with a wrong amount through as reported: the caller must compare', async () => {
    h.sandbox.injectNotification({ notify_url: h.receiver.url, event_type: 'TRANSACTION.SUCCESS', original_type: 'transaction', resource: resource({ amount: { total: 1, payer_total: 1, currency: 'CNY', payer_currency: 'CNY' } }) });
    await h.sandbox.tick();
    const e = h.receiver.events().at(-1)!;
    assert.ok(e.type === 'payment.succeeded' && e.amount_minor === 1 && e.out_trade_no === 'chk_hostile_01');
  });

  it('acknowledges an authentic notification of a kind it does not handle, as ignored', async () => {
    h.sandbox.injectNotification({ notify_url: h.receiver.url, event_type: 'PROFITSHARING.SUCCESS', original_type: 'transaction', resource: { mchid: h.creds.mchid, out_order_no: 'P1' } });
    await h.sandbox.tick();
    const last = h.receiver.received.at(-1)!;
    assert.deepEqual([last.event?.type, last.event?.event_type, last.answered], ['ignored', 'PROFITSHARING.SUCCESS', 204]);
  });

  it('answers 401 SIGN_ERROR to a request signed with a key that is not the merchant\'s', async () => {
    const wrong = createWechatPayProvider({
      clock: h.clock, mchid: h.creds.mchid, appid: h.creds.appid, merchantSerial: h.creds.merchantSerial,
      merchantPrivateKeyPem: generateRsaKeyPair().privateKeyPem, apiV3Key: h.creds.apiV3Key,
      platformPublicKeys: { [h.sandbox.platformSerial]: h.sandbox.platformPublicKeyPem }, baseUrl: h.sandbox.url,
    });
    const r = await wrong.query('chk_hostile_02');
    assert.ok(!r.ok && r.code === 'rejected');
    assert.deepEqual([(r.details as { status: number }).status, (r.details as { provider_code: string }).provider_code], [401, 'SIGN_ERROR']);
  });

  it('refuses a 2xx answer it cannot verify (unknown platform key) as unverified', async () => {
    const blind = createWechatPayProvider({
      clock: h.clock, mchid: h.creds.mchid, appid: h.creds.appid, merchantSerial: h.creds.merchantSerial,
      merchantPrivateKeyPem: h.creds.privateKeyPem, apiV3Key: h.creds.apiV3Key,
      platformPublicKeys: { [h.sandbox.platformSerial]: generateRsaKeyPair().publicKeyPem }, baseUrl: h.sandbox.url,
    });
    const r = await blind.query('chk_hostile_02');
    assert.ok(!r.ok && r.code === 'unverified_response', JSON.stringify(r));
  });

  it('refuses a request replayed inside the window (same nonce)', async () => {
    let captured: { url: string; init: RequestInit } | null = null;
    const recording = createWechatPayProvider({
      clock: h.clock, mchid: h.creds.mchid, appid: h.creds.appid, merchantSerial: h.creds.merchantSerial,
      merchantPrivateKeyPem: h.creds.privateKeyPem, apiV3Key: h.creds.apiV3Key,
      platformPublicKeys: { [h.sandbox.platformSerial]: h.sandbox.platformPublicKeyPem }, baseUrl: h.sandbox.url,
      fetch: (url, init) => {
        captured = { url: String(url), init: { ...init, signal: undefined } };
        return fetch(url, init);
      },
    });
    assert.ok((await recording.query('chk_hostile_02')).ok);
    const replay = await fetch(captured!.url, captured!.init);
    assert.equal(replay.status, 401);
  });
});

describe('sandbox persistence', () => {
  it('keeps its books in a JSON file across restarts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xd-sandbox-'));
    const clock = new TestClock();
    const creds = generateMerchantCredentials();
    const platform = generateRsaKeyPair();
    const options = {
      clock, mchid: creds.mchid, merchantPublicKeyPem: creds.publicKeyPem, apiV3Key: creds.apiV3Key,
      platformPrivateKeyPem: platform.privateKeyPem, platformSerial: 'PUB_KEY_ID_TEST', storePath: join(dir, 'sandbox.json'),
    };
    const providerFor = (url: string) => createWechatPayProvider({
      clock, mchid: creds.mchid, appid: creds.appid, merchantSerial: creds.merchantSerial, merchantPrivateKeyPem: creds.privateKeyPem,
      apiV3Key: creds.apiV3Key, platformPublicKeys: { PUB_KEY_ID_TEST: platform.publicKeyPem }, baseUrl: url,
    });
    try {
      const first = await createSandboxServer(options);
      assert.ok((await providerFor(first.url).createPayment({ out_trade_no: 'chk_persist_1', amount: money(88), description: '持久化', notify_url: 'http://127.0.0.1:9/notify' })).ok);
      assert.ok(first.pay('chk_persist_1').ok);
      await first.close();
      const second = await createSandboxServer(options);
      const q = await providerFor(second.url).query('chk_persist_1');
      assert.ok(q.ok && q.value.state === 'paid' && q.value.amount_minor === 88);
      assert.equal(second.deliveries().length, 1);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
