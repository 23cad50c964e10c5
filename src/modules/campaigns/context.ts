import type { Clock } from '../../lib/clock.ts';
import type { Db, Executor } from '../../db/index.ts';
import type { Outbox } from '../../db/outbox.ts';
import type { Scheduler } from '../../db/scheduler.ts';
import type { SaleSnapshot } from '../catalog/index.ts';
import type { PromotionsModule } from '../promotions/index.ts';
import type { CampaignsRepo } from './campaigns.repo.ts';

/** A store as the eligibility rules see it (the stores module). */
export interface StoreFacts {
  id: string;
  name: string;
  subject_type: string;
  score: number;
  may_sell: boolean;
}

/** What campaigns asks of other modules, as plain functions wired in app/wire.ts. */
export interface CampaignsPorts {
  promotions: Pick<PromotionsModule, 'createPlatformThreshold' | 'updateThreshold' | 'createPlatformCoupon' | 'grantCoupon'>;
  stores(ids: readonly string[]): Promise<Map<string, StoreFacts>>;
  /** catalog: price, category and on-sale state of SKUs. */
  saleSnapshots(skuIds: readonly string[]): Promise<Map<string, SaleSnapshot>>;
  /** catalog: a category's parent (rules may name a parent category). */
  parentCategory(categoryId: string): Promise<string | null>;
  /** catalog's price history: the lowest price since a time (null: no history). */
  lowestPriceSince(skuId: string, sinceMs: number): Promise<number | null>;
  /** inventory: units available now per SKU. */
  available(skuIds: readonly string[]): Promise<Map<string, number>>;
}

export interface Ctx extends CampaignsPorts {
  db: Db;
  clock: Clock;
  outbox: Outbox;
  scheduler: Scheduler;
  repo: CampaignsRepo;
  /** Called after a commit that changes what the main venue shows. */
  invalidate(): void;
}

export type { Executor };
