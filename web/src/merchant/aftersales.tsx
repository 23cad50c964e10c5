import { useState } from 'react';
import { dateTime } from '../lib/format.ts';
import { useI18n } from '../lib/i18n.tsx';
import type { AftersalesRequest, Page } from '../lib/types.ts';
import { useAsync } from '../lib/use-async.ts';
import { Money, StatusBadge } from '../ui/bits.tsx';
import { Empty, ErrorView, Loading, Notice, useErrorText } from '../ui/states.tsx';
import { api } from './api.ts';

/** Requests waiting on the store, nearest deadline first, with what happens when it passes. */
export function AftersalesPage({ storeId }: { storeId: string }) {
  const { t, tx } = useI18n();
  const errText = useErrorText();
  const queue = useAsync((s) => api.get<Page<AftersalesRequest>>(`/merchant/stores/${storeId}/aftersales/queue`, { limit: 50 }, s), [storeId]);
  const [error, setError] = useState<unknown>(null);
  const [reasons, setReasons] = useState<Record<string, string>>({});
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
      <h1 className="page-title">{t('m.nav.aftersales')}</h1>
      {error !== null && <Notice kind="error">{errText(error)}</Notice>}
      {queue.error ? <ErrorView error={queue.error} retry={queue.reload} /> : !queue.data ? <Loading /> : queue.data.items.length === 0 ? <Empty>{t('m.as.empty')}</Empty> : (
        <ul className="orders">
          {queue.data.items.map((r) => (
            <li key={r.id} className="card">
              <div className="row between">
                <strong>{tx(`aftersales.type.${r.type}`, r.type)}</strong>
                <StatusBadge status={r.status} kind="aftersales" />
              </div>
              <p className="small">{tx(`aftersales.reason.${r.reason}`, r.reason)} · <Money fen={r.amount_minor} /> · ×{r.quantity}</p>
              {r.description && <p className="small prewrap">{r.description}</p>}
              <p className="small muted"><code>{r.order_id}</code></p>
              {r.deadline_at && (
                <p className="small deadline">
                  {t('m.as.deadline', { d: dateTime(r.deadline_at) })}{r.deadline_action && ` · ${t('m.as.then')} ${tx(`deadline.${r.deadline_action}`, r.deadline_action)}`}
                </p>
              )}
              {r.status === 'pending_merchant' && (
                <div className="actions wrap">
                  <button type="button" className="btn primary small" onClick={() => void act(() => api.post(`/merchant/stores/${storeId}/aftersales/${r.id}/approve`, {}))}>{t('m.as.approve')}</button>
                  <label className="sr-only" htmlFor={`rej-${r.id}`}>{t('m.as.rejectReason')}</label>
                  <input id={`rej-${r.id}`} placeholder={t('m.as.rejectReason')} value={reasons[r.id] ?? ''} onChange={(e) => setReasons({ ...reasons, [r.id]: e.target.value })} />
                  <button type="button" className="btn small" disabled={!reasons[r.id]?.trim()} onClick={() => void act(() => api.post(`/merchant/stores/${storeId}/aftersales/${r.id}/reject`, { reason: reasons[r.id].trim() }))}>{t('m.as.reject')}</button>
                </div>
              )}
              {r.status === 'return_delivered' && (
                <button type="button" className="btn primary small" onClick={() => void act(() => api.post(`/merchant/stores/${storeId}/aftersales/${r.id}/confirm-return`, {}))}>{t('m.as.confirmReturn')}</button>
              )}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
