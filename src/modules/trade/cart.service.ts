import type { Clock } from '../../lib/clock.ts';
import { notFound, rule } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { Db } from '../../db/index.ts';
import { normalizeAttribution, type Attribution } from './attribution.ts';
import type { CartItemRow, TradeRepo } from './trade.repo.ts';

export const MAX_CART_ITEMS = 120;
export const MAX_LINE_QUANTITY = 200;

export interface CartItem {
  id: string;
  sku_id: string;
  product_id: string;
  store_id: string;
  quantity: number;
  attribution: Attribution;
  added_at: number;
}

/** What the cart needs to know about a SKU: the catalog answers (through trade's deps). */
export interface SkuFacts {
  sku_id: string;
  product_id: string;
  store_id: string;
  purchasable: boolean; // live product in an open store, active SKU
}

const toItem = (r: CartItemRow): CartItem => ({
  id: r.id, sku_id: r.sku_id, product_id: r.product_id, store_id: r.store_id, quantity: r.quantity, attribution: JSON.parse(r.attribution), added_at: r.added_at,
});

/** A buyer's cart, spanning stores. Prices are never stored here: checkout prices afresh. */
export function createCartService(deps: { db: Db; repo: TradeRepo; clock: Clock; skuFacts: (skuIds: string[]) => Promise<Map<string, SkuFacts>> }) {
  const { db, repo, clock } = deps;
  return {
    async listCart(buyerId: string): Promise<CartItem[]> {
      const rows = await repo.q().selectFrom('trade_cart_items').selectAll().where('buyer_id', '=', buyerId).orderBy('added_at', 'desc').orderBy('id', 'desc').execute();
      return rows.map(toItem);
    },

    /** Adds a SKU (quantities of the same SKU merge; the latest attribution wins, last-touch). */
    async addToCart(buyerId: string, input: { sku_id: string; quantity: number; attribution?: Partial<Attribution> }): Promise<CartItem> {
      const facts = (await deps.skuFacts([input.sku_id])).get(input.sku_id);
      if (!facts) throw notFound('sku', input.sku_id);
      if (!facts.purchasable) throw rule('sku_unavailable', 'this item is not for sale right now').zh('该商品暂不可购买');
      const now = clock.now();
      return db.transaction(async (tx) => {
        const existing = await repo.q(tx).selectFrom('trade_cart_items').selectAll().where('buyer_id', '=', buyerId).where('sku_id', '=', input.sku_id).executeTakeFirst();
        const attribution = JSON.stringify(normalizeAttribution(input.attribution));
        if (existing) {
          const quantity = existing.quantity + input.quantity;
          if (quantity > MAX_LINE_QUANTITY) throw rule('quantity_limit', `at most ${MAX_LINE_QUANTITY} of one item`, { max: MAX_LINE_QUANTITY }).zh(`单件商品最多购买 ${MAX_LINE_QUANTITY} 件`);
          await repo.q(tx).updateTable('trade_cart_items').set({ quantity, attribution, updated_at: now }).where('id', '=', existing.id).execute();
          return toItem({ ...existing, quantity, attribution, updated_at: now });
        }
        const count = await repo.q(tx).selectFrom('trade_cart_items').select((eb) => eb.fn.countAll<number>().as('n')).where('buyer_id', '=', buyerId).executeTakeFirstOrThrow();
        if (Number(count.n) >= MAX_CART_ITEMS) throw rule('cart_full', `a cart holds at most ${MAX_CART_ITEMS} items`).zh(`购物车最多 ${MAX_CART_ITEMS} 件商品`);
        const row: CartItemRow = { id: newId('cit'), buyer_id: buyerId, sku_id: facts.sku_id, product_id: facts.product_id, store_id: facts.store_id, quantity: input.quantity, attribution, added_at: now, updated_at: now };
        await repo.q(tx).insertInto('trade_cart_items').values(row).execute();
        return toItem(row);
      });
    },

    async setCartQuantity(buyerId: string, itemId: string, quantity: number): Promise<CartItem> {
      const now = clock.now();
      const r = await repo.q().updateTable('trade_cart_items').set({ quantity, updated_at: now }).where('id', '=', itemId).where('buyer_id', '=', buyerId).executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) throw notFound('cart_item', itemId);
      const row = await repo.q().selectFrom('trade_cart_items').selectAll().where('id', '=', itemId).executeTakeFirstOrThrow();
      return toItem(row);
    },

    async removeFromCart(buyerId: string, itemId: string): Promise<void> {
      const r = await repo.q().deleteFrom('trade_cart_items').where('id', '=', itemId).where('buyer_id', '=', buyerId).executeTakeFirst();
      if (Number(r.numDeletedRows) !== 1) throw notFound('cart_item', itemId);
    },

    async cartItems(buyerId: string, itemIds: readonly string[]): Promise<CartItem[]> {
      if (itemIds.length === 0) return [];
      const rows = await repo.q().selectFrom('trade_cart_items').selectAll().where('buyer_id', '=', buyerId).where('id', 'in', itemIds).execute();
      return rows.map(toItem);
    },
  };
}
