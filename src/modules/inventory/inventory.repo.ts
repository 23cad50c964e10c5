import { preparedIn, tables, type Db, type Executor, type Prepared } from '../../db/index.ts';

/** restock: units of a sale that came back to the shelf (refunded before shipping, or a return the merchant put back). */
export type MovementReason = 'initial' | 'adjust' | 'import' | 'reserve' | 'release' | 'sale' | 'restock';
export type ReservationStatus = 'reserved' | 'released' | 'sold';

export interface StockRow { sku_id: string; store_id: string; product_id: string | null; on_hand: number; reserved: number; updated_at: number }
export interface MovementRow {
  id: string; sku_id: string; store_id: string; delta_on_hand: number; delta_reserved: number; reason: MovementReason; ref: string | null; actor_id: string | null;
  note: string | null; on_hand_after: number | null; reserved_after: number | null; created_at: number;
}
export interface ReservationRow { ref: string; status: ReservationStatus; lines: string; actor_id: string | null; created_at: number; updated_at: number }
export interface ProductTotalRow { product_id: string; store_id: string; available: number; updated_at: number }
export interface InventoryTables {
  inventory_stock: StockRow;
  inventory_movements: MovementRow;
  inventory_reservations: ReservationRow;
  inventory_product_totals: ProductTotalRow;
}

type Changed = { on_hand: number; reserved: number; product_id: string | null; store_id: string };

/**
 * The only code that touches inventory tables. Hot-path statements are prepared once
 * (plain SQL, same text on both engines); the rest goes through Kysely.
 */
export function createInventoryRepo(db: Db) {
  const q = (ex: Executor = db.kysely) => tables<InventoryTables>(ex);
  // The WHERE clause is the whole correctness argument: the row changes only if the result
  // keeps 0 <= reserved <= on_hand, evaluated on the row's latest version by either engine.
  const GUARD = 'on_hand + ? >= reserved + ? and reserved + ? >= 0';
  const SET = 'set on_hand = on_hand + ?, reserved = reserved + ?, updated_at = ?';
  const RET = 'returning on_hand, reserved, product_id, store_id';
  const changeAny = db.prepared<Changed>(`update inventory_stock ${SET} where sku_id = ? and ${GUARD} ${RET}`);
  const changeInStore = db.prepared<Changed>(`update inventory_stock ${SET} where sku_id = ? and store_id = ? and ${GUARD} ${RET}`);
  const changeIfOnHand = db.prepared<Changed>(`update inventory_stock ${SET} where sku_id = ? and store_id = ? and on_hand = ? and ${GUARD} ${RET}`);
  const stockBySku = db.prepared<StockRow>('select * from inventory_stock where sku_id = ?');
  const stockBySkus = preparedIn<StockRow>(db, 'select * from inventory_stock where sku_id in (?*)');
  // One statement for all of a change's movement rows (a checkout's lines), prepared per row count.
  const MOVEMENT_SQL = 'insert into inventory_movements (id, sku_id, store_id, delta_on_hand, delta_reserved, reason, ref, actor_id, note, on_hand_after, reserved_after, created_at) values ';
  const insertMovements = new Map<number, Prepared<unknown>>();
  const movementsStmt = (n: number) => {
    let st = insertMovements.get(n);
    if (!st) insertMovements.set(n, (st = db.prepared(MOVEMENT_SQL + Array(n).fill('(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', '))));
    return st;
  };
  const addToTotal = db.prepared<{ available: number }>('update inventory_product_totals set available = available + ?, updated_at = ? where product_id = ? returning available');
  const insertReservation = db.prepared(
    'insert into inventory_reservations (ref, status, lines, actor_id, created_at, updated_at) values (?, ?, ?, ?, ?, ?) on conflict (ref) do nothing',
  );
  const moveReservation = db.prepared('update inventory_reservations set status = ?, updated_at = ? where ref = ? and status = ?');
  const reservationByRef = db.prepared<ReservationRow>('select * from inventory_reservations where ref = ?');

  return {
    q,
    /** Applies deltas to one SKU's row if the guard holds; returns the new row or undefined. */
    change(ex: Executor, c: { sku_id: string; store_id?: string; d_on_hand: number; d_reserved: number; expect_on_hand?: number; now: number }): Promise<Changed | undefined> {
      const head = [c.d_on_hand, c.d_reserved, c.now, c.sku_id];
      const guard = [c.d_on_hand, c.d_reserved, c.d_reserved];
      if (c.expect_on_hand !== undefined) return changeIfOnHand.first(ex, [...head, c.store_id, c.expect_on_hand, ...guard]);
      if (c.store_id !== undefined) return changeInStore.first(ex, [...head, c.store_id, ...guard]);
      return changeAny.first(ex, [...head, ...guard]);
    },
    stock: (ex: Executor, skuId: string) => stockBySku.first(ex, [skuId]),
    stockOf: (ex: Executor, skuIds: readonly string[]) => stockBySkus(ex, skuIds),
    async insertMovements(ex: Executor, ms: readonly MovementRow[]): Promise<void> {
      for (let i = 0; i < ms.length; i += 50) {
        const chunk = ms.slice(i, i + 50);
        await movementsStmt(chunk.length).run(ex, chunk.flatMap((m) => [m.id, m.sku_id, m.store_id, m.delta_on_hand, m.delta_reserved, m.reason, m.ref, m.actor_id, m.note, m.on_hand_after, m.reserved_after, m.created_at]));
      }
    },
    /** Adds to a product's available total; returns the new total (undefined if the product has no row). */
    addToTotal: async (ex: Executor, productId: string, delta: number, now: number) => (await addToTotal.first(ex, [delta, now, productId]))?.available,
    ensureTotal: (ex: Executor, productId: string, storeId: string, now: number) =>
      q(ex).insertInto('inventory_product_totals').values({ product_id: productId, store_id: storeId, available: 0, updated_at: now }).onConflict((oc) => oc.column('product_id').doNothing()).execute(),
    /** Inserts a reservation unless its ref exists; true when this call created it. */
    insertReservation: async (ex: Executor, r: ReservationRow) => (await insertReservation.run(ex, [r.ref, r.status, r.lines, r.actor_id, r.created_at, r.updated_at])) === 1,
    moveReservation: async (ex: Executor, ref: string, from: ReservationStatus, to: ReservationStatus, now: number) => (await moveReservation.run(ex, [to, now, ref, from])) === 1,
    reservation: (ex: Executor, ref: string) => reservationByRef.first(ex, [ref]),
  };
}
export type InventoryRepo = ReturnType<typeof createInventoryRepo>;
