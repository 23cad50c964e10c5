import { useState, type FormEvent } from 'react';
import { dateTime } from '../lib/format.ts';
import { useI18n } from '../lib/i18n.tsx';
import type { AftersalesRequest, Page } from '../lib/types.ts';
import { useAsync } from '../lib/use-async.ts';
import { Field, Money, StatusBadge } from '../ui/bits.tsx';
import { Empty, ErrorView, Loading, Notice, useErrorText } from '../ui/states.tsx';
import { api } from './api.ts';

/**
 * Requests waiting on the store, nearest deadline first, with what happens when it passes. A
 * refused action is explained in its own card: on a phone the top of a long queue is off screen.
 */
export function AftersalesPage({ storeId }: { storeId: string }) {
  const { t, tx } = useI18n();
  const errText = useErrorText();
  const queue = useAsync((s) => api.get<Page<AftersalesRequest>>(`/merchant/stores/${storeId}/aftersales/queue`, { limit: 50 }, s), [storeId]);
  const [error, setError] = useState<{ id: string; error: unknown } | null>(null);
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const act = async (id: string, fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      queue.reload();
    } catch (e) {
      setError({ id, error: e });
    }
  };
  return (
    <>
      <h1 className="page-title">{t('m.nav.aftersales')}</h1>
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
                  <button type="button" className="btn primary small" onClick={() => void act(r.id, () => api.post(`/merchant/stores/${storeId}/aftersales/${r.id}/approve`, {}))}>{t('m.as.approve')}</button>
                  <label className="sr-only" htmlFor={`rej-${r.id}`}>{t('m.as.rejectReason')}</label>
                  <input id={`rej-${r.id}`} placeholder={t('m.as.rejectReason')} value={reasons[r.id] ?? ''} onChange={(e) => setReasons({ ...reasons, [r.id]: e.target.value })} />
                  <button type="button" className="btn small" disabled={!reasons[r.id]?.trim()} onClick={() => void act(r.id, () => api.post(`/merchant/stores/${storeId}/aftersales/${r.id}/reject`, { reason: reasons[r.id].trim() }))}>{t('m.as.reject')}</button>
                </div>
              )}
              {r.status === 'return_delivered' && <ConfirmReturn storeId={storeId} request={r} act={(fn) => act(r.id, fn)} />}
              {error?.id === r.id && <Notice kind="error">{errText(error.error)}</Notice>}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

interface Carrier { code: string; name_zh: string; name_en: string }

/**
 * The returned goods are here. A return: refund, and put the units back into stock unless they
 * came back damaged. An exchange: ship the replacement (carrier and tracking number).
 */
function ConfirmReturn({ storeId, request, act }: { storeId: string; request: AftersalesRequest; act: (fn: () => Promise<unknown>) => Promise<void> }) {
  const { t, pick } = useI18n();
  const exchange = request.type === 'exchange';
  const carriers = useAsync((s) => (exchange ? api.get<{ items: Carrier[] }>('/carriers', undefined, s) : Promise.resolve({ items: [] as Carrier[] })), [exchange]);
  const [restock, setRestock] = useState(true);
  const [carrier, setCarrier] = useState('');
  const [tracking, setTracking] = useState('');
  const [busy, setBusy] = useState(false);
  const chosen = carrier || carriers.data?.items[0]?.code || '';
  const id = request.id.slice(-6);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const body = exchange ? { replacement: { carrier: chosen, tracking_no: tracking.trim() } } : { restock };
    await act(() => api.post(`/merchant/stores/${storeId}/aftersales/${request.id}/confirm-return`, body));
    setBusy(false);
  };
  return (
    <form className="ship-form" onSubmit={submit} aria-label={t('m.as.confirmReturn')}>
      {exchange ? (
        <>
          <Field id={`xc-${id}`} label={t('m.carrier')}>
            <select id={`xc-${id}`} value={chosen} onChange={(e) => setCarrier(e.target.value)}>
              {(carriers.data?.items ?? []).map((c) => <option key={c.code} value={c.code}>{pick(c.name_zh, c.name_en)}</option>)}
            </select>
          </Field>
          <Field id={`xt-${id}`} label={t('m.as.replacementTracking')}>
            <input id={`xt-${id}`} required minLength={6} maxLength={40} value={tracking} onChange={(e) => setTracking(e.target.value)} autoComplete="off" />
          </Field>
        </>
      ) : (
        <label className="inline small">
          <input type="checkbox" checked={restock} onChange={(e) => setRestock(e.target.checked)} /> {t('m.as.restock', { n: request.quantity })}
        </label>
      )}
      <button type="submit" className="btn primary small" disabled={busy || (exchange && !chosen)}>{exchange ? t('m.as.confirmExchange') : t('m.as.confirmReturn')}</button>
    </form>
  );
}
