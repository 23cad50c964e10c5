import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from './support/app.ts';
import { openStoreWithProduct, signedInUser } from './support/fixtures.ts';
import type { StoreFacts } from '../src/modules/catalog/index.ts';

/**
 * Category rules and listing compliance review through the HTTP API: each rule's accept and
 * reject path, the operators' review queue, and tenancy.
 */
const facts = new Map<string, { qualifications: string[]; brands: string[] }>();
const storeFacts: StoreFacts = {
  qualifications: async (id) => facts.get(id)?.qualifications ?? [],
  certifiedBrands: async (id) => facts.get(id)?.brands ?? [],
};

let t: TestApp;
let owner: Awaited<ReturnType<typeof signedInUser>>;
let operator: Awaited<ReturnType<typeof signedInUser>>;
let storeId: string;
let other: Awaited<ReturnType<typeof openStoreWithProduct>>;
const cat: Record<string, string> = {};

const rules = (over: Record<string, unknown> = {}) => ({
  name_zh: '类目', name_en: 'Category', fee_rate_bp: 200, deposit_minor: 0, required_attributes: [], required_qualifications: [], no_reason_return_7d: true, shipping_insurance: false, ...over,
});
const sku = (over: Record<string, unknown> = {}) => ({ spec: { 颜色: '黑色' }, price_minor: 9900, stock: 10, ...over });
const list = (body: Record<string, unknown>) => t.call('POST', `/api/v1/merchant/stores/${storeId}/products`, { token: owner.token, body: { category_id: cat.women, skus: [sku()], attributes: { 材质: '纯棉' }, ...body } });
const codes = (r: { body: any }) => r.body.review.findings.map((f: any) => f.code);

before(async () => {
  t = await startTestApp({ storeFacts });
  owner = await signedInUser(t);
  operator = await signedInUser(t, ['operator']);
  storeId = (await openStoreWithProduct(t, owner.id, '规则测试店')).store.id;
  other = await openStoreWithProduct(t, (await signedInUser(t)).id, '隔壁店');
  const mk = async (body: Record<string, unknown>) => {
    const r = await t.call('POST', '/api/v1/console/categories', { token: operator.token, body });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.id as string;
  };
  cat.root = await mk({ parent_id: null, code: 'rt', is_leaf: false, ...rules({ fee_rate_bp: 0 }) });
  cat.women = await mk({ parent_id: cat.root, code: 'rt.women', is_leaf: true, ...rules({ fee_rate_bp: 500, required_attributes: [{ key: '材质', label_zh: '材质', type: 'text' }] }) });
  cat.tea = await mk({ parent_id: cat.root, code: 'rt.tea', is_leaf: true, ...rules({ fee_rate_bp: 300, required_qualifications: ['food_license'], no_reason_return_7d: false }) });
  cat.phone = await mk({ parent_id: cat.root, code: 'rt.phone', is_leaf: true, ...rules({ fee_rate_bp: 250, shipping_insurance: true }) });
});
after(() => t.close());

describe('category rules', () => {
  test('a leaf carries a fee tier, deposit and return policies; a fee off the tiers is refused', async () => {
    const all = (await t.call('GET', '/api/v1/categories')).body.items;
    const tea = all.find((c: any) => c.id === cat.tea);
    assert.deepEqual([tea.fee_rate_bp, tea.no_reason_return_7d, tea.required_qualifications], [300, false, ['food_license']]);
    const bad = await t.call('POST', '/api/v1/console/categories', { token: operator.token, body: { parent_id: cat.root, code: 'rt.bad', is_leaf: true, ...rules({ fee_rate_bp: 350 }) } });
    assert.equal(bad.status, 422);
    assert.equal(bad.body.error.code, 'invalid_fee_rate');
    assert.ok(bad.body.error.message_zh);
    const patched = await t.call('PATCH', `/api/v1/console/categories/${cat.phone}`, { token: operator.token, body: { fee_rate_bp: 400, deposit_minor: 500_000 } });
    assert.deepEqual([patched.status, patched.body.fee_rate_bp, patched.body.deposit_minor], [200, 400, 500_000]);
  });

  test('only operators manage categories', async () => {
    const r = await t.call('POST', '/api/v1/console/categories', { token: owner.token, body: { parent_id: null, code: 'x', is_leaf: false, ...rules() } });
    assert.equal(r.status, 403);
  });

  test('products are listed in leaf categories only', async () => {
    const r = await list({ category_id: cat.root, title: '纯棉短袖T恤 男款' });
    assert.equal(r.status, 422);
    assert.equal(r.body.error.code, 'category_not_leaf');
  });
});

describe('listing compliance review', () => {
  test('a clean listing goes live at once and buyers can see it', async () => {
    const r = await list({ title: '纯棉短袖T恤 男款 圆领' });
    assert.equal(r.status, 201);
    assert.equal(r.body.status, 'live');
    assert.equal(r.body.review.status, 'passed');
    assert.deepEqual(codes(r), []);
    assert.equal((await t.call('GET', `/api/v1/products/${r.body.id}`)).status, 200);
  });

  test('a listing with 最好 is rejected with the finding explained in both languages', async () => {
    const r = await list({ title: '最好的纯棉短袖T恤 男款' });
    assert.equal(r.status, 201);
    assert.equal(r.body.status, 'rejected');
    const f = r.body.review.findings.find((x: any) => x.code === 'absolute_claim');
    assert.equal(f.severity, 'block');
    assert.equal(f.field, 'title');
    assert.match(f.message, /Advertising Law/);
    assert.match(f.message_zh, /最/);
    assert.equal((await t.call('GET', `/api/v1/products/${r.body.id}`)).status, 404);
    const stored = await t.call('GET', `/api/v1/merchant/stores/${storeId}/products/${r.body.id}`, { token: owner.token });
    assert.deepEqual(codes(stored), codes(r));
  });

  test('a missing required attribute rejects the listing; with it the listing goes live', async () => {
    const missing = await list({ title: '纯棉短袖T恤 男款', attributes: {} });
    assert.equal(missing.body.status, 'rejected');
    assert.deepEqual(codes(missing), ['missing_required_attribute']);
    assert.match(missing.body.review.findings[0].message_zh, /材质/);
    assert.equal((await list({ title: '纯棉短袖T恤 男款', attributes: { 材质: '棉' } })).body.status, 'live');
  });

  test('a category that needs a qualification rejects a store without it and accepts one with it', async () => {
    const body = { category_id: cat.tea, title: '武夷山大红袍 岩茶 250g', attributes: {} };
    const without = await list(body);
    assert.equal(without.body.status, 'rejected');
    assert.deepEqual(codes(without), ['missing_qualification']);
    facts.set(storeId, { qualifications: ['food_license'], brands: [] });
    assert.equal((await list(body)).body.status, 'live');
  });

  test('a brand the store is not certified for is rejected; a certified brand goes live', async () => {
    const body = { category_id: cat.phone, title: '星河 X5 5G智能手机 8GB+256GB', brand: '星河', attributes: {} };
    const uncertified = await list(body);
    assert.equal(uncertified.body.status, 'rejected');
    assert.ok(codes(uncertified).includes('brand_not_certified'));
    facts.set(storeId, { qualifications: ['food_license'], brands: ['星河'] });
    assert.equal((await list(body)).body.status, 'live');
  });

  test('a strikethrough price below the price is fake and rejected; above it is fine', async () => {
    const fake = await list({ title: '纯棉短袖T恤 男款 白色', skus: [sku({ price_minor: 9900, list_price_minor: 5900 })] });
    assert.equal(fake.body.status, 'rejected');
    const f = fake.body.review.findings[0];
    assert.deepEqual([f.code, f.field, f.details.list_price_minor], ['fake_strikethrough_price', 'skus[0].list_price_minor', 5900]);
    assert.equal((await list({ title: '纯棉短袖T恤 男款 白色', skus: [sku({ price_minor: 9900, list_price_minor: 12900 })] })).body.status, 'live');
  });

  test('a doubtful listing waits in the review queue; an operator approves it and it goes live', async () => {
    const r = await list({ title: '耐克风格 运动休闲短袖T恤' });
    assert.equal(r.body.status, 'in_review');
    assert.deepEqual(codes(r), ['foreign_brand_mention']);
    assert.equal((await t.call('GET', `/api/v1/products/${r.body.id}`)).status, 404);
    const queue = await t.call('GET', '/api/v1/console/product-reviews?limit=100', { token: operator.token });
    const item = queue.body.items.find((i: any) => i.product_id === r.body.id);
    assert.equal(item.status, 'pending');
    assert.equal(item.findings[0].code, 'foreign_brand_mention');
    assert.equal(item.product.title, '耐克风格 运动休闲短袖T恤');
    const ok = await t.call('POST', `/api/v1/console/product-reviews/${item.id}/approve`, { token: operator.token, body: {} });
    assert.equal(ok.status, 200);
    assert.deepEqual([ok.body.status, ok.body.decided_by, ok.body.product.status], ['approved', operator.id, 'live']);
    assert.ok(ok.body.decided_at);
    assert.equal((await t.call('GET', `/api/v1/products/${r.body.id}`)).status, 200);
    const again = await t.call('POST', `/api/v1/console/product-reviews/${item.id}/approve`, { token: operator.token, body: {} });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'review_not_pending');
  });

  test('an operator rejects a doubtful listing with a reason the merchant sees; merchants cannot decide', async () => {
    const r = await list({ title: '香奈儿风格 小香风外套 女' });
    const reviewId = r.body.review.id;
    assert.equal((await t.call('POST', `/api/v1/console/product-reviews/${reviewId}/approve`, { token: owner.token, body: {} })).status, 403);
    const no = await t.call('POST', `/api/v1/console/product-reviews/${reviewId}/reject`, { token: operator.token, body: { reason: '涉嫌蹭大牌，请修改标题' } });
    assert.equal(no.body.product.status, 'rejected');
    const seen = await t.call('GET', `/api/v1/merchant/stores/${storeId}/products/${r.body.id}`, { token: owner.token });
    assert.deepEqual([seen.body.review.status, seen.body.review.reason, seen.body.review.decided_by], ['rejected', '涉嫌蹭大牌，请修改标题', operator.id]);
  });

  test('the queue pages with a cursor, oldest first', async () => {
    for (const title of ['耐克风格 帆布鞋 一', '耐克风格 帆布鞋 二', '耐克风格 帆布鞋 三']) await list({ title });
    const first = await t.call('GET', '/api/v1/console/product-reviews?limit=2', { token: operator.token });
    assert.equal(first.body.items.length, 2);
    assert.ok(first.body.next_cursor);
    const second = await t.call('GET', `/api/v1/console/product-reviews?limit=2&cursor=${first.body.next_cursor}`, { token: operator.token });
    const ids = [...first.body.items, ...second.body.items].map((i: any) => i.id);
    assert.deepEqual(ids, [...ids].sort());
    assert.equal(new Set(ids).size, 3);
  });
});

describe('tenancy', () => {
  test("another store's product is 404 for reads, edits, SKUs, delisting and review history", async () => {
    const p = other.product;
    const base = `/api/v1/merchant/stores/${storeId}`;
    const attempts: [string, string, unknown][] = [
      ['GET', `${base}/products/${p.id}`, undefined],
      ['PATCH', `${base}/products/${p.id}`, { title: '偷改别人的商品' }],
      ['POST', `${base}/products/${p.id}/skus`, sku({ spec: { 颜色: '红' } })],
      ['POST', `${base}/products/${p.id}/delist`, {}],
      ['GET', `${base}/products/${p.id}/reviews`, undefined],
      ['PATCH', `${base}/skus/${p.skus[0].id}`, { status: 'disabled' }],
      ['GET', `${base}/skus/${p.skus[0].id}/price-history`, undefined],
    ];
    for (const [method, path, body] of attempts) {
      const r = await t.call(method, path, { token: owner.token, body });
      assert.equal(r.status, 404, `${method} ${path}`);
    }
    const theirs = await t.call('GET', `/api/v1/products/${p.id}`);
    assert.deepEqual([theirs.body.title, theirs.body.skus.length], [p.title, 2]);
  });
});
