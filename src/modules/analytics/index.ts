import type { Clock } from '../../lib/clock.ts';
import type { Db } from '../../db/index.ts';
import { createAnalyticsRepo } from './analytics.repo.ts';
import { lastDays } from './days.ts';
import { createIngest } from './ingest.ts';
import { createReports } from './reports.ts';

export type { TrackInput, TrackKind, Channel as AnalyticsChannel, PaidOrderFacts } from './ingest.ts';
export type { Scope, Dimension, DayRange, Metrics, ReportRow, Summary } from './reports.ts';
export { TRACK_KINDS, CHANNELS as ANALYTICS_CHANNELS } from './ingest.ts';
export { shanghaiDay } from './days.ts';

/**
 * Analytics: read models fed by domain events (paid orders, refunds, order status — see
 * src/subscribers/analytics-orders.ts) and by `track(...)` calls from content and live rooms;
 * reports of GMV, orders, buyers, units, views and conversion for a store or a creator, by day
 * (Asia/Shanghai), channel, content, creator and product. README.md lists the definitions.
 */
export function createAnalyticsModule(deps: { db: Db; clock: Clock }) {
  const repo = createAnalyticsRepo(deps.db);
  return {
    ...createIngest({ clock: deps.clock, repo }),
    ...createReports({ repo }),
    /** The default window of reports: the last 30 days up to today (Shanghai). */
    defaultRange: () => lastDays(deps.clock.now(), 30),
  };
}
export type AnalyticsModule = ReturnType<typeof createAnalyticsModule>;
