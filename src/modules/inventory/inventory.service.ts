import type { Clock } from '../../lib/clock.ts';
import { notFound, rule } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { tables, type Db, type Executor } from '../../db/index.ts';
import type { Outbox } from '../../db/outbox.ts';

export interface InventoryTables {
  inventory_stock: { sku_id: string; store_id: string; on_hand: number; reserved: number; updated_at: number };
  inventory_movements: { id: string; sku_id: string; store_id: string; delta_on_hand: number; delta_reserved: number; reason: string; ref: string | null; actor_id: string | null; created_at: number };
}

export interface StockLevel {
  sku_id: string;
  on_hand: number;
  reserved: number;
  available: number;
}

/**
 * Stock per SKU. Every change is one conditional UPDATE (`… where on_hand + delta >= reserved`)
 * plus a movement row, so correctness never depends on the engine's locking.
 */
export function createInventoryService(deps: { db: Db; clock: Clock; outbox: Outbox }) {
  const { db, clock, outbox } = deps;
  const q = (ex: Executor = db.kysely) => tables<InventoryTables>(ex);
  const adjustStmt = db.prepared('update inventory_stock set on_hand = on_hand + ?, updated_at = ? where sku_id = ? and store_id = ? and on_hand + ? >= reserved');

  async function movement(tx: Executor, m: Omit<InventoryTables['inventory_movements'], 'id' | 'created_at'>): Promise<void> {
    await q(tx).insertInto('inventory_movements').values({ ...m, id: newId('mov'), created_at: clock.now() }).execute();
  }

  return {
    async initStock(tx: Executor, storeId: string, skuId: string, quantity: number, actorId: string | null): Promise<void> {
      if (!Number.isSafeInteger(quantity) || quantity < 0) throw rule('invalid_quantity', 'stock must be a non-negative integer');
      await q(tx).insertInto('inventory_stock').values({ sku_id: skuId, store_id: storeId, on_hand: quantity, reserved: 0, updated_at: clock.now() }).execute();
      await movement(tx, { sku_id: skuId, store_id: storeId, delta_on_hand: quantity, delta_reserved: 0, reason: 'initial', ref: null, actor_id: actorId });
    },

    /** Adds (or with a negative delta removes) stock; refuses to go below what is reserved. */
    async adjust(storeId: string, skuId: string, delta: number, actorId: string, reason = 'adjust', outer?: Executor): Promise<StockLevel> {
      if (!Number.isSafeInteger(delta) || delta === 0) throw rule('invalid_quantity', 'delta must be a non-zero integer');
      return db.transaction(async (tx) => {
        const changed = await adjustStmt.run(tx, [delta, clock.now(), skuId, storeId, delta]);
        if (changed !== 1) {
          const row = await q(tx).selectFrom('inventory_stock').selectAll().where('sku_id', '=', skuId).where('store_id', '=', storeId).executeTakeFirst();
          if (!row) throw notFound('sku', skuId);
          throw rule('insufficient_stock', `cannot remove ${-delta}: ${row.on_hand - row.reserved} available`, { sku_id: skuId, available: row.on_hand - row.reserved });
        }
        await movement(tx, { sku_id: skuId, store_id: storeId, delta_on_hand: delta, delta_reserved: 0, reason, ref: null, actor_id: actorId });
        const row = await q(tx).selectFrom('inventory_stock').selectAll().where('sku_id', '=', skuId).executeTakeFirstOrThrow();
        await outbox.emit(tx, 'stock.changed', skuId, { sku_id: skuId, store_id: storeId, available: row.on_hand - row.reserved });
        return { sku_id: skuId, on_hand: row.on_hand, reserved: row.reserved, available: row.on_hand - row.reserved };
      }, outer);
    },

    async levels(skuIds: readonly string[]): Promise<Map<string, StockLevel>> {
      if (skuIds.length === 0) return new Map();
      const rows = await q().selectFrom('inventory_stock').selectAll().where('sku_id', 'in', skuIds).execute();
      return new Map(rows.map((r) => [r.sku_id, { sku_id: r.sku_id, on_hand: r.on_hand, reserved: r.reserved, available: r.on_hand - r.reserved }]));
    },
  };
}
