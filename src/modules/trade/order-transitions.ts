import type { Clock } from '../../lib/clock.ts';
import { AppError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { Executor } from '../../db/index.ts';
import type { Outbox } from '../../db/outbox.ts';
import { nextStatus, type OrderEvent, type OrderStatus } from './order-machine.ts';
import type { OrderRow, TradeRepo, TransitionRow } from './trade.repo.ts';

export interface Actor {
  kind: TransitionRow['actor_kind'];
  id: string | null;
}
export const SYSTEM: Actor = { kind: 'system', id: null };

const TIMESTAMP: Partial<Record<OrderStatus, keyof OrderRow>> = {
  paid: 'paid_at', shipped: 'shipped_at', received: 'received_at', completed: 'completed_at', cancelled: 'cancelled_at',
};

/**
 * The one way an order changes state: check the machine, move conditionally (`where status =
 * current`, so a concurrent move can't be lost), log the transition, emit `order.<to>`.
 * An illegal move is a 409 carrying the current state.
 */
export function createOrderTransitions(deps: { repo: TradeRepo; clock: Clock; outbox: Outbox }) {
  const { repo, clock, outbox } = deps;
  return async function transition(tx: Executor, order: OrderRow, event: OrderEvent, actor: Actor, reason: string | null = null): Promise<OrderRow> {
    const t = nextStatus(order.status, event);
    if (!t.ok) throw new AppError('conflict', 'illegal_transition', t.message, { order_id: order.id, current_status: t.current, event }).zh('订单当前状态不允许此操作');
    const now = clock.now();
    if ((await repo.moveOrder(tx, order.id, order.status, t.to, now)) !== 1) {
      const fresh = await repo.orderById(order.id, tx);
      throw new AppError('conflict', 'illegal_transition', `the order changed meanwhile; it is now ${fresh?.status}`, { order_id: order.id, current_status: fresh?.status, event });
    }
    const stamp = TIMESTAMP[t.to];
    const patch: Partial<OrderRow> = {};
    if (stamp && order[stamp] == null) (patch as Record<string, unknown>)[stamp] = now;
    if (t.to === 'cancelled') patch.cancel_reason = reason;
    if (Object.keys(patch).length) await repo.q(tx).updateTable('trade_orders').set(patch).where('id', '=', order.id).execute();
    await repo.insertTransition(tx, { id: newId('otr'), order_id: order.id, from_status: order.status, to_status: t.to, event, actor_kind: actor.kind, actor_id: actor.id, reason, at: now });
    await outbox.emit(tx, `order.${t.to}`, order.id, { order_id: order.id, store_id: order.store_id, buyer_id: order.buyer_id, from: order.status, to: t.to, event, reason });
    return { ...order, ...patch, status: t.to, updated_at: now };
  };
}
export type TransitionFn = ReturnType<typeof createOrderTransitions>;
