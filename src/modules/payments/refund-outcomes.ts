import type { Executor } from '../../db/index.ts';
import { PART_SUFFIX, retryDelayMs, type Ctx } from './context.ts';
import type { RefundRow } from './payments.repo.ts';

/**
 * What a refund becomes once the provider has spoken — from our own call's answer, a query,
 * or a notification, whichever comes first. Every move is conditional on the refund still
 * being open, so the second report of the same outcome changes nothing.
 *
 * Events (outbox): `payment.refund_succeeded` | `payment.refund_failed` | `payment.refund_abnormal`
 * { refund_id, out_refund_no, order_id, store_id, amount_minor, status, provider_refund_id }. After-sales subscribes (or asks
 * refund() again with the same out_refund_no).
 */
export function createRefundOutcomes(ctx: Ctx) {
  const { repo, clock, postings, outbox, flags } = ctx;
  const OPEN = ['pending', 'processing', 'abnormal'] as const;

  const emit = (tx: Executor, type: string, r: RefundRow, status: string, providerRefundId: string | null = r.provider_refund_id) =>
    outbox.emit(tx, type, r.id, { refund_id: r.id, out_refund_no: r.out_refund_no, order_id: r.order_id, store_id: r.store_id, amount_minor: r.amount_minor, status, provider_refund_id: providerRefundId });

  /**
   * The final outcome of a refund request. A request split over the payments of an order paid in
   * parts (pre-sale) is heard once, when both parts are final, under the caller's number with the
   * whole amount: succeeded when both succeeded, else failed (a part that succeeded stays paid
   * back and the failed part is flagged: an operator resends the rest).
   */
  async function emitFinal(tx: Executor, type: 'payment.refund_succeeded' | 'payment.refund_failed', r: RefundRow, status: string, providerRefundId: string | null): Promise<void> {
    const isPart = r.out_refund_no.endsWith(PART_SUFFIX);
    const mainNo = isPart ? r.out_refund_no.slice(0, -PART_SUFFIX.length) : r.out_refund_no;
    const other = await repo.refund({ out_refund_no: isPart ? mainNo : mainNo + PART_SUFFIX }, tx);
    if (!other || other.order_id !== r.order_id) {
      await emit(tx, type, r, status, providerRefundId);
      return;
    }
    if (OPEN.includes(other.status as (typeof OPEN)[number])) return; // the other part decides when it ends
    const main = isPart ? other : { ...r, provider_refund_id: providerRefundId ?? r.provider_refund_id };
    const whole = { ...main, amount_minor: Number(r.amount_minor) + Number(other.amount_minor) };
    const otherFailed = other.status !== 'succeeded';
    if (type === 'payment.refund_succeeded' && !otherFailed) {
      await emit(tx, 'payment.refund_succeeded', whole, 'succeeded', main.provider_refund_id);
      return;
    }
    await emit(tx, 'payment.refund_failed', whole, type === 'payment.refund_failed' ? status : other.status, main.provider_refund_id);
  }

  /** Gives a failed refund's reservation back: ledger transfers reversed, the lines' refundable amounts restored. */
  async function release(tx: Executor, r: RefundRow): Promise<void> {
    // the order's row first, the ledger last: the lock order every money move of an order follows
    await repo.q(tx).updateTable('payments_order_funds').set((eb) => ({ refunded_minor: eb('refunded_minor', '-', r.amount_minor), updated_at: clock.now() }))
      .where('order_id', '=', r.order_id!).execute();
    // an order paid in parts: this payment may give it back again (no row for an order paid at once)
    await repo.q(tx).updateTable('payments_order_payments').set((eb) => ({ refunded_minor: eb('refunded_minor', '-', r.amount_minor) }))
      .where('order_id', '=', r.order_id!).where('payment_id', '=', r.payment_id).execute();
    for (const l of await repo.refundLines(r.id, tx)) {
      const after = r.phase === 'after_settlement';
      await repo.q(tx).updateTable('payments_line_funds').set((eb) => ({
        refunded_minor: eb('refunded_minor', '-', l.amount_minor),
        post_refunded_minor: eb('post_refunded_minor', '-', after ? l.amount_minor : 0),
        reversed_fee_minor: eb('reversed_fee_minor', '-', l.fee_minor),
        reversed_commission_minor: eb('reversed_commission_minor', '-', l.commission_minor),
        reversed_subsidy_minor: eb('reversed_subsidy_minor', '-', l.subsidy_minor),
      })).where('line_id', '=', l.line_id).execute();
    }
    await postings.refundVoided(tx, { refund_id: r.id, transfer_ids: JSON.parse(r.transfer_ids) as string[] });
  }

  return {
    async succeeded(tx: Executor, r: RefundRow, providerRefundId: string | null): Promise<boolean> {
      const now = clock.now();
      if (!(await repo.moveRefund(tx, r.id, OPEN, { status: 'succeeded', provider_refund_id: providerRefundId ?? r.provider_refund_id, finished_at: now, updated_at: now, claimed_until: null, last_error: null }))) return false;
      await postings.refundPaid(tx, { refund_id: r.id, amount_minor: r.amount_minor });
      if (r.kind === 'cancelled_checkout') await repo.q(tx).updateTable('payments_payments').set({ outcome: 'refunded', updated_at: now }).where('id', '=', r.payment_id).execute();
      await emitFinal(tx, 'payment.refund_succeeded', r, 'succeeded', providerRefundId ?? r.provider_refund_id);
      return true;
    },

    /** The provider closed the refund (or refused to make it): the reservation goes back; operators see a flag. */
    async failed(tx: Executor, r: RefundRow, status: 'closed' | 'rejected', message: string): Promise<boolean> {
      const now = clock.now();
      if (!(await repo.moveRefund(tx, r.id, OPEN, { status, finished_at: now, updated_at: now, claimed_until: null, last_error: message.slice(0, 500) }))) return false;
      // An order refund's money returns to where it came from. The automatic refund of a cancelled
      // checkout has nowhere to return to: it stays owed to the buyer until an operator acts.
      if (r.kind === 'order') await release(tx, r);
      await flags.raise(tx, { kind: status === 'closed' ? 'refund_closed' : 'refund_rejected', ref: r.out_refund_no, dedupe_key: `refund_failed:${r.id}`, details: { refund_id: r.id, order_id: r.order_id, amount_minor: r.amount_minor, message } });
      await emitFinal(tx, 'payment.refund_failed', r, status, r.provider_refund_id);
      return true;
    },

    /** REFUND.ABNORMAL: the money could not reach the buyer (e.g. a closed card); it stays owed and an operator takes over. */
    async abnormal(tx: Executor, r: RefundRow): Promise<boolean> {
      if (!(await repo.moveRefund(tx, r.id, ['pending', 'processing'], { status: 'abnormal', updated_at: clock.now(), claimed_until: null }))) return false;
      await flags.raise(tx, { kind: 'refund_abnormal', ref: r.out_refund_no, dedupe_key: `refund_abnormal:${r.id}`, details: { refund_id: r.id, order_id: r.order_id, amount_minor: r.amount_minor } });
      await emit(tx, 'payment.refund_abnormal', r, 'abnormal');
      return true;
    },

    /** Accepted (or outcome unknown): ask again later with the same out_refund_no. */
    async later(tx: Executor, r: RefundRow, p: { accepted: boolean; provider_refund_id?: string | null; error?: string }): Promise<void> {
      const now = clock.now();
      const patch = { next_attempt_at: now + retryDelayMs(r.attempts), claimed_until: null, updated_at: now, last_error: p.error?.slice(0, 500) ?? null };
      if (p.accepted) await repo.moveRefund(tx, r.id, ['pending', 'processing'], { ...patch, status: 'processing', provider_refund_id: p.provider_refund_id ?? r.provider_refund_id });
      else await repo.moveRefund(tx, r.id, ['pending', 'processing'], patch);
    },
  };
}
export type RefundOutcomes = ReturnType<typeof createRefundOutcomes>;
