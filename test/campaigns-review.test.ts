// Approval checks the "real discount" again, on both engines: a SKU whose 30-day low dropped
// after registration (a sale in between, or 先涨后降 — raised, then cut below the old low) is
// refused at approval with the explained problem, per id in a bulk review; a price only raised
// since registration does not move the bar; nothing else changes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DAY_MS, HOUR_MS } from '../src/lib/clock.ts';
import { createListing } from '../src/flows/create-listing.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { relogin, signedInUser } from './support/fixtures.ts';
import { storeSelling } from './support/payments.ts';

let t: TestApp;
type User = Awaited<ReturnType<typeof signedInUser>>;
let operator: User, owner: User;
let shop: Awaited<ReturnType<typeof storeSelling>>;
let campaignId: string;
const sku: Record<'dipped' | 'raised' | 'raisedThenCut' | 'steady' | 'rejected', string> = { dipped: '', raised: '', raisedThenCut: '', steady: '', rejected: '' };
const reg: Record<keyof typeof sku, string> = { dipped: '', raised: '', raisedThenCut: '', steady: '', rejected: '' };
let T0: number;

const ok = (r: { status: number; body: any }, status = 200) => {
  assert.equal(r.status, status, JSON.stringify(r.body));
  return r.body;
};
const setPrice = (skuId: string, price: number) => t.ctx.catalog.setSkuPrice(shop.store.id, skuId, { price_minor: price }, owner.id);

before(async () => {
  t = await startTestApp();
  T0 = t.clock.now();
  operator = await signedInUser(t, ['operator']);
  owner = await signedInUser(t);
  shop = await storeSelling(t, owner.id, '复核测试店', { fee_rate_bp: 300, price_minor: 10000, stock: 100 });
  sku.dipped = shop.sku;
  for (const k of ['raised', 'raisedThenCut', 'steady', 'rejected'] as const) {
    sku[k] = (await createListing(t.ctx, shop.store.id, { category_id: shop.categoryId, title: `复核测试 ${k}`, skus: [{ spec: { 款: k }, price_minor: 10000 }], stock: [100] }, owner.id)).skus[0].id;
  }
  campaignId = (await t.ctx.campaigns.createCampaign({
    name: '复核节', rules: { min_discount_bp: 1000 }, fee_rate_bp: 100,
    times: { registration_start_ms: T0 + HOUR_MS, review_start_ms: T0 + DAY_MS, warmup_start_ms: T0 + 2 * DAY_MS, selling_start_ms: T0 + 3 * DAY_MS, selling_end_ms: T0 + 4 * DAY_MS },
  }, operator.id)).id;
  t.clock.set(T0 + HOUR_MS);
  for (let i = 0; i < 5 && (await t.ctx.scheduler.runDue()) + (await t.ctx.outbox.drain()) > 0; i++);
  // every SKU at ¥100 for the last 30 days: ¥90 is exactly 10% below the low
  for (const k of Object.keys(sku) as (keyof typeof sku)[]) reg[k] = (await t.ctx.campaigns.register(campaignId, shop.store.id, { sku_id: sku[k], campaign_price_minor: 9000, campaign_stock: 20 }, owner.id)).id;
});
after(() => t.close());

describe('approval re-checks the 30-day low', () => {
  test('a bulk review refuses, per id and explained, the SKUs whose low dropped since registration; the others go through; nothing else changes', async () => {
    t.clock.advance(HOUR_MS);
    await setPrice(sku.dipped, 9500); // a one-day sale at ¥95 …
    await setPrice(sku.raised, 12000); // 先涨 only
    await setPrice(sku.raisedThenCut, 12000); // 先涨 …
    t.clock.advance(DAY_MS);
    await setPrice(sku.dipped, 10000); // … then back to ¥100
    await setPrice(sku.raisedThenCut, 9800); // … 后降 below the old low
    t.clock.set(T0 + DAY_MS + 2 * HOUR_MS);
    for (let i = 0; i < 5 && (await t.ctx.scheduler.runDue()) + (await t.ctx.outbox.drain()) > 0; i++);
    operator = await relogin(t, operator); // access tokens last 2 h of the test clock
    const eventsBefore = await t.ctx.db.kysely.selectFrom('outbox_events').select('id').where('type', '=', 'campaign.registration_reviewed').execute();

    const res = ok(await t.call('POST', `/api/v1/console/campaigns/${campaignId}/registrations/review`, {
      token: operator.token,
      body: { decisions: [
        { registration_id: reg.dipped, decision: 'approve' }, { registration_id: reg.raised, decision: 'approve' }, { registration_id: reg.raisedThenCut, decision: 'approve' },
        { registration_id: reg.steady, decision: 'approve' }, { registration_id: reg.rejected, decision: 'reject', reason: '图片不合规' },
      ] },
    }));
    assert.deepEqual(res.results.map((r: any) => [r.registration_id, r.ok, r.status ?? r.code]), [
      [reg.dipped, false, 'discount_not_real'], [reg.raised, true, 'approved'], [reg.raisedThenCut, false, 'discount_not_real'], [reg.steady, true, 'approved'], [reg.rejected, true, 'rejected'],
    ]);
    const dipped = res.results[0];
    assert.match(dipped.message_zh, /活动价¥90\.00须比近30天最低价¥95\.00至少低10%，即不高于¥85\.50/);
    assert.deepEqual(dipped.problems.map((p: any) => [p.code, p.details.low_30d_minor, p.details.max_campaign_price_minor]), [['discount_not_real', 9500, 8550]]);
    assert.equal(res.results[2].problems[0].details.low_30d_minor, 9800);

    // the refused ones stay pending, untouched; the approved carry the low they were checked against
    const regs = new Map((await t.ctx.campaigns.campaignRegistrations(campaignId)).map((r) => [r.id, r]));
    assert.deepEqual([regs.get(reg.dipped)!.status, regs.get(reg.dipped)!.reviewed_at, regs.get(reg.dipped)!.low_30d_minor], ['pending', null, 10000]);
    assert.equal(regs.get(reg.raisedThenCut)!.status, 'pending');
    assert.deepEqual([regs.get(reg.raised)!.status, regs.get(reg.raised)!.low_30d_minor], ['approved', 10000], 'a raise does not move the bar');
    const eventsAfter = await t.ctx.db.kysely.selectFrom('outbox_events').select('id').where('type', '=', 'campaign.registration_reviewed').execute();
    assert.equal(eventsAfter.length - eventsBefore.length, 3, 'events only for what changed');

    // the operator may still reject a refused one with a reason; approving it again is refused again
    const again = ok(await t.call('POST', `/api/v1/console/campaigns/${campaignId}/registrations/review`, { token: operator.token, body: { decisions: [{ registration_id: reg.dipped, decision: 'approve' }] } }));
    assert.equal(again.results[0].code, 'discount_not_real');
    const rejected = await t.ctx.campaigns.review(campaignId, [{ registration_id: reg.dipped, decision: 'reject', reason: '活动价不低于近30天最低价' }], operator.id);
    assert.deepEqual(rejected.map((r) => r.ok), [true]);
  });
});
