import { lazy, Suspense, type ReactNode } from 'react';
import { ApiError } from '../lib/api.ts';
import { useI18n } from '../lib/i18n.tsx';
import { Link } from '../lib/router.tsx';
import type { Page, Order } from '../lib/types.ts';
import { useAsync } from '../lib/use-async.ts';
import { Money, Section } from '../ui/bits.tsx';
import { Empty, ErrorView, Loading } from '../ui/states.tsx';
import { api } from './api.ts';

// ECharts is big: it loads only here, after the numbers are on screen.
const Charts = lazy(() => import('./charts.tsx'));

interface Metrics { gmv_minor: number; refunded_minor: number; net_minor: number; orders: number; buyers: number; units: number; visitors: number; views: number; conversion_bp: number | null }
export interface Summary extends Metrics { from: string; to: string; avg_order_minor: number }
export interface Row extends Metrics { key: string | null }
interface Report { from: string; to: string; dimension: string; items: Row[] }

const DAY = 86_400_000;
/** Analytics days are Asia/Shanghai calendar days. */
const shanghaiDay = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
const pct = (bp: number | null) => (bp === null ? '—' : `${(bp / 100).toFixed(2)}%`);

export function Dashboard({ storeId }: { storeId: string }) {
  const { t, tx } = useI18n();
  const data = useAsync(async (s) => {
    const now = Date.now();
    const today = shanghaiDay(now);
    const base = `/merchant/stores/${storeId}/analytics`;
    const [day, month, byDay, byChannel, byCreator, byProduct, toShip, products] = await Promise.all([
      api.get<Summary>(`${base}/summary`, { from: today, to: today }, s),
      api.get<Summary>(`${base}/summary`, {}, s),
      api.get<Report>(`${base}/by-day`, { from: shanghaiDay(now - 13 * DAY), to: today }, s),
      api.get<Report>(`${base}/by-channel`, {}, s),
      api.get<Report>(`${base}/by-creator`, {}, s),
      api.get<Report>(`${base}/by-product`, {}, s),
      api.get<Page<Order>>(`/merchant/stores/${storeId}/orders`, { status: 'paid', limit: 100 }, s),
      api.get<Page<{ id: string; title: string }>>(`/merchant/stores/${storeId}/products`, { limit: 100 }, s),
    ]);
    const titles = new Map(products.items.map((p) => [p.id, p.title]));
    return { day, month, byDay, byChannel, byCreator, byProduct, titles, toShip: toShip.items.length, toShipMore: toShip.next_cursor !== null };
  }, [storeId]);
  if (data.error instanceof ApiError && data.error.status === 403) return <Empty>{t('m.dash.forbidden')}</Empty>;
  if (data.error) return <ErrorView error={data.error} retry={data.reload} />;
  if (!data.data) return <Loading />;
  const { day, month, byDay, byChannel, byCreator, byProduct, titles } = data.data;
  return (
    <>
      <h1 className="page-title">{t('m.dash.title')}</h1>
      <div className="kpis">
        <Kpi label={t('m.dash.gmvToday')} value={<Money fen={day.gmv_minor} />} testId="gmv-today" />
        <Kpi label={t('m.dash.ordersToday')} value={day.orders} />
        <Kpi label={t('m.dash.visitorsToday')} value={day.visitors} />
        <Kpi label={t('m.dash.conversionToday')} value={pct(day.conversion_bp)} />
        <Kpi label={t('m.dash.gmv30')} value={<Money fen={month.gmv_minor} />} testId="gmv-30" />
        <Kpi label={t('m.dash.orders30')} value={month.orders} />
        <Kpi label={t('m.dash.aov')} value={<Money fen={month.avg_order_minor} />} />
        <Kpi label={t('m.dash.toShip')} value={<Link to="/merchant/orders?status=paid">{data.data.toShip}{data.data.toShipMore ? '+' : ''}</Link>} />
      </div>
      <p className="muted small">{t('m.dash.source', { from: month.from, to: month.to })}</p>
      <Section title={t('m.dash.trend')}>
        <Suspense fallback={<Loading label={t('m.dash.chartLoading')} />}>
          <Charts days={byDay.items} />
        </Suspense>
      </Section>
      <Breakdown title={t('m.dash.byChannel')} dimension={t('m.dash.channel')} rows={byChannel.items} label={(k) => (k ? tx(`channel.${k}`, k) : '—')} />
      <Breakdown title={t('m.dash.byCreator')} dimension={t('m.dash.creator')} rows={byCreator.items} label={(k) => k ?? t('m.dash.noCreator')} />
      <Breakdown title={t('m.dash.byProduct')} dimension={t('m.dash.product')} rows={byProduct.items.slice(0, 10)} label={(k) => (k ? titles.get(k) ?? k : '—')} />
    </>
  );
}

function Kpi({ label, value, testId }: { label: string; value: ReactNode; testId?: string }) {
  return (
    <div className="kpi" data-testid={testId}>
      <span className="muted small">{label}</span>
      <strong>{value}</strong>
    </div>
  );
}

/** A report as a table: the dimension, GMV, orders, visitors and conversion. */
function Breakdown({ title, dimension, rows, label }: { title: string; dimension: string; rows: Row[]; label: (key: string | null) => string }) {
  const { t } = useI18n();
  return (
    <Section title={title}>
      {rows.length === 0 ? <p className="muted">{t('m.dash.noSales')}</p> : (
        <div className="table-wrap">
          <table className="table">
            <thead><tr><th scope="col">{dimension}</th><th scope="col" className="num">GMV</th><th scope="col" className="num">{t('m.dash.orders')}</th><th scope="col" className="num">{t('m.dash.visitors')}</th><th scope="col" className="num">{t('m.dash.conversion')}</th></tr></thead>
            <tbody>
              {rows.map((r) => {
                return (
                  <tr key={r.key ?? '-'}>
                    <th scope="row"><span className="clamp2">{label(r.key)}</span></th>
                    <td className="num"><Money fen={r.gmv_minor} /></td>
                    <td className="num">{r.orders}</td>
                    <td className="num">{r.visitors}</td>
                    <td className="num">{pct(r.conversion_bp)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}
