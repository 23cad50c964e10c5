/**
 * Customer service (src/modules/cs) over HTTP: buyers contact a store from a product or an
 * order, the store's staff answer in the inbox; who may see what, unread counts and read
 * receipts, validation and moderation, quick replies, and one cs.message_sent event per message.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from './support/app.ts';
import { openStoreWithProduct, signedInUser } from './support/fixtures.ts';
import { addressOf } from './support/aftersales.ts';

type User = Awaited<ReturnType<typeof signedInUser>>;
let t: TestApp;
let ownerA: User;
let ownerB: User;
let serviceA: User;
let buyer: User;
let otherBuyer: User;
let operator: User;
let a: Awaited<ReturnType<typeof openStoreWithProduct>>;
let b: Awaited<ReturnType<typeof openStoreWithProduct>>;

before(async () => {
  t = await startTestApp();
  [ownerA, ownerB, serviceA, buyer, otherBuyer] = [await signedInUser(t), await signedInUser(t), await signedInUser(t), await signedInUser(t), await signedInUser(t)];
  operator = await signedInUser(t, ['operator']);
  a = await openStoreWithProduct(t, ownerA.id, '客服甲店');
  b = await openStoreWithProduct(t, ownerB.id, '客服乙店');
  await t.ctx.identity.addStaff(t.ctx.db.kysely, a.store.id, serviceA.id, 'customer_service');
});
after(() => t.close());

const inbox = (storeId: string) => `/api/v1/merchant/stores/${storeId}/conversations`;
const mine = '/api/v1/me/conversations';

async function start(u: User, body: Record<string, unknown>) {
  const r = await t.call('POST', mine, { token: u.token, body });
  assert.ok(r.status === 201 || r.status === 200, JSON.stringify(r.body));
  return r;
}
async function say(u: User, path: string, text: string) {
  const r = await t.call('POST', `${path}/messages`, { token: u.token, body: { text } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}
const events = async (conversationId: string) =>
  (await t.ctx.db.kysely.selectFrom('outbox_events').selectAll().where('type', '=', 'cs.message_sent').where('aggregate_id', '=', conversationId).orderBy('id').execute()).map((e: any) => JSON.parse(e.payload));

describe('starting a conversation', () => {
  test('a buyer contacts the store from a product page: one conversation per store, the product as a card, again only when the subject changes', async () => {
    const first = await start(buyer, { product_id: a.product.id, text: '请问白色有现货吗？' });
    assert.equal(first.status, 201);
    const c = first.body;
    assert.equal(c.store_id, a.store.id);
    assert.equal(c.store_name, '客服甲店');
    assert.deepEqual([c.subject.kind, c.subject.id], ['product', a.product.id]);
    assert.equal(c.unread, 0, 'the buyer has read what they sent');
    assert.equal(c.peer_unread, 2, 'the card and the question wait for the store');

    const again = await start(buyer, { product_id: a.product.id });
    assert.equal(again.status, 200);
    assert.equal(again.body.id, c.id, 'the same conversation');
    const msgs = (await t.call('GET', `${mine}/${c.id}/messages`, { token: buyer.token })).body.items;
    assert.deepEqual(msgs.map((m: any) => m.kind), ['text', 'product'], 'newest first; no second card for the same product');
    assert.equal(msgs[1].card.amount_minor, 9900);
    assert.equal(msgs[1].card.title, '客服甲店 测试商品');
    assert.ok(msgs.every((m: any) => m.mine && m.side === 'buyer'));

    const other = await start(otherBuyer, { store_id: a.store.id });
    assert.equal(other.status, 201);
    assert.notEqual(other.body.id, c.id, 'each buyer has their own conversation with the store');
    assert.equal(other.body.subject, null);
    assert.equal(other.body.last_message, null);
  });

  test('from an order: only the buyer\'s own order, shown as a card with what was paid', async () => {
    const addressId = await addressOf(t, buyer);
    const checkout = await t.call('POST', '/api/v1/checkouts', { token: buyer.token, body: { items: [{ sku_id: b.product.skus[0].id, quantity: 2 }], address_id: addressId } });
    assert.equal(checkout.status, 201, JSON.stringify(checkout.body));
    const orderId = checkout.body.order_ids[0];
    const theirs = await t.call('POST', mine, { token: otherBuyer.token, body: { order_id: orderId } });
    assert.equal(theirs.status, 404);
    assert.equal(theirs.body.error.code, 'order_not_found');

    const r = await start(buyer, { order_id: orderId, text: '什么时候发货？' });
    assert.equal(r.body.store_id, b.store.id);
    assert.deepEqual([r.body.subject.kind, r.body.subject.id], ['order', orderId]);
    const card = (await t.call('GET', `${mine}/${r.body.id}/messages`, { token: buyer.token })).body.items.find((m: any) => m.kind === 'order').card;
    assert.equal(card.amount_minor, checkout.body.total_minor);
    assert.equal(card.items, 2);
  });

  test('bad starts are refused with a code: two subjects or none, an unknown or delisted product, an unknown store', async () => {
    for (const body of [{}, { store_id: a.store.id, product_id: a.product.id }]) {
      const r = await t.call('POST', mine, { token: buyer.token, body });
      assert.equal(r.status, 400);
      assert.equal(r.body.error.code, 'invalid_subject');
      assert.ok(r.body.error.message_zh);
    }
    const unknown = await t.call('POST', mine, { token: buyer.token, body: { product_id: 'prd_01JAAAAAAAAAAAAAAAAAAAAAAA' } });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, 'product_not_found');
    const extra = await openStoreWithProduct(t, ownerB.id, '客服丙店');
    const delist = await t.call('POST', `/api/v1/merchant/stores/${extra.store.id}/products/${extra.product.id}/delist`, { token: ownerB.token, body: {} });
    assert.equal(delist.status, 200, JSON.stringify(delist.body));
    assert.equal((await t.call('POST', mine, { token: buyer.token, body: { product_id: extra.product.id } })).status, 404, 'not on sale');
    assert.equal((await t.call('POST', mine, { token: buyer.token, body: { store_id: 'sto_01JAAAAAAAAAAAAAAAAAAAAAAA' } })).body.error.code, 'store_not_found');
    assert.equal((await t.call('POST', mine, { body: { store_id: a.store.id } })).status, 401);
  });
});

describe('who may read and answer', () => {
  test('owner and customer service answer their store\'s conversations; other stores\' staff, other buyers and operators get 404', async () => {
    const c = (await start(buyer, { store_id: a.store.id })).body;
    const list = await t.call('GET', inbox(a.store.id), { token: serviceA.token });
    assert.equal(list.status, 200);
    const row = list.body.items.find((x: any) => x.id === c.id);
    assert.ok(row, 'customer service sees the inbox');
    assert.equal(row.buyer.id, buyer.id);
    assert.match(row.buyer.phone_masked, /\*/);
    const reply = await say(serviceA, `${inbox(a.store.id)}/${c.id}`, '您好，白色有现货，今天下单明天发。');
    assert.equal(reply.side, 'store');
    assert.equal(reply.sender_name, `测试${serviceA.phone.slice(-4)}`);
    await say(ownerA, `${inbox(a.store.id)}/${c.id}`, '感谢支持～');

    // staff of store B: not through their own store's path, and store A's path does not exist for them
    assert.equal((await t.call('GET', `${inbox(b.store.id)}/${c.id}`, { token: ownerB.token })).status, 404);
    assert.equal((await t.call('POST', `${inbox(b.store.id)}/${c.id}/messages`, { token: ownerB.token, body: { text: '抢客户' } })).status, 404);
    const foreign = await t.call('GET', inbox(a.store.id), { token: ownerB.token });
    assert.equal(foreign.status, 404);
    assert.equal(foreign.body.error.code, 'store_not_found');
    // another buyer, and a platform operator (not staff of the store)
    assert.equal((await t.call('GET', `${mine}/${c.id}/messages`, { token: otherBuyer.token })).status, 404);
    assert.equal((await t.call('POST', `${mine}/${c.id}/messages`, { token: otherBuyer.token, body: { text: '你好' } })).status, 404);
    assert.equal((await t.call('GET', inbox(a.store.id), { token: operator.token })).status, 404);
    const buyerView = (await t.call('GET', `${mine}/${c.id}/messages`, { token: buyer.token })).body.items.filter((m: any) => m.side === 'store');
    assert.deepEqual(buyerView.map((m: any) => m.text), ['感谢支持～', '您好，白色有现货，今天下单明天发。']);
    assert.ok(buyerView.every((m: any) => m.sender_name === undefined && !m.mine), 'buyers do not see which staff member answered');
  });
});

describe('unread counts and read receipts', () => {
  test('each side counts what it has not read; answering reads; marking read shows the receipt to the sender', async () => {
    const shopper = await signedInUser(t);
    const c = (await start(shopper, { product_id: a.product.id, text: '有优惠吗？' })).body;
    const badge = async (token: string, path: string) => (await t.call('GET', path, { token })).body;
    const before = await badge(ownerA.token, `${inbox(a.store.id)}/unread`);
    assert.ok(before.messages >= 2 && before.conversations >= 1);
    const own = (await t.call('GET', `${inbox(a.store.id)}/${c.id}`, { token: ownerA.token })).body;
    assert.deepEqual([own.unread, own.peer_unread], [2, 0]);

    const unreadOnly = await t.call('GET', `${inbox(a.store.id)}?unread=true&limit=100`, { token: ownerA.token });
    assert.ok(unreadOnly.body.items.some((x: any) => x.id === c.id));
    assert.ok(unreadOnly.body.items.every((x: any) => x.unread > 0));

    const answer = await say(serviceA, `${inbox(a.store.id)}/${c.id}`, '满199减20，可以领券。');
    assert.equal(answer.read_by_recipient, false);
    const storeSide = (await t.call('GET', `${inbox(a.store.id)}/${c.id}`, { token: ownerA.token })).body;
    assert.deepEqual([storeSide.unread, storeSide.peer_unread], [0, 1], 'answering read the buyer\'s messages');
    const afterAnswer = await badge(ownerA.token, `${inbox(a.store.id)}/unread`);
    assert.equal(afterAnswer.messages, before.messages - 2);
    assert.deepEqual(await badge(shopper.token, `${mine}/unread`), { conversations: 1, messages: 1 });
    const forBuyer = (await t.call('GET', `${mine}/${c.id}/messages`, { token: shopper.token })).body.items;
    assert.ok(forBuyer.filter((m: any) => m.mine).every((m: any) => m.read_by_recipient), 'the buyer sees the store read their messages');

    const read = await t.call('POST', `${mine}/${c.id}/read`, { token: shopper.token });
    assert.equal(read.status, 200);
    assert.equal(read.body.unread, 0);
    assert.deepEqual(await badge(shopper.token, `${mine}/unread`), { conversations: 0, messages: 0 });
    const receipt = (await t.call('GET', `${inbox(a.store.id)}/${c.id}/messages`, { token: ownerA.token })).body.items[0];
    assert.equal(receipt.id, answer.id);
    assert.equal(receipt.read_by_recipient, true);
    const conv = (await t.call('GET', `${inbox(a.store.id)}/${c.id}`, { token: ownerA.token })).body;
    assert.ok(conv.peer_read_at, 'the store sees when the buyer read');
  });

  test('a message that arrives while the store marks the conversation read stays unread', async () => {
    const shopper = await signedInUser(t);
    const c = (await start(shopper, { store_id: a.store.id, text: '第0条' })).body;
    const path = `${mine}/${c.id}/messages`;
    await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 3 === 0
      ? t.call('POST', `${inbox(a.store.id)}/${c.id}/read`, { token: ownerA.token })
      : t.call('POST', path, { token: shopper.token, body: { text: `第${i}条` } }))));
    const conv = (await t.call('GET', `${inbox(a.store.id)}/${c.id}`, { token: ownerA.token })).body;
    const msgs = (await t.call('GET', `${inbox(a.store.id)}/${c.id}/messages?limit=100`, { token: ownerA.token })).body.items;
    assert.equal(msgs.length, 9);
    const notRead = msgs.filter((m: any) => !m.read_by_recipient).length;
    assert.equal(conv.unread, notRead, 'the unread count is exactly the messages past the read mark');
  });
});

describe('validation and moderation', () => {
  test('empty, too long and banned-word messages are refused with a code and nothing is sent', async () => {
    const c = (await start(buyer, { store_id: a.store.id })).body;
    const before = (await t.call('GET', `${mine}/${c.id}/messages?limit=100`, { token: buyer.token })).body.items.length;
    const empty = await t.call('POST', `${mine}/${c.id}/messages`, { token: buyer.token, body: { text: '   ' } });
    assert.deepEqual([empty.status, empty.body.error.code], [400, 'empty_message']);
    const long = await t.call('POST', `${mine}/${c.id}/messages`, { token: buyer.token, body: { text: '好'.repeat(1001) } });
    assert.deepEqual([long.status, long.body.error.code], [400, 'message_too_long']);
    assert.equal(long.body.error.details.max_chars, 1000);
    const exactly = await t.call('POST', `${mine}/${c.id}/messages`, { token: buyer.token, body: { text: '好'.repeat(1000) } });
    assert.equal(exactly.status, 201);
    const banned = await t.call('POST', `${inbox(a.store.id)}/${c.id}/messages`, { token: ownerA.token, body: { text: '亲，加 微-信 私聊更便宜' } });
    assert.deepEqual([banned.status, banned.body.error.code], [422, 'message_blocked']);
    assert.match(banned.body.error.message_zh, /违规/);
    const missing = await t.call('POST', `${mine}/${c.id}/messages`, { token: buyer.token, body: {} });
    assert.deepEqual([missing.status, missing.body.error.code], [400, 'validation_failed']);
    const after = (await t.call('GET', `${mine}/${c.id}/messages?limit=100`, { token: buyer.token })).body.items.length;
    assert.equal(after, before + 1, 'only the valid message was stored');
    assert.equal((await t.call('GET', `${mine}/csc_01JAAAAAAAAAAAAAAAAAAAAAAA`, { token: buyer.token })).status, 404);
    assert.equal((await t.call('GET', `${mine}/not-an-id`, { token: buyer.token })).status, 400);
  });
});

describe('events, status, lists and polling', () => {
  test('every message writes one cs.message_sent event with the store and the buyer (no event for refused ones)', async () => {
    const shopper = await signedInUser(t);
    const c = (await start(shopper, { product_id: b.product.id, text: '在吗' })).body;
    await say(ownerB, `${inbox(b.store.id)}/${c.id}`, '在的');
    await t.call('POST', `${mine}/${c.id}/messages`, { token: shopper.token, body: { text: '毒品' } });
    const evs = await events(c.id);
    assert.deepEqual(evs.map((e) => [e.side, e.kind]), [['buyer', 'product'], ['buyer', 'text'], ['store', 'text']]);
    assert.ok(evs.every((e) => e.store_id === b.store.id && e.buyer_id === shopper.id && e.conversation_id === c.id && /^csm_/.test(e.message_id)));
    assert.equal(evs[2].preview, '在的');
    assert.equal(evs[2].sender_id, ownerB.id);
  });

  test('staff close a conversation; the buyer writing again reopens it; filters and paging follow activity', async () => {
    const shopper = await signedInUser(t);
    const c1 = (await start(shopper, { store_id: a.store.id, text: '问题一' })).body;
    const c2 = (await start(shopper, { store_id: b.store.id, text: '问题二' })).body;
    const page1 = await t.call('GET', `${mine}?limit=1`, { token: shopper.token });
    assert.deepEqual(page1.body.items.map((x: any) => x.id), [c2.id], 'most recent activity first');
    assert.ok(page1.body.next_cursor);
    const page2 = await t.call('GET', `${mine}?limit=1&cursor=${page1.body.next_cursor}`, { token: shopper.token });
    assert.deepEqual(page2.body.items.map((x: any) => x.id), [c1.id]);
    assert.equal(page2.body.next_cursor, null);

    const closed = await t.call('POST', `${inbox(a.store.id)}/${c1.id}/close`, { token: serviceA.token });
    assert.equal(closed.body.status, 'closed');
    const closedList = (await t.call('GET', `${inbox(a.store.id)}?status=closed&limit=100`, { token: ownerA.token })).body.items;
    assert.ok(closedList.some((x: any) => x.id === c1.id));
    assert.ok(closedList.every((x: any) => x.status === 'closed'));
    assert.equal((await t.call('GET', `${mine}/${c1.id}`, { token: shopper.token })).body.status, 'closed');
    const last = await say(shopper, `${mine}/${c1.id}`, '还有一个问题');
    assert.equal((await t.call('GET', `${inbox(a.store.id)}/${c1.id}`, { token: ownerA.token })).body.status, 'open');
    const reordered = await t.call('GET', mine, { token: shopper.token });
    assert.deepEqual(reordered.body.items.map((x: any) => x.id), [c1.id, c2.id]);
    assert.equal(reordered.body.items[0].last_message.preview, '还有一个问题');

    // polling: only what came after the last message the view has
    await say(serviceA, `${inbox(a.store.id)}/${c1.id}`, '请讲');
    const newer = await t.call('GET', `${mine}/${c1.id}/messages?after=${last.id}`, { token: shopper.token });
    assert.deepEqual(newer.body.items.map((m: any) => m.text), ['请讲']);
    const none = await t.call('GET', `${mine}/${c1.id}/messages?after=${newer.body.items[0].id}`, { token: shopper.token });
    assert.deepEqual(none.body.items, []);
  });
});

describe('quick replies', () => {
  test('staff keep canned answers per store, moderated; other stores cannot see or change them', async () => {
    const base = `/api/v1/merchant/stores/${a.store.id}/quick-replies`;
    const created = await t.call('POST', base, { token: serviceA.token, body: { title: '发货时间', text: '亲，付款后48小时内发货哦～', sort: 2 } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const first = await t.call('POST', base, { token: ownerA.token, body: { title: '问候', text: '您好，在的，请问有什么可以帮您？', sort: 1 } });
    assert.equal(first.status, 201);
    assert.deepEqual((await t.call('GET', base, { token: serviceA.token })).body.items.map((q: any) => q.title), ['问候', '发货时间']);
    const patched = await t.call('PATCH', `${base}/${created.body.id}`, { token: serviceA.token, body: { text: '亲，付款后24小时内发货哦～' } });
    assert.equal(patched.body.text, '亲，付款后24小时内发货哦～');
    const banned = await t.call('POST', base, { token: ownerA.token, body: { title: '私聊', text: '加我微信下单' } });
    assert.deepEqual([banned.status, banned.body.error.code], [422, 'message_blocked']);
    const badTitle = await t.call('POST', base, { token: ownerA.token, body: { title: '', text: '你好' } });
    assert.deepEqual([badTitle.status, badTitle.body.error.code], [400, 'invalid_title']);
    assert.equal((await t.call('GET', base, { token: ownerB.token })).status, 404);
    assert.equal((await t.call('DELETE', `/api/v1/merchant/stores/${b.store.id}/quick-replies/${created.body.id}`, { token: ownerB.token })).status, 404);
    assert.equal((await t.call('DELETE', `${base}/${created.body.id}`, { token: serviceA.token })).status, 204);
    assert.deepEqual((await t.call('GET', base, { token: ownerA.token })).body.items.map((q: any) => q.title), ['问候']);
  });
});
