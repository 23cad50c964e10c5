import { useState } from 'react';
import { dateTime, specText } from '../lib/format.ts';
import { useI18n } from '../lib/i18n.tsx';
import type { Finding, Page, Product } from '../lib/types.ts';
import { useAsync } from '../lib/use-async.ts';
import { Money, StatusBadge, Thumb } from '../ui/bits.tsx';
import { Empty, ErrorView, Loading, Notice, useErrorText } from '../ui/states.tsx';
import { api } from './api.ts';

interface Review { id: string; product_id: string; store_id: string; trigger: string; decision: string; status: string; findings: Finding[]; created_at: string; product: Product }

/** Doubtful listings with the automatic findings; the operator approves or rejects with a reason. */
export function ListingReviewsPage() {
  const { t, lang, tx } = useI18n();
  const errText = useErrorText();
  const queue = useAsync((s) => api.get<Page<Review>>('/console/product-reviews', { limit: 50 }, s), []);
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const act = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      queue.reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <>
      <h1 className="page-title">{t('c.nav.listings')}</h1>
      {error !== null && <Notice kind="error">{errText(error)}</Notice>}
      {queue.error ? <ErrorView error={queue.error} retry={queue.reload} /> : !queue.data ? <Loading /> : queue.data.items.length === 0 ? <Empty>{t('c.listings.empty')}</Empty> : (
        <ul className="orders">
          {queue.data.items.map((r) => (
            <li key={r.id} className="card">
              <div className="row">
                <Thumb src={r.product.images[0]} title={r.product.title} size="sm" />
                <div className="grow">
                  <strong className="clamp2">{r.product.title}</strong>
                  <span className="small muted">{tx(`c.trigger.${r.trigger}`, r.trigger)} · {dateTime(r.created_at)}</span>
                </div>
                <StatusBadge status={r.status} kind="review" />
              </div>
              <ul className="findings small">
                {r.findings.map((f, i) => <li key={i} className={`sev-${f.severity}`}><code>{f.field}</code> {lang === 'zh' ? f.message_zh : f.message}</li>)}
              </ul>
              <p className="small">{r.product.skus.map((s) => <span key={s.id} className="sku-pill">{specText(s.spec) || '—'} <Money fen={s.price_minor} /></span>)}</p>
              <div className="actions wrap">
                <button type="button" className="btn primary small" onClick={() => void act(() => api.post(`/console/product-reviews/${r.id}/approve`, {}))}>{t('c.approve')}</button>
                <label className="sr-only" htmlFor={`lr-${r.id}`}>{t('c.rejectReason')}</label>
                <input id={`lr-${r.id}`} placeholder={t('c.rejectReason')} value={reasons[r.id] ?? ''} onChange={(e) => setReasons({ ...reasons, [r.id]: e.target.value })} />
                <button type="button" className="btn small danger" disabled={(reasons[r.id] ?? '').trim().length < 2} onClick={() => void act(() => api.post(`/console/product-reviews/${r.id}/reject`, { reason: reasons[r.id].trim() }))}>{t('c.reject')}</button>
              </div>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
