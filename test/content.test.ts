import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from './support/app.ts';
import { openStoreWithProduct, signedInUser } from './support/fixtures.ts';

type User = Awaited<ReturnType<typeof signedInUser>>;
let t: TestApp;
let ownerA: User;
let ownerB: User;
let creator: User;
let buyer: User;
let operator: User;
let a: Awaited<ReturnType<typeof openStoreWithProduct>>;
let b: Awaited<ReturnType<typeof openStoreWithProduct>>;

before(async () => {
  t = await startTestApp();
  ownerA = await signedInUser(t);
  ownerB = await signedInUser(t);
  creator = await signedInUser(t, ['creator']);
  buyer = await signedInUser(t);
  operator = await signedInUser(t, ['operator']);
  a = await openStoreWithProduct(t, ownerA.id, '内容甲店');
  b = await openStoreWithProduct(t, ownerB.id, '内容乙店');
});
after(() => t.close());

const storePath = (storeId: string) => `/api/v1/merchant/stores/${storeId}/contents`;

async function publishedVideo(owner: User, storeId: string, productIds: string[], title = '新品开箱') {
  const c = await t.call('POST', storePath(storeId), { token: owner.token, body: { kind: 'video', title, caption: '三十秒看懂', video_url: 'https://cdn.example.com/v/1.mp4', cover_url: 'https://cdn.example.com/v/1.jpg', duration_ms: 30_000, product_ids: productIds } });
  assert.equal(c.status, 201, JSON.stringify(c.body));
  const p = await t.call('POST', `${storePath(storeId)}/${c.body.id}/publish`, { token: owner.token });
  assert.equal(p.status, 200, JSON.stringify(p.body));
  return p.body;
}

describe('publishing', () => {
  test('a store publishes a video linking its live product; buyers see it with a product card priced by the catalog', async () => {
    const draft = await t.call('POST', storePath(a.store.id), { token: ownerA.token, body: { kind: 'video', title: '耳机开箱', video_url: 'https://cdn.example.com/a.mp4', duration_ms: 15_000, product_ids: [a.product.id] } });
    assert.equal(draft.status, 201);
    assert.equal(draft.body.status, 'draft');
    assert.equal((await t.call('GET', `/api/v1/contents/${draft.body.id}`)).status, 404, 'drafts are not public');
    const pub = await t.call('POST', `${storePath(a.store.id)}/${draft.body.id}/publish`, { token: ownerA.token });
    assert.equal(pub.body.status, 'published');
    const detail = await t.call('GET', `/api/v1/contents/${draft.body.id}`);
    assert.equal(detail.status, 200);
    assert.deepEqual(detail.body.products.map((p: any) => [p.product_id, p.price_min_minor, p.price_max_minor]), [[a.product.id, 9900, 10900]]);
    assert.equal(detail.body.view_count, 1);
    assert.equal(detail.body.liked_by_me, false);
  });

  test('a store cannot link another store\'s product; a creator links only products selected from the affiliate pool', async () => {
    const r = await t.call('POST', storePath(a.store.id), { token: ownerA.token, body: { kind: 'video', title: '越界', product_ids: [b.product.id] } });
    assert.equal(r.status, 422);
    assert.equal(r.body.error.code, 'product_not_linkable');
    const unselected = await t.call('POST', '/api/v1/creator/contents', { token: creator.token, body: { kind: 'article', title: '未选品', body_html: '<p>x</p>', product_ids: [a.product.id] } });
    assert.equal(unselected.status, 422, 'not selected from the pool yet');
    await t.ctx.affiliate.addOffer(a.store.id, { product_id: a.product.id, rate_bp: 1000 }, ownerA.id);
    await t.ctx.affiliate.addOffer(b.store.id, { product_id: b.product.id, rate_bp: 1000 }, ownerB.id);
    await t.ctx.affiliate.select(creator.id, a.product.id);
    await t.ctx.affiliate.select(creator.id, b.product.id);
    const c = await t.call('POST', '/api/v1/creator/contents', { token: creator.token, body: { kind: 'article', title: '好物推荐', body_html: '<p>两家店的好物</p>', product_ids: [a.product.id, b.product.id] } });
    assert.equal(c.status, 201, JSON.stringify(c.body));
    assert.equal(c.body.creator_id, creator.id);
    assert.equal(c.body.store_id, null);
    assert.equal((await t.call('POST', '/api/v1/creator/contents', { token: buyer.token, body: { kind: 'article', title: 'x', body_html: '<p>x</p>' } })).status, 403, 'only creators');
  });

  test('article HTML is sanitised on the server', async () => {
    const html = '<h2>测评</h2><p onclick="alert(1)">音质<strong>很好</strong><script>alert(document.cookie)</script></p><img src=x onerror=alert(1)><a href="javascript:alert(1)">点我</a><iframe src="https://evil.example"></iframe>';
    const c = await t.call('POST', '/api/v1/creator/contents', { token: creator.token, body: { kind: 'article', title: '耳机测评', body_html: html } });
    assert.equal(c.status, 201);
    assert.equal(c.body.body_html, '<h2>测评</h2><p>音质<strong>很好</strong></p><a>点我</a>');
    const edit = await t.call('PATCH', `/api/v1/creator/contents/${c.body.id}`, { token: creator.token, body: { body_html: '<p>ok<svg onload=alert(1)></svg></p>' } });
    assert.equal(edit.body.body_html, '<p>ok</p>');
  });

  test('publishing needs the video or the article body', async () => {
    const c = await t.call('POST', storePath(a.store.id), { token: ownerA.token, body: { kind: 'video', title: '还没视频' } });
    const p = await t.call('POST', `${storePath(a.store.id)}/${c.body.id}/publish`, { token: ownerA.token });
    assert.equal(p.status, 422);
    assert.equal(p.body.error.code, 'video_missing');
  });

  test('uploaded videos are stored and served; unknown bytes are refused', async () => {
    const mp4 = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom'), Buffer.alloc(64, 1)]);
    const res = await fetch(`${t.baseUrl}/api/v1/merchant/stores/${a.store.id}/content-media`, { method: 'POST', headers: { authorization: `Bearer ${ownerA.token}`, 'content-type': 'video/mp4' }, body: mp4 });
    assert.equal(res.status, 201);
    const media = await res.json() as any;
    assert.equal(media.kind, 'video');
    const served = await fetch(t.baseUrl + media.url);
    assert.equal(served.status, 200);
    assert.equal(served.headers.get('content-type'), 'video/mp4');
    assert.deepEqual(Buffer.from(await served.arrayBuffer()), mp4);
    const bad = await fetch(`${t.baseUrl}/api/v1/creator/content-media`, { method: 'POST', headers: { authorization: `Bearer ${creator.token}`, 'content-type': 'application/octet-stream' }, body: Buffer.from('<html>') });
    assert.equal(bad.status, 400);
    const c = await t.call('POST', storePath(a.store.id), { token: ownerA.token, body: { kind: 'video', title: '上传的视频', video_url: media.url, duration_ms: 5000 } });
    assert.equal(c.body.video_url, media.url);
  });
});

describe('tenancy and operators', () => {
  test('store B cannot see or edit store A\'s content; customer service cannot write', async () => {
    const v = await publishedVideo(ownerA, a.store.id, [a.product.id]);
    assert.equal((await t.call('GET', `${storePath(a.store.id)}/${v.id}`, { token: ownerB.token })).status, 404);
    assert.equal((await t.call('PATCH', `${storePath(a.store.id)}/${v.id}`, { token: ownerB.token, body: { title: '篡改' } })).status, 404);
    assert.equal((await t.call('PATCH', `${storePath(b.store.id)}/${v.id}`, { token: ownerB.token, body: { title: '篡改' } })).status, 404, 'through its own store either');
    assert.equal((await t.call('POST', `${storePath(b.store.id)}/${v.id}/unpublish`, { token: ownerB.token })).status, 404);
    assert.equal((await t.call('PATCH', `/api/v1/creator/contents/${v.id}`, { token: creator.token, body: { title: '篡改' } })).status, 404, 'nor a creator');
    assert.equal((await t.call('GET', `/api/v1/contents/${v.id}`)).body.title, '新品开箱');
    const cs = await signedInUser(t);
    await t.ctx.identity.addStaff(t.ctx.db.kysely, a.store.id, cs.id, 'customer_service');
    assert.equal((await t.call('GET', `${storePath(a.store.id)}/${v.id}`, { token: cs.token })).status, 200, 'customer service reads');
    const denied = await t.call('PATCH', `${storePath(a.store.id)}/${v.id}`, { token: cs.token, body: { title: '客服改' } });
    assert.equal(denied.status, 403);
    assert.equal(denied.body.error.code, 'permission_denied');
  });

  test('an operator removes content: gone from the feed, its owner sees why, and it cannot be republished', async () => {
    const v = await publishedVideo(ownerA, a.store.id, [a.product.id], '违规视频');
    assert.equal((await t.call('POST', `/api/v1/console/contents/${v.id}/remove`, { token: ownerA.token, body: { reason: '内容违规' } })).status, 403);
    const r = await t.call('POST', `/api/v1/console/contents/${v.id}/remove`, { token: operator.token, body: { reason: '内容违规' } });
    assert.equal(r.status, 200);
    assert.equal(r.body.status, 'removed');
    assert.equal((await t.call('GET', `/api/v1/contents/${v.id}`)).status, 404);
    const mine = await t.call('GET', `${storePath(a.store.id)}/${v.id}`, { token: ownerA.token });
    assert.equal(mine.body.removed.reason, '内容违规');
    assert.equal((await t.call('POST', `${storePath(a.store.id)}/${v.id}/publish`, { token: ownerA.token })).status, 409);
    const feed = await t.call('GET', '/api/v1/contents?limit=100');
    assert.ok(!feed.body.items.some((i: any) => i.id === v.id));
  });
});

describe('feed, likes, comments', () => {
  test('the feed pages newest first and sorts by popularity', async () => {
    const x = await publishedVideo(ownerB, b.store.id, [b.product.id], '冷门');
    const y = await publishedVideo(ownerB, b.store.id, [b.product.id], '热门');
    await t.call('POST', `/api/v1/contents/${x.id}/like`, { token: buyer.token });
    await t.call('POST', `/api/v1/contents/${x.id}/like`, { token: ownerA.token });
    const newest = await t.call('GET', `/api/v1/contents?store_id=${b.store.id}&limit=1`);
    assert.equal(newest.status, 200);
    assert.equal(newest.body.items[0].id, y.id);
    assert.equal(newest.body.items[0].products[0].product_id, b.product.id);
    const next = await t.call('GET', `/api/v1/contents?store_id=${b.store.id}&limit=1&cursor=${newest.body.next_cursor}`);
    assert.equal(next.body.items[0].id, x.id);
    const popular = await t.call('GET', `/api/v1/contents?store_id=${b.store.id}&sort=popular&limit=1`);
    assert.equal(popular.body.items[0].id, x.id);
    const popular2 = await t.call('GET', `/api/v1/contents?store_id=${b.store.id}&sort=popular&limit=1&cursor=${popular.body.next_cursor}`);
    assert.equal(popular2.body.items[0].id, y.id);
    assert.equal(popular2.body.next_cursor, null);
    assert.equal((await t.call('GET', '/api/v1/contents?cursor=bogus')).status, 400);
  });

  test('likes are idempotent', async () => {
    const v = await publishedVideo(ownerA, a.store.id, [a.product.id], '点赞测试');
    const path = `/api/v1/contents/${v.id}/like`;
    assert.equal((await t.call('POST', path, { token: buyer.token })).body.like_count, 1);
    assert.equal((await t.call('POST', path, { token: buyer.token })).body.like_count, 1);
    assert.equal((await t.call('GET', `/api/v1/contents/${v.id}`, { token: buyer.token })).body.liked_by_me, true);
    assert.equal((await t.call('DELETE', path, { token: buyer.token })).body.like_count, 0);
    assert.equal((await t.call('DELETE', path, { token: buyer.token })).body.like_count, 0);
    assert.equal((await t.call('POST', path)).status, 401);
  });

  test('comments with a banned word are rejected with a clear code and not stored', async () => {
    const v = await publishedVideo(ownerA, a.store.id, [a.product.id], '评论测试');
    const ok = await t.call('POST', `/api/v1/contents/${v.id}/comments`, { token: buyer.token, body: { body: '音质很好，已下单！' } });
    assert.equal(ok.status, 201);
    const bad = await t.call('POST', `/api/v1/contents/${v.id}/comments`, { token: buyer.token, body: { body: '便宜出，加 微-信 详聊' } });
    assert.equal(bad.status, 422);
    assert.equal(bad.body.error.code, 'comment_rejected');
    assert.equal(bad.body.error.details.word, '加微信');
    assert.ok(bad.body.error.message_zh);
    const list = await t.call('GET', `/api/v1/contents/${v.id}/comments`);
    assert.deepEqual(list.body.items.map((c: any) => c.body), ['音质很好，已下单！']);
    assert.equal((await t.call('GET', `/api/v1/contents/${v.id}`)).body.comment_count, 1);
    assert.equal((await t.call('DELETE', `/api/v1/contents/${v.id}/comments/${ok.body.id}`, { token: ownerB.token })).status, 403);
    assert.equal((await t.call('DELETE', `/api/v1/contents/${v.id}/comments/${ok.body.id}`, { token: buyer.token })).status, 204);
    assert.equal((await t.call('GET', `/api/v1/contents/${v.id}`)).body.comment_count, 0);
  });

  test('content text with a banned word cannot be created', async () => {
    const r = await t.call('POST', storePath(a.store.id), { token: ownerA.token, body: { kind: 'video', title: '网赌返利', video_url: 'https://cdn.example.com/x.mp4' } });
    assert.equal(r.status, 422);
    assert.equal(r.body.error.code, 'content_banned_word');
  });
});
