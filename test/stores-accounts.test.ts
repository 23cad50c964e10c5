import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DAY_MS } from '../src/lib/clock.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { signedInUser } from './support/fixtures.ts';
import { openStoreViaApi, relogin } from './support/onboarding.ts';

/** Linked content accounts, limited by subject type and by the daily store score. */
let t: TestApp;
let operator: Awaited<ReturnType<typeof signedInUser>>;
before(async () => {
  t = await startTestApp();
  operator = await signedInUser(t, ['operator']);
});
after(() => t?.close());

const link = (token: string, storeId: string, kind: 'channel' | 'article', external_id: string) =>
  t.call('POST', `/api/v1/merchant/stores/${storeId}/linked-accounts`, { token, body: { kind, external_id, display_name: `账号${external_id}` } });

describe('linked content accounts', () => {
  test('an individual business links one account of each kind; the second is refused', async () => {
    const owner = await signedInUser(t);
    const store = await openStoreViaApi(t, owner, operator, { name: '阿香米线', subject_type: 'individual' });
    assert.equal((await link(owner.token, store.id, 'channel', 'ch_axiang')).status, 201);
    assert.equal((await link(owner.token, store.id, 'article', 'gh_axiang')).status, 201);
    const second = await link(owner.token, store.id, 'channel', 'ch_axiang2');
    assert.equal(second.status, 422);
    assert.equal(second.body.error.code, 'linked_account_limit');
    assert.match(second.body.error.message_zh, /最多可绑定1个视频号/);
    const listed = await t.call('GET', `/api/v1/merchant/stores/${store.id}/linked-accounts`, { token: owner.token });
    assert.equal(listed.body.limit_per_kind, 1);
    assert.deepEqual(listed.body.items.map((l: any) => l.external_id), ['ch_axiang', 'gh_axiang']);
    // unlinking frees the place
    const chId = listed.body.items[0].id;
    assert.equal((await t.call('DELETE', `/api/v1/merchant/stores/${store.id}/linked-accounts/${chId}`, { token: owner.token })).status, 204);
    assert.equal((await link(owner.token, store.id, 'channel', 'ch_axiang2')).status, 201);
  });

  test('an account sells for one store at a time', async () => {
    const a = await signedInUser(t);
    const b = await signedInUser(t);
    const sa = await openStoreViaApi(t, a, operator, { name: '东街面馆' });
    const sb = await openStoreViaApi(t, b, operator, { name: '西街面馆' });
    assert.equal((await link(a.token, sa.id, 'channel', 'ch_noodles')).status, 201);
    const clash = await link(b.token, sb.id, 'channel', 'ch_noodles');
    assert.equal(clash.status, 409);
    assert.equal(clash.body.error.code, 'linked_account_taken');
    assert.equal(await t.ctx.stores.storeOfLinkedAccount('channel', 'ch_noodles'), sa.id);
  });

  test('an enterprise links five; a store score of 90+ (recomputed by the daily job) unlocks ten', async () => {
    const owner = await signedInUser(t);
    const store = await openStoreViaApi(t, owner, operator, { name: '群星传媒' });
    for (let i = 1; i <= 5; i++) assert.equal((await link(owner.token, store.id, 'channel', `ch_star_${i}`)).status, 201);
    assert.equal((await link(owner.token, store.id, 'channel', 'ch_star_6')).body.error.code, 'linked_account_limit');

    // the inputs other modules will feed; a strong month: 4.9★, fast shipping, no disputes
    await t.ctx.stores.setScoreInputs(store.id, {
      orders: 1000, orders_shipped_within_48h: 990, rating_count: 400, rating_sum: 1960, after_sales_requests: 20, after_sales_answered_within_48h: 20, merchant_fault_refunds: 2, arbitrations_lost: 0,
    });
    assert.equal((await link(owner.token, store.id, 'channel', 'ch_star_6')).status, 422); // not until the job runs
    t.clock.advance(DAY_MS);
    await t.ctx.scheduler.runDue();
    await relogin(t, owner); // a day passed: sessions expired
    await relogin(t, operator);
    const app = (await t.call('GET', `/api/v1/merchant/stores/${store.id}/application`, { token: owner.token })).body;
    assert.equal(app.store.score_provisional, false);
    assert.ok(app.store.score >= 90, String(app.store.score));
    assert.equal((await link(owner.token, store.id, 'channel', 'ch_star_6')).status, 201);
    // the job keeps itself scheduled for the next day
    const next = await t.ctx.db.kysely.selectFrom('scheduler_jobs').selectAll().where('kind', '=', 'stores.recompute_scores').where('status', '=', 'pending').execute();
    assert.equal(next.length, 1);
    assert.ok(Number(next[0].run_at) > t.clock.now());
  });

  test('a store with too few orders keeps a provisional score that never unlocks the higher tier', async () => {
    const owner = await signedInUser(t);
    const store = await openStoreViaApi(t, owner, operator, { name: '新手小铺' });
    await t.ctx.stores.setScoreInputs(store.id, {
      orders: 10, orders_shipped_within_48h: 10, rating_count: 10, rating_sum: 50, after_sales_requests: 0, after_sales_answered_within_48h: 0, merchant_fault_refunds: 0, arbitrations_lost: 0,
    });
    await t.ctx.db.transaction((tx) => t.ctx.stores.recomputeScores(tx));
    assert.equal(await t.ctx.stores.linkedAccountLimit(store.id), 5);
    const detail = await t.ctx.stores.getStoreDetail(store.id);
    assert.deepEqual([detail.score, detail.score_provisional], [80, true]);
    await assert.rejects(() => t.ctx.stores.setScoreInputs(store.id, { orders: 1, orders_shipped_within_48h: 2, rating_count: 0, rating_sum: 0, after_sales_requests: 0, after_sales_answered_within_48h: 0, merchant_fault_refunds: 0, arbitrations_lost: 0 }));
  });
});
