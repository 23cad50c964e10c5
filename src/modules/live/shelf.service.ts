import type { Clock } from '../../lib/clock.ts';
import { conflict, notFound, rule } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { Db, Executor } from '../../db/index.ts';
import type { Hub } from './hub.ts';
import type { LiveRepo, RoomRow, ShelfItemRow } from './live.repo.ts';
import type { LivePriceHooks } from './rooms.service.ts';

/** A product as the shelf shows it (catalog answers, through wire.ts). */
export interface ShelfProduct {
  product_id: string;
  store_id: string;
  title: string;
  image: string | null;
  /** The lowest SKU price. */
  price_minor: number;
  on_sale: boolean;
}
export type ShelfProductLookup = (productIds: readonly string[]) => Promise<Map<string, ShelfProduct>>;

/** A live price as promotions keeps it (what the shelf shows next to the product). */
export interface LivePriceView {
  id: string;
  product_id: string;
  sku_id: string;
  price_minor: number;
  live_stock: number;
  stock_left: number;
  limit_per_buyer: number | null;
  status: 'active' | 'stopped';
}
export type RoomLivePrices = (roomId: string) => Promise<LivePriceView[]>;

export type ShelfItem = ShelfItemRow & { pinned: boolean; live_prices: LivePriceView[] };

/**
 * The product shelf (小黄车): products on the room's shelf, one of them pinned as 讲解中 at a
 * time (only while live), clicks counted per product. A store's room shelves the store's own
 * products; a creator's room shelves any product on sale (the affiliate module decides which
 * products a creator may sell once it exists).
 */
export function createShelf(deps: { db: Db; clock: Clock; repo: LiveRepo; hub: Hub; products: ShelfProductLookup; livePrices: RoomLivePrices; prices: LivePriceHooks; creatorMaySell?(creatorId: string, productId: string): Promise<boolean> }) {
  const { db, clock, repo, hub } = deps;

  async function item(roomId: string, itemId: string, ex?: Executor): Promise<ShelfItemRow> {
    const r = await repo.q(ex).selectFrom('live_shelf_items').selectAll().where('id', '=', itemId).where('room_id', '=', roomId).where('status', '=', 'on_shelf').executeTakeFirst();
    if (!r) throw notFound('shelf_item', itemId);
    return r;
  }

  async function shelf(room: RoomRow): Promise<ShelfItem[]> {
    const [items, prices] = await Promise.all([
      repo.q().selectFrom('live_shelf_items').selectAll().where('room_id', '=', room.id).where('status', '=', 'on_shelf').orderBy('position').execute(),
      deps.livePrices(room.id),
    ]);
    return items.map((i) => ({ ...i, pinned: room.pinned_item_id === i.id, live_prices: prices.filter((p) => p.product_id === i.product_id && p.status === 'active') }));
  }

  return {
    shelf,
    shelfItem: item,

    async addToShelf(room: RoomRow, productId: string): Promise<ShelfItem> {
      if (room.status === 'ended') throw conflict('room_status', 'the live has ended').zh('直播已结束');
      const p = (await deps.products([productId])).get(productId);
      if (!p || (room.store_id && p.store_id !== room.store_id)) throw notFound('product', productId);
      if (!p.on_sale) throw rule('product_not_on_sale', 'the product is not on sale').zh('商品未上架，不能加入小黄车');
      // A creator sells what they selected from the affiliate pool (the merchant offered it).
      if (room.creator_id && deps.creatorMaySell && !(await deps.creatorMaySell(room.creator_id, productId))) {
        throw rule('product_not_selected', 'a creator may shelve only products selected from the affiliate pool', { product_id: productId }).zh('达人只能上架已从选品库选择的商品');
      }
      const now = clock.now();
      const id = await db.transaction(async (tx) => {
        const existing = await repo.q(tx).selectFrom('live_shelf_items').selectAll().where('room_id', '=', room.id).where('product_id', '=', productId).executeTakeFirst();
        const max = await repo.q(tx).selectFrom('live_shelf_items').select((eb) => eb.fn.max('position').as('m')).where('room_id', '=', room.id).executeTakeFirst();
        const position = Number(max?.m ?? 0) + 1;
        if (existing) {
          await repo.q(tx).updateTable('live_shelf_items').set({ status: 'on_shelf', position: existing.status === 'on_shelf' ? existing.position : position, title: p.title, image: p.image, price_minor: p.price_minor, updated_at: now })
            .where('id', '=', existing.id).execute();
          return existing.id;
        }
        const row: ShelfItemRow = { id: newId('lsi'), room_id: room.id, product_id: p.product_id, store_id: p.store_id, title: p.title, image: p.image, price_minor: p.price_minor, position, status: 'on_shelf', clicks: 0, added_at: now, updated_at: now };
        await repo.q(tx).insertInto('live_shelf_items').values(row).execute();
        return row.id;
      });
      const added = (await shelf(room)).find((i) => i.id === id)!;
      hub.publish(room.id, 'shelf', { action: 'added', item: presentItem(added) });
      return added;
    },

    /** Off the shelf: unpinned if it was, and its live prices stop (same transaction). */
    async removeFromShelf(room: RoomRow, itemId: string): Promise<void> {
      const i = await item(room.id, itemId);
      await db.transaction(async (tx) => {
        await repo.q(tx).updateTable('live_shelf_items').set({ status: 'removed', updated_at: clock.now() }).where('id', '=', itemId).execute();
        if (room.pinned_item_id === itemId) await repo.q(tx).updateTable('live_rooms').set({ pinned_item_id: null }).where('id', '=', room.id).where('pinned_item_id', '=', itemId).execute();
        await deps.prices.stopProduct(tx, room.id, i.product_id);
      });
      if (room.pinned_item_id === itemId) hub.publish(room.id, 'pin', { item: null });
      hub.publish(room.id, 'shelf', { action: 'removed', item_id: itemId, product_id: i.product_id });
    },

    /** 讲解中: one product at a time, only while live; null unpins. */
    async pin(room: RoomRow, itemId: string | null): Promise<ShelfItem | null> {
      if (room.status !== 'live') throw conflict('room_not_live', 'a product is pinned while the room is live').zh('直播中才能设置讲解商品');
      if (itemId) await item(room.id, itemId);
      await repo.q().updateTable('live_rooms').set({ pinned_item_id: itemId, updated_at: clock.now() }).where('id', '=', room.id).execute();
      const pinned = itemId ? (await shelf({ ...room, pinned_item_id: itemId })).find((i) => i.id === itemId)! : null;
      hub.publish(room.id, 'pin', { item: pinned && presentItem(pinned) });
      return pinned;
    },

    /** A viewer opened a shelf product (product clicks in the stats). */
    async click(roomId: string, itemId: string): Promise<void> {
      if ((await repo.click(roomId, itemId)) !== 1) throw notFound('shelf_item', itemId);
    },

    /** The price event every viewer sees when a live price is set or changed. */
    async publishPrice(room: RoomRow, productId: string): Promise<void> {
      const i = (await shelf(room)).find((x) => x.product_id === productId);
      if (i) hub.publish(room.id, 'price', { item_id: i.id, product_id: productId, list_price_minor: i.price_minor, live_prices: i.live_prices.map(presentPrice) });
    },
  };
}

export const presentPrice = (p: LivePriceView) => ({ sku_id: p.sku_id, price_minor: p.price_minor, stock_left: p.stock_left, limit_per_buyer: p.limit_per_buyer });
export const presentItem = (i: ShelfItem) => ({
  id: i.id, product_id: i.product_id, store_id: i.store_id, title: i.title, image: i.image, price_minor: i.price_minor, position: i.position, pinned: i.pinned,
  live_prices: i.live_prices.map(presentPrice),
});
