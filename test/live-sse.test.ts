import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { HOUR_MS } from '../src/lib/clock.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { signedInUser } from './support/fixtures.ts';
import { shopWithStock, type Shop, type User } from './support/aftersales.ts';

interface SseEvent {
  id: string;
  event: string;
  data: any;
}

/** A raw SSE client over node:http (what a browser's EventSource does), collecting parsed events. */
function sse(baseUrl: string, path: string, headers: Record<string, string> = {}) {
  const events: SseEvent[] = [];
  const waiters: { pred: (e: SseEvent[]) => boolean; resolve: () => void }[] = [];
  let buf = '';
  let status = 0;
  let contentType = '';
  const req = http.get(baseUrl + path, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
    status = res.statusCode ?? 0;
    contentType = String(res.headers['content-type']);
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buf += chunk;
      let i: number;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const e: Partial<SseEvent> = {};
        for (const line of block.split('\n')) {
          if (line.startsWith('id: ')) e.id = line.slice(4);
          else if (line.startsWith('event: ')) e.event = line.slice(7);
          else if (line.startsWith('data: ')) e.data = JSON.parse(line.slice(6));
        }
        if (e.event) events.push(e as SseEvent);
      }
      for (const w of [...waiters]) if (w.pred(events)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    });
  });
  req.on('error', () => {});
  return {
    events,
    get status() {
      return status;
    },
    get contentType() {
      return contentType;
    },
    until(pred: (e: SseEvent[]) => boolean, what: string): Promise<void> {
      if (pred(events)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; got ${events.map((e) => e.event).join(',')}`)), 10_000);
        waiters.push({ pred, resolve: () => (clearTimeout(timer), resolve()) });
      });
    },
    close: () => req.destroy(),
  };
}

let t: TestApp;
let owner: User, viewer: User;
let shop: Shop;

before(async () => {
  t = await startTestApp();
  [owner, viewer] = await Promise.all([signedInUser(t), signedInUser(t)]);
  shop = await shopWithStock(t, owner, '直播推送店');
});
after(() => t.close());

test('viewers receive pin and price events over SSE and resume from Last-Event-ID without losing any', async () => {
  const room = (await t.call('POST', `/api/v1/merchant/stores/${shop.store.id}/live/rooms`, { token: owner.token, body: { title: '实时推送', stream_url: 'rtmp://push.example.com/live/sse', scheduled_start: new Date(t.clock.now() + HOUR_MS).toISOString() } })).body;
  const item = (await t.call('POST', `/api/v1/live/rooms/${room.id}/shelf`, { token: owner.token, body: { product_id: shop.product.id } })).body;
  assert.equal((await t.call('POST', `/api/v1/live/rooms/${room.id}/start`, { token: owner.token })).status, 200);

  const a = sse(t.baseUrl, `/api/v1/live/rooms/${room.id}/events?access_token=${viewer.token}`);
  await a.until((es) => es.some((e) => e.event === 'snapshot'), 'snapshot');
  assert.equal(a.status, 200);
  assert.match(a.contentType, /^text\/event-stream/);
  assert.equal(a.events[0].data.room.status, 'live');

  assert.equal((await t.call('PUT', `/api/v1/live/rooms/${room.id}/pinned`, { token: owner.token, body: { item_id: item.id } })).status, 200);
  await a.until((es) => es.some((e) => e.event === 'pin'), 'pin');
  const pin = a.events.find((e) => e.event === 'pin')!;
  assert.equal(pin.data.item.id, item.id);
  assert.equal(typeof pin.data.ts, 'number');

  const sku = shop.product.skus[0].id;
  assert.equal((await t.call('PUT', `/api/v1/live/rooms/${room.id}/shelf/${item.id}/live-price`, { token: owner.token, body: { sku_id: sku, price_minor: 7900, live_stock: 20 } })).status, 200);
  await a.until((es) => es.some((e) => e.event === 'price'), 'price');
  assert.deepEqual(a.events.find((e) => e.event === 'price')!.data.live_prices.map((p: any) => [p.sku_id, p.price_minor]), [[sku, 7900]]);
  const lastSeen = a.events.at(-1)!.id;
  a.close();

  // While disconnected: a price change, an unpin and a comment.
  await t.call('PUT', `/api/v1/live/rooms/${room.id}/shelf/${item.id}/live-price`, { token: owner.token, body: { sku_id: sku, price_minor: 6900, live_stock: 20 } });
  await t.call('PUT', `/api/v1/live/rooms/${room.id}/pinned`, { token: owner.token, body: { item_id: null } });
  await t.call('POST', `/api/v1/live/rooms/${room.id}/comments`, { token: viewer.token, body: { text: '刚才掉线了' } });
  await new Promise((r) => setImmediate(r));

  const b = sse(t.baseUrl, `/api/v1/live/rooms/${room.id}/events`, { 'last-event-id': lastSeen });
  await b.until((es) => es.some((e) => e.event === 'comment'), 'the missed comment');
  const missed = b.events.filter((e) => e.event !== 'viewers');
  assert.deepEqual(missed.map((e) => e.event), ['price', 'pin', 'comment']); // no snapshot: resumed
  assert.equal(missed[0].data.live_prices[0].price_minor, 6900);
  assert.equal(missed[1].data.item, null);
  const seqs = b.events.map((e) => Number(e.id.split('-')[1]));
  assert.ok(seqs.every((s, i) => i === 0 || s > seqs[i - 1]), 'ids increase');
  assert.ok(seqs[0] === Number(lastSeen.split('-')[1]) + 1, 'starts right after the last seen id');
  b.close();

  // An id the ring no longer holds (or from another process start) gets a fresh snapshot.
  const c = sse(t.baseUrl, `/api/v1/live/rooms/${room.id}/events`, { 'last-event-id': 'abcdef-1' });
  await c.until((es) => es.some((e) => e.event === 'snapshot'), 'snapshot after a lost position');
  assert.equal(c.events[0].data.room.shelf[0].live_prices[0].price_minor, 6900);
  c.close();
});

test('a purchase from the room reaches viewers as "someone just bought"', async () => {
  const room = (await t.call('POST', `/api/v1/merchant/stores/${shop.store.id}/live/rooms`, { token: owner.token, body: { title: '下单播报', stream_url: 'rtmp://push.example.com/live/buy', scheduled_start: new Date(t.clock.now() + HOUR_MS).toISOString() } })).body;
  await t.call('POST', `/api/v1/live/rooms/${room.id}/shelf`, { token: owner.token, body: { product_id: shop.product.id } });
  await t.call('POST', `/api/v1/live/rooms/${room.id}/start`, { token: owner.token });
  const s = sse(t.baseUrl, `/api/v1/live/rooms/${room.id}/events`);
  await s.until((es) => es.some((e) => e.event === 'snapshot'), 'snapshot');
  const address = (await t.call('POST', '/api/v1/me/addresses', { token: viewer.token, body: { recipient: '钱八', phone: '13812345678', province: '广东省', city: '深圳市', district: '南山区', detail: '科技园1号' } })).body.id;
  const c = (await t.call('POST', `/api/v1/live/rooms/${room.id}/checkouts`, { token: viewer.token, body: { items: [{ sku_id: shop.product.skus[0].id, quantity: 1 }], address_id: address } })).body;
  await t.ctx.db.transaction((tx) => t.ctx.trade.markCheckoutPaid(tx, c.checkout_id, c.total_minor));
  await t.ctx.outbox.drain();
  await s.until((es) => es.some((e) => e.event === 'purchase'), 'purchase');
  assert.equal(s.events.find((e) => e.event === 'purchase')!.data.product_id, shop.product.id);
  s.close();
});

test("the host's console follows the room over SSE without being counted as a viewer", async () => {
  const room = (await t.call('POST', `/api/v1/merchant/stores/${shop.store.id}/live/rooms`, { token: owner.token, body: { title: '主播后台', stream_url: 'rtmp://push.example.com/live/host', scheduled_start: new Date(t.clock.now() + HOUR_MS).toISOString() } })).body;
  assert.equal((await t.call('POST', `/api/v1/live/rooms/${room.id}/start`, { token: owner.token })).status, 200);
  const consoleStream = sse(t.baseUrl, `/api/v1/live/rooms/${room.id}/events?access_token=${owner.token}`);
  await consoleStream.until((es) => es.some((e) => e.event === 'snapshot'), 'the console snapshot');
  assert.equal(consoleStream.events[0].data.viewers, 0);
  const v = sse(t.baseUrl, `/api/v1/live/rooms/${room.id}/events?access_token=${viewer.token}`);
  await v.until((es) => es.some((e) => e.event === 'snapshot'), 'the viewer snapshot');
  assert.equal(v.events[0].data.viewers, 1);
  assert.equal((await t.call('GET', `/api/v1/live/rooms/${room.id}`, { token: viewer.token })).body.viewers, 1);
  consoleStream.close();
  v.close();
});
