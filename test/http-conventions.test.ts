import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from './support/app.ts';
import { PASSWORD, signedInUser } from './support/fixtures.ts';

let t: TestApp;
let user: Awaited<ReturnType<typeof signedInUser>>;
const address = { recipient: '李四', phone: '13912345678', province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路100号' };

/** Access tokens live 2 h; tests that move the clock further sign in again. */
async function relogin(u: typeof user): Promise<typeof user> {
  const r = await t.call('POST', '/api/v1/auth/login', { body: { phone: u.phone, password: PASSWORD } });
  return { ...u, token: r.body.access_token };
}

before(async () => {
  t = await startTestApp();
  user = await signedInUser(t);
});
after(() => t.close());

describe('errors', () => {
  test('a schema violation is 400 validation_failed with the offending path, and changes nothing', async () => {
    const r = await t.call('POST', '/api/v1/me/addresses', { token: user.token, body: { ...address, detail: 'x', extra: 1 } });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, 'validation_failed');
    assert.equal(typeof r.body.error.message, 'string');
    assert.ok(Array.isArray(r.body.error.details));
    assert.match(r.body.error.request_id, /^req_/);
    assert.equal(r.headers.get('x-request-id'), r.body.error.request_id);
    const list = await t.call('GET', '/api/v1/me/addresses', { token: user.token });
    assert.deepEqual(list.body.items, []);
  });

  test('malformed JSON and unknown routes get the same error envelope', async () => {
    const res = await fetch(`${t.baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"phone":' });
    assert.equal(res.status, 400);
    const body = await res.json();
    assert.equal(body.error.code, 'bad_request');
    const nf = await t.call('GET', '/api/v1/nope');
    assert.equal(nf.status, 404);
    assert.equal(nf.body.error.code, 'route_not_found');
  });

  test('an id of the wrong kind in the URL is a 400, not a lookup', async () => {
    const r = await t.call('GET', '/api/v1/me/addresses/ord_01JAAAAAAAAAAAAAAAAAAAAAAA', { token: user.token });
    assert.equal(r.status, 400);
  });
});

describe('idempotency keys', () => {
  test('the same key and body replay the stored response without doing the work twice', async () => {
    const headers = { 'idempotency-key': 'addr-create-0001' };
    const first = await t.call('POST', '/api/v1/me/addresses', { token: user.token, body: { ...address, detail: '幂等地址' }, headers });
    const second = await t.call('POST', '/api/v1/me/addresses', { token: user.token, body: { ...address, detail: '幂等地址' }, headers });
    assert.equal(first.status, 201);
    assert.equal(second.status, 201);
    assert.deepEqual(second.body, first.body);
    assert.equal(second.headers.get('idempotent-replayed'), 'true');
    const list = await t.call('GET', '/api/v1/me/addresses?limit=100', { token: user.token });
    assert.equal(list.body.items.filter((a: any) => a.detail === '幂等地址').length, 1);
  });

  test('the same key with a different body is 409 and changes nothing', async () => {
    const headers = { 'idempotency-key': 'addr-create-0002' };
    await t.call('POST', '/api/v1/me/addresses', { token: user.token, body: { ...address, detail: '第一次的地址' }, headers });
    const r = await t.call('POST', '/api/v1/me/addresses', { token: user.token, body: { ...address, detail: '不同的地址' }, headers });
    assert.equal(r.status, 409);
    assert.equal(r.body.error.code, 'idempotency_key_reused');
    const list = await t.call('GET', '/api/v1/me/addresses?limit=100', { token: user.token });
    assert.equal(list.body.items.filter((a: any) => a.detail === '不同的地址').length, 0);
  });

  test('keys are per caller: another user reusing a key is a fresh request', async () => {
    const other = await signedInUser(t);
    const headers = { 'idempotency-key': 'addr-create-0001' };
    const r = await t.call('POST', '/api/v1/me/addresses', { token: other.token, body: { ...address, detail: '幂等地址' }, headers });
    assert.equal(r.status, 201);
    assert.equal(r.headers.get('idempotent-replayed'), null);
  });

  test('keys are kept 24 hours, then the key may be used again', async () => {
    const headers = { 'idempotency-key': 'addr-create-0003' };
    const first = await t.call('POST', '/api/v1/me/addresses', { token: user.token, body: { ...address, detail: '过期前' }, headers });
    t.clock.advance(23 * 3600_000);
    user = await relogin(user);
    assert.equal((await t.call('POST', '/api/v1/me/addresses', { token: user.token, body: { ...address, detail: '过期前' }, headers })).body.id, first.body.id);
    t.clock.advance(2 * 3600_000);
    user = await relogin(user);
    const later = await t.call('POST', '/api/v1/me/addresses', { token: user.token, body: { ...address, detail: '过期后' }, headers });
    assert.equal(later.status, 201);
    assert.notEqual(later.body.id, first.body.id);
  });

  test('a malformed key is a 400', async () => {
    const r = await t.call('POST', '/api/v1/me/addresses', { token: user.token, body: address, headers: { 'idempotency-key': 'short' } });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, 'invalid_idempotency_key');
  });
});

describe('cursor pagination', () => {
  test('walking pages returns every item exactly once, in order', async () => {
    const u = await signedInUser(t);
    const created: string[] = [];
    for (let i = 0; i < 7; i++) created.push((await t.call('POST', '/api/v1/me/addresses', { token: u.token, body: { ...address, detail: `第${i}号地址` } })).body.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q: string = cursor ? `&cursor=${cursor}` : '';
      const r = await t.call('GET', `/api/v1/me/addresses?limit=3${q}`, { token: u.token });
      assert.equal(r.status, 200);
      seen.push(...r.body.items.map((a: any) => a.id));
      cursor = r.body.next_cursor;
      pages++;
    } while (cursor);
    assert.equal(pages, 3);
    assert.deepEqual(seen, [...created].sort());
  });

  test('a forged cursor is a 400 invalid_cursor', async () => {
    const r = await t.call('GET', '/api/v1/me/addresses?cursor=garbage', { token: user.token });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, 'invalid_cursor');
  });
});

describe('OpenAPI and operations', () => {
  test('the OpenAPI 3.1 document lists the routes with their schemas and error bodies', async () => {
    const r = await t.call('GET', '/api/openapi.json');
    assert.equal(r.status, 200);
    assert.equal(r.body.openapi, '3.1.0');
    const login = r.body.paths['/api/v1/auth/login'].post;
    assert.ok(login.requestBody.content['application/json'].schema.properties.phone);
    assert.ok(login.responses['429']);
    assert.ok(r.body.paths['/api/v1/merchant/stores/{storeId}/skus/{skuId}/price'].patch);
  });

  test('browsable docs are served at /api/docs', async () => {
    const res = await fetch(`${t.baseUrl}/api/docs/`, { redirect: 'follow' });
    assert.equal(res.status, 200);
    assert.match(await res.text(), /swagger/i);
  });

  test('/healthz and /readyz answer; readyz reports the engine', async () => {
    assert.deepEqual((await t.call('GET', '/healthz')).body, { status: 'ok' });
    const ready = await t.call('GET', '/readyz');
    assert.equal(ready.status, 200);
    assert.equal(ready.body.engine, t.ctx.db.engine);
    t.ctx.ready = false;
    assert.equal((await t.call('GET', '/readyz')).status, 503);
    t.ctx.ready = true;
  });
});
