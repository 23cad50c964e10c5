import { AppError, conflict, rule } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { isUniqueViolation, type Executor } from '../../db/index.ts';
import type { Actor, Proposal, RequestRow } from './aftersales.repo.ts';
import { assertBeforeDeadline, buyerRequest, lineHistory, orderLine, parseJson, refundCap, ruleFail, runQueuedRefunds, type Ctx } from './context.ts';
import { checkNewRequest, type RequestReason } from './policy.ts';
import { deadlineKey, DEADLINE_JOB } from './request-transitions.ts';
import type { RequestType } from './request-machine.ts';

export interface CreateRequestInput {
  order_id: string;
  line_id: string;
  type: RequestType;
  reason: RequestReason;
  /** Units of the line; default: every unit not yet refunded. */
  quantity?: number;
  /** Default: the most these units may refund. Ignored for an exchange. */
  amount_minor?: number;
  description?: string;
  evidence?: string[];
}

/** Buyer side: open a request, answer the merchant, ship the return, escalate, withdraw. */
export function createBuyerService(ctx: Ctx) {
  const { db, repo, clock, config, transitions } = ctx;
  const buyer = (id: string): Actor => ({ kind: 'buyer', id });

  /** Runs `fn` on the buyer's request in a transaction, then any refund it queued. */
  async function act(buyerId: string, id: string, fn: (tx: Executor, req: RequestRow) => Promise<RequestRow>): Promise<RequestRow> {
    const out = await db.transaction(async (tx) => {
      const req = await buyerRequest(ctx, tx, buyerId, id);
      assertBeforeDeadline(ctx, req, buyer(buyerId));
      return fn(tx, req);
    });
    if (out.status === 'refunding') await runQueuedRefunds(ctx, out.id);
    return (await repo.request(id))!;
  }

  async function insertRequest(tx: Executor, row: RequestRow): Promise<void> {
    try {
      await repo.q(tx).insertInto('aftersales_requests').values(row).execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict('request_already_open', 'this item already has an open after-sales request').zh('该商品已有进行中的售后申请');
      throw err;
    }
  }

  return {
    /**
     * Opens a request (checks: the order is the buyer's and paid, the window, 5 per item, one
     * open at a time, quantity, amount). Refund only on a line nothing of which has shipped
     * is approved at once (极速退款) and the refund runs before this returns.
     */
    async createRequest(buyerId: string, input: CreateRequestInput): Promise<RequestRow> {
      const now = clock.now();
      const created = await db.transaction(async (tx) => {
        const { order, line } = await orderLine(ctx, tx, input.order_id, input.line_id);
        if (order.buyer_id !== buyerId) throw new AppError('not_found', 'order_not_found', 'order not found', { id: input.order_id });
        const history = await lineHistory(ctx, tx, line.id);
        const quantity = input.quantity ?? line.quantity - history.consumed_units;
        const c = checkNewRequest({ type: input.type, reason: input.reason, quantity, amount_minor: input.amount_minor }, order, line, history, now, config);
        if (!c.ok) throw ruleFail(c);
        const deadline = now + config.merchant_response_ms;
        const row: RequestRow = {
          id: newId('asr'), order_id: order.id, line_id: line.id, store_id: order.store_id, buyer_id: buyerId, type: input.type, reason: input.reason,
          description: input.description ?? '', evidence: JSON.stringify(input.evidence ?? []), quantity, amount_minor: c.value.amount_minor, refund_amount_minor: null,
          status: 'pending_merchant', active: 1, instant: c.value.instant ? 1 : 0, shipping_insurance: line.shipping_insurance, proposal: null, merchant_reason: null,
          deadline_at: deadline, return_shipment_id: null, return_delivered_at: null, replacement_shipment_id: null, close_reason: null, created_at: now, updated_at: now, finished_at: null,
        };
        await insertRequest(tx, row);
        await ctx.scheduler.schedule(tx, { kind: DEADLINE_JOB, run_at: deadline, payload: { request_id: row.id, status: row.status, deadline_at: deadline }, dedupe_key: deadlineKey(row.id, row.status, deadline) });
        await transitions.step(tx, row, { actor: buyer(buyerId), action: 'create', to: row.status, note: row.description, data: { type: row.type, reason: row.reason, quantity, amount_minor: row.amount_minor, evidence: input.evidence ?? [] } });
        await ctx.outbox.emit(tx, 'aftersales.created', row.id, { request_id: row.id, order_id: row.order_id, line_id: row.line_id, store_id: row.store_id, buyer_id: buyerId, type: row.type, amount_minor: row.amount_minor });
        if (!c.value.instant) return row;
        return transitions.move(tx, row, { event: 'approve', actor: { kind: 'system', id: null }, note: 'instant_refund', patch: { refund_amount_minor: row.amount_minor } });
      });
      if (created.status === 'refunding') await runQueuedRefunds(ctx, created.id);
      return (await repo.request(created.id))!;
    },

    /** Accepts the merchant's proposed amount or type: approved on those terms. */
    acceptProposal: (buyerId: string, id: string) =>
      act(buyerId, id, async (tx, req) => {
        const p = parseJson<Proposal | null>(req.proposal, null);
        if (!p || p.kind === 'proof') throw conflict('no_proposal', 'there is no proposal to accept; the merchant asked for proof').zh('商家要求补充凭证，请上传凭证');
        const type = p.type ?? req.type;
        const amount = type === 'exchange' ? 0 : p.amount_minor ?? req.amount_minor;
        const cap = await refundCap(ctx, tx, req);
        if (amount > cap) throw rule('amount_exceeds_refundable', `at most ${cap} fen can be refunded`, { max_minor: cap }).zh('退款金额超过可退金额');
        return transitions.move(tx, req, { event: 'accept_proposal', actor: buyer(buyerId), data: { type, amount_minor: amount }, patch: { type, amount_minor: amount, refund_amount_minor: type === 'exchange' ? null : amount } });
      }),

    /** Rejects the proposal: back to the merchant on the original terms (a fresh 48 h). */
    rejectProposal: (buyerId: string, id: string, note: string) =>
      act(buyerId, id, async (tx, req) => {
        const p = parseJson<Proposal | null>(req.proposal, null);
        if (p?.kind === 'proof') throw conflict('proof_requested', 'the merchant asked for proof; upload it instead').zh('商家要求补充凭证，请上传凭证');
        return transitions.move(tx, req, { event: 'reject_proposal', actor: buyer(buyerId), note });
      }),

    /** Answers a request for proof; the merchant decides again (a fresh 48 h). */
    submitProof: (buyerId: string, id: string, input: { note: string; evidence: string[] }) =>
      act(buyerId, id, async (tx, req) => {
        const p = parseJson<Proposal | null>(req.proposal, null);
        if (p?.kind !== 'proof') throw conflict('no_proof_requested', 'the merchant did not ask for proof').zh('商家未要求补充凭证');
        const evidence = [...parseJson<string[]>(req.evidence, []), ...input.evidence].slice(0, 30);
        return transitions.move(tx, req, { event: 'submit_proof', actor: buyer(buyerId), note: input.note, data: { evidence: input.evidence }, patch: { evidence: JSON.stringify(evidence) } });
      }),

    /** The buyer posts the return with its tracking number (carriers' formats are checked). */
    shipReturn: (buyerId: string, id: string, input: { carrier: string; tracking_no: string }) =>
      act(buyerId, id, async (tx, req) => {
        if (req.status !== 'awaiting_return') throw conflict('illegal_transition', `a request that is ${req.status} takes no return shipment`, { current_status: req.status }).zh('当前无需寄回商品');
        const shipmentId = await ctx.shipments.createShipment(tx, {
          order_id: req.order_id, store_id: req.store_id, direction: 'return', carrier: input.carrier, tracking_no: input.tracking_no, lines: [{ line_id: req.line_id, quantity: req.quantity }], province: null,
        });
        return transitions.move(tx, req, { event: 'ship_return', actor: buyer(buyerId), data: { carrier: input.carrier, tracking_no: input.tracking_no.trim().toUpperCase(), shipment_id: shipmentId }, patch: { return_shipment_id: shipmentId } });
      }),

    /** Takes a merchant's rejection to platform arbitration (纠纷单), within 7 days of it. */
    escalate: (buyerId: string, id: string, statement: string) =>
      act(buyerId, id, async (tx, req) => {
        if (req.status !== 'rejected') throw conflict('illegal_transition', 'only a rejected request can be escalated', { current_status: req.status }).zh('仅商家拒绝后可申请平台介入');
        const now = clock.now();
        await repo.q(tx).insertInto('aftersales_disputes').values({
          id: newId('dsp'), request_id: req.id, order_id: req.order_id, store_id: req.store_id, buyer_id: req.buyer_id, status: 'open', buyer_statement: statement,
          decision: null, decision_reason: null, decided_by: null, refund_amount_minor: null, opened_at: now, decided_at: null,
        }).execute();
        return transitions.move(tx, req, { event: 'escalate', actor: buyer(buyerId), note: statement });
      }),

    /** Withdraws the request (not once it is before the platform or the money is moving). */
    withdraw: (buyerId: string, id: string) =>
      act(buyerId, id, (tx, req) => transitions.move(tx, req, { event: 'withdraw', actor: buyer(buyerId), patch: { close_reason: 'withdrawn' } })),

    /** A message (and pictures) in the request's history; changes nothing else. */
    async message(actor: Actor, req: RequestRow, input: { note: string; evidence?: string[] }): Promise<void> {
      await db.transaction((tx) => transitions.step(tx, req, { actor, action: 'message', note: input.note, data: { evidence: input.evidence ?? [] } }));
    },
  };
}
