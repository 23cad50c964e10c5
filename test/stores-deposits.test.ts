import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from './support/app.ts';
import { signedInUser } from './support/fixtures.ts';
import { assertBooksBalance, createApplication, paymentRef, uploadBaseDocuments } from './support/onboarding.ts';

/**
 * Deposits (保证金) as ledger movements: paid in parts, replayed, topped up, deducted for a
 * penalty (never below zero) and refunded on closure — with the books reconciled after each.
 */
let t: TestApp;
let operator: Awaited<ReturnType<typeof signedInUser>>;
before(async () => {
  t = await startTestApp();
  operator = await signedInUser(t, ['operator']);
});
after(() => t?.close());

async function approvedFoodStore(name: string) {
  const owner = await signedInUser(t);
  const store = await createApplication(t, owner.token, { name, main_category_code: 'food.snacks' });
  await uploadBaseDocuments(t, owner.token, store, [{ kind: 'food_license', number: 'JY14403050012345', valid_until: '2030-12-31' }]);
  assert.equal((await t.call('POST', `/api/v1/merchant/stores/${store.id}/application/submit`, { token: owner.token })).status, 200);
  assert.equal((await t.call('POST', `/api/v1/console/stores/${store.id}/approve`, { token: operator.token, body: {} })).status, 200);
  const api = {
    pay: (body: unknown) => t.call('POST', `/api/v1/merchant/stores/${store.id}/deposit/sandbox-payments`, { token: owner.token, body }),
    deposit: async () => (await t.call('GET', `/api/v1/merchant/stores/${store.id}/deposit`, { token: owner.token })).body,
    statement: async () => (await t.call('GET', `/api/v1/merchant/stores/${store.id}/deposit/statement`, { token: owner.token })).body.items,
    penalty: (body: unknown) => t.call('POST', `/api/v1/console/stores/${store.id}/deposit/penalties`, { token: operator.token, body }),
  };
  return { owner, store, ...api };
}

describe('deposit movements through the ledger', () => {
  test('paid in two parts from the table amount (food enterprise: ¥10,000); the store opens when covered', async () => {
    const s = await approvedFoodStore('零食铺子');
    assert.deepEqual(await s.deposit(), { currency: 'CNY', required_minor: 1_000_000, required_source: 'category', required_category_code: 'food', balance_minor: 0, shortfall_minor: 1_000_000 });
    const first = await s.pay({ amount_minor: 400_000, payment_ref: paymentRef() });
    assert.equal(first.body.store_status, 'awaiting_deposit');
    assert.equal(first.body.deposit.shortfall_minor, 600_000);
    await assertBooksBalance(t);
    const second = await s.pay({ amount_minor: 600_000, payment_ref: paymentRef() });
    assert.equal(second.body.store_status, 'open');
    assert.equal(second.body.deposit.balance_minor, 1_000_000);
    const lines = await s.statement();
    assert.deepEqual(lines.map((l: any) => [l.reason, l.amount_minor, l.balance_after_minor]), [['deposit_payment', 600_000, 1_000_000], ['deposit_payment', 400_000, 400_000]]);
    assert.equal(lines[0].reason_zh, '缴纳保证金');
    await assertBooksBalance(t);
  });

  test('a replayed payment moves nothing; the same reference with another amount is a conflict', async () => {
    const s = await approvedFoodStore('坚果小站');
    const ref = paymentRef();
    const paid = await s.pay({ amount_minor: 1_000_000, payment_ref: ref });
    assert.equal(paid.body.transfer.outcome, 'created');
    const replay = await s.pay({ amount_minor: 1_000_000, payment_ref: ref });
    assert.equal(replay.status, 200);
    assert.equal(replay.body.transfer.outcome, 'exists');
    assert.equal(replay.body.transfer.reason, 'deposit_payment');
    assert.equal(replay.body.deposit.balance_minor, 1_000_000);
    const clash = await s.pay({ amount_minor: 5, payment_ref: ref });
    assert.equal(clash.status, 409);
    assert.equal(clash.body.error.code, 'payment_reference_reused');
    assert.equal((await s.statement()).length, 1);
    // with nothing owed, paying "the shortfall" is refused
    const nothing = await s.pay({ payment_ref: paymentRef() });
    assert.equal(nothing.body.error.code, 'nothing_to_pay');
    await assertBooksBalance(t);
  });

  test('a penalty is deducted with its reason, never below zero; a top-up restores it', async () => {
    const s = await approvedFoodStore('糖果屋');
    await s.pay({ payment_ref: paymentRef() });
    const fine = await s.penalty({ amount_minor: 300_000, reason: '发货超时且虚假发货', penalty_ref: 'CASE-2026-001' });
    assert.equal(fine.status, 200, JSON.stringify(fine.body));
    assert.deepEqual([fine.body.deposit.balance_minor, fine.body.deposit.shortfall_minor, fine.body.store_status], [700_000, 300_000, 'open']);
    const again = await s.penalty({ amount_minor: 300_000, reason: '发货超时且虚假发货', penalty_ref: 'CASE-2026-001' });
    assert.equal(again.body.transfer.outcome, 'exists'); // the same case deducts once
    assert.equal(again.body.deposit.balance_minor, 700_000);
    await assertBooksBalance(t);

    const tooMuch = await s.penalty({ amount_minor: 700_001, reason: '严重违规' });
    assert.equal(tooMuch.status, 422);
    assert.equal(tooMuch.body.error.code, 'insufficient_deposit');
    assert.equal((await s.deposit()).balance_minor, 700_000);

    const topUp = await s.pay({ payment_ref: paymentRef() });
    assert.equal(topUp.body.transfer.reason, 'deposit_top_up');
    assert.equal(topUp.body.transfer.amount_minor, 300_000);
    assert.equal(topUp.body.deposit.shortfall_minor, 0);
    const lines = await s.statement();
    assert.deepEqual(lines.map((l: any) => [l.reason, l.amount_minor, l.balance_after_minor]), [['deposit_top_up', 300_000, 1_000_000], ['deposit_penalty', -300_000, 700_000], ['deposit_payment', 1_000_000, 1_000_000]]);
    assert.equal(lines[1].memo, '发货超时且虚假发货');
    const decisions = (await t.call('GET', `/api/v1/merchant/stores/${s.store.id}/review-decisions`, { token: s.owner.token })).body.items;
    assert.deepEqual([decisions[0].subject, decisions[0].decision, decisions[0].reason, decisions[0].actor_id], ['deposit', 'deposit_penalty', '发货超时且虚假发货', operator.id]);
    await assertBooksBalance(t);
    const income = await t.ctx.ledger.findAccount(t.ctx.db.kysely, 'platform_penalty_income', 'platform');
    assert.ok(income!.balance_minor >= 300_000);
  });

  test('closing refunds everything held, once; the store leaves the public list', async () => {
    const s = await approvedFoodStore('关门小铺');
    await s.pay({ payment_ref: paymentRef() });
    await s.penalty({ amount_minor: 100_000, reason: '违规' });
    const closed = await t.call('POST', `/api/v1/console/stores/${s.store.id}/close`, { token: operator.token, body: { reason: '商家申请注销' } });
    assert.equal(closed.status, 200);
    assert.equal(closed.body.status, 'closed');
    assert.equal((await s.deposit()).balance_minor, 0);
    const [refund] = await s.statement();
    assert.deepEqual([refund.reason, refund.amount_minor, refund.balance_after_minor, refund.transfer_id], ['deposit_refund', -900_000, 0, `deposit_refund:${s.store.id}`]);
    const clearing = await t.ctx.ledger.findAccount(t.ctx.db.kysely, 'merchant_payment_clearing', s.store.id);
    assert.equal(clearing!.balance_minor, 100_000); // paid in 1,000,000, refunded 900,000: the rest went to the penalty
    assert.equal((await t.call('GET', `/api/v1/stores/${s.store.id}`)).status, 404);
    const payAfter = await s.pay({ payment_ref: paymentRef() });
    assert.equal(payAfter.status, 422);
    assert.equal((await t.call('POST', `/api/v1/console/stores/${s.store.id}/close`, { token: operator.token, body: { reason: '再次关闭' } })).body.error.code, 'invalid_transition');
    await assertBooksBalance(t);
  });

  test('no deposit is taken before approval', async () => {
    const owner = await signedInUser(t);
    const store = await createApplication(t, owner.token, { name: '未审小店' });
    const r = await t.call('POST', `/api/v1/merchant/stores/${store.id}/deposit/sandbox-payments`, { token: owner.token, body: { amount_minor: 100, payment_ref: paymentRef() } });
    assert.equal(r.status, 422);
    assert.equal(r.body.error.code, 'deposit_not_due');
    const reconciled = await t.call('GET', '/api/v1/console/ledger/reconciliation', { token: operator.token });
    assert.equal(reconciled.status, 200);
    assert.equal(reconciled.body.ok, true);
    assert.ok(reconciled.body.transfers > 0);
    assert.equal((await t.call('GET', '/api/v1/console/ledger/reconciliation', { token: owner.token })).status, 403);
  });
});
