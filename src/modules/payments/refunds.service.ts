import { newId } from '../../lib/ids.ts';
import { money } from '../../lib/money.ts';
import { fail, ok, type Result } from '../../lib/result.ts';
import type { Executor } from '../../db/index.ts';
import { PART_SUFFIX, type Ctx } from './context.ts';
import type { LineFundsRow, RefundRow } from './payments.repo.ts';
import type { CommissionSplit } from './ports.ts';
import type { ProviderFailure, ProviderRefund } from './provider.ts';
import type { RefundOutcomes } from './refund-outcomes.ts';
import { reverseSettledLine, type LineReversal } from './settlement-math.ts';

/** The refund API (after-sales calls it): refund part of an order's payment, by line. */
export interface RefundRequest {
  order_id: string;
  lines: { line_id: string; amount_minor: number }[];
  reason: string;
  /** The caller's refund number (1–64 of [0-9A-Za-z_-|*@]): the idempotency key, here and at the provider. */
  out_refund_no: string;
}
export type RefundOutcome =
  | { status: 'succeeded'; refund_id: string | null }
  | { status: 'processing'; refund_id: string | null }
  | { status: 'failed'; code: string; message: string; retryable: boolean };

export type RefundFailCode = 'invalid_refund' | 'refund_no_reused' | 'order_not_paid' | 'line_not_in_order' | 'refund_exceeds_paid';

const OUT_REFUND_NO = /^[0-9A-Za-z_\-|*@]{1,64}$/;
const LEASE_MS = 60_000;
const isExecutor = (v: unknown): v is Executor => typeof (v as Executor)?.selectFrom === 'function';
const refundable = (l: LineFundsRow) => Number(l.paid_minor) - Number(l.refunded_minor);

export function createRefunds(ctx: Ctx, outcomes: RefundOutcomes) {
  const { db, repo, clock, postings, outbox, source, log } = ctx;

  function check(input: RefundRequest): string | null {
    if (!OUT_REFUND_NO.test(input.out_refund_no ?? '')) return 'out_refund_no must be 1–64 of [0-9A-Za-z_-|*@]';
    if (!Array.isArray(input.lines) || input.lines.length === 0) return 'give at least one line';
    if (new Set(input.lines.map((l) => l.line_id)).size !== input.lines.length) return 'each line at most once';
    if (input.lines.some((l) => !Number.isSafeInteger(l.amount_minor) || l.amount_minor <= 0)) return 'amounts are positive integers of fen';
    return null;
  }

  /** The refund rows of one request: the caller's number, and for an order paid in parts maybe its deposit part. */
  async function requestRows(outRefundNo: string, ex?: Executor): Promise<RefundRow[]> {
    const main = await repo.refund({ out_refund_no: outRefundNo }, ex);
    if (!main) return [];
    const part = await repo.refund({ out_refund_no: outRefundNo + PART_SUFFIX }, ex);
    return part ? [main, part] : [main];
  }

  /**
   * Takes the refund off what the lines and the order may still refund and books it as owed to
   * the buyer; nothing written on a refusal. An order paid in parts (pre-sale) is refunded over
   * its payments, the balance first, then the deposit: one refund row per payment touched.
   */
  async function reserve(tx: Executor, input: RefundRequest): Promise<Result<RefundRow[], RefundFailCode>> {
    const bad = check(input);
    if (bad) return fail('invalid_refund', bad);
    const prior = await requestRows(input.out_refund_no, tx);
    if (prior.length) {
      const asked = new Map<string, number>();
      for (const r of prior) for (const l of await repo.refundLines(r.id, tx)) asked.set(l.line_id, (asked.get(l.line_id) ?? 0) + Number(l.amount_minor));
      const same = prior[0].order_id === input.order_id && asked.size === input.lines.length && input.lines.every((l) => asked.get(l.line_id) === l.amount_minor);
      return same ? ok(prior) : fail('refund_no_reused', `refund ${input.out_refund_no} was already requested with other lines or amounts`);
    }
    const funds = await repo.orderFunds(input.order_id, tx);
    if (!funds) return fail('order_not_paid', `order ${input.order_id} has no payment to refund`);
    const byLine = new Map((await repo.lineFunds(input.order_id, tx)).map((l) => [l.line_id, l]));
    for (const l of input.lines) {
      const lf = byLine.get(l.line_id);
      if (!lf) return fail('line_not_in_order', `line ${l.line_id} is not a line of order ${input.order_id}`, { line_id: l.line_id });
      if (l.amount_minor > refundable(lf)) return fail('refund_exceeds_paid', `line ${l.line_id} may refund at most ${refundable(lf)}`, { line_id: l.line_id, refundable_minor: refundable(lf) });
    }
    const total = input.lines.reduce((s, l) => s + l.amount_minor, 0);
    const now = clock.now();
    // The order's row is the lock every money move of the order takes first (refunds, settlement).
    const locked = await repo.q(tx).updateTable('payments_order_funds').set((eb) => ({ refunded_minor: eb('refunded_minor', '+', total), updated_at: now }))
      .where('order_id', '=', input.order_id).where((eb) => eb(eb('refunded_minor', '+', total), '<=', eb.ref('paid_minor'))).executeTakeFirst();
    if (Number(locked.numUpdatedRows) !== 1) return fail('refund_exceeds_paid', `order ${input.order_id} may refund at most ${Number(funds.paid_minor) - Number(funds.refunded_minor)}`);
    const fresh = (await repo.orderFunds(input.order_id, tx))!;
    const phase = fresh.status === 'held' ? 'before_settlement' : 'after_settlement';
    const parts = await splitOverPayments(tx, input, fresh.payment_id);
    if (!parts) return fail('invalid_refund', `out_refund_no of an order paid in parts is at most ${64 - PART_SUFFIX.length} characters`);
    const rows: RefundRow[] = [];
    for (const part of parts) rows.push(await reservePart(tx, input, part, phase, fresh.store_id));
    return ok(rows);
  }

  /** Which payment gives back what: one payment, or — paid in parts — the balance first, then the deposit (exact to the fen). */
  async function splitOverPayments(tx: Executor, input: RefundRequest, paymentId: string): Promise<{ payment_id: string; out_refund_no: string; lines: RefundRequest['lines'] }[] | null> {
    const paid = await repo.orderPayments(input.order_id, tx);
    if (paid.length < 2) return [{ payment_id: paymentId, out_refund_no: input.out_refund_no, lines: input.lines }];
    if (input.out_refund_no.length + PART_SUFFIX.length > 64) return null;
    const latestFirst = [...paid].reverse();
    const left = latestFirst.map((p) => Number(p.amount_minor) - Number(p.refunded_minor));
    const split = latestFirst.map(() => [] as RefundRequest['lines']);
    let k = 0;
    for (const l of input.lines) {
      let rest = l.amount_minor;
      while (rest > 0) {
        while (k < left.length && left[k] === 0) k++;
        if (k === left.length) throw new Error(`order ${input.order_id}: its payments cannot give back ${rest} more`);
        const take = Math.min(rest, left[k]);
        split[k].push({ line_id: l.line_id, amount_minor: take });
        left[k] -= take;
        rest -= take;
      }
    }
    const out: { payment_id: string; out_refund_no: string; lines: RefundRequest['lines'] }[] = [];
    for (const [i, p] of latestFirst.entries()) {
      if (split[i].length === 0) continue;
      const amount = split[i].reduce((s, l) => s + l.amount_minor, 0);
      const u = await repo.q(tx).updateTable('payments_order_payments').set((eb) => ({ refunded_minor: eb('refunded_minor', '+', amount) }))
        .where('order_id', '=', input.order_id).where('payment_id', '=', p.payment_id).where((eb) => eb(eb('refunded_minor', '+', amount), '<=', eb.ref('amount_minor'))).executeTakeFirst();
      if (Number(u.numUpdatedRows) !== 1) throw new Error(`payment ${p.payment_id} of ${input.order_id} changed under the order lock`);
      out.push({ payment_id: p.payment_id, out_refund_no: out.length === 0 ? input.out_refund_no : input.out_refund_no + PART_SUFFIX, lines: split[i] });
    }
    return out;
  }

  /** One payment's part of a refund: the lines' caps and reversals (cumulative), the row, the ledger reservation. */
  async function reservePart(tx: Executor, input: RefundRequest, part: { payment_id: string; out_refund_no: string; lines: RefundRequest['lines'] }, phase: 'before_settlement' | 'after_settlement', storeId: string): Promise<RefundRow> {
    const now = clock.now();
    const total = part.lines.reduce((s, l) => s + l.amount_minor, 0);
    const lines = new Map((await repo.lineFunds(input.order_id, tx)).map((l) => [l.line_id, l]));
    const parts: LineReversal[] = [];
    for (const l of part.lines) {
      const lf = lines.get(l.line_id)!;
      if (l.amount_minor > refundable(lf)) throw new Error(`line ${l.line_id} changed under the order lock`);
      const p = phase === 'before_settlement' ? { line_id: l.line_id, amount_minor: l.amount_minor, fee_minor: 0, commission_minor: 0, subsidy_minor: 0 } : reverseSettledLine(settledOf(lf), l.amount_minor);
      parts.push(p);
      await repo.q(tx).updateTable('payments_line_funds').set((eb) => ({
        refunded_minor: eb('refunded_minor', '+', p.amount_minor), post_refunded_minor: eb('post_refunded_minor', '+', phase === 'after_settlement' ? p.amount_minor : 0),
        reversed_fee_minor: eb('reversed_fee_minor', '+', p.fee_minor), reversed_commission_minor: eb('reversed_commission_minor', '+', p.commission_minor),
        reversed_subsidy_minor: eb('reversed_subsidy_minor', '+', p.subsidy_minor),
      })).where('line_id', '=', l.line_id).execute();
    }
    const payment = (await repo.payment({ id: part.payment_id }, tx))!;
    const row: RefundRow = {
      id: newId('rfd'), out_refund_no: part.out_refund_no, payment_id: payment.id, out_trade_no: payment.out_trade_no, order_id: input.order_id, store_id: storeId,
      kind: 'order', phase, amount_minor: total, currency: 'CNY', reason: (input.reason ?? '').slice(0, 200), status: 'pending', provider_refund_id: null, transfer_ids: '[]',
      attempts: 0, next_attempt_at: now, claimed_until: null, last_error: null, created_at: now, updated_at: now, finished_at: null,
    };
    await repo.q(tx).insertInto('payments_refunds').values(row).execute();
    await repo.q(tx).insertInto('payments_refund_lines').values(parts.map((p) => ({ refund_id: row.id, order_id: input.order_id, ...p }))).execute();
    const commissions = new Map<string, number>();
    for (const p of parts) {
      const creator = lines.get(p.line_id)!.creator_id;
      if (p.commission_minor > 0 && creator) commissions.set(creator, (commissions.get(creator) ?? 0) + p.commission_minor);
    }
    const transferIds = await postings.refundReserved(tx, {
      refund_id: row.id, order_id: input.order_id, store_id: storeId, phase, amount_minor: total,
      fee_minor: parts.reduce((s, p) => s + p.fee_minor, 0), subsidy_minor: parts.reduce((s, p) => s + p.subsidy_minor, 0),
      commissions: [...commissions].map(([creator_id, amount_minor]): CommissionSplit => ({ creator_id, amount_minor })),
    });
    row.transfer_ids = JSON.stringify(transferIds);
    await repo.q(tx).updateTable('payments_refunds').set({ transfer_ids: row.transfer_ids }).where('id', '=', row.id).execute();
    await outbox.emit(tx, 'payment.refund_requested', row.id, { refund_id: row.id, out_refund_no: row.out_refund_no, order_id: row.order_id, store_id: row.store_id, amount_minor: total, phase });
    return row;
  }

  /** One request's outcome over its rows: failed if any part failed, processing while any is open, else succeeded. */
  function combined(rows: RefundRow[]): RefundOutcome {
    const outcomes = rows.map(outcomeOf);
    return outcomes.find((o) => o.status === 'failed') ?? (outcomes.find((o) => o.status === 'processing') ? { status: 'processing', refund_id: rows[0].provider_refund_id } : outcomes[0]);
  }

  function outcomeOf(r: RefundRow): RefundOutcome {
    if (r.status === 'succeeded') return { status: 'succeeded', refund_id: r.provider_refund_id };
    if (r.status === 'closed' || r.status === 'rejected') return { status: 'failed', code: `refund_${r.status}`, message: r.last_error ?? r.status, retryable: false };
    return { status: 'processing', refund_id: r.provider_refund_id };
  }

  async function applyAnswer(tx: Executor, r: RefundRow, res: Result<ProviderRefund, ProviderFailure>): Promise<void> {
    if (res.ok) {
      const v = res.value;
      if (v.state === 'succeeded') await outcomes.succeeded(tx, r, v.refund_id);
      else if (v.state === 'closed') await outcomes.failed(tx, r, 'closed', 'REFUND.CLOSED');
      else if (v.state === 'abnormal') await outcomes.abnormal(tx, r);
      else await outcomes.later(tx, r, { accepted: true, provider_refund_id: v.refund_id });
      return;
    }
    const code = (res.details as { provider_code?: string } | undefined)?.provider_code;
    const message = `${res.code}${code ? ` ${code}` : ''}: ${res.message}`;
    // A definite refusal of the refund request itself; anything else is an unknown outcome: ask again, same number.
    if (r.status === 'pending' && (res.code === 'rejected' || res.code === 'not_found')) await outcomes.failed(tx, r, 'rejected', message);
    else await outcomes.later(tx, r, { accepted: r.status === 'processing', error: message });
  }

  /** One provider round for a refund, with no transaction open: refund (first time) or query, then apply the answer. */
  async function drive(id: string): Promise<RefundOutcome> {
    const now = clock.now();
    const claimed = await repo.q().updateTable('payments_refunds').set((eb) => ({ claimed_until: now + LEASE_MS, attempts: eb('attempts', '+', 1) }))
      .where('id', '=', id).where('status', 'in', ['pending', 'processing'])
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)])).executeTakeFirst();
    const r = (await repo.refund({ id }))!;
    if (Number(claimed.numUpdatedRows) !== 1) return outcomeOf(r);
    const provider = await source.provider();
    let res: Result<ProviderRefund, ProviderFailure>;
    if (r.status === 'pending') {
      const payment = (await repo.payment({ id: r.payment_id }))!;
      res = await provider.refund({
        out_refund_no: r.out_refund_no, out_trade_no: r.out_trade_no, refund: money(r.amount_minor), total: money(payment.amount_minor), reason: r.reason || '退款',
        ...(payment.notify_url ? { notify_url: payment.notify_url } : {}),
      });
    } else {
      res = await provider.queryRefund(r.out_refund_no);
    }
    await db.transaction((tx) => applyAnswer(tx, r, res));
    return outcomeOf((await repo.refund({ id }))!);
  }

  /**
   * refund(input): reserve, call the provider, apply its answer — no transaction is held
   * during the call. refund(tx, input): reserve in the caller's transaction; the provider is
   * called by the payments worker after commit. Same out_refund_no again → the same refund's
   * current state (the provider is asked again while it is open).
   */
  async function refund(a: Executor | RefundRequest, b?: RefundRequest): Promise<RefundOutcome> {
    if (isExecutor(a)) {
      const r = await reserve(a, b!);
      if (!r.ok) return { status: 'failed', code: r.code, message: r.message, retryable: false };
      ctx.kick();
      return combined(r.value);
    }
    const r = await db.transaction((tx) => reserve(tx, a));
    if (!r.ok) return { status: 'failed', code: r.code, message: r.message, retryable: false };
    const open = r.value.filter((x) => x.status === 'pending' || x.status === 'processing');
    if (open.length === 0) return combined(r.value);
    try {
      for (const x of open) await drive(x.id);
      return combined(await requestRows(a.out_refund_no));
    } catch (err) {
      log.warn({ err, refund_id: open[0].id }, 'refund call failed; the worker retries');
      return { status: 'processing', refund_id: null };
    }
  }

  return {
    refund,
    /** Worker: every open refund due for a provider round. */
    async runDueRefunds(limit = 50): Promise<number> {
      const now = clock.now();
      const due = await repo.q().selectFrom('payments_refunds').select('id').where('status', 'in', ['pending', 'processing']).where('next_attempt_at', '<=', now)
        .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)])).orderBy('next_attempt_at').limit(limit).execute();
      let n = 0;
      for (const { id } of due) {
        await drive(id);
        n++;
      }
      return n;
    },
    async refundStatus(outRefundNo: string): Promise<(RefundOutcome & { amount_minor: number; order_id: string | null }) | null> {
      const r = await repo.refund({ out_refund_no: outRefundNo });
      return r ? { ...outcomeOf(r), amount_minor: r.amount_minor, order_id: r.order_id } : null;
    },
  };
}

function settledOf(l: LineFundsRow) {
  return {
    line_id: l.line_id, creator_id: l.creator_id, settled_base_minor: Number(l.settled_base_minor ?? 0), settled_fee_minor: Number(l.settled_fee_minor ?? 0),
    settled_commission_minor: Number(l.settled_commission_minor ?? 0), settled_subsidy_minor: Number(l.settled_subsidy_minor ?? 0), post_refunded_minor: Number(l.post_refunded_minor),
    reversed_fee_minor: Number(l.reversed_fee_minor), reversed_commission_minor: Number(l.reversed_commission_minor), reversed_subsidy_minor: Number(l.reversed_subsidy_minor),
  };
}
export type Refunds = ReturnType<typeof createRefunds>;
