import type { Clock } from '../../lib/clock.ts';
import { AppError, conflict, notFound, rule } from '../../lib/errors.ts';
import type { Logger } from '../../lib/logger.ts';
import type { Db, Executor } from '../../db/index.ts';
import type { Outbox } from '../../db/outbox.ts';
import type { Scheduler } from '../../db/scheduler.ts';
import type { FulfillmentModule } from '../fulfillment/index.ts';
import type { LedgerModule } from '../ledger/index.ts';
import type { OrderLineRow, OrderRow, TradeModule } from '../trade/index.ts';
import type { Actor, AftersalesRepo, RequestRow } from './aftersales.repo.ts';
import { maxRefund, type AftersalesConfig, type LineHistory, type PolicyFail } from './policy.ts';
import type { RefundQueue } from './refunds.ts';
import { WAITING_ON } from './request-machine.ts';
import type { RequestTransitions } from './request-transitions.ts';

/** What after-sales needs from other modules: plain functions, wired in app/wire.ts. */
export interface AftersalesPorts {
  orders: Pick<TradeModule, 'order' | 'lines' | 'recordRefund' | 'restockReturned'>;
  shipments: Pick<FulfillmentModule, 'createShipment'>;
  ledger: Pick<LedgerModule, 'account' | 'post'>;
}

/** Shared by the module's services. */
export interface Ctx extends AftersalesPorts {
  db: Db;
  repo: AftersalesRepo;
  clock: Clock;
  outbox: Outbox;
  scheduler: Scheduler;
  log: Logger;
  config: AftersalesConfig;
  transitions: RequestTransitions;
  queue: RefundQueue;
}

export const ruleFail = (f: PolicyFail) => (f.conflict ? conflict(f.code, f.message, f.details) : rule(f.code, f.message, f.details)).zh(f.message_zh);
export const parseJson = <T>(text: string | null, fallback: T): T => (text ? (JSON.parse(text) as T) : fallback);

/** Units settled by a refund already (returned, or refunded without a return). */
const CONSUMING: RequestRow['status'][] = ['refunding', 'refunded', 'refund_failed'];

/** The order and line a request is about, read in the caller's transaction. */
export async function orderLine(ctx: Ctx, tx: Executor, orderId: string, lineId: string): Promise<{ order: OrderRow; line: OrderLineRow }> {
  const order = await ctx.orders.order(orderId, tx);
  if (!order) throw notFound('order', orderId);
  const line = (await ctx.orders.lines(orderId, tx)).find((l) => l.id === lineId);
  if (!line) throw notFound('order_line', lineId);
  return { order, line };
}

/** What earlier requests and claims left on a line; `exceptId` leaves out the request being decided. */
export async function lineHistory(ctx: Ctx, tx: Executor, lineId: string, exceptId?: string): Promise<LineHistory> {
  const rows = await ctx.repo.requestsOfLine(lineId, tx);
  const openClaim = await ctx.repo.q(tx).selectFrom('aftersales_claims').select('id').where('line_id', '=', lineId).where('kind', '=', 'damaged')
    .where('status', 'in', ['submitted', 'refunding']).executeTakeFirst();
  const others = rows.filter((r) => r.id !== exceptId);
  return {
    requests: rows.length,
    open: others.some((r) => r.active === 1) || openClaim !== undefined,
    consumed_units: others.filter((r) => CONSUMING.includes(r.status)).reduce((s, r) => s + r.quantity, 0),
  };
}

/** The most this request may refund now (its units' shares, capped by what the line has left). */
export async function refundCap(ctx: Ctx, tx: Executor, req: RequestRow): Promise<number> {
  const { line } = await orderLine(ctx, tx, req.order_id, req.line_id);
  const h = await lineHistory(ctx, tx, req.line_id, req.id);
  return maxRefund(line, h.consumed_units, req.quantity);
}

/** A request of this buyer (another buyer's is not found). */
export async function buyerRequest(ctx: Ctx, tx: Executor, buyerId: string, id: string): Promise<RequestRow> {
  const r = await ctx.repo.request(id, tx);
  if (!r || r.buyer_id !== buyerId) throw notFound('aftersales_request', id);
  return r;
}

/** A request of this store (another store's is not found). */
export async function storeRequest(ctx: Ctx, tx: Executor, storeId: string, id: string): Promise<RequestRow> {
  const r = await ctx.repo.request(id, tx);
  if (!r || r.store_id !== storeId) throw notFound('aftersales_request', id);
  return r;
}

/**
 * A party acting after its own deadline is refused: the automatic outcome is due (the
 * scheduler may simply not have run yet). The other side may still act (e.g. withdraw).
 */
export function assertBeforeDeadline(ctx: Ctx, req: RequestRow, actor: Actor): void {
  if (req.deadline_at === null || WAITING_ON[req.status] !== actor.kind) return;
  if (ctx.clock.now() > req.deadline_at) {
    throw new AppError('conflict', 'deadline_passed', 'the deadline for this step has passed; the automatic outcome applies', { request_id: req.id, current_status: req.status, deadline_at: req.deadline_at })
      .zh('已超过处理期限，系统将自动处理');
  }
}

/** After the transaction committed: run the refunds it queued for these subjects right away (best effort; the worker retries). */
export async function runQueuedRefunds(ctx: Ctx, subjectId: string): Promise<void> {
  const rows = await ctx.repo.q().selectFrom('aftersales_refunds').select('id').where('subject_id', '=', subjectId).where('status', '=', 'pending').execute();
  for (const r of rows) {
    try {
      await ctx.queue.runOne(r.id);
    } catch (err) {
      ctx.log.warn({ err, refund_id: r.id }, 'refund after commit failed; the worker retries');
    }
  }
}
