import type { Clock } from '../../lib/clock.ts';
import type { Executor } from '../../db/index.ts';
import type { Hub } from './hub.ts';
import type { LiveRepo, RoomRow } from './live.repo.ts';

/** One paid order's lines sold from a room (from trade's order.paid, through a subscriber). */
export interface LiveSale {
  order_id: string;
  room_id: string;
  buyer_id: string;
  paid_at: number;
  lines: { product_id: string; title: string; quantity: number; /** goods after discounts, without shipping */ amount_minor: number }[];
}

export interface ProductStats {
  product_id: string;
  title: string;
  clicks: number;
  orders: number;
  units: number;
  gmv_minor: number;
}

export interface RoomStats {
  room_id: string;
  status: RoomRow['status'];
  concurrent_viewers: number;
  peak_viewers: number;
  /** 场观: stream connections opened (every visit counts). */
  total_views: number;
  unique_viewers: number;
  avg_watch_ms: number;
  likes: number;
  reservations: number;
  product_clicks: number;
  orders: number;
  buyers: number;
  units: number;
  gmv_minor: number;
  currency: 'CNY';
  /** Buyers ÷ unique signed-in viewers, in basis points. */
  conversion_bp: number;
  products: ProductStats[];
}

/**
 * Sales from the room (a read model fed by order events: idempotent per order and product) and
 * the merchant's live statistics, combining the stored counts with the hub's live ones.
 * GMV is what buyers paid for the goods (after discounts, without shipping), at payment time.
 */
export function createStats(deps: { clock: Clock; repo: LiveRepo; hub: Hub }) {
  const { clock, repo, hub } = deps;
  return {
    /** Records a paid order's room lines once; true when it was new (then "someone just bought" is shown). */
    async recordSale(tx: Executor, sale: LiveSale): Promise<boolean> {
      let added = 0;
      for (const l of sale.lines) {
        const r = await repo.q(tx).insertInto('live_sales').values({ order_id: sale.order_id, product_id: l.product_id, room_id: sale.room_id, buyer_id: sale.buyer_id, quantity: l.quantity, paid_minor: l.amount_minor, paid_at: sale.paid_at })
          .onConflict((oc) => oc.columns(['order_id', 'product_id']).doNothing()).executeTakeFirst();
        added += Number(r.numInsertedOrUpdatedRows ?? 0n);
      }
      return added > 0;
    },

    async roomStats(room: RoomRow): Promise<RoomStats> {
      // Views counted by the hub since the last write are added to the room first.
      const pendingViews = hub.takeViews(room.id);
      if (pendingViews || hub.peak(room.id) > room.peak_viewers) await repo.addViews(room.id, pendingViews, hub.peak(room.id));
      const r = (await repo.room(room.id))!;
      const now = clock.now();
      const [viewers, sales, items] = await Promise.all([
        repo.q().selectFrom('live_viewers').select(['account_id', 'watch_ms']).where('room_id', '=', room.id).execute(),
        repo.q().selectFrom('live_sales').selectAll().where('room_id', '=', room.id).execute(),
        repo.q().selectFrom('live_shelf_items').selectAll().where('room_id', '=', room.id).orderBy('position').execute(),
      ]);
      const open = hub.openSessions(room.id);
      const watch = viewers.reduce((s, v) => s + Number(v.watch_ms) + (open.has(v.account_id) ? now - open.get(v.account_id)! : 0), 0);
      const per = new Map<string, ProductStats>(items.map((i) => [i.product_id, { product_id: i.product_id, title: i.title, clicks: i.clicks, orders: 0, units: 0, gmv_minor: 0 }]));
      const orderIds = new Set<string>();
      const buyers = new Set<string>();
      for (const s of sales) {
        orderIds.add(s.order_id);
        buyers.add(s.buyer_id);
        const p = per.get(s.product_id) ?? { product_id: s.product_id, title: '', clicks: 0, orders: 0, units: 0, gmv_minor: 0 };
        p.orders++;
        p.units += s.quantity;
        p.gmv_minor += Number(s.paid_minor);
        per.set(s.product_id, p);
      }
      const products = [...per.values()];
      return {
        room_id: r.id, status: r.status, concurrent_viewers: hub.viewers(r.id), peak_viewers: Math.max(r.peak_viewers, hub.peak(r.id)), total_views: r.total_views,
        unique_viewers: viewers.length, avg_watch_ms: viewers.length ? Math.round(watch / viewers.length) : 0, likes: Number(r.likes), reservations: r.reservations,
        product_clicks: products.reduce((s, p) => s + p.clicks, 0), orders: orderIds.size, buyers: buyers.size, units: products.reduce((s, p) => s + p.units, 0),
        gmv_minor: products.reduce((s, p) => s + p.gmv_minor, 0), currency: 'CNY', conversion_bp: viewers.length ? Math.floor((buyers.size * 10_000) / viewers.length) : 0, products,
      };
    },
  };
}
