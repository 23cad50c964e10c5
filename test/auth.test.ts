import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { HOUR_MS, MINUTE_MS } from '../src/lib/clock.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { nextPhone } from './support/fixtures.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

async function signUp(phone: string, password = 'goodpass1') {
  assert.equal((await t.call('POST', '/api/v1/auth/sms-codes', { body: { phone, purpose: 'signup' } })).status, 202);
  const code = t.sms.last.get(phone)!;
  return t.call('POST', '/api/v1/auth/signup', { body: { phone, code, password, display_name: '小王' } });
}

describe('sign-up and sign-in by phone', () => {
  test('a buyer signs up with an SMS code and a password, then signs in with either', async () => {
    const phone = nextPhone();
    const res = await signUp(phone);
    assert.equal(res.status, 201);
    assert.match(res.body.access_token, /^xd_at_/);
    const me = await t.call('GET', '/api/v1/me', { token: res.body.access_token });
    assert.equal(me.status, 200);
    assert.equal(me.body.phone, phone);
    assert.deepEqual(me.body.roles, ['buyer']);

    const byPassword = await t.call('POST', '/api/v1/auth/login', { body: { phone, password: 'goodpass1' } });
    assert.equal(byPassword.status, 200);

    t.clock.advance(2 * MINUTE_MS); // past the resend interval
    assert.equal((await t.call('POST', '/api/v1/auth/sms-codes', { body: { phone, purpose: 'login' } })).status, 202);
    const byCode = await t.call('POST', '/api/v1/auth/login', { body: { phone: `+86 ${phone}`, code: t.sms.last.get(phone) } });
    assert.equal(byCode.status, 200);
    // a code works once
    const again = await t.call('POST', '/api/v1/auth/login', { body: { phone, code: t.sms.last.get(phone) } });
    assert.equal(again.status, 401);
  });

  test('passwords are stored as argon2id hashes, never in clear', async () => {
    const phone = nextPhone();
    await signUp(phone, 'hunter2hunter2');
    const row = await t.ctx.db.kysely.selectFrom('identity_accounts').select('password_hash').where('phone', '=', phone).executeTakeFirstOrThrow();
    assert.match(row.password_hash, /^\$argon2id\$/);
    assert.ok(!row.password_hash.includes('hunter2'));
  });

  test('sign-up refuses a wrong code, a taken phone, a weak password and a malformed phone', async () => {
    const phone = nextPhone();
    await t.call('POST', '/api/v1/auth/sms-codes', { body: { phone, purpose: 'signup' } });
    const wrong = await t.call('POST', '/api/v1/auth/signup', { body: { phone, code: t.sms.last.get(phone) === '000000' ? '111111' : '000000', password: 'goodpass1' } });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.error.code, 'invalid_credentials');

    const taken = nextPhone();
    assert.equal((await signUp(taken)).status, 201);
    t.clock.advance(2 * MINUTE_MS);
    const dup = await signUp(taken);
    assert.equal(dup.status, 409);
    assert.equal(dup.body.error.code, 'phone_taken');

    t.clock.advance(2 * MINUTE_MS);
    const weak = await signUp(nextPhone(), 'short');
    assert.equal(weak.status, 400);
    assert.equal(weak.body.error.code, 'weak_password');

    const bad = await t.call('POST', '/api/v1/auth/sms-codes', { body: { phone: '12345678901', purpose: 'signup' } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'invalid_phone');
  });

  test('an SMS code cannot be re-requested within a minute', async () => {
    const phone = nextPhone();
    assert.equal((await t.call('POST', '/api/v1/auth/sms-codes', { body: { phone, purpose: 'signup' } })).status, 202);
    const again = await t.call('POST', '/api/v1/auth/sms-codes', { body: { phone, purpose: 'signup' } });
    assert.equal(again.status, 429);
    assert.ok(Number(again.headers.get('retry-after')) > 0);
  });
});

describe('sessions', () => {
  test('an access token expires after its TTL; the refresh token rotates and cannot be reused', async () => {
    const phone = nextPhone();
    const s = (await signUp(phone)).body;
    t.clock.advance(2 * HOUR_MS + 1);
    const expired = await t.call('GET', '/api/v1/me', { token: s.access_token });
    assert.equal(expired.status, 401);
    assert.equal(expired.body.error.code, 'invalid_token');

    const refreshed = await t.call('POST', '/api/v1/auth/refresh', { body: { refresh_token: s.refresh_token } });
    assert.equal(refreshed.status, 200);
    assert.equal((await t.call('GET', '/api/v1/me', { token: refreshed.body.access_token })).status, 200);
    const reused = await t.call('POST', '/api/v1/auth/refresh', { body: { refresh_token: s.refresh_token } });
    assert.equal(reused.status, 401);
  });

  test('logout revokes the session at once', async () => {
    const s = (await signUp(nextPhone())).body;
    assert.equal((await t.call('POST', '/api/v1/auth/logout', { token: s.access_token })).status, 204);
    assert.equal((await t.call('GET', '/api/v1/me', { token: s.access_token })).status, 401);
  });

  test('a session revoked by another server process stops working within a second', async () => {
    const s = (await signUp(nextPhone())).body;
    assert.equal((await t.call('GET', '/api/v1/me', { token: s.access_token })).status, 200);
    // as another process would: straight in the database, bypassing this process's cache
    await t.ctx.db.kysely.updateTable('identity_sessions').set({ revoked_at: t.clock.now() }).where('account_id', '=', s.account_id).execute();
    t.clock.advance(1001);
    assert.equal((await t.call('GET', '/api/v1/me', { token: s.access_token })).status, 401);
  });

  test('becoming staff of a store takes effect on the next request', async () => {
    const owner = (await signUp(nextPhone())).body;
    const store = await t.ctx.stores.createStore({ name: `缓存测试店${Date.now() % 100000}`, subject_type: 'enterprise', company_name: '缓存测试有限公司' }, owner.account_id);
    const staffPhone = nextPhone();
    const staff = (await signUp(staffPhone)).body;
    assert.equal((await t.call('GET', `/api/v1/merchant/stores/${store.id}`, { token: staff.access_token })).status, 404);
    await t.call('POST', `/api/v1/merchant/stores/${store.id}/staff`, { token: owner.access_token, body: { phone: staffPhone, role: 'operator' } });
    assert.equal((await t.call('GET', `/api/v1/merchant/stores/${store.id}`, { token: staff.access_token })).status, 200);
  });

  test('session tokens are stored hashed', async () => {
    const s = (await signUp(nextPhone())).body;
    const rows = await t.ctx.db.kysely.selectFrom('identity_sessions').select(['token_hash', 'refresh_hash']).where('account_id', '=', s.account_id).execute();
    assert.ok(rows.length >= 1);
    for (const r of rows) {
      assert.ok(!r.token_hash.includes(s.access_token.slice(6, 20)));
      assert.match(r.token_hash, /^[0-9a-f]{64}$/);
    }
  });

  test('no token, a garbage token and a malformed header are 401 with the error body', async () => {
    const none = await t.call('GET', '/api/v1/me');
    assert.equal(none.status, 401);
    assert.equal(none.body.error.code, 'unauthenticated');
    assert.equal((await t.call('GET', '/api/v1/me', { token: 'xd_at_nope' })).status, 401);
    assert.equal((await t.call('GET', '/api/v1/me', { headers: { authorization: 'Basic abc' } })).status, 401);
  });
});

describe('failed-login throttling', () => {
  test('five wrong passwords lock the account for 15 minutes, even for the right password', async () => {
    const phone = nextPhone();
    await signUp(phone);
    for (let i = 0; i < 5; i++) {
      const r = await t.call('POST', '/api/v1/auth/login', { body: { phone, password: `wrong${i}pass` } });
      assert.equal(r.status, 401, `attempt ${i}`);
    }
    const locked = await t.call('POST', '/api/v1/auth/login', { body: { phone, password: 'goodpass1' } });
    assert.equal(locked.status, 429);
    assert.equal(locked.body.error.code, 'too_many_attempts');
    assert.ok(Number(locked.headers.get('retry-after')) > 0);
    t.clock.advance(15 * MINUTE_MS + 1000);
    assert.equal((await t.call('POST', '/api/v1/auth/login', { body: { phone, password: 'goodpass1' } })).status, 200);
  });

  test('one IP guessing across many accounts is throttled per IP', async () => {
    let last = 0;
    for (let i = 0; i < 51; i++) {
      // unknown phones: per-account limits never trigger, only the per-IP one
      last = (await t.call('POST', '/api/v1/auth/login', { body: { phone: nextPhone(), password: 'nope12345' } })).status;
      if (last === 429) break;
    }
    assert.equal(last, 429);
    t.clock.advance(16 * MINUTE_MS);
  });
});
