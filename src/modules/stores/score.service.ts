import { DAY_MS, HOUR_MS } from '../../lib/clock.ts';
import type { Executor } from '../../db/index.ts';
import { computeStoreScore, type ScoreInputs, type StoreScore } from './rules/store-score.ts';
import type { StoresDeps } from './stores.context.ts';

export const SCORE_JOB = 'stores.recompute_scores';
/** Scores are recomputed at 00:00 Beijing time (UTC+8), when the day's figures are closed. */
const BEIJING_OFFSET_MS = 8 * HOUR_MS;
export const nextBeijingMidnight = (nowMs: number) => Math.floor((nowMs + BEIJING_OFFSET_MS) / DAY_MS) * DAY_MS + DAY_MS - BEIJING_OFFSET_MS;

const ZERO: ScoreInputs = {
  orders: 0, orders_shipped_within_48h: 0, rating_count: 0, rating_sum: 0, after_sales_requests: 0, after_sales_answered_within_48h: 0, merchant_fault_refunds: 0, arbitrations_lost: 0,
};

/**
 * The daily store score (店铺体验分, formula in rules/store-score.ts). Its inputs — the last
 * 30 days' orders, ratings, shipping and after-sales figures — are one row per store in
 * stores_score_inputs. Today tests and the demo seed write it with `setScoreInputs`; the trade,
 * fulfilment and after-sales modules will feed it (through this function) when they exist.
 */
export function createScoreService(deps: StoresDeps) {
  const { db, repo, clock, scheduler } = deps;

  return {
    async setScoreInputs(storeId: string, inputs: ScoreInputs, ex: Executor = db.kysely): Promise<void> {
      computeStoreScore(inputs); // throws on inconsistent figures, before they are stored
      const row = { store_id: storeId, ...inputs, updated_at: clock.now() };
      await repo.q(ex).insertInto('stores_score_inputs').values(row).onConflict((oc) => oc.column('store_id').doUpdateSet({ ...inputs, updated_at: row.updated_at })).execute();
    },

    /** Recomputes every non-closed store's score from its inputs (none yet: provisional). */
    async recomputeAll(tx: Executor): Promise<number> {
      const now = clock.now();
      const stores = await repo.q(tx).selectFrom('stores_stores').select(['id']).where('status', '<>', 'closed').execute();
      const inputs = new Map((await repo.q(tx).selectFrom('stores_score_inputs').selectAll().execute()).map((r) => [r.store_id, r]));
      for (const { id } of stores) {
        const i = inputs.get(id);
        const score: StoreScore = computeStoreScore(i ? {
          orders: i.orders, orders_shipped_within_48h: i.orders_shipped_within_48h, rating_count: i.rating_count, rating_sum: i.rating_sum,
          after_sales_requests: i.after_sales_requests, after_sales_answered_within_48h: i.after_sales_answered_within_48h,
          merchant_fault_refunds: i.merchant_fault_refunds, arbitrations_lost: i.arbitrations_lost,
        } : ZERO);
        await repo.q(tx).updateTable('stores_stores').set({ score_tenths: score.score_tenths, score_provisional: score.provisional ? 1 : 0, score_computed_at: now }).where('id', '=', id).execute();
      }
      return stores.length;
    },

    /** Schedules the next daily run (one per day: the dedupe key is the day). */
    async scheduleNext(ex: Executor): Promise<void> {
      const at = nextBeijingMidnight(clock.now());
      await scheduler.schedule(ex, { kind: SCORE_JOB, run_at: at, dedupe_key: `stores:scores:${at}` });
    },
  };
}
export type ScoreService = ReturnType<typeof createScoreService>;
