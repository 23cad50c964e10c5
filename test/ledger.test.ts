import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from './support/app.ts';
import type { Account, TransferInput } from '../src/modules/ledger/index.ts';

/**
 * The ledger through its public interface, on a real database: balanced transfers, the caller's
 * id as idempotency key, must-not-go-negative enforced by the balance update itself (also under
 * concurrency), all-or-nothing batches, reversals, statements, and reconciliation that notices
 * tampering.
 */
let t: TestApp;
let n = 0;
before(async () => {
  t = await startTestApp();
});
after(() => t?.close());

const ex = () => t.ctx.db.kysely;
const L = () => t.ctx.ledger;
/** A fresh store-owned pair: payment clearing (debit-normal) and deposit held (credit-normal, never negative). */
async function pair() {
  const owner = `sto_test_${process.pid}_${++n}`;
  return { clearing: await L().account(ex(), 'merchant_payment_clearing', owner), held: await L().account(ex(), 'store_deposit_held', owner), owner };
}
const xfer = (id: string, from: Account, to: Account, amount: number, over: Partial<TransferInput> = {}): TransferInput =>
  ({ id, debit_account_id: from.id, credit_account_id: to.id, amount_minor: amount, currency: 'CNY', reason: 'deposit_payment', ...over });
const balance = async (a: Account) => (await L().getAccount(ex(), a.id))!.balance_minor;
const tid = (name: string) => `test:${process.pid}:${++n}:${name}`;
const entriesCount = async () => Number((await ex().selectFrom('ledger_entries').select((eb) => eb.fn.countAll().as('c')).executeTakeFirstOrThrow()).c);

describe('ledger', () => {
  test('a transfer debits one account and credits another; balances follow each normal side', async () => {
    const { clearing, held } = await pair();
    const r = await L().post(ex(), [xfer(tid('pay'), clearing, held, 50_000, { ref: { type: 'store', id: 'sto_x' }, memo: '缴纳' })]);
    assert.ok(r.ok);
    assert.equal(r.value[0].outcome, 'created');
    assert.equal(await balance(clearing), 50_000); // debit-normal: the platform holds it
    assert.equal(await balance(held), 50_000); // credit-normal: the platform owes it
    const again = await L().account(ex(), 'store_deposit_held', held.owner_id);
    assert.equal(again.id, held.id); // opened once per (code, owner, currency)
    assert.ok((await L().reconcile()).ok);
  });

  test('the same id twice moves money once; the same id with another body is refused', async () => {
    const { clearing, held } = await pair();
    const id = tid('idem');
    assert.ok((await L().post(ex(), [xfer(id, clearing, held, 700)])).ok);
    const replay = await L().post(ex(), [xfer(id, clearing, held, 700)]);
    assert.ok(replay.ok && replay.value[0].outcome === 'exists');
    assert.equal(await balance(held), 700);
    const clash = await L().post(ex(), [xfer(id, clearing, held, 701)]);
    assert.ok(!clash.ok);
    assert.equal(clash.code, 'transfer_exists_with_different_fields');
    assert.deepEqual((clash.details as any).fields, ['amount_minor']);
    assert.equal(await balance(held), 700);
  });

  test('a must-not-go-negative account refuses an overdraft as a value; nothing is written, the caller goes on', async () => {
    const { clearing, held } = await pair();
    await L().post(ex(), [xfer(tid('in'), clearing, held, 1_000)]);
    const before = await entriesCount();
    const outcome = await t.ctx.db.transaction(async (tx) => {
      const r = await L().post(tx, [xfer(tid('out'), held, clearing, 1_001, { reason: 'deposit_refund' })]);
      await tx.insertInto('outbox_events').values({ id: `evt_ledger_${n}`, type: 'test.after_refusal', aggregate_id: 'x', payload: '{}', occurred_at: 0, available_at: 0, attempts: 0 }).execute();
      return r;
    });
    assert.ok(!outcome.ok);
    assert.equal(outcome.code, 'exceeds_balance');
    assert.equal((outcome.details as any).balance_minor, 1_000);
    assert.equal(await entriesCount(), before);
    assert.equal(await balance(held), 1_000);
    assert.ok(await ex().selectFrom('outbox_events').select('id').where('id', '=', `evt_ledger_${n}`).executeTakeFirst(), 'the caller’s own write survived');
    const exact = await L().post(ex(), [xfer(tid('all'), held, clearing, 1_000, { reason: 'deposit_refund' })]);
    assert.ok(exact.ok);
    assert.equal(await balance(held), 0);
  });

  test('a batch is all or nothing', async () => {
    const { clearing, held } = await pair();
    const r = await L().post(ex(), [xfer(tid('a'), clearing, held, 300), xfer(tid('b'), held, clearing, 301, { reason: 'deposit_refund' })]);
    assert.ok(!r.ok);
    assert.equal(await balance(held), 0);
    assert.equal(await balance(clearing), 0);
    const good = await L().post(ex(), [xfer(tid('c'), clearing, held, 300), xfer(tid('d'), held, clearing, 300, { reason: 'deposit_refund' })]);
    assert.ok(good.ok && good.value.length === 2);
    assert.ok((await L().reconcile()).ok);
  });

  test('concurrent withdrawals never overdraw: ten of twenty succeed', async () => {
    const { clearing, held } = await pair();
    await L().post(ex(), [xfer(tid('fund'), clearing, held, 1_000)]);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      t.ctx.db.transaction((tx) => L().post(tx, [xfer(tid(`w${i}`), held, clearing, 100, { reason: 'deposit_refund' })]))));
    assert.equal(results.filter((r) => r.ok).length, 10);
    assert.ok(results.filter((r) => !r.ok).every((r) => !r.ok && r.code === 'exceeds_balance'));
    assert.equal(await balance(held), 0);
    assert.ok((await L().reconcile()).ok);
  });

  test('a reversal undoes a transfer, linked to it, once', async () => {
    const { clearing, held } = await pair();
    const original = tid('orig');
    await L().post(ex(), [xfer(original, clearing, held, 2_500, { ref: { type: 'store', id: held.owner_id } })]);
    const rev = await L().reverse(ex(), { id: tid('rev'), reverses_id: original, memo: '错误入账' });
    assert.ok(rev.ok);
    assert.deepEqual([rev.value.reverses_id, rev.value.debit_account_id, rev.value.credit_account_id, rev.value.reason, rev.value.ref_id], [original, held.id, clearing.id, 'reversal', held.owner_id]);
    assert.equal(await balance(held), 0);
    const replay = await L().reverse(ex(), { id: rev.value.id, reverses_id: original, memo: '错误入账' });
    assert.ok(replay.ok && replay.value.outcome === 'exists');
    const twice = await L().reverse(ex(), { id: tid('rev2'), reverses_id: original });
    assert.ok(!twice.ok);
    assert.equal(twice.code, 'already_reversed');
    const missing = await L().reverse(ex(), { id: tid('rev3'), reverses_id: 'nope:nope:nope' });
    assert.ok(!missing.ok && missing.code === 'transfer_not_found');
  });

  test('a statement lists movements newest first with signed amounts and the balance after each', async () => {
    const { clearing, held } = await pair();
    await L().post(ex(), [xfer(tid('s1'), clearing, held, 1_000)]);
    await L().post(ex(), [xfer(tid('s2'), held, clearing, 400, { reason: 'deposit_refund' })]);
    await L().post(ex(), [xfer(tid('s3'), clearing, held, 50, { reason: 'deposit_top_up' })]);
    const page1 = await L().statement(held.id, { limit: 2 });
    assert.deepEqual(page1.items.map((l) => [l.reason, l.amount_minor, l.balance_after_minor]), [['deposit_top_up', 50, 650], ['deposit_refund', -400, 600]]);
    const page2 = await L().statement(held.id, { limit: 2, cursor: page1.next_cursor! });
    assert.deepEqual(page2.items.map((l) => [l.reason_zh, l.amount_minor, l.balance_after_minor]), [['缴纳保证金', 1_000, 1_000]]);
    assert.equal(page2.next_cursor, null);
    const other = await L().statement(clearing.id, {});
    assert.deepEqual(other.items.map((l) => l.amount_minor), [50, -400, 1_000]);
  });

  test('reconciliation proves the books and names what is wrong when they are tampered with', async () => {
    const { clearing, held } = await pair();
    const id = tid('tamper');
    await L().post(ex(), [xfer(id, clearing, held, 900)]);
    assert.ok((await L().reconcile()).ok);

    await ex().updateTable('ledger_accounts').set({ credits_posted_minor: 899 }).where('id', '=', held.id).execute();
    let report = await L().reconcile();
    assert.deepEqual(report.problems.map((p) => p.kind), ['cached_totals_mismatch']);
    await ex().updateTable('ledger_accounts').set({ credits_posted_minor: 900 }).where('id', '=', held.id).execute();

    const entry = await ex().selectFrom('ledger_entries').selectAll().where('transfer_id', '=', id).where('leg', '=', 'credit').executeTakeFirstOrThrow();
    await ex().updateTable('ledger_entries').set({ amount_minor: 901 }).where('id', '=', entry.id).execute();
    report = await L().reconcile();
    assert.deepEqual(report.problems.map((p) => p.kind).sort(), ['cached_totals_mismatch', 'entries_do_not_net_to_zero', 'transfer_unbalanced']);
    await ex().updateTable('ledger_entries').set({ amount_minor: 900 }).where('id', '=', entry.id).execute();
    assert.ok((await L().reconcile()).ok);
  });
});
