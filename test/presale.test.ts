// Campaign pre-sale (预售) on the test clock, on both engines: deposit in warm-up, balance in the
// window at selling start (满减 applies), deposit inflation, forfeit at the window's end, the
// deposit refunded when the merchant cancels, exact ledger postings, the report equal to the ledger.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../src/lib/clock.ts';
import { applyRateBp } from '../src/lib/money.ts';
import { createListing } from '../src/flows/create-listing.ts';
import { FORFEIT_GRACE_MS } from '../src/modules/trade/index.ts';
import { relogin, signedInUser } from './support/fixtures.ts';
import { balanceOf, payAtCashier, startPaymentsApp, storeSelling, type PaymentsTestApp } from './support/payments.ts';
import { ledgerOfOrders } from './support/campaigns.ts';

let t: PaymentsTestApp;
type User = Awaited<ReturnType<typeof signedInUser>>;
let operator: User, owner: User, buyer: User, buyer2: User, buyer3: User, buyer4: User;
let a: Awaited<ReturnType<typeof storeSelling>>;
let hotSku: string;
let campaignId: string;
let regId: string, hotRegId: string;
let offerId: string, hotOfferId: string;
const addresses = new Map<string, string>();
let T0: number;
const SELLING = () => T0 + 3 * DAY_MS;

const users = () => [operator, owner, buyer, buyer2, buyer3, buyer4];
async function moveTo(at: number) {
  t.clock.set(at);
  await t.pump();
  [operator, owner, buyer, buyer2, buyer3, buyer4] = await Promise.all(users().map((u) => relogin(t, u)));
}
const iso = (ms: number) => new Date(ms).toISOString();
const ok = (r: { status: number; body: any }, status = 200) => {
  assert.equal(r.status, status, JSON.stringify(r.body));
  return r.body;
};
const address = { recipient: '王五', phone: '13812345678', province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路2号' };
const transfer = async (id: string) => (await t.ctx.ledger.getTransfer(t.ctx.db.kysely, id))?.amount_minor ?? 0;
const placeDeposit = (u: User, offer: string, quantity = 1) => t.call('POST', '/api/v1/presale-orders', { token: u.token, body: { offer_id: offer, quantity, address_id: addresses.get(u.id)! } });
async function payDeposit(u: User, orderId: string) {
  const r = ok(await t.call('POST', `/api/v1/presale-orders/${orderId}/deposit/pay`, { token: u.token, body: {} }));
  await payAtCashier(r.payment.pay_page_url);
  await t.pump();
  return r;
}
const presaleOf = async (u: User, orderId: string) => ok(await t.call('GET', `/api/v1/presale-orders/${orderId}`, { token: u.token }));
const offerOf = async (id: string) => (ok(await t.call('GET', `/api/v1/campaigns/${campaignId}/presale-offers`)).items as any[]).find((o) => o.id === id);
const registration = async (id: string) => (await t.ctx.campaigns.campaignRegistrations(campaignId)).find((r) => r.id === id)!;

before(async () => {
  t = await startPaymentsApp();
  T0 = t.clock.now();
  [operator, owner, buyer, buyer2, buyer3, buyer4] = [await signedInUser(t, ['operator']), await signedInUser(t), await signedInUser(t), await signedInUser(t), await signedInUser(t), await signedInUser(t)];
  a = await storeSelling(t, owner.id, '星河预售', { fee_rate_bp: 500, price_minor: 10000, stock: 300 });
  hotSku = (await createListing(t.ctx, a.store.id, { category_id: a.categoryId, title: '星河预售 限量款', skus: [{ spec: { 规格: '限量' }, price_minor: 10000 }], stock: [300] }, owner.id)).skus[0].id;
  for (const u of [buyer, buyer2, buyer3, buyer4]) addresses.set(u.id, ok(await t.call('POST', '/api/v1/me/addresses', { token: u.token, body: address }), 201).id);
  campaignId = ok(await t.call('POST', '/api/v1/console/campaigns', {
    token: operator.token,
    body: {
      name: '双11预售', registration_start: iso(T0 + HOUR_MS), review_start: iso(T0 + DAY_MS), warmup_start: iso(T0 + 2 * DAY_MS), selling_start: iso(SELLING()), selling_end: iso(T0 + 6 * DAY_MS),
      rules: {}, fee_rate_bp: 100, threshold: { rule: { kind: 'every', step_minor: 5000, off_minor: 500 }, funder: 'platform', stacks_with: ['*'] }, presale_balance_hours: 24,
    },
  }), 201).id;
  await moveTo(T0 + HOUR_MS);
  const register = async (sku: string, stock: number) => ok(await t.call('POST', `/api/v1/merchant/stores/${a.store.id}/campaigns/${campaignId}/registrations`, {
    token: owner.token, body: { sku_id: sku, campaign_price_minor: 8000, campaign_stock: stock },
  }), 201).id as string;
  regId = await register(a.sku, 100);
  hotRegId = await register(hotSku, 100);
});
after(() => t.close());

describe('campaign pre-sale (预售)', () => {
  test('a pre-sale is refused with every problem explained: deposit over 20% (Civil Code 586), value at the price, inflation over 5×', async () => {
    const put = (body: Record<string, unknown>) => t.call('PUT', `/api/v1/merchant/stores/${a.store.id}/campaign-registrations/${regId}/presale`, { token: owner.token, body });
    const bad = await put({ price_minor: 8000, deposit_minor: 2000, deposit_value_minor: 8000, stock: 500 });
    assert.equal(bad.status, 422, JSON.stringify(bad.body));
    assert.equal(bad.body.error.code, 'invalid_presale');
    assert.deepEqual(bad.body.error.details.problems.map((p: any) => p.code), ['deposit_above_legal_cap', 'deposit_value_not_below_price', 'invalid_presale_stock']);
    assert.match(bad.body.error.message_zh, /定金不得超过预售价的20%（《民法典》第586条），即不高于¥16\.00/);
    const inflated = await put({ price_minor: 8000, deposit_minor: 500, deposit_value_minor: 3000, stock: 10 });
    assert.deepEqual(inflated.body.error.details.problems.map((p: any) => p.code), ['inflation_too_high']);
    const dearer = await put({ price_minor: 9000, deposit_minor: 1000, stock: 10 });
    assert.deepEqual(dearer.body.error.details.problems.map((p: any) => p.code), ['presale_price_above_campaign_price']);
    const below = await put({ price_minor: 8000, deposit_minor: 1000, deposit_value_minor: 900, stock: 10 });
    assert.deepEqual(below.body.error.details.problems.map((p: any) => p.code), ['deposit_value_below_deposit']);

    // ¥80 pre-sale, ¥10 deposit counting as ¥25 (定金膨胀), 70 of the 100 campaign units, 2 per buyer
    const offer = ok(await put({ price_minor: 8000, deposit_minor: 1000, deposit_value_minor: 2500, stock: 70, per_buyer_limit: 2 }));
    offerId = offer.id;
    assert.equal(offer.balance_from, iso(SELLING()));
    assert.equal(offer.balance_to, iso(SELLING() + DAY_MS));
    assert.match(offer.rules.zh, /定金¥10\.00（可抵¥25\.00），尾款¥55\.00/);
    assert.match(offer.rules.zh, /未在此期间支付尾款的，定金不予退还/);
    assert.match(offer.rules.en, /deposit ¥10\.00 \(counts as ¥25\.00\)/);
    hotOfferId = ok(await t.call('PUT', `/api/v1/merchant/stores/${a.store.id}/campaign-registrations/${hotRegId}/presale`, {
      token: owner.token, body: { price_minor: 8000, deposit_minor: 1000, stock: 10, per_buyer_limit: 1 },
    })).id;
    // not before warm-up
    assert.equal((await placeDeposit(buyer, offerId)).body.error.code, 'presale_closed');

    await moveTo(T0 + DAY_MS);
    const reviewed = ok(await t.call('POST', `/api/v1/console/campaigns/${campaignId}/registrations/review`, {
      token: operator.token, body: { decisions: [{ registration_id: regId, decision: 'approve' }, { registration_id: hotRegId, decision: 'approve' }] },
    }));
    assert.ok(reviewed.results.every((r: any) => r.status === 'approved'));
  });

  test('warm-up: 64 buyers at once never take more than the pre-sale stock', async () => {
    await moveTo(T0 + 2 * DAY_MS);
    const crowd: User[] = [];
    for (let i = 0; i < 64; i++) {
      const u = await signedInUser(t);
      addresses.set(u.id, ok(await t.call('POST', '/api/v1/me/addresses', { token: u.token, body: address }), 201).id);
      crowd.push(u);
    }
    const results = await Promise.all(crowd.map((u) => placeDeposit(u, hotOfferId)));
    const placed = results.filter((r) => r.status === 201);
    assert.equal(placed.length, 10, JSON.stringify(results.filter((r) => r.status !== 201 && r.status !== 409).map((r) => r.body)));
    for (const r of results.filter((x) => x.status !== 201)) {
      assert.equal(r.status, 409);
      assert.equal(r.body.error.code, 'presale_sold_out');
    }
    assert.equal((await offerOf(hotOfferId)).taken, 10);
    assert.equal((await registration(hotRegId)).sold, 10);
    // the limit per buyer: one of these buyers may not take another
    const again = await placeDeposit(crowd[results.indexOf(placed[0])], hotOfferId);
    assert.equal(again.status, 422);
    assert.equal(again.body.error.code, 'presale_limit_reached');
    // unpaid deposits cancel after the unpaid timeout and give the units back
    await moveTo(t.clock.now() + 16 * MINUTE_MS);
    assert.equal((await offerOf(hotOfferId)).taken, 0);
    assert.equal((await registration(hotRegId)).sold, 0);
    const gone = await t.ctx.trade.presaleOrderById(placed[0].body.order_id);
    assert.equal(gone?.stage, 'cancelled');
    assert.equal(gone?.order_status, 'cancelled');
  });

  test('deposit paid as its own payment; the merchant cancels one order and its deposit is refunded in full', async () => {
    const p = ok(await placeDeposit(buyer, offerId), 201);
    assert.equal(p.order_status, 'awaiting_deposit');
    assert.equal(p.deposit_total_minor, 1000);
    assert.equal(p.balance_goods_minor, 5500);
    assert.match(p.rules.zh, /可抵¥25\.00/);
    const paid = await payDeposit(buyer, p.order_id);
    assert.equal(paid.payment.amount_minor, 1000);
    assert.equal(paid.payment.checkout_id, p.deposit_checkout_id);
    const after = await presaleOf(buyer, p.order_id);
    assert.equal(after.stage, 'deposit_paid');
    assert.equal(after.order_status, 'deposit_paid');
    assert.equal(await transfer(`pay:${p.order_id}:deposit`), 1000);
    // the balance waits for its window
    const early = await t.call('POST', `/api/v1/presale-orders/${p.order_id}/balance/pay`, { token: buyer.token, body: {} });
    assert.equal(early.status, 422);
    assert.equal(early.body.error.code, 'balance_window_not_open');
    // nothing ships before the balance
    const ship = await t.call('POST', `/api/v1/merchant/stores/${a.store.id}/orders/${p.order_id}/shipments`, { token: owner.token, body: { carrier: 'SF', tracking_no: 'SF3000000000001' } });
    assert.equal(ship.status, 409, JSON.stringify(ship.body));

    // buyer2's deposit, then the merchant cannot ship: the deposit goes back in full
    const c = ok(await placeDeposit(buyer2, offerId, 2), 201);
    await payDeposit(buyer2, c.order_id);
    const escrowBefore = await balanceOf(t, 'platform_escrow', a.store.id);
    assert.equal((await offerOf(offerId)).taken, 3);
    const cancelled = ok(await t.call('POST', `/api/v1/merchant/stores/${a.store.id}/presale-orders/${c.order_id}/cancel`, { token: owner.token, body: { reason: '缺货无法发货' } }));
    assert.equal(cancelled.stage, 'refunded');
    assert.equal(cancelled.order_status, 'closed');
    await t.pump();
    const refund = await t.ctx.payments.refundStatus(`presale_mc_${c.order_id}`);
    assert.deepEqual([refund?.status, refund?.amount_minor], ['succeeded', 2000]);
    assert.equal(await balanceOf(t, 'platform_escrow', a.store.id), escrowBefore - 2000);
    assert.equal((await offerOf(offerId)).taken, 1, 'the units go back');
    const again = await t.call('POST', `/api/v1/merchant/stores/${a.store.id}/presale-orders/${c.order_id}/cancel`, { token: owner.token, body: {} });
    assert.equal(again.status, 409);

    // buyer3 pays a deposit and will walk away (forfeit test); buyer4 pays one and the balance
    const f = ok(await placeDeposit(buyer3, offerId), 201);
    await payDeposit(buyer3, f.order_id);
    const unpaid = ok(await placeDeposit(buyer4, offerId), 201);

    // the merchant's list: every pre-sale order of the campaign with its stage, filterable, paged
    const list = (qs = '') => t.call('GET', `/api/v1/merchant/stores/${a.store.id}/campaigns/${campaignId}/presale-orders${qs}`, { token: owner.token });
    const all = ok(await list()).items as { order_id: string; stage: string }[];
    const stageOf = new Map(all.map((o) => [o.order_id, o.stage]));
    assert.deepEqual([p.order_id, c.order_id, f.order_id, unpaid.order_id].map((id) => stageOf.get(id)), ['deposit_paid', 'refunded', 'deposit_paid', 'awaiting_deposit']);
    assert.ok(!JSON.stringify(all).includes(address.phone), 'no buyer personal data');
    const paidOnly = ok(await list('?stage=deposit_paid')).items as { order_id: string; stage: string }[];
    assert.ok(paidOnly.length >= 2 && paidOnly.every((o) => o.stage === 'deposit_paid'));
    const first = ok(await list('?limit=1'));
    assert.equal(first.items.length, 1);
    const second = ok(await list(`?limit=1&cursor=${encodeURIComponent(first.next_cursor)}`));
    assert.notEqual(second.items[0].order_id, first.items[0].order_id);
    const stranger = await signedInUser(t);
    assert.equal((await t.call('GET', `/api/v1/merchant/stores/${a.store.id}/campaigns/${campaignId}/presale-orders`, { token: stranger.token })).status, 404);
  });

  test('selling: the balance = price − inflated deposit, less the 满减; paid, it ships, completes and settles with exact postings', async () => {
    await moveTo(SELLING());
    const [mine] = ok(await t.call('GET', `/api/v1/presale-orders?campaign_id=${campaignId}`, { token: buyer.token })).items;
    const preview = ok(await t.call('POST', `/api/v1/presale-orders/${mine.order_id}/balance/preview`, { token: buyer.token, body: {} }));
    // ¥80 − ¥25 = ¥55, 每满50减5 → ¥50 (no shipping template: free shipping)
    assert.equal(preview.balance_minor, 5000);
    const paying = ok(await t.call('POST', `/api/v1/presale-orders/${mine.order_id}/balance/pay`, { token: buyer.token, body: { expected_balance_minor: 5000 } }));
    assert.equal(paying.payment.amount_minor, 5000);
    await payAtCashier(paying.payment.pay_page_url);
    await t.pump();
    const order = ok(await t.call('GET', `/api/v1/me/orders/${mine.order_id}`, { token: buyer.token }));
    assert.equal(order.status, 'paid');
    assert.equal(order.kind, 'presale');
    const line = order.lines[0];
    assert.deepEqual([line.unit_price_minor, line.goods_minor, line.discount_minor, line.paid_minor], [8000, 8000, 2000, 6000]);
    const inflation = line.discounts.find((d: any) => d.kind === 'presale_deposit_inflation');
    assert.deepEqual([inflation.amount_minor, inflation.funder, inflation.merchant_minor], [1500, 'merchant', 1500]);
    assert.ok(line.discounts.some((d: any) => d.campaign_id === campaignId && d.funder === 'platform' && d.amount_minor === 500), 'the campaign 满减 applies to the balance');
    assert.equal(await transfer(`pay:${mine.order_id}:deposit`), 1000);
    assert.equal(await transfer(`pay:${mine.order_id}`), 5000);
    assert.equal((await presaleOf(buyer, mine.order_id)).stage, 'balance_paid');

    ok(await t.call('POST', `/api/v1/merchant/stores/${a.store.id}/orders/${mine.order_id}/shipments`, { token: owner.token, body: { carrier: 'SF', tracking_no: 'SF3000000000002' } }), 201);
    ok(await t.call('POST', `/api/v1/me/orders/${mine.order_id}/confirm-receipt`, { token: buyer.token }));
    const availableBefore = await balanceOf(t, 'merchant_available', a.store.id);
    await moveTo(t.clock.now() + 7 * DAY_MS + MINUTE_MS);
    // settlement sums both payments; the campaign rate (1%) applies; the platform pays its 满减
    assert.equal(await transfer(`settle:${mine.order_id}:fee`), applyRateBp(6000, 100));
    assert.equal(await transfer(`settle:${mine.order_id}:merchant`), 6000 - 60);
    assert.equal(await transfer(`settle:${mine.order_id}:subsidy`), 500);
    const forfeitFee = applyRateBp(1000, 100);
    // buyer3 never paid the balance: forfeited at the window's end (see the next test), 990 to the merchant
    assert.equal(await balanceOf(t, 'merchant_available', a.store.id), availableBefore + 5940 + 500 + (1000 - forfeitFee));
  });

  test('an unpaid balance forfeits the deposit to the merchant at the window end (less the fee); the report equals the ledger', async () => {
    const [walked] = ok(await t.call('GET', '/api/v1/presale-orders', { token: buyer3.token })).items;
    assert.equal(walked.stage, 'forfeited');
    assert.equal(walked.order_status, 'closed');
    assert.equal(await transfer(`forfeit:${walked.order_id}:merchant`), 990);
    assert.equal(await transfer(`forfeit:${walked.order_id}:fee`), 10);
    const [never] = ok(await t.call('GET', '/api/v1/presale-orders', { token: buyer4.token })).items;
    assert.equal(never.stage, 'cancelled', 'a deposit never paid cancels after the unpaid timeout');
    const late = await t.call('POST', `/api/v1/presale-orders/${walked.order_id}/balance/pay`, { token: buyer3.token, body: {} });
    assert.equal(late.status, 409);
    assert.equal((await offerOf(offerId)).taken, 1, 'only the paid pre-sale keeps its unit');
    assert.ok(t.clock.now() > SELLING() + DAY_MS + FORFEIT_GRACE_MS);
    assert.equal(await balanceOf(t, 'platform_escrow', a.store.id), 0, 'escrow holds nothing once all is settled, forfeited or refunded');

    const report = ok(await t.call('GET', `/api/v1/console/campaigns/${campaignId}/report`, { token: operator.token }));
    const [paidOrder] = ok(await t.call('GET', '/api/v1/presale-orders', { token: buyer.token })).items;
    assert.equal(report.gmv_minor, (await transfer(`pay:${paidOrder.order_id}`)) + (await transfer(`pay:${paidOrder.order_id}:deposit`)));
    assert.equal(report.gmv_minor, 6000);
    assert.equal(report.fee_income_minor, await transfer(`settle:${paidOrder.order_id}:fee`));
    assert.equal(report.discount.platform_minor, await transfer(`settle:${paidOrder.order_id}:subsidy`));
    assert.equal(report.discount.merchant_minor, 1500, 'the inflated part of the deposit is a merchant-funded discount');
    assert.deepEqual(report.presale, {
      deposit_orders: 3, deposits_taken_minor: 4000, awaiting_balance_orders: 0, balance_paid_orders: 1, balance_paid_units: 1,
      forfeited_orders: 1, forfeited_minor: 1000, refunded_orders: 1, refunded_minor: 2000,
    });
    assert.equal(report.presale.forfeited_minor, (await transfer(`forfeit:${walked.order_id}:merchant`)) + (await transfer(`forfeit:${walked.order_id}:fee`)));
  });

  test('a refund after the balance splits back over both payments exactly: the balance first, then the deposit', async () => {
    const [p] = ok(await t.call('GET', '/api/v1/presale-orders', { token: buyer.token })).items;
    const order = ok(await t.call('GET', `/api/v1/me/orders/${p.order_id}`, { token: buyer.token }));
    const r = await t.ctx.payments.refund({ order_id: p.order_id, lines: [{ line_id: order.lines[0].id, amount_minor: 5500 }], reason: '质量问题', out_refund_no: 'presale_split_1' });
    assert.notEqual(r.status, 'failed', JSON.stringify(r));
    await t.pump(); // the provider confirms refunds asynchronously
    const rows = await t.ctx.db.kysely.selectFrom('payments_refunds').select(['out_refund_no', 'out_trade_no', 'amount_minor', 'status']).where('order_id', '=', p.order_id).orderBy('out_refund_no').execute();
    assert.deepEqual(rows.map((x) => [x.out_refund_no, x.out_trade_no, Number(x.amount_minor), x.status]), [
      ['presale_split_1', p.balance_checkout_id, 5000, 'succeeded'],
      ['presale_split_1|d', p.deposit_checkout_id, 500, 'succeeded'],
    ]);
    // after-sales hears one outcome for the request, with the whole amount, once both parts are final
    const heard = (await t.ctx.db.kysely.selectFrom('outbox_events').select(['type', 'payload']).where('type', 'in', ['payment.refund_succeeded', 'payment.refund_failed']).execute())
      .map((e) => ({ type: e.type, ...(typeof e.payload === 'string' ? JSON.parse(e.payload) : e.payload) })).filter((e) => e.out_refund_no.startsWith('presale_split_1'));
    assert.deepEqual(heard.map((e) => [e.type, e.out_refund_no, e.amount_minor]), [['payment.refund_succeeded', 'presale_split_1', 5500]]);
    // the campaign report nets the split refund out (after settlement: fee and 满减 subsidy reversed in proportion) and still equals the ledger
    const report = async () => ok(await t.call('GET', `/api/v1/console/campaigns/${campaignId}/report`, { token: operator.token }));
    const partly = await report();
    const ledger = await ledgerOfOrders(t, [p.order_id]);
    assert.deepEqual([partly.gmv_minor, ledger.gmv], [500, 500]);
    assert.deepEqual([partly.fee_income_minor, partly.discount.platform_minor], [ledger.fee, ledger.subsidy]);
    assert.deepEqual([ledger.fee, ledger.subsidy], [60 - 55, 500 - 458]);
    assert.deepEqual([partly.units, partly.refunds.refunded_minor, partly.refunds.units], [1, 5500, 0], 'less than the unit’s ¥60: the unit still counts');
    const again = await t.ctx.payments.refund({ order_id: p.order_id, lines: [{ line_id: order.lines[0].id, amount_minor: 5500 }], reason: '质量问题', out_refund_no: 'presale_split_1' });
    assert.equal(again.status, 'succeeded', 'the same request again answers the same refund');
    const tooMuch = await t.ctx.payments.refund({ order_id: p.order_id, lines: [{ line_id: order.lines[0].id, amount_minor: 501 }], reason: 'x', out_refund_no: 'presale_split_2' });
    assert.equal(tooMuch.status, 'failed');
    const rest = await t.ctx.payments.refund({ order_id: p.order_id, lines: [{ line_id: order.lines[0].id, amount_minor: 500 }], reason: 'x', out_refund_no: 'presale_split_3' });
    assert.notEqual(rest.status, 'failed');
    await t.pump();
    assert.equal((await t.ctx.payments.refundStatus('presale_split_3'))?.status, 'succeeded');
    const funds = await t.ctx.payments.orderFunds(p.order_id);
    assert.deepEqual([Number(funds?.paid_minor), Number(funds?.refunded_minor)], [6000, 6000]);
    const whole = await report();
    assert.deepEqual([whole.gmv_minor, whole.units, whole.orders, whole.fee_income_minor, whole.discount.platform_minor, whole.discount.merchant_minor], [0, 0, 0, 0, 0, 0]);
    assert.deepEqual(await ledgerOfOrders(t, [p.order_id]), { paid: 6000, refunded: 6000, gmv: 0, fee: 0, subsidy: 0 });
    const reconciled = await t.ctx.payments.reconcileNow();
    assert.ok(reconciled.ok, JSON.stringify({ escrow: reconciled.escrow, orders: reconciled.orders, refunds: reconciled.refunds_payable, provider: reconciled.provider, ledger: reconciled.ledger.ok }));
  });
});
