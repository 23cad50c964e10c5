import { tables, type Db, type Executor } from '../../db/index.ts';
import type { RequestStatus, RequestType } from './request-machine.ts';

export type ActorKind = 'buyer' | 'merchant' | 'operator' | 'system';
export interface Actor {
  kind: ActorKind;
  id: string | null;
}
export const SYSTEM: Actor = { kind: 'system', id: null };

export interface Proposal {
  kind: 'amount' | 'type' | 'proof';
  type?: RequestType;
  amount_minor?: number;
  note: string;
}

export interface RequestRow {
  id: string; order_id: string; line_id: string; store_id: string; buyer_id: string; type: RequestType; reason: string; description: string; evidence: string;
  quantity: number; amount_minor: number; refund_amount_minor: number | null; status: RequestStatus; active: number; instant: number; shipping_insurance: number;
  proposal: string | null; merchant_reason: string | null; deadline_at: number | null; return_shipment_id: string | null; return_delivered_at: number | null;
  replacement_shipment_id: string | null; close_reason: string | null; created_at: number; updated_at: number; finished_at: number | null;
}
export interface StepRow {
  id: string; subject_id: string; actor_kind: ActorKind; actor_id: string | null; action: string; from_status: string | null; to_status: string | null;
  note: string; data: string; at: number;
}
export interface DisputeRow {
  id: string; request_id: string; order_id: string; store_id: string; buyer_id: string; status: 'open' | 'decided'; buyer_statement: string;
  decision: 'buyer' | 'merchant' | null; decision_reason: string | null; decided_by: string | null; refund_amount_minor: number | null; opened_at: number; decided_at: number | null;
}
export type ClaimKind = 'counterfeit' | 'damaged' | 'shipping_insurance';
export type ClaimStatus = 'submitted' | 'refunding' | 'paid' | 'rejected';
export type ClaimFunding = 'merchant_balance' | 'merchant_debt' | 'platform' | 'refund';
export interface ClaimRow {
  id: string; kind: ClaimKind; order_id: string; line_id: string; store_id: string; buyer_id: string; request_id: string | null; quantity: number;
  status: ClaimStatus; description: string; evidence: string; appraisal_fee_minor: number; damage_ratio_bp: number | null; amount_minor: number | null;
  funding: ClaimFunding | null; decided_by: string | null; decision_reason: string | null; deadline_at: number | null; created_at: number; decided_at: number | null;
}
export interface RefundRow {
  id: string; subject_id: string; order_id: string; line_id: string; amount_minor: number; reason: string; status: 'pending' | 'processing' | 'succeeded' | 'failed';
  attempts: number; next_attempt_at: number; claimed_until: number | null; provider_refund_id: string | null; last_error: string | null; created_at: number; finished_at: number | null;
}
export interface AftersalesTables {
  aftersales_requests: RequestRow;
  aftersales_steps: StepRow;
  aftersales_disputes: DisputeRow;
  aftersales_claims: ClaimRow;
  aftersales_refunds: RefundRow;
}

/** The only code that touches aftersales_* tables. */
export function createAftersalesRepo(db: Db) {
  const q = (ex: Executor = db.kysely) => tables<AftersalesTables>(ex);
  return {
    q,
    request: (id: string, ex?: Executor) => q(ex).selectFrom('aftersales_requests').selectAll().where('id', '=', id).executeTakeFirst(),
    claim: (id: string, ex?: Executor) => q(ex).selectFrom('aftersales_claims').selectAll().where('id', '=', id).executeTakeFirst(),
    dispute: (id: string, ex?: Executor) => q(ex).selectFrom('aftersales_disputes').selectAll().where('id', '=', id).executeTakeFirst(),
    disputesOf: (requestId: string, ex?: Executor) => q(ex).selectFrom('aftersales_disputes').selectAll().where('request_id', '=', requestId).orderBy('id').execute(),
    steps: (subjectId: string, ex?: Executor) => q(ex).selectFrom('aftersales_steps').selectAll().where('subject_id', '=', subjectId).orderBy('id').execute(),
    insertStep: (ex: Executor, s: StepRow) => q(ex).insertInto('aftersales_steps').values(s).execute(),
    requestsOfLine: (lineId: string, ex?: Executor) => q(ex).selectFrom('aftersales_requests').selectAll().where('line_id', '=', lineId).orderBy('id').execute(),
    /** Conditional move: only from the status the caller read, so a concurrent change is never lost. */
    async move(ex: Executor, id: string, from: RequestStatus, patch: Partial<RequestRow>): Promise<boolean> {
      const r = await q(ex).updateTable('aftersales_requests').set(patch).where('id', '=', id).where('status', '=', from).executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    /**
     * Units under a refund-only request (仅退款) that may still end in a refund, per line of these
     * orders: waiting for the merchant or the buyer, in arbitration, or being refunded. Not after
     * the merchant rejected it (then the merchant ships; an escalation is decided on that basis).
     */
    async openRefundOnlyUnits(orderIds: readonly string[], ex?: Executor): Promise<Map<string, number>> {
      if (orderIds.length === 0) return new Map();
      const rows = await q(ex).selectFrom('aftersales_requests').select(['line_id', 'quantity']).where('order_id', 'in', orderIds).where('type', '=', 'refund_only')
        .where('status', 'in', ['pending_merchant', 'awaiting_buyer', 'arbitration', 'refunding', 'refund_failed']).execute();
      const units = new Map<string, number>();
      for (const r of rows) units.set(r.line_id, (units.get(r.line_id) ?? 0) + Number(r.quantity));
      return units;
    },
    async openCount(orderId: string, ex?: Executor): Promise<number> {
      const a = await q(ex).selectFrom('aftersales_requests').select((eb) => eb.fn.countAll<number>().as('n')).where('order_id', '=', orderId).where('active', '=', 1).executeTakeFirstOrThrow();
      const b = await q(ex).selectFrom('aftersales_claims').select((eb) => eb.fn.countAll<number>().as('n')).where('order_id', '=', orderId).where('status', 'in', ['submitted', 'refunding']).executeTakeFirstOrThrow();
      return Number(a.n) + Number(b.n);
    },
  };
}
export type AftersalesRepo = ReturnType<typeof createAftersalesRepo>;
