import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DAY_MS, HOUR_MS } from '../src/lib/clock.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { openStoreWithProduct, relogin, signedInUser } from './support/fixtures.ts';
import { storeSelling } from './support/payments.ts';

type User = Awaited<ReturnType<typeof signedInUser>>;
let t: TestApp;
let owner: User;
let creator: User;
let shop: Awaited<ReturnType<typeof storeSelling>>;
let other: Awaited<ReturnType<typeof openStoreWithProduct>>;
let video: { id: string };
let article: { id: string };
const address = { recipient: '赵六', phone: '13812340001', province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路1号' };

before(async () => {
  t = await startTestApp();
  owner = await signedInUser(t);
  creator = await signedInUser(t, ['creator']);
  shop = await storeSelling(t, owner.id, '归因甲店', { fee_rate_bp: 200, price_minor: 9900, stock: 100 });
  other = await openStoreWithProduct(t, (await signedInUser(t)).id, '归因乙店');
  await t.ctx.affiliate.addOffer(shop.store.id, { product_id: shop.product.id, rate_bp: 1000 }, owner.id);
  await t.ctx.affiliate.select(creator.id, shop.product.id);
  const v = await t.call('POST', '/api/v1/creator/contents', { token: creator.token, body: { kind: 'video', title: '达人带货', video_url: 'https://cdn.example.com/c.mp4', duration_ms: 20_000, product_ids: [shop.product.id] } });
  video = (await t.call('POST', `/api/v1/creator/contents/${v.body.id}/publish`, { token: creator.token })).body;
  const a = await t.call('POST', `/api/v1/merchant/stores/${other.store.id}/contents`, { token: (await relogin(t, owner)).token, body: { kind: 'article', title: '无关文章', body_html: '<p>别家</p>' } });
  assert.equal(a.status, 404, 'not the owner of the other store');
  const art = await t.call('POST', `/api/v1/merchant/stores/${shop.store.id}/contents`, { token: owner.token, body: { kind: 'article', title: '店铺图文', body_html: '<p>本店好物</p>', product_ids: [] } });
  article = (await t.call('POST', `/api/v1/merchant/stores/${shop.store.id}/contents/${art.body.id}/publish`, { token: owner.token })).body;
});
after(() => t.close());

async function buyer(): Promise<User & { addressId: string }> {
  const u = await signedInUser(t);
  const addressId = (await t.call('POST', '/api/v1/me/addresses', { token: u.token, body: address })).body.id;
  return { ...u, addressId };
}

/** Places an order for one unit and returns its line as the buyer sees it. */
async function buy(u: User & { addressId: string }, attribution?: Record<string, unknown>, sku = shop.product.skus[0].id) {
  const r = await t.call('POST', '/api/v1/checkouts', { token: u.token, body: { items: [{ sku_id: sku, quantity: 1, ...(attribution ? { attribution } : {}) }], address_id: u.addressId } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const order = await t.call('GET', `/api/v1/me/orders/${r.body.order_ids[0]}`, { token: u.token });
  const l = order.body.lines[0];
  return { channel: l.channel, content_id: l.content_id, creator_id: l.creator_id, share_chain: l.share_chain };
}

async function share(u: User, parent?: string): Promise<{ token: string; chain: string[]; path: string }> {
  const r = await t.call('POST', `/api/v1/contents/${video.id}/shares`, { token: u.token, body: parent ? { parent_token: parent } : {} });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}

describe('share chains', () => {
  test('A shares to B, B to C, C to D: D\'s order line carries the chain [A, B, C], the content and its creator', async () => {
    const [A, B, C, D] = [await buyer(), await buyer(), await buyer(), await buyer()];
    const la = await share(A);
    assert.deepEqual(la.chain, [A.id]);
    const opened = await t.call('POST', '/api/v1/shares/resolve', { token: B.token, body: { token: la.token } });
    assert.deepEqual(opened.body, { content_id: video.id, attributed: true, share_chain: [A.id] });
    const lb = await share(B); // no parent given: B's last share touch of this content is used
    assert.deepEqual(lb.chain, [A.id, B.id]);
    await t.call('POST', '/api/v1/shares/resolve', { token: C.token, body: { token: lb.token } });
    const lc = await share(C, lb.token);
    assert.deepEqual(lc.chain, [A.id, B.id, C.id]);

    const redirect = await fetch(t.baseUrl + lc.path, { redirect: 'manual', headers: { authorization: `Bearer ${D.token}` } });
    assert.equal(redirect.status, 302);
    assert.equal(redirect.headers.get('location'), `/contents/${video.id}?share=${lc.token}`);
    // Opening the content page afterwards keeps the share touch (same content).
    await t.call('GET', `/api/v1/contents/${video.id}`, { token: D.token });
    assert.deepEqual(await buy(D), { channel: 'share', content_id: video.id, creator_id: creator.id, share_chain: [A.id, B.id, C.id] });

    // C bought through B's link: the chain up to B.
    assert.deepEqual(await buy(C), { channel: 'share', content_id: video.id, creator_id: creator.id, share_chain: [A.id, B.id] });
    const content = await t.call('GET', `/api/v1/contents/${video.id}`);
    assert.equal(content.body.share_count, 3);
  });

  test('a forged, tampered or unknown link gives no attribution and no error', async () => {
    const [A, E] = [await buyer(), await buyer()];
    const genuine = await share(A);
    const tampered = genuine.token.slice(0, 8) + (genuine.token[8] === 'A' ? 'B' : 'A') + genuine.token.slice(9);
    for (const token of [tampered, 'AAAAAAAAAAAAAAAAAAAA', 'not a token', '']) {
      const r = await t.call('POST', '/api/v1/shares/resolve', { token: E.token, body: { token } });
      assert.equal(r.status, 200, token);
      assert.deepEqual(r.body, { content_id: null, attributed: false, share_chain: [] });
    }
    const res = await fetch(`${t.baseUrl}/s/${tampered}`, { redirect: 'manual', headers: { authorization: `Bearer ${E.token}` } });
    assert.equal(res.status, 302);
    assert.equal(res.headers.get('location'), '/');
    assert.deepEqual((await t.call('POST', '/api/v1/me/touches', { token: E.token, body: { product_id: shop.product.id, channel: 'share', share_token: tampered } })).body, { recorded: false });
    // A forged client claim of a share chain is not believed either.
    assert.deepEqual(await buy(E, { channel: 'share', content_id: video.id, creator_id: E.id, share_chain: [E.id] }), { channel: 'video', content_id: video.id, creator_id: creator.id, share_chain: [] });
  });
});

describe('client claims', () => {
  test('a claim is accepted only when the content exists and links the product; its creator comes from the content', async () => {
    const u = await buyer();
    assert.deepEqual(await buy(u, { channel: 'article', content_id: article.id, creator_id: u.id }), { channel: 'direct', content_id: null, creator_id: null, share_chain: [] }, 'the article links no product');
    assert.deepEqual(await buy(u, { channel: 'video', content_id: 'cnt_01JD3Q0000000000000000000A' }), { channel: 'direct', content_id: null, creator_id: null, share_chain: [] });
    assert.deepEqual(await buy(u, { channel: 'video', content_id: video.id, creator_id: u.id }), { channel: 'video', content_id: video.id, creator_id: creator.id, share_chain: [] });
    assert.deepEqual(await buy(u, { channel: 'search' }), { channel: 'search', content_id: null, creator_id: null, share_chain: [] });
  });

  test('a live-room claim for a room that is not live (or does not exist) is not taken: no live price, no creator', async () => {
    const u = await buyer();
    const got = await buy(u, { channel: 'live', content_id: 'lrm_01JD3Q0000000000000000000A', creator_id: creator.id });
    assert.notEqual(got.channel, 'live');
    assert.equal(got.creator_id, null);
    assert.equal(got.content_id, null);
  });

  test('touches from a store page or search count when nothing richer is newer', async () => {
    const u = await buyer();
    assert.deepEqual((await t.call('POST', '/api/v1/me/touches', { token: u.token, body: { product_id: shop.product.id, channel: 'video', content_id: video.id } })).body, { recorded: true });
    t.clock.advance(60_000);
    await t.call('POST', '/api/v1/me/touches', { token: u.token, body: { product_id: shop.product.id, channel: 'store' } });
    const seen = await t.call('GET', `/api/v1/me/attribution?product_ids=${shop.product.id}`, { token: u.token });
    assert.equal(seen.body.items[0].channel, 'store');
    assert.equal((await buy(u)).channel, 'store');
    const bad = await t.call('POST', '/api/v1/me/touches', { token: u.token, body: { product_id: other.product.id, channel: 'video', content_id: video.id } });
    assert.equal(bad.status, 422);
    assert.equal(bad.body.error.code, 'product_not_linked');
  });
});

describe('several lines', () => {
  test('each line of one checkout gets its own product\'s last touch', async () => {
    const u = await buyer();
    await t.call('GET', `/api/v1/contents/${video.id}`, { token: u.token });
    await t.call('POST', '/api/v1/me/touches', { token: u.token, body: { product_id: other.product.id, channel: 'search' } });
    const r = await t.call('POST', '/api/v1/checkouts', { token: u.token, body: { items: [{ sku_id: shop.product.skus[0].id, quantity: 1 }, { sku_id: other.product.skus[0].id, quantity: 1 }], address_id: u.addressId } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const lines = [];
    for (const id of r.body.order_ids) lines.push(...(await t.call('GET', `/api/v1/me/orders/${id}`, { token: u.token })).body.lines);
    const byProduct = new Map(lines.map((l: any) => [l.product_id, [l.channel, l.content_id, l.creator_id]]));
    assert.deepEqual(byProduct.get(shop.product.id), ['video', video.id, creator.id]);
    assert.deepEqual(byProduct.get(other.product.id), ['search', null, null]);
  });
});

describe('the window', () => {
  test('a touch attributes within 24 h and not after; an expired share link attributes nothing', async () => {
    let inside = await buyer();
    let outside = await buyer();
    await t.call('GET', `/api/v1/contents/${video.id}`, { token: inside.token });
    await t.call('GET', `/api/v1/contents/${video.id}`, { token: outside.token });
    const A = await buyer();
    const link = await share(A);
    t.clock.advance(23 * HOUR_MS);
    inside = { ...inside, ...(await relogin(t, inside)) };
    assert.deepEqual(await buy(inside), { channel: 'video', content_id: video.id, creator_id: creator.id, share_chain: [] });
    t.clock.advance(2 * HOUR_MS);
    outside = { ...outside, ...(await relogin(t, outside)) };
    assert.deepEqual(await buy(outside), { channel: 'direct', content_id: null, creator_id: null, share_chain: [] });

    t.clock.advance(7 * DAY_MS);
    const late = await buyer();
    const r = await t.call('POST', '/api/v1/shares/resolve', { token: late.token, body: { token: link.token } });
    assert.deepEqual(r.body, { content_id: video.id, attributed: false, share_chain: [] });
    assert.equal((await buy(late)).channel, 'direct');
  });
});

describe('resolveAttribution', () => {
  test('returns per product the last touch within the window ending at the given time', async () => {
    const u = await buyer();
    await t.call('GET', `/api/v1/contents/${video.id}`, { token: u.token });
    const now = t.clock.now();
    const at = await t.ctx.content.resolveAttribution(u.id, [shop.product.id, other.product.id], now);
    assert.deepEqual([...at.keys()], [shop.product.id]);
    assert.equal(at.get(shop.product.id)!.channel, 'video');
    assert.equal((await t.ctx.content.resolveAttribution(u.id, [shop.product.id], now + 24 * HOUR_MS + 1)).size, 0);
  });
});
