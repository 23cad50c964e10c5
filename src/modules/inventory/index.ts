import type { Clock } from '../../lib/clock.ts';
import type { Db } from '../../db/index.ts';
import type { Outbox } from '../../db/outbox.ts';
import { createInventoryRepo } from './inventory.repo.ts';
import { createInventoryService } from './inventory.service.ts';
import { createReservations } from './reservations.ts';
import { createStockChanges } from './stock-changes.ts';

export type { StockLevel, DeltaFailure } from './stock-changes.ts';
export type { Movement, BulkAdjustItem } from './inventory.service.ts';
export type { Reservation, ReservationLine, ReservationFail, ReservationResult } from './reservations.ts';
export type { MovementReason, ReservationStatus } from './inventory.repo.ts';
export { INVENTORY_EVENTS, type StockChangedPayload, type ProductStockPayload } from './inventory.events.ts';

/**
 * Per-SKU stock, reservations and the movement log.
 *
 * Rules: every change is one conditional UPDATE (`… where on_hand + Δ >= reserved + Δr`), never
 * read-modify-write; every change writes a movement row (who, why, balance after) and a
 * `stock.changed` event in the same transaction; reservations (`reserve` / `release` /
 * `commitSale`) are idempotent by the caller's ref and all-or-nothing across lines.
 * Events: see inventory.events.ts.
 */
export function createInventoryModule(deps: { db: Db; clock: Clock; outbox: Outbox }) {
  const repo = createInventoryRepo(deps.db);
  const applyDeltas = createStockChanges({ repo, clock: deps.clock, outbox: deps.outbox });
  return {
    ...createInventoryService({ db: deps.db, repo, clock: deps.clock, applyDeltas }),
    ...createReservations({ repo, clock: deps.clock, applyDeltas }),
  };
}
export type InventoryModule = ReturnType<typeof createInventoryModule>;
