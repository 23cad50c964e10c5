import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DAY_MS } from '../src/lib/clock.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { signedInUser } from './support/fixtures.ts';
import { brandBody, certifyBrand, createApplication, day, relogin, uploadBaseDocuments, uscc } from './support/onboarding.ts';

/** Brand certification: trademark and chain checks, the platform-wide badge limits, brand-aware naming, expiry on schedule. */
let t: TestApp;
let operator: Awaited<ReturnType<typeof signedInUser>>;
let owner: Awaited<ReturnType<typeof signedInUser>>;
before(async () => {
  t = await startTestApp();
  operator = await signedInUser(t, ['operator']);
  owner = await signedInUser(t);
});
after(() => t?.close());

const apply = (storeId: string, body: unknown) => t.call('POST', `/api/v1/merchant/stores/${storeId}/brands`, { token: owner.token, body });
const approve = (certId: string) => t.call('POST', `/api/v1/console/brand-applications/${certId}/approve`, { token: operator.token, body: {} });
const rename = (storeId: string, name: string) => t.call('POST', `/api/v1/merchant/stores/${storeId}/rename`, { token: owner.token, body: { name } });
const newStore = (name: string, o: { uscc?: string; trade_name?: string; main_category_code?: string } = {}) => createApplication(t, owner.token, { name, ...o });

describe('brand badges and their limits', () => {
  test('品牌自营: at most five stores per brand — the sixth is refused at approval and at application; closing one frees a place', async () => {
    const company = uscc();
    const stores = [];
    for (let i = 1; i <= 7; i++) stores.push(await newStore(`白鹭${i}号店`, { uscc: company }));
    const body = brandBody(t, { brand: '云朵', badge: 'brand_owned', ownerUscc: company });
    for (const s of stores.slice(0, 4)) await certifyBrand(t, owner, operator, s.id, body);
    const fifth = await apply(stores[4].id, body);
    const sixth = await apply(stores[5].id, body);
    assert.equal(sixth.status, 201); // four held: both may wait for review
    assert.equal((await approve(fifth.body.id)).status, 200);
    const refused = await approve(sixth.body.id);
    assert.equal(refused.status, 422);
    assert.equal(refused.body.error.code, 'badge_owned_brand_limit');
    assert.match(refused.body.error.message_zh, /最多5家/);
    const atApplication = await apply(stores[6].id, body);
    assert.equal(atApplication.body.error.code, 'badge_owned_brand_limit');

    await t.call('POST', `/api/v1/console/stores/${stores[0].id}/close`, { token: operator.token, body: { reason: '品牌方关店' } });
    assert.deepEqual(await t.ctx.stores.certifiedBrands(stores[0].id), []);
    assert.equal((await approve(sixth.body.id)).status, 200);
    assert.deepEqual(await t.ctx.stores.certifiedBrands(stores[5].id), ['云朵']);
  });

  test('品牌授权: one store per company per brand; another company may hold it too', async () => {
    const brandOwner = uscc();
    const companyA = uscc();
    const companyB = uscc();
    const a1 = await newStore('天虹数码一店', { uscc: companyA, trade_name: '天虹' });
    const a2 = await newStore('天虹数码二店', { uscc: companyA, trade_name: '天虹' });
    const b1 = await newStore('远山数码', { uscc: companyB, trade_name: '远山' });
    const licence = (to: string) => brandBody(t, { brand: '晴川', badge: 'brand_authorized', ownerUscc: brandOwner, chain: [{ from: brandOwner, to }] });
    await certifyBrand(t, owner, operator, a1.id, licence(companyA));
    const second = await apply(a2.id, licence(companyA));
    assert.equal(second.status, 422);
    assert.equal(second.body.error.code, 'badge_authorized_company_limit');
    await certifyBrand(t, owner, operator, b1.id, licence(companyB));
    // the 品牌授权 name: brand + ≥2 adjacent characters of the trade name + suffix
    const noTradeName = await rename(a1.id, '晴川专卖店');
    assert.equal(noTradeName.body.error.code, 'name_trade_name_missing');
    assert.equal((await rename(a1.id, '晴川天虹专卖店')).status, 200);
  });

  test('who may hold which badge: owner or exclusive licensee for 自营, direct licensee for 授权', async () => {
    const brandOwner = uscc();
    const licensee = uscc();
    const store = await newStore('资格测试店', { uscc: licensee });
    const ownStore = await newStore('权利人的店', { uscc: brandOwner });
    const nonExclusive = await apply(store.id, brandBody(t, { brand: '松风', badge: 'brand_owned', ownerUscc: brandOwner, chain: [{ from: brandOwner, to: licensee }] }));
    assert.equal(nonExclusive.body.error.code, 'badge_owned_requires_owner_or_exclusive_licensee');
    const exclusive = await apply(store.id, brandBody(t, { brand: '松风', badge: 'brand_owned', ownerUscc: brandOwner, chain: [{ from: brandOwner, to: licensee, exclusive: true }] }));
    assert.equal(exclusive.status, 201);
    assert.equal(exclusive.body.level, 1);
    const ownerAsAuthorized = await apply(ownStore.id, brandBody(t, { brand: '松风', badge: 'brand_authorized', ownerUscc: brandOwner }));
    assert.equal(ownerAsAuthorized.body.error.code, 'badge_authorized_requires_first_level_licensee');
    const middleman = uscc();
    const subLicensed = await newStore('二级分销店', { uscc: licensee });
    const level2 = await apply(subLicensed.id, brandBody(t, { brand: '竹溪', badge: 'brand_authorized', ownerUscc: brandOwner, chain: [{ from: brandOwner, to: middleman }, { from: middleman, to: licensee }] }));
    assert.equal(level2.body.error.code, 'badge_authorized_requires_first_level_licensee');
    const pending = await apply(store.id, brandBody(t, { brand: '松风', badge: 'brand_owned', ownerUscc: brandOwner, chain: [{ from: brandOwner, to: licensee, exclusive: true }] }));
    assert.equal(pending.body.error.code, 'brand_application_pending');
    const rejected = await t.call('POST', `/api/v1/console/brand-applications/${exclusive.body.id}/reject`, { token: operator.token, body: { reason: '授权书无公章' } });
    assert.equal(rejected.body.status, 'rejected');
    assert.equal(rejected.body.status_reason, '授权书无公章');
  });

  test('trademark and chain documents are checked: Nice class 1–45, validity, a chain that reaches the applicant', async () => {
    const company = uscc();
    const store = await newStore('商标校验店', { uscc: company });
    const code = async (body: unknown) => (await apply(store.id, body)).body.error?.code ?? 'ok';
    assert.equal(await code(brandBody(t, { brand: '青石', badge: 'brand_owned', ownerUscc: company, niceClass: 46 })), 'trademark_nice_class');
    assert.equal(await code(brandBody(t, { brand: '青石', badge: 'brand_owned', ownerUscc: company, niceClass: 0 })), 'trademark_nice_class');
    assert.equal(await code(brandBody(t, { brand: '青石', badge: 'brand_owned', ownerUscc: company, tmUntilDays: -1 })), 'trademark_expired');
    const someoneElse = uscc();
    assert.equal(await code(brandBody(t, { brand: '青石', badge: 'brand_authorized', ownerUscc: someoneElse, chain: [{ from: someoneElse, to: uscc() }] })), 'chain_not_to_applicant');
    assert.equal(await code(brandBody(t, { brand: '青石', badge: 'brand_authorized', ownerUscc: someoneElse, chain: [{ from: uscc(), to: company }] })), 'chain_not_from_owner');
    assert.equal(await code(brandBody(t, { brand: '青石', badge: 'brand_authorized', ownerUscc: someoneElse, chain: [{ from: someoneElse, to: company, untilDays: -1 }] })), 'chain_link_expired');
    assert.equal(await code(brandBody(t, { brand: '青石', badge: 'brand_owned', ownerUscc: company, niceClass: 45 })), 'ok');
  });
});

describe('store names', () => {
  test('each naming rule says which rule failed, in both languages', async () => {
    const cases: [string, string][] = [
      ['星河旗舰店', 'name_uses_reserved_word'], ['官 方 好物', 'name_uses_reserved_word'], ['央视推荐好店', 'name_uses_banned_word'],
      ['开心小店😀', 'name_has_emoji'], ['店', 'name_length'], ['a'.repeat(31), 'name_length'],
    ];
    for (const [name, code] of cases) {
      const r = await t.call('POST', '/api/v1/merchant/stores', { token: owner.token, body: { name, subject_type: 'enterprise', company_name: '测试有限公司', uscc: uscc() } });
      assert.equal(r.status, 422, name);
      assert.equal(r.body.error.code, code, name);
      assert.ok(r.body.error.message_zh, name);
    }
    await newStore('Abc 小店');
    const taken = await t.call('POST', '/api/v1/merchant/stores', { token: owner.token, body: { name: 'ＡＢＣ  小店', subject_type: 'enterprise', company_name: '测试有限公司', uscc: uscc() } });
    assert.equal(taken.status, 409);
    assert.equal(taken.body.error.code, 'store_name_taken');
  });

  test('a certified brand is off-limits to other stores; its own store takes brand + suffix, nothing else', async () => {
    const company = uscc();
    const store = await newStore('北辰数码', { uscc: company });
    await certifyBrand(t, owner, operator, store.id, brandBody(t, { brand: '北辰', badge: 'brand_owned', ownerUscc: company }));
    const other = await t.call('POST', '/api/v1/merchant/stores', { token: owner.token, body: { name: '北辰好物', subject_type: 'enterprise', company_name: '别家有限公司', uscc: uscc() } });
    assert.equal(other.body.error.code, 'name_uses_protected_brand');
    assert.equal((await rename(store.id, '北辰数码官方旗舰店')).body.error.code, 'name_suffix_not_allowed');
    assert.equal((await rename(store.id, '北辰官方旗舰店')).status, 200);
  });
});

describe('expiry on schedule', () => {
  test('a lapsed licence expires and a lapsed authorisation revokes the brand, with events for catalog to delist', async () => {
    const brandOwner = uscc();
    const company = uscc();
    const store = await newStore('晚风食品', { uscc: company, trade_name: '晚风', main_category_code: 'food' });
    await uploadBaseDocuments(t, owner.token, store, [{ kind: 'food_license', number: 'JY14403050099999', valid_until: day(t, 19) }]);
    const cert = await certifyBrand(t, owner, operator, store.id, brandBody(t, { brand: '夏木', badge: 'brand_authorized', ownerUscc: brandOwner, chain: [{ from: brandOwner, to: company, untilDays: 29 }] }));
    assert.equal(Date.parse(cert.expires_at), Date.parse(`${day(t, 30)}T00:00:00+08:00`));
    assert.deepEqual((await t.ctx.stores.heldQualifications(store.id)).sort(), ['business_license', 'food_license', 'legal_rep_id']);

    t.clock.advance(21 * DAY_MS);
    await t.ctx.scheduler.runDue();
    assert.deepEqual((await t.ctx.stores.heldQualifications(store.id)).sort(), ['business_license', 'legal_rep_id']);
    const events = async (type: string) => (await t.ctx.db.kysely.selectFrom('outbox_events').selectAll().where('type', '=', type).where('aggregate_id', '=', store.id).execute()).map((e: any) => JSON.parse(e.payload));
    const [expired] = await events('store.qualification_expired');
    assert.equal(expired.kind, 'food_license');
    assert.deepEqual(await t.ctx.stores.certifiedBrands(store.id), ['夏木']);

    t.clock.advance(10 * DAY_MS);
    await t.ctx.scheduler.runDue();
    assert.deepEqual(await t.ctx.stores.certifiedBrands(store.id), []);
    await relogin(t, owner); // a month passed: sessions expired
    await relogin(t, operator);
    const [revoked] = await events('store.brand_revoked');
    assert.deepEqual([revoked.cert_id, revoked.brand_name, revoked.badge, revoked.reason], [cert.id, '夏木', 'brand_authorized', 'authorization_expired']);
    const brands = (await t.call('GET', `/api/v1/merchant/stores/${store.id}/brands`, { token: owner.token })).body.items;
    assert.deepEqual([brands[0].status, brands[0].status_reason], ['revoked', 'authorization_expired']);
    const decisions = (await t.call('GET', `/api/v1/merchant/stores/${store.id}/review-decisions`, { token: owner.token })).body.items;
    assert.deepEqual([decisions[0].subject, decisions[0].decision, decisions[0].actor_role], ['brand', 'revoke', 'system']);
    // the company's place for the brand is free again: a renewed licence is certified
    await certifyBrand(t, owner, operator, store.id, brandBody(t, { brand: '夏木', badge: 'brand_authorized', ownerUscc: brandOwner, chain: [{ from: brandOwner, to: company, untilDays: 365 }] }));
  });

  test('renames of an open store are limited: two a year, the third waits', async () => {
    const o = await signedInUser(t);
    const store = await createApplication(t, o.token, { name: '改名测试店' });
    await uploadBaseDocuments(t, o.token, store);
    await t.call('POST', `/api/v1/merchant/stores/${store.id}/rename`, { token: o.token, body: { name: '改名测试店草稿' } }); // free during onboarding
    await t.call('POST', `/api/v1/merchant/stores/${store.id}/application/submit`, { token: o.token });
    await t.call('POST', `/api/v1/console/stores/${store.id}/approve`, { token: operator.token, body: {} });
    const paid = await t.call('POST', `/api/v1/merchant/stores/${store.id}/deposit/sandbox-payments`, { token: o.token, body: { payment_ref: `ren_${store.id}` } });
    assert.equal(paid.body.store_status, 'open');
    const r = (name: string) => t.call('POST', `/api/v1/merchant/stores/${store.id}/rename`, { token: o.token, body: { name } });
    assert.equal((await r('改名一次')).status, 200);
    assert.equal((await r('改名两次')).status, 200);
    const third = await r('改名三次');
    assert.equal(third.status, 422);
    assert.equal(third.body.error.code, 'rename_limit_reached');
    assert.match(third.body.error.message_zh, /365天内最多可修改2次/);
    const history = (await t.call('GET', `/api/v1/merchant/stores/${store.id}/name-history`, { token: o.token })).body;
    assert.deepEqual(history.items.map((h: any) => [h.new_name, h.counted]), [['改名两次', true], ['改名一次', true], ['改名测试店草稿', false]]);
    assert.equal(history.renames_remaining, 0);
    t.clock.advance(366 * DAY_MS);
    await relogin(t, o);
    assert.equal((await t.call('POST', `/api/v1/merchant/stores/${store.id}/rename`, { token: o.token, body: { name: '改名三次' } })).status, 200);
  });
});
