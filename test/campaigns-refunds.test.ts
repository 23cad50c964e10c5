// Refunds of campaign lines come out of the campaign report and the rankings, on both engines:
// a paid order refunded in full before shipping (极速退款), a partial refund that is no whole unit
// before settlement, two units refunded through after-sales after settlement — the report keeps
// equalling the ledger, and a redelivered or duplicated refund event changes nothing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS } from '../src/lib/clock.ts';
import { createListing } from '../src/flows/create-listing.ts';
import { CAMPAIGN_SALES_SUBSCRIBER } from '../src/subscribers/campaign-sales.ts';
import { relogin, signedInUser } from './support/fixtures.ts';
import { ledgerOfOrders } from './support/campaigns.ts';
import { startPaymentsApp, storeSelling, type PaymentsTestApp } from './support/payments.ts';

let t: PaymentsTestApp;
type User = Awaited<ReturnType<typeof signedInUser>>;
let operator: User, owner: User, buyer1: User, buyer2: User, buyer3: User;
let a: Awaited<ReturnType<typeof storeSelling>>;
let sku2: string;
let campaignId: string;
const addresses = new Map<string, string>();
const orders = new Map<'b1' | 'b2' | 'b3', any>();
let T0: number;

const users = () => [operator, owner, buyer1, buyer2, buyer3];
async function moveTo(at: number) {
  t.clock.set(at);
  await t.pump();
  [operator, owner, buyer1, buyer2, buyer3] = await Promise.all(users().map((u) => relogin(t, u)));
}
const iso = (ms: number) => new Date(ms).toISOString();
const ok = (r: { status: number; body: any }, status = 200) => {
  assert.equal(r.status, status, JSON.stringify(r.body));
  return r.body;
};
const report = async () => ok(await t.call('GET', `/api/v1/console/campaigns/${campaignId}/report`, { token: operator.token }));
/** Rankings are recomputed from memory at most every 500 ms: let that pass first. */
async function bestSellers(): Promise<[string, number][]> {
  t.clock.advance(SECOND_MS);
  const r = ok(await t.call('GET', `/api/v1/campaigns/${campaignId}/rankings?kind=best_sellers`));
  return r.items.map((i: any) => [i.sku_id, i.sold_units]);
}
async function expectReportEqualsLedger() {
  const r = await report();
  const l = await ledgerOfOrders(t, [...orders.values()].map((o) => o.id));
  assert.equal(r.gmv_minor, l.gmv, 'GMV = paid into escrow − booked back to buyers');
  assert.equal(r.refunds.refunded_minor, l.refunded);
  return { r, l };
}

before(async () => {
  t = await startPaymentsApp();
  T0 = t.clock.now();
  [operator, owner, buyer1, buyer2, buyer3] = [await signedInUser(t, ['operator']), await signedInUser(t), await signedInUser(t), await signedInUser(t), await signedInUser(t)];
  a = await storeSelling(t, owner.id, '退款测试店', { fee_rate_bp: 500, price_minor: 10000, stock: 200 });
  sku2 = (await createListing(t.ctx, a.store.id, { category_id: a.categoryId, title: '退款测试店 小件', skus: [{ spec: { 规格: '小' }, price_minor: 5000 }], stock: [200] }, owner.id)).skus[0].id;
  for (const u of [buyer1, buyer2, buyer3]) {
    addresses.set(u.id, ok(await t.call('POST', '/api/v1/me/addresses', { token: u.token, body: { recipient: '赵六', phone: '13812345678', province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路3号' } }), 201).id);
  }
  campaignId = ok(await t.call('POST', '/api/v1/console/campaigns', {
    token: operator.token,
    body: {
      name: '退款节', registration_start: iso(T0 + HOUR_MS), review_start: iso(T0 + DAY_MS), warmup_start: iso(T0 + 2 * DAY_MS), selling_start: iso(T0 + 3 * DAY_MS), selling_end: iso(T0 + 30 * DAY_MS),
      rules: { min_discount_bp: 500 }, fee_rate_bp: 100, threshold: { rule: { kind: 'every', step_minor: 5000, off_minor: 500 }, funder: 'platform', stacks_with: ['*'] },
    },
  }), 201).id;
  await moveTo(T0 + HOUR_MS);
  const reg = async (sku: string, price: number) => ok(await t.call('POST', `/api/v1/merchant/stores/${a.store.id}/campaigns/${campaignId}/registrations`, {
    token: owner.token, body: { sku_id: sku, campaign_price_minor: price, campaign_stock: 50 },
  }), 201).id;
  const ids = [await reg(a.sku, 8000), await reg(sku2, 4500)];
  await moveTo(T0 + DAY_MS);
  const reviewed = ok(await t.call('POST', `/api/v1/console/campaigns/${campaignId}/registrations/review`, { token: operator.token, body: { decisions: ids.map((id) => ({ registration_id: id, decision: 'approve' })) } }));
  assert.ok(reviewed.results.every((r: any) => r.ok));
  await moveTo(T0 + 3 * DAY_MS);
  // buyer1: 3 × ¥80 = ¥240, 每满50减5 → ¥220; buyer2 and buyer3: 2 × ¥45 = ¥90 → ¥85
  for (const [key, u, sku, qty] of [['b1', buyer1, a.sku, 3], ['b2', buyer2, sku2, 2], ['b3', buyer3, sku2, 2]] as const) {
    const c = ok(await t.call('POST', '/api/v1/checkouts', { token: u.token, body: { items: [{ sku_id: sku, quantity: qty }], address_id: addresses.get(u.id) } }), 201);
    await t.payCheckout(u.token, c.checkout_id);
    orders.set(key, ok(await t.call('GET', `/api/v1/me/orders/${c.order_ids[0]}`, { token: u.token })));
  }
});
after(() => t.close());

describe('refunds of campaign lines', () => {
  test('paid: the report and the rankings count every campaign line', async () => {
    assert.deepEqual([...orders.values()].map((o) => o.lines[0].paid_minor), [22000, 8500, 8500]);
    assert.deepEqual(await bestSellers(), [[sku2, 4], [a.sku, 3]]);
    const { r } = await expectReportEqualsLedger();
    assert.deepEqual([r.gmv_minor, r.units, r.orders, r.buyers, r.discount.platform_minor], [39000, 7, 3, 3, 3000]);
    assert.deepEqual(r.refunds, { lines: 0, orders: 0, refunded_minor: 0, units: 0 });
  });

  test('a paid order refunded in full before shipping (极速退款) leaves the report, its units the rankings', async () => {
    const o = orders.get('b3');
    const asked = ok(await t.call('POST', '/api/v1/me/aftersales', { token: buyer3.token, body: { order_id: o.id, line_id: o.lines[0].id, type: 'refund_only', reason: 'no_longer_needed' } }), 201);
    assert.equal(asked.request.instant, true);
    await t.pump();
    assert.equal(ok(await t.call('GET', `/api/v1/me/orders/${o.id}`, { token: buyer3.token })).status, 'closed');
    assert.deepEqual(await bestSellers(), [[a.sku, 3], [sku2, 2]]);
    const { r } = await expectReportEqualsLedger();
    assert.deepEqual([r.gmv_minor, r.units, r.orders, r.buyers, r.discount.platform_minor, r.discount.campaign_offers_minor], [30500, 5, 2, 2, 2500, 2500]);
    assert.deepEqual(r.refunds, { lines: 1, orders: 1, refunded_minor: 8500, units: 2 });
    assert.deepEqual(r.top_items.map((i: any) => [i.sku_id, i.units, i.gmv_minor]), [[a.sku, 3, 22000], [sku2, 2, 8500]]);
  });

  test('a partial refund before settlement (no whole unit) lowers GMV, fee and discounts as settlement will, not the units', async () => {
    const o = orders.get('b2');
    const r1 = ok(await t.call('POST', '/api/v1/console/payments/refunds', { token: operator.token, body: { order_id: o.id, reason: '价保补差', out_refund_no: `cr_${o.id}_1`, lines: [{ line_id: o.lines[0].id, amount_minor: 1000 }] } }));
    assert.notEqual(r1.status, 'failed');
    await t.pump();
    assert.deepEqual(await bestSellers(), [[a.sku, 3], [sku2, 2]], 'a price adjustment gives back no unit');
    const { r } = await expectReportEqualsLedger();
    assert.equal(r.gmv_minor, 29500);
    // the fee settlement will charge: 1% of what stays paid (22000 + 7500); the 满减 in proportion (500 × 7500/8500 → 441)
    assert.equal(r.fee_income_minor, 220 + 75);
    assert.equal(r.discount.platform_minor, 2000 + 441);
  });

  test('settled, then two of three units refunded through after-sales: the report equals the ledger (fee and subsidy reversals) and the ranking turns', async () => {
    for (const [key, u] of [['b1', buyer1], ['b2', buyer2]] as const) {
      const o = orders.get(key);
      ok(await t.call('POST', `/api/v1/merchant/stores/${a.store.id}/orders/${o.id}/shipments`, { token: owner.token, body: { carrier: 'SF', tracking_no: `SF${4_000_000_000_000 + o.lines[0].quantity + (key === 'b1' ? 10 : 20)}` } }), 201);
      ok(await t.call('POST', `/api/v1/me/orders/${o.id}/confirm-receipt`, { token: u.token }));
    }
    await moveTo(t.clock.now() + 7 * DAY_MS + MINUTE_MS);
    const settled = await expectReportEqualsLedger();
    assert.equal(settled.r.fee_income_minor, settled.l.fee);
    assert.equal(settled.r.discount.platform_minor, settled.l.subsidy);
    assert.equal(settled.l.fee, 220 + 75);

    const o = orders.get('b1');
    const asked = ok(await t.call('POST', '/api/v1/me/aftersales', { token: buyer1.token, body: { order_id: o.id, line_id: o.lines[0].id, type: 'refund_only', reason: 'quality', quantity: 2 } }), 201);
    assert.equal(asked.request.amount_minor, 7334 + 7333, 'two units’ shares of ¥220');
    ok(await t.call('POST', `/api/v1/merchant/stores/${a.store.id}/aftersales/${asked.request.id}/approve`, { token: owner.token, body: {} }));
    await t.pump();
    assert.equal((await t.ctx.payments.orderFunds(o.id))!.status, 'settled');

    const { r, l } = await expectReportEqualsLedger();
    assert.equal(r.gmv_minor, 29500 - 14667);
    assert.equal(r.fee_income_minor, l.fee, 'fee income = settlement fees − the reversals of refunds after settlement');
    assert.equal(r.discount.platform_minor, l.subsidy, 'platform discount cost = subsidies − their reversals');
    assert.equal(l.fee, 220 - 147 + 75); // 147 = 220 × 14667 / 22000, rounded half up
    assert.deepEqual([r.units, r.refunds.units, r.refunds.lines, r.refunds.orders], [3, 4, 3, 3]);
    assert.deepEqual(await bestSellers(), [[sku2, 2], [a.sku, 1]]);
  });

  test('a redelivered refund event, or a duplicate one, changes neither the report nor the rankings; a rebuild agrees', async () => {
    const before = await report();
    const ranked = await bestSellers();
    const k = t.ctx.db.kysely;
    const refundEvents = await k.selectFrom('outbox_events').select(['id', 'type', 'aggregate_id', 'payload'])
      .where('type', 'in', ['payment.refund_requested', 'payment.refund_succeeded']).execute();
    const mine = refundEvents.filter((e) => [...orders.values()].some((o) => String(e.payload).includes(o.id)));
    assert.ok(mine.length >= 6, `refund events: ${mine.length}`);
    // redelivery: the campaigns subscriber sees every refund event again
    await k.deleteFrom('outbox_deliveries').where('subscriber', '=', CAMPAIGN_SALES_SUBSCRIBER).where('event_id', 'in', mine.map((e) => e.id)).execute();
    await k.updateTable('outbox_events').set({ dispatched_at: null }).where('id', 'in', mine.map((e) => e.id)).execute();
    assert.ok((await t.ctx.outbox.drain()) >= mine.length);
    // a duplicate (another event id, same refund)
    await t.ctx.db.transaction(async (tx) => {
      for (const e of mine) await t.ctx.outbox.emit(tx, e.type, e.aggregate_id, typeof e.payload === 'string' ? JSON.parse(e.payload) : e.payload);
    });
    await t.ctx.outbox.drain();
    const afterwards = await report();
    assert.deepEqual({ ...afterwards, as_of: null }, { ...before, as_of: null });
    assert.deepEqual(await bestSellers(), ranked);
    t.ctx.campaigns.invalidateVenue(); // rebuilt from the read model: the same numbers
    assert.deepEqual(await bestSellers(), ranked);
  });
});
