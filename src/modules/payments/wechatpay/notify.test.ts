import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { TestClock } from '../../../lib/clock.ts';
import { platformKeyring } from './keys.ts';
import { buildNotificationBody, notificationAck, notificationNack, parseNotification, signNotificationBody } from './notify.ts';
import { parseRfc3339, toRfc3339Cst } from './time.ts';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const API_V3_KEY = 'AbCdEfGhIjKlMnOpQrStUvWxYz012345';
const SERIAL = 'PUB_KEY_ID_0114232134912410000000000000';
const keys = platformKeyring({ [SERIAL]: publicKey });
const clock = new TestClock(Date.UTC(2026, 10, 11, 2, 0, 0));

function notification(event_type: string, original_type: 'transaction' | 'refund', resource: object) {
  const body = buildNotificationBody({ apiV3Key: API_V3_KEY, event_type, summary: 'x', original_type, resource, clock });
  return signNotificationBody(body, { privateKey, serial: SERIAL }, clock);
}

const transaction = {
  appid: 'wxd678efh567hg6787', mchid: '1230000109', out_trade_no: 'chk_01JD3QABCDEFGHJKMNPQRSTVWX', transaction_id: '1217752501201407033233368018',
  trade_type: 'NATIVE', trade_state: 'SUCCESS', trade_state_desc: '支付成功', bank_type: 'CMC', attach: '',
  success_time: '2026-11-11T10:00:00+08:00', payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
  amount: { total: 100, payer_total: 90, currency: 'CNY', payer_currency: 'CNY' },
};

describe('parseNotification', () => {
  it('turns TRANSACTION.SUCCESS into a typed transaction event', () => {
    const n = notification('TRANSACTION.SUCCESS', 'transaction', transaction);
    const r = parseNotification({ headers: n.headers, body: n.body, platformKeys: keys, apiV3Key: API_V3_KEY, clock, mchid: '1230000109' });
    assert.ok(r.ok && r.value.kind === 'transaction', JSON.stringify(r));
    assert.equal(r.value.event_type, 'TRANSACTION.SUCCESS');
    assert.equal(r.value.out_trade_no, transaction.out_trade_no);
    assert.equal(r.value.transaction_id, transaction.transaction_id);
    assert.equal(r.value.trade_state, 'SUCCESS');
    assert.deepEqual(r.value.amount, { total: 100, payer_total: 90, currency: 'CNY', payer_currency: 'CNY' });
    assert.equal(r.value.success_time_ms, Date.UTC(2026, 10, 11, 2, 0, 0));
    assert.equal(r.value.payer_openid, 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o');
    assert.equal(r.value.notification_id, (JSON.parse(n.body) as { id: string }).id);
  });

  it('turns REFUND.SUCCESS into a typed refund event', () => {
    const n = notification('REFUND.SUCCESS', 'refund', {
      mchid: '1230000109', out_trade_no: 'chk_1', transaction_id: '1008450740201411110005820873', out_refund_no: 'rfd_1', refund_id: '50200207182018070300011301001',
      refund_status: 'SUCCESS', success_time: '2026-11-11T10:05:00+08:00', user_received_account: '招商银行信用卡0403',
      amount: { total: 999, refund: 500, payer_total: 999, payer_refund: 500 },
    });
    const r = parseNotification({ headers: n.headers, body: Buffer.from(n.body), platformKeys: keys, apiV3Key: API_V3_KEY, clock });
    assert.ok(r.ok && r.value.kind === 'refund', JSON.stringify(r));
    assert.equal(r.value.out_refund_no, 'rfd_1');
    assert.deepEqual(r.value.amount, { total: 999, refund: 500, payer_total: 999, payer_refund: 500 });
    assert.equal(r.value.success_time_ms, Date.UTC(2026, 10, 11, 2, 5, 0));
  });

  it('refuses what decrypts under another APIv3 key, and resources missing amounts', () => {
    const n = notification('TRANSACTION.SUCCESS', 'transaction', transaction);
    const wrongKey = parseNotification({ headers: n.headers, body: n.body, platformKeys: keys, apiV3Key: 'X'.repeat(32), clock });
    assert.equal(wrongKey.ok ? 'ok' : wrongKey.code, 'decrypt_failed');
    const bad = notification('TRANSACTION.SUCCESS', 'transaction', { ...transaction, amount: { total: '100' } });
    const r = parseNotification({ headers: bad.headers, body: bad.body, platformKeys: keys, apiV3Key: API_V3_KEY, clock });
    assert.equal(r.ok ? 'ok' : r.code, 'malformed_resource');
  });

  it('replies 204 with no body on success and 4xx/5xx {"code":"FAIL"} on failure', () => {
    assert.deepEqual(notificationAck(), { status: 204, headers: {}, body: '' });
    const nack = notificationNack('验签失败', 401);
    assert.equal(nack.status, 401);
    assert.deepEqual(JSON.parse(nack.body), { code: 'FAIL', message: '验签失败' });
    assert.throws(() => notificationNack('x', 200));
  });
});

describe('protocol time format', () => {
  it('writes China Standard Time RFC 3339 and reads any offset back to epoch ms', () => {
    const ms = Date.UTC(2018, 5, 8, 2, 34, 56);
    assert.equal(toRfc3339Cst(ms), '2018-06-08T10:34:56+08:00');
    assert.equal(parseRfc3339('2018-06-08T10:34:56+08:00'), ms);
    assert.equal(parseRfc3339('2015-05-20T13:29:35.120+08:00'), Date.UTC(2015, 4, 20, 5, 29, 35, 120));
    assert.equal(parseRfc3339('2018-06-08 10:34:56'), null);
  });
});
