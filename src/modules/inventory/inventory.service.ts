import type { Clock } from '../../lib/clock.ts';
import { AppError, notFound, rule } from '../../lib/errors.ts';
import { clampLimit, decodeCursor, toPage, type Page } from '../../lib/page.ts';
import type { Db, Executor } from '../../db/index.ts';
import type { InventoryRepo, MovementReason, MovementRow } from './inventory.repo.ts';
import type { ApplyDeltas, DeltaFailure, StockLevel } from './stock-changes.ts';

export type Movement = MovementRow;

export interface BulkAdjustItem {
  sku_id: string;
  /** Add (or remove, when negative) this many. */
  delta?: number;
  /** Or set the on-hand count to this. Exactly one of delta / on_hand. */
  on_hand?: number;
  note?: string | null;
}

const CAS_ATTEMPTS = 5;

/** A failed stock change as the merchant sees it: which SKU, why, in both languages. */
export function shortageError(failures: readonly DeltaFailure[]): AppError {
  const f = failures[0];
  if (failures.every((x) => x.code === 'sku_not_found')) return notFound('sku', f.sku_id);
  return rule('insufficient_stock', `not enough stock for ${f.sku_id}: ${f.available ?? 0} available`, { failures }).zh(`库存不足：规格 ${f.sku_id} 可用库存 ${f.available ?? 0}`);
}

/**
 * Merchant-facing stock: initial stock, adjustments (one or in bulk), setting counts from a
 * stock-take, the movement log. Every change goes through `applyDeltas` (conditional UPDATEs).
 */
export function createInventoryService(deps: { db: Db; repo: InventoryRepo; clock: Clock; applyDeltas: ApplyDeltas }) {
  const { db, repo, clock, applyDeltas } = deps;

  async function setOnHandOnce(tx: Executor, storeId: string, skuId: string, onHand: number, actorId: string, note: string | null, reason: MovementReason) {
    for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
      const row = await repo.stock(tx, skuId);
      if (!row || row.store_id !== storeId) throw notFound('sku', skuId);
      if (row.on_hand === onHand) return { sku_id: skuId, on_hand: row.on_hand, reserved: row.reserved, available: row.on_hand - row.reserved, changed: false };
      const out = await applyDeltas(tx, [{ sku_id: skuId, store_id: storeId, d_on_hand: onHand - row.on_hand, d_reserved: 0, expect_on_hand: row.on_hand, note }], { reason, actor_id: actorId });
      if (out.ok) return { ...out.levels[0], changed: true };
      const f = out.failures[0];
      if (f.code !== 'stock_changed') {
        throw rule('below_reserved', `cannot set stock to ${onHand}: ${f.reserved} are reserved by unpaid orders`, { sku_id: skuId, reserved: f.reserved })
          .zh(`不能把库存设为 ${onHand}：已有 ${f.reserved} 件被未付款订单占用`);
      }
      // Someone changed the row between our read and our write (PostgreSQL): read again.
    }
    throw new AppError('conflict', 'stock_busy', 'stock of this SKU is changing too often to set; retry', { sku_id: skuId });
  }

  return {
    /** The stock row of a new SKU (in the caller's transaction, with its product). */
    async initStock(tx: Executor, input: { store_id: string; product_id: string; sku_id: string; quantity: number }, actorId: string | null): Promise<StockLevel> {
      if (!Number.isSafeInteger(input.quantity) || input.quantity < 0) throw rule('invalid_quantity', 'stock must be a non-negative integer');
      const now = clock.now();
      await repo.q(tx).insertInto('inventory_stock').values({ sku_id: input.sku_id, store_id: input.store_id, product_id: input.product_id, on_hand: 0, reserved: 0, updated_at: now }).execute();
      await repo.ensureTotal(tx, input.product_id, input.store_id, now);
      const out = await applyDeltas(tx, [{ sku_id: input.sku_id, d_on_hand: input.quantity, d_reserved: 0 }], { reason: 'initial', actor_id: actorId });
      if (!out.ok) throw new Error(`initial stock of ${input.sku_id} refused: ${JSON.stringify(out.failures)}`);
      return out.levels[0];
    },

    /**
     * Sold units back on the shelf, in the caller's transaction: a line refunded before it
     * shipped, or a returned parcel the merchant put back into stock. `ref` is the order.
     */
    async restock(tx: Executor, skuId: string, quantity: number, ref: string, actorId: string | null): Promise<StockLevel> {
      if (!Number.isSafeInteger(quantity) || quantity <= 0) throw new Error(`restock quantity must be a positive integer, got ${quantity}`);
      const out = await applyDeltas(tx, [{ sku_id: skuId, d_on_hand: quantity, d_reserved: 0 }], { reason: 'restock', ref, actor_id: actorId });
      if (!out.ok) throw new Error(`restock of ${skuId} refused: ${JSON.stringify(out.failures)}`);
      return out.levels[0];
    },

    /** Adds (or with a negative delta removes) stock; refuses to go below what is reserved. */
    async adjust(storeId: string, skuId: string, delta: number, actorId: string, note: string | null = null, outer?: Executor): Promise<StockLevel> {
      if (!Number.isSafeInteger(delta) || delta === 0) throw rule('invalid_quantity', 'delta must be a non-zero integer');
      return db.transaction(async (tx) => {
        const out = await applyDeltas(tx, [{ sku_id: skuId, store_id: storeId, d_on_hand: delta, d_reserved: 0, note }], { reason: 'adjust', actor_id: actorId });
        if (!out.ok) throw shortageError(out.failures);
        return out.levels[0];
      }, outer);
    },

    /**
     * Several SKUs at once, all or nothing: one transaction, so a stock-take either lands
     * whole or not at all. On failure every failing line is reported (not just the first).
     */
    async adjustMany(storeId: string, items: readonly BulkAdjustItem[], actorId: string): Promise<StockLevel[]> {
      const seen = new Set<string>();
      for (const [i, it] of items.entries()) {
        if ((it.delta === undefined) === (it.on_hand === undefined)) throw rule('invalid_adjustment', `line ${i + 1}: give exactly one of delta or on_hand`, { line: i + 1, sku_id: it.sku_id });
        const n = it.delta ?? it.on_hand!;
        if (!Number.isSafeInteger(n) || (it.on_hand !== undefined && n < 0) || (it.delta !== undefined && n === 0)) {
          throw rule('invalid_quantity', `line ${i + 1}: delta must be a non-zero integer, on_hand a non-negative one`, { line: i + 1, sku_id: it.sku_id });
        }
        if (seen.has(it.sku_id)) throw rule('duplicate_sku', `line ${i + 1}: ${it.sku_id} appears twice`, { line: i + 1, sku_id: it.sku_id }).zh(`第 ${i + 1} 行：规格重复`);
        seen.add(it.sku_id);
      }
      return db.transaction(async (tx) => {
        const current = new Map((await repo.q(tx).selectFrom('inventory_stock').selectAll().where('sku_id', 'in', items.map((i) => i.sku_id)).where('store_id', '=', storeId).execute()).map((r) => [r.sku_id, r]));
        const missing = items.filter((i) => !current.has(i.sku_id)).map((i) => ({ sku_id: i.sku_id, code: 'sku_not_found' as const }));
        if (missing.length) throw rule('bulk_adjust_failed', `${missing.length} line(s) name SKUs not in this store`, { failures: missing });
        const deltas = items.map((it) => {
          const row = current.get(it.sku_id)!;
          return it.delta !== undefined
            ? { sku_id: it.sku_id, store_id: storeId, d_on_hand: it.delta, d_reserved: 0, note: it.note ?? null }
            : { sku_id: it.sku_id, store_id: storeId, d_on_hand: it.on_hand! - row.on_hand, d_reserved: 0, expect_on_hand: row.on_hand, note: it.note ?? null };
        });
        const out = await applyDeltas(tx, deltas.filter((d) => d.d_on_hand !== 0), { reason: 'adjust', actor_id: actorId });
        if (!out.ok) {
          throw rule('bulk_adjust_failed', `${out.failures.length} line(s) failed; nothing was changed`, { failures: out.failures })
            .zh(`${out.failures.length} 行调整失败，全部未生效`);
        }
        const changed = new Map(out.levels.map((l) => [l.sku_id, l]));
        return items.map((it) => {
          const row = current.get(it.sku_id)!;
          return changed.get(it.sku_id) ?? { sku_id: it.sku_id, on_hand: row.on_hand, reserved: row.reserved, available: row.on_hand - row.reserved };
        });
      });
    },

    /** Sets a SKU's on-hand count (a stock-take / CSV row): idempotent, so a file can be re-uploaded. */
    async setOnHand(storeId: string, skuId: string, onHand: number, actorId: string, note: string | null = null, reason: MovementReason = 'import') {
      if (!Number.isSafeInteger(onHand) || onHand < 0) throw rule('invalid_quantity', 'stock must be a non-negative integer').zh('库存必须是非负整数');
      return db.transaction((tx) => setOnHandOnce(tx, storeId, skuId, onHand, actorId, note, reason));
    },

    async levels(skuIds: readonly string[]): Promise<Map<string, StockLevel>> {
      if (skuIds.length === 0) return new Map();
      const rows = await repo.stockOf(db.kysely, skuIds);
      return new Map(rows.map((r) => [r.sku_id, { sku_id: r.sku_id, on_hand: r.on_hand, reserved: r.reserved, available: r.on_hand - r.reserved }]));
    },

    /** The movement log, newest first (who changed what, why, and the balance after). */
    async listMovements(storeId: string, opts: { limit?: number; cursor?: string; sku_id?: string; reason?: MovementReason }): Promise<Page<Movement>> {
      const limit = clampLimit(opts.limit);
      const after = decodeCursor(opts.cursor);
      let query = repo.q().selectFrom('inventory_movements').selectAll().where('store_id', '=', storeId).orderBy('id', 'desc').limit(limit + 1);
      if (opts.sku_id) query = query.where('sku_id', '=', opts.sku_id);
      if (opts.reason) query = query.where('reason', '=', opts.reason);
      if (after !== undefined) query = query.where('id', '<', String(after));
      return toPage(await query.execute(), limit, (m) => m.id);
    },
  };
}
