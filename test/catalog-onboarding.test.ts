import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DAY_MS } from '../src/lib/clock.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { signedInUser } from './support/fixtures.ts';
import { brandBody, certifyBrand, createApplication, day, paymentRef, relogin, uploadBaseDocuments, uscc } from './support/onboarding.ts';

/**
 * Catalog and the real stores module together: a store's documents and brand certificates
 * decide its listings, and their expiry (the stores module's scheduled jobs) delists them.
 */
let t: TestApp;
let operator: Awaited<ReturnType<typeof signedInUser>>;
let owner: Awaited<ReturnType<typeof signedInUser>>;
before(async () => {
  t = await startTestApp();
  operator = await signedInUser(t, ['operator']);
  owner = await signedInUser(t);
});
after(() => t?.close());

test('documents and brand certificates decide listings; their expiry delists on schedule', async () => {
  const category = async (code: string, over: Record<string, unknown>) => {
    const r = await t.call('POST', '/api/v1/console/categories', { token: operator.token, body: {
      parent_id: null, code, is_leaf: true, name_zh: code, name_en: code, fee_rate_bp: 300, deposit_minor: 0, required_attributes: [], required_qualifications: [], no_reason_return_7d: false, shipping_insurance: false, ...over,
    } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.id as string;
  };
  const tea = await category('e2e.tea', { required_qualifications: ['food_license'] });
  const cups = await category('e2e.cups', { fee_rate_bp: 200 });
  const brandOwner = uscc();
  const company = uscc();
  // The onboarding path (openStoreViaApi would send extraDocs in the application body).
  const store = await createApplication(t, owner.token, { name: '晨露茶铺', uscc: company, trade_name: '晨露', main_category_code: 'food' });
  await uploadBaseDocuments(t, owner.token, store, [{ kind: 'food_license', number: 'JY14403050012345', valid_until: day(t, 19) }]);
  for (const [path, token] of [[`/api/v1/merchant/stores/${store.id}/application/submit`, owner.token], [`/api/v1/console/stores/${store.id}/approve`, operator.token]] as const) {
    assert.equal((await t.call('POST', path, { token, body: {} })).status, 200, path);
  }
  const paid = await t.call('POST', `/api/v1/merchant/stores/${store.id}/deposit/sandbox-payments`, { token: owner.token, body: { payment_ref: paymentRef() } });
  assert.equal(paid.body.store_status, 'open', JSON.stringify(paid.body));
  await certifyBrand(t, owner, operator, store.id, brandBody(t, { brand: '松涧', badge: 'brand_authorized', ownerUscc: brandOwner, chain: [{ from: brandOwner, to: company, untilDays: 29 }] }));
  const base = `/api/v1/merchant/stores/${store.id}`;
  const list = async (body: Record<string, unknown>) => (await t.call('POST', `${base}/products`, { token: owner.token, body: { skus: [{ spec: {}, price_minor: 5800, stock: 10 }], ...body } })).body;

  const teaProduct = await list({ category_id: tea, title: '明前龙井 绿茶 100g 罐装' });
  const branded = await list({ category_id: cups, title: '松涧 陶瓷茶杯 四只装', brand: '松涧' });
  const otherBrand = await list({ category_id: cups, title: '青竹 陶瓷茶杯 两只装', brand: '青竹' });
  assert.deepEqual([teaProduct.status, branded.status, otherBrand.status], ['live', 'live', 'rejected']);
  assert.equal(otherBrand.review.findings[0].code, 'brand_not_certified');

  t.clock.advance(21 * DAY_MS); // the food licence lapsed on day 19
  await t.ctx.scheduler.runDue();
  await t.ctx.outbox.drain();
  await relogin(t, owner);
  const get = async (id: string) => (await t.call('GET', `${base}/products/${id}`, { token: owner.token })).body;
  assert.deepEqual([(await get(teaProduct.id)).delisted?.reason, (await get(branded.id)).status], ['qualification_expired', 'live']);

  t.clock.advance(10 * DAY_MS); // the authorisation ran out on day 29
  await t.ctx.scheduler.runDue();
  await t.ctx.outbox.drain();
  await relogin(t, owner);
  assert.equal((await get(branded.id)).delisted?.reason, 'brand_revoked');
  assert.equal((await t.call('GET', `/api/v1/products/${branded.id}`)).status, 404);
  const relist = await t.call('POST', `${base}/products/${teaProduct.id}/relist`, { token: owner.token });
  assert.deepEqual([relist.body.status, relist.body.review.findings[0].code], ['rejected', 'missing_qualification']);
});
