import { invalid } from '../../lib/errors.ts';
import type { AnalyticsRepo } from './analytics.repo.ts';
import { daysBetween, isDay } from './days.ts';

export type Scope = { store_id: string } | { creator_id: string };
export type Dimension = 'day' | 'channel' | 'content' | 'creator' | 'product';
export interface DayRange { from: string; to: string }

export interface Metrics {
  /** what buyers paid for the lines (freight share included), by the day the order was paid */
  gmv_minor: number;
  /** refunded on those lines so far (counted against the day of the original payment) */
  refunded_minor: number;
  net_minor: number;
  orders: number;
  buyers: number;
  units: number;
  /** distinct viewers / view events tracked (analytics.track kind 'view') */
  visitors: number;
  views: number;
  /** buyers ÷ visitors in basis points; null when nothing was viewed */
  conversion_bp: number | null;
}
export interface ReportRow extends Metrics { key: string | null }
export interface Summary extends Metrics { avg_order_minor: number; from: string; to: string }

const MAX_DAYS = 366;
const KEY: Record<Exclude<Dimension, 'day'>, 'channel' | 'content_id' | 'creator_id' | 'product_id'> = { channel: 'channel', content: 'content_id', creator: 'creator_id', product: 'product_id' };
const n = (v: unknown) => Number(v ?? 0);
const ratioBp = (num: number, den: number) => (den === 0 ? null : Math.floor((num * 10000 * 2 + den) / (2 * den)));

export function checkRange(r: DayRange): DayRange {
  if (!isDay(r.from) || !isDay(r.to)) throw invalid('invalid_day', 'from and to are calendar days (YYYY-MM-DD, Asia/Shanghai)');
  const days = daysBetween(r.from, r.to).length;
  if (days === 0) throw invalid('invalid_range', 'from must not be after to');
  if (days > MAX_DAYS) throw invalid('range_too_long', `at most ${MAX_DAYS} days per report`);
  return r;
}

/**
 * Reports over the read models, for one store or one creator (never across tenants: every
 * query is filtered by the scope's id first). Sums are exact integers (fen).
 */
export function createReports(deps: { repo: AnalyticsRepo }) {
  const { repo } = deps;

  function scoped<Q extends { where: (...a: any[]) => Q }>(q: Q, scope: Scope, range: DayRange): Q {
    const s = 'store_id' in scope ? q.where('store_id', '=', scope.store_id) : q.where('creator_id', '=', scope.creator_id);
    return s.where('day', '>=', range.from).where('day', '<=', range.to);
  }

  async function grouped(scope: Scope, dim: Dimension, range: DayRange): Promise<ReportRow[]> {
    const col = dim === 'day' ? 'day' : KEY[dim];
    const sales = await scoped(repo.q().selectFrom('analytics_lines'), scope, range)
      .select((eb) => [
        eb.ref(col).as('k'), eb.fn.sum<number>('paid_minor').as('gmv'), eb.fn.sum<number>('refunded_minor').as('refunded'), eb.fn.sum<number>('quantity').as('units'),
        eb.fn.count<number>('order_id').distinct().as('orders'), eb.fn.count<number>('buyer_id').distinct().as('buyers'),
      ]).groupBy(col).execute();
    const views = await scoped(repo.q().selectFrom('analytics_events'), scope, range).where('kind', '=', 'view')
      .select((eb) => [eb.ref(col).as('k'), eb.fn.countAll<number>().as('views'), eb.fn.count<number>('viewer_key').distinct().as('visitors')]).groupBy(col).execute();
    const rows = new Map<string | null, ReportRow>();
    const row = (k: string | null) => rows.get(k) ?? rows.set(k, { key: k, gmv_minor: 0, refunded_minor: 0, net_minor: 0, orders: 0, buyers: 0, units: 0, visitors: 0, views: 0, conversion_bp: null }).get(k)!;
    if (dim === 'day') for (const d of daysBetween(range.from, range.to)) row(d);
    for (const s of sales) Object.assign(row(s.k as string | null), { gmv_minor: n(s.gmv), refunded_minor: n(s.refunded), units: n(s.units), orders: n(s.orders), buyers: n(s.buyers) });
    for (const v of views) Object.assign(row(v.k as string | null), { views: n(v.views), visitors: n(v.visitors) });
    const out = [...rows.values()].map((r) => ({ ...r, net_minor: r.gmv_minor - r.refunded_minor, conversion_bp: ratioBp(r.buyers, r.visitors) }));
    return dim === 'day' ? out.sort((a, b) => (a.key! < b.key! ? -1 : 1)) : out.sort((a, b) => b.gmv_minor - a.gmv_minor || b.views - a.views || String(a.key) .localeCompare(String(b.key)));
  }

  async function summary(scope: Scope, range: DayRange): Promise<Summary> {
    const s = await scoped(repo.q().selectFrom('analytics_lines'), scope, range)
      .select((eb) => [
        eb.fn.sum<number>('paid_minor').as('gmv'), eb.fn.sum<number>('refunded_minor').as('refunded'), eb.fn.sum<number>('quantity').as('units'),
        eb.fn.count<number>('order_id').distinct().as('orders'), eb.fn.count<number>('buyer_id').distinct().as('buyers'),
      ]).executeTakeFirst();
    const v = await scoped(repo.q().selectFrom('analytics_events'), scope, range).where('kind', '=', 'view')
      .select((eb) => [eb.fn.countAll<number>().as('views'), eb.fn.count<number>('viewer_key').distinct().as('visitors')]).executeTakeFirst();
    const gmv = n(s?.gmv), orders = n(s?.orders), buyers = n(s?.buyers), visitors = n(v?.visitors);
    return {
      from: range.from, to: range.to, gmv_minor: gmv, refunded_minor: n(s?.refunded), net_minor: gmv - n(s?.refunded), orders, buyers, units: n(s?.units),
      visitors, views: n(v?.views), conversion_bp: ratioBp(buyers, visitors), avg_order_minor: orders ? Math.floor((gmv * 2 + orders) / (2 * orders)) : 0,
    };
  }

  return {
    summary: (scope: Scope, range: DayRange) => summary(scope, checkRange(range)),
    report: (scope: Scope, dim: Dimension, range: DayRange) => grouped(scope, dim, checkRange(range)),
  };
}
