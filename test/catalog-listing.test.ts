import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DAY_MS } from '../src/lib/clock.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { leafCategory, openStoreWithProduct, PASSWORD, signedInUser } from './support/fixtures.ts';
import type { StoreFacts } from '../src/modules/catalog/index.ts';

/** Living with a listing: edits, SKUs, prices and their history, delisting (by hand and on schedule), images, CSV. */
const facts = new Map<string, { qualifications: string[]; brands: string[] }>();
const storeFacts: StoreFacts = {
  qualifications: async (id) => facts.get(id)?.qualifications ?? [],
  certifiedBrands: async (id) => facts.get(id)?.brands ?? [],
};
let t: TestApp;
let owner: Awaited<ReturnType<typeof signedInUser>>;
let storeId: string;
let categoryId: string;
let base: string;

const create = async (body: Record<string, unknown> = {}) => {
  const r = await t.call('POST', `${base}/products`, { token: owner.token, body: { category_id: categoryId, title: '纯棉短袖T恤 男款 圆领', skus: [{ spec: { 颜色: '黑' }, price_minor: 10000, stock: 5 }], ...body } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
};
const events = async (type: string, aggregateId: string) =>
  (await t.ctx.db.kysely.selectFrom('outbox_events').selectAll().where('type', '=', type).where('aggregate_id', '=', aggregateId).orderBy('id').execute()).map((e: any) => JSON.parse(e.payload));
/** Moves the test clock; access tokens live 2 hours, so sign in again. */
const advance = async (ms: number) => {
  t.clock.advance(ms);
  owner.token = (await t.call('POST', '/api/v1/auth/login', { body: { phone: owner.phone, password: PASSWORD } })).body.access_token;
};
const upload = (path: string, bytes: Buffer | string, type: string) =>
  fetch(t.baseUrl + path, { method: 'POST', headers: { authorization: `Bearer ${owner.token}`, 'content-type': type }, body: typeof bytes === 'string' ? bytes : new Blob([new Uint8Array(bytes)]) }).then(async (r) => ({ status: r.status, body: await r.json() }));

before(async () => {
  t = await startTestApp({ storeFacts });
  owner = await signedInUser(t);
  const s = await openStoreWithProduct(t, owner.id, '上新测试店');
  storeId = s.store.id;
  categoryId = s.categoryId;
  base = `/api/v1/merchant/stores/${storeId}`;
});
after(() => t.close());

describe('editing a listing', () => {
  test('an edit that adds a banned word takes the product off sale with the finding; fixing it puts it back', async () => {
    const p = await create();
    const bad = await t.call('PATCH', `${base}/products/${p.id}`, { token: owner.token, body: { description: '全网第一的面料' } });
    assert.equal(bad.body.status, 'rejected');
    assert.equal(bad.body.review.findings[0].field, 'description');
    const fixed = await t.call('PATCH', `${base}/products/${p.id}`, { token: owner.token, body: { description: '精选面料' } });
    assert.deepEqual([fixed.body.status, fixed.body.review.trigger], ['live', 'edit']);
    const updates = await events('product.updated', p.id);
    assert.deepEqual(updates.map((u) => [u.status, u.changed]), [['rejected', ['description', 'status']], ['live', ['description', 'status']]]);
    const history = await t.call('GET', `${base}/products/${p.id}/reviews`, { token: owner.token });
    assert.deepEqual(history.body.items.map((r: any) => r.decision), ['pass', 'reject', 'pass']);
  });

  test('adding a SKU stocks it and reviews the product; the last active SKU cannot be disabled', async () => {
    const p = await create();
    const added = await t.call('POST', `${base}/products/${p.id}/skus`, { token: owner.token, body: { spec: { 颜色: '白' }, price_minor: 10000, stock: 7 } });
    assert.equal(added.status, 201);
    const white = added.body.skus.find((s: any) => s.spec.颜色 === '白');
    assert.equal(white.stock.on_hand, 7);
    const dup = await t.call('POST', `${base}/products/${p.id}/skus`, { token: owner.token, body: { spec: { 颜色: '白' }, price_minor: 1, stock: 0 } });
    assert.equal(dup.body.error.code, 'duplicate_sku_spec');
    assert.equal((await t.call('PATCH', `${base}/skus/${white.id}`, { token: owner.token, body: { status: 'disabled' } })).body.status, 'live');
    const buyer = await t.call('GET', `/api/v1/products/${p.id}`);
    assert.deepEqual(buyer.body.skus.map((s: any) => s.id), [p.skus[0].id]);
    const last = await t.call('PATCH', `${base}/skus/${p.skus[0].id}`, { token: owner.token, body: { status: 'disabled' } });
    assert.deepEqual([last.status, last.body.error.code], [422, 'last_active_sku']);
  });

  test('a price raised and shown as a "discount" above the 30-day low waits for review; the history records every change', async () => {
    const p = await create();
    const skuId = p.skus[0].id;
    await advance(DAY_MS);
    const raised = await t.call('PATCH', `${base}/skus/${skuId}/price`, { token: owner.token, body: { price_minor: 15000 } });
    assert.deepEqual([raised.body.price_minor, raised.body.product_status], [15000, 'live']);
    await advance(DAY_MS);
    const fakeSale = await t.call('PATCH', `${base}/skus/${skuId}/price`, { token: owner.token, body: { price_minor: 12000, list_price_minor: 15000 } });
    assert.equal(fakeSale.body.product_status, 'in_review');
    const f = fakeSale.body.review.findings[0];
    assert.deepEqual([f.code, f.details.recent_low_price_minor], ['discount_above_recent_low', 10000]);
    const history = await t.call('GET', `${base}/skus/${skuId}/price-history`, { token: owner.token });
    assert.deepEqual(history.body.items.map((h: any) => [h.price_minor, h.list_price_minor]), [[12000, 15000], [15000, null], [10000, null]]);
    assert.equal(await t.ctx.catalog.lowestPriceSince(skuId, t.clock.now() - 30 * DAY_MS), 10000);
    await advance(31 * DAY_MS);
    assert.equal(await t.ctx.catalog.lowestPriceSince(skuId, t.clock.now() - 30 * DAY_MS), 12000);
    const priced = await events('sku.price_changed', skuId);
    assert.deepEqual(priced.map((e) => [e.from_minor, e.to_minor, e.product_id, e.actor_id]), [[10000, 15000, p.id, owner.id], [15000, 12000, p.id, owner.id]]);
  });
});

describe('delisting', () => {
  test('the merchant delists and relists; relisting is reviewed again', async () => {
    const p = await create();
    const off = await t.call('POST', `${base}/products/${p.id}/delist`, { token: owner.token, body: { note: '换季' } });
    assert.deepEqual([off.body.status, off.body.delisted.reason, off.body.delisted.note], ['delisted', 'merchant', '换季']);
    assert.equal((await t.call('GET', `/api/v1/products/${p.id}`)).status, 404);
    assert.equal((await t.call('POST', `${base}/products/${p.id}/delist`, { token: owner.token, body: {} })).body.error.code, 'cannot_delist');
    const on = await t.call('POST', `${base}/products/${p.id}/relist`, { token: owner.token });
    assert.deepEqual([on.body.status, on.body.review.trigger, on.body.delisted], ['live', 'relist', null]);
    assert.deepEqual((await events('product.delisted', p.id)).map((e) => [e.reason, e.actor_id]), [['merchant', owner.id]]);
    assert.deepEqual((await events('product.relisted', p.id)).map((e) => e.status), ['live']);
  });

  test('a revoked brand delists the store’s products of that brand (any spelling), once, unless still certified', async () => {
    facts.set(storeId, { qualifications: [], brands: ['耐克'] });
    const nike = await create({ title: 'Nike 运动跑鞋 男款', brand: 'Nike' });
    const plain = await create({ title: '纯棉短袖T恤 女款 圆领' });
    assert.equal(nike.status, 'live');
    const revoke = () => t.ctx.db.transaction((tx) => t.ctx.outbox.emit(tx, 'store.brand_revoked', storeId, { store_id: storeId, cert_id: 'bc_1', brand_name: '耐克', badge: 'brand_authorized', reason: 'authorization_expired', revoked_at: t.clock.now() }));
    await revoke();
    await t.ctx.outbox.drain();
    assert.equal((await t.call('GET', `${base}/products/${nike.id}`, { token: owner.token })).body.status, 'live', 'still certified: kept');
    facts.set(storeId, { qualifications: [], brands: [] });
    await revoke();
    await revoke();
    await t.ctx.outbox.drain();
    const after = await t.call('GET', `${base}/products/${nike.id}`, { token: owner.token });
    assert.deepEqual([after.body.status, after.body.delisted.reason], ['delisted', 'brand_revoked']);
    assert.equal((await t.call('GET', `${base}/products/${plain.id}`, { token: owner.token })).body.status, 'live');
    assert.deepEqual((await events('product.delisted', nike.id)).map((e) => [e.reason, e.actor_id]), [['brand_revoked', null]]);
    const relist = await t.call('POST', `${base}/products/${nike.id}/relist`, { token: owner.token });
    assert.deepEqual([relist.body.status, relist.body.review.findings[0].code], ['rejected', 'brand_not_certified']);
  });

  test('an expired qualification delists products in categories that need it', async () => {
    const tea = await leafCategory(t, { required_qualifications: ['food_license'], fee_rate_bp: 300 });
    facts.set(storeId, { qualifications: ['food_license'], brands: [] });
    const p = await create({ category_id: tea, title: '武夷山大红袍 岩茶 礼盒装' });
    const shirt = await create();
    facts.set(storeId, { qualifications: [], brands: [] });
    await t.ctx.db.transaction((tx) => t.ctx.outbox.emit(tx, 'store.qualification_expired', storeId, { store_id: storeId, qualification_id: 'q_1', kind: 'food_license', expired_at: t.clock.now() }));
    await t.ctx.outbox.drain();
    assert.equal((await t.call('GET', `${base}/products/${p.id}`, { token: owner.token })).body.delisted.reason, 'qualification_expired');
    assert.equal((await t.call('GET', `${base}/products/${shirt.id}`, { token: owner.token })).body.status, 'live');
  });
});

describe('product images', () => {
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('fake image body')]);

  test('an uploaded image is stored, served at its URL and usable on a product; the same bytes give the same image', async () => {
    const up = await upload(`${base}/media`, png, 'image/png');
    assert.equal(up.status, 201);
    assert.match(up.body.url, new RegExp(`^/media/stores/${storeId}/[0-9a-f]{64}\\.png$`));
    const served = await fetch(t.baseUrl + up.body.url);
    assert.deepEqual([served.status, served.headers.get('content-type')], [200, 'image/png']);
    assert.deepEqual(Buffer.from(await served.arrayBuffer()), png);
    const again = await upload(`${base}/media`, png, 'application/octet-stream');
    assert.deepEqual([again.status, again.body.id], [200, up.body.id]);
    const p = await create({ images: [up.body.url] });
    assert.deepEqual(p.images, [up.body.url]);
  });

  test('non-images, oversized files and images of another store are refused', async () => {
    const text = await upload(`${base}/media`, '<svg/>', 'image/png');
    assert.deepEqual([text.status, text.body.error.code], [400, 'unsupported_image']);
    const big = await upload(`${base}/media`, Buffer.concat([png, Buffer.alloc(t.ctx.config.mediaMaxBytes)]), 'image/png');
    assert.equal(big.status, 413);
    const foreign = await t.call('POST', `${base}/products`, { token: owner.token, body: { category_id: categoryId, title: '纯棉短袖T恤 男款', images: [`/media/stores/sto_01JD3Q0000000000000000000A/${'a'.repeat(64)}.png`], skus: [{ spec: {}, price_minor: 100, stock: 1 }] } });
    assert.equal(foreign.body.error.code, 'invalid_image');
    // a traversal never reaches the file system outside the media folder (the URL normalises to
    // /etc/passwd, which is not a media path: at most the web app's page answers)
    const traversal = await fetch(`${t.baseUrl}/media/stores/../../etc/passwd`);
    const body = await traversal.text();
    assert.ok(!body.includes('root:'), 'no system file is served');
    assert.ok(traversal.status === 404 || String(traversal.headers.get('content-type')).startsWith('text/html'), `status ${traversal.status}`);
    assert.equal((await fetch(`${t.baseUrl}/media/stores/..%2F..%2F..%2Fetc%2Fpasswd`)).status, 404);
  });
});

describe('product CSV', () => {
  test('import creates the good products, reports the bad row with its line and reason, and export lists them', async () => {
    const csv = [
      'product_ref,category,title,attributes,spec,price,list_price,barcode,stock',
      `A,${categoryId},亚麻衬衫 男款 长袖,,颜色=白;尺码=M,129.00,,6901234567892,10`,
      `A,,,,颜色=白;尺码=L,129.00,,,8`,
      `B,${categoryId},亚麻短裤 男款,,颜色=白,九十九,,,3`,
      `C,${categoryId},最好的亚麻衬衫,,,99,,,1`,
    ].join('\n');
    const r = await upload(`${base}/products/import`, csv, 'text/csv');
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.errors.map((e: any) => [e.line, e.product_ref, e.code]), [[4, 'B', 'invalid_price']]);
    assert.match(r.body.errors[0].message_zh, /售价/);
    const byRef = Object.fromEntries(r.body.created.map((c: any) => [c.product_ref, c]));
    assert.deepEqual([byRef.A.status, byRef.A.lines, byRef.C.status, byRef.C.findings[0].code], ['live', [2, 3], 'rejected', 'absolute_claim']);
    const exported = await fetch(`${t.baseUrl}${base}/products.csv`, { headers: { authorization: `Bearer ${owner.token}` } });
    assert.match(exported.headers.get('content-type') ?? '', /text\/csv/);
    const text = await exported.text();
    assert.ok(text.includes(`${byRef.A.product_id},${byRef.A.product_id}`));
    assert.ok(text.includes('颜色=白;尺码=L,129.00,,,8,live'));
  });
});
