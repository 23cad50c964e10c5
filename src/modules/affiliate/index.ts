import type { Clock } from '../../lib/clock.ts';
import type { Db } from '../../db/index.ts';
import { createAffiliateRepo } from './affiliate.repo.ts';
import { createCommissions, type CommissionPorts } from './commissions.service.ts';
import { createPool, type PoolPorts } from './pool.service.ts';

export type { AffiliateProduct, Offer, OfferInput, OfferPatch, OfferStatus, PoolItem, PoolFilter, Selection } from './pool.service.ts';
export type { PaidLine, LineFundsFacts, CommissionLedgerLine, CreatorOrderLine, Earnings, StoreCreatorRow } from './commissions.service.ts';
export type { CommissionStatus, IneligibleReason } from './affiliate.repo.ts';
export { MIN_RATE_BP, MAX_RATE_BP, maskOrderId } from './rules.ts';

/**
 * Creators and the affiliate pool (优选联盟): merchants offer products with a commission rate
 * (and exclusive rates for named creators), creators select them, and every creator-attributed
 * order line gets its rate snapshotted when paid. Rules: README.md.
 *
 * For other modules: `creatorMaySell(creatorId, productId, at?)` and `rateFor(creatorId,
 * productId, at?)` (null when the creator may not sell it). For settlement: `lineRate(tx, lineId)`.
 */
export function createAffiliateModule(deps: { db: Db; clock: Clock; ports: PoolPorts & CommissionPorts }) {
  const repo = createAffiliateRepo(deps.db);
  return {
    ...createPool({ db: deps.db, clock: deps.clock, repo, ports: deps.ports }),
    ...createCommissions({ clock: deps.clock, repo, ports: deps.ports }),
  };
}
export type AffiliateModule = ReturnType<typeof createAffiliateModule>;
