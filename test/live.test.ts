import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { HOUR_MS } from '../src/lib/clock.ts';
import { drawWinners } from '../src/modules/live/index.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { signedInUser } from './support/fixtures.ts';
import { addressOf, shopWithStock, type Shop, type User } from './support/aftersales.ts';

let t: TestApp;
let owner: User, creator: User, buyer: User, other: User, cs: User;
let shop: Shop;
let addressId: string;
const iso = (ms: number) => new Date(ms).toISOString();
const ok = <T = any>(r: { status: number; body: T }, status = 200): T => {
  assert.equal(r.status, status, JSON.stringify(r.body));
  return r.body;
};

async function storeRoom(title = '星河新品直播') {
  return ok(await t.call('POST', `/api/v1/merchant/stores/${shop.store.id}/live/rooms`, { token: owner.token, body: { title, stream_url: 'rtmp://push.example.com/live/abc', scheduled_start: iso(t.clock.now() + HOUR_MS) } }), 201);
}
const start = async (roomId: string, who = owner) => ok(await t.call('POST', `/api/v1/live/rooms/${roomId}/start`, { token: who.token }));
const shelve = async (roomId: string, who = owner) => ok(await t.call('POST', `/api/v1/live/rooms/${roomId}/shelf`, { token: who.token, body: { product_id: shop.product.id } }), 201);
const livePrice = (roomId: string, itemId: string, body: Record<string, unknown>, who = owner) => t.call('PUT', `/api/v1/live/rooms/${roomId}/shelf/${itemId}/live-price`, { token: who.token, body });
const preview = (u: User, roomId: string, skuId: string) => t.call('POST', `/api/v1/live/rooms/${roomId}/checkout-preview`, { token: u.token, body: { items: [{ sku_id: skuId, quantity: 1 }] } });
const unitPrice = async (u: User, roomId: string, skuId: string) => ok(await preview(u, roomId, skuId)).lines[0].unit_price_minor;

before(async () => {
  t = await startTestApp();
  [owner, creator, buyer, other, cs] = await Promise.all([signedInUser(t), signedInUser(t, ['buyer', 'creator']), signedInUser(t), signedInUser(t), signedInUser(t)]);
  shop = await shopWithStock(t, owner, '直播测试店'); // SKUs ¥99 ×100, ¥109 ×100
  ok(await t.call('POST', `/api/v1/merchant/stores/${shop.store.id}/staff`, { token: owner.token, body: { phone: cs.phone, role: 'customer_service' } }), 201);
  addressId = await addressOf(t, buyer);
});
after(() => t.close());

describe('rooms', () => {
  test('schedule → reserve (idempotent) → start notifies every reserver once', async () => {
    const room = await storeRoom();
    assert.equal(room.status, 'scheduled');
    const r1 = ok(await t.call('PUT', `/api/v1/live/rooms/${room.id}/reservation`, { token: buyer.token }));
    const r2 = ok(await t.call('PUT', `/api/v1/live/rooms/${room.id}/reservation`, { token: buyer.token }));
    assert.deepEqual([r1.reservations, r2.reservations], [1, 1]);
    assert.equal(ok(await t.call('GET', '/api/v1/live/notifications', { token: buyer.token })).items.length, 0);
    assert.equal((await t.call('POST', `/api/v1/live/rooms/${room.id}/start`, { token: other.token })).status, 404);
    assert.equal((await t.call('POST', `/api/v1/live/rooms/${room.id}/start`, { token: cs.token })).status, 403);

    const live = await start(room.id);
    assert.equal(live.status, 'live');
    assert.ok(live.started_at);
    const inbox = ok(await t.call('GET', '/api/v1/live/notifications', { token: buyer.token })).items;
    assert.deepEqual(inbox.map((n: any) => [n.kind, n.room_id]), [['room_started', room.id]]);
    assert.match(inbox[0].title, /开播/);
    assert.equal(ok(await t.call('GET', '/api/v1/live/notifications', { token: other.token })).items.length, 0);
    assert.equal((await t.call('POST', `/api/v1/live/rooms/${room.id}/start`, { token: owner.token })).status, 409);
    ok(await t.call('POST', `/api/v1/live/notifications/${inbox[0].id}/read`, { token: buyer.token }));
    assert.equal(ok(await t.call('GET', '/api/v1/live/notifications?unread=true', { token: buyer.token })).items.length, 0);
    assert.ok((await t.ctx.db.kysely.selectFrom('outbox_events').select('id').where('type', '=', 'live_room.started').where('aggregate_id', '=', room.id).execute()).length === 1);

    const ended = ok(await t.call('POST', `/api/v1/live/rooms/${room.id}/end`, { token: owner.token, body: {} }));
    assert.equal(ended.status, 'ended');
    const replay = ok(await t.call('PUT', `/api/v1/live/rooms/${room.id}/replay`, { token: owner.token, body: { replay_url: 'https://vod.example.com/r/abc.m3u8' } }));
    assert.equal(replay.replay_url, 'https://vod.example.com/r/abc.m3u8');
  });

  test('the shelf: add, pin one product at a time (only while live), removing unpins', async () => {
    const room = await storeRoom();
    const item = await shelve(room.id);
    assert.equal((await t.call('PUT', `/api/v1/live/rooms/${room.id}/pinned`, { token: owner.token, body: { item_id: item.id } })).status, 409); // not live yet
    await start(room.id);
    const pinned = ok(await t.call('PUT', `/api/v1/live/rooms/${room.id}/pinned`, { token: owner.token, body: { item_id: item.id } }));
    assert.equal(pinned.item.pinned, true);
    let detail = ok(await t.call('GET', `/api/v1/live/rooms/${room.id}`));
    assert.equal(detail.pinned_item_id, item.id);
    assert.deepEqual(detail.shelf.map((i: any) => [i.id, i.pinned]), [[item.id, true]]);
    ok(await t.call('DELETE', `/api/v1/live/rooms/${room.id}/shelf/${item.id}`, { token: owner.token }));
    detail = ok(await t.call('GET', `/api/v1/live/rooms/${room.id}`));
    assert.equal(detail.pinned_item_id, null);
    assert.equal(detail.shelf.length, 0);
    const again = await shelve(room.id);
    assert.equal(again.id, item.id);
    assert.equal(again.pinned, false);
  });
});

describe('live prices', () => {
  test('apply only while the room is live and only to orders from the room; checked like flash sales', async () => {
    const room = await storeRoom();
    const item = await shelve(room.id);
    const sku = shop.product.skus[0].id;
    const bad = await livePrice(room.id, item.id, { sku_id: sku, price_minor: 9900, live_stock: 10 });
    assert.equal(bad.status, 422);
    assert.equal(bad.body.error.code, 'invalid_live_price');
    assert.equal((await livePrice(room.id, item.id, { sku_id: sku, price_minor: 6900, live_stock: 10 }, cs)).status, 403);
    const lp = ok(await livePrice(room.id, item.id, { sku_id: sku, price_minor: 6900, live_stock: 10 }));
    assert.equal(lp.live_from, null);

    assert.equal(await unitPrice(buyer, room.id, sku), 9900); // scheduled: not yet
    await start(room.id);
    assert.equal(await unitPrice(buyer, room.id, sku), 6900);
    // Not from the room: the generic checkout without attribution, or attributed to another room.
    const plain = ok(await t.call('POST', '/api/v1/checkout/preview', { token: buyer.token, body: { items: [{ sku_id: sku, quantity: 1 }] } }));
    assert.equal(plain.lines[0].unit_price_minor, 9900);
    const otherRoom = await storeRoom('另一场');
    assert.equal(await unitPrice(buyer, otherRoom.id, sku), 9900);

    ok(await t.call('POST', `/api/v1/live/rooms/${room.id}/end`, { token: owner.token, body: {} }));
    assert.equal(await unitPrice(buyer, room.id, sku), 9900);
  });

  test('a viewer buys from a creator’s room: the line carries channel live, the room, the creator and the live price; stats count it', async () => {
    const room = ok(await t.call('POST', '/api/v1/creator/live/rooms', { token: creator.token, body: { title: '达人好物推荐', stream_url: 'https://pull.example.com/live/x.m3u8', scheduled_start: iso(t.clock.now() + 60_000) } }), 201);
    assert.equal(room.creator_id, creator.id);
    // A creator shelves only what they selected from the affiliate pool.
    const refused = await t.call('POST', `/api/v1/live/rooms/${room.id}/shelf`, { token: creator.token, body: { product_id: shop.product.id } });
    assert.deepEqual([refused.status, refused.body.error?.code], [422, 'product_not_selected']);
    await t.ctx.affiliate.addOffer(shop.store.id, { product_id: shop.product.id, rate_bp: 1000 }, owner.id);
    await t.ctx.affiliate.select(creator.id, shop.product.id);
    const item = await shelve(room.id, creator);
    const sku = shop.product.skus[1].id; // ¥109
    assert.equal((await livePrice(room.id, item.id, { sku_id: sku, price_minor: 7900, live_stock: 5 }, creator)).status, 404); // the merchant prices, not the creator
    ok(await livePrice(room.id, item.id, { sku_id: sku, price_minor: 7900, live_stock: 5, limit_per_buyer: 2 }));
    await start(room.id, creator);
    ok(await t.call('PUT', `/api/v1/live/rooms/${room.id}/pinned`, { token: creator.token, body: { item_id: item.id } }));
    ok(await t.call('POST', `/api/v1/live/rooms/${room.id}/shelf/${item.id}/clicks`));

    const c = ok(await t.call('POST', `/api/v1/live/rooms/${room.id}/checkouts`, { token: buyer.token, body: { items: [{ sku_id: sku, quantity: 2 }], address_id: addressId } }), 201);
    assert.equal(c.total_minor, 15_800);
    const order = ok(await t.call('GET', `/api/v1/me/orders/${c.order_ids[0]}`, { token: buyer.token }));
    const line = order.lines[0];
    assert.deepEqual([line.channel, line.content_id, line.creator_id, line.unit_price_minor, line.quantity], ['live', room.id, creator.id, 7900, 2]);
    // Over the per-buyer limit: the live price no longer applies to this buyer.
    assert.equal(await unitPrice(buyer, room.id, sku), 10_900);

    await t.ctx.db.transaction((tx) => t.ctx.trade.markCheckoutPaid(tx, c.checkout_id, c.total_minor));
    await t.ctx.outbox.drain();
    await t.ctx.outbox.drain(); // a redelivery records nothing twice
    const s = ok(await t.call('GET', `/api/v1/live/rooms/${room.id}/stats`, { token: creator.token }));
    assert.deepEqual([s.orders, s.buyers, s.units, s.gmv_minor, s.product_clicks], [1, 1, 2, 15_800, 1]);
    assert.deepEqual(s.products.map((p: any) => [p.product_id, p.orders, p.units, p.gmv_minor, p.clicks]), [[shop.product.id, 1, 2, 15_800, 1]]);
    assert.equal((await t.call('GET', `/api/v1/live/rooms/${room.id}/stats`, { token: other.token })).status, 404);
  });

  test('live stock is never oversold: 32 buyers at once for 10 units', async () => {
    const room = await storeRoom('秒杀专场');
    const item = await shelve(room.id);
    const sku = shop.product.skus[1].id;
    ok(await livePrice(room.id, item.id, { sku_id: sku, price_minor: 5900, live_stock: 10 }));
    await start(room.id);
    const buyers = await Promise.all(Array.from({ length: 32 }, () => signedInUser(t)));
    const addresses = await Promise.all(buyers.map((b) => addressOf(t, b)));
    const rs = await Promise.all(buyers.map((b, i) => t.call('POST', `/api/v1/live/rooms/${room.id}/checkouts`, { token: b.token, body: { items: [{ sku_id: sku, quantity: 1 }], address_id: addresses[i], expected_total_minor: 5900 } })));
    const placed = rs.filter((r) => r.status === 201);
    assert.equal(placed.length, 10, JSON.stringify(rs.filter((r) => r.status !== 201).map((r) => r.body.error?.code)));
    for (const r of rs.filter((x) => x.status !== 201)) assert.ok(['live_price_sold_out', 'price_changed'].includes(r.body.error.code), r.body.error.code);
    const lp = (await t.ctx.promotions.livePricesOfRoom(room.id))[0];
    assert.deepEqual([lp.sold, lp.stock_left], [10, 0]);
    // Cancelling gives the live stock back, once.
    ok(await t.call('POST', `/api/v1/me/orders/${placed[0].body.order_ids[0]}/cancel`, { token: buyers[rs.indexOf(placed[0])].token, body: {} }));
    assert.equal((await t.ctx.promotions.livePricesOfRoom(room.id))[0].sold, 9);
  });
});

describe('engagement', () => {
  test('live coupons are claimed only in the room while it is live', async () => {
    const room = await storeRoom('领券直播');
    const tpl = ok(await t.call('POST', `/api/v1/merchant/stores/${shop.store.id}/coupons`, {
      token: owner.token, body: { name: '直播间专享券', kind: 'fixed', off_minor: 500, total_quantity: 10, per_buyer_limit: 1, valid_from: iso(t.clock.now()), valid_to: iso(t.clock.now() + 30 * 24 * HOUR_MS) },
    }), 201);
    ok(await t.call('POST', `/api/v1/live/rooms/${room.id}/coupons`, { token: owner.token, body: { template_id: tpl.id } }));
    assert.equal((await t.call('POST', `/api/v1/coupons/${tpl.id}/claim`, { token: buyer.token })).body.error.code, 'live_room_coupon');
    assert.equal((await t.call('POST', `/api/v1/live/rooms/${room.id}/coupons/${tpl.id}/claim`, { token: buyer.token })).status, 409); // not live
    await start(room.id);
    const coupon = ok(await t.call('POST', `/api/v1/live/rooms/${room.id}/coupons/${tpl.id}/claim`, { token: buyer.token }), 201);
    assert.equal(coupon.template_id, tpl.id);
    const listed = ok(await t.call('GET', `/api/v1/coupons?store_id=${shop.store.id}`)).items.map((c: any) => c.id);
    assert.ok(!listed.includes(tpl.id));
  });

  test('a lucky bag is drawn among eligible viewers, reproducibly from the published seed', async () => {
    const room = await storeRoom('福袋直播');
    await start(room.id);
    const viewers = [buyer, other, creator];
    for (const v of viewers.slice(0, 2)) ok(await t.call('POST', `/api/v1/live/rooms/${room.id}/comments`, { token: v.token, body: { text: '主播好，想要这个' } }), 201);
    const blocked = ok(await t.call('POST', `/api/v1/live/rooms/${room.id}/comments`, { token: creator.token, body: { text: '加微信便宜卖' } }), 201);
    assert.equal(blocked.status, 'blocked'); // not broadcast, not eligible

    const bag = ok(await t.call('POST', `/api/v1/live/rooms/${room.id}/lucky-bags`, { token: owner.token, body: { title: '评论福袋', prize: '定制礼盒', winners: 1, condition: 'commented', draw_in_seconds: 60 } }), 201);
    assert.match(bag.seed_commitment, /^[0-9a-f]{64}$/);
    assert.equal(bag.seed, null);
    const [open] = ok(await t.call('GET', `/api/v1/live/rooms/${room.id}/lucky-bags`)).items;
    assert.deepEqual([open.status, open.eligible_count, open.eligible_ids], ['open', 2, []], 'how many qualify so far, not who');
    t.clock.advance(61_000);
    await t.ctx.scheduler.runDue();
    const [drawn] = ok(await t.call('GET', `/api/v1/live/rooms/${room.id}/lucky-bags`)).items;
    assert.equal(drawn.status, 'drawn');
    assert.equal(createHash('sha256').update(drawn.seed).digest('hex'), bag.seed_commitment);
    assert.deepEqual(drawn.eligible_ids, [buyer.id, other.id].sort());
    assert.deepEqual(drawn.winner_ids, drawWinners(drawn.seed, drawn.eligible_ids, 1));
    const winner = drawn.winner_ids[0] === buyer.id ? buyer : other;
    const inbox = ok(await t.call('GET', '/api/v1/live/notifications', { token: winner.token })).items;
    assert.ok(inbox.some((n: any) => n.kind === 'lucky_bag_won' && n.room_id === room.id));
  });
});
