// A database test on both engines (startTestApp underneath startPaymentsApp: scripts/test.ts runs it per engine).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DAY_MS, MINUTE_MS } from '../src/lib/clock.ts';
import { applyRateBp } from '../src/lib/money.ts';
import { PLATFORM_OWNER } from '../src/modules/ledger/index.ts';
import { relogin, signedInUser } from './support/fixtures.ts';
import { balanceOf, startPaymentsApp, storeSelling, type PaymentsTestApp } from './support/payments.ts';

let t: PaymentsTestApp;
type User = Awaited<ReturnType<typeof signedInUser>>;
let buyer: User, ownerA: User, ownerB: User, operator: User;
let a: Awaited<ReturnType<typeof storeSelling>>, b: Awaited<ReturnType<typeof storeSelling>>;
let addressId: string;

before(async () => {
  t = await startPaymentsApp();
  [buyer, ownerA, ownerB] = [await signedInUser(t), await signedInUser(t), await signedInUser(t)];
  operator = await signedInUser(t, ['operator']);
  a = await storeSelling(t, ownerA.id, '结算甲店', { fee_rate_bp: 200, price_minor: 9900 }); // 2% category
  b = await storeSelling(t, ownerB.id, '结算乙店', { fee_rate_bp: 500, price_minor: 10900 }); // 5% category, ¥8 freight
  const tpl = await t.call('POST', `/api/v1/merchant/stores/${b.store.id}/shipping-templates`, {
    token: ownerB.token, body: { name: '全国', is_default: true, rules: [{ provinces: '*', first_units: 1, first_fee_minor: 800, additional_units: 1, additional_fee_minor: 0 }], free_threshold_minor: null, excluded_provinces: [] },
  });
  assert.equal(tpl.status, 201, JSON.stringify(tpl.body));
  // A platform-funded 满300减30 over both stores: the platform pays it to the merchants at settlement.
  const now = t.clock.now();
  const promo = await t.call('POST', '/api/v1/console/threshold-promotions', {
    token: operator.token,
    body: { name: '平台满300减30', rule: { kind: 'tiers', tiers: [{ threshold_minor: 30000, off_minor: 3000 }] }, valid_from: new Date(now).toISOString(), valid_to: new Date(now + 60 * DAY_MS).toISOString(), applies_to: { store_ids: [a.store.id, b.store.id] } },
  });
  assert.equal(promo.status, 201, JSON.stringify(promo.body));
  addressId = (await t.call('POST', '/api/v1/me/addresses', { token: buyer.token, body: { recipient: '钱七', phone: '13812345678', province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路1号' } })).body.id;
});
after(() => t.close());

async function reloginAll() {
  [buyer, ownerA, ownerB, operator] = await Promise.all([relogin(t, buyer), relogin(t, ownerA), relogin(t, ownerB), relogin(t, operator)]);
}
const order = async (id: string) => (await t.call('GET', `/api/v1/me/orders/${id}`, { token: buyer.token })).body;
const storeOf = (o: any) => (o.store_id === a.store.id ? a : b);
const ownerOf = (o: any) => (o.store_id === a.store.id ? ownerA : ownerB);
const subsidyOf = (line: any) => line.discounts.reduce((s: number, d: any) => s + (d.platform_minor ?? 0), 0);

async function checkout(items: { sku_id: string; quantity: number }[]) {
  const c = await t.call('POST', '/api/v1/checkouts', { token: buyer.token, body: { items, address_id: addressId } });
  assert.equal(c.status, 201, JSON.stringify(c.body));
  return c.body as { checkout_id: string; order_ids: string[]; total_minor: number };
}
let trackingSeq = 0;
async function shipAndReceive(orderId: string) {
  const o = await order(orderId);
  const shipped = await t.call('POST', `/api/v1/merchant/stores/${o.store_id}/orders/${orderId}/shipments`, { token: ownerOf(o).token, body: { carrier: 'SF', tracking_no: `SF${1_000_000_000_000 + ++trackingSeq}` } });
  assert.equal(shipped.status, 201, JSON.stringify(shipped.body));
  const received = await t.call('POST', `/api/v1/me/orders/${orderId}/confirm-receipt`, { token: buyer.token });
  assert.equal(received.status, 200, JSON.stringify(received.body));
  assert.equal(received.body.status, 'completed');
}
async function settleAll() {
  await t.pump();
  t.clock.advance(7 * DAY_MS + MINUTE_MS);
  await t.pump();
  await reloginAll();
}
const finance = async (store: typeof a, owner: User) => (await t.call('GET', `/api/v1/merchant/stores/${store.store.id}/finance/balance`, { token: owner.token })).body;

describe('the money path, end to end', () => {
  test('two stores → one sandbox payment → two orders paid → shipped → received → settled 7 days later, exact to the fen', async () => {
    for (const [sku, quantity] of [[a.sku, 2], [b.sku, 1]] as const) {
      assert.equal((await t.call('POST', '/api/v1/me/cart/items', { token: buyer.token, body: { sku_id: sku, quantity } })).status, 201);
    }
    const cart = (await t.call('GET', '/api/v1/me/cart', { token: buyer.token })).body.items.map((i: any) => i.id);
    const placed = await t.call('POST', '/api/v1/checkouts', { token: buyer.token, body: { cart_item_ids: cart, address_id: addressId } });
    assert.equal(placed.status, 201, JSON.stringify(placed.body));
    const c = placed.body;
    // goods 19800 + 10900, freight 800, platform 满300减30 → 30700 − 3000 + 800
    assert.equal(c.total_minor, 28500);
    assert.equal(c.order_ids.length, 2);

    const pay = await t.call('POST', `/api/v1/checkouts/${c.checkout_id}/pay`, { token: buyer.token, body: {} });
    assert.equal(pay.status, 200, JSON.stringify(pay.body));
    assert.equal(pay.body.status, 'pending');
    assert.equal(pay.body.amount_minor, 28500);
    assert.match(pay.body.pay_page_url, /^http:\/\/127\.0\.0\.1:\d+\/sandbox\/pay\/chk_/);
    const page = await fetch(pay.body.pay_page_url);
    assert.match(await page.text(), /确认支付/);
    const again = await t.call('POST', `/api/v1/checkouts/${c.checkout_id}/pay`, { token: buyer.token, body: {} });
    assert.equal(again.body.payment_id, pay.body.payment_id, 'paying again resumes the same payment');

    await t.payCheckout(buyer.token, c.checkout_id);
    const st = await t.call('GET', `/api/v1/checkouts/${c.checkout_id}/payment`, { token: buyer.token });
    assert.equal(st.body.checkout_status, 'paid');
    assert.equal(st.body.payment.status, 'paid');
    assert.match(st.body.payment.transaction_id, /^4200/);
    assert.deepEqual(t.delivered.map((d) => d.status), [204], 'the signed notification was verified and acknowledged');

    const orders = await Promise.all(c.order_ids.map(order));
    assert.deepEqual(orders.map((o: any) => o.status), ['paid', 'paid']);
    for (const o of orders) assert.equal(await balanceOf(t, 'platform_escrow', o.store_id), o.total_minor, 'escrow holds each order until settlement');
    assert.equal(await balanceOf(t, 'buyer_payments_clearing', PLATFORM_OWNER), 28500);

    for (const o of orders) await shipAndReceive(o.id);
    await t.pump();
    t.clock.advance(7 * DAY_MS - MINUTE_MS);
    await t.pump();
    assert.equal(await balanceOf(t, 'merchant_available', a.store.id), 0, 'not before the settlement period');
    await settleAll();

    // Fee: the category rate × what the buyer paid for the line (freight share included), rounded once per line.
    let fees = 0, subsidies = 0;
    for (const o of orders) {
      const line = o.lines[0];
      const rate = storeOf(o) === a ? 200 : 500;
      const fee = applyRateBp(line.paid_minor, rate);
      fees += fee;
      subsidies += subsidyOf(line);
      assert.equal(await balanceOf(t, 'platform_escrow', o.store_id), 0);
      assert.equal(await balanceOf(t, 'merchant_available', o.store_id), line.paid_minor - fee + subsidyOf(line));
      assert.deepEqual(await finance(storeOf(o), ownerOf(o)), { currency: 'CNY', pending_minor: 0, available_minor: line.paid_minor - fee + subsidyOf(line), paid_out_minor: 0, owed_minor: 0, pending_orders: 0 });
    }
    // Hand-checked: A pays 19800 − 1935 = 17865 → fee 357.3 → 357; B pays 10900 − 1065 + 800 = 10635 → fee 531.75 → 532.
    assert.deepEqual(orders.map((o: any) => [o.lines[0].paid_minor, subsidyOf(o.lines[0])]).sort(), [[10635, 1065], [17865, 1935]]);
    assert.equal(fees, 357 + 532);
    assert.equal(subsidies, 3000);
    assert.equal(await balanceOf(t, 'platform_fee_revenue', PLATFORM_OWNER), 889);
    assert.equal(await balanceOf(t, 'platform_subsidy_expense', PLATFORM_OWNER), 3000);
    assert.equal(await balanceOf(t, 'merchant_available', a.store.id), 17865 - 357 + 1935);
    assert.equal(await balanceOf(t, 'merchant_available', b.store.id), 10635 - 532 + 1065);

    const ledger = await t.ctx.ledger.reconcile();
    assert.deepEqual(ledger.problems, []);
    const rec = await t.call('POST', '/api/v1/console/payments/reconciliation', { token: operator.token });
    assert.equal(rec.status, 200);
    assert.equal(rec.body.ok, true, JSON.stringify(rec.body));
    assert.equal((await t.call('GET', '/api/v1/console/payments/reconciliation/latest', { token: operator.token })).body.run_id, rec.body.run_id);
  });

  test('the statement pages with a cursor, newest first, each line with the balance after it', async () => {
    const url = `/api/v1/merchant/stores/${a.store.id}/finance/statement`;
    const first = await t.call('GET', `${url}?limit=1`, { token: ownerA.token });
    assert.equal(first.status, 200);
    assert.equal(first.body.items.length, 1);
    const second = await t.call('GET', `${url}?limit=1&cursor=${first.body.next_cursor}`, { token: ownerA.token });
    assert.deepEqual([...first.body.items, ...second.body.items].map((l: any) => l.reason).sort(), ['settlement', 'settlement_subsidy']);
    assert.equal(first.body.items[0].balance_after_minor, 17865 - 357 + 1935);
    const escrow = (await t.call('GET', `${url}?account=escrow`, { token: ownerA.token })).body.items;
    assert.deepEqual(escrow.map((l: any) => [l.reason, l.amount_minor]).sort(), [['payment_received', 17865], ['settlement', -(17865 - 357)], ['settlement_fee', -357]]);
    assert.equal(escrow[0].balance_after_minor, 0, 'in at payment, out at settlement');
    assert.equal((await t.call('GET', url, { token: buyer.token })).status, 404, 'not for other people');
  });

  test('a withdrawal above the available balance is refused; one within it is paid out through the ledger', async () => {
    const url = `/api/v1/merchant/stores/${a.store.id}/finance/withdrawals`;
    const bank = { bank_name: '招商银行', account_name: '结算甲店有限公司', account_no: '6225880112345678' };
    const available = 17865 - 357 + 1935;
    const over = await t.call('POST', url, { token: ownerA.token, body: { amount_minor: available + 1, ...bank } });
    assert.equal(over.status, 422);
    assert.equal(over.body.error.code, 'insufficient_balance');
    assert.equal(over.body.error.details.available_minor, available);
    const ok = await t.call('POST', url, { token: ownerA.token, headers: { 'idempotency-key': 'withdraw-a-0001' }, body: { amount_minor: 10000, ...bank } });
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    assert.equal(ok.body.account_no_masked, '**** 5678');
    const replay = await t.call('POST', url, { token: ownerA.token, headers: { 'idempotency-key': 'withdraw-a-0001' }, body: { amount_minor: 10000, ...bank } });
    assert.equal(replay.body.id, ok.body.id, 'a retried withdrawal pays out once');
    const bal = await finance(a, ownerA);
    assert.equal(bal.available_minor, available - 10000);
    assert.equal(bal.paid_out_minor, 10000);
    assert.equal((await t.call('GET', url, { token: ownerA.token })).body.items.length, 1);
    assert.deepEqual((await t.ctx.ledger.reconcile()).problems, []);
  });
});

describe('refunds against settlement', () => {
  const refund = (body: unknown) => t.call('POST', '/api/v1/console/payments/refunds', { token: operator.token, body });
  const money = async (store: typeof a) => ({
    available: await balanceOf(t, 'merchant_available', store.store.id), escrow: await balanceOf(t, 'platform_escrow', store.store.id),
    fee: await balanceOf(t, 'platform_fee_revenue', PLATFORM_OWNER), clearing: await balanceOf(t, 'buyer_payments_clearing', PLATFORM_OWNER),
  });

  test('a refund before settlement leaves escrow for the buyer; the fee is charged on what stays paid', async () => {
    const c = await checkout([{ sku_id: a.sku, quantity: 3 }]); // 29700, under the 满300 threshold
    await t.payCheckout(buyer.token, c.checkout_id);
    const o = await order(c.order_ids[0]);
    const before = await money(a);
    const r = await refund({ order_id: o.id, reason: '少发一件', out_refund_no: `rf_${o.id}_1`, lines: [{ line_id: o.lines[0].id, amount_minor: 9900 }] });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.status, 'processing', 'the provider takes the refund, pays it a moment later');
    assert.equal(await balanceOf(t, 'platform_escrow', a.store.id), before.escrow - 9900);
    assert.equal(await balanceOf(t, 'buyer_refunds_payable', PLATFORM_OWNER), 9900);
    await t.pump(); // the sandbox completes it and notifies REFUND.SUCCESS
    assert.equal((await t.call('GET', `/api/v1/console/payments/refunds/rf_${o.id}_1`, { token: operator.token })).body.status, 'succeeded');
    assert.equal(await balanceOf(t, 'buyer_refunds_payable', PLATFORM_OWNER), 0);
    assert.equal(await balanceOf(t, 'buyer_payments_clearing', PLATFORM_OWNER), before.clearing - 9900);
    await shipAndReceive(o.id);
    await settleAll();
    const fee = applyRateBp(29700 - 9900, 200);
    const after = await money(a);
    assert.equal(after.available - before.available, 19800 - fee);
    assert.equal(after.fee - before.fee, fee);
    assert.equal(after.escrow, 0);
    assert.deepEqual((await t.ctx.ledger.reconcile()).problems, []);
  });

  test('refunds after settlement take the fee back in proportion, and refunding everything takes back exactly the whole fee', async () => {
    const c = await checkout([{ sku_id: b.sku, quantity: 1 }]); // 10900 + 800 freight
    await t.payCheckout(buyer.token, c.checkout_id);
    const o = await order(c.order_ids[0]);
    assert.equal(o.total_minor, 11700);
    const before = await money(b);
    await shipAndReceive(o.id);
    await settleAll();
    const settled = await money(b);
    assert.equal(settled.available - before.available, 11700 - 585);
    assert.equal(settled.fee - before.fee, 585);

    const first = await refund({ order_id: o.id, reason: '部分退款', out_refund_no: `rf_${o.id}_1`, lines: [{ line_id: o.lines[0].id, amount_minor: 3333 }] });
    assert.equal(first.body.status, 'processing');
    await t.pump();
    const mid = await money(b);
    assert.equal(settled.fee - mid.fee, 167, '585 × 3333 / 11700 = 166.65 → 167');
    assert.equal(settled.available - mid.available, 3333 - 167);
    const rest = await refund({ order_id: o.id, reason: '退货退款', out_refund_no: `rf_${o.id}_2`, lines: [{ line_id: o.lines[0].id, amount_minor: 11700 - 3333 }] });
    assert.equal(rest.body.status, 'processing');
    await t.pump();
    const end = await money(b);
    assert.equal(end.fee, before.fee, 'the whole fee is back, to the fen');
    assert.equal(end.available, before.available);
    assert.equal(end.clearing, before.clearing - 11700 + 11700 - 11700, 'paid in, then all of it back to the buyer');
    const more = await refund({ order_id: o.id, reason: '再退', out_refund_no: `rf_${o.id}_3`, lines: [{ line_id: o.lines[0].id, amount_minor: 1 }] });
    assert.equal(more.status, 422);
    assert.equal(more.body.error.code, 'refund_exceeds_paid');
    assert.deepEqual((await t.ctx.ledger.reconcile()).problems, []);
    assert.equal((await t.ctx.payments.reconcileNow()).ok, true);
  });

  test('refunds above what a line (and so the order) paid are refused, reusing a refund number differently is refused, and nothing moves', async () => {
    const c = await checkout([{ sku_id: a.sku, quantity: 1 }]);
    await t.payCheckout(buyer.token, c.checkout_id);
    const o = await order(c.order_ids[0]);
    const line = o.lines[0].id;
    const before = await money(a);
    const refused = [
      await refund({ order_id: o.id, reason: 'x', out_refund_no: `big_${o.id}`, lines: [{ line_id: line, amount_minor: 9901 }] }),
    ];
    const half = await refund({ order_id: o.id, reason: '半', out_refund_no: `half_${o.id}`, lines: [{ line_id: line, amount_minor: 5000 }] });
    assert.equal(half.status, 200);
    refused.push(await refund({ order_id: o.id, reason: 'x', out_refund_no: `over_${o.id}`, lines: [{ line_id: line, amount_minor: 4901 }] }));
    for (const r of refused) assert.deepEqual([r.status, r.body.error.code], [422, 'refund_exceeds_paid']);
    const reused = await refund({ order_id: o.id, reason: '半', out_refund_no: `half_${o.id}`, lines: [{ line_id: line, amount_minor: 4900 }] });
    assert.deepEqual([reused.status, reused.body.error.code], [422, 'refund_no_reused']);
    const same = await refund({ order_id: o.id, reason: '半', out_refund_no: `half_${o.id}`, lines: [{ line_id: line, amount_minor: 5000 }] });
    assert.equal(same.status, 200, 'the same request again is the same refund');
    const foreign = await refund({ order_id: o.id, reason: 'x', out_refund_no: `foreign_${o.id}`, lines: [{ line_id: (await order((await checkout([{ sku_id: b.sku, quantity: 1 }])).order_ids[0])).lines[0].id, amount_minor: 1 }] });
    assert.deepEqual([foreign.status, foreign.body.error.code], [422, 'line_not_in_order']);
    const unpaid = (await checkout([{ sku_id: a.sku, quantity: 1 }])).order_ids[0];
    const notPaid = await refund({ order_id: unpaid, reason: 'x', out_refund_no: `unpaid_${unpaid}`, lines: [{ line_id: (await order(unpaid)).lines[0].id, amount_minor: 1 }] });
    assert.deepEqual([notPaid.status, notPaid.body.error.code], [422, 'order_not_paid']);
    await t.pump();
    assert.equal(await balanceOf(t, 'platform_escrow', a.store.id), before.escrow - 5000, 'only the one allowed refund moved money');
    assert.equal((await t.ctx.payments.orderFunds(o.id))!.refunded_minor, 5000);
  });

  test('a refund after the merchant withdrew everything is advanced by the platform, and the merchant owes it', async () => {
    const c = await checkout([{ sku_id: b.sku, quantity: 1 }]); // 10900 + 800 freight
    await t.payCheckout(buyer.token, c.checkout_id);
    const o = await order(c.order_ids[0]);
    await shipAndReceive(o.id);
    await settleAll();
    const available = (await finance(b, ownerB)).available_minor;
    const bank = { bank_name: '工商银行', account_name: '结算乙店有限公司', account_no: '6222020200112233' };
    assert.equal((await t.call('POST', `/api/v1/merchant/stores/${b.store.id}/finance/withdrawals`, { token: ownerB.token, body: { amount_minor: available, ...bank } })).status, 201);
    const feeBefore = await balanceOf(t, 'platform_fee_revenue', PLATFORM_OWNER);
    const r = await refund({ order_id: o.id, reason: '质量问题', out_refund_no: `rf_${o.id}_all`, lines: [{ line_id: o.lines[0].id, amount_minor: 11700 }] });
    assert.equal(r.body.status, 'processing');
    await t.pump();
    const bal = await finance(b, ownerB);
    assert.deepEqual([bal.available_minor, bal.owed_minor], [0, 11700 - 585], 'the merchant part is advanced and owed');
    assert.equal(feeBefore - (await balanceOf(t, 'platform_fee_revenue', PLATFORM_OWNER)), 585);
    assert.equal((await t.call('GET', `/api/v1/console/payments/refunds/rf_${o.id}_all`, { token: operator.token })).body.status, 'succeeded');
    assert.deepEqual((await t.ctx.ledger.reconcile()).problems, []);
  });

  test("a creator's commission is taken at settlement and owed to the creator", async () => {
    const creator = await signedInUser(t, ['buyer', 'creator']);
    // The merchant offers the product to creators at 10% and the creator selects it (test/affiliate.test.ts covers the rules).
    await t.ctx.affiliate.addOffer(a.store.id, { product_id: a.product.id, rate_bp: 1000 }, ownerA.id);
    await t.ctx.affiliate.select(creator.id, a.product.id);
    // Checkout accepts a creator claim only for published content linking the product (content's rule).
    const owner = { kind: 'creator' as const, creator_id: creator.id };
    const video = await t.ctx.content.createContent(owner, { kind: 'video', title: '开箱测评', video_url: 'https://video.example/a.mp4', product_ids: [a.product.id] }, creator.id);
    await t.ctx.content.publishContent(owner, video.id);
    const c = await checkout([{ sku_id: a.sku, quantity: 1, attribution: { channel: 'video', content_id: video.id, creator_id: creator.id } } as never]);
    await t.payCheckout(buyer.token, c.checkout_id);
    const before = await money(a);
    await shipAndReceive(c.order_ids[0]);
    await settleAll();
    const fee = applyRateBp(9900, 200), commission = applyRateBp(9900, 1000);
    assert.equal(await balanceOf(t, 'creator_commission_payable', creator.id), commission);
    assert.equal((await money(a)).available - before.available, 9900 - fee - commission);
    assert.deepEqual((await t.ctx.ledger.reconcile()).problems, []);
  });
});
