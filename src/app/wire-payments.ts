import { DAY_MS } from '../lib/clock.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import type { Db, Executor } from '../db/index.ts';
import type { Outbox } from '../db/outbox.ts';
import type { Scheduler } from '../db/scheduler.ts';
import { createMoneyPostings } from '../flows/money-postings.ts';
import type { AftersalesModule } from '../modules/aftersales/index.ts';
import type { LedgerModule } from '../modules/ledger/index.ts';
import { createPaymentsModule, type PaymentsConfig, type PaymentsModule } from '../modules/payments/index.ts';
import type { TradeModule } from '../modules/trade/index.ts';
import { subscribeAftersalesRefundOutcomes } from '../subscribers/aftersales-refund-outcomes.ts';
import { subscribePaymentsToOrders } from '../subscribers/payments-order-events.ts';
import type { Config } from './config.ts';
import { createPaymentGateway, type PaymentGateway } from './payment-gateway.ts';

type OpenRequests = { hasOpenRequest?: (orderId: string, ex?: Executor) => Promise<boolean> };

/**
 * Payments with its collaborators: the provider (sandbox or WeChat Pay, from config), trade's
 * checkout and orders, the ledger postings (flows/money-postings.ts), after-sales' hold on
 * settlement, and the subscribers that follow order events and report refund outcomes.
 */
export async function wirePayments(d: {
  db: Db; clock: Clock; log: Logger; outbox: Outbox; scheduler: Scheduler; config: Config; trade: TradeModule; ledger: LedgerModule; aftersales: AftersalesModule;
  /** The creator commission rate of a line (affiliate's snapshot, see wire-affiliate.ts). */
  commissionRateBp: PaymentsConfig['commissionRateBp'];
}): Promise<{ payments: PaymentsModule; paymentGateway: PaymentGateway }> {
  const paymentGateway = createPaymentGateway(d.config.payments, d.clock, d.log);
  const openRequests = d.aftersales as unknown as OpenRequests;
  const payments = createPaymentsModule({
    db: d.db, clock: d.clock, log: d.log, outbox: d.outbox, scheduler: d.scheduler, trade: d.trade, postings: createMoneyPostings(d.ledger), source: paymentGateway,
    config: {
      settlement_period_ms: d.trade.config.settlement_period_ms,
      commissionRateBp: d.commissionRateBp,
      reconcile_lookback_ms: 3 * DAY_MS,
      holdSettlement: async (tx, orderId) => (openRequests.hasOpenRequest ? openRequests.hasOpenRequest(orderId, tx) : false),
    },
  });
  subscribePaymentsToOrders(d.outbox, { trade: d.trade, payments });
  subscribeAftersalesRefundOutcomes(d.outbox, d.aftersales);
  await payments.scheduleDaily(d.db.kysely);
  return { payments, paymentGateway };
}
