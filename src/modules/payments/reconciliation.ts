import { DAY_MS, HOUR_MS } from '../../lib/clock.ts';
import { newId } from '../../lib/ids.ts';
import type { Executor } from '../../db/index.ts';
import type { ReconcileReport } from '../ledger/index.ts';
import type { Ctx } from './context.ts';
import type { PaymentRow, RefundRow } from './payments.repo.ts';

export const RECONCILE_JOB = 'payments.reconcile';

export interface ProviderDifference {
  kind: 'paid_at_provider_not_recorded' | 'recorded_paid_not_at_provider' | 'amount_differs' | 'refund_state_differs' | 'provider_error';
  ref: string;
  ours: string;
  theirs: string;
}

export interface PaymentsReconcileReport {
  ok: boolean;
  at: number;
  /** (a) the ledger's own invariants. */
  ledger: ReconcileReport;
  /** (b) escrow per store = paid-but-unsettled orders minus their refunds; and those orders are paid in trade. */
  escrow: { stores: number; held_orders: number; problems: { store_id: string; ledger_minor: number; expected_minor: number }[] };
  orders: { problems: { order_id: string; problem: string }[] };
  /** Refunds payable = refunds open at the provider (+ automatic refunds it refused, still owed). */
  refunds_payable: { ledger_minor: number; expected_minor: number; ok: boolean };
  /** (c) the provider's records of recent payments and open refunds against ours. */
  provider: { checked_payments: number; checked_refunds: number; differences: ProviderDifference[] };
}

/**
 * Reconciliation: proves the books (ledger.reconcile), that escrow holds exactly what
 * unsettled orders were paid minus their refunds, and that the provider agrees with our
 * payments and refunds. Runs as a durable daily job (which only records a request: provider
 * calls never run inside a transaction — the payments worker runs it), from `npm run
 * reconcile`, and from the console. Reports are kept; the console shows the latest.
 */
export function createReconciliation(ctx: Ctx) {
  const { db, repo, clock, postings, trade, source, scheduler, config } = ctx;

  async function books(ex: Executor): Promise<Pick<PaymentsReconcileReport, 'escrow' | 'orders' | 'refunds_payable'>> {
    const held = await repo.q(ex).selectFrom('payments_order_funds').select(['order_id', 'store_id', 'paid_minor', 'refunded_minor']).where('status', '=', 'held').execute();
    const expected = new Map<string, number>();
    for (const h of held) expected.set(h.store_id, (expected.get(h.store_id) ?? 0) + Number(h.paid_minor) - Number(h.refunded_minor));
    const everyStore = (await repo.q(ex).selectFrom('payments_order_funds').select('store_id').distinct().execute()).map((r) => r.store_id);
    const actual = await postings.escrowBalances(ex, everyStore);
    const stores = new Set([...expected.keys(), ...actual.keys()]);
    const escrowProblems = [...stores].map((s) => ({ store_id: s, ledger_minor: actual.get(s) ?? 0, expected_minor: expected.get(s) ?? 0 })).filter((p) => p.ledger_minor !== p.expected_minor);
    const orderProblems: { order_id: string; problem: string }[] = [];
    for (const h of held) {
      const o = await trade.order(h.order_id, ex);
      if (!o) orderProblems.push({ order_id: h.order_id, problem: 'order_missing' });
      else if (o.status === 'unpaid' || o.status === 'cancelled') orderProblems.push({ order_id: h.order_id, problem: `held funds for an order that is ${o.status}` });
      else if (Number(o.total_minor) !== Number(h.paid_minor)) orderProblems.push({ order_id: h.order_id, problem: `paid ${h.paid_minor}, order total ${o.total_minor}` });
    }
    const open = await repo.q(ex).selectFrom('payments_refunds').select(['amount_minor', 'status', 'kind']).execute();
    const owed = open.filter((r) => ['pending', 'processing', 'abnormal'].includes(r.status) || (r.kind === 'cancelled_checkout' && (r.status === 'closed' || r.status === 'rejected')))
      .reduce((s, r) => s + Number(r.amount_minor), 0);
    const payable = (await postings.platformBalances(ex)).refunds_payable_minor;
    return {
      escrow: { stores: stores.size, held_orders: held.length, problems: escrowProblems },
      orders: { problems: orderProblems },
      refunds_payable: { ledger_minor: payable, expected_minor: owed, ok: payable === owed },
    };
  }

  async function provider(): Promise<PaymentsReconcileReport['provider']> {
    const p = await source.provider();
    const since = clock.now() - config.reconcile_lookback_ms;
    const payments = (await repo.q().selectFrom('payments_payments').selectAll().where('created_at', '>=', since).orderBy('created_at').limit(500).execute()) as PaymentRow[];
    const differences: ProviderDifference[] = [];
    for (const pay of payments) {
      const r = await p.query(pay.out_trade_no);
      if (!r.ok) {
        if (r.code === 'not_found' && pay.status !== 'paid') continue; // never reached the provider (prepay failed): nothing to compare
        differences.push({ kind: r.code === 'not_found' ? 'recorded_paid_not_at_provider' : 'provider_error', ref: pay.out_trade_no, ours: pay.status, theirs: r.code });
        continue;
      }
      const t = r.value;
      const theirsPaid = t.state === 'paid' || t.state === 'refunded';
      if (theirsPaid && pay.status !== 'paid') differences.push({ kind: 'paid_at_provider_not_recorded', ref: pay.out_trade_no, ours: pay.status, theirs: t.state });
      else if (!theirsPaid && pay.status === 'paid') differences.push({ kind: 'recorded_paid_not_at_provider', ref: pay.out_trade_no, ours: pay.status, theirs: t.state });
      if (t.amount_minor !== null && Number(t.amount_minor) !== Number(pay.amount_minor)) differences.push({ kind: 'amount_differs', ref: pay.out_trade_no, ours: String(pay.amount_minor), theirs: String(t.amount_minor) });
    }
    const refunds = (await repo.q().selectFrom('payments_refunds').selectAll().where((eb) => eb.or([eb('created_at', '>=', since), eb('status', 'in', ['processing', 'abnormal'])]))
      .orderBy('created_at').limit(500).execute()) as RefundRow[];
    const asProvider: Record<string, string> = { processing: 'processing', succeeded: 'succeeded', closed: 'closed', abnormal: 'abnormal' };
    for (const rf of refunds) {
      if (rf.status === 'pending' || rf.status === 'rejected') continue; // the provider has not (or never) accepted it
      const r = await p.queryRefund(rf.out_refund_no);
      const theirs = r.ok ? r.value.state : r.code;
      if (theirs !== asProvider[rf.status] && !(rf.status === 'processing' && theirs === 'succeeded')) {
        differences.push({ kind: r.ok ? 'refund_state_differs' : 'provider_error', ref: rf.out_refund_no, ours: rf.status, theirs });
      }
    }
    return { checked_payments: payments.length, checked_refunds: refunds.length, differences };
  }

  async function run(): Promise<PaymentsReconcileReport> {
    const ledger = await postings.ledgerReconcile();
    const b = await db.transaction((tx) => books(tx)); // one consistent read of our tables and the ledger balances
    const prov = await provider();
    const ok = ledger.ok && b.escrow.problems.length === 0 && b.orders.problems.length === 0 && b.refunds_payable.ok && prov.differences.length === 0;
    return { ok, at: clock.now(), ledger, ...b, provider: prov };
  }

  async function store(id: string, report: PaymentsReconcileReport): Promise<void> {
    await repo.q().updateTable('payments_reconcile_runs').set({ status: 'done', ok: report.ok ? 1 : 0, report: JSON.stringify(report), finished_at: clock.now(), claimed_until: null }).where('id', '=', id).execute();
  }

  scheduler.register(RECONCILE_JOB, async (_job, tx) => {
    await repo.q(tx).insertInto('payments_reconcile_runs').values({ id: newId('rcn'), status: 'requested', ok: null, report: null, claimed_until: null, requested_at: clock.now(), finished_at: null }).execute();
    const next = clock.now() + DAY_MS;
    await scheduler.schedule(tx, { kind: RECONCILE_JOB, run_at: next, dedupe_key: `payments:reconcile:${Math.floor(next / DAY_MS)}` });
    ctx.kick();
  });

  return {
    /** Runs now (no transaction held while the provider is asked) and keeps the report. */
    async reconcileNow(): Promise<PaymentsReconcileReport & { run_id: string }> {
      const id = newId('rcn');
      await repo.q().insertInto('payments_reconcile_runs').values({ id, status: 'requested', ok: null, report: null, claimed_until: clock.now() + HOUR_MS, requested_at: clock.now(), finished_at: null }).execute();
      const report = await run();
      await store(id, report);
      return { ...report, run_id: id };
    },
    /** Worker: runs what the daily job requested. */
    async runRequested(): Promise<number> {
      const now = clock.now();
      const due = await repo.q().selectFrom('payments_reconcile_runs').select('id').where('status', '=', 'requested')
        .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)])).limit(5).execute();
      let n = 0;
      for (const { id } of due) {
        const claimed = await repo.q().updateTable('payments_reconcile_runs').set({ claimed_until: now + HOUR_MS }).where('id', '=', id).where('status', '=', 'requested')
          .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)])).executeTakeFirst();
        if (Number(claimed.numUpdatedRows) !== 1) continue;
        await store(id, await run());
        n++;
      }
      return n;
    },
    async latestReconciliation(): Promise<(PaymentsReconcileReport & { run_id: string }) | null> {
      const r = await repo.q().selectFrom('payments_reconcile_runs').selectAll().where('status', '=', 'done').orderBy('id', 'desc').limit(1).executeTakeFirst();
      return r ? { ...(JSON.parse(r.report!) as PaymentsReconcileReport), run_id: r.id } : null;
    },
    /** The first daily run, at start (idempotent by day). */
    async scheduleDaily(ex: Executor): Promise<void> {
      const next = clock.now() + HOUR_MS;
      await scheduler.schedule(ex, { kind: RECONCILE_JOB, run_at: next, dedupe_key: `payments:reconcile:${Math.floor(next / DAY_MS)}` });
    },
  };
}
