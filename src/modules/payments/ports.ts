import type { Executor } from '../../db/index.ts';
import type { ReconcileReport } from '../ledger/index.ts';
import type { TradeModule } from '../trade/index.ts';
import type { PaymentProvider } from './provider.ts';

/**
 * What payments asks of the rest of the system, as plain functions wired in app/wire.ts.
 * The ledger postings live in src/flows/money-postings.ts (cross-module writes); payments
 * decides WHEN money moves and how much, the postings decide which accounts.
 */

/** Trade: the checkout a payment is for, and its orders and lines. */
export type TradePort = Pick<TradeModule, 'checkout' | 'markCheckoutPaid' | 'order' | 'lines'>;

export interface CommissionSplit {
  creator_id: string;
  amount_minor: number;
}

export interface OrderEscrow {
  order_id: string;
  store_id: string;
  amount_minor: number;
  /** A pre-sale deposit (the order's first payment): its own transfer, `pay:<order>:deposit`. */
  part?: 'deposit';
}

/** A pre-sale deposit forfeited (the balance was not paid): escrow → the merchant, less the technical service fee. */
export interface ForfeitPosting {
  order_id: string;
  store_id: string;
  merchant_minor: number;
  fee_minor: number;
}

/** An order's settlement: escrow → merchant, fee revenue and commissions; the platform subsidy on top. */
export interface SettlementPosting {
  order_id: string;
  store_id: string;
  merchant_minor: number;
  fee_minor: number;
  commissions: CommissionSplit[];
  subsidy_minor: number;
}

/**
 * A refund's reservation: the money leaves escrow (before settlement) or the merchant's
 * balance, fee revenue and commissions (after settlement) for "refunds payable" until the
 * provider confirms it. `amount_minor` is what the buyer gets back.
 */
export interface RefundPosting {
  refund_id: string;
  order_id: string;
  store_id: string;
  phase: 'before_settlement' | 'after_settlement';
  amount_minor: number;
  fee_minor: number;
  commissions: CommissionSplit[];
  subsidy_minor: number;
}

export interface MoneyPostings {
  /** clearing → escrow, per order of the checkout. */
  paymentReceived(tx: Executor, p: { payment_id: string; orders: OrderEscrow[] }): Promise<void>;
  /** clearing → refunds payable: money that landed on a cancelled checkout goes straight back. */
  paymentToRefund(tx: Executor, p: { payment_id: string; refund_id: string; amount_minor: number }): Promise<void>;
  settlement(tx: Executor, s: SettlementPosting): Promise<void>;
  depositForfeited(tx: Executor, f: ForfeitPosting): Promise<void>;
  /** Returns the transfer ids, so a refund the provider refuses can be voided exactly. */
  refundReserved(tx: Executor, r: RefundPosting): Promise<string[]>;
  /** refunds payable → clearing: the provider paid the buyer back. */
  refundPaid(tx: Executor, r: { refund_id: string; amount_minor: number }): Promise<void>;
  /** Reverses a refund's reservation (the provider closed or refused it). */
  refundVoided(tx: Executor, r: { refund_id: string; transfer_ids: string[] }): Promise<void>;
  payout(tx: Executor, p: { payout_id: string; store_id: string; amount_minor: number; actor_id: string | null }): Promise<{ ok: true } | { ok: false; available_minor: number }>;
  /** Escrow balance of each of these stores, for reconciliation. */
  escrowBalances(ex: Executor, storeIds: readonly string[]): Promise<Map<string, number>>;
  /** Balances reconcile needs: refunds payable (platform) and clearing. */
  platformBalances(ex: Executor): Promise<{ clearing_minor: number; refunds_payable_minor: number }>;
  /** The ledger's own proof (transfers balance, caches match entries, no forbidden negatives). */
  ledgerReconcile(): Promise<ReconcileReport>;
}

/** Where the provider comes from: built lazily (key loading and the sandbox start cost seconds). */
export interface ProviderSource {
  provider(): Promise<PaymentProvider>;
  /** The notification URL handed to the provider (https in production; the app's own address for the sandbox). */
  notifyUrl(): string;
}

export interface PaymentsConfig {
  settlement_period_ms: number;
  /** Creator commission rate for a line with a creator (affiliate's rate snapshotted at purchase); 0 = none. Read in settlement's transaction. */
  commissionRateBp: (line: { creator_id: string | null; line_id: string; order_id: string }, tx: Executor) => number | Promise<number>;
  /** How far back reconciliation asks the provider about payments. */
  reconcile_lookback_ms: number;
  /** True while after-sales has an open request or claim on the order: settlement waits (postponed hourly). */
  holdSettlement: (tx: Executor, orderId: string) => Promise<boolean>;
}
