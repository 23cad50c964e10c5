import { tables, type Db, type Executor } from '../../db/index.ts';

export interface LineFactRow {
  line_id: string; order_id: string; store_id: string; buyer_id: string; product_id: string; channel: string; content_id: string | null; creator_id: string | null;
  campaign_id: string | null; quantity: number; paid_minor: number; refunded_minor: number; paid_at: number; day: string; order_status: string; updated_at: number;
}
export interface TrackedEventRow {
  id: string; dedupe_key: string; kind: string; store_id: string | null; creator_id: string | null; channel: string; content_id: string | null; product_id: string | null;
  viewer_key: string; at: number; day: string;
}
export interface AnalyticsTables {
  analytics_lines: LineFactRow;
  analytics_events: TrackedEventRow;
}

/** The only code that touches analytics_* tables. */
export function createAnalyticsRepo(db: Db) {
  const q = (ex: Executor = db.kysely) => tables<AnalyticsTables>(ex);
  return { q };
}
export type AnalyticsRepo = ReturnType<typeof createAnalyticsRepo>;
