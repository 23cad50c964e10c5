import type { Executor } from '../../db/index.ts';
import type { Job } from '../../db/scheduler.ts';
import { SYSTEM, type RefundRow, type RequestRow } from './aftersales.repo.ts';
import { payShippingInsurance } from './claims.service.ts';
import { refundCap, type Ctx } from './context.ts';
import { DEADLINES, type RequestStatus } from './request-machine.ts';

/** Why a request closed when a deadline passed (shown to both sides). */
const CLOSE_REASON: Partial<Record<RequestStatus, string>> = {
  awaiting_buyer: 'buyer_did_not_answer', rejected: 'rejection_not_escalated', awaiting_return: 'return_not_shipped',
};

/**
 * What happens without anyone acting: deadlines (scheduler jobs), the return's delivery
 * (fulfillment's event), and the money once a request is approved. Each runs in the
 * transaction it is given and is idempotent: it acts only if the request is still where the
 * trigger expected it.
 */
export function createOutcomes(ctx: Ctx) {
  const { repo, transitions } = ctx;

  return {
    /** A deadline passed: approve (merchant silent 48 h), close (buyer silent), or refund (return not confirmed in 10 days). */
    async onDeadline(job: Job<{ request_id: string; status: RequestStatus; deadline_at: number }>, tx: Executor): Promise<void> {
      const req = await repo.request(job.payload.request_id, tx);
      if (!req || req.status !== job.payload.status || req.deadline_at !== job.payload.deadline_at) return; // moved on meanwhile
      const d = DEADLINES[req.status];
      if (!d) return;
      const patch: Partial<RequestRow> = {};
      if (d.fires === 'auto_approve') patch.refund_amount_minor = req.type === 'exchange' ? null : req.amount_minor;
      if (d.fires === 'auto_refund' && req.refund_amount_minor === null) patch.refund_amount_minor = await refundCap(ctx, tx, req); // an exchange the merchant never confirmed
      const close = CLOSE_REASON[req.status];
      if (close) patch.close_reason = close;
      await transitions.move(tx, req, { event: d.fires, actor: SYSTEM, note: `deadline_passed:${d.after}`, patch });
    },

    /** fulfillment's `shipment.delivered`: a return arrived, the merchant's 10 days start. Duplicates change nothing. */
    async onShipmentDelivered(tx: Executor, p: { shipment_id: string; direction: string }): Promise<void> {
      if (p.direction !== 'return') return;
      const req = await repo.q(tx).selectFrom('aftersales_requests').selectAll().where('return_shipment_id', '=', p.shipment_id).executeTakeFirst();
      if (!req || req.status !== 'returning') return;
      await transitions.move(tx, req, { event: 'return_delivered', actor: SYSTEM, data: { shipment_id: p.shipment_id }, patch: { return_delivered_at: ctx.clock.now() } });
    },

    /** A request entered `refunding`: queue its refund for what was agreed, never above what the line has left. */
    async onRefunding(tx: Executor, req: RequestRow): Promise<void> {
      const cap = await refundCap(ctx, tx, req);
      const amount = Math.min(req.refund_amount_minor ?? cap, cap);
      if (amount <= 0) throw new Error(`request ${req.id} has nothing left to refund`);
      if (amount !== req.refund_amount_minor) await repo.q(tx).updateTable('aftersales_requests').set({ refund_amount_minor: amount }).where('id', '=', req.id).execute();
      await ctx.queue.enqueue(tx, { subject_id: req.id, order_id: req.order_id, line_id: req.line_id, amount_minor: amount, reason: `aftersales:${req.type}:${req.reason}` });
    },
  };
}

/**
 * The refund of a request or damage claim succeeded: the order line records it (closing the
 * order when everything paid is refunded), the request or claim is settled, and an insured
 * return earns its shipping-insurance payout.
 */
export function refundHooks(ctx: Ctx, claims: { refundSucceeded(tx: Executor, claimId: string): Promise<void> }) {
  return {
    async succeeded(tx: Executor, refund: RefundRow): Promise<void> {
      if (refund.subject_id.startsWith('gcl_')) {
        await ctx.orders.recordRefund(tx, refund.order_id, refund.line_id, refund.amount_minor);
        return claims.refundSucceeded(tx, refund.subject_id);
      }
      const req = await ctx.repo.request(refund.subject_id, tx);
      // A refund without return (仅退款) of units not yet shipped: trade takes them off the
      // merchant's to-ship list and puts them back into stock.
      const unshipped = req?.type === 'refund_only' && req.status === 'refunding' ? req.quantity : 0;
      await ctx.orders.recordRefund(tx, refund.order_id, refund.line_id, refund.amount_minor, undefined, { unshipped_units: unshipped });
      if (!req || req.status !== 'refunding') return;
      await ctx.transitions.move(tx, req, { event: 'refund_succeeded', actor: SYSTEM, data: { refund_id: refund.id, amount_minor: refund.amount_minor } });
      if (req.shipping_insurance === 1 && req.return_shipment_id !== null) await payShippingInsurance(ctx, tx, req);
    },
    async failed(tx: Executor, refund: RefundRow, message: string): Promise<void> {
      if (refund.subject_id.startsWith('gcl_')) {
        await ctx.transitions.step(tx, { id: refund.subject_id }, { actor: SYSTEM, action: 'refund_failed', note: message });
        return;
      }
      const req = await ctx.repo.request(refund.subject_id, tx);
      if (req?.status === 'refunding') await ctx.transitions.move(tx, req, { event: 'refund_failed', actor: SYSTEM, note: message, data: { refund_id: refund.id } });
    },
  };
}
