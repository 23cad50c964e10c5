import { notFound } from '../../lib/errors.ts';
import { clampLimit, decodeCursor, toPage, type Page } from '../../lib/page.ts';
import type { OrderStatus } from './order-machine.ts';
import type { OrderLineRow, OrderRow, TradeRepo, TransitionRow } from './trade.repo.ts';

export interface OrderView extends Omit<OrderRow, 'pricing' | 'address'> {
  pricing: unknown;
  address: Record<string, string | null>;
  lines: (Omit<OrderLineRow, 'spec' | 'discounts' | 'share_chain' | 'no_reason_return_7d' | 'shipping_insurance'> & {
    spec: Record<string, string>; discounts: unknown[]; share_chain: string[]; no_reason_return_7d: boolean; shipping_insurance: boolean;
  })[];
}

export interface OrderFilter {
  status?: OrderStatus;
  created_from?: number;
  created_to?: number;
  limit?: number;
  cursor?: string;
}

export const toOrderView = (o: OrderRow, lines: OrderLineRow[]): OrderView => ({
  ...o,
  pricing: JSON.parse(o.pricing),
  address: JSON.parse(o.address),
  lines: lines.map((l) => ({
    ...l, spec: JSON.parse(l.spec), discounts: JSON.parse(l.discounts), share_chain: JSON.parse(l.share_chain),
    no_reason_return_7d: l.no_reason_return_7d === 1, shipping_insurance: l.shipping_insurance === 1,
  })),
});

/** Reads for buyers (their own orders) and merchants (their store's orders). */
export function createOrderQueries(repo: TradeRepo) {
  async function page(where: { buyer_id?: string; store_id?: string }, f: OrderFilter): Promise<Page<OrderView>> {
    const limit = clampLimit(f.limit);
    const after = decodeCursor(f.cursor);
    let q = repo.q().selectFrom('trade_orders').selectAll().orderBy('id', 'desc').limit(limit + 1);
    if (where.buyer_id) q = q.where('buyer_id', '=', where.buyer_id);
    if (where.store_id) q = q.where('store_id', '=', where.store_id);
    if (f.status) q = q.where('status', '=', f.status);
    if (f.created_from !== undefined) q = q.where('created_at', '>=', f.created_from);
    if (f.created_to !== undefined) q = q.where('created_at', '<', f.created_to);
    if (after !== undefined) q = q.where('id', '<', String(after));
    const rows = await q.execute();
    const lines = await repo.linesOfMany(rows.map((r) => r.id));
    const by = new Map<string, OrderLineRow[]>();
    for (const l of lines) by.set(l.order_id, [...(by.get(l.order_id) ?? []), l]);
    return toPage(rows.map((o) => toOrderView(o, by.get(o.id) ?? [])), limit, (o) => o.id);
  }

  async function one(orderId: string, owner: { buyer_id?: string; store_id?: string }): Promise<{ order: OrderView; transitions: TransitionRow[] }> {
    const o = await repo.orderById(orderId);
    if (!o || (owner.buyer_id && o.buyer_id !== owner.buyer_id) || (owner.store_id && o.store_id !== owner.store_id)) throw notFound('order', orderId);
    const transitions = await repo.q().selectFrom('trade_order_transitions').selectAll().where('order_id', '=', orderId).orderBy('id').execute();
    return { order: toOrderView(o, await repo.linesOf(orderId)), transitions };
  }

  return {
    buyerOrders: (buyerId: string, f: OrderFilter) => page({ buyer_id: buyerId }, f),
    storeOrders: (storeId: string, f: OrderFilter) => page({ store_id: storeId }, f),
    buyerOrder: (buyerId: string, orderId: string) => one(orderId, { buyer_id: buyerId }),
    storeOrder: (storeId: string, orderId: string) => one(orderId, { store_id: storeId }),
    /** All of a store's orders matching the filter, in pages, for CSV export. */
    async *storeOrdersAll(storeId: string, f: Omit<OrderFilter, 'limit' | 'cursor'>): AsyncGenerator<OrderView> {
      let cursor: string | undefined;
      do {
        const p = await page({ store_id: storeId }, { ...f, limit: 100, cursor });
        yield* p.items;
        cursor = p.next_cursor ?? undefined;
      } while (cursor);
    },
  };
}
