import type { Clock } from '../../lib/clock.ts';
import type { Logger } from '../../lib/logger.ts';
import type { Db } from '../../db/index.ts';
import type { Outbox } from '../../db/outbox.ts';
import type { Scheduler } from '../../db/scheduler.ts';
import type { Flags } from './flags.ts';
import type { PaymentsRepo } from './payments.repo.ts';
import type { MoneyPostings, PaymentsConfig, ProviderSource, TradePort } from './ports.ts';

/** What the payments services share. */
export interface Ctx {
  db: Db;
  repo: PaymentsRepo;
  clock: Clock;
  log: Logger;
  outbox: Outbox;
  scheduler: Scheduler;
  trade: TradePort;
  postings: MoneyPostings;
  flags: Flags;
  source: ProviderSource;
  config: PaymentsConfig;
  /** Asks the provider worker to run soon (after the current transaction commits). */
  kick(): void;
}

/** Backoff for provider retries (refund calls and queries, closes): 10 s doubling, at most 1 h. */
export const retryDelayMs = (attempts: number) => Math.min(3_600_000, 10_000 * 2 ** Math.min(attempts, 9));

/** The refund number of the automatic refund of a payment that landed on a cancelled checkout: derived, so a retry never mints another. */
export const autoRefundNo = (outTradeNo: string) => `auto_${outTradeNo}`;

/**
 * A refund of an order paid in parts (pre-sale) goes back over its payments, the balance first:
 * one provider refund per payment. The first keeps the caller's out_refund_no, the deposit's
 * part is `<out_refund_no>|d`; the caller (after-sales) hears one outcome once both are final.
 */
export const PART_SUFFIX = '|d';
