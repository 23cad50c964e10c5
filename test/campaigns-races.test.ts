// Campaign stock and reservation budgets under 64 concurrent buyers, on both engines.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../src/lib/clock.ts';
import { createListing } from '../src/flows/create-listing.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { signedInUser } from './support/fixtures.ts';
import { storeSelling } from './support/payments.ts';

let t: TestApp;
type User = Awaited<ReturnType<typeof signedInUser>>;
let shop: Awaited<ReturnType<typeof storeSelling>>;
let buyers: { user: User; address: string }[];
let campaignId: string;
let registrationId: string;
let limitedSku: string;
let limitedRegId: string;
let offerId: string;
let T0: number;

const N = 64;
const CAMPAIGN_STOCK = 20;
const BUDGET = 10;
const LIMIT = 2;

async function runDue() {
  for (let i = 0; i < 10; i++) if ((await t.ctx.scheduler.runDue()) + (await t.ctx.outbox.drain()) === 0) return;
}

before(async () => {
  t = await startTestApp();
  T0 = t.clock.now();
  const owner = await signedInUser(t);
  shop = await storeSelling(t, owner.id, '抢购测试店', { fee_rate_bp: 300, price_minor: 10000, stock: 500 });
  const c = await t.ctx.campaigns.createCampaign({
    name: '并发测试节', rules: {}, fee_rate_bp: 100,
    times: { registration_start_ms: T0 + HOUR_MS, review_start_ms: T0 + 2 * HOUR_MS, warmup_start_ms: T0 + 3 * HOUR_MS, selling_start_ms: T0 + 4 * HOUR_MS, selling_end_ms: T0 + DAY_MS },
  }, null);
  campaignId = c.id;
  offerId = (await t.ctx.campaigns.createReservationOffer(campaignId, { name: '预约券', coupon: { kind: 'fixed', off_minor: 500 }, budget: BUDGET, per_buyer_limit: 1 }, null)).id;
  t.clock.set(T0 + HOUR_MS);
  await runDue();
  registrationId = (await t.ctx.campaigns.register(campaignId, shop.store.id, { sku_id: shop.sku, campaign_price_minor: 7000, campaign_stock: CAMPAIGN_STOCK }, owner.id)).id;
  limitedSku = (await createListing(t.ctx, shop.store.id, { category_id: shop.categoryId, title: '抢购测试店 限购款', skus: [{ spec: { 规格: '限购' }, price_minor: 10000 }], stock: [500] }, owner.id)).skus[0].id;
  const limited = await t.ctx.campaigns.register(campaignId, shop.store.id, { sku_id: limitedSku, campaign_price_minor: 6000, campaign_stock: 200, limit_per_buyer: LIMIT }, owner.id);
  assert.equal(limited.limit_per_buyer, LIMIT);
  limitedRegId = limited.id;
  const reviewed = await t.ctx.campaigns.review(campaignId, [{ registration_id: registrationId, decision: 'approve' }, { registration_id: limitedRegId, decision: 'approve' }], 'usr_operator');
  assert.deepEqual(reviewed.map((r) => r.ok), [true, true]);
  t.clock.set(T0 + 3 * HOUR_MS);
  await runDue();
  assert.equal((await t.ctx.campaigns.campaign(campaignId)).phase, 'warmup');
  // buyers sign in now: access tokens last 2 h of the test clock
  buyers = [];
  for (let i = 0; i < N; i++) {
    const user = await signedInUser(t);
    const r = await t.call('POST', '/api/v1/me/addresses', { token: user.token, body: { recipient: '王五', phone: '13812345678', province: '浙江省', city: '杭州市', district: '西湖区', detail: `文三路${i}号` } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    buyers.push({ user, address: r.body.id });
  }
});
after(() => t.close());

describe('campaign races', () => {
  test(`${N} buyers reserving a budget of ${BUDGET} at once (one of them ${N / 8} times): exactly ${BUDGET} reservations, each issued once at selling start`, async () => {
    const greedy = buyers[0].user;
    const calls = [
      ...buyers.map((b) => t.call('POST', `/api/v1/campaigns/${campaignId}/reservation-offers/${offerId}/reserve`, { token: b.user.token })),
      ...Array.from({ length: N / 8 }, () => t.call('POST', `/api/v1/campaigns/${campaignId}/reservation-offers/${offerId}/reserve`, { token: greedy.token })),
    ];
    const results = await Promise.all(calls);
    const won = results.filter((r) => r.status === 201);
    assert.equal(won.length, BUDGET);
    for (const r of results.filter((x) => x.status !== 201)) {
      assert.equal(r.status, 422, JSON.stringify(r.body));
      assert.ok(['reservations_full', 'reservation_limit_reached'].includes(r.body.error.code), r.body.error.code);
    }
    const offer = (await t.ctx.campaigns.reservationOffers(campaignId))[0];
    assert.equal(offer.reserved, BUDGET);
    const greedyHas = (await t.ctx.campaigns.myReservations(greedy.id, campaignId)).length;
    assert.ok(greedyHas <= 1);

    t.clock.set(T0 + 4 * HOUR_MS);
    await runDue();
    await runDue(); // nothing more is issued on a second run
    assert.equal((await t.ctx.campaigns.campaign(campaignId)).phase, 'selling');
    let issued = 0;
    for (const b of buyers) {
      const mine = await t.ctx.campaigns.myReservations(b.user.id, campaignId);
      issued += mine.filter((r) => r.status === 'issued' && r.coupon_id).length;
    }
    assert.equal(issued, BUDGET);
    const template = await t.ctx.promotions.couponTemplate({ scope: 'platform' }, offer.coupon_template_id);
    assert.equal(template.claimed, BUDGET);
  });

  test(`${N} buyers checking out a campaign stock of ${CAMPAIGN_STOCK} at once: exactly ${CAMPAIGN_STOCK} get the campaign price, never more`, async () => {
    const results = await Promise.all(buyers.map((b) => t.call('POST', '/api/v1/checkouts', {
      token: b.user.token, body: { items: [{ sku_id: shop.sku, quantity: 1 }], address_id: b.address, expected_total_minor: 7000 },
    })));
    const placed = results.filter((r) => r.status === 201);
    assert.equal(placed.length, CAMPAIGN_STOCK);
    for (const r of results.filter((x) => x.status !== 201)) {
      assert.equal(r.status, 409, JSON.stringify(r.body));
      assert.ok(['campaign_sold_out', 'price_changed'].includes(r.body.error.code), r.body.error.code);
    }
    const reg = (await t.ctx.campaigns.campaignRegistrations(campaignId, 'approved'))[0];
    assert.equal(reg.sold, CAMPAIGN_STOCK);
    for (const r of placed) {
      const lines = await t.ctx.trade.lines(r.body.order_ids[0]);
      assert.equal(lines[0].campaign_id, campaignId);
      assert.equal(lines[0].fee_rate_bp, 100);
      assert.equal(lines[0].unit_price_minor, 7000);
    }
    // sold out: the next buyer pays the SKU's own price and the category fee
    const after = await t.call('POST', '/api/v1/checkouts', { token: buyers[0].user.token, body: { items: [{ sku_id: shop.sku, quantity: 1 }], address_id: buyers[0].address } });
    assert.equal(after.status, 201, JSON.stringify(after.body));
    assert.equal(after.body.total_minor, 10000);
    const line = (await t.ctx.trade.lines(after.body.order_ids[0]))[0];
    assert.equal(line.campaign_id, null);
    assert.equal(line.fee_rate_bp, 300);

    // a cancelled checkout gives its campaign units back, once
    const first = placed[0].body;
    const owner = buyers.find((b) => results.indexOf(placed[0]) === buyers.indexOf(b))!;
    const cancel = await t.call('POST', `/api/v1/me/orders/${first.order_ids[0]}/cancel`, { token: owner.user.token, body: {} });
    assert.equal(cancel.status, 200, JSON.stringify(cancel.body));
    assert.equal((await t.ctx.campaigns.campaignRegistrations(campaignId, 'approved'))[0].sold, CAMPAIGN_STOCK - 1);
  });

  test(`8 buyers × 8 checkouts at once of an item limited to ${LIMIT} per buyer at the campaign price: exactly ${LIMIT} each, the rest at the normal price or refused; cancel and expiry give the allowance back`, async () => {
    const eight = buyers.slice(0, 8);
    const checkout = (b: (typeof buyers)[number], quantity = 1, expected: number | null = 6000 * quantity) =>
      t.call('POST', '/api/v1/checkouts', { token: b.user.token, body: { items: [{ sku_id: limitedSku, quantity }], address_id: b.address, ...(expected === null ? {} : { expected_total_minor: expected }) } });
    const results = await Promise.all(eight.flatMap((b) => Array.from({ length: 8 }, async () => ({ b, r: await checkout(b) }))));
    for (const b of eight) {
      const mine = results.filter((x) => x.b === b);
      assert.equal(mine.filter((x) => x.r.status === 201).length, LIMIT, `buyer ${b.user.id}`);
      for (const { r } of mine.filter((x) => x.r.status !== 201)) {
        assert.equal(r.status, 409, JSON.stringify(r.body));
        // priced before another checkout of theirs counted (→ the take refuses), or after (→ the normal price, not what they expected)
        assert.ok(['campaign_limit_reached', 'price_changed'].includes(r.body.error.code), r.body.error.code);
      }
    }
    const counts = await t.ctx.db.kysely.selectFrom('campaigns_buyer_counts').select(['buyer_id', 'taken']).where('registration_id', '=', limitedRegId).execute();
    assert.deepEqual(counts.map((c) => Number(c.taken)), eight.map(() => LIMIT));
    const reg = () => t.ctx.campaigns.campaignRegistrations(campaignId, 'approved').then((rs) => rs.find((r) => r.id === limitedRegId)!);
    assert.equal((await reg()).sold, 8 * LIMIT);

    // over the limit the whole line is at the SKU's own price, with the campaign's reason — the 满减 and the campaign fee rate do not apply either
    const [first] = eight;
    const preview = await t.call('POST', '/api/v1/checkout/preview', { token: first.user.token, body: { items: [{ sku_id: limitedSku, quantity: 1 }] } });
    assert.equal(preview.status, 200, JSON.stringify(preview.body));
    assert.equal(preview.body.total_minor, 10000);
    const note = preview.body.explanation.not_applied.find((n: any) => n.source_kind === 'campaign');
    assert.deepEqual([note.code, note.details.limit_per_buyer, note.details.bought_qty], ['over_buyer_limit', LIMIT, LIMIT]);
    assert.match(note.message_zh, /活动价每人限购2件（已购2件）/);
    const full = await checkout(first, 1, 10000);
    assert.equal(full.status, 201, JSON.stringify(full.body));
    const line = (await t.ctx.trade.lines(full.body.order_ids[0]))[0];
    assert.deepEqual([line.campaign_id, line.unit_price_minor, line.fee_rate_bp], [null, 10000, 300]);
    // a new buyer asking for more than the limit in one line: the whole line at the normal price
    const fresh = buyers[8];
    assert.equal((await t.call('POST', '/api/v1/checkout/preview', { token: fresh.user.token, body: { items: [{ sku_id: limitedSku, quantity: LIMIT + 1 }] } })).body.total_minor, 10000 * (LIMIT + 1));
    assert.equal((await t.call('POST', '/api/v1/checkout/preview', { token: fresh.user.token, body: { items: [{ sku_id: limitedSku, quantity: LIMIT }] } })).body.total_minor, 6000 * LIMIT);

    // the buyer cancels one campaign-priced order: one unit of allowance back, once
    const placed = results.filter((x) => x.b === first && x.r.status === 201)[0].r.body;
    assert.equal((await t.call('POST', `/api/v1/me/orders/${placed.order_ids[0]}/cancel`, { token: first.user.token, body: {} })).status, 200);
    assert.equal((await t.call('POST', `/api/v1/me/orders/${placed.order_ids[0]}/cancel`, { token: first.user.token, body: {} })).status, 409);
    assert.equal((await checkout(first)).status, 201, 'the campaign price again, for one unit');
    const again = await checkout(first, 1, null);
    assert.equal(again.body.total_minor, 10000, 'and then the normal price again');

    // nobody pays: after the unpaid timeout every order expires and every allowance comes back
    t.clock.advance(16 * MINUTE_MS);
    await runDue();
    const after = await t.ctx.db.kysely.selectFrom('campaigns_buyer_counts').select('taken').where('registration_id', '=', limitedRegId).execute();
    assert.deepEqual(after.map((c) => Number(c.taken)), eight.map(() => 0));
    assert.equal((await reg()).sold, 0);
  });
});
