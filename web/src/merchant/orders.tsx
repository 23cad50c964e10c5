import { useState, type FormEvent } from 'react';
import { dateTime, specText } from '../lib/format.ts';
import { useI18n } from '../lib/i18n.tsx';
import { navigate, useLocation } from '../lib/router.tsx';
import type { Order, Page } from '../lib/types.ts';
import { useAsync } from '../lib/use-async.ts';
import { Field, Money, StatusBadge } from '../ui/bits.tsx';
import { Empty, ErrorView, Loading, Notice, useErrorText } from '../ui/states.tsx';
import { api } from './api.ts';
import { download } from './stock-adjust.tsx';

const STATUSES = ['', 'unpaid', 'paid', 'partially_shipped', 'shipped', 'received', 'completed', 'cancelled', 'closed'] as const;
interface Carrier { code: string; name_zh: string; name_en: string }

export function OrdersPage({ storeId }: { storeId: string }) {
  const { t } = useI18n();
  const { query } = useLocation();
  const status = query.get('status') ?? '';
  const from = query.get('from') ?? '';
  const list = useAsync((s) => api.get<Page<Order>>(`/merchant/stores/${storeId}/orders`, { status: status || undefined, created_from: from ? new Date(from).toISOString() : undefined, limit: 50 }, s), [storeId, status, from]);
  const carriers = useAsync((s) => api.get<{ items: Carrier[] }>('/carriers', undefined, s), []);
  const setFilter = (k: string, v: string) => {
    const n = new URLSearchParams(query);
    if (v) n.set(k, v);
    else n.delete(k);
    navigate(`/merchant/orders${n.toString() ? `?${n}` : ''}`, { replace: true });
  };
  return (
    <>
      <h1 className="page-title">{t('m.nav.orders')}</h1>
      <div className="toolbar">
        <label className="inline">{t('m.filterStatus')}{' '}
          <select value={status} onChange={(e) => setFilter('status', e.target.value)}>
            {STATUSES.map((s) => <option key={s} value={s}>{s ? t(`status.${s}` as never) : t('orders.all')}</option>)}
          </select>
        </label>
        <label className="inline">{t('m.since')}{' '}
          <input type="date" value={from} onChange={(e) => setFilter('from', e.target.value)} />
        </label>
        <button type="button" className="btn small" onClick={() => void download(storeId, 'orders.csv')}>{t('m.exportCsv')}</button>
      </div>
      {list.error ? <ErrorView error={list.error} retry={list.reload} /> : !list.data ? <Loading /> : list.data.items.length === 0 ? <Empty>{t('orders.empty')}</Empty> : (
        <ul className="orders">
          {list.data.items.map((o) => (
            <li key={o.id} className="card" data-order={o.id}>
              <div className="row between">
                <code className="small">{o.id}</code>
                <StatusBadge status={o.status} />
              </div>
              {o.lines.map((l) => (
                <p key={l.id} className="small">
                  <span className="clamp1">{l.title}</span>
                  <span className="muted"> {specText(l.spec)} ×{l.quantity}{l.shipped_quantity > 0 && ` · ${t('m.shippedQty', { n: l.shipped_quantity })}`}{l.cancelled_quantity > 0 && ` · ${t('m.cancelledQty', { n: l.cancelled_quantity })}`}{(l.held_quantity ?? 0) > 0 && ` · ${t('m.heldQty', { n: l.held_quantity ?? 0 })}`}</span>
                </p>
              ))}
              <p className="small muted">
                {o.address.recipient} · {o.address.province}{o.address.city} · {t('m.paidAt')} {dateTime(o.paid_at)}
              </p>
              <p className="row between"><span className="small">{t('orders.paidTotal')}</span><Money fen={o.total_minor} className="price" /></p>
              {(o.status === 'paid' || o.status === 'partially_shipped') && <ShipForm storeId={storeId} order={o} carriers={carriers.data?.items ?? []} onDone={list.reload} />}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function ShipForm({ storeId, order, carriers, onDone }: { storeId: string; order: Order; carriers: Carrier[]; onDone: () => void }) {
  const { t, pick } = useI18n();
  const errText = useErrorText();
  const [carrier, setCarrier] = useState('');
  const [tracking, setTracking] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const chosen = carrier || carriers[0]?.code || '';
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.post(`/merchant/stores/${storeId}/orders/${order.id}/shipments`, { carrier: chosen, tracking_no: tracking.trim() }, { idempotent: true });
      onDone();
    } catch (x) {
      setError(x);
    } finally {
      setBusy(false);
    }
  };
  const id = order.id.slice(-6);
  return (
    <form className="ship-form" onSubmit={submit} aria-label={t('m.ship')}>
      <Field id={`carrier-${id}`} label={t('m.carrier')}>
        <select id={`carrier-${id}`} value={chosen} onChange={(e) => setCarrier(e.target.value)}>
          {carriers.map((c) => <option key={c.code} value={c.code}>{pick(c.name_zh, c.name_en)}</option>)}
        </select>
      </Field>
      <Field id={`tracking-${id}`} label={t('m.trackingNo')}>
        <input id={`tracking-${id}`} required minLength={6} maxLength={40} value={tracking} onChange={(e) => setTracking(e.target.value)} autoComplete="off" />
      </Field>
      {error !== null && <Notice kind="error">{errText(error)}</Notice>}
      <button type="submit" className="btn primary" disabled={busy || !chosen}>{t('m.ship')}</button>
    </form>
  );
}
