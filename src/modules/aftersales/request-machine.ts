/**
 * The after-sales request state machine as data (like trade's order-machine): a transitions
 * table, the deadline each waiting state carries and what happens when it passes. Every
 * change of a request goes through `nextStatus`, so an illegal move is refused the same way
 * everywhere (409 with the current state).
 *
 *   pending_merchant ─approve / auto_approve (48 h)─▶ refunding (refund only) | awaiting_return (return, exchange)
 *        │  ├─propose / request_proof─▶ awaiting_buyer ─accept_proposal─▶ (as approve, on the proposed terms)
 *        │  │                               ├─reject_proposal / submit_proof─▶ pending_merchant
 *        │  │                               └─buyer_timeout (7 d)─▶ closed
 *        │  └─reject─▶ rejected ─escalate (within 7 d)─▶ arbitration ─decide_for_buyer─▶ refunding | awaiting_return
 *        │                 └─escalation_timeout─▶ closed          ├─decide_refund (goods already back)─▶ refunding
 *        │                                                        └─decide_for_merchant─▶ closed
 *   awaiting_return ─ship_return─▶ returning ─return_delivered─▶ return_delivered ─auto_refund (10 d)─▶ refunding
 *        └─return_timeout (7 d)─▶ closed   └──────────confirm_return──────────┴─▶ refunding | exchanged (exchange)
 *                                          └──────────reject (refuses the returned goods)┴─▶ rejected
 *   refunding ─refund_succeeded─▶ refunded;  ─refund_failed─▶ refund_failed ─retry_refund─▶ refunding
 *   created as refund only on a line nothing of which has shipped: straight to refunding (极速退款)
 */
export type RequestType = 'refund_only' | 'return_refund' | 'exchange';
export const REQUEST_TYPES: readonly RequestType[] = ['refund_only', 'return_refund', 'exchange'];

export type RequestStatus =
  | 'pending_merchant' | 'awaiting_buyer' | 'rejected' | 'arbitration' | 'awaiting_return' | 'returning' | 'return_delivered'
  | 'refunding' | 'refund_failed' | 'refunded' | 'exchanged' | 'closed';
export const REQUEST_STATUSES: readonly RequestStatus[] = [
  'pending_merchant', 'awaiting_buyer', 'rejected', 'arbitration', 'awaiting_return', 'returning', 'return_delivered',
  'refunding', 'refund_failed', 'refunded', 'exchanged', 'closed',
];

export type RequestEvent =
  | 'approve' | 'auto_approve' | 'reject' | 'propose' | 'request_proof' | 'accept_proposal' | 'reject_proposal' | 'submit_proof' | 'buyer_timeout'
  | 'escalate' | 'escalation_timeout' | 'decide_for_buyer' | 'decide_refund' | 'decide_for_merchant' | 'ship_return' | 'return_timeout' | 'return_delivered'
  | 'confirm_return' | 'auto_refund' | 'refund_succeeded' | 'refund_failed' | 'retry_refund' | 'withdraw';

/** Where an approval leads depends on the type: money now, or the goods come back first. */
const APPROVED: Record<RequestType, RequestStatus> = { refund_only: 'refunding', return_refund: 'awaiting_return', exchange: 'awaiting_return' };
const RETURN_CONFIRMED: Record<RequestType, RequestStatus> = { refund_only: 'refunding', return_refund: 'refunding', exchange: 'exchanged' };
type Target = RequestStatus | Record<RequestType, RequestStatus>;

const TRANSITIONS: Record<RequestStatus, Partial<Record<RequestEvent, Target>>> = {
  pending_merchant: { approve: APPROVED, auto_approve: APPROVED, reject: 'rejected', propose: 'awaiting_buyer', request_proof: 'awaiting_buyer', withdraw: 'closed' },
  awaiting_buyer: { accept_proposal: APPROVED, reject_proposal: 'pending_merchant', submit_proof: 'pending_merchant', buyer_timeout: 'closed', withdraw: 'closed' },
  rejected: { escalate: 'arbitration', escalation_timeout: 'closed', withdraw: 'closed' },
  arbitration: { decide_for_buyer: APPROVED, decide_refund: 'refunding', decide_for_merchant: 'closed' },
  awaiting_return: { ship_return: 'returning', return_timeout: 'closed', withdraw: 'closed' },
  returning: { return_delivered: 'return_delivered', confirm_return: RETURN_CONFIRMED, reject: 'rejected' },
  return_delivered: { confirm_return: RETURN_CONFIRMED, auto_refund: 'refunding', reject: 'rejected' },
  refunding: { refund_succeeded: 'refunded', refund_failed: 'refund_failed' },
  refund_failed: { retry_refund: 'refunding' },
  refunded: {},
  exchanged: {},
  closed: {},
};

export type Transition = { ok: true; to: RequestStatus } | { ok: false; code: 'illegal_transition'; message: string; current: RequestStatus };

export function nextStatus(current: RequestStatus, event: RequestEvent, type: RequestType): Transition {
  const target = TRANSITIONS[current][event];
  if (target === undefined) return { ok: false, code: 'illegal_transition', message: `a request that is ${current} cannot ${event.replace(/_/g, ' ')}`, current };
  return { ok: true, to: typeof target === 'string' ? target : target[type] };
}

export const isTerminal = (s: RequestStatus): boolean => Object.keys(TRANSITIONS[s]).length === 0;

/** Who is expected to act next in each state (shown in queues). */
export const WAITING_ON: Record<RequestStatus, 'merchant' | 'buyer' | 'operator' | 'carrier' | 'payments' | null> = {
  pending_merchant: 'merchant', awaiting_buyer: 'buyer', rejected: 'buyer', arbitration: 'operator', awaiting_return: 'buyer', returning: 'carrier',
  return_delivered: 'merchant', refunding: 'payments', refund_failed: 'operator', refunded: null, exchanged: null, closed: null,
};

export interface DeadlineConfig {
  /** The merchant answers a new request (or a rejected proposal / new proof) within this, or it is approved. */
  merchant_response_ms: number;
  /** The buyer answers a proposal or a request for proof within this, or the request closes. */
  buyer_response_ms: number;
  /** The buyer may take a rejection to platform arbitration within this. */
  escalation_window_ms: number;
  /** The buyer ships the return within this after approval, or the request closes. */
  return_shipping_ms: number;
  /** The merchant confirms the delivered return within this, or it is refunded. */
  merchant_receipt_ms: number;
}

/** The deadline each waiting state carries and the event that fires when it passes. */
export const DEADLINES: Partial<Record<RequestStatus, { after: keyof DeadlineConfig; fires: RequestEvent }>> = {
  pending_merchant: { after: 'merchant_response_ms', fires: 'auto_approve' },
  awaiting_buyer: { after: 'buyer_response_ms', fires: 'buyer_timeout' },
  rejected: { after: 'escalation_window_ms', fires: 'escalation_timeout' },
  awaiting_return: { after: 'return_shipping_ms', fires: 'return_timeout' },
  return_delivered: { after: 'merchant_receipt_ms', fires: 'auto_refund' },
};
