import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MINUTE_MS } from '../src/lib/clock.ts';
import { createListing } from '../src/flows/create-listing.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { signedInUser } from './support/fixtures.ts';
import { createSearchModule } from '../src/modules/search/index.ts';
import { REFRESH_MS } from '../src/modules/search/search.service.ts';
import { silentLogger } from '../src/lib/logger.ts';

/**
 * Product search through GET /api/v1/search/products on a real server: Chinese and English
 * matching, synonyms, exact-title ranking, filters, facets, sorting, cursor pages, and the
 * index following catalog and inventory events (each change is seen after the outbox drains).
 */
let t: TestApp;
let owner: Awaited<ReturnType<typeof signedInUser>>;
let storeId: string;
let otherStoreId: string;
const cat: Record<string, string> = {};
const p: Record<string, { id: string; skus: { id: string }[] }> = {};

const search = async (query: Record<string, string | number | boolean | string[]>) => {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) for (const x of Array.isArray(v) ? v : [v]) qs.append(k, String(x));
  const r = await t.call('GET', `/api/v1/search/products?${qs}`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body as { items: any[]; total: number; relaxed: boolean; next_cursor: string | null; facets: any; terms: string[] };
};
const ids = (r: { items: { id: string }[] }) => r.items.map((i) => i.id);

async function category(code: string, name_zh: string, name_en: string, parent: string | null): Promise<string> {
  return (await t.ctx.db.transaction((tx) => t.ctx.catalog.createCategory(tx, {
    parent_id: parent, code: `${code}_${process.pid}`, name_zh, name_en, is_leaf: parent !== null, fee_rate_bp: parent ? 200 : 0, deposit_minor: 0,
    required_attributes: [], required_qualifications: [], no_reason_return_7d: true, shipping_insurance: false,
  }))).id;
}

async function product(key: string, input: { title: string; brand?: string; category: string; price: number; stock?: number; store?: string; attributes?: Record<string, string> }) {
  t.clock.advance(MINUTE_MS); // distinct created_at for the "newest" order
  const made = await createListing(t.ctx, input.store ?? storeId, {
    category_id: input.category, title: input.title, brand: input.brand ?? null, attributes: input.attributes ?? {},
    skus: [{ spec: { 版本: '标准' }, price_minor: input.price }, { spec: { 版本: '高配' }, price_minor: input.price + 50_000 }], stock: [input.stock ?? 10, input.stock ?? 10],
  }, owner.id, { trusted: true });
  p[key] = made;
}

before(async () => {
  t = await startTestApp();
  owner = await signedInUser(t);
  const store = await t.ctx.stores.createStore({ name: '搜索测试店', subject_type: 'enterprise', company_name: '搜索测试有限公司' }, owner.id);
  const other = await t.ctx.stores.createStore({ name: '隔壁数码店', subject_type: 'enterprise', company_name: '隔壁数码有限公司' }, owner.id);
  await t.ctx.db.transaction(async (tx) => {
    await t.ctx.stores.forceOpen(tx, store.id);
    await t.ctx.stores.forceOpen(tx, other.id);
  });
  [storeId, otherStoreId] = [store.id, other.id];
  cat.digital = await category('digital', '数码', 'Digital', null);
  cat.phone = await category('phone', '手机', 'Phones', cat.digital);
  cat.audio = await category('audio', '耳机', 'Audio', cat.digital);
  cat.women = await category('women', '女装', 'Women', null);
  cat.dress = await category('dress', '连衣裙', 'Dresses', cat.women);
  cat.tee = await category('tee', 'T恤', 'T-shirts', cat.women);
  cat.bags = await category('bags', '箱包', 'Bags', null);
  cat.totes = await category('totes', '女包', 'Totes', cat.bags);
  await product('mate', { title: '华为 Mate 60 Pro 5G智能手机 12GB+512GB', brand: '华为', category: cat.phone, price: 599_900 });
  await product('xiaomi', { title: '小米14 徕卡影像 骁龙8 手机', brand: '小米', category: cat.phone, price: 399_900 });
  await product('exact', { title: '华为手机', brand: '华为', category: cat.phone, price: 299_900 });
  await product('iphone', { title: 'Apple iPhone 15 Pro 手机 256GB', brand: 'Apple', category: cat.phone, price: 799_900, store: otherStoreId });
  await product('dress', { title: '夏季碎花连衣裙 雪纺长裙', category: cat.dress, price: 19_900, attributes: { 材质: '雪纺' } });
  await product('tee', { title: '纯棉短袖T恤 男女同款', category: cat.tee, price: 9_900 });
  await product('buds', { title: '华为 FreeBuds Pro 3 蓝牙耳机', brand: '华为', category: cat.audio, price: 99_900 });
  await product('honorOut', { title: '荣耀 X50 手机', brand: '荣耀', category: cat.phone, price: 159_900, stock: 0 });
  await product('honorIn', { title: '荣耀 X40 手机', brand: '荣耀', category: cat.phone, price: 149_900 });
  await product('samsung', { title: '三星 Galaxy S24 手机', brand: '三星', category: cat.phone, price: 499_900 });
  await product('tote', { title: '简约帆布托特包 大容量', category: cat.totes, price: 5_900 });
  await t.ctx.outbox.drain();
});
after(() => t.close());

describe('matching', () => {
  test('「手机」 finds 华为手机 and every other phone, with the match highlighted', async () => {
    const r = await search({ q: '手机', limit: 100 });
    for (const k of ['mate', 'xiaomi', 'exact', 'iphone', 'honorIn', 'honorOut', 'samsung']) assert.ok(ids(r).includes(p[k].id), k);
    assert.ok(!ids(r).includes(p.dress.id) && !ids(r).includes(p.buds.id));
    assert.equal(r.relaxed, false);
    assert.equal(r.items.find((i) => i.id === p.exact.id).title_highlight, '华为<em>手机</em>');
    assert.equal((await search({ q: '华为手机' })).items[0].title_highlight, '<em>华为手机</em>');
  });

  test('「裙子 连衣」 finds 连衣裙 (synonym 裙子 ~ 裙, every word required)', async () => {
    const r = await search({ q: '裙子 连衣' });
    assert.deepEqual(ids(r), [p.dress.id]);
    assert.match(r.items[0].title_highlight, /<em>连衣裙<\/em>/);
  });

  test('English and synonyms: 「iphone」 finds the Apple phone, 「smartphone」 finds phones', async () => {
    assert.deepEqual(ids(await search({ q: 'iPhone' })), [p.iphone.id]);
    const r = await search({ q: 'smartphone', limit: 100 });
    assert.ok(ids(r).includes(p.mate.id) && ids(r).includes(p.xiaomi.id));
  });

  test('an exact title match ranks first', async () => {
    const r = await search({ q: '华为手机' });
    assert.equal(r.items[0].id, p.exact.id);
    assert.ok(ids(r).includes(p.mate.id));
    assert.ok(!ids(r).includes(p.xiaomi.id), 'AND: 小米 has 手机 but not 华为');
  });

  test('when no product has every word, products with some of them come back marked relaxed', async () => {
    const r = await search({ q: '华为 连衣裙', limit: 100 });
    assert.equal(r.relaxed, true);
    assert.ok(ids(r).includes(p.dress.id) && ids(r).includes(p.mate.id));
    const none = await search({ q: '拖拉机' });
    assert.deepEqual([none.total, none.relaxed], [0, false]);
  });

  test('an out-of-stock product stays findable but ranks below an in-stock twin', async () => {
    const r = await search({ q: '荣耀 手机' });
    assert.deepEqual(ids(r), [p.honorIn.id, p.honorOut.id]);
    assert.deepEqual(r.items.map((i) => i.in_stock), [true, false]);
  });
});

describe('filters, facets, sorting, pages', () => {
  test('category includes its descendants; brand, store, price and stock filter', async () => {
    assert.deepEqual(new Set(ids(await search({ q: '华为', category_id: cat.digital }))), new Set([p.mate.id, p.exact.id, p.buds.id]));
    assert.deepEqual(new Set(ids(await search({ q: '华为', category_id: cat.phone }))), new Set([p.mate.id, p.exact.id]));
    assert.deepEqual(new Set(ids(await search({ q: '手机', brand: ['华为', 'APPLE'] }))), new Set([p.mate.id, p.exact.id, p.iphone.id]));
    assert.deepEqual(ids(await search({ q: '手机', store_id: otherStoreId })), [p.iphone.id]);
    assert.deepEqual(new Set(ids(await search({ q: '手机', price_min: 150_000, price_max: 300_000 }))), new Set([p.exact.id, p.honorOut.id]));
    assert.ok(!ids(await search({ q: '手机', in_stock: true, limit: 100 })).includes(p.honorOut.id));
    assert.deepEqual(ids(await search({ q: '手机', in_stock: false })), [p.honorOut.id]);
    assert.equal((await search({ q: '手机', category_id: 'cat_NOSUCHCATEGORY' })).total, 0);
  });

  test('facets count categories (rolled up to parents), brands and price buckets over all matches', async () => {
    const r = await search({ q: '华为', limit: 1 });
    assert.equal(r.total, 3);
    const byId = new Map<string, { count: number; parent_id: string | null }>(r.facets.categories.map((c: any) => [c.id, c]));
    assert.deepEqual([byId.get(cat.digital)?.count, byId.get(cat.phone)?.count, byId.get(cat.audio)?.count], [3, 2, 1]);
    assert.equal(byId.get(cat.phone)?.parent_id, cat.digital);
    assert.deepEqual(r.facets.brands, [{ name: '华为', count: 3 }]);
    assert.deepEqual(r.facets.price.map((b: any) => [b.min_minor, b.count]), [[50_000, 1], [200_000, 1], [500_000, 1]]);
    assert.equal((await search({ q: '华为', facets: false })).facets, null);
  });

  test('sorts by price, newest and sales', async () => {
    const prices = (await search({ q: '手机', sort: 'price_asc', limit: 100 })).items.map((i) => i.price.min_minor);
    assert.deepEqual(prices, [...prices].sort((a, b) => a - b));
    assert.equal(prices[0], 149_900);
    const desc = (await search({ q: '手机', sort: 'price_desc', limit: 100 })).items.map((i) => i.price.min_minor);
    assert.deepEqual(desc, [...prices].reverse());
    assert.deepEqual(ids(await search({ q: '手机', sort: 'newest', limit: 2 })), [p.samsung.id, p.honorIn.id]);
    const sales = (await search({ q: '手机', sort: 'sales', limit: 100 })).items.map((i) => i.sales);
    assert.deepEqual(sales, [...sales].sort((a, b) => b - a));
  });

  test('cursor pages walk every match exactly once, in order; a cursor of another order is refused', async () => {
    for (const sort of ['relevance', 'price_asc', 'newest'] as const) {
      const all = await search({ q: '手机', sort, limit: 100 });
      const walked: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await search({ q: '手机', sort, limit: 2, ...(cursor ? { cursor } : {}) });
        walked.push(...ids(page));
        cursor = page.next_cursor;
      } while (cursor);
      assert.deepEqual(walked, ids(all), sort);
    }
    const first = await search({ q: '手机', sort: 'price_asc', limit: 2 });
    const r = await t.call('GET', `/api/v1/search/products?q=手机&sort=newest&cursor=${first.next_cursor}`);
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, 'invalid_cursor');
  });

  test('without words: browse a category with filters and facets', async () => {
    const r = await search({ category_id: cat.women, sort: 'price_asc' });
    assert.deepEqual(ids(r), [p.tee.id, p.dress.id]);
    assert.equal(r.total, 2);
  });
});

describe('following the catalog', () => {
  test('a price change is reflected once the outbox has drained', async () => {
    const sku = p.dress.skus[0];
    const r = await t.call('PATCH', `/api/v1/merchant/stores/${storeId}/skus/${sku.id}/price`, { token: owner.token, body: { price_minor: 17_900 } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.product_status, 'live');
    assert.equal((await search({ q: '连衣裙' })).items[0].price.min_minor, 19_900, 'not before the event is delivered');
    await t.ctx.outbox.drain();
    const found = (await search({ q: '连衣裙' })).items[0];
    assert.deepEqual([found.id, found.price.min_minor], [p.dress.id, 17_900]);
    assert.deepEqual(ids(await search({ price_min: 15_000, price_max: 18_000 })), [p.dress.id]);
  });

  test('a price change that sends the product back to review hides it', async () => {
    // 小米 is not a brand this store is certified for, so re-review rejects the listing.
    const r = await t.call('PATCH', `/api/v1/merchant/stores/${storeId}/skus/${p.xiaomi.skus[0].id}/price`, { token: owner.token, body: { price_minor: 369_900 } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.notEqual(r.body.product_status, 'live');
    await t.ctx.outbox.drain();
    assert.equal((await search({ q: '小米' })).total, 0);
  });

  test('running out of stock flips in_stock; a restock flips it back', async () => {
    const [a, b] = p.tee.skus;
    for (const s of [a, b]) await t.ctx.inventory.adjust(storeId, s.id, -10, owner.id);
    await t.ctx.outbox.drain();
    assert.equal((await search({ q: 'T恤' })).items[0].in_stock, false);
    await t.ctx.inventory.adjust(storeId, a.id, 3, owner.id);
    await t.ctx.outbox.drain();
    assert.equal((await search({ q: 'T恤' })).items[0].in_stock, true);
  });

  test('a delisted product disappears from results; relisted, it comes back', async () => {
    assert.deepEqual(ids(await search({ q: '帆布包' })), [p.tote.id]);
    const r = await t.call('POST', `/api/v1/merchant/stores/${storeId}/products/${p.tote.id}/delist`, { token: owner.token, body: {} });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    await t.ctx.outbox.drain();
    assert.equal((await search({ q: '帆布包' })).total, 0);
    assert.equal((await search({ category_id: cat.bags })).total, 0);
    const back = await t.call('POST', `/api/v1/merchant/stores/${storeId}/products/${p.tote.id}/relist`, { token: owner.token });
    assert.deepEqual([back.status, back.body.status], [200, 'live']);
    await t.ctx.outbox.drain();
    assert.deepEqual(ids(await search({ q: '帆布包' })), [p.tote.id]);
  });

  test('another process on the same database answers repeated queries from its cache and still sees changes', async () => {
    // A second search module over the same database, as a second API process would have.
    const other = createSearchModule({ db: t.ctx.db, clock: t.clock, log: silentLogger, catalog: t.ctx.catalog, inventory: t.ctx.inventory });
    const first = await other.search({ q: '帆布包' });
    assert.deepEqual(first.items.map((i) => i.id), [p.tote.id]);
    assert.equal(await other.search({ q: '帆布包' }), first, 'the same answer object: served from the cache');
    const r = await t.call('PATCH', `/api/v1/merchant/stores/${storeId}/skus/${p.tote.skus[0].id}/price`, { token: owner.token, body: { price_minor: 4_900 } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    await t.ctx.outbox.drain();
    await t.ctx.search.search({ q: '帆布包' }); // this process indexes what it queued
    await new Promise((resolve) => setTimeout(resolve, REFRESH_MS + 10));
    const after = await other.search({ q: '帆布包' });
    assert.notEqual(after, first);
    assert.equal(after.items[0].price_min_minor, 4_900);
  });

  test('an edited title is searchable by its new words, not its old ones', async () => {
    const r = await t.call('PATCH', `/api/v1/merchant/stores/${storeId}/products/${p.tote.id}`, { token: owner.token, body: { title: '简约帆布斜挎包 小号' } });
    assert.deepEqual([r.status, r.body.status], [200, 'live']);
    await t.ctx.outbox.drain();
    assert.deepEqual(ids(await search({ q: '斜挎包' })), [p.tote.id]);
    assert.equal((await search({ q: '托特' })).total, 0);
  });

  test('a redelivered event changes nothing', async () => {
    const before = await search({ q: '连衣裙' });
    // Make the outbox deliver the dress's events to the indexer once more.
    await t.ctx.db.kysely.deleteFrom('outbox_deliveries').where('subscriber', '=', 'search.indexer').execute();
    await t.ctx.db.kysely.updateTable('outbox_events').set({ dispatched_at: null, claimed_until: null }).where('aggregate_id', '=', p.dress.id).execute();
    assert.ok((await t.ctx.outbox.drain()) > 0);
    assert.deepEqual(await t.ctx.search.processPending(), { written: 0, unchanged: 1 });
    assert.deepEqual(await search({ q: '连衣裙' }), before);
  });

  test('re-indexing an unchanged product writes nothing; a fresh rebuild gives the same results', async () => {
    assert.deepEqual(await t.ctx.search.reindex([p.mate.id, p.dress.id]), { written: 0, unchanged: 2 });
    const queries: Record<string, string | number>[] = [{ q: '手机', limit: 100 }, { q: '华为手机' }, { q: '裙子 连衣' }, { q: '华为 连衣裙', limit: 100 }, { category_id: cat.digital, sort: 'price_desc' }];
    const before = await Promise.all(queries.map((q) => search(q)));
    const out = await t.ctx.search.rebuild({ fresh: true });
    assert.equal(out.products, (await search({ limit: 100 })).total);
    assert.ok(out.written > 0);
    const afterRebuild = await Promise.all(queries.map((q) => search(q)));
    assert.deepEqual(afterRebuild, before);
  });
});
