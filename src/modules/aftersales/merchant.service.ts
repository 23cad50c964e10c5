import { conflict, invalid, notFound, rule } from '../../lib/errors.ts';
import type { Executor } from '../../db/index.ts';
import type { Actor, Proposal, RequestRow } from './aftersales.repo.ts';
import { payShippingInsurance } from './claims.service.ts';
import { assertBeforeDeadline, orderLine, refundCap, runQueuedRefunds, storeRequest, type Ctx } from './context.ts';
import type { RequestType } from './request-machine.ts';

export interface ProposalInput {
  kind: 'amount' | 'type' | 'proof';
  type?: RequestType;
  amount_minor?: number;
  note: string;
}

/**
 * Merchant side (owner and operator staff; customer service reads and replies) and the
 * platform's arbitration decisions.
 */
export function createMerchantService(ctx: Ctx) {
  const { db, repo, clock, transitions } = ctx;

  async function act(storeId: string, actor: Actor, id: string, fn: (tx: Executor, req: RequestRow) => Promise<RequestRow>): Promise<RequestRow> {
    const out = await db.transaction(async (tx) => {
      const req = await storeRequest(ctx, tx, storeId, id);
      assertBeforeDeadline(ctx, req, actor);
      return fn(tx, req);
    });
    if (out.status === 'refunding') await runQueuedRefunds(ctx, out.id);
    return (await repo.request(id))!;
  }

  return {
    /** Agrees to the request as asked: a refund runs now; a return or exchange waits for the goods. */
    approve: (storeId: string, actor: Actor, id: string) =>
      act(storeId, actor, id, (tx, req) => transitions.move(tx, req, { event: 'approve', actor, patch: { refund_amount_minor: req.type === 'exchange' ? null : req.amount_minor } })),

    /** Refuses the request (or the returned goods) with a reason the buyer sees; the buyer may escalate within 7 days. */
    reject: (storeId: string, actor: Actor, id: string, reason: string) =>
      act(storeId, actor, id, (tx, req) => transitions.move(tx, req, { event: 'reject', actor, note: reason, patch: { merchant_reason: reason } })),

    /** Negotiates: another amount, another type, or asks for proof. The buyer accepts or rejects. */
    propose: (storeId: string, actor: Actor, id: string, p: ProposalInput) =>
      act(storeId, actor, id, async (tx, req) => {
        const proposal: Proposal = { kind: p.kind, note: p.note };
        if (p.kind === 'type') {
          if (!p.type || p.type === req.type) throw invalid('proposal_type_required', 'propose a type different from the request\'s');
          proposal.type = p.type;
          if (p.type === 'return_refund' || p.type === 'exchange') {
            const { line } = await orderLine(ctx, tx, req.order_id, req.line_id);
            if (line.shipped_quantity === 0) throw rule('not_shipped', 'nothing has shipped: there is nothing to return').zh('商品尚未发货，无需退货');
          }
        }
        if (p.kind === 'amount' || (p.kind === 'type' && p.type !== 'exchange' && p.amount_minor !== undefined)) {
          if (p.amount_minor === undefined || p.amount_minor <= 0) throw invalid('proposal_amount_required', 'propose a positive amount');
          if ((p.type ?? req.type) === 'exchange') throw invalid('exchange_has_no_amount', 'an exchange refunds nothing; propose a type instead');
          const cap = await refundCap(ctx, tx, req);
          if (p.amount_minor > cap) throw rule('amount_exceeds_refundable', `at most ${cap} fen can be refunded`, { max_minor: cap }).zh('提议金额超过可退金额');
          proposal.amount_minor = p.amount_minor;
        }
        return transitions.move(tx, req, { event: p.kind === 'proof' ? 'request_proof' : 'propose', actor, note: p.note, data: { ...proposal }, patch: { proposal: JSON.stringify(proposal) } });
      }),

    /**
     * The returned goods arrived: a return is refunded now, and its units go back into stock
     * unless the merchant says not to (`restock: false`, e.g. damaged goods); an exchange needs
     * the replacement's carrier and tracking number (the replacement ships to the order's
     * address; the returned unit and the replacement cancel out in stock).
     */
    confirmReturn: (storeId: string, actor: Actor, id: string, replacement?: { carrier: string; tracking_no: string }, opts: { restock?: boolean } = {}) =>
      act(storeId, actor, id, async (tx, req) => {
        if (req.type !== 'exchange') {
          const restock = opts.restock !== false;
          const moved = await transitions.move(tx, req, { event: 'confirm_return', actor, data: { restocked: restock ? req.quantity : 0 } });
          if (restock) await ctx.orders.restockReturned(tx, req.order_id, req.line_id, req.quantity, { kind: 'merchant', id: actor.id });
          return moved;
        }
        if (!replacement) throw invalid('replacement_required', 'confirming an exchange ships the replacement: give its carrier and tracking number');
        if (req.status !== 'returning' && req.status !== 'return_delivered') throw conflict('illegal_transition', `a request that is ${req.status} cannot confirm return`, { current_status: req.status });
        const { order } = await orderLine(ctx, tx, req.order_id, req.line_id);
        const province = (JSON.parse(order.address) as { province?: string }).province ?? null;
        const shipmentId = await ctx.shipments.createShipment(tx, {
          order_id: req.order_id, store_id: req.store_id, direction: 'outbound', carrier: replacement.carrier, tracking_no: replacement.tracking_no, lines: [{ line_id: req.line_id, quantity: req.quantity }], province,
        });
        const moved = await transitions.move(tx, req, { event: 'confirm_return', actor, data: { replacement: { ...replacement, shipment_id: shipmentId } }, patch: { replacement_shipment_id: shipmentId } });
        if (moved.shipping_insurance === 1) await payShippingInsurance(ctx, tx, moved);
        return moved;
      }),

    /**
     * An operator decides a dispute (纠纷单) with a written reason. For the buyer: the request
     * goes on as approved (refund now, or the return) — or straight to the refund when the goods
     * are already back — for `refund_amount_minor` (default: what the buyer asked, or all the
     * units may refund when the goods are back). For the merchant: the request closes.
     */
    async decideDispute(operatorId: string, disputeId: string, input: { decision: 'buyer' | 'merchant'; reason: string; refund_amount_minor?: number }): Promise<RequestRow> {
      const actor: Actor = { kind: 'operator', id: operatorId };
      const out = await db.transaction(async (tx) => {
        const d = await repo.dispute(disputeId, tx);
        if (!d) throw notFound('dispute', disputeId);
        if (d.status !== 'open') throw conflict('dispute_decided', 'this dispute has been decided').zh('该纠纷单已处理');
        const req = (await repo.request(d.request_id, tx))!;
        let moved: RequestRow;
        let amount: number | null = null;
        if (input.decision === 'merchant') {
          moved = await transitions.move(tx, req, { event: 'decide_for_merchant', actor, note: input.reason, patch: { close_reason: 'arbitration_for_merchant' } });
        } else {
          const goodsBack = req.return_shipment_id !== null;
          const cap = await refundCap(ctx, tx, req);
          const refunds = goodsBack || req.type !== 'exchange';
          amount = refunds ? input.refund_amount_minor ?? (goodsBack ? cap : Math.min(req.amount_minor, cap)) : null;
          if (amount !== null && (amount > cap || amount <= 0)) throw rule('amount_exceeds_refundable', `the refund must be between 1 and ${cap} fen`, { max_minor: cap }).zh('退款金额超过可退金额');
          moved = await transitions.move(tx, req, {
            event: goodsBack ? 'decide_refund' : 'decide_for_buyer', actor, note: input.reason, data: { refund_amount_minor: amount }, patch: { refund_amount_minor: amount },
          });
        }
        await repo.q(tx).updateTable('aftersales_disputes').set({ status: 'decided', decision: input.decision, decision_reason: input.reason, decided_by: operatorId, refund_amount_minor: amount, decided_at: clock.now() })
          .where('id', '=', disputeId).where('status', '=', 'open').execute();
        return moved;
      });
      if (out.status === 'refunding') await runQueuedRefunds(ctx, out.id);
      return (await repo.request(out.id))!;
    },

    /** An operator sends a refund the provider refused back to payments (a new out_refund_no). */
    async retryRefund(operatorId: string, id: string): Promise<RequestRow> {
      const out = await db.transaction(async (tx) => {
        const req = await repo.request(id, tx);
        if (!req) throw notFound('aftersales_request', id);
        return transitions.move(tx, req, { event: 'retry_refund', actor: { kind: 'operator', id: operatorId } });
      });
      await runQueuedRefunds(ctx, out.id);
      return (await repo.request(id))!;
    },
  };
}
