import { tables, type Db, type Executor, type Prepared } from '../../db/index.ts';
import type { OrderStatus } from './order-machine.ts';

export type Channel = 'live' | 'video' | 'article' | 'share' | 'search' | 'feed' | 'store' | 'direct';

export interface CartItemRow {
  id: string; buyer_id: string; sku_id: string; product_id: string; store_id: string; quantity: number; attribution: string; added_at: number; updated_at: number;
}
export interface CheckoutRow {
  id: string; buyer_id: string; status: 'unpaid' | 'paid' | 'cancelled'; total_minor: number; currency: 'CNY'; order_ids: string; created_at: number; pay_by: number; paid_at: number | null;
  /** order: a normal checkout · presale_deposit / presale_balance: one of the two payments of a pre-sale order. */
  kind: CheckoutKind;
}
export type CheckoutKind = 'order' | 'presale_deposit' | 'presale_balance';
export type PresaleStage = 'awaiting_deposit' | 'deposit_paid' | 'balance_paid' | 'cancelled' | 'forfeited' | 'refunded';
export interface PresaleOrderRow {
  order_id: string; buyer_id: string; store_id: string; campaign_id: string; offer_id: string; line_id: string; sku_id: string; quantity: number;
  price_minor: number; deposit_minor: number; deposit_value_minor: number; deposit_checkout_id: string; balance_checkout_id: string | null;
  balance_from_ms: number; balance_to_ms: number; stage: PresaleStage; rules: string; balance_pricing: string | null; created_at: number; updated_at: number;
}
export interface OrderRow {
  id: string; checkout_id: string; buyer_id: string; store_id: string; status: OrderStatus; kind: 'normal' | 'presale'; goods_minor: number; discount_minor: number; shipping_minor: number;
  total_minor: number; currency: 'CNY'; pricing: string; address: string; buyer_note: string; created_at: number; updated_at: number; paid_at: number | null;
  shipped_at: number | null; received_at: number | null; completed_at: number | null; cancelled_at: number | null; cancel_reason: string | null;
}
export interface OrderLineRow {
  id: string; order_id: string; store_id: string; sku_id: string; product_id: string; category_id: string; title: string; spec: string; image: string | null;
  quantity: number; unit_price_minor: number; goods_minor: number; discount_minor: number; shipping_minor: number; paid_minor: number; discounts: string;
  fee_rate_bp: number; no_reason_return_7d: number; shipping_insurance: number; channel: Channel; content_id: string | null; creator_id: string | null;
  campaign_id: string | null; share_chain: string; shipped_quantity: number; refunded_minor: number;
  /** Units refunded before they shipped: not to be shipped (see orders.service.ts recordRefund). */
  cancelled_quantity: number;
}
export interface TransitionRow {
  id: string; order_id: string; from_status: string; to_status: string; event: string; actor_kind: 'buyer' | 'merchant' | 'operator' | 'system'; actor_id: string | null; reason: string | null; at: number;
}
export interface TradeTables {
  trade_cart_items: CartItemRow;
  trade_checkouts: CheckoutRow;
  trade_orders: OrderRow;
  trade_order_lines: OrderLineRow;
  trade_order_transitions: TransitionRow;
  trade_presale_orders: PresaleOrderRow;
}

export type NewOrderLine = Omit<OrderLineRow, 'shipped_quantity' | 'refunded_minor' | 'cancelled_quantity'>;
const lineParams = (l: NewOrderLine): unknown[] => [l.id, l.order_id, l.store_id, l.sku_id, l.product_id, l.category_id, l.title, l.spec, l.image, l.quantity, l.unit_price_minor,
  l.goods_minor, l.discount_minor, l.shipping_minor, l.paid_minor, l.discounts, l.fee_rate_bp, l.no_reason_return_7d, l.shipping_insurance, l.channel, l.content_id, l.creator_id,
  l.campaign_id, l.share_chain];

/** The only code that touches trade_* tables. Hot statements are prepared once. */
export function createTradeRepo(db: Db) {
  const q = (ex: Executor = db.kysely) => tables<TradeTables>(ex);
  const insertOrder = db.prepared(
    `insert into trade_orders (id, checkout_id, buyer_id, store_id, status, goods_minor, discount_minor, shipping_minor, total_minor, currency, pricing, address, buyer_note, created_at, updated_at)
     values (?, ?, ?, ?, 'unpaid', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  // An order's lines in one statement (one round trip on PostgreSQL), prepared once per line count.
  const LINE_COLUMNS = `id, order_id, store_id, sku_id, product_id, category_id, title, spec, image, quantity, unit_price_minor, goods_minor, discount_minor,
       shipping_minor, paid_minor, discounts, fee_rate_bp, no_reason_return_7d, shipping_insurance, channel, content_id, creator_id, campaign_id, share_chain`;
  const LINE_VALUES = `(${Array(24).fill('?').join(', ')})`;
  const insertLinesOf = new Map<number, Prepared<unknown>>();
  const insertLinesStmt = (n: number) => {
    let st = insertLinesOf.get(n);
    if (!st) insertLinesOf.set(n, (st = db.prepared(`insert into trade_order_lines (${LINE_COLUMNS}) values ${Array(n).fill(LINE_VALUES).join(', ')}`)));
    return st;
  };
  const insertCheckout = db.prepared(
    `insert into trade_checkouts (id, buyer_id, status, total_minor, currency, order_ids, created_at, pay_by) values (?, ?, 'unpaid', ?, ?, ?, ?, ?)`,
  );
  const moveOrder = db.prepared('update trade_orders set status = ?, updated_at = ? where id = ? and status = ?');
  const insertTransition = db.prepared(
    'insert into trade_order_transitions (id, order_id, from_status, to_status, event, actor_kind, actor_id, reason, at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const orderById = db.prepared<OrderRow>('select * from trade_orders where id = ?');
  const linesOf = db.prepared<OrderLineRow>('select * from trade_order_lines where order_id = ? order by id');

  return {
    q,
    insertOrder: (tx: Executor, o: Omit<OrderRow, 'status' | 'kind' | 'paid_at' | 'shipped_at' | 'received_at' | 'completed_at' | 'cancelled_at' | 'cancel_reason'>) =>
      insertOrder.run(tx, [o.id, o.checkout_id, o.buyer_id, o.store_id, o.goods_minor, o.discount_minor, o.shipping_minor, o.total_minor, o.currency, o.pricing, o.address, o.buyer_note, o.created_at, o.updated_at]),
    insertLine: (tx: Executor, l: NewOrderLine) => insertLinesStmt(1).run(tx, lineParams(l)),
    /** Several lines in one statement (at most 20 per statement). */
    async insertLines(tx: Executor, lines: readonly NewOrderLine[]): Promise<void> {
      for (let i = 0; i < lines.length; i += 20) {
        const chunk = lines.slice(i, i + 20);
        await insertLinesStmt(chunk.length).run(tx, chunk.flatMap(lineParams));
      }
    },
    insertCheckout: (tx: Executor, c: Pick<CheckoutRow, 'id' | 'buyer_id' | 'total_minor' | 'currency' | 'order_ids' | 'created_at' | 'pay_by'>) =>
      insertCheckout.run(tx, [c.id, c.buyer_id, c.total_minor, c.currency, c.order_ids, c.created_at, c.pay_by]),
    /** Conditional move: succeeds only from the expected status (no lost updates on either engine). */
    moveOrder: (tx: Executor, id: string, from: OrderStatus, to: OrderStatus, now: number) => moveOrder.run(tx, [to, now, id, from]),
    insertTransition: (tx: Executor, t: TransitionRow) =>
      insertTransition.run(tx, [t.id, t.order_id, t.from_status, t.to_status, t.event, t.actor_kind, t.actor_id, t.reason, t.at]),
    orderById: (id: string, ex: Executor = db.kysely) => orderById.first(ex, [id]),
    linesOf: (orderId: string, ex: Executor = db.kysely) => linesOf.all(ex, [orderId]),
    linesOfMany: (orderIds: readonly string[], ex?: Executor) =>
      orderIds.length ? q(ex).selectFrom('trade_order_lines').selectAll().where('order_id', 'in', orderIds).orderBy('id').execute() : Promise.resolve([]),
  };
}
export type TradeRepo = ReturnType<typeof createTradeRepo>;
