// A database test on both engines (startPaymentsApp underneath: scripts/test.ts runs it per engine).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { relogin, signedInUser } from './support/fixtures.ts';
import { startPaymentsApp, storeSelling, type PaymentsTestApp } from './support/payments.ts';

let t: PaymentsTestApp;
type User = Awaited<ReturnType<typeof signedInUser>>;
let b1: User, b2: User, ownerA: User, ownerB: User, creator: User, cs: User, operator: User;
let a: Awaited<ReturnType<typeof storeSelling>>, b: Awaited<ReturnType<typeof storeSelling>>;
const addresses = new Map<string, string>();
const orders: { order: any; day: string; buyer_id: string }[] = [];
let video: string, article: string;

before(async () => {
  t = await startPaymentsApp();
  [b1, b2, ownerA, ownerB, cs] = [await signedInUser(t), await signedInUser(t), await signedInUser(t), await signedInUser(t), await signedInUser(t)];
  creator = await signedInUser(t, ['buyer', 'creator']);
  operator = await signedInUser(t, ['operator']);
  a = await storeSelling(t, ownerA.id, '数据甲店', { fee_rate_bp: 200, price_minor: 8800 });
  b = await storeSelling(t, ownerB.id, '数据乙店', { fee_rate_bp: 200, price_minor: 6600 });
  await t.ctx.identity.addStaff(t.ctx.db.kysely, a.store.id, cs.id, 'customer_service');
  for (const u of [b1, b2]) {
    addresses.set(u.id, (await t.call('POST', '/api/v1/me/addresses', { token: u.token, body: { recipient: '周九', phone: '13812345670', province: '北京市', city: '北京市', district: '海淀区', detail: '中关村1号' } })).body.id);
  }
});
after(() => t.close());

async function reloginAll() {
  [b1, b2, ownerA, ownerB, creator, cs, operator] = await Promise.all([b1, b2, ownerA, ownerB, creator, cs, operator].map((u) => relogin(t, u)));
}
async function buy(buyer: User, sku: string, quantity: number, attribution: Record<string, unknown>, day: string) {
  const c = await t.call('POST', '/api/v1/checkouts', { token: buyer.token, body: { items: [{ sku_id: sku, quantity, attribution }], address_id: addresses.get(buyer.id) } });
  assert.equal(c.status, 201, JSON.stringify(c.body));
  await t.payCheckout(buyer.token, c.body.checkout_id);
  const order = (await t.call('GET', `/api/v1/me/orders/${c.body.order_ids[0]}`, { token: buyer.token })).body;
  orders.push({ order, day, buyer_id: buyer.id });
  return order;
}
const report = (storeId: string, what: string, token: string, range = 'from=2026-11-11&to=2026-11-12') => t.call('GET', `/api/v1/merchant/stores/${storeId}/analytics/${what}?${range}`, { token });
const track = (body: Record<string, unknown>) => t.ctx.analytics.track(body as never);

/** The orders' own sums, grouped — what every report must equal. */
function expected(storeId: string, keyOf: (line: any, o: { order: any; day: string }) => string | null) {
  const out = new Map<string | null, { gmv: number; orders: Set<string>; buyers: Set<string>; units: number }>();
  for (const o of orders.filter((x) => x.order.store_id === storeId)) {
    for (const l of o.order.lines) {
      const k = keyOf(l, o);
      const e = out.get(k) ?? { gmv: 0, orders: new Set(), buyers: new Set(), units: 0 };
      e.gmv += l.paid_minor; e.orders.add(o.order.id); e.buyers.add(o.buyer_id); e.units += l.quantity;
      out.set(k, e);
    }
  }
  return out;
}

describe('reports for the merchant dashboard', () => {
  test('orders across channels and two Shanghai days, with tracked views', async () => {
    // A creator's video and the store's own article link the product (checkout verifies content claims).
    await t.ctx.affiliate.addOffer(a.store.id, { product_id: a.product.id, rate_bp: 1000 }, ownerA.id);
    await t.ctx.affiliate.select(creator.id, a.product.id);
    const mine = { kind: 'creator' as const, creator_id: creator.id };
    video = (await t.ctx.content.createContent(mine, { kind: 'video', title: '好物推荐', video_url: 'https://video.example/v.mp4', product_ids: [a.product.id] }, creator.id)).id;
    await t.ctx.content.publishContent(mine, video);
    const store = { kind: 'store' as const, store_id: a.store.id };
    article = (await t.ctx.content.createContent(store, { kind: 'article', title: '新品上市', body_html: '<p>新品介绍</p>', product_ids: [a.product.id] }, ownerA.id)).id;
    await t.ctx.content.publishContent(store, article);
    // The test clock starts at 2026-11-11 00:00 UTC = 08:00 in Shanghai.
    await buy(b1, a.sku, 1, { channel: 'video', content_id: video, creator_id: creator.id }, '2026-11-11');
    await buy(b2, a.sku, 2, { channel: 'article', content_id: article }, '2026-11-11');
    await buy(b1, a.sku, 1, { channel: 'search' }, '2026-11-11');
    await buy(b1, b.sku, 3, { channel: 'feed' }, '2026-11-11');
    t.clock.set(Date.parse('2026-11-11T15:59:00Z')); // 23:59 in Shanghai: still the 11th
    await reloginAll();
    await buy(b2, a.sku, 1, { channel: 'video', content_id: video, creator_id: creator.id }, '2026-11-11');
    t.clock.set(Date.parse('2026-11-11T16:00:30Z')); // 00:00:30 on the 12th in Shanghai
    await buy(b1, a.sku, 1, { channel: 'store' }, '2026-11-12');
    assert.deepEqual(orders.map((o) => [o.order.lines[0].channel, o.order.lines[0].creator_id]), [
      ['video', creator.id], ['article', null], ['search', null], ['feed', null], ['video', creator.id], ['store', null],
    ]);
    const at = t.clock.now();
    for (const [viewer, n] of [['v1', 1], ['v2', 2], [b1.id, 1]] as const) {
      for (let i = 0; i < n; i++) await track({ kind: 'view', channel: 'video', content_id: video, store_id: a.store.id, creator_id: creator.id, viewer_key: viewer, at: at - 20 * 3600_000, dedupe_key: `vid_1:${viewer}:${i}` });
    }
    assert.deepEqual(await track({ kind: 'view', channel: 'video', content_id: video, store_id: a.store.id, viewer_key: 'v1', dedupe_key: 'vid_1:v1:0' }), { recorded: false }, 'the same event counts once');
    for (const viewer of ['v1', 'v3']) await track({ kind: 'view', channel: 'article', content_id: article, store_id: a.store.id, viewer_key: viewer, at: at - 20 * 3600_000, dedupe_key: `article:${viewer}` });
    await track({ kind: 'view', channel: 'store', store_id: b.store.id, viewer_key: 'v9', dedupe_key: 'b:v9' });
    await t.pump();
  });

  test('by channel: GMV, orders, buyers and units equal the orders’ sums; conversion is buyers over visitors', async () => {
    const r = await report(a.store.id, 'by-channel', ownerA.token);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const want = expected(a.store.id, (l) => l.channel);
    assert.equal(r.body.items.length, want.size);
    for (const row of r.body.items) {
      const e = want.get(row.key)!;
      assert.deepEqual([row.gmv_minor, row.orders, row.buyers, row.units], [e.gmv, e.orders.size, e.buyers.size, e.units], `channel ${row.key}`);
    }
    const video = r.body.items.find((x: any) => x.key === 'video');
    assert.deepEqual([video.visitors, video.views, video.conversion_bp], [3, 4, 6667], '2 buyers of 3 viewers');
    assert.equal(r.body.items.find((x: any) => x.key === 'search').conversion_bp, null, 'nothing viewed, no conversion');
    assert.deepEqual(r.body.items.map((x: any) => x.gmv_minor), [...r.body.items.map((x: any) => x.gmv_minor)].sort((x: number, y: number) => y - x), 'largest first');
  });

  test('by day counts Shanghai days: 23:59 is the 11th, 00:00 the 12th; every day of the range appears', async () => {
    const r = await report(a.store.id, 'by-day', ownerA.token, 'from=2026-11-10&to=2026-11-12');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const want = expected(a.store.id, (_l, o) => o.day);
    assert.deepEqual(r.body.items.map((x: any) => x.key), ['2026-11-10', '2026-11-11', '2026-11-12']);
    assert.equal(r.body.items[0].gmv_minor, 0);
    for (const row of r.body.items.slice(1)) assert.deepEqual([row.gmv_minor, row.orders, row.buyers], [want.get(row.key)!.gmv, want.get(row.key)!.orders.size, want.get(row.key)!.buyers.size], row.key);
    assert.equal(r.body.items[2].orders, 1);
    const sum = await report(a.store.id, 'summary', ownerA.token, 'from=2026-11-10&to=2026-11-12');
    const total = [...want.values()].reduce((s, e) => s + e.gmv, 0);
    assert.deepEqual([sum.body.gmv_minor, sum.body.orders, sum.body.buyers, sum.body.visitors], [total, 5, 2, 4]);
    assert.equal(sum.body.avg_order_minor, Math.round(total / 5));
  });

  test('by content and by creator', async () => {
    const content = (await report(a.store.id, 'by-content', ownerA.token)).body.items;
    const want = expected(a.store.id, (l) => l.content_id);
    assert.deepEqual(content.map((x: any) => [x.key, x.gmv_minor]).sort(), [...want].map(([k, e]) => [k, e.gmv]).sort());
    const creators = (await report(a.store.id, 'by-creator', ownerA.token)).body.items;
    const wantC = expected(a.store.id, (l) => l.creator_id);
    assert.deepEqual(creators.map((x: any) => [x.key, x.gmv_minor, x.orders]).sort(), [...wantC].map(([k, e]) => [k, e.gmv, e.orders.size]).sort());
  });

  test('a refund shows as refunded on the day of the original payment', async () => {
    const o = orders.find((x) => x.order.lines[0].channel === 'article')!.order;
    const r = await t.call('POST', '/api/v1/console/payments/refunds', { token: operator.token, body: { order_id: o.id, reason: '退一件', out_refund_no: `rf_${o.id}_an`, lines: [{ line_id: o.lines[0].id, amount_minor: 8800 }] } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    await t.pump();
    const row = (await report(a.store.id, 'by-channel', ownerA.token)).body.items.find((x: any) => x.key === 'article');
    assert.deepEqual([row.gmv_minor, row.refunded_minor, row.net_minor], [17600, 8800, 8800]);
    const day = (await report(a.store.id, 'by-day', ownerA.token)).body.items.find((x: any) => x.key === '2026-11-11');
    assert.equal(day.refunded_minor, 8800);
  });

  test('a creator sees only the sales attributed to them', async () => {
    const r = await t.call('GET', '/api/v1/creator/analytics/summary?from=2026-11-11&to=2026-11-12', { token: creator.token });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const mine = orders.flatMap((o) => o.order.lines).filter((l: any) => l.creator_id === creator.id);
    assert.deepEqual([r.body.gmv_minor, r.body.orders, r.body.units], [mine.reduce((s: number, l: any) => s + l.paid_minor, 0), mine.length, mine.reduce((s: number, l: any) => s + l.quantity, 0)]);
    const byContent = (await t.call('GET', '/api/v1/creator/analytics/by-content?from=2026-11-11&to=2026-11-12', { token: creator.token })).body.items;
    assert.deepEqual(byContent.map((x: any) => [x.key, x.orders, x.visitors]), [[video, 2, 3]]);
    assert.equal((await t.call('GET', '/api/v1/creator/analytics/summary', { token: b1.token })).status, 403);
  });

  test('tenant isolation: another store sees only its own numbers and cannot read this store', async () => {
    assert.equal((await report(a.store.id, 'summary', ownerB.token)).status, 404);
    assert.equal((await report(a.store.id, 'by-channel', b1.token)).status, 404);
    assert.equal((await report(a.store.id, 'summary', cs.token)).status, 403, 'customer service does not see GMV');
    const bRows = (await report(b.store.id, 'by-channel', ownerB.token)).body.items;
    assert.deepEqual(bRows.map((x: any) => [x.key, x.gmv_minor, x.orders]), [['feed', 19800, 1], ['store', 0, 0]]);
    assert.equal((await report(b.store.id, 'summary', ownerB.token)).body.gmv_minor, 19800);
  });

  test('bad ranges are refused; the web app tracks views anonymously, once per event id', async () => {
    assert.equal((await report(a.store.id, 'summary', ownerA.token, 'from=2026-11-12&to=2026-11-11')).body.error.code, 'invalid_range');
    assert.equal((await report(a.store.id, 'summary', ownerA.token, 'from=2026-02-30&to=2026-03-01')).body.error.code, 'invalid_day');
    const ev = { event_id: 'web-evt-00000001', kind: 'view', channel: 'store', store_id: b.store.id, anonymous_id: 'anon-device-1' };
    assert.deepEqual((await t.call('POST', '/api/v1/analytics/events', { body: ev })).body, { recorded: true });
    assert.deepEqual((await t.call('POST', '/api/v1/analytics/events', { body: ev })).body, { recorded: false });
    const noViewer = await t.call('POST', '/api/v1/analytics/events', { body: { ...ev, event_id: 'web-evt-00000002', anonymous_id: undefined } });
    assert.equal(noViewer.status, 400);
    const today = new Date(t.clock.now() + 8 * 3600_000).toISOString().slice(0, 10);
    assert.equal((await report(b.store.id, 'summary', ownerB.token, `from=${today}&to=${today}`)).body.visitors, 2);
  });

  test('the dashboard and creator endpoints are described in the OpenAPI document', async () => {
    const doc = (await t.call('GET', '/api/openapi.json')).body;
    for (const path of [
      '/api/v1/merchant/stores/{storeId}/analytics/summary', '/api/v1/merchant/stores/{storeId}/analytics/by-day', '/api/v1/merchant/stores/{storeId}/analytics/by-channel',
      '/api/v1/merchant/stores/{storeId}/analytics/by-content', '/api/v1/merchant/stores/{storeId}/analytics/by-creator', '/api/v1/merchant/stores/{storeId}/analytics/by-product',
      '/api/v1/creator/analytics/summary', '/api/v1/analytics/events', '/api/v1/creator/pool', '/api/v1/creator/selections', '/api/v1/creator/orders', '/api/v1/creator/earnings',
      '/api/v1/merchant/stores/{storeId}/affiliate/offers', '/api/v1/merchant/stores/{storeId}/affiliate/creators',
    ]) assert.ok(doc.paths[path], path);
  });
});
