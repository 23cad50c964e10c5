// A whole festival on the test clock, on both engines (scripts/test.ts runs it per engine).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../src/lib/clock.ts';
import { applyRateBp } from '../src/lib/money.ts';
import { createListing } from '../src/flows/create-listing.ts';
import { relogin, signedInUser } from './support/fixtures.ts';
import { payAtCashier, startPaymentsApp, storeSelling, type PaymentsTestApp } from './support/payments.ts';

let t: PaymentsTestApp;
type User = Awaited<ReturnType<typeof signedInUser>>;
let operator: User, ownerA: User, ownerB: User, buyer: User, buyer2: User;
let a: Awaited<ReturnType<typeof storeSelling>>, b: Awaited<ReturnType<typeof storeSelling>>;
let otherSku: string;
let addressId: string, address2: string;
let campaignId: string;
let T0: number;

const users = () => [operator, ownerA, ownerB, buyer, buyer2];
async function reloginAll() {
  [operator, ownerA, ownerB, buyer, buyer2] = await Promise.all(users().map((u) => relogin(t, u)));
}
/** Moves the clock to `at`, runs everything due (phase jobs, events, payments) and signs everyone in again. */
async function moveTo(at: number) {
  t.clock.set(at);
  await t.pump();
  await reloginAll();
}
const iso = (ms: number) => new Date(ms).toISOString();
const ok = (r: { status: number; body: any }, status = 200) => {
  assert.equal(r.status, status, JSON.stringify(r.body));
  return r.body;
};
const address = { recipient: '李四', phone: '13812345678', province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路1号' };

before(async () => {
  t = await startPaymentsApp();
  T0 = t.clock.now();
  [operator, ownerA, ownerB, buyer, buyer2] = [await signedInUser(t, ['operator']), await signedInUser(t), await signedInUser(t), await signedInUser(t), await signedInUser(t)];
  a = await storeSelling(t, ownerA.id, '星河数码', { fee_rate_bp: 500, price_minor: 10000, stock: 200 }); // 5% category
  b = await storeSelling(t, ownerB.id, '山野茶铺', { fee_rate_bp: 200, price_minor: 5000, stock: 200 }); // 2% category
  const other = await createListing(t.ctx, a.store.id, { category_id: a.categoryId, title: '星河数码 数据线', skus: [{ spec: { 规格: '1米' }, price_minor: 6000 }], stock: [100] }, ownerA.id);
  otherSku = other.skus[0].id;
  addressId = ok(await t.call('POST', '/api/v1/me/addresses', { token: buyer.token, body: address }), 201).id;
  address2 = ok(await t.call('POST', '/api/v1/me/addresses', { token: buyer2.token, body: address }), 201).id;
});
after(() => t.close());

describe('双11好物节, end to end', () => {
  test('create → register (a fake discount refused) → review → warm-up → selling → pay → settle → report equals the ledger', async () => {
    // ── the operator creates the campaign ──
    const created = await t.call('POST', '/api/v1/console/campaigns', {
      token: operator.token,
      body: {
        name: '双11好物节', description: '全场每满50减5',
        registration_start: iso(T0 + HOUR_MS), review_start: iso(T0 + DAY_MS), warmup_start: iso(T0 + 2 * DAY_MS), selling_start: iso(T0 + 3 * DAY_MS), selling_end: iso(T0 + 4 * DAY_MS),
        rules: { store_types: ['enterprise'], category_ids: [a.categoryId, b.categoryId], min_discount_bp: 500, min_stock: 5 },
        fee_rate_bp: 100,
        threshold: { rule: { kind: 'every', step_minor: 5000, off_minor: 500 }, funder: 'platform', stacks_with: ['*'] },
        sections: [{ key: 'digital', title: '数码会场', kind: 'category', category_ids: [a.categoryId] }, { key: 'picks', title: '好物精选', kind: 'theme', product_ids: [b.product.id] }],
      },
    });
    const campaign = ok(created, 201);
    campaignId = campaign.id;
    assert.equal(campaign.phase, 'scheduled');
    const refusedTimes = await t.call('POST', '/api/v1/console/campaigns', {
      token: operator.token, body: { name: '乱序', registration_start: iso(T0 + DAY_MS), review_start: iso(T0 + HOUR_MS), warmup_start: iso(T0 + 2 * DAY_MS), selling_start: iso(T0 + 3 * DAY_MS), selling_end: iso(T0 + 4 * DAY_MS), rules: {} },
    });
    assert.equal(refusedTimes.status, 422);
    assert.equal(refusedTimes.body.error.details.problems[0].code, 'phases_out_of_order');

    const register = (owner: User, storeId: string, body: Record<string, unknown>) =>
      t.call('POST', `/api/v1/merchant/stores/${storeId}/campaigns/${campaignId}/registrations`, { token: owner.token, body });
    assert.equal((await register(ownerA, a.store.id, { sku_id: a.sku, campaign_price_minor: 8000, campaign_stock: 50 })).body.error.code, 'registration_closed');

    // ── registration (报名) ──
    await moveTo(T0 + HOUR_MS);
    assert.equal(ok(await t.call('GET', `/api/v1/console/campaigns/${campaignId}`, { token: operator.token })).phase, 'registration');
    assert.equal(ok(await t.call('GET', `/api/v1/merchant/stores/${b.store.id}/campaigns`, { token: ownerB.token })).items[0].id, campaignId);
    // 先涨后降: B raises ¥50 → ¥80 and offers "¥60" — but it sold at ¥50 within 30 days.
    await t.ctx.catalog.setSkuPrice(b.store.id, b.sku, { price_minor: 8000 }, ownerB.id);
    const fake = await register(ownerB, b.store.id, { sku_id: b.sku, campaign_price_minor: 6000, campaign_stock: 40 });
    assert.equal(fake.status, 422, JSON.stringify(fake.body));
    assert.equal(fake.body.error.code, 'registration_refused');
    assert.deepEqual(fake.body.error.details.problems.map((p: any) => p.code), ['discount_not_real']);
    assert.match(fake.body.error.message_zh, /近30天最低价¥50\.00至少低5%，即不高于¥47\.50/);
    const tooFew = await register(ownerB, b.store.id, { sku_id: b.sku, campaign_price_minor: 4500, campaign_stock: 2 });
    assert.deepEqual(tooFew.body.error.details.problems.map((p: any) => p.code), ['stock_below_minimum']);
    const regB = ok(await register(ownerB, b.store.id, { sku_id: b.sku, campaign_price_minor: 4500, campaign_stock: 40 }), 201);
    assert.equal(regB.low_30d_minor, 5000);
    const regA = ok(await register(ownerA, a.store.id, { sku_id: a.sku, campaign_price_minor: 8000, campaign_stock: 50 }), 201);
    const regOther = ok(await register(ownerA, a.store.id, { sku_id: otherSku, campaign_price_minor: 5000, campaign_stock: 10 }), 201);
    assert.equal((await register(ownerA, a.store.id, { sku_id: a.sku, campaign_price_minor: 7000, campaign_stock: 50 })).status, 409);

    // ── review (审核), in bulk ──
    await moveTo(T0 + DAY_MS);
    const reviewed = ok(await t.call('POST', `/api/v1/console/campaigns/${campaignId}/registrations/review`, {
      token: operator.token,
      body: { decisions: [{ registration_id: regA.id, decision: 'approve' }, { registration_id: regB.id, decision: 'approve' }, { registration_id: regOther.id, decision: 'reject', reason: '主图不清晰' }] },
    }));
    assert.deepEqual(reviewed.results.map((r: any) => r.status), ['approved', 'approved', 'rejected']);
    const again = ok(await t.call('POST', `/api/v1/console/campaigns/${campaignId}/registrations/review`, { token: operator.token, body: { decisions: [{ registration_id: regA.id, decision: 'reject' }] } }));
    assert.equal(again.results[0].code, 'not_pending');
    const mine = ok(await t.call('GET', `/api/v1/merchant/stores/${a.store.id}/campaign-registrations?campaign_id=${campaignId}`, { token: ownerA.token }));
    assert.equal(mine.items.find((r: any) => r.id === regOther.id).review_note, '主图不清晰');
    // a pre-sale (预售) on A's approved item: ¥80, deposit ¥10 counting as ¥20 (定金膨胀)
    const presaleOffer = ok(await t.call('PUT', `/api/v1/merchant/stores/${a.store.id}/campaign-registrations/${regA.id}/presale`, {
      token: ownerA.token, body: { price_minor: 8000, deposit_minor: 1000, deposit_value_minor: 2000, stock: 10 },
    }));

    // a reservation coupon (预约领券): budget 1 — the second buyer is too late
    const offer = ok(await t.call('POST', `/api/v1/console/campaigns/${campaignId}/reservation-offers`, {
      token: operator.token, body: { name: '双11预约券 满100减10', coupon: { kind: 'threshold', off_minor: 1000, threshold_minor: 10000 }, budget: 1, per_buyer_limit: 1 },
    }), 201);
    assert.equal((await t.call('POST', `/api/v1/campaigns/${campaignId}/reservation-offers/${offer.id}/reserve`, { token: buyer.token })).body.error.code, 'reservation_closed');

    // ── warm-up (预热): the venue is visible, reservations open ──
    await moveTo(T0 + 2 * DAY_MS);
    const venue = ok(await t.call('GET', `/api/v1/campaigns/${campaignId}/venue`));
    assert.equal(venue.campaign.phase, 'warmup');
    assert.deepEqual(venue.sections.map((s: any) => [s.key, s.items.map((i: any) => i.sku_id)]), [['digital', [a.sku]], ['picks', [b.sku]]]);
    ok(await t.call('POST', `/api/v1/campaigns/${campaignId}/reservation-offers/${offer.id}/reserve`, { token: buyer.token }), 201);
    // buyer2 pays a pre-sale deposit in warm-up (its own payment)
    const offers = ok(await t.call('GET', `/api/v1/campaigns/${campaignId}/presale-offers`));
    assert.deepEqual(offers.items.map((o: any) => o.id), [presaleOffer.id]);
    const presale = ok(await t.call('POST', '/api/v1/presale-orders', { token: buyer2.token, body: { offer_id: presaleOffer.id, quantity: 1, address_id: address2 } }), 201);
    const depositPay = ok(await t.call('POST', `/api/v1/presale-orders/${presale.order_id}/deposit/pay`, { token: buyer2.token, body: {} }));
    assert.equal(depositPay.payment.amount_minor, 1000);
    await payAtCashier(depositPay.payment.pay_page_url);
    await t.pump();
    assert.equal(ok(await t.call('GET', `/api/v1/presale-orders/${presale.order_id}`, { token: buyer2.token })).stage, 'deposit_paid');
    const late = await t.call('POST', `/api/v1/campaigns/${campaignId}/reservation-offers/${offer.id}/reserve`, { token: buyer2.token });
    assert.equal(late.status, 422);
    assert.equal(late.body.error.code, 'reservations_full');
    // before selling the campaign price does not apply
    const early = ok(await t.call('POST', '/api/v1/checkout/preview', { token: buyer.token, body: { items: [{ sku_id: a.sku, quantity: 1 }] } }));
    assert.equal(early.total_minor, 10000);

    // ── selling: reserved coupons issued, campaign prices, 满50减5 stacked on a store coupon ──
    await moveTo(T0 + 3 * DAY_MS);
    const reservations = ok(await t.call('GET', `/api/v1/campaigns/${campaignId}/my-reservations`, { token: buyer.token }));
    assert.equal(reservations.items[0].status, 'issued');
    const wallet = ok(await t.call('GET', '/api/v1/me/coupons?state=usable', { token: buyer.token }));
    assert.ok(wallet.items.some((c: any) => c.id === reservations.items[0].coupon_id));
    const storeCoupon = ok(await t.call('POST', `/api/v1/merchant/stores/${a.store.id}/coupons`, {
      token: ownerA.token, body: { name: '满80减10', kind: 'threshold', threshold_minor: 8000, off_minor: 1000, valid_from: iso(t.clock.now()), valid_to: iso(T0 + 4 * DAY_MS), total_quantity: 100, per_buyer_limit: 1 },
    }), 201);
    const claimed = ok(await t.call('POST', `/api/v1/coupons/${storeCoupon.id}/claim`, { token: buyer.token }), 201);

    // A ¥80 (campaign) − ¥10 store coupon = ¥70; B 2 × ¥45 = ¥90; across stores ¥160 → 每满50减5 = ¥15 → ¥145
    const placed = ok(await t.call('POST', '/api/v1/checkouts', {
      token: buyer.token, body: { items: [{ sku_id: a.sku, quantity: 1 }, { sku_id: b.sku, quantity: 2 }], address_id: addressId, coupon_ids: [claimed.id] },
    }), 201);
    assert.equal(placed.total_minor, 14500);
    // the rejected SKU sells at its own price, category fee, no campaign
    const plain = ok(await t.call('POST', '/api/v1/checkouts', { token: buyer2.token, body: { items: [{ sku_id: otherSku, quantity: 1 }], address_id: address2 } }), 201);
    assert.equal(plain.total_minor, 6000);

    const orderOf = async (u: User, id: string) => ok(await t.call('GET', `/api/v1/me/orders/${id}`, { token: u.token }));
    const campaignOrders = await Promise.all(placed.order_ids.map((id: string) => orderOf(buyer, id)));
    for (const o of campaignOrders) {
      for (const l of o.lines) {
        assert.equal(l.campaign_id, campaignId);
        assert.equal(l.unit_price_minor, l.sku_id === a.sku ? 8000 : 4500);
        assert.ok(l.discounts.some((d: any) => d.campaign_id === campaignId && d.funder === 'platform'), 'the 满减 is the campaign’s, platform-funded');
      }
    }
    const plainOrder = await orderOf(buyer2, plain.order_ids[0]);
    assert.equal(plainOrder.lines[0].campaign_id, null);

    // ── payments ──
    await t.payCheckout(buyer.token, placed.checkout_id);
    await t.payCheckout(buyer2.token, plain.checkout_id);

    // rankings move from the order events, served from memory
    const best = ok(await t.call('GET', `/api/v1/campaigns/${campaignId}/rankings?kind=best_sellers`));
    assert.deepEqual(best.items.map((i: any) => [i.sku_id, i.sold_units]), [[b.sku, 2], [a.sku, 1]]);
    const trending = ok(await t.call('GET', `/api/v1/campaigns/${campaignId}/rankings?kind=trending`));
    assert.deepEqual(trending.items.map((i: any) => [i.sku_id, i.velocity_units]), [[b.sku, 2], [a.sku, 1]]);
    const perCategory = ok(await t.call('GET', `/api/v1/campaigns/${campaignId}/rankings?kind=category&category_id=${a.categoryId}`));
    assert.deepEqual(perCategory.items.map((i: any) => i.sku_id), [a.sku]);

    // the pre-sale balance in its window: ¥80 − ¥20 (inflated deposit) = ¥60, 每满50减5 → ¥55
    const balance = ok(await t.call('POST', `/api/v1/presale-orders/${presale.order_id}/balance/pay`, { token: buyer2.token, body: { expected_balance_minor: 5500 } }));
    await payAtCashier(balance.payment.pay_page_url);
    await t.pump();
    const presaleOrder = await orderOf(buyer2, presale.order_id);
    assert.equal(presaleOrder.status, 'paid');
    assert.equal(presaleOrder.lines[0].paid_minor, 6500);
    assert.equal(presaleOrder.lines[0].campaign_id, campaignId);

    // ── ship, receive, settle (7 days after completion) ──
    const all = [...campaignOrders.map((o: any) => ({ o, u: buyer })), { o: plainOrder, u: buyer2 }, { o: presaleOrder, u: buyer2 }];
    let seq = 0;
    for (const { o, u } of all) {
      const owner = o.store_id === a.store.id ? ownerA : ownerB;
      ok(await t.call('POST', `/api/v1/merchant/stores/${o.store_id}/orders/${o.id}/shipments`, { token: owner.token, body: { carrier: 'SF', tracking_no: `SF${2_000_000_000_000 + ++seq}` } }), 201);
      ok(await t.call('POST', `/api/v1/me/orders/${o.id}/confirm-receipt`, { token: u.token }));
    }
    await moveTo(t.clock.now() + 7 * DAY_MS + MINUTE_MS);

    const transfer = async (id: string) => (await t.ctx.ledger.getTransfer(t.ctx.db.kysely, id))?.amount_minor ?? 0;
    // participating items: the campaign rate (1%); the other item: its category rate (5%)
    for (const o of [...campaignOrders, presaleOrder]) {
      const expected = o.lines.reduce((s: number, l: any) => s + applyRateBp(l.paid_minor, 100), 0);
      assert.equal(await transfer(`settle:${o.id}:fee`), expected, `order ${o.id} is charged 1%`);
    }
    assert.equal(await transfer(`settle:${plainOrder.id}:fee`), applyRateBp(6000, 500));

    // ── the report equals the ledger ──
    const report = ok(await t.call('GET', `/api/v1/console/campaigns/${campaignId}/report`, { token: operator.token }));
    let pay = 0, fee = 0, subsidy = 0;
    for (const o of [...campaignOrders, presaleOrder]) {
      pay += (await transfer(`pay:${o.id}`)) + (await transfer(`pay:${o.id}:deposit`)); // a pre-sale order: balance + deposit
      fee += await transfer(`settle:${o.id}:fee`);
      subsidy += await transfer(`settle:${o.id}:subsidy`);
    }
    assert.equal(report.gmv_minor, 14500 + 6500);
    assert.equal(report.gmv_minor, pay);
    assert.equal(report.fee_income_minor, fee);
    assert.equal(report.discount.platform_minor, subsidy);
    assert.equal(report.discount.platform_minor, 1500 + 500);
    assert.equal(report.discount.merchant_minor, 1000 + 1000); // the store coupon, the deposit inflation
    assert.equal(report.discount.campaign_offers_minor, 1500 + 500 + 1000);
    assert.equal(report.orders, 3);
    assert.equal(report.units, 4);
    assert.equal(report.participating_items, 2);
    assert.equal(report.participating_stores, 2);
    assert.deepEqual(report.top_items.map((i: any) => [i.sku_id, i.units]), [[a.sku, 2], [b.sku, 2]].sort((x, y) => (x[0] < y[0] ? -1 : 1)));
    assert.equal(report.presale.deposits_taken_minor, await transfer(`pay:${presaleOrder.id}:deposit`));
    assert.deepEqual([report.presale.deposit_orders, report.presale.balance_paid_orders, report.presale.forfeited_minor], [1, 1, 0]);
  });

  test('withdrawal is refused once selling has started; the campaign ends on schedule', async () => {
    const regs = ok(await t.call('GET', `/api/v1/merchant/stores/${b.store.id}/campaign-registrations`, { token: ownerB.token }));
    const w = await t.call('POST', `/api/v1/merchant/stores/${b.store.id}/campaign-registrations/${regs.items[0].id}/withdraw`, { token: ownerB.token });
    assert.equal(w.status, 422);
    assert.equal(w.body.error.code, 'withdraw_closed');
    await moveTo(Math.max(t.clock.now(), T0 + 4 * DAY_MS));
    assert.equal(ok(await t.call('GET', `/api/v1/console/campaigns/${campaignId}`, { token: operator.token })).phase, 'ended');
    assert.equal((await t.call('GET', `/api/v1/campaigns/${campaignId}/venue`)).status, 404);
  });
});
