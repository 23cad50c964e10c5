import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from './support/app.ts';
import { signedInUser } from './support/fixtures.ts';
import { brandBody, certifyBrand, createApplication, uscc } from './support/onboarding.ts';

/**
 * The store-name check the onboarding form calls as the merchant types: the naming rules and
 * the names in use, answered with the failed rule's code and message, saving nothing.
 */
let t: TestApp;
let owner: Awaited<ReturnType<typeof signedInUser>>;
let operator: Awaited<ReturnType<typeof signedInUser>>;
before(async () => {
  t = await startTestApp();
  owner = await signedInUser(t);
  operator = await signedInUser(t, ['operator']);
});
after(() => t?.close());

const check = (name: string, storeId?: string) =>
  t.call('GET', `${storeId ? `/api/v1/merchant/stores/${storeId}/name-check` : '/api/v1/merchant/store-names/check'}?name=${encodeURIComponent(name)}`, { token: owner.token });

describe('store name check', () => {
  test('names the rule a new name breaks, and accepts a free one without saving it', async () => {
    const flagship = await check('晨光旗舰店');
    assert.equal(flagship.status, 200);
    assert.equal(flagship.body.ok, false);
    assert.equal(flagship.body.code, 'name_uses_reserved_word');
    assert.equal(flagship.body.message_zh, '“旗舰”仅限通过品牌认证的店铺使用。');
    assert.equal((await check('晨')).body.code, 'name_length');

    const free = await check('  晨光文具小铺 ');
    assert.deepEqual(free.body, { ok: true, name: '晨光文具小铺' });
    assert.equal((await t.call('GET', '/api/v1/merchant/stores', { token: owner.token })).body.items.length, 0, 'nothing was created');
    assert.equal((await t.call('GET', '/api/v1/merchant/store-names/check?name=x')).status, 401);
  });

  test('a taken name is refused for others but is not "taken" for its own store; a certified brand counts for its store only', async () => {
    const code = uscc('enterprise');
    const store = await createApplication(t, owner.token, { name: '云杉户外', company_name: '杭州云杉户外用品有限公司', trade_name: '云杉', uscc: code });
    const taken = await check('云杉户外');
    assert.equal(taken.body.code, 'store_name_taken');
    assert.equal((await check('云杉户外', store.id)).body.ok, true);

    await certifyBrand(t, owner, operator, store.id, brandBody(t, { brand: '云杉', badge: 'brand_owned', ownerUscc: code }));
    assert.deepEqual((await check('云杉官方旗舰店', store.id)).body, { ok: true, name: '云杉官方旗舰店' });
    const other = await check('云杉旗舰店');
    assert.equal(other.body.ok, false);
    assert.match(other.body.code, /^name_uses_(reserved_word|protected_brand)$/);

    const stranger = await signedInUser(t);
    const foreign = await t.call('GET', `/api/v1/merchant/stores/${store.id}/name-check?name=abc`, { token: stranger.token });
    assert.equal(foreign.status, 404);
  });
});
