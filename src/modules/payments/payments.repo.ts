import { tables, type Db, type Executor } from '../../db/index.ts';

export type PaymentStatus = 'pending' | 'paid' | 'closed';
export type RefundStatus = 'pending' | 'processing' | 'succeeded' | 'closed' | 'abnormal' | 'rejected';
export type RefundPhase = 'before_settlement' | 'after_settlement' | 'cancelled_checkout';

export interface PaymentRow {
  id: string; out_trade_no: string; checkout_id: string; buyer_id: string; provider: string; amount_minor: number; currency: 'CNY';
  status: PaymentStatus; outcome: 'paid' | 'refunding' | 'refunded' | null; channel: 'native' | 'jsapi' | null; code_url: string | null; prepay_id: string | null;
  notify_url: string | null; expires_at: number; transaction_id: string | null; payer_total_minor: number | null; paid_at: number | null;
  close_state: 'requested' | 'closed' | 'paid' | null; close_attempts: number; close_next_at: number | null; last_error: string | null;
  created_at: number; updated_at: number;
}
export interface RefundRow {
  id: string; out_refund_no: string; payment_id: string; out_trade_no: string; order_id: string | null; store_id: string | null;
  kind: 'order' | 'cancelled_checkout'; phase: RefundPhase; amount_minor: number; currency: 'CNY'; reason: string; status: RefundStatus;
  provider_refund_id: string | null; transfer_ids: string; attempts: number; next_attempt_at: number; claimed_until: number | null; last_error: string | null;
  created_at: number; updated_at: number; finished_at: number | null;
}
export interface RefundLineRow {
  refund_id: string; line_id: string; order_id: string; amount_minor: number; fee_minor: number; commission_minor: number; subsidy_minor: number;
}
export interface OrderFundsRow {
  order_id: string; payment_id: string; checkout_id: string; store_id: string; paid_minor: number; refunded_minor: number; status: 'held' | 'settled';
  settled_at: number | null; merchant_minor: number | null; fee_minor: number | null; commission_minor: number | null; subsidy_minor: number | null;
  created_at: number; updated_at: number;
}
export interface LineFundsRow {
  line_id: string; order_id: string; paid_minor: number; refunded_minor: number; fee_rate_bp: number; creator_id: string | null; subsidy_minor: number;
  settled_base_minor: number | null; settled_fee_minor: number | null; settled_commission_minor: number | null; settled_subsidy_minor: number | null;
  post_refunded_minor: number; reversed_fee_minor: number; reversed_commission_minor: number; reversed_subsidy_minor: number;
}
/** A payment of an order paid in parts (pre-sale deposit, then balance); orders paid at once have none. */
export interface OrderPaymentRow {
  order_id: string; payment_id: string; part: 'deposit' | 'balance'; amount_minor: number; refunded_minor: number; created_at: number;
}
export interface PayoutRow {
  id: string; store_id: string; amount_minor: number; currency: 'CNY'; bank_name: string; account_name: string; account_no: string;
  status: 'submitted'; requested_by: string | null; created_at: number;
}
export interface FlagRow {
  id: string; kind: string; ref: string; dedupe_key: string; details: string; status: 'open' | 'resolved'; created_at: number;
  resolved_at: number | null; resolved_by: string | null; note: string | null;
}
export interface NotificationRow {
  notification_id: string; event_type: string; ref: string | null; outcome: string; times_received: number; first_at: number; last_at: number;
}
export interface ReconcileRunRow {
  id: string; status: 'requested' | 'done' | 'failed'; ok: number | null; report: string | null; claimed_until: number | null; requested_at: number; finished_at: number | null;
}
export interface PaymentsTables {
  payments_payments: PaymentRow;
  payments_refunds: RefundRow;
  payments_refund_lines: RefundLineRow;
  payments_order_funds: OrderFundsRow;
  payments_line_funds: LineFundsRow;
  payments_order_payments: OrderPaymentRow;
  payments_payouts: PayoutRow;
  payments_flags: FlagRow;
  payments_notifications: NotificationRow;
  payments_reconcile_runs: ReconcileRunRow;
}

/** bigint columns come back as numbers on both engines; this keeps the types honest if a driver returns strings. */
const num = <T extends Record<string, unknown>>(row: T, keys: readonly (keyof T)[]): T => {
  for (const k of keys) if (row[k] !== null && row[k] !== undefined) (row as Record<string, unknown>)[k as string] = Number(row[k]);
  return row;
};
const PAYMENT_NUMS = ['amount_minor', 'expires_at', 'payer_total_minor', 'paid_at', 'close_next_at', 'created_at', 'updated_at'] as const;
const REFUND_NUMS = ['amount_minor', 'next_attempt_at', 'claimed_until', 'created_at', 'updated_at', 'finished_at'] as const;

/** The only code that touches payments_* tables. */
export function createPaymentsRepo(db: Db) {
  const q = (ex: Executor = db.kysely) => tables<PaymentsTables>(ex);
  return {
    q,
    async payment(where: { id?: string; out_trade_no?: string }, ex?: Executor): Promise<PaymentRow | undefined> {
      let s = q(ex).selectFrom('payments_payments').selectAll();
      s = where.id ? s.where('id', '=', where.id) : s.where('out_trade_no', '=', where.out_trade_no!);
      const r = await s.executeTakeFirst();
      return r && num(r, PAYMENT_NUMS);
    },
    async refund(where: { id?: string; out_refund_no?: string }, ex?: Executor): Promise<RefundRow | undefined> {
      let s = q(ex).selectFrom('payments_refunds').selectAll();
      s = where.id ? s.where('id', '=', where.id) : s.where('out_refund_no', '=', where.out_refund_no!);
      const r = await s.executeTakeFirst();
      return r && num(r, REFUND_NUMS);
    },
    async refundLines(refundId: string, ex?: Executor): Promise<RefundLineRow[]> {
      return q(ex).selectFrom('payments_refund_lines').selectAll().where('refund_id', '=', refundId).orderBy('line_id').execute();
    },
    async orderFunds(orderId: string, ex?: Executor): Promise<OrderFundsRow | undefined> {
      return q(ex).selectFrom('payments_order_funds').selectAll().where('order_id', '=', orderId).executeTakeFirst();
    },
    async lineFunds(orderId: string, ex?: Executor): Promise<LineFundsRow[]> {
      return q(ex).selectFrom('payments_line_funds').selectAll().where('order_id', '=', orderId).orderBy('line_id').execute();
    },
    /** The payments of an order paid in parts, oldest first (empty for an order paid at once). */
    async orderPayments(orderId: string, ex?: Executor): Promise<OrderPaymentRow[]> {
      const rows = await q(ex).selectFrom('payments_order_payments').selectAll().where('order_id', '=', orderId).orderBy('created_at').orderBy('part', 'desc').execute();
      return rows.map((r) => num(r, ['amount_minor', 'refunded_minor', 'created_at']));
    },
    /** Moves a payment only from the states given: a conditional update, so a concurrent move is never lost. */
    async movePayment(ex: Executor, id: string, from: readonly PaymentStatus[], patch: Partial<PaymentRow>): Promise<boolean> {
      const r = await q(ex).updateTable('payments_payments').set(patch).where('id', '=', id).where('status', 'in', from).executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async moveRefund(ex: Executor, id: string, from: readonly RefundStatus[], patch: Partial<RefundRow>): Promise<boolean> {
      const r = await q(ex).updateTable('payments_refunds').set(patch).where('id', '=', id).where('status', 'in', from).executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
  };
}
export type PaymentsRepo = ReturnType<typeof createPaymentsRepo>;
