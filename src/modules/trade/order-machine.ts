/**
 * The order state machine as data (Vendure's default-order-process idea): a transitions
 * table plus guards that return a reason. Everything that moves an order goes through
 * `nextStatus`, so an illegal move is refused the same way everywhere (409 with the
 * current state).
 *
 *   unpaid ──pay──▶ paid ──ship_part──▶ partially_shipped ──ship_rest──▶ shipped ──receive──▶ received ──complete──▶ completed
 *     │                 └──────────────────ship_all───────────────────────▶┘
 *     ├──cancel (buyer) / expire (15 min unpaid) ──▶ cancelled
 *   paid / partially_shipped ──refund_all (after-sales refunded everything)──▶ closed
 *
 * Pre-sale (预售) orders start earlier and are paid by two payments (presale.service.ts):
 *   awaiting_deposit ──pay_deposit──▶ deposit_paid ──pay_balance──▶ paid ──▶ … as above
 *     ├──cancel / expire (deposit unpaid) ──▶ cancelled
 *     deposit_paid ──forfeit (balance window ended) / merchant_cancel / campaign_cancel──▶ closed
 */
export type OrderStatus = 'unpaid' | 'awaiting_deposit' | 'deposit_paid' | 'paid' | 'partially_shipped' | 'shipped' | 'received' | 'completed' | 'cancelled' | 'closed';
export type OrderEvent = 'pay' | 'pay_deposit' | 'pay_balance' | 'forfeit' | 'merchant_cancel' | 'campaign_cancel' | 'cancel' | 'expire' | 'ship_part' | 'ship_all' | 'receive' | 'auto_receive' | 'complete' | 'refund_all';

export const ORDER_STATUSES: readonly OrderStatus[] = ['unpaid', 'awaiting_deposit', 'deposit_paid', 'paid', 'partially_shipped', 'shipped', 'received', 'completed', 'cancelled', 'closed'];

const TRANSITIONS: Record<OrderStatus, Partial<Record<OrderEvent, OrderStatus>>> = {
  unpaid: { pay: 'paid', cancel: 'cancelled', expire: 'cancelled' },
  awaiting_deposit: { pay_deposit: 'deposit_paid', cancel: 'cancelled', expire: 'cancelled' },
  deposit_paid: { pay_balance: 'paid', forfeit: 'closed', merchant_cancel: 'closed', campaign_cancel: 'closed' },
  paid: { ship_part: 'partially_shipped', ship_all: 'shipped', refund_all: 'closed' },
  partially_shipped: { ship_part: 'partially_shipped', ship_all: 'shipped', refund_all: 'closed' },
  shipped: { receive: 'received', auto_receive: 'received', refund_all: 'closed' },
  received: { complete: 'completed', refund_all: 'closed' },
  completed: {},
  cancelled: {},
  closed: {},
};

export type Transition = { ok: true; to: OrderStatus } | { ok: false; code: 'illegal_transition'; message: string; current: OrderStatus };

export function nextStatus(current: OrderStatus, event: OrderEvent): Transition {
  const to = TRANSITIONS[current][event];
  if (to) return { ok: true, to };
  return { ok: false, code: 'illegal_transition', message: `an order that is ${current} cannot ${event.replace('_', ' ')}`, current };
}

export function isTerminal(status: OrderStatus): boolean {
  return Object.keys(TRANSITIONS[status]).length === 0;
}
