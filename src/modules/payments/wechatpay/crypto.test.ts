import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { TestClock } from '../../../lib/clock.ts';
import { aeadDecrypt, aeadEncrypt, decryptResource, encryptResource, gcmOpen } from './aead.ts';
import { certificateSerial, loadPrivateKey, platformKeyring } from './keys.ts';
import {
  buildAuthorization, jsapiPayParams, merchantSigner, parseAuthorization, requestMessage, signBase64, signatureMessage,
  verifyBase64, verifyRequestAuthorization,
} from './sign.ts';
import { AXIOS_PLUGIN_GCM, GO_SDK_NOTIFICATION, GO_SDK_PLATFORM_CERT, GO_SDK_PRIVATE_KEY, GO_SDK_SIGN } from './test-vectors.ts';
import { verifySignedMessage } from './verify.ts';

const pair = () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey, publicKey };
};
const KEY_A = pair();
const KEY_B = pair();
const API_V3_KEY = 'abcdefghijklmnopqrstuvwxyz012345';

describe('official test vectors', () => {
  it('signs "source" exactly as the WeChat Pay Go SDK does', () => {
    const key = loadPrivateKey(GO_SDK_PRIVATE_KEY);
    assert.equal(signBase64(GO_SDK_SIGN.message, key), GO_SDK_SIGN.signature);
    assert.ok(verifyBase64(GO_SDK_SIGN.message, GO_SDK_SIGN.signature, createPublicKey(key)));
  });

  it('verifies the Go SDK notification with its platform certificate, chosen by serial', () => {
    assert.equal(certificateSerial(GO_SDK_PLATFORM_CERT), 'D7CE59D1F522D701');
    const keys = platformKeyring({ '*': GO_SDK_PLATFORM_CERT });
    const clock = new TestClock(GO_SDK_NOTIFICATION.now_ms);
    const r = verifySignedMessage({ headers: GO_SDK_NOTIFICATION.headers, body: GO_SDK_NOTIFICATION.body, keys, clock });
    assert.ok(r.ok, JSON.stringify(r));
    const tampered = verifySignedMessage({ headers: GO_SDK_NOTIFICATION.headers, body: GO_SDK_NOTIFICATION.body.replace('签约成功', '签约失败'), keys, clock });
    assert.equal(tampered.ok ? 'ok' : tampered.code, 'bad_signature');
  });

  it('opens the Go SDK notification resource: ciphertext is data then the 16-byte tag', () => {
    const res = (JSON.parse(GO_SDK_NOTIFICATION.body) as { resource: { nonce: string; associated_data: string; ciphertext: string } }).resource;
    const r = gcmOpen(Buffer.from(GO_SDK_NOTIFICATION.aes128Key), res.nonce, res.associated_data, res.ciphertext);
    assert.deepEqual(r, { ok: true, value: GO_SDK_NOTIFICATION.plaintext });
  });

  it('matches the published AES-256-GCM ciphertexts both ways', () => {
    const { key, iv, cases } = AXIOS_PLUGIN_GCM;
    for (const c of cases) {
      assert.equal(aeadEncrypt(key, iv, c.aad, c.plaintext), c.ciphertext);
      assert.deepEqual(aeadDecrypt(key, iv, c.aad, c.ciphertext), { ok: true, value: c.plaintext });
    }
  });
});

describe('request signing', () => {
  const clock = new TestClock(Date.UTC(2026, 10, 11, 0, 0, 0));
  const signer = merchantSigner({ mchid: '1900000109', serial_no: 'abc123', privateKeyPem: KEY_A.privateKey });

  it('builds the five-line message, each line ending in \\n', () => {
    assert.equal(requestMessage('get', '/v3/certificates', 1554208460, '593BEC0C930BF1AFEB40B4A08C8FB242', '').toString(), 'GET\n/v3/certificates\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n\n');
  });

  it('round-trips an Authorization header: the payment side accepts what the merchant signed', () => {
    const body = '{"mchid":"1900000109","description":"小店 订单"}';
    const authorization = buildAuthorization(signer, { method: 'POST', pathWithQuery: '/v3/pay/transactions/native', body, clock });
    assert.match(authorization, /^WECHATPAY2-SHA256-RSA2048 mchid="1900000109",nonce_str="[0-9A-F]{32}",signature="[A-Za-z0-9+/=]+",timestamp="\d+",serial_no="ABC123"$/);
    const parsed = parseAuthorization(authorization)!;
    assert.equal(parsed.timestamp, String(Math.floor(clock.now() / 1000)));
    const ok = verifyRequestAuthorization({ method: 'POST', pathWithQuery: '/v3/pay/transactions/native', body, authorization, merchantPublicKey: KEY_A.publicKey, clock, expectMchid: '1900000109', expectSerial: 'abc123' });
    assert.ok(ok.ok);
  });

  it('refuses a request whose body, path, key, mchid or time is not what was signed', () => {
    const body = '{"amount":{"total":100}}';
    const authorization = buildAuthorization(signer, { method: 'POST', pathWithQuery: '/v3/refund/domestic/refunds', body, clock });
    const check = (over: Partial<Parameters<typeof verifyRequestAuthorization>[0]>) => {
      const r = verifyRequestAuthorization({ method: 'POST', pathWithQuery: '/v3/refund/domestic/refunds', body, authorization, merchantPublicKey: KEY_A.publicKey, clock, expectMchid: '1900000109', ...over });
      return r.ok ? 'ok' : r.code;
    };
    assert.equal(check({}), 'ok');
    assert.equal(check({ body: '{"amount":{"total":1}}' }), 'bad_signature');
    assert.equal(check({ pathWithQuery: '/v3/refund/domestic/refunds?x=1' }), 'bad_signature');
    assert.equal(check({ method: 'GET' }), 'bad_signature');
    assert.equal(check({ merchantPublicKey: KEY_B.publicKey }), 'bad_signature');
    assert.equal(check({ expectMchid: '1900000110' }), 'wrong_mchid');
    assert.equal(check({ expectSerial: 'DEF' }), 'wrong_serial');
    assert.equal(check({ clock: new TestClock(clock.now() + 5 * 60_000 + 1000) }), 'stale_timestamp');
    assert.equal(check({ clock: new TestClock(clock.now() + 4 * 60_000) }), 'ok');
    assert.equal(check({ authorization: undefined }), 'missing_authorization');
    assert.equal(check({ authorization: authorization.replace('WECHATPAY2-SHA256-RSA2048', 'Bearer') }), 'malformed_authorization');
  });

  it('parses fields in any order and rejects duplicates, missing fields and junk', () => {
    const p = parseAuthorization('WECHATPAY2-SHA256-RSA2048 serial_no="S", timestamp="1", signature="c2ln", nonce_str="N", mchid="M"');
    assert.deepEqual(p, { mchid: 'M', nonce_str: 'N', signature: 'c2ln', timestamp: '1', serial_no: 'S' });
    assert.equal(parseAuthorization('WECHATPAY2-SHA256-RSA2048 mchid="M",mchid="M",nonce_str="N",signature="s",timestamp="1",serial_no="S"'), null);
    assert.equal(parseAuthorization('WECHATPAY2-SHA256-RSA2048 mchid="M",nonce_str="N",signature="s",timestamp="1"'), null);
    assert.equal(parseAuthorization('WECHATPAY2-SHA256-RSA2048 mchid="M",nonce_str="N",signature="s",timestamp="1",serial_no="S" trailing'), null);
    assert.equal(parseAuthorization(''), null);
  });

  it('signs JSAPI pay parameters over appId, timeStamp, nonceStr and package', () => {
    const p = jsapiPayParams(signer, 'wx8888888888888888', 'wx201410272009395522657a690389285100', clock, 'NONCE');
    assert.equal(p.package, 'prepay_id=wx201410272009395522657a690389285100');
    assert.equal(p.signType, 'RSA');
    assert.ok(verifyBase64(signatureMessage(p.appId, p.timeStamp, p.nonceStr, p.package), p.paySign, KEY_A.publicKey));
  });
});

describe('response and notification verification', () => {
  const clock = new TestClock(Date.UTC(2026, 10, 11, 0, 0, 0));
  const keys = platformKeyring({ PUB_KEY_ID_0001: KEY_A.publicKey, PUB_KEY_ID_0002: KEY_B.publicKey });
  const signed = (body: string, key = KEY_A.privateKey, serial = 'PUB_KEY_ID_0001', at = clock.now()) => {
    const timestamp = String(Math.floor(at / 1000));
    return { 'wechatpay-timestamp': timestamp, 'wechatpay-nonce': 'N1', 'wechatpay-serial': serial, 'wechatpay-signature': signBase64(signatureMessage(timestamp, 'N1', body), key) };
  };
  const verify = (headers: Record<string, string>, body: string, at = clock) => {
    const r = verifySignedMessage({ headers, body, keys, clock: at });
    return r.ok ? 'ok' : r.code;
  };

  it('accepts a body signed by the key its serial names, including an empty 204 body', () => {
    assert.equal(verify(signed('{"a":1}'), '{"a":1}'), 'ok');
    assert.equal(verify(signed(''), ''), 'ok');
    assert.equal(verify(signed('{"b":2}', KEY_B.privateKey, 'PUB_KEY_ID_0002'), '{"b":2}'), 'ok');
  });

  it('refuses a tampered body', () => {
    assert.equal(verify(signed('{"total":100}'), '{"total":1}'), 'bad_signature');
  });

  it('refuses a signature by another key or under a serial it does not know', () => {
    assert.equal(verify(signed('{}', KEY_B.privateKey, 'PUB_KEY_ID_0001'), '{}'), 'bad_signature');
    assert.equal(verify(signed('{}', KEY_A.privateKey, 'PUB_KEY_ID_9999'), '{}'), 'unknown_serial');
  });

  it('refuses timestamps more than five minutes away, either way', () => {
    assert.equal(verify(signed('{}', KEY_A.privateKey, 'PUB_KEY_ID_0001', clock.now() - 301_000), '{}'), 'stale_timestamp');
    assert.equal(verify(signed('{}', KEY_A.privateKey, 'PUB_KEY_ID_0001', clock.now() + 301_000), '{}'), 'stale_timestamp');
    assert.equal(verify(signed('{}', KEY_A.privateKey, 'PUB_KEY_ID_0001', clock.now() - 299_000), '{}'), 'ok');
  });

  it('refuses missing headers and the WECHATPAY/SIGNTEST probe', () => {
    const h = signed('{}');
    assert.equal(verify({ ...h, 'wechatpay-signature': '' }, '{}'), 'missing_signature_headers');
    assert.equal(verify({ ...h, 'wechatpay-signature': 'WECHATPAY/SIGNTEST/abc' }, '{}'), 'bad_signature');
  });
});

describe('AEAD_AES_256_GCM resources', () => {
  it('round-trips a resource and yields the plaintext', () => {
    const plaintext = JSON.stringify({ out_trade_no: 'chk_1', amount: { total: 100 }, desc: '小店' });
    const res = encryptResource(API_V3_KEY, plaintext, 'transaction');
    assert.equal(res.nonce.length, 12);
    assert.deepEqual(decryptResource(API_V3_KEY, res), { ok: true, value: plaintext });
  });

  it('detects a changed ciphertext, tag, nonce, associated data or key', () => {
    const res = encryptResource(API_V3_KEY, '{"total":100}', 'transaction');
    const bytes = Buffer.from(res.ciphertext, 'base64');
    const flip = (i: number) => {
      const b = Buffer.from(bytes);
      b[i] ^= 1;
      return b.toString('base64');
    };
    const code = (r: ReturnType<typeof decryptResource>) => (r.ok ? 'ok' : r.code);
    assert.equal(code(decryptResource(API_V3_KEY, { ...res, ciphertext: flip(0) })), 'decrypt_failed');
    assert.equal(code(decryptResource(API_V3_KEY, { ...res, ciphertext: flip(bytes.length - 1) })), 'decrypt_failed');
    assert.equal(code(decryptResource(API_V3_KEY, { ...res, nonce: 'AAAAAAAAAAAA' })), 'decrypt_failed');
    assert.equal(code(decryptResource(API_V3_KEY, { ...res, associated_data: 'refund' })), 'decrypt_failed');
    assert.equal(code(decryptResource('0'.repeat(32), res)), 'decrypt_failed');
    assert.equal(code(decryptResource(API_V3_KEY, { ...res, ciphertext: 'AAAA' })), 'malformed_ciphertext');
    assert.equal(code(decryptResource(API_V3_KEY, { ...res, algorithm: 'AEAD_SM4_GCM' })), 'unsupported_algorithm');
  });

  it('insists on a 32-byte APIv3 key', () => {
    assert.throws(() => aeadEncrypt('short', 'n', '', 'x'), /32 bytes/);
  });
});
