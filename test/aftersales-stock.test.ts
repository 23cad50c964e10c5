import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp } from './support/app.ts';
import { aftersalesWorld, FakeRefunds, ok200, trackingNo, type User } from './support/aftersales.ts';

// Units refunded before they ship (仅退款 on an unshipped line) stay in the warehouse: the
// merchant must not ship them, the order must still become fully shipped, and stock gets them back.
const refunds = new FakeRefunds();
let w: Awaited<ReturnType<typeof aftersalesWorld>>;
let buyer: User;
before(async () => {
  w = await aftersalesWorld(await startTestApp({ refunds }), refunds);
  buyer = w.buyer;
});
after(() => w.t.close());

const onHand = async (skuId: string) => (await w.t.ctx.inventory.levels([skuId])).get(skuId)!.on_hand;
const ship = (orderId: string, body: Record<string, unknown>) =>
  w.t.call('POST', `/api/v1/merchant/stores/${w.shop.store.id}/orders/${orderId}/shipments`, { token: w.shop.owner.token, body: { carrier: 'SANDBOX', tracking_no: trackingNo(), ...body } });

test('an instant refund of 1 of 3 unshipped units: the merchant ships the other 2, the order is fully shipped, the unit is back in stock', async () => {
  const sku = w.shop.product.skus[0].id;
  const o = await w.order(3);
  const stockAfterSale = await onHand(sku);
  const req = await w.created({ order_id: o.id, line_id: o.line.id, type: 'refund_only', reason: 'no_longer_needed', quantity: 1 });
  assert.equal(req.status, 'refunded', '极速退款: nothing shipped yet');
  const line = (await w.a.order(buyer, o.id)).body.lines[0];
  assert.deepEqual([line.quantity, line.shipped_quantity, line.cancelled_quantity, line.refunded_minor], [3, 0, 1, 9900]);
  assert.equal(await onHand(sku), stockAfterSale + 1, 'the refunded unit never left: it is back on hand');

  const tooMany = await ship(o.id, { lines: [{ line_id: o.line.id, quantity: 3 }] });
  assert.equal(tooMany.status, 422, JSON.stringify(tooMany.body));
  assert.equal(tooMany.body.error.code, 'ship_quantity_exceeds');
  assert.equal(tooMany.body.error.details.remaining, 2);
  assert.equal((await w.a.order(buyer, o.id)).body.status, 'paid', 'a refused shipment changes nothing');

  assert.equal((await ship(o.id, {})).status, 201, '"ship everything" ships what is left');
  const shipped = (await w.a.order(buyer, o.id)).body;
  assert.equal(shipped.status, 'shipped', 'two shipped + one refunded before shipping = fully shipped');
  assert.equal(shipped.lines[0].shipped_quantity, 2);
  assert.equal(await onHand(sku), stockAfterSale + 1, 'shipping takes nothing more from stock (sold at payment)');
});

test('a refund request on the unshipped rest of a partly shipped order holds those units until the merchant answers; approved, the order is fully shipped', async () => {
  const sku = w.shop.product.skus[0].id;
  const o = await w.order(2);
  assert.equal((await ship(o.id, { lines: [{ line_id: o.line.id, quantity: 1 }] })).status, 201);
  assert.equal((await w.a.order(buyer, o.id)).body.status, 'partially_shipped');
  const stockBefore = await onHand(sku);
  const req = await w.created({ order_id: o.id, line_id: o.line.id, type: 'refund_only', reason: 'no_longer_needed', quantity: 1 });
  assert.equal(req.status, 'pending_merchant', 'part has shipped: the merchant decides');

  const desk = await w.t.call('GET', `/api/v1/merchant/stores/${w.shop.store.id}/orders/${o.id}`, { token: w.shop.owner.token });
  assert.equal(desk.body.lines[0].held_quantity, 1, 'the merchant sees the unit on hold');
  assert.equal((await w.a.order(buyer, o.id)).body.lines[0].held_quantity, undefined, 'buyers\' views do not carry it');
  const held = await ship(o.id, {});
  assert.equal(held.status, 422, JSON.stringify(held.body));
  assert.equal(held.body.error.code, 'refund_requested');
  const named = await ship(o.id, { lines: [{ line_id: o.line.id, quantity: 1 }] });
  assert.equal(named.body.error.code, 'refund_requested');
  assert.equal(named.body.error.details.units_on_hold, 1);

  assert.equal(ok200(await w.a.merchant(w.shop, req.id, 'approve')).status, 'refunded');
  const done = (await w.a.order(buyer, o.id)).body;
  assert.equal(done.status, 'shipped', 'nothing is left to ship');
  assert.deepEqual([done.lines[0].shipped_quantity, done.lines[0].cancelled_quantity], [1, 1]);
  assert.equal(await onHand(sku), stockBefore + 1);
  const jobs = await w.t.ctx.db.kysely.selectFrom('scheduler_jobs').select('dedupe_key').where('dedupe_key', '=', `order:${o.id}:auto_receive`).execute();
  assert.equal(jobs.length, 1, 'the 10-day automatic receipt is scheduled');
});

test('a rejected request releases the held units: the merchant ships them', async () => {
  const o = await w.order(2);
  assert.equal((await ship(o.id, { lines: [{ line_id: o.line.id, quantity: 1 }] })).status, 201);
  const req = await w.created({ order_id: o.id, line_id: o.line.id, type: 'refund_only', reason: 'no_longer_needed', quantity: 1 });
  ok200(await w.a.merchant(w.shop, req.id, 'reject', { reason: '已安排发货' }));
  assert.equal((await ship(o.id, {})).status, 201);
  const done = (await w.a.order(buyer, o.id)).body;
  assert.deepEqual([done.status, done.lines[0].shipped_quantity, done.lines[0].cancelled_quantity], ['shipped', 2, 0]);
});

test('a refund only after everything shipped (未收到货) cancels nothing and restocks nothing', async () => {
  const sku = w.shop.product.skus[0].id;
  const o = await w.order(1, 'shipped');
  const before = await onHand(sku);
  const req = await w.created({ order_id: o.id, line_id: o.line.id, type: 'refund_only', reason: 'not_received' });
  ok200(await w.a.merchant(w.shop, req.id, 'approve'));
  const line = (await w.a.order(buyer, o.id)).body.lines[0];
  assert.deepEqual([line.shipped_quantity, line.cancelled_quantity], [1, 0]);
  assert.equal(await onHand(sku), before);
});

test('a confirmed return puts its units back into stock, unless the merchant says they are damaged', async () => {
  const sku = w.shop.product.skus[0].id;
  const back = async (restock?: boolean) => {
    const o = await w.order(2, 'received');
    const req = await w.created({ order_id: o.id, line_id: o.line.id, type: 'return_refund', reason: 'no_reason_7d', quantity: 2 });
    ok200(await w.a.merchant(w.shop, req.id, 'approve'));
    ok200(await w.a.buyer(buyer, req.id, 'return-shipment', { carrier: 'SANDBOX', tracking_no: trackingNo() }));
    const before = await onHand(sku);
    const done = ok200(await w.a.merchant(w.shop, req.id, 'confirm-return', restock === undefined ? {} : { restock }));
    assert.equal(done.status, 'refunded');
    return (await onHand(sku)) - before;
  };
  assert.equal(await back(), 2, 'by default the returned units are on hand again');
  assert.equal(await back(false), 0, 'restock: false (damaged) leaves stock as it is');
  const moves = await w.t.call('GET', `/api/v1/merchant/stores/${w.shop.store.id}/stock-movements?reason=restock&sku_id=${sku}`, { token: w.shop.owner.token });
  assert.equal(moves.status, 200, JSON.stringify(moves.body));
  assert.ok(moves.body.items.some((m: any) => m.delta_on_hand === 2 && m.reason === 'restock'), 'the movement log says why stock went up');
});
