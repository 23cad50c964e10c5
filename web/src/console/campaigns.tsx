import { useState } from 'react';
import { dateTime, yuan } from '../lib/format.ts';
import { useI18n } from '../lib/i18n.tsx';
import { Link, useLocation } from '../lib/router.tsx';
import { useAsync } from '../lib/use-async.ts';
import { Section } from '../ui/bits.tsx';
import { Empty, ErrorView, Loading, Notice, useErrorText } from '../ui/states.tsx';
import { api } from './api.ts';
import { RegistrationsReview } from './campaign-review.tsx';
import { ReportPanel, VenuePanel } from './campaign-report.tsx';
import { PHASES, percent, type Campaign, type Phase, type Threshold } from './campaign-types.ts';

export function PhaseBadge({ c }: { c: Pick<Campaign, 'phase' | 'status'> }) {
  const { t } = useI18n();
  if (c.status === 'cancelled') return <span className="badge s-bad">{t('c.camp.cancelled')}</span>;
  return <span className={`badge phase-${c.phase}`}>{t(`c.camp.phase.${c.phase}`)}</span>;
}

function thresholdText(th: Threshold, t: ReturnType<typeof useI18n>['t']): string {
  const r = th.rule;
  const rule = r.kind === 'tiers'
    ? r.tiers.map((x) => t('c.camp.tierText', { over: yuan(x.threshold_minor), off: yuan(x.off_minor) })).join('，')
    : t('c.camp.everyText', { step: yuan(r.step_minor), off: yuan(r.off_minor) }) + (r.cap_minor ? t('c.camp.capText', { cap: yuan(r.cap_minor) }) : '');
  const funder = t(`c.camp.funder.${th.funder ?? 'platform'}`) + (th.funder === 'shared' && th.platform_share_bp !== undefined ? ` ${percent(th.platform_share_bp)}` : '');
  return `${rule} · ${funder}`;
}

/** 活动管理: every campaign with its phase and dates; create one. */
export function CampaignsPage() {
  const { t } = useI18n();
  const list = useAsync((s) => api.get<{ items: Campaign[] }>('/console/campaigns', undefined, s), []);
  return (
    <>
      <h1 className="page-title">{t('c.nav.campaigns')}</h1>
      <div className="toolbar"><Link to="/console/campaigns/new" className="btn primary">{t('c.camp.new')}</Link></div>
      {list.error ? <ErrorView error={list.error} retry={list.reload} /> : !list.data ? <Loading /> : list.data.items.length === 0 ? <Empty>{t('c.camp.empty')}</Empty> : (
        <div className="table-wrap">
          <table className="table">
            <caption className="sr-only">{t('c.nav.campaigns')}</caption>
            <thead><tr><th scope="col">{t('c.camp.name')}</th><th scope="col">{t('c.camp.phase')}</th><th scope="col">{t('c.camp.time.registration_start')}</th><th scope="col">{t('c.camp.selling')}</th><th scope="col">{t('c.camp.feeRate')}</th><th scope="col">{t('c.camp.threshold')}</th></tr></thead>
            <tbody>
              {list.data.items.map((c) => (
                <tr key={c.id}>
                  <th scope="row"><Link to={`/console/campaigns/${c.id}`}>{c.name}</Link></th>
                  <td><PhaseBadge c={c} /></td>
                  <td className="small">{dateTime(c.registration_start)}</td>
                  <td className="small">{dateTime(c.selling_start)} – {dateTime(c.selling_end)}</td>
                  <td>{c.fee_rate_bp === null ? t('c.camp.categoryRate') : percent(c.fee_rate_bp)}</td>
                  <td className="small">{c.threshold ? thresholdText(c.threshold, t) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

const TABS = ['review', 'venue', 'report'] as const;
type Tab = (typeof TABS)[number];

/** One campaign: its schedule and rules, then registrations to review, venue sections, the live report. */
export function CampaignPage({ id }: { id: string }) {
  const { t } = useI18n();
  const errText = useErrorText();
  const { query } = useLocation();
  const tab: Tab = (TABS as readonly string[]).includes(query.get('tab') ?? '') ? (query.get('tab') as Tab) : 'review';
  const campaign = useAsync((s) => api.get<Campaign>(`/console/campaigns/${id}`, undefined, s), [id]);
  const [error, setError] = useState<unknown>(null);
  if (campaign.error) return <ErrorView error={campaign.error} retry={campaign.reload} />;
  if (!campaign.data) return <Loading />;
  const c = campaign.data;
  const at = PHASES.indexOf(c.phase);
  const cancel = async () => {
    if (!window.confirm(t('c.camp.cancelConfirm', { name: c.name }))) return;
    setError(null);
    try {
      campaign.set(await api.patch<Campaign>(`/console/campaigns/${c.id}`, { status: 'cancelled' }));
    } catch (e) {
      setError(e);
    }
  };
  const steps: [Phase, string][] = [['registration', c.registration_start], ['review', c.review_start], ['warmup', c.warmup_start], ['selling', c.selling_start], ['ended', c.selling_end]];
  return (
    <>
      <p className="small"><Link to="/console/campaigns">← {t('c.nav.campaigns')}</Link></p>
      <div className="row between wrap-row">
        <h1 className="page-title">{c.name} <PhaseBadge c={c} /></h1>
        {c.status === 'active' && at < PHASES.indexOf('selling') && <button type="button" className="btn small danger" onClick={() => void cancel()}>{t('c.camp.cancel')}</button>}
      </div>
      {error !== null && <Notice kind="error">{errText(error)}</Notice>}
      <Section title={t('c.camp.schedule')}>
        <ol className="phase-steps">
          {steps.map(([p, when]) => {
            const i = PHASES.indexOf(p);
            const state = i < at ? 'done' : i === at ? 'now' : 'next';
            return (
              <li key={p} className={`phase-step ${state}`} aria-current={state === 'now' ? 'step' : undefined}>
                <strong>{t(`c.camp.phase.${p}`)}</strong>
                <time className="small muted" dateTime={when}>{dateTime(when)}</time>
              </li>
            );
          })}
        </ol>
        <dl className="attrs small">
          {c.description && <div><dt>{t('c.camp.description')}</dt><dd>{c.description}</dd></div>}
          <div><dt>{t('c.camp.feeRate')}</dt><dd>{c.fee_rate_bp === null ? t('c.camp.categoryRate') : percent(c.fee_rate_bp)}</dd></div>
          <div><dt>{t('c.camp.threshold')}</dt><dd>{c.threshold ? thresholdText(c.threshold, t) : '—'}</dd></div>
          <div><dt>{t('c.camp.rules')}</dt><dd>{[
            c.rules.store_types?.length ? c.rules.store_types.map((s) => t(s === 'enterprise' ? 'store.enterprise' : 'store.individual')).join('/') : null,
            c.rules.min_store_score !== undefined ? t('c.camp.ruleScore', { n: c.rules.min_store_score }) : null,
            c.rules.min_discount_bp !== undefined ? t('c.camp.ruleDiscount', { p: percent(c.rules.min_discount_bp) }) : null,
            c.rules.min_stock !== undefined ? t('c.camp.ruleStock', { n: c.rules.min_stock }) : null,
            c.rules.category_ids?.length ? t('c.camp.ruleCategories', { n: c.rules.category_ids.length }) : null,
          ].filter(Boolean).join(' · ') || t('c.camp.noRules')}</dd></div>
        </dl>
        <p className="small muted"><code>{c.id}</code></p>
      </Section>
      <nav className="tabs" aria-label={t('c.camp.sectionsNav')}>
        {TABS.map((x) => <Link key={x} to={`/console/campaigns/${c.id}${x === 'review' ? '' : `?tab=${x}`}`} className={tab === x ? 'on' : ''} aria-current={tab === x ? 'page' : undefined}>{t(`c.camp.tab.${x}`)}</Link>)}
      </nav>
      {tab === 'review' && <RegistrationsReview campaign={c} />}
      {tab === 'venue' && <VenuePanel campaign={c} onSaved={(x) => campaign.set(x)} />}
      {tab === 'report' && <ReportPanel campaign={c} onRefresh={campaign.reload} />}
    </>
  );
}
