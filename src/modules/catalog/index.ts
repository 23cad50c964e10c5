import type { Clock } from '../../lib/clock.ts';
import type { Db } from '../../db/index.ts';
import type { Outbox } from '../../db/outbox.ts';
import type { StoresModule } from '../stores/index.ts';
import { createCatalogRepo } from './catalog.repo.ts';
import { createCatalogService } from './catalog.service.ts';

export type { Category, Product, Sku, ProductInput, SkuInput } from './catalog.service.ts';
export type { ProductStatus } from './catalog.repo.ts';

/** Categories with their rules, products (SPU) and SKUs. */
export function createCatalogModule(deps: { db: Db; clock: Clock; outbox: Outbox; stores: StoresModule }) {
  const repo = createCatalogRepo(deps.db);
  return createCatalogService({ db: deps.db, repo, clock: deps.clock, outbox: deps.outbox });
}
export type CatalogModule = ReturnType<typeof createCatalogModule>;
