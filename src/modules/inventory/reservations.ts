import { sql, type Transaction } from 'kysely';
import type { Clock } from '../../lib/clock.ts';
import { fail, ok, type Fail, type Ok } from '../../lib/result.ts';
import type { Executor } from '../../db/index.ts';
import type { InventoryRepo, ReservationRow, ReservationStatus } from './inventory.repo.ts';
import type { ApplyDeltas, DeltaFailure } from './stock-changes.ts';

export interface ReservationLine {
  sku_id: string;
  quantity: number;
}

export interface Reservation {
  ref: string;
  status: ReservationStatus;
  lines: ReservationLine[];
  /** true when this call found the ref already in the state asked for (a retry). */
  replayed: boolean;
}

export type ReservationFail = Fail<'insufficient_stock' | 'sku_not_found' | 'reservation_not_found' | 'reservation_ref_reused' | 'reservation_released' | 'reservation_sold'> & { message_zh: string };

export type ReservationResult = Ok<Reservation> | ReservationFail;

const failWith = (code: ReservationFail['code'], message: string, message_zh: string, details?: unknown): ReservationFail => ({ ...fail(code, message, details), message_zh });

/** Same SKU twice → one line; sorted by SKU so lock order is the same for everyone. */
export function normalizeLines(lines: readonly ReservationLine[]): ReservationLine[] {
  const by = new Map<string, number>();
  for (const l of lines) {
    if (!Number.isSafeInteger(l.quantity) || l.quantity <= 0) throw new Error(`reservation quantity must be a positive integer, got ${l.quantity} for ${l.sku_id}`);
    by.set(l.sku_id, (by.get(l.sku_id) ?? 0) + l.quantity);
  }
  return [...by.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([sku_id, quantity]) => ({ sku_id, quantity }));
}

const toReservation = (r: ReservationRow, replayed: boolean): Reservation => ({ ref: r.ref, status: r.status, lines: JSON.parse(r.lines), replayed });

function assertTransaction(tx: Executor): void {
  // Reservations are always part of a bigger write (placing, cancelling, paying an order).
  if (!(tx as Transaction<any>).isTransaction) throw new Error('reservations must run inside a transaction');
}

function shortage(failures: readonly DeltaFailure[]): ReservationFail {
  const f = failures.find((x) => x.code === 'sku_not_found') ?? failures[0];
  if (f.code === 'sku_not_found') return failWith('sku_not_found', `SKU ${f.sku_id} has no stock record`, `规格 ${f.sku_id} 不存在`, { sku_id: f.sku_id });
  return failWith('insufficient_stock', `only ${f.available} of ${f.sku_id} available`, `库存不足：仅剩 ${f.available} 件`, { sku_id: f.sku_id, available: f.available, requested: f.requested, failures });
}

/**
 * Reservations hold stock for unpaid orders: reserve → (release | commitSale). The caller's
 * ref (order id) is the idempotency key: repeating a call with the same ref changes nothing.
 * A reservation is all-or-nothing across its lines — on a shortage nothing is held (the
 * partial work is rolled back to a savepoint, so the caller's transaction stays usable).
 */
export function createReservations(deps: { repo: InventoryRepo; clock: Clock; applyDeltas: ApplyDeltas }) {
  const { repo, clock, applyDeltas } = deps;

  async function transition(tx: Executor, ref: string, to: 'released' | 'sold', actorId: string | null): Promise<ReservationResult> {
    assertTransaction(tx);
    const now = clock.now();
    if (!(await repo.moveReservation(tx, ref, 'reserved', to, now))) {
      const row = await repo.reservation(tx, ref);
      if (!row) return failWith('reservation_not_found', `no reservation ${ref}`, `未找到库存预占 ${ref}`, { ref });
      if (row.status === to) return ok(toReservation(row, true));
      return row.status === 'released'
        ? failWith('reservation_released', `reservation ${ref} was released`, '库存预占已释放', { ref })
        : failWith('reservation_sold', `reservation ${ref} was already sold`, '库存预占已成交', { ref });
    }
    const row = (await repo.reservation(tx, ref))!;
    const lines: ReservationLine[] = JSON.parse(row.lines);
    const deltas = lines.map((l) => ({ sku_id: l.sku_id, d_on_hand: to === 'sold' ? -l.quantity : 0, d_reserved: -l.quantity }));
    const out = await applyDeltas(tx, deltas, { reason: to === 'sold' ? 'sale' : 'release', ref, actor_id: actorId });
    // Held units are always there to release or sell; anything else is a broken invariant.
    if (!out.ok) throw new Error(`reservation ${ref}: ${to} refused: ${JSON.stringify(out.failures)}`);
    return ok({ ...toReservation(row, false), status: to });
  }

  return {
    async reserve(tx: Executor, lines: readonly ReservationLine[], ref: string, actorId: string | null = null): Promise<ReservationResult> {
      assertTransaction(tx);
      const norm = normalizeLines(lines);
      if (norm.length === 0) throw new Error('a reservation needs at least one line');
      const now = clock.now();
      await sql`savepoint inventory_reserve`.execute(tx);
      const created = await repo.insertReservation(tx, { ref, status: 'reserved', lines: JSON.stringify(norm), actor_id: actorId, created_at: now, updated_at: now });
      if (!created) {
        await sql`release savepoint inventory_reserve`.execute(tx);
        const row = (await repo.reservation(tx, ref))!;
        if (row.lines !== JSON.stringify(norm)) return failWith('reservation_ref_reused', `ref ${ref} was used for different lines`, '该预占编号已用于其他商品', { ref });
        return ok(toReservation(row, true));
      }
      const out = await applyDeltas(tx, norm.map((l) => ({ sku_id: l.sku_id, d_on_hand: 0, d_reserved: l.quantity })), { reason: 'reserve', ref, actor_id: actorId });
      if (!out.ok) {
        await sql`rollback to savepoint inventory_reserve`.execute(tx);
        await sql`release savepoint inventory_reserve`.execute(tx);
        return shortage(out.failures);
      }
      await sql`release savepoint inventory_reserve`.execute(tx);
      return ok({ ref, status: 'reserved', lines: norm, replayed: false });
    },

    /** Gives held stock back (order cancelled or timed out). Idempotent. */
    release: (tx: Executor, ref: string, actorId: string | null = null) => transition(tx, ref, 'released', actorId),

    /** The order was paid: held units leave on-hand for good. Idempotent. */
    commitSale: (tx: Executor, ref: string, actorId: string | null = null) => transition(tx, ref, 'sold', actorId),

    async reservation(ex: Executor, ref: string): Promise<Reservation | undefined> {
      const row = await repo.reservation(ex, ref);
      return row && toReservation(row, false);
    },
  };
}
