import type { Clock } from '../../lib/clock.ts';
import type { Logger } from '../../lib/logger.ts';
import type { Db, Executor } from '../../db/index.ts';
import type { Outbox } from '../../db/outbox.ts';
import type { Scheduler } from '../../db/scheduler.ts';
import type { Ctx } from './context.ts';
import { createFlags } from './flags.ts';
import { createPaymentEvents } from './payment-events.ts';
import { createPaymentsRepo } from './payments.repo.ts';
import { createPaymentsService } from './payments.service.ts';
import { createPayouts } from './payouts.ts';
import type { MoneyPostings, PaymentsConfig, ProviderSource, TradePort } from './ports.ts';
import { createReconciliation } from './reconciliation.ts';
import { createRefundOutcomes } from './refund-outcomes.ts';
import { createRefunds } from './refunds.service.ts';
import { createSettlement } from './settlement.ts';

export type { PaymentView } from './payments.service.ts';
export type { RefundRequest, RefundOutcome, RefundFailCode } from './refunds.service.ts';
export type { Flag, FlagKind } from './flags.ts';
export type { Payout, WithdrawalInput } from './payouts.ts';
export type { PaymentsReconcileReport, ProviderDifference } from './reconciliation.ts';
export type { MoneyPostings, PaymentsConfig, ProviderSource, TradePort, SettlementPosting, RefundPosting, OrderEscrow, CommissionSplit, ForfeitPosting } from './ports.ts';
export type { PaymentProvider, PaymentEvent, ProviderTransaction, ProviderRefund, WechatPayProviderConfig } from './provider.ts';
export { createWechatPayProvider } from './provider.ts';
// The bundled sandbox provider (demo and tests; never expose its cashier publicly).
export { createSandboxServer, type SandboxOptions, type SandboxServer } from './sandbox/server.ts';
export { generateMerchantCredentials, generateRsaKeyPair, loadOrCreateSandboxKeys, sandboxPlatformSerial, type SandboxKeys } from './sandbox/credentials.ts';
export { SETTLE_JOB } from './settlement.ts';
export { autoRefundNo } from './context.ts';
export { prorate, settleLines, reverseSettledLine } from './settlement-math.ts';

/**
 * Payments: one payment per checkout through a provider (WeChat Pay API v3, or the bundled
 * sandbox that speaks it), the provider's notifications, refunds, settlement of completed
 * orders, withdrawals, flags and reconciliation. Rules a newcomer must know: README.md.
 *
 * The refund API (after-sales calls it):
 *   refund(input) / refund(tx, input) with { order_id, lines: [{ line_id, amount_minor }], reason, out_refund_no }
 *   → { status: 'succeeded' | 'processing', refund_id } | { status: 'failed', code, message, retryable }
 * idempotent by out_refund_no; never above what a line (and the order) paid.
 *
 * Events (outbox): payment.succeeded, payment.auto_refund_queued, payment.refund_requested,
 * payment.refund_succeeded | refund_failed | refund_abnormal, payment.order_settled, payment.payout_submitted.
 */
export function createPaymentsModule(deps: {
  db: Db; clock: Clock; log: Logger; outbox: Outbox; scheduler: Scheduler;
  trade: TradePort; postings: MoneyPostings; source: ProviderSource; config: PaymentsConfig;
}) {
  const repo = createPaymentsRepo(deps.db);
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let kickPending = false;
  const ctx: Ctx = {
    ...deps, repo, flags: createFlags({ repo, clock: deps.clock, log: deps.log }),
    kick() {
      if (!timer || kickPending) return; // tests drive runDue() themselves
      kickPending = true;
      setTimeout(() => {
        kickPending = false;
        void tick();
      }, 20).unref();
    },
  };
  const outcomes = createRefundOutcomes(ctx);
  const events = createPaymentEvents(ctx, outcomes);
  const payments = createPaymentsService(ctx, events);
  const refunds = createRefunds(ctx, outcomes);
  const settlement = createSettlement(ctx);
  const reconciliation = createReconciliation(ctx);

  /** Provider work, never inside a transaction: open refunds, requested closes, requested reconciliations. */
  async function runDue(): Promise<{ refunds: number; closes: number; reconciliations: number }> {
    return { refunds: await refunds.runDueRefunds(), closes: await payments.closeDue(), reconciliations: await reconciliation.runRequested() };
  }
  async function tick(): Promise<void> {
    if (running) return;
    running = runDue().catch((err) => deps.log.error({ err }, 'payments worker failed')).finally(() => (running = undefined));
    await running;
  }

  return {
    ...payments,
    ...refunds,
    ...settlement,
    ...reconciliation,
    ...createPayouts(ctx),
    listFlags: ctx.flags.listFlags,
    resolveFlag: ctx.flags.resolveFlag,
    runDue,
    /** Order-level money state (for after-sales caps and support screens). */
    async orderFunds(orderId: string, ex?: Executor) {
      const o = await repo.orderFunds(orderId, ex);
      if (!o) return null;
      return { ...o, lines: await repo.lineFunds(orderId, ex) };
    },
    start(pollMs = 2000): void {
      timer = setInterval(() => void tick(), pollMs);
      timer.unref();
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}
export type PaymentsModule = ReturnType<typeof createPaymentsModule>;
