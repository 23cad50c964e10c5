import type { Clock } from '../../lib/clock.ts';
import type { Logger } from '../../lib/logger.ts';
import type { Db, Executor } from '../../db/index.ts';
import type { Outbox } from '../../db/outbox.ts';
import type { Scheduler } from '../../db/scheduler.ts';
import { createAftersalesRepo, type Actor } from './aftersales.repo.ts';
import { createBuyerService } from './buyer.service.ts';
import { createClaimsService } from './claims.service.ts';
import type { AftersalesPorts, Ctx } from './context.ts';
import { createMerchantService } from './merchant.service.ts';
import { createOutcomes, refundHooks } from './outcomes.ts';
import { DEFAULT_AFTERSALES_CONFIG, type AftersalesConfig } from './policy.ts';
import { createQueries } from './queries.ts';
import { createRefundQueue, type RefundPort } from './refunds.ts';
import { createRequestTransitions, DEADLINE_JOB } from './request-transitions.ts';

export type { Actor, ActorKind, ClaimKind, ClaimStatus, ClaimFunding, DisputeRow, Proposal, RequestRow, ClaimRow } from './aftersales.repo.ts';
export type { AftersalesConfig, RequestReason } from './policy.ts';
export type { RefundPort, RefundInput, RefundOutcome } from './refunds.ts';
export type { RequestStatus, RequestType, RequestEvent } from './request-machine.ts';
export type { RequestView, RequestDetail, StepView, ClaimView, RequestFilter } from './queries.ts';
export type { CreateRequestInput } from './buyer.service.ts';
export type { ProposalInput } from './merchant.service.ts';
export type { ClaimInput } from './claims.service.ts';
export type { AftersalesPorts } from './context.ts';
export { REQUEST_STATUSES, REQUEST_TYPES } from './request-machine.ts';
export { REQUEST_REASONS, DEFAULT_AFTERSALES_CONFIG } from './policy.ts';

/**
 * After-sales: refund only (instant before shipment), return & refund, exchange; deadlines
 * with automatic outcomes on the durable scheduler; negotiation; platform arbitration; buyer
 * guarantee claims (假一赔三, 坏损包退, 运费险). Rules and deadlines: README.md.
 *
 * Money: refunds go through `RefundPort` (payments), called outside any transaction; the
 * order line records each successful refund (trade.recordRefund), which closes the order when
 * everything paid is refunded. Guarantee compensation posts ledger transfers.
 *
 * Events (outbox): `aftersales.created`, `aftersales.<status>` on every move { request_id,
 * order_id, line_id, store_id, buyer_id, type, from, to, event }, `aftersales.claim_created`,
 * `aftersales.claim_paid`. Consumes fulfillment's `shipment.delivered` (direction 'return')
 * through `onShipmentDelivered` (wired in src/subscribers/aftersales-returns.ts).
 *
 * Settlement: `hasOpenRequest(orderId)` is true while a request or claim on the order is
 * open; settle only when it is false.
 */
export function createAftersalesModule(deps: AftersalesPorts & {
  db: Db; clock: Clock; outbox: Outbox; scheduler: Scheduler; log: Logger; config?: Partial<AftersalesConfig>;
  /** Payments' refund API (a function, so wiring can switch it once payments lands). */
  refunds: () => RefundPort;
}) {
  const config: AftersalesConfig = { ...DEFAULT_AFTERSALES_CONFIG, ...deps.config };
  const repo = createAftersalesRepo(deps.db);
  const ctx = { ...deps, repo, config } as Omit<Ctx, 'transitions' | 'queue'> as Ctx; // the two are set just below
  // The closures below run only after construction, once `outcomes` and `claims` exist.
  ctx.transitions = createRequestTransitions({ repo, clock: deps.clock, outbox: deps.outbox, scheduler: deps.scheduler, config, onRefunding: (tx, req) => outcomes.onRefunding(tx, req) });
  ctx.queue = createRefundQueue({ db: deps.db, repo, clock: deps.clock, log: deps.log, port: deps.refunds, hooks: refundHooks(ctx, { refundSucceeded: (tx, id) => claims.refundSucceeded(tx, id) }) });
  const outcomes = createOutcomes(ctx);
  const claims = createClaimsService(ctx);
  const buyer = createBuyerService(ctx);
  const merchant = createMerchantService(ctx);
  const queries = createQueries(ctx);
  deps.scheduler.register(DEADLINE_JOB, (job, tx) => outcomes.onDeadline(job as never, tx));

  return {
    config,
    ...queries,
    ...buyer,
    ...merchant,
    fileClaim: claims.fileClaim,
    decideDamage: claims.decideDamage,
    rejectDamage: claims.rejectDamage,
    decideCounterfeit: claims.decideCounterfeit,

    /** A message from either side (customer service may reply); `owner` scopes who may write. */
    async message(owner: { buyer_id?: string; store_id?: string }, actor: Actor, id: string, input: { note: string; evidence?: string[] }): Promise<void> {
      const r = owner.buyer_id ? await queries.buyerRequestDetail(owner.buyer_id, id) : await queries.storeRequestDetail(owner.store_id!, id);
      await buyer.message(actor, (await repo.request(r.request.id))!, input);
    },

    /**
     * Units of each line of these orders under an open refund-only request (仅退款), by line id:
     * the merchant answers the request before shipping those units (the ship flow refuses them meanwhile).
     */
    openRefundOnlyUnits: (orderIds: readonly string[], ex?: Executor) => repo.openRefundOnlyUnits(orderIds, ex),

    /** fulfillment's `shipment.delivered` event (the subscriber calls this in the delivery's transaction). */
    onShipmentDelivered: (tx: Executor, payload: { shipment_id: string; direction: string }) => outcomes.onShipmentDelivered(tx, payload),
    /** A refund's later outcome reported by payments, by out_refund_no. */
    refundSettled: ctx.queue.settled,
    /** Runs every refund that is due (tests call it after `scheduler.runDue()` and `outbox.drain()`). */
    runDueRefunds: ctx.queue.runDueRefunds,
    start: ctx.queue.start,
    stop: ctx.queue.stop,
  };
}
export type AftersalesModule = ReturnType<typeof createAftersalesModule>;
