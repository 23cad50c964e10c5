import type { Clock } from '../../lib/clock.ts';
import { DAY_MS, MINUTE_MS } from '../../lib/clock.ts';
import type { Db } from '../../db/index.ts';
import { createGroupCommitter } from '../../db/group-commit.ts';
import type { Lane } from '../../lib/lane.ts';
import type { Outbox } from '../../db/outbox.ts';
import type { Scheduler } from '../../db/scheduler.ts';
import { createCartService, type SkuFacts } from './cart.service.ts';
import { createCheckoutService, EXPIRE_JOB, type CheckoutDeps, type TradeConfig } from './checkout.service.ts';
import { createOrderQueries } from './order-queries.ts';
import { createOrderTransitions } from './order-transitions.ts';
import { AUTO_RECEIVE_JOB, createOrderLifecycle, type OrderDeps } from './orders.service.ts';
import { listPricePricer, noRedemptions, type Pricer, type Redemptions } from './pricing-port.ts';
import { createPresaleService } from './presale.service.ts';
import { createTradeRepo } from './trade.repo.ts';

export type { CartItem, SkuFacts } from './cart.service.ts';
export type { CheckoutInput, PlacedCheckout, TradeConfig } from './checkout.service.ts';
export type { OrderView, OrderFilter } from './order-queries.ts';
export type { OrderStatus, OrderEvent } from './order-machine.ts';
export type { PaidOutcome } from './orders.service.ts';
export type { Actor } from './order-transitions.ts';
export type { Attribution } from './attribution.ts';
export type { Pricer, PricingRequest, PricingResult, PricingFailure, PricedLine, PricedStore, LineDiscount, Redemption, Redemptions } from './pricing-port.ts';
export type { OrderRow, OrderLineRow, CheckoutRow, Channel, PresaleStage } from './trade.repo.ts';
export type { PresaleTerms, PresaleInput, PresaleView } from './presale.service.ts';
export { PRESALE_DUE_JOB, FORFEIT_GRACE_MS } from './presale.service.ts';
export { ORDER_STATUSES } from './order-machine.ts';
export { toShip } from './orders.service.ts';
export { CHANNELS } from './attribution.ts';

export const DEFAULT_TRADE_CONFIG: TradeConfig = { unpaid_ttl_ms: 15 * MINUTE_MS, auto_receive_ms: 10 * DAY_MS, settlement_period_ms: 7 * DAY_MS };

/**
 * Carts, checkout (one order per store, one combined payment), the order state machine and
 * order reads. Domain events (outbox, same transaction): `order.created` { order_id,
 * checkout_id, store_id, buyer_id, total_minor }, and on every transition `order.<status>`
 * { order_id, store_id, buyer_id, from, to, event, reason }. Pre-sale (预售) orders
 * (presale.service.ts) are paid by a deposit checkout and a balance checkout: `order.deposit_paid`,
 * then `order.paid` when the balance is paid; `order.closed` with event forfeit | merchant_cancel |
 * campaign_cancel when one ends before its balance.
 */
export function createTradeModule(deps: {
  db: Db; clock: Clock; outbox: Outbox; scheduler: Scheduler; config?: Partial<TradeConfig>; pricer?: Pricer;
  /** Prices a pre-sale balance (promotions' pricer, without the campaign layer); default: `pricer`. */
  balancePricer?: Pricer;
  /** Coupons and flash stock taken with the orders and given back on cancel (promotions); default none. */
  redemptions?: Redemptions;
  /** The lane a checkout's reads and pricing wait in (src/lib/lane.ts); default: no bound. */
  admission?: Lane;
  skuFacts: (skuIds: string[]) => Promise<Map<string, SkuFacts>>;
  checkout: Pick<CheckoutDeps, 'saleSnapshots' | 'openStoreIds' | 'address' | 'reserve' | 'available' | 'attribute'>;
  orders: Pick<OrderDeps, 'release' | 'commitSale' | 'restock'>;
}) {
  const config = { ...DEFAULT_TRADE_CONFIG, ...deps.config };
  const repo = createTradeRepo(deps.db);
  const committer = createGroupCommitter(deps.db);
  const redemptions = deps.redemptions ?? noRedemptions;
  const cart = createCartService({ db: deps.db, repo, clock: deps.clock, skuFacts: deps.skuFacts });
  const transition = createOrderTransitions({ repo, clock: deps.clock, outbox: deps.outbox });
  const checkout = createCheckoutService({
    ...deps.checkout, repo, clock: deps.clock, outbox: deps.outbox, scheduler: deps.scheduler, committer, admit: (fn) => (deps.admission ? deps.admission.run(fn) : fn()), pricer: deps.pricer ?? listPricePricer, redemptions, config, cartItems: cart.cartItems,
  });
  // The pre-sale service and the lifecycle call each other (a pre-sale payment; a pre-sale cancel of an unpaid checkout).
  const late: { lifecycle?: ReturnType<typeof createOrderLifecycle> } = {};
  const presale = createPresaleService({
    db: deps.db, repo, clock: deps.clock, outbox: deps.outbox, scheduler: deps.scheduler, config, transition, balancePricer: deps.balancePricer ?? deps.pricer ?? listPricePricer, redemptions,
    saleSnapshots: deps.checkout.saleSnapshots, openStoreIds: deps.checkout.openStoreIds, address: deps.checkout.address, reserve: deps.checkout.reserve,
    release: deps.orders.release, commitSale: deps.orders.commitSale, cancelUnpaid: (tx, id, actor, reason) => late.lifecycle!.cancelUnpaid(tx, id, actor, reason),
  });
  const lifecycle = createOrderLifecycle({ ...deps.orders, releaseRedemptions: redemptions.release, presalePaid: presale.markPaid, db: deps.db, repo, clock: deps.clock, scheduler: deps.scheduler, config, transition });
  deps.scheduler.register(EXPIRE_JOB, (job, tx) => lifecycle.expireCheckout(tx, job.payload.checkout_id as string));
  deps.scheduler.register(AUTO_RECEIVE_JOB, async (job, tx) => {
    const status = (await repo.orderById(job.payload.order_id as string, tx))?.status;
    if (status === 'shipped') await lifecycle.confirmReceipt(tx, job.payload.order_id as string, { kind: 'system', id: null });
  });
  late.lifecycle = lifecycle;
  const { markPaid: _internal, ...presaleApi } = presale;
  return { config, ...cart, ...checkout, ...lifecycle, ...presaleApi, ...createOrderQueries(repo) };
}
export type TradeModule = ReturnType<typeof createTradeModule>;
