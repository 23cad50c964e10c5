import { useState } from 'react';
import { dateOnly, dateTime, yuan } from '../lib/format.ts';
import { useI18n } from '../lib/i18n.tsx';
import { Link } from '../lib/router.tsx';
import type { Page, StoreApplication } from '../lib/types.ts';
import { useAsync } from '../lib/use-async.ts';
import { Field, Section, StatusBadge } from '../ui/bits.tsx';
import { Empty, ErrorView, Loading, Notice, useErrorText } from '../ui/states.tsx';
import { api } from './api.ts';

export function StoreApplicationsPage() {
  const { t } = useI18n();
  const queue = useAsync((s) => api.get<Page<StoreApplication>>('/console/stores/review-queue', { limit: 50 }, s), []);
  return (
    <>
      <h1 className="page-title">{t('c.nav.stores')}</h1>
      {queue.error ? <ErrorView error={queue.error} retry={queue.reload} /> : !queue.data ? <Loading /> : queue.data.items.length === 0 ? <Empty>{t('c.stores.empty')}</Empty> : (
        <div className="table-wrap">
          <table className="table">
            <thead><tr><th scope="col">{t('c.stores.name')}</th><th scope="col">{t('c.stores.company')}</th><th scope="col">{t('c.stores.subject')}</th><th scope="col">{t('c.stores.submitted')}</th></tr></thead>
            <tbody>
              {queue.data.items.map((s) => (
                <tr key={s.id}>
                  <th scope="row"><Link to={`/console/stores/${s.id}`}>{s.name}</Link></th>
                  <td className="clamp2">{s.company_name}</td>
                  <td>{s.subject_type === 'enterprise' ? t('store.enterprise') : t('store.individual')}</td>
                  <td className="small">{dateTime(s.submitted_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

interface Qualification { id: string; kind: string; label_zh: string; number: string; holder_name: string; valid_from: string; valid_until: string | null; status: string; in_force: boolean; file_url: string }
interface Decision { id: string; decision: string; from_status: string | null; to_status: string | null; reason: string | null; actor_role: string; created_at: string }
interface Detail { store: StoreApplication; qualifications: Qualification[]; decisions: Decision[]; deposit: { required_minor: number; balance_minor: number; shortfall_minor: number } }

export function StoreApplicationPage({ id }: { id: string }) {
  const { t, tx } = useI18n();
  const errText = useErrorText();
  const detail = useAsync((s) => api.get<Detail>(`/console/stores/${id}`, undefined, s), [id]);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  if (detail.error) return <ErrorView error={detail.error} retry={detail.reload} />;
  if (!detail.data) return <Loading />;
  const { store: s, qualifications, decisions, deposit } = detail.data;
  const decide = async (action: 'approve' | 'reject' | 'request-more') => {
    setBusy(true);
    setError(null);
    try {
      await api.post(`/console/stores/${id}/${action}`, action === 'approve' ? (reason.trim() ? { reason: reason.trim() } : {}) : { reason: reason.trim() });
      setDone(t(`c.stores.done.${action}`));
      detail.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <h1 className="page-title clamp2">{s.name}</h1>
      <Section title={t('c.stores.application')} actions={<StatusBadge status={s.status} kind="store" />}>
        <dl className="attrs">
          <div><dt>{t('c.stores.company')}</dt><dd>{s.company_name}</dd></div>
          <div><dt>{t('c.stores.subject')}</dt><dd>{s.subject_type === 'enterprise' ? t('store.enterprise') : t('store.individual')}</dd></div>
          <div><dt>USCC</dt><dd><code>{s.uscc ?? '—'}</code></dd></div>
          <div><dt>{t('c.stores.category')}</dt><dd>{s.main_category_code ?? '—'}</dd></div>
          <div><dt>{t('c.stores.submitted')}</dt><dd>{dateTime(s.submitted_at)}</dd></div>
          <div><dt>{t('c.stores.deposit')}</dt><dd>{yuan(deposit.required_minor)}</dd></div>
        </dl>
        {s.description && <p className="small prewrap">{s.description}</p>}
      </Section>
      <Section title={t('c.stores.documents')}>
        {qualifications.length === 0 ? <p className="muted">{t('c.stores.noDocs')}</p> : (
          <div className="table-wrap">
            <table className="table">
              <thead><tr><th scope="col">{t('c.stores.doc')}</th><th scope="col">{t('c.stores.number')}</th><th scope="col">{t('c.stores.holder')}</th><th scope="col">{t('c.stores.validUntil')}</th></tr></thead>
              <tbody>
                {qualifications.map((q) => (
                  <tr key={q.id}><th scope="row">{q.label_zh}</th><td><code>{q.number}</code></td><td>{q.holder_name}</td><td>{q.valid_until ? dateOnly(q.valid_until) : t('c.stores.noExpiry')}</td></tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
      {s.status === 'in_review' && (
        <Section title={t('c.stores.decide')}>
          <Field id="decision-reason" label={t('c.stores.reason')} hint={t('c.stores.reasonHint')}>
            <textarea id="decision-reason" rows={2} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} aria-describedby="decision-reason-hint" />
          </Field>
          {error !== null && <Notice kind="error">{errText(error)}</Notice>}
          <div className="actions wrap">
            <button type="button" className="btn primary" disabled={busy} onClick={() => void decide('approve')}>{t('c.stores.approve')}</button>
            <button type="button" className="btn" disabled={busy || reason.trim().length < 2} onClick={() => void decide('request-more')}>{t('c.stores.requestMore')}</button>
            <button type="button" className="btn danger" disabled={busy || reason.trim().length < 2} onClick={() => void decide('reject')}>{t('c.stores.reject')}</button>
          </div>
        </Section>
      )}
      {done && <Notice kind="ok">{done}</Notice>}
      <Section title={t('c.stores.history')}>
        <ol className="timeline">
          {decisions.map((d) => (
            <li key={d.id}>
              <span>{tx(`decision.${d.decision}`, d.decision)}{d.to_status && <> → <StatusBadge status={d.to_status} kind="store" /></>}{d.reason && ` · ${d.reason}`}</span>{' '}
              <time className="muted small" dateTime={d.created_at}>{dateTime(d.created_at)}</time>
            </li>
          ))}
        </ol>
      </Section>
    </>
  );
}
