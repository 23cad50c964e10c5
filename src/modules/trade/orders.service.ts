import type { Clock } from '../../lib/clock.ts';
import { AppError, conflict, notFound } from '../../lib/errors.ts';
import type { Db, Executor } from '../../db/index.ts';
import type { Scheduler } from '../../db/scheduler.ts';
import type { ReservationResult } from '../inventory/index.ts';
import type { TradeConfig } from './checkout.service.ts';
import { nextStatus, type OrderStatus } from './order-machine.ts';
import { SYSTEM, type Actor, type TransitionFn } from './order-transitions.ts';
import type { CheckoutRow, OrderLineRow, OrderRow, TradeRepo } from './trade.repo.ts';

export const AUTO_RECEIVE_JOB = 'trade.order_auto_receive';

export interface OrderDeps {
  db: Db;
  repo: TradeRepo;
  clock: Clock;
  scheduler: Scheduler;
  config: TradeConfig;
  transition: TransitionFn;
  release(tx: Executor, ref: string, actorId: string | null): Promise<ReservationResult>;
  commitSale(tx: Executor, ref: string, actorId: string | null): Promise<ReservationResult>;
  /** Sold units back into stock (inventory), in the caller's transaction. */
  restock(tx: Executor, skuId: string, quantity: number, ref: string, actorId: string | null): Promise<unknown>;
  /** Gives back the coupons and flash stock a cancelled checkout held (promotions). */
  releaseRedemptions(tx: Executor, checkoutId: string): Promise<void>;
  /** A payment for one of the two checkouts of a pre-sale order (presale.service.ts). */
  presalePaid(tx: Executor, checkout: CheckoutRow): Promise<PaidOutcome>;
}

/** `part`: which payment of a pre-sale order this was (absent for a normal checkout). */
export type PaidOutcome =
  | { kind: 'paid'; orders: OrderRow[]; part?: 'deposit' | 'balance' }
  | { kind: 'already_paid'; orders: OrderRow[] }
  | { kind: 'checkout_cancelled'; checkout: CheckoutRow }
  | { kind: 'amount_mismatch'; expected_minor: number };

/** Units of a line still to ship: neither shipped nor refunded before shipping. */
export const toShip = (l: Pick<OrderLineRow, 'quantity' | 'shipped_quantity' | 'cancelled_quantity'>): number => l.quantity - l.shipped_quantity - l.cancelled_quantity;

/** Order life after checkout: payment, cancellation, expiry, shipment, receipt, completion. */
export function createOrderLifecycle(deps: OrderDeps) {
  const { db, repo, clock, scheduler, config, transition } = deps;

  async function ordersOfCheckout(tx: Executor, checkoutId: string): Promise<OrderRow[]> {
    return repo.q(tx).selectFrom('trade_orders').selectAll().where('checkout_id', '=', checkoutId).orderBy('id').execute();
  }

  async function cancelCheckout(tx: Executor, checkoutId: string, event: 'cancel' | 'expire', actor: Actor, reason: string): Promise<OrderRow[]> {
    const moved = await repo.q(tx).updateTable('trade_checkouts').set({ status: 'cancelled' }).where('id', '=', checkoutId).where('status', '=', 'unpaid').executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1) return [];
    await deps.releaseRedemptions(tx, checkoutId); // before the stock: the order checkout takes them in (no lock cycles)
    const out: OrderRow[] = [];
    // A pre-sale balance checkout has no orders of its own (its order stays deposit_paid): only its coupons go back.
    for (const o of await ordersOfCheckout(tx, checkoutId)) {
      if (o.status !== 'unpaid' && o.status !== 'awaiting_deposit') continue;
      out.push(await transition(tx, o, event, actor, reason));
      if (o.kind === 'presale') await repo.q(tx).updateTable('trade_presale_orders').set({ stage: 'cancelled', updated_at: clock.now() }).where('order_id', '=', o.id).where('stage', '=', 'awaiting_deposit').execute();
      const released = await deps.release(tx, o.id, actor.id);
      if (!released.ok) throw new Error(`releasing stock of ${o.id}: ${released.code}`);
    }
    await scheduler.cancel(tx, `checkout:${checkoutId}:expire`);
    return out;
  }

  /**
   * After units shipped (or the last unshipped ones were refunded): fully shipped when every
   * line's units are shipped or refunded before shipping — then the receipt timer starts.
   * `partial`: the event when something is still to ship (null: leave the order as it is).
   */
  async function afterShipping(tx: Executor, order: OrderRow, lines: readonly OrderLineRow[], actor: Actor, partial: 'ship_part' | null): Promise<OrderRow> {
    const all = lines.every((l) => toShip(l) === 0);
    if (!all && !partial) return order;
    const moved = await transition(tx, order, all ? 'ship_all' : partial!, actor);
    if (all) await scheduler.schedule(tx, { kind: AUTO_RECEIVE_JOB, run_at: clock.now() + config.auto_receive_ms, payload: { order_id: order.id }, dedupe_key: `order:${order.id}:auto_receive` });
    return moved;
  }

  return {
    /** Buyer cancels an unpaid order: the whole combined checkout is cancelled and its stock released. */
    async cancelByBuyer(buyerId: string, orderId: string, reason: string): Promise<OrderRow[]> {
      return db.transaction(async (tx) => {
        const order = await repo.orderById(orderId, tx);
        if (!order || order.buyer_id !== buyerId) throw notFound('order', orderId);
        if (order.status !== 'unpaid' && order.status !== 'awaiting_deposit') throw new AppError('conflict', 'illegal_transition', `an order that is ${order.status} cannot be cancelled; request a refund instead`, { current_status: order.status }).zh('订单已支付，请申请售后退款');
        return cancelCheckout(tx, order.checkout_id, 'cancel', { kind: 'buyer', id: buyerId }, reason);
      });
    },

    /** Cancels an unpaid checkout in the caller's transaction (pre-sale: a campaign cancelled before the deposit was paid). */
    cancelUnpaid: (tx: Executor, checkoutId: string, actor: Actor, reason: string): Promise<OrderRow[]> => cancelCheckout(tx, checkoutId, 'cancel', actor, reason),

    /** The scheduler's 15-minute unpaid timeout. */
    async expireCheckout(tx: Executor, checkoutId: string): Promise<void> {
      await cancelCheckout(tx, checkoutId, 'expire', SYSTEM, 'unpaid_timeout');
    },

    async checkout(checkoutId: string, ex?: Executor): Promise<CheckoutRow | undefined> {
      return repo.q(ex).selectFrom('trade_checkouts').selectAll().where('id', '=', checkoutId).executeTakeFirst();
    },

    /**
     * A verified payment for a checkout (called by the payments flow in its transaction).
     * Idempotent; a payment for a cancelled checkout is reported so the caller refunds it.
     */
    async markCheckoutPaid(tx: Executor, checkoutId: string, amountMinor: number): Promise<PaidOutcome> {
      const c = await repo.q(tx).selectFrom('trade_checkouts').selectAll().where('id', '=', checkoutId).executeTakeFirst();
      if (!c) throw notFound('checkout', checkoutId);
      if (c.total_minor !== amountMinor) return { kind: 'amount_mismatch', expected_minor: c.total_minor };
      if (c.status === 'cancelled') return { kind: 'checkout_cancelled', checkout: c };
      if (c.kind !== 'order') return deps.presalePaid(tx, c);
      const orders = await ordersOfCheckout(tx, checkoutId);
      if (c.status === 'paid') return { kind: 'already_paid', orders };
      const now = clock.now();
      await repo.q(tx).updateTable('trade_checkouts').set({ status: 'paid', paid_at: now }).where('id', '=', checkoutId).where('status', '=', 'unpaid').execute();
      const paid: OrderRow[] = [];
      for (const o of orders) {
        paid.push(await transition(tx, o, 'pay', SYSTEM));
        const sold = await deps.commitSale(tx, o.id, null);
        if (!sold.ok) throw new Error(`committing stock of ${o.id}: ${sold.code}`);
      }
      await scheduler.cancel(tx, `checkout:${checkoutId}:expire`);
      return { kind: 'paid', orders: paid };
    },

    /** Records shipped quantities (fulfillment calls this in its transaction). */
    async recordShipment(tx: Executor, storeId: string, orderId: string, lines: { line_id: string; quantity: number }[], actor: Actor): Promise<OrderRow> {
      const order = await repo.orderById(orderId, tx);
      if (!order || order.store_id !== storeId) throw notFound('order', orderId);
      const current = new Map((await repo.linesOf(orderId, tx)).map((l) => [l.id, l]));
      for (const s of lines) {
        const l = current.get(s.line_id);
        if (!l) throw notFound('order_line', s.line_id);
        const remaining = toShip(l);
        if (s.quantity < 1 || s.quantity > remaining) {
          const refunded = l.cancelled_quantity > 0 ? ` (${l.cancelled_quantity} refunded before shipping)` : '';
          throw new AppError('business_rule', 'ship_quantity_exceeds', `line ${s.line_id}: ${remaining} left to ship${refunded}`, { line_id: s.line_id, remaining, cancelled_quantity: l.cancelled_quantity })
            .zh(l.cancelled_quantity > 0 ? `该商品还可发货 ${remaining} 件（${l.cancelled_quantity} 件已在发货前退款）` : `该商品还可发货 ${remaining} 件`);
        }
        const r = await repo.q(tx).updateTable('trade_order_lines').set({ shipped_quantity: l.shipped_quantity + s.quantity })
          .where('id', '=', l.id).where('shipped_quantity', '=', l.shipped_quantity).where('cancelled_quantity', '=', l.cancelled_quantity).executeTakeFirst();
        if (Number(r.numUpdatedRows) !== 1) throw conflict('line_changed', `line ${s.line_id} changed meanwhile (shipped or refunded); reload the order`, { line_id: s.line_id }).zh('该商品刚刚有变化（已发货或已退款），请刷新订单');
        l.shipped_quantity += s.quantity;
      }
      return afterShipping(tx, order, [...current.values()], actor, 'ship_part');
    },

    /** Buyer confirms receipt (or the 10-day timer does): received, then completed. */
    async confirmReceipt(tx: Executor, orderId: string, actor: Actor, buyerId?: string): Promise<OrderRow> {
      const order = await repo.orderById(orderId, tx);
      if (!order || (buyerId !== undefined && order.buyer_id !== buyerId)) throw notFound('order', orderId);
      const received = await transition(tx, order, actor.kind === 'system' ? 'auto_receive' : 'receive', actor);
      await scheduler.cancel(tx, `order:${orderId}:auto_receive`);
      return transition(tx, received, 'complete', SYSTEM);
    },

    /** One order row, read in the caller's transaction (after-sales checks ownership and dates with it). */
    order: (orderId: string, ex?: Executor): Promise<OrderRow | undefined> => repo.orderById(orderId, ex),

    /**
     * Money refunded on a line (after-sales calls this in the transaction that records a
     * successful refund). One conditional statement: never above what the line paid. When
     * every line is refunded in full the order closes (`refund_all`) where the machine allows
     * it; a completed order stays completed (settlement reads refunded_minor).
     */
    async recordRefund(tx: Executor, orderId: string, lineId: string, amountMinor: number, actor: Actor = SYSTEM, opts: { unshipped_units?: number } = {}): Promise<{ order: OrderRow; fully_refunded: boolean; cancelled_units: number }> {
      if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0) throw new Error(`refund amount must be a positive integer of fen, got ${amountMinor}`);
      const r = await repo.q(tx).updateTable('trade_order_lines').set((eb) => ({ refunded_minor: eb('refunded_minor', '+', amountMinor) }))
        .where('id', '=', lineId).where('order_id', '=', orderId).where((eb) => eb(eb('refunded_minor', '+', amountMinor), '<=', eb.ref('paid_minor'))).executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) throw new AppError('business_rule', 'refund_exceeds_paid', `line ${lineId} of ${orderId} cannot take a refund of ${amountMinor}`, { order_id: orderId, line_id: lineId }).zh('退款金额超过该商品实付金额');
      let order = (await repo.orderById(orderId, tx))!;
      const lines = await repo.linesOf(orderId, tx);
      // Units refunded before they shipped stay in the warehouse: they leave the merchant's
      // to-ship list and go back into stock. Only what is still unshipped can be cancelled.
      const line = lines.find((l) => l.id === lineId)!;
      const cancel = Math.min(opts.unshipped_units ?? 0, toShip(line));
      if (cancel > 0) {
        const c = await repo.q(tx).updateTable('trade_order_lines').set((eb) => ({ cancelled_quantity: eb('cancelled_quantity', '+', cancel) }))
          .where('id', '=', lineId).where((eb) => eb(eb(eb('shipped_quantity', '+', eb.ref('cancelled_quantity')), '+', cancel), '<=', eb.ref('quantity'))).executeTakeFirst();
        if (Number(c.numUpdatedRows) !== 1) throw new Error(`line ${lineId}: could not cancel ${cancel} unshipped unit(s)`);
        await deps.restock(tx, line.sku_id, cancel, orderId, actor.id);
        line.cancelled_quantity += cancel; // what the conditional update just wrote
      }
      const fully = lines.every((l) => l.refunded_minor >= l.paid_minor);
      if (fully && nextStatus(order.status, 'refund_all').ok) return { order: await transition(tx, order, 'refund_all', actor, 'refunded_in_full'), fully_refunded: true, cancelled_units: cancel };
      // What is left was shipped already: the order is now fully shipped, and its receipt timer starts.
      if (cancel > 0 && order.status === 'partially_shipped') order = await afterShipping(tx, order, lines, actor, null);
      return { order, fully_refunded: fully, cancelled_units: cancel };
    },

    /** Returned units the merchant put back on the shelf (after-sales, when a return is confirmed). */
    async restockReturned(tx: Executor, orderId: string, lineId: string, quantity: number, actor: Actor): Promise<void> {
      const line = (await repo.linesOf(orderId, tx)).find((l) => l.id === lineId);
      if (!line) throw notFound('order_line', lineId);
      if (!Number.isSafeInteger(quantity) || quantity < 1 || quantity > line.shipped_quantity) throw new Error(`line ${lineId}: cannot restock ${quantity} of ${line.shipped_quantity} shipped unit(s)`);
      await deps.restock(tx, line.sku_id, quantity, orderId, actor.id);
    },

    async lines(orderId: string, ex?: Executor): Promise<OrderLineRow[]> {
      return repo.linesOf(orderId, ex);
    },

    statusOf: async (orderId: string): Promise<OrderStatus | undefined> => (await repo.orderById(orderId))?.status,
  };
}
export type OrderLifecycle = ReturnType<typeof createOrderLifecycle>;
