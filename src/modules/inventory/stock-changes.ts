import type { Clock } from '../../lib/clock.ts';
import { newId } from '../../lib/ids.ts';
import type { Executor } from '../../db/index.ts';
import type { Outbox } from '../../db/outbox.ts';
import type { ProductStockPayload, StockChangedPayload } from './inventory.events.ts';
import type { InventoryRepo, MovementReason } from './inventory.repo.ts';

export interface StockDelta {
  sku_id: string;
  /** When given, a SKU of another store is "not found". */
  store_id?: string;
  d_on_hand: number;
  d_reserved: number;
  /** Compare-and-set: apply only while on_hand still equals this (setting an absolute count). */
  expect_on_hand?: number;
  note?: string | null;
}

export interface StockLevel {
  sku_id: string;
  on_hand: number;
  reserved: number;
  available: number;
}

export interface DeltaFailure {
  sku_id: string;
  code: 'sku_not_found' | 'insufficient_stock' | 'stock_changed';
  on_hand?: number;
  reserved?: number;
  available?: number;
  requested?: number;
}

export type DeltaOutcome = { ok: true; levels: StockLevel[] } | { ok: false; failures: DeltaFailure[] };

/**
 * Applies stock deltas inside the caller's transaction. Each SKU row changes by one
 * conditional UPDATE; SKUs are visited in id order and product totals after them in product
 * order, so two transactions never wait on each other in a cycle (PostgreSQL).
 *
 * On `{ ok: false }` some rows may already have changed: the caller must roll back (throw out
 * of its transaction, or roll back to a savepoint). Nothing is logged or emitted then.
 */
/** Stock moved by orders: recorded as movements, announced by order events, not one stock event each. */
const ORDER_FLOW: ReadonlySet<MovementReason> = new Set(['reserve', 'release', 'sale']);

export function createStockChanges(deps: { repo: InventoryRepo; clock: Clock; outbox: Outbox }) {
  const { repo, clock, outbox } = deps;

  async function explain(tx: Executor, d: StockDelta): Promise<DeltaFailure> {
    const row = await repo.stock(tx, d.sku_id);
    if (!row || (d.store_id !== undefined && row.store_id !== d.store_id)) return { sku_id: d.sku_id, code: 'sku_not_found' };
    const base = { sku_id: d.sku_id, on_hand: row.on_hand, reserved: row.reserved, available: row.on_hand - row.reserved };
    if (d.expect_on_hand !== undefined && row.on_hand !== d.expect_on_hand) return { ...base, code: 'stock_changed' };
    return { ...base, code: 'insufficient_stock', requested: Math.max(-d.d_on_hand, d.d_reserved) };
  }

  return async function applyDeltas(tx: Executor, deltas: readonly StockDelta[], meta: { reason: MovementReason; ref?: string | null; actor_id?: string | null }): Promise<DeltaOutcome> {
    const now = clock.now();
    const sorted = [...deltas].sort((a, b) => (a.sku_id < b.sku_id ? -1 : a.sku_id > b.sku_id ? 1 : 0));
    const applied: { d: StockDelta; row: { on_hand: number; reserved: number; product_id: string | null; store_id: string } }[] = [];
    const failures: DeltaFailure[] = [];
    for (const d of sorted) {
      const row = await repo.change(tx, { ...d, now });
      if (row) applied.push({ d, row });
      else failures.push(await explain(tx, d));
    }
    if (failures.length) return { ok: false, failures };

    const byProduct = new Map<string, { store_id: string; delta: number }>();
    await repo.insertMovements(tx, applied.map(({ d, row }) => ({
      id: newId('mov'), sku_id: d.sku_id, store_id: row.store_id, delta_on_hand: d.d_on_hand, delta_reserved: d.d_reserved, reason: meta.reason,
      ref: meta.ref ?? null, actor_id: meta.actor_id ?? null, note: d.note ?? null, on_hand_after: row.on_hand, reserved_after: row.reserved, created_at: now,
    })));
    const orderFlow = ORDER_FLOW.has(meta.reason);
    for (const { d, row } of applied) {
      const available = row.on_hand - row.reserved;
      const before = available - (d.d_on_hand - d.d_reserved);
      if (!orderFlow || available > 0 !== before > 0) {
        const payload: StockChangedPayload = {
          sku_id: d.sku_id, product_id: row.product_id, store_id: row.store_id, on_hand: row.on_hand, reserved: row.reserved, available,
          delta_on_hand: d.d_on_hand, delta_reserved: d.d_reserved, reason: meta.reason, ref: meta.ref ?? null,
        };
        await outbox.emit(tx, 'stock.changed', d.sku_id, { ...payload });
      }
      if (row.product_id) {
        const p = byProduct.get(row.product_id) ?? { store_id: row.store_id, delta: 0 };
        p.delta += d.d_on_hand - d.d_reserved;
        byProduct.set(row.product_id, p);
      }
    }
    for (const productId of [...byProduct.keys()].sort()) {
      const { store_id, delta } = byProduct.get(productId)!;
      if (delta === 0) continue;
      const after = await repo.addToTotal(tx, productId, delta, now);
      if (after === undefined) continue; // a product stocked before totals existed and never backfilled
      const before = after - delta;
      const payload: ProductStockPayload = { product_id: productId, store_id, available: after };
      if (before > 0 && after === 0) await outbox.emit(tx, 'product.out_of_stock', productId, { ...payload });
      if (before === 0 && after > 0) await outbox.emit(tx, 'product.back_in_stock', productId, { ...payload });
    }
    return { ok: true, levels: applied.map(({ d, row }) => ({ sku_id: d.sku_id, on_hand: row.on_hand, reserved: row.reserved, available: row.on_hand - row.reserved })) };
  };
}
export type ApplyDeltas = ReturnType<typeof createStockChanges>;
