import type { Clock } from '../../lib/clock.ts';
import type { Db } from '../../db/index.ts';
import type { Outbox } from '../../db/outbox.ts';
import type { IdentityModule } from '../identity/index.ts';
import { createStoresRepo } from './stores.repo.ts';
import { createStoresService } from './stores.service.ts';

export type { Store, CreateStoreInput } from './stores.service.ts';
export type { SubjectType, StoreStatus } from './stores.repo.ts';

/** Merchant stores: subject type, status, profile (onboarding, brands and naming rules grow here). */
export function createStoresModule(deps: { db: Db; clock: Clock; outbox: Outbox; identity: IdentityModule }) {
  const repo = createStoresRepo(deps.db);
  return createStoresService({ ...deps, repo });
}
export type StoresModule = ReturnType<typeof createStoresModule>;
