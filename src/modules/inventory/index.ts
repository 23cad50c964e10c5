import type { Clock } from '../../lib/clock.ts';
import type { Db } from '../../db/index.ts';
import type { Outbox } from '../../db/outbox.ts';
import { createInventoryService } from './inventory.service.ts';

export type { StockLevel } from './inventory.service.ts';

/** Per-SKU stock, reservations and the movement log. */
export function createInventoryModule(deps: { db: Db; clock: Clock; outbox: Outbox }) {
  return createInventoryService(deps);
}
export type InventoryModule = ReturnType<typeof createInventoryModule>;
