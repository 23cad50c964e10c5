/**
 * The merchant's 订单 and 售后 screens in a real headless browser (Debian's chromium, driven by
 * playwright-core) on a phone, against the real server on SQLite with the payments sandbox.
 * Buyers' orders, payments and requests are made over the API; the merchant acts in the UI:
 *  (a) a 仅退款 of 1 of 3 unshipped units is refunded at once: the order card says the unit is
 *      not to be shipped, "ship" sends the other 2 and the order is 已发货 with the unit back in stock;
 *  (b) a 仅退款 awaiting the merchant holds the unshipped unit: shipping it is refused with the
 *      reason shown; approved in 售后, nothing is left to ship and the order is 已发货;
 *  (c) the same request rejected in 售后 releases the unit: the merchant ships it;
 *  (d) returns (the merchant approves them in 售后; the sandbox carrier delivers them two days
 *      later): one confirmed as fine goes back into stock, one marked damaged does not, and an
 *      exchange is confirmed by shipping its replacement — a tracking number that does not fit
 *      the chosen carrier is refused in the card (last: it moves the clock two days on).
 * Screenshots go to test-results/merchant-aftersales/.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { browserHarness, PHONE } from '../support/browser.ts';
import type { PaymentsTestApp } from '../support/payments.ts';
import { PASSWORD, relogin, signedInUser } from '../support/fixtures.ts';
import { addressOf, shopWithStock, trackingNo, type Shop, type User } from '../support/aftersales.ts';
import { HOUR_MS } from '../../src/lib/clock.ts';

const h = browserHarness('merchant-aftersales');
const { context, shot, watch, showingFailures, until } = h;
/** The accounts here are made by the fixtures (their password), not the demo ones. */
const signIn = (page: Page, phone: string) => h.signIn(page, phone, PASSWORD);
let t: PaymentsTestApp;
let shop: Shop;
let buyer: User;
let addressId: string;
let sku: string;

const ok = (r: { status: number; body: any }, status = 200) => {
  assert.equal(r.status, status, JSON.stringify(r.body));
  return r.body;
};
const owner = () => shop.owner;
const storePath = (rest: string) => `/api/v1/merchant/stores/${shop.store.id}${rest}`;

/** A paid order (through the sandbox cashier) of `quantity` black units at ¥99. */
async function paidOrder(quantity: number): Promise<{ id: string; lineId: string }> {
  const c = ok(await t.call('POST', '/api/v1/checkouts', { token: buyer.token, body: { items: [{ sku_id: sku, quantity }], address_id: addressId } }), 201);
  await t.payCheckout(buyer.token, c.checkout_id);
  const o = ok(await t.call('GET', `/api/v1/me/orders/${c.order_ids[0]}`, { token: buyer.token }));
  assert.equal(o.status, 'paid');
  return { id: o.id, lineId: o.lines[0].id };
}
const shipViaApi = (orderId: string, body: Record<string, unknown> = {}) =>
  t.call('POST', storePath(`/orders/${orderId}/shipments`), { token: owner().token, body: { carrier: 'SANDBOX', tracking_no: trackingNo(), ...body } });
const order = async (id: string) => ok(await t.call('GET', `/api/v1/me/orders/${id}`, { token: buyer.token }));
const request = async (id: string) => ok(await t.call('GET', `/api/v1/me/aftersales/${id}`, { token: buyer.token })).request;
async function requestOf(body: Record<string, unknown>) {
  return ok(await t.call('POST', '/api/v1/me/aftersales', { token: buyer.token, body }), 201).request as { id: string; status: string; amount_minor: number };
}
/** On-hand stock of the SKU as the merchant's product page reads it. */
async function onHand(): Promise<number> {
  const p = ok(await t.call('GET', storePath(`/products/${shop.product.id}`), { token: owner().token }));
  return p.skus.find((s: { id: string }) => s.id === sku).stock.on_hand;
}
/** Waits until the buyer's view of a request reaches `status`. */
const reaches = (id: string, status: string) => until(`request ${id} ${status}`, async () => (await request(id)).status === status);

/** The merchant signed in on a phone at one of the assistant's pages. */
async function merchantAt(path: string) {
  const ctx = await context(PHONE);
  const page = await ctx.newPage();
  const errors = watch(page);
  await page.goto(`${t.baseUrl}${path}`);
  await signIn(page, owner().phone);
  return { ctx, page, errors };
}
const orderCard = (page: Page, id: string) => page.locator(`li[data-order="${id}"]`);
const requestCard = (page: Page, orderId: string) => page.locator('li.card', { has: page.locator('code', { hasText: orderId }) });
const lineText = async (card: Locator) => (await card.locator('p.small .muted').first().innerText()).trim();
async function shipInUi(card: Locator): Promise<string> {
  const tracking = trackingNo();
  await card.getByLabel('快递公司').selectOption({ label: '沙箱快递' });
  await card.getByLabel('运单号').fill(tracking);
  await card.getByRole('button', { name: '发货', exact: true }).click();
  return tracking;
}
const nav = (page: Page, name: string) => page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name, exact: true }).click();

before(async () => {
  t = await h.start();
  shop = await shopWithStock(t, await signedInUser(t), '青禾家居');
  sku = shop.product.skus[0].id;
  buyer = await signedInUser(t);
  addressId = await addressOf(t, buyer);
});
after(() => h.stop());

describe('merchant orders and after-sales', { timeout: 900_000 }, () => {
  test('a unit refunded before shipping (极速退款) is marked not to ship; shipping sends the rest and the order is 已发货', { timeout: 180_000 }, () => showingFailures('instant-refund', async () => {
    const o = await paidOrder(3);
    const stockPaid = await onHand();
    const req = await requestOf({ order_id: o.id, line_id: o.lineId, type: 'refund_only', reason: 'no_longer_needed', quantity: 1 });
    await reaches(req.id, 'refunded');
    assert.equal((await order(o.id)).lines[0].cancelled_quantity, 1);

    const { ctx, page, errors } = await merchantAt('/merchant/orders');
    const card = orderCard(page, o.id);
    await card.locator('.badge', { hasText: '待发货' }).waitFor();
    assert.equal(await lineText(card), '黑 ×3 · 1 件已退款，无需发货');
    await shot(page, 'a1-refunded-unit-phone');

    const tracking = await shipInUi(card);
    await card.locator('.badge', { hasText: '已发货' }).waitFor();
    assert.equal(await lineText(card), '黑 ×3 · 已发 2 · 1 件已退款，无需发货');
    assert.equal(await card.getByRole('form', { name: '发货' }).count(), 0, 'nothing is left to ship');
    await shot(page, 'a2-shipped-phone');

    const shipped = await order(o.id);
    assert.equal(shipped.status, 'shipped', 'two shipped + one refunded = fully shipped, not partly');
    assert.deepEqual([shipped.lines[0].shipped_quantity, shipped.lines[0].cancelled_quantity], [2, 1]);
    const parcels = ok(await t.call('GET', `/api/v1/me/orders/${o.id}/shipments`, { token: buyer.token })).items;
    assert.deepEqual(parcels.map((s: any) => [s.carrier, s.tracking_no]), [['SANDBOX', tracking]]);
    assert.equal(await onHand(), stockPaid + 1, 'the refunded unit never left the warehouse');
    assert.deepEqual(errors, []);
    await ctx.close();
  }));

  test('a unit under a 仅退款 awaiting the merchant cannot be shipped (the reason is shown); approved in 售后, the order is 已发货', { timeout: 180_000 }, () => showingFailures('held', async () => {
    const o = await paidOrder(2);
    ok(await shipViaApi(o.id, { lines: [{ line_id: o.lineId, quantity: 1 }] }), 201);
    const req = await requestOf({ order_id: o.id, line_id: o.lineId, type: 'refund_only', reason: 'no_longer_needed', quantity: 1 });
    assert.equal(req.status, 'pending_merchant', 'part has shipped: the merchant decides');
    const stockBefore = await onHand();

    const { ctx, page, errors } = await merchantAt('/merchant/orders');
    const card = orderCard(page, o.id);
    await card.locator('.badge', { hasText: '部分发货' }).waitFor();
    await card.getByText('1 件买家申请仅退款中，请先处理售后').waitFor(); // the card says why before the merchant tries
    await shipInUi(card);
    await card.getByRole('alert').getByText('待发货商品均在申请仅退款，请先处理售后 (refund_requested)').waitFor();
    await shot(page, 'b1-held-refused-phone');
    const refused = await order(o.id);
    assert.deepEqual([refused.status, refused.lines[0].shipped_quantity], ['partially_shipped', 1], 'a refused shipment changes nothing');

    await nav(page, '售后');
    const pending = requestCard(page, o.id);
    await pending.locator('.badge', { hasText: '待商家处理' }).waitFor();
    const yuan = `¥${(req.amount_minor / 100).toFixed(2)}`; // what the unit paid, after the order's discounts
    const text = await pending.innerText();
    assert.ok(text.startsWith('仅退款\n'), text);
    assert.ok(text.includes(`不想要了 · ${yuan} · ×1`), text);
    await shot(page, 'b2-queue-phone');
    await pending.getByRole('button', { name: '同意' }).click();
    await pending.waitFor({ state: 'detached' });
    await reaches(req.id, 'refunded');

    await nav(page, '订单');
    const done = orderCard(page, o.id);
    await done.locator('.badge', { hasText: '已发货' }).waitFor();
    assert.equal(await lineText(done), '黑 ×2 · 已发 1 · 1 件已退款，无需发货');
    assert.equal(await done.getByRole('form', { name: '发货' }).count(), 0);
    await shot(page, 'b3-approved-shipped-phone');
    const after = await order(o.id);
    assert.deepEqual([after.status, after.lines[0].shipped_quantity, after.lines[0].cancelled_quantity], ['shipped', 1, 1]);
    assert.equal(await onHand(), stockBefore + 1, 'the refunded unit is back in stock');
    assert.deepEqual(errors, []);
    await ctx.close();
  }));

  test('a 仅退款 rejected in 售后 releases the held unit: the merchant ships it', { timeout: 180_000 }, () => showingFailures('rejected', async () => {
    const o = await paidOrder(2);
    ok(await shipViaApi(o.id, { lines: [{ line_id: o.lineId, quantity: 1 }] }), 201);
    const req = await requestOf({ order_id: o.id, line_id: o.lineId, type: 'refund_only', reason: 'no_longer_needed', quantity: 1 });

    const { ctx, page, errors } = await merchantAt('/merchant/aftersales');
    const pending = requestCard(page, o.id);
    const reject = pending.getByRole('button', { name: '拒绝' });
    assert.equal(await reject.isDisabled(), true, 'a rejection needs a reason');
    await pending.getByLabel('拒绝理由').fill('已安排发货');
    await reject.click();
    await pending.waitFor({ state: 'detached' });
    const rejected = await request(req.id);
    assert.deepEqual([rejected.status, rejected.merchant_reason], ['rejected', '已安排发货']);

    await nav(page, '订单');
    const card = orderCard(page, o.id);
    await shipInUi(card);
    await card.locator('.badge', { hasText: '已发货' }).waitFor();
    assert.equal(await lineText(card), '黑 ×2 · 已发 2');
    const shipped = await order(o.id);
    assert.deepEqual([shipped.status, shipped.lines[0].shipped_quantity, shipped.lines[0].cancelled_quantity], ['shipped', 2, 0]);
    assert.deepEqual(errors, []);
    await ctx.close();
  }));

  test('returned goods: a fine return goes back into stock, a damaged one does not, an exchange ships its replacement', { timeout: 300_000 }, () => showingFailures('returns', async () => {
    const received = async (quantity: number) => {
      const o = await paidOrder(quantity);
      ok(await shipViaApi(o.id), 201);
      ok(await t.call('POST', `/api/v1/me/orders/${o.id}/confirm-receipt`, { token: buyer.token }));
      return o;
    };
    const [fine, damaged, swap] = [await received(2), await received(2), await received(1)];
    const reqs = {
      fine: await requestOf({ order_id: fine.id, line_id: fine.lineId, type: 'return_refund', reason: 'no_reason_7d', quantity: 2 }),
      damaged: await requestOf({ order_id: damaged.id, line_id: damaged.lineId, type: 'return_refund', reason: 'no_reason_7d', quantity: 2 }),
      swap: await requestOf({ order_id: swap.id, line_id: swap.lineId, type: 'exchange', reason: 'quality', quantity: 1 }),
    };

    // the merchant approves the three returns; the buyer posts them back
    const first = await merchantAt('/merchant/aftersales');
    for (const o of [fine, damaged, swap]) {
      const card = requestCard(first.page, o.id);
      await card.getByRole('button', { name: '同意' }).click();
      await card.waitFor({ state: 'detached' });
    }
    assert.deepEqual(first.errors, []);
    await first.ctx.close();
    for (const r of Object.values(reqs)) {
      assert.equal((await request(r.id)).status, 'awaiting_return');
      ok(await t.call('POST', `/api/v1/me/aftersales/${r.id}/return-shipment`, { token: buyer.token, body: { carrier: 'SANDBOX', tracking_no: trackingNo() } }));
    }
    // the sandbox carrier delivers a parcel after about 48 hours
    t.clock.advance(49 * HOUR_MS);
    await t.pump();
    buyer = await relogin(t, buyer); // access tokens last 2 h
    shop.owner.token = (await relogin(t, shop.owner)).token;
    for (const r of Object.values(reqs)) await reaches(r.id, 'return_delivered');
    const stockBefore = await onHand();

    const { ctx, page, errors } = await merchantAt('/merchant/aftersales');
    const fineCard = requestCard(page, fine.id);
    await fineCard.locator('.badge', { hasText: '退货已签收' }).waitFor();
    const keep = fineCard.getByRole('checkbox', { name: '退回的 2 件完好，放回库存' });
    assert.equal(await keep.isChecked(), true, 'returned units go back into stock by default');
    await shot(page, 'd1-returns-delivered-phone');
    await fineCard.getByRole('button', { name: '确认收到退货' }).click();
    await fineCard.waitFor({ state: 'detached' });
    await reaches(reqs.fine.id, 'refunded');
    assert.equal(await onHand(), stockBefore + 2, 'the 2 returned units are on hand again');

    const damagedCard = requestCard(page, damaged.id);
    await damagedCard.getByRole('checkbox', { name: '退回的 2 件完好，放回库存' }).uncheck();
    await damagedCard.getByRole('button', { name: '确认收到退货' }).click();
    await damagedCard.waitFor({ state: 'detached' });
    await reaches(reqs.damaged.id, 'refunded');
    assert.equal(await onHand(), stockBefore + 2, 'damaged units stay out of stock');
    const damagedLine = (await order(damaged.id)).lines[0];
    assert.equal(damagedLine.refunded_minor, damagedLine.paid_minor, 'the damaged return is refunded in full all the same');

    const swapCard = requestCard(page, swap.id);
    await swapCard.getByText('换货', { exact: true }).waitFor();
    assert.equal(await swapCard.getByRole('checkbox').count(), 0, 'an exchange has nothing to restock');
    // a tracking number of another carrier than the one chosen (the first, 顺丰) is refused, in the card
    const tracking = trackingNo();
    await swapCard.getByLabel('换货运单号').fill(tracking);
    await swapCard.getByRole('button', { name: '确认收到退货并发出换货' }).click();
    await swapCard.getByRole('alert').getByText('运单号格式不符合顺丰速运规则 (invalid_tracking_no)').waitFor();
    assert.equal((await request(reqs.swap.id)).status, 'return_delivered', 'a refused replacement changes nothing');
    await shot(page, 'd2-exchange-refused-phone');
    await swapCard.getByLabel('快递公司').selectOption({ label: '沙箱快递' });
    await swapCard.getByRole('button', { name: '确认收到退货并发出换货' }).click();
    await swapCard.waitFor({ state: 'detached' });
    await page.getByText('没有待处理的售后').waitFor();
    await shot(page, 'd3-queue-empty-phone');

    const exchanged = await request(reqs.swap.id);
    assert.equal(exchanged.status, 'exchanged');
    const parcels = ok(await t.call('GET', `/api/v1/me/orders/${swap.id}/shipments`, { token: buyer.token })).items;
    assert.deepEqual(parcels.map((s: any) => s.direction), ['outbound', 'return', 'outbound']);
    assert.deepEqual([parcels[2].id, parcels[2].carrier, parcels[2].tracking_no], [exchanged.replacement_shipment_id, 'SANDBOX', tracking]);
    assert.equal((await order(swap.id)).lines[0].refunded_minor, 0, 'an exchange moves no money');
    assert.equal(await onHand(), stockBefore + 2, 'the returned unit and its replacement cancel out');
    assert.deepEqual(errors, []);
    await ctx.close();
  }));
});
