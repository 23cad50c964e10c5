import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from './support/app.ts';
import { openStoreWithProduct, signedInUser } from './support/fixtures.ts';

/**
 * Authorisation on every route: staff of store A get 404 for anything of store B, a buyer
 * never sees another buyer's data, and a customer-service role can't change prices.
 */
let t: TestApp;
let ownerA: Awaited<ReturnType<typeof signedInUser>>;
let ownerB: Awaited<ReturnType<typeof signedInUser>>;
let csA: Awaited<ReturnType<typeof signedInUser>>;
let a: Awaited<ReturnType<typeof openStoreWithProduct>>;
let b: Awaited<ReturnType<typeof openStoreWithProduct>>;

before(async () => {
  t = await startTestApp();
  ownerA = await signedInUser(t);
  ownerB = await signedInUser(t);
  a = await openStoreWithProduct(t, ownerA.id, '甲店');
  b = await openStoreWithProduct(t, ownerB.id, '乙店');
  const cs = await signedInUser(t);
  await t.call('POST', `/api/v1/merchant/stores/${a.store.id}/staff`, { token: ownerA.token, body: { phone: cs.phone, role: 'customer_service' } });
  // memberships are read per request, so the existing token now carries the role
  csA = cs;
});
after(() => t.close());

describe('store tenancy', () => {
  test('staff of store A get 404 for every read of store B', async () => {
    const paths = [
      `/api/v1/merchant/stores/${b.store.id}`,
      `/api/v1/merchant/stores/${b.store.id}/products`,
      `/api/v1/merchant/stores/${b.store.id}/products/${b.product.id}`,
      `/api/v1/merchant/stores/${b.store.id}/staff`,
    ];
    for (const p of paths) {
      const r = await t.call('GET', p, { token: ownerA.token });
      assert.equal(r.status, 404, p);
      assert.equal(r.body.error.code, 'store_not_found', p);
    }
  });

  test('staff of store A cannot update store B, its prices, stock or staff — and nothing changes', async () => {
    const sku = b.product.skus[0];
    const attempts: [string, string, unknown][] = [
      ['PATCH', `/api/v1/merchant/stores/${b.store.id}`, { description: 'hacked' }],
      ['PATCH', `/api/v1/merchant/stores/${b.store.id}/skus/${sku.id}/price`, { price_minor: 1 }],
      ['POST', `/api/v1/merchant/stores/${b.store.id}/skus/${sku.id}/stock-adjustments`, { delta: -5 }],
      ['POST', `/api/v1/merchant/stores/${b.store.id}/staff`, { phone: ownerA.phone, role: 'owner' }],
      ['POST', `/api/v1/merchant/stores/${b.store.id}/products`, { category_id: b.categoryId, title: '冒充商品', skus: [{ spec: {}, price_minor: 100, stock: 1 }] }],
    ];
    for (const [method, path, body] of attempts) {
      const r = await t.call(method, path, { token: ownerA.token, body });
      assert.equal(r.status, 404, `${method} ${path}`);
    }
    const after = await t.call('GET', `/api/v1/merchant/stores/${b.store.id}/products/${b.product.id}`, { token: ownerB.token });
    assert.equal(after.body.skus[0].price_minor, 9900);
    assert.equal(after.body.skus[0].stock.on_hand, 10);
    assert.equal((await t.call('GET', `/api/v1/merchant/stores/${b.store.id}`, { token: ownerB.token })).body.description, '');
  });

  test("store A's own SKU id used under store A's path but belonging to B is not found", async () => {
    const r = await t.call('PATCH', `/api/v1/merchant/stores/${a.store.id}/skus/${b.product.skus[0].id}/price`, { token: ownerA.token, body: { price_minor: 1 } });
    assert.equal(r.status, 404);
    assert.equal(r.body.error.code, 'sku_not_found');
  });

  test('a merchant lists only the stores they work in', async () => {
    const r = await t.call('GET', '/api/v1/merchant/stores', { token: ownerA.token });
    assert.deepEqual(r.body.items.map((s: any) => s.id), [a.store.id]);
    assert.equal(r.body.items[0].my_role, 'owner');
  });
});

describe('staff roles', () => {
  test('customer service can read the store but cannot change prices or stock (403)', async () => {
    const sku = a.product.skus[0];
    assert.equal((await t.call('GET', `/api/v1/merchant/stores/${a.store.id}/products`, { token: csA.token })).status, 200);
    const price = await t.call('PATCH', `/api/v1/merchant/stores/${a.store.id}/skus/${sku.id}/price`, { token: csA.token, body: { price_minor: 100 } });
    assert.equal(price.status, 403);
    assert.equal(price.body.error.code, 'permission_denied');
    const stock = await t.call('POST', `/api/v1/merchant/stores/${a.store.id}/skus/${sku.id}/stock-adjustments`, { token: csA.token, body: { delta: 1 } });
    assert.equal(stock.status, 403);
    const staff = await t.call('POST', `/api/v1/merchant/stores/${a.store.id}/staff`, { token: csA.token, body: { phone: csA.phone, role: 'owner' } });
    assert.equal(staff.status, 403);
    const product = await t.call('GET', `/api/v1/merchant/stores/${a.store.id}/products/${a.product.id}`, { token: ownerA.token });
    assert.equal(product.body.skus[0].price_minor, 9900);
  });

  test('the owner changes a price; an operator may too; the last owner cannot be removed', async () => {
    const sku = a.product.skus[0];
    const r = await t.call('PATCH', `/api/v1/merchant/stores/${a.store.id}/skus/${sku.id}/price`, { token: ownerA.token, body: { price_minor: 8900, list_price_minor: 9900 } });
    assert.equal(r.status, 200);
    assert.equal(r.body.price_minor, 8900);
    const op = await signedInUser(t);
    assert.equal((await t.call('POST', `/api/v1/merchant/stores/${a.store.id}/staff`, { token: ownerA.token, body: { phone: op.phone, role: 'operator' } })).status, 201);
    assert.equal((await t.call('PATCH', `/api/v1/merchant/stores/${a.store.id}/skus/${sku.id}/price`, { token: op.token, body: { price_minor: 8800 } })).status, 200);
    const removeOwner = await t.call('DELETE', `/api/v1/merchant/stores/${a.store.id}/staff/${ownerA.id}`, { token: ownerA.token });
    assert.equal(removeOwner.status, 422);
    assert.equal(removeOwner.body.error.code, 'last_owner');
  });

  test('a price change emits a domain event with who changed it', async () => {
    const events = await t.ctx.db.kysely.selectFrom('outbox_events').selectAll().where('type', '=', 'sku.price_changed').execute();
    assert.ok(events.length >= 1);
    assert.ok(events.some((e: any) => JSON.parse(e.payload).actor_id === ownerA.id));
  });

  test('a buyer without staff membership gets 404 for merchant routes, 401 without a token', async () => {
    const buyer = await signedInUser(t);
    assert.equal((await t.call('GET', `/api/v1/merchant/stores/${a.store.id}`, { token: buyer.token })).status, 404);
    assert.equal((await t.call('GET', `/api/v1/merchant/stores/${a.store.id}`)).status, 401);
  });
});

describe("buyers' own data", () => {
  const address = { recipient: '张三', phone: '13812345678', province: '广东省', city: '深圳市', district: '南山区', detail: '科技园路1号' };

  test("a buyer never sees, changes or deletes another buyer's address", async () => {
    const alice = await signedInUser(t);
    const bob = await signedInUser(t);
    const created = await t.call('POST', '/api/v1/me/addresses', { token: alice.token, body: address });
    assert.equal(created.status, 201);
    assert.equal(created.body.is_default, true);
    const id = created.body.id;
    assert.equal((await t.call('GET', `/api/v1/me/addresses/${id}`, { token: bob.token })).status, 404);
    assert.equal((await t.call('PATCH', `/api/v1/me/addresses/${id}`, { token: bob.token, body: { detail: '被改了' } })).status, 404);
    assert.equal((await t.call('DELETE', `/api/v1/me/addresses/${id}`, { token: bob.token })).status, 404);
    const bobs = await t.call('GET', '/api/v1/me/addresses', { token: bob.token });
    assert.deepEqual(bobs.body.items, []);
    const mine = await t.call('GET', `/api/v1/me/addresses/${id}`, { token: alice.token });
    assert.equal(mine.body.detail, '科技园路1号');
  });

  test('only one default address; a new default moves the flag', async () => {
    const u = await signedInUser(t);
    const first = (await t.call('POST', '/api/v1/me/addresses', { token: u.token, body: address })).body;
    const second = (await t.call('POST', '/api/v1/me/addresses', { token: u.token, body: { ...address, detail: '第二个地址', is_default: true } })).body;
    const list = (await t.call('GET', '/api/v1/me/addresses', { token: u.token })).body.items;
    assert.deepEqual(list.filter((x: any) => x.is_default).map((x: any) => x.id), [second.id]);
    assert.notEqual(first.id, second.id);
  });
});

describe('public catalog', () => {
  test('buyers see live products of open stores, with in-stock flags but not stock numbers', async () => {
    const r = await t.call('GET', `/api/v1/products/${a.product.id}`);
    assert.equal(r.status, 200);
    assert.equal(r.body.skus[0].in_stock, true);
    assert.equal(r.body.skus[0].stock, undefined);
  });
});
