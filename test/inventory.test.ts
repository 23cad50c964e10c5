import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from './support/app.ts';
import { openStoreWithProduct, signedInUser } from './support/fixtures.ts';

/** Stock: never oversold under concurrency, reservations all-or-nothing and idempotent, a movement for every change. */
let t: TestApp;
let owner: Awaited<ReturnType<typeof signedInUser>>;
let shop: Awaited<ReturnType<typeof openStoreWithProduct>>;
let other: Awaited<ReturnType<typeof openStoreWithProduct>>;
let base: string;
let seq = 0;

/** A fresh live product with one SKU holding `stock`. */
async function skuWith(stock: number): Promise<{ productId: string; skuId: string }> {
  const r = await t.call('POST', `${base}/products`, { token: owner.token, body: { category_id: shop.categoryId, title: `库存测试商品 ${++seq}号`, skus: [{ spec: {}, price_minor: 100, stock }] } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return { productId: r.body.id, skuId: r.body.skus[0].id };
}
const level = async (skuId: string) => (await t.ctx.inventory.levels([skuId])).get(skuId)!;
const events = async (type: string, aggregateId: string) =>
  (await t.ctx.db.kysely.selectFrom('outbox_events').selectAll().where('type', '=', type).where('aggregate_id', '=', aggregateId).execute()).map((e: any) => JSON.parse(e.payload));
const reserve = (lines: { sku_id: string; quantity: number }[], ref: string) => t.ctx.db.transaction((tx) => t.ctx.inventory.reserve(tx, lines, ref, null));

before(async () => {
  t = await startTestApp();
  owner = await signedInUser(t);
  shop = await openStoreWithProduct(t, owner.id, '库存店');
  other = await openStoreWithProduct(t, (await signedInUser(t)).id, '别家库存店');
  base = `/api/v1/merchant/stores/${shop.store.id}`;
});
after(() => t.close());

describe('reservations', () => {
  test('64 concurrent reservers on one SKU never oversell', async () => {
    const { productId, skuId } = await skuWith(50);
    const results = await Promise.all(Array.from({ length: 64 }, (_, i) => reserve([{ sku_id: skuId, quantity: 1 }], `ord_race_${i}`)));
    const ok = results.filter((r) => r.ok).length;
    assert.equal(ok, 50);
    assert.ok(results.filter((r) => !r.ok).every((r) => !r.ok && r.code === 'insufficient_stock'));
    assert.deepEqual(await level(skuId), { sku_id: skuId, on_hand: 50, reserved: 50, available: 0 });
    const held = await t.ctx.db.kysely.selectFrom('inventory_reservations').select('ref').where('ref', 'like', 'ord_race_%').execute();
    assert.equal(held.length, 50);
    assert.equal((await events('product.out_of_stock', productId)).length, 1);
  });

  test('a reservation is all or nothing across its lines, and the caller’s transaction stays usable', async () => {
    const a = await skuWith(5);
    const b = await skuWith(1);
    const out = await t.ctx.db.transaction(async (tx) => {
      const r = await t.ctx.inventory.reserve(tx, [{ sku_id: a.skuId, quantity: 2 }, { sku_id: b.skuId, quantity: 3 }], 'ord_all_or_nothing', null);
      const retry = await t.ctx.inventory.reserve(tx, [{ sku_id: a.skuId, quantity: 2 }], 'ord_smaller', null);
      return { r, retry };
    });
    assert.equal(out.r.ok, false);
    assert.deepEqual(!out.r.ok && [out.r.code, (out.r.details as any).sku_id, (out.r.details as any).available], ['insufficient_stock', b.skuId, 1]);
    assert.ok(!out.r.ok && out.r.message_zh.includes('库存不足'));
    assert.equal(out.retry.ok, true);
    assert.equal((await level(a.skuId)).reserved, 2);
    assert.equal((await level(b.skuId)).reserved, 0);
    assert.equal(await t.ctx.db.transaction((tx) => t.ctx.inventory.reservation(tx, 'ord_all_or_nothing')), undefined);
  });

  test('reserve, release and sale are idempotent per ref; a released reservation cannot be sold', async () => {
    const { skuId } = await skuWith(10);
    const lines = [{ sku_id: skuId, quantity: 3 }];
    assert.equal((await reserve(lines, 'ord_idem')).ok, true);
    const again = await reserve(lines, 'ord_idem');
    assert.ok(again.ok && again.value.replayed);
    assert.equal((await level(skuId)).reserved, 3);
    const reused = await reserve([{ sku_id: skuId, quantity: 1 }], 'ord_idem');
    assert.equal(!reused.ok && reused.code, 'reservation_ref_reused');
    const release = () => t.ctx.db.transaction((tx) => t.ctx.inventory.release(tx, 'ord_idem', null));
    assert.ok((await release()).ok);
    const twice = await release();
    assert.ok(twice.ok && twice.value.replayed);
    assert.deepEqual(await level(skuId), { sku_id: skuId, on_hand: 10, reserved: 0, available: 10 });
    const sell = await t.ctx.db.transaction((tx) => t.ctx.inventory.commitSale(tx, 'ord_idem', null));
    assert.equal(!sell.ok && sell.code, 'reservation_released');
  });

  test('a sale takes the held units off on-hand, once, with movements naming the order', async () => {
    const { skuId } = await skuWith(10);
    await reserve([{ sku_id: skuId, quantity: 4 }], 'ord_paid');
    const sell = () => t.ctx.db.transaction((tx) => t.ctx.inventory.commitSale(tx, 'ord_paid', null));
    assert.ok((await sell()).ok);
    assert.ok((await sell()).ok);
    assert.deepEqual(await level(skuId), { sku_id: skuId, on_hand: 6, reserved: 0, available: 6 });
    const log = await t.call('GET', `${base}/stock-movements?sku_id=${skuId}`, { token: owner.token });
    assert.deepEqual(log.body.items.map((m: any) => [m.reason, m.delta_on_hand, m.delta_reserved, m.ref, m.on_hand_after]), [
      ['sale', -4, -4, 'ord_paid', 6], ['reserve', 0, 4, 'ord_paid', 10], ['initial', 10, 0, null, 10],
    ]);
  });
});

describe('merchant stock changes', () => {
  test('64 concurrent removals over HTTP stop exactly at zero', async () => {
    const { skuId } = await skuWith(50);
    const rs = await Promise.all(Array.from({ length: 64 }, () => t.call('POST', `${base}/skus/${skuId}/stock-adjustments`, { token: owner.token, body: { delta: -1 } })));
    assert.equal(rs.filter((r) => r.status === 200).length, 50);
    assert.ok(rs.filter((r) => r.status !== 200).every((r) => r.status === 422 && r.body.error.code === 'insufficient_stock'));
    assert.equal((await level(skuId)).on_hand, 0);
  });

  test('stock cannot go below what unpaid orders hold; out-of-stock and back-in-stock are announced', async () => {
    const { productId, skuId } = await skuWith(3);
    await reserve([{ sku_id: skuId, quantity: 2 }], 'ord_hold');
    const r = await t.call('POST', `${base}/skus/${skuId}/stock-adjustments`, { token: owner.token, body: { delta: -2 } });
    assert.deepEqual([r.status, r.body.error.details.failures[0].available], [422, 1]);
    await t.call('POST', `${base}/skus/${skuId}/stock-adjustments`, { token: owner.token, body: { delta: -1, note: '破损' } });
    await t.call('POST', `${base}/skus/${skuId}/stock-adjustments`, { token: owner.token, body: { delta: 5, note: '到货' } });
    assert.equal((await events('product.out_of_stock', productId)).length, 1);
    assert.deepEqual((await events('product.back_in_stock', productId)).map((e) => e.available), [3, 5]);
    const changed = await events('stock.changed', skuId);
    assert.deepEqual(changed.at(-1), { sku_id: skuId, product_id: productId, store_id: shop.store.id, on_hand: 7, reserved: 2, available: 5, delta_on_hand: 5, delta_reserved: 0, reason: 'adjust', ref: null });
  });

  test('a bulk adjustment is all or nothing and names every failing line', async () => {
    const a = await skuWith(5);
    const b = await skuWith(5);
    const bad = await t.call('POST', `${base}/stock-adjustments`, { token: owner.token, body: { items: [{ sku_id: a.skuId, delta: 3 }, { sku_id: b.skuId, delta: -9 }] } });
    assert.equal(bad.status, 422);
    assert.deepEqual(bad.body.error.details.failures.map((f: any) => [f.sku_id, f.code]), [[b.skuId, 'insufficient_stock']]);
    assert.equal((await level(a.skuId)).on_hand, 5);
    const good = await t.call('POST', `${base}/stock-adjustments`, { token: owner.token, body: { items: [{ sku_id: a.skuId, delta: 3, note: '补货' }, { sku_id: b.skuId, on_hand: 1 }] } });
    assert.deepEqual(good.body.items.map((l: any) => l.on_hand), [8, 1]);
    const foreign = await t.call('POST', `${base}/stock-adjustments`, { token: owner.token, body: { items: [{ sku_id: other.product.skus[0].id, delta: 1 }] } });
    assert.equal(foreign.status, 422);
  });

  test('the movement log shows who and why, page by page', async () => {
    const { skuId } = await skuWith(1);
    for (const note of ['一', '二', '三']) await t.call('POST', `${base}/skus/${skuId}/stock-adjustments`, { token: owner.token, body: { delta: 1, note } });
    const p1 = await t.call('GET', `${base}/stock-movements?sku_id=${skuId}&limit=2`, { token: owner.token });
    const p2 = await t.call('GET', `${base}/stock-movements?sku_id=${skuId}&limit=2&cursor=${p1.body.next_cursor}`, { token: owner.token });
    const all = [...p1.body.items, ...p2.body.items];
    assert.deepEqual(all.map((m: any) => [m.note, m.actor_id, m.on_hand_after]), [['三', owner.id, 4], ['二', owner.id, 3], ['一', owner.id, 2], [null, owner.id, 1]]);
    assert.equal(p2.body.next_cursor, null);
  });

  test("another store's SKU stock is 404", async () => {
    const r = await t.call('POST', `${base}/skus/${other.product.skus[0].id}/stock-adjustments`, { token: owner.token, body: { delta: 5 } });
    assert.equal(r.status, 404);
    assert.equal((await level(other.product.skus[0].id)).on_hand, 10);
  });
});

describe('stock CSV', () => {
  test('export lists every SKU; import applies good rows and reports bad ones by line; re-importing changes nothing', async () => {
    const a = await skuWith(5);
    const b = await skuWith(5);
    await reserve([{ sku_id: b.skuId, quantity: 4 }], 'ord_csv');
    const raw = Buffer.from(await (await fetch(`${t.baseUrl}${base}/stock.csv`, { headers: { authorization: `Bearer ${owner.token}` } })).arrayBuffer());
    const exported = raw.toString('utf8');
    assert.ok(exported.startsWith('\uFEFFsku_id,barcode,product_id,title,spec,on_hand,reserved,available,note'), 'UTF-8 BOM for Excel, then the header');
    assert.ok(exported.includes(`${b.skuId},,${b.productId},`));
    const csv = ['sku_id,on_hand,note', `${a.skuId},20,盘点`, `${b.skuId},2,盘点`, 'sku_01JD3Q0000000000000000000A,1,', `${a.skuId},-3,`].join('\r\n');
    const post = () => fetch(`${t.baseUrl}${base}/stock/import`, { method: 'POST', headers: { authorization: `Bearer ${owner.token}`, 'content-type': 'text/csv' }, body: csv }).then((r) => r.json());
    const r = await post();
    assert.deepEqual(r.changed.map((c: any) => [c.line, c.on_hand]), [[2, 20]]);
    assert.deepEqual(r.errors.map((e: any) => [e.line, e.code]), [[3, 'below_reserved'], [4, 'sku_not_found'], [5, 'invalid_stock']]);
    assert.ok(r.errors.every((e: any) => e.message && e.message_zh));
    assert.equal((await level(a.skuId)).on_hand, 20);
    assert.equal((await level(b.skuId)).on_hand, 5);
    const again = await post();
    assert.deepEqual([again.changed.length, again.unchanged], [0, 1]);
    const moves = await t.call('GET', `${base}/stock-movements?sku_id=${a.skuId}&reason=import`, { token: owner.token });
    assert.deepEqual(moves.body.items.map((m: any) => [m.delta_on_hand, m.note]), [[15, '盘点']]);
  });
});
