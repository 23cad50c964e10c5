import { useEffect, useRef, useState, type ReactNode } from 'react';
import { ApiError } from '../lib/api.ts';
import { dateTime } from '../lib/format.ts';
import { useI18n } from '../lib/i18n.tsx';
import { useAsync } from '../lib/use-async.ts';
import { Money, Section } from '../ui/bits.tsx';
import { Empty, ErrorView, Loading, Notice } from '../ui/states.tsx';
import { api } from './api.ts';
import { cleanSections, SectionsEditor, useProblems } from './campaign-form.tsx';
import type { Campaign, Report, Section as VenueSection, Venue } from './campaign-types.ts';

const REPORT_REFRESH_MS = 15_000;

/** 实时数据: GMV, orders, discount cost by funder, fee income and top items; refreshed every 15 s. */
export function ReportPanel({ campaign, onRefresh }: { campaign: Campaign; onRefresh?: () => void }) {
  const { t } = useI18n();
  const report = useAsync((s) => api.get<Report>(`/console/campaigns/${campaign.id}/report`, undefined, s), [campaign.id]);
  const refresh = () => {
    report.reload();
    onRefresh?.(); // the phase moves on too
  };
  const refreshRef = useRef(refresh);
  refreshRef.current = refresh;
  useEffect(() => {
    const id = setInterval(() => {
      if (!document.hidden) refreshRef.current();
    }, REPORT_REFRESH_MS);
    return () => clearInterval(id);
  }, []);
  const r = report.data;
  const kpi = (label: string, value: ReactNode, testId?: string) => (
    <div className="kpi" data-testid={testId}><span className="muted small">{label}</span><strong>{value}</strong></div>
  );
  return (
    <section aria-labelledby="h-report">
      <div className="row between">
        <h2 id="h-report" className="section-title">{t('c.camp.tab.report')}</h2>
        <button type="button" className="btn small" onClick={refresh} disabled={report.loading}>{report.loading ? t('loading') : t('c.report.refresh')}</button>
      </div>
      {report.error ? <ErrorView error={report.error} retry={report.reload} /> : !r ? <Loading /> : (
        <>
          <p className="small muted" aria-live="polite">{t('c.report.asOf', { d: dateTime(r.as_of) })}</p>
          <div className="kpis">
            {kpi(t('c.report.gmv'), <Money fen={r.gmv_minor} />, 'report-gmv')}
            {kpi(t('c.report.orders'), r.orders, 'report-orders')}
            {kpi(t('c.report.units'), r.units)}
            {kpi(t('c.report.buyers'), r.buyers)}
            {kpi(t('c.report.stores'), t('c.report.storesValue', { selling: r.selling_stores, all: r.participating_stores }))}
            {kpi(t('c.report.items'), r.participating_items)}
            {kpi(t('c.report.fee'), <Money fen={r.fee_income_minor} />, 'report-fee')}
            {kpi(t('c.report.goods'), <Money fen={r.goods_minor} />)}
          </div>
          <Section title={t('c.report.discounts')}>
            <div className="table-wrap">
              <table className="table">
                <caption className="sr-only">{t('c.report.discounts')}</caption>
                <thead><tr><th scope="col">{t('c.report.funder')}</th><th scope="col" className="num">{t('c.report.amount')}</th></tr></thead>
                <tbody>
                  <tr><th scope="row">{t('c.camp.funder.platform')}</th><td className="num"><Money fen={r.discount.platform_minor} /></td></tr>
                  <tr><th scope="row">{t('c.camp.funder.merchant')}</th><td className="num"><Money fen={r.discount.merchant_minor} /></td></tr>
                  <tr><th scope="row">{t('c.report.offers')}</th><td className="num"><Money fen={r.discount.campaign_offers_minor} /></td></tr>
                  <tr><th scope="row">{t('c.report.discountTotal')}</th><td className="num"><strong><Money fen={r.discount.total_minor} /></strong></td></tr>
                </tbody>
              </table>
            </div>
            <p className="small muted">{t('c.report.discountNote')}</p>
          </Section>
          <Section title={t('c.report.top')}>
            {r.top_items.length === 0 ? <p className="muted small">{t('c.report.noSales')}</p> : (
              <div className="table-wrap">
                <table className="table">
                  <caption className="sr-only">{t('c.report.top')}</caption>
                  <thead><tr><th scope="col">#</th><th scope="col">{t('c.reg.item')}</th><th scope="col" className="num">{t('c.report.units')}</th><th scope="col" className="num">{t('c.report.gmv')}</th></tr></thead>
                  <tbody>
                    {r.top_items.map((x, i) => (
                      <tr key={x.sku_id}><td>{i + 1}</td><td><span className="clamp2">{x.title}</span><code className="small muted">{x.store_id}</code></td><td className="num">{x.units}</td><td className="num"><Money fen={x.gmv_minor} /></td></tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </Section>
        </>
      )}
    </section>
  );
}

/** 会场分区: edit the main venue's sections; see what each shows while the venue is public. */
export function VenuePanel({ campaign, onSaved }: { campaign: Campaign; onSaved: (c: Campaign) => void }) {
  const { t } = useI18n();
  const problemsOf = useProblems();
  const [sections, setSections] = useState<VenueSection[]>(campaign.sections);
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<{ kind: 'ok' | 'error'; lines: string[] } | null>(null);
  const venue = useAsync(async (s) => {
    try {
      return await api.get<Venue>(`/campaigns/${campaign.id}/venue`, undefined, s);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return null;
      throw e;
    }
  }, [campaign.id, campaign.updated_at]);
  const save = async () => {
    setBusy(true);
    setMsg(null);
    try {
      const c = await api.patch<Campaign>(`/console/campaigns/${campaign.id}`, { sections: cleanSections(sections) });
      onSaved(c);
      setMsg({ kind: 'ok', lines: [t('c.venue.saved')] });
    } catch (e) {
      setMsg({ kind: 'error', lines: problemsOf(e) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="h-venue">
      <h2 id="h-venue" className="section-title">{t('c.camp.tab.venue')}</h2>
      <SectionsEditor value={sections} onChange={setSections} />
      {msg && (msg.kind === 'ok' ? <Notice kind="ok">{msg.lines[0]}</Notice> : <div className="notice error" role="alert"><ul>{msg.lines.map((l, i) => <li key={i}>{l}</li>)}</ul></div>)}
      <div className="actions"><button type="button" className="btn primary" disabled={busy} onClick={() => void save()}>{busy ? t('loading') : t('c.venue.save')}</button></div>
      <Section title={t('c.venue.preview')}>
        {venue.error ? <ErrorView error={venue.error} retry={venue.reload} /> : venue.data === undefined ? <Loading /> : venue.data === null ? (
          <p className="small muted">{t('c.venue.notPublic')}</p>
        ) : venue.data.sections.length === 0 ? <Empty>{t('c.camp.noSections')}</Empty> : (
          <ul className="list">
            {venue.data.sections.map((s) => (
              <li key={s.key} className="row-link">
                <strong className="grow">{s.title}</strong>
                <span className="small muted">{t('c.venue.items', { n: s.items.length })}</span>
              </li>
            ))}
          </ul>
        )}
        {venue.data && <p className="small muted">{t('c.venue.total', { n: venue.data.items, d: dateTime(venue.data.updated_at) })}</p>}
      </Section>
    </section>
  );
}
