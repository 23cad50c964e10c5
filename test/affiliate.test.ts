// A database test on both engines (startPaymentsApp underneath: scripts/test.ts runs it per engine).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DAY_MS, MINUTE_MS } from '../src/lib/clock.ts';
import { applyRateBp } from '../src/lib/money.ts';
import { prorate } from '../src/modules/payments/index.ts';
import { relogin, signedInUser } from './support/fixtures.ts';
import { assertBooksBalance } from './support/onboarding.ts';
import { balanceOf, startPaymentsApp, storeSelling, type PaymentsTestApp } from './support/payments.ts';

let t: PaymentsTestApp;
const videos = new Map<string, string>();
type User = Awaited<ReturnType<typeof signedInUser>>;
let buyer: User, owner: User, otherOwner: User, creator: User, star: User, operator: User;
let shop: Awaited<ReturnType<typeof storeSelling>>, shop2: Awaited<ReturnType<typeof storeSelling>>, other: Awaited<ReturnType<typeof storeSelling>>;
let addressId: string;

before(async () => {
  t = await startPaymentsApp();
  [buyer, owner, otherOwner] = [await signedInUser(t), await signedInUser(t), await signedInUser(t)];
  creator = await signedInUser(t, ['buyer', 'creator']);
  star = await signedInUser(t, ['buyer', 'creator']);
  operator = await signedInUser(t, ['operator']);
  shop = await storeSelling(t, owner.id, '联盟甲店', { fee_rate_bp: 200, price_minor: 9900 });
  other = await storeSelling(t, otherOwner.id, '联盟乙店', { fee_rate_bp: 500, price_minor: 5000 });
  addressId = (await t.call('POST', '/api/v1/me/addresses', { token: buyer.token, body: { recipient: '孙八', phone: '13812345679', province: '广东省', city: '深圳市', district: '南山区', detail: '科技园1号' } })).body.id;
});
after(() => t.close());

const offers = (storeId = shop.store.id) => `/api/v1/merchant/stores/${storeId}/affiliate/offers`;
async function reloginAll() {
  [buyer, owner, otherOwner, creator, star, operator] = await Promise.all([buyer, owner, otherOwner, creator, star, operator].map((u) => relogin(t, u)));
}
/** A creator's published video linking products (checkout verifies a creator claim against published content). */
async function creatorVideo(who: User, productIds: string[]): Promise<string> {
  const owner = { kind: 'creator' as const, creator_id: who.id };
  const c = await t.ctx.content.createContent(owner, { kind: 'video', title: '好物测评', video_url: 'https://video.example/review.mp4', product_ids: productIds }, who.id);
  await t.ctx.content.publishContent(owner, c.id);
  return c.id;
}
async function buy(sku: string, quantity: number, attribution?: Record<string, unknown>) {
  const c = await t.call('POST', '/api/v1/checkouts', { token: buyer.token, body: { items: [{ sku_id: sku, quantity, ...(attribution ? { attribution } : {}) }], address_id: addressId } });
  assert.equal(c.status, 201, JSON.stringify(c.body));
  await t.payCheckout(buyer.token, c.body.checkout_id);
  const o = (await t.call('GET', `/api/v1/me/orders/${c.body.order_ids[0]}`, { token: buyer.token })).body;
  assert.equal(o.status, 'paid');
  return o;
}
let tracking = 0;
async function complete(o: any, ownerToken: string) {
  const shipped = await t.call('POST', `/api/v1/merchant/stores/${o.store_id}/orders/${o.id}/shipments`, { token: ownerToken, body: { carrier: 'SF', tracking_no: `SF${2_000_000_000_000 + ++tracking}` } });
  assert.equal(shipped.status, 201, JSON.stringify(shipped.body));
  assert.equal((await t.call('POST', `/api/v1/me/orders/${o.id}/confirm-receipt`, { token: buyer.token })).body.status, 'completed');
}
async function settle() {
  await t.pump();
  t.clock.advance(7 * DAY_MS + MINUTE_MS);
  await t.pump();
  await reloginAll();
}

describe('the affiliate pool', () => {
  test('a merchant offers a product at a rate within 1%–50%, with an exclusive rate for a named creator', async () => {
    const low = await t.call('POST', offers(), { token: owner.token, body: { product_id: shop.product.id, rate_bp: 50 } });
    assert.equal(low.status, 400);
    assert.equal(low.body.error.code, 'rate_out_of_bounds');
    const high = await t.call('POST', offers(), { token: owner.token, body: { product_id: shop.product.id, rate_bp: 5001 } });
    assert.equal(high.body.error.code, 'rate_out_of_bounds');
    const notCreator = await t.call('POST', offers(), { token: owner.token, body: { product_id: shop.product.id, rate_bp: 1500, exclusive_rates: [{ creator_id: buyer.id, rate_bp: 2500 }] } });
    assert.equal(notCreator.status, 422);
    assert.equal(notCreator.body.error.code, 'not_a_creator');
    const foreign = await t.call('POST', offers(), { token: owner.token, body: { product_id: other.product.id, rate_bp: 1500 } });
    assert.equal(foreign.status, 404, "another store's product cannot be offered");

    const r = await t.call('POST', offers(), { token: owner.token, body: { product_id: shop.product.id, rate_bp: 1500, exclusive_rates: [{ creator_id: star.id, rate_bp: 2500 }] } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.status, 'active');
    assert.equal(r.body.price_minor, 9900);
    assert.deepEqual(r.body.exclusive_rates, [{ creator_id: star.id, rate_bp: 2500 }]);
    assert.equal((await t.call('POST', offers(), { token: owner.token, body: { product_id: shop.product.id, rate_bp: 1000 } })).status, 409, 'one offer per product');
    assert.equal((await t.call('GET', offers(), { token: owner.token })).body.items.length, 1);
    assert.equal((await t.call('GET', offers(), { token: otherOwner.token })).status, 404, "another store's staff see nothing");
    assert.equal((await t.call('POST', offers(), { token: otherOwner.token, body: { product_id: shop.product.id, rate_bp: 1500 } })).status, 404);
  });

  test('creators browse the pool sorted by rate and see their own rate; other roles may not', async () => {
    shop2 = await storeSelling(t, owner.id, '联盟甲店二号', { fee_rate_bp: 200, price_minor: 19900 });
    assert.equal((await t.call('POST', offers(shop2.store.id), { token: owner.token, body: { product_id: shop2.product.id, rate_bp: 3000 } })).status, 201);
    const pool = await t.call('GET', '/api/v1/creator/pool', { token: creator.token });
    assert.equal(pool.status, 200, JSON.stringify(pool.body));
    assert.deepEqual(pool.body.items.map((i: any) => [i.product_id, i.rate_bp, i.exclusive]), [[shop2.product.id, 3000, false], [shop.product.id, 1500, false]]);
    const starPool = await t.call('GET', `/api/v1/creator/pool?store_id=${shop.store.id}`, { token: star.token });
    assert.deepEqual(starPool.body.items.map((i: any) => [i.product_id, i.rate_bp, i.exclusive]), [[shop.product.id, 2500, true]]);
    const byPrice = await t.call('GET', '/api/v1/creator/pool?sort=price_asc&limit=1', { token: creator.token });
    assert.deepEqual(byPrice.body.items.map((i: any) => i.product_id), [shop.product.id]);
    const next = await t.call('GET', `/api/v1/creator/pool?sort=price_asc&limit=1&cursor=${byPrice.body.next_cursor}`, { token: creator.token });
    assert.deepEqual(next.body.items.map((i: any) => i.product_id), [shop2.product.id]);
    assert.equal((await t.call('GET', '/api/v1/creator/pool?min_rate_bp=2000', { token: creator.token })).body.items.length, 1);
    assert.deepEqual((await t.call('GET', `/api/v1/creator/pool?q=${encodeURIComponent('甲店二号')}`, { token: creator.token })).body.items.map((i: any) => i.product_id), [shop2.product.id]);
    assert.equal((await t.call('GET', '/api/v1/creator/pool', { token: buyer.token })).status, 403, 'buyers are not creators');
  });

  test('a creator selects products (idempotently) and may sell only what they selected', async () => {
    const first = await t.call('POST', '/api/v1/creator/selections', { token: creator.token, body: { product_id: shop.product.id } });
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal(first.body.rate_bp, 1500);
    const again = await t.call('POST', '/api/v1/creator/selections', { token: creator.token, body: { product_id: shop.product.id } });
    assert.equal(again.status, 200);
    assert.equal(again.body.selection_id, first.body.selection_id);
    assert.equal((await t.call('POST', '/api/v1/creator/selections', { token: creator.token, body: { product_id: other.product.id } })).status, 404, 'not in the pool');
    assert.equal(await t.ctx.affiliate.creatorMaySell(creator.id, shop.product.id), true);
    assert.equal(await t.ctx.affiliate.creatorMaySell(star.id, shop.product.id), false, 'not selected');
    assert.equal(await t.ctx.affiliate.rateFor(creator.id, shop.product.id), 1500);

    assert.equal((await t.call('POST', '/api/v1/creator/selections', { token: creator.token, body: { product_id: shop2.product.id } })).status, 201);
    assert.equal((await t.call('DELETE', `/api/v1/creator/selections/${shop2.product.id}`, { token: creator.token })).status, 204);
    assert.equal(await t.ctx.affiliate.creatorMaySell(creator.id, shop2.product.id), false);
    const mine = await t.call('GET', '/api/v1/creator/selections', { token: creator.token });
    assert.deepEqual(mine.body.items.map((s: any) => [s.product_id, s.offer_status, s.rate_bp]), [[shop.product.id, 'active', 1500]]);
    assert.equal((await t.call('POST', '/api/v1/creator/selections', { token: star.token, body: { product_id: shop.product.id } })).body.rate_bp, 2500);
  });
});

describe('commission through the ledger', () => {
  let order: any;
  let commission: number;

  test("a creator-attributed order is paid at the rate valid then, settles minus fee and commission, and the creator's account holds the commission", async () => {
    videos.set(creator.id, await creatorVideo(creator, [shop.product.id]));
    order = await buy(shop.sku, 2, { channel: 'video', content_id: videos.get(creator.id), creator_id: creator.id });
    const line = order.lines[0];
    assert.equal(line.creator_id, creator.id);
    assert.equal(line.content_id, videos.get(creator.id));
    assert.equal(line.paid_minor, 19800);
    // The merchant raises the public rate after the purchase: the paid order keeps 15%.
    const offerId = (await t.call('GET', offers(), { token: owner.token })).body.items[0].id;
    assert.equal((await t.call('PATCH', `${offers()}/${offerId}`, { token: owner.token, body: { rate_bp: 3000 } })).body.rate_bp, 3000);
    commission = applyRateBp(19800, 1500);
    const pending = await t.call('GET', '/api/v1/creator/orders', { token: creator.token });
    assert.equal(pending.status, 200);
    assert.deepEqual(pending.body.items.map((l: any) => [l.rate_bp, l.commission_minor, l.commission_status, l.order_status]), [[1500, commission, 'pending', 'paid']]);
    assert.deepEqual(await (await t.call('GET', '/api/v1/creator/earnings', { token: creator.token })).body, { currency: 'CNY', pending_minor: commission, pending_orders: 1, settled_minor: 0, reversed_minor: 0, balance_minor: 0 });

    const availableBefore = await balanceOf(t, 'merchant_available', shop.store.id);
    await complete(order, owner.token);
    await settle();
    const fee = applyRateBp(19800, 200);
    assert.equal(await balanceOf(t, 'merchant_available', shop.store.id) - availableBefore, 19800 - fee - commission, 'merchant gets paid − fee − commission');
    assert.equal(await balanceOf(t, 'creator_commission_payable', creator.id), commission);
    assert.equal(await balanceOf(t, 'platform_escrow', shop.store.id), 0);
    await assertBooksBalance(t);
    const earned = (await t.call('GET', '/api/v1/creator/earnings', { token: creator.token })).body;
    assert.deepEqual(earned, { currency: 'CNY', pending_minor: 0, pending_orders: 0, settled_minor: commission, reversed_minor: 0, balance_minor: commission });
    const settled = (await t.call('GET', '/api/v1/creator/orders', { token: creator.token })).body.items[0];
    assert.deepEqual([settled.commission_status, settled.commission_minor, settled.order_status], ['settled', commission, 'completed']);
  });

  test('the creator sees the order without any buyer personal data', async () => {
    const body = (await t.call('GET', '/api/v1/creator/orders', { token: creator.token })).body;
    const text = JSON.stringify(body);
    for (const secret of [order.id, buyer.id, buyer.phone, '孙八', '13812345679', '科技园', order.checkout_id]) assert.ok(!text.includes(secret), `creator view leaks ${secret}`);
    for (const key of ['buyer_id', 'address', 'recipient', 'phone', 'buyer_note']) assert.ok(!text.includes(`"${key}"`), `creator view has ${key}`);
    assert.match(body.items[0].order_no, /^ord_.{4}\*{4}.{4}$/);
    assert.equal((await t.call('GET', '/api/v1/creator/orders', { token: star.token })).body.items.length, 0, "another creator's orders are not mine");
  });

  test('a refund after settlement takes the commission back in proportion, and the books still balance', async () => {
    const refund = await t.call('POST', '/api/v1/console/payments/refunds', {
      token: operator.token, body: { order_id: order.id, reason: '部分退款', out_refund_no: `rf_${order.id}_aff`, lines: [{ line_id: order.lines[0].id, amount_minor: 4950 }] },
    });
    assert.equal(refund.status, 200, JSON.stringify(refund.body));
    await t.pump();
    const back = prorate(commission, 4950, 19800);
    assert.equal(back, 743);
    assert.equal(await balanceOf(t, 'creator_commission_payable', creator.id), commission - back);
    await assertBooksBalance(t);
    const earned = (await t.call('GET', '/api/v1/creator/earnings', { token: creator.token })).body;
    assert.deepEqual([earned.settled_minor, earned.reversed_minor, earned.balance_minor], [commission, back, commission - back]);
    const line = (await t.call('GET', '/api/v1/creator/orders', { token: creator.token })).body.items[0];
    assert.deepEqual([line.refunded_minor, line.commission_minor, line.commission_status], [4950, commission - back, 'settled']);
  });

  test('an exclusive rate applies to its creator; a line the creator no longer had selected earns nothing', async () => {
    const exclusive = await buy(shop.sku, 1, { channel: 'video', content_id: await creatorVideo(star, [shop.product.id]), creator_id: star.id });
    assert.equal((await t.call('POST', offers(other.store.id), { token: otherOwner.token, body: { product_id: other.product.id, rate_bp: 1000 } })).status, 201);
    await t.ctx.affiliate.select(creator.id, other.product.id);
    const video = await creatorVideo(creator, [other.product.id]);
    await t.ctx.affiliate.unselect(creator.id, other.product.id);
    const notPooled = await buy(other.sku, 1, { channel: 'video', content_id: video, creator_id: creator.id });
    assert.equal(notPooled.lines[0].creator_id, creator.id);
    await complete(exclusive, owner.token);
    await complete(notPooled, otherOwner.token);
    const otherBefore = await balanceOf(t, 'merchant_available', other.store.id);
    await settle();
    assert.equal(await balanceOf(t, 'creator_commission_payable', star.id), applyRateBp(9900, 2500));
    assert.equal(await balanceOf(t, 'merchant_available', other.store.id) - otherBefore, 5000 - applyRateBp(5000, 500), 'no commission taken from the merchant');
    const lines = (await t.call('GET', '/api/v1/creator/orders', { token: creator.token })).body.items;
    assert.deepEqual(lines.map((l: any) => [l.store_id, l.commission_status, l.ineligible_reason, l.commission_minor]), [
      [other.store.id, 'none', 'not_selected', 0],
      [shop.store.id, 'settled', null, commission - 743],
    ]);
    await assertBooksBalance(t);
  });

  test('the merchant sees which creators sell its products, with orders, GMV and commission', async () => {
    const r = await t.call('GET', `/api/v1/merchant/stores/${shop.store.id}/affiliate/creators`, { token: owner.token });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body.items.map((c: any) => [c.creator_id, c.orders, c.gmv_minor, c.commission_minor, c.selected_products]), [
      [creator.id, 1, 19800 - 4950, commission - 743, 1],
      [star.id, 1, 9900, applyRateBp(9900, 2500), 1],
    ]);
    assert.ok(r.body.items.every((c: any) => c.display_name.startsWith('测试')));
    assert.equal((await t.call('GET', `/api/v1/merchant/stores/${shop.store.id}/affiliate/creators`, { token: otherOwner.token })).status, 404);
    assert.equal((await t.call('GET', `/api/v1/merchant/stores/${other.store.id}/affiliate/creators`, { token: otherOwner.token })).body.items[0].commission_minor, 0);
  });

  test('a withdrawn offer earns nothing on orders paid afterwards', async () => {
    const offerId = (await t.call('GET', offers(), { token: owner.token })).body.items[0].id;
    const w = await t.call('POST', `${offers()}/${offerId}/withdraw`, { token: owner.token });
    assert.equal(w.body.status, 'ended');
    assert.equal(await t.ctx.affiliate.creatorMaySell(creator.id, shop.product.id), false);
    const o = await buy(shop.sku, 1, { channel: 'video', content_id: videos.get(creator.id), creator_id: creator.id });
    assert.equal(o.lines[0].creator_id, creator.id, 'the published video still links the product');
    await t.pump();
    const line = (await t.call('GET', '/api/v1/creator/orders?limit=1', { token: creator.token })).body.items[0];
    assert.deepEqual([line.paid_minor, line.ineligible_reason, line.commission_minor], [o.lines[0].paid_minor, 'offer_inactive', 0]);
    assert.equal((await t.call('GET', '/api/v1/creator/selections', { token: creator.token })).body.items[0].offer_status, 'ended');
    // Putting it back reopens the same offer with new terms.
    const back = await t.call('POST', offers(), { token: owner.token, body: { product_id: shop.product.id, rate_bp: 1200 } });
    assert.equal(back.status, 201);
    assert.equal(back.body.id, offerId);
    assert.equal(await t.ctx.affiliate.rateFor(creator.id, shop.product.id), 1200);
  });
});

describe('eligibility at purchase time', () => {
  test('a creator line whose product is not in the pool (or is in another store’s pool) earns nothing', async () => {
    const outsider = await signedInUser(t, ['creator']);
    const line = (id: string, productId: string) => ({ line_id: id, product_id: productId, title: '测试', quantity: 1, paid_minor: 1000, refunded_minor: 0, creator_id: outsider.id, channel: 'live', content_id: null });
    const paidAt = t.clock.now();
    await t.ctx.db.transaction((tx) => t.ctx.affiliate.snapshotOrder(tx, { id: 'ord_01M8TESTNOTINPOOL000000000', store_id: other.store.id, status: 'paid', paid_at: paidAt }, [
      line('oli_01M8TESTNOTINPOOL000000001', shop.product.id), // shop's product sold as if by another store
      line('oli_01M8TESTNOTINPOOL000000002', 'prd_01M8TESTNEVEROFFERED000000'),
    ]));
    for (const id of ['oli_01M8TESTNOTINPOOL000000001', 'oli_01M8TESTNOTINPOOL000000002']) assert.equal(await t.ctx.db.transaction((tx) => t.ctx.affiliate.lineRate(tx, id)), 0);
    const lines = (await t.ctx.affiliate.creatorOrders(outsider.id, {})).items;
    assert.deepEqual(lines.map((l) => [l.ineligible_reason, l.commission_status, l.commission_minor]), [['not_in_pool', 'none', 0], ['not_in_pool', 'none', 0]]);
  });

  test('content may link only products the creator may sell now', async () => {
    assert.deepEqual([...await t.ctx.affiliate.creatorMayLink(creator.id, [shop.product.id, other.product.id, shop2.product.id])], [shop.product.id]);
  });
});
