import { useState } from 'react';
import { dateTime } from '../lib/format.ts';
import { useI18n } from '../lib/i18n.tsx';
import { useAsync } from '../lib/use-async.ts';
import { Money, StatusBadge, Thumb } from '../ui/bits.tsx';
import { Empty, ErrorView, Loading, Notice, useErrorText } from '../ui/states.tsx';
import { api } from './api.ts';
import { percent, type Campaign, type Registration, type ReviewResult } from './campaign-types.ts';

const STATUSES = ['pending', 'approved', 'rejected', 'withdrawn', 'all'] as const;
type Status = (typeof STATUSES)[number];
const REVIEWABLE = ['registration', 'review', 'warmup'];

/** Below the 30-day low by this much (bp); negative when above it. */
const discountBp = (r: Registration) => (r.low_30d_minor > 0 ? Math.round(((r.low_30d_minor - r.campaign_price_minor) * 10_000) / r.low_30d_minor) : 0);

/**
 * 报名审核: registrations with the facts the rules used (price, 30-day low, campaign price and
 * stock); tick several and approve or reject them at once with a note. Each decision is its own
 * conditional move on the server; the result of every one is listed.
 */
export function RegistrationsReview({ campaign }: { campaign: Campaign }) {
  const { t } = useI18n();
  const errText = useErrorText();
  const [status, setStatus] = useState<Status>('pending');
  const list = useAsync((s) => api.get<{ items: Registration[] }>(`/console/campaigns/${campaign.id}/registrations`, { status: status === 'all' ? undefined : status }, s), [campaign.id, status]);
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [results, setResults] = useState<{ r: ReviewResult; title: string; decision: 'approve' | 'reject' }[] | null>(null);
  const items = list.data?.items ?? [];
  const pending = items.filter((r) => r.status === 'pending');
  const canReview = REVIEWABLE.includes(campaign.phase) && campaign.status === 'active';
  const allPicked = pending.length > 0 && pending.every((r) => picked.has(r.id));
  const toggle = (id: string) => setPicked((p) => {
    const n = new Set(p);
    if (n.has(id)) n.delete(id);
    else n.add(id);
    return n;
  });

  const decide = async (decision: 'approve' | 'reject') => {
    const ids = [...picked].filter((id) => items.some((r) => r.id === id));
    if (!ids.length) return;
    setBusy(true);
    setError(null);
    try {
      const titles = new Map(items.map((r) => [r.id, r.title]));
      const res = await api.post<{ results: ReviewResult[] }>(`/console/campaigns/${campaign.id}/registrations/review`, {
        decisions: ids.map((registration_id) => ({ registration_id, decision, ...(note.trim() ? { reason: note.trim() } : {}) })),
      });
      setResults(res.results.map((r) => ({ r, title: titles.get(r.registration_id) ?? r.registration_id, decision })));
      setPicked(new Set());
      setNote('');
      list.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const okCount = results?.filter((x) => x.r.ok).length ?? 0;
  return (
    <section aria-labelledby="h-review">
      <h2 id="h-review" className="section-title">{t('c.camp.tab.review')}</h2>
      <div className="toolbar">
        <label className="inline" htmlFor="reg-status">{t('m.filterStatus')}
          <select id="reg-status" value={status} onChange={(e) => { setStatus(e.target.value as Status); setPicked(new Set()); }}>
            {STATUSES.map((s) => <option key={s} value={s}>{t(`c.reg.status.${s}`)}</option>)}
          </select>
        </label>
        {!canReview && <span className="small muted">{t('c.reg.notReviewable')}</span>}
      </div>
      {results && (
        <div className={`notice ${okCount === results.length ? 'ok' : 'error'}`} role="status" data-testid="review-results">
          <p>{t('c.reg.resultSummary', { ok: okCount, failed: results.length - okCount })}</p>
          <ul className="small">
            {results.map(({ r, title, decision }) => (
              <li key={r.registration_id}>
                {r.ok ? '✓' : '✗'} {title} — {r.ok ? t(`c.reg.done.${decision}`) : `${r.message ?? ''} (${r.code ?? ''})`}
              </li>
            ))}
          </ul>
        </div>
      )}
      {error !== null && <Notice kind="error">{errText(error)}</Notice>}
      {list.error ? <ErrorView error={list.error} retry={list.reload} /> : !list.data ? <Loading /> : items.length === 0 ? <Empty>{t('c.reg.empty')}</Empty> : (
        <>
          {canReview && pending.length > 0 && (
            <div className="bulk-bar card" role="group" aria-label={t('c.reg.bulk')}>
              <span className="small">{t('c.reg.selected', { n: picked.size })}</span>
              <label className="sr-only" htmlFor="reg-note">{t('c.reg.note')}</label>
              <input id="reg-note" placeholder={t('c.reg.note')} maxLength={200} value={note} onChange={(e) => setNote(e.target.value)} />
              <button type="button" className="btn primary small" disabled={busy || picked.size === 0} onClick={() => void decide('approve')}>{t('c.reg.approveN', { n: picked.size })}</button>
              <button type="button" className="btn small danger" disabled={busy || picked.size === 0 || note.trim().length < 2} onClick={() => void decide('reject')} title={t('c.reg.rejectNeedsNote')}>{t('c.reg.rejectN', { n: picked.size })}</button>
            </div>
          )}
          <div className="table-wrap">
            <table className="table">
              <caption className="sr-only">{t('c.camp.tab.review')}</caption>
              <thead>
                <tr>
                  <th scope="col">
                    {canReview && pending.length > 0 && (
                      <input type="checkbox" aria-label={t('c.reg.selectAll')} checked={allPicked} onChange={() => setPicked(allPicked ? new Set() : new Set(pending.map((r) => r.id)))} />
                    )}
                  </th>
                  <th scope="col">{t('c.reg.item')}</th><th scope="col" className="num">{t('c.reg.price')}</th><th scope="col" className="num">{t('c.reg.low30')}</th>
                  <th scope="col" className="num">{t('c.reg.campaignPrice')}</th><th scope="col" className="num">{t('c.reg.stock')}</th><th scope="col">{t('m.filterStatus')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((r) => (
                  <tr key={r.id} data-registration={r.id}>
                    <td>{r.status === 'pending' && canReview && <input type="checkbox" aria-label={t('c.reg.select', { title: r.title })} checked={picked.has(r.id)} onChange={() => toggle(r.id)} />}</td>
                    <td>
                      <div className="row">
                        <Thumb src={r.image} title={r.title} size="sm" />
                        <span className="grow"><span className="clamp2">{r.title}</span><span className="small muted"><code>{r.store_id}</code> · {dateTime(r.created_at)}</span></span>
                      </div>
                    </td>
                    <td className="num"><Money fen={r.price_minor} /></td>
                    <td className="num"><Money fen={r.low_30d_minor} /></td>
                    <td className="num"><Money fen={r.campaign_price_minor} className="price" /><span className="block small muted">−{percent(Math.max(0, discountBp(r)))}</span></td>
                    <td className="num">{r.sold} / {r.campaign_stock}</td>
                    <td><StatusBadge status={r.status} kind="generic" />{r.review_note && <span className="block small muted">{r.review_note}</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
