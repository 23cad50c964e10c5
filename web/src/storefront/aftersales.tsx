import { useState, type FormEvent } from 'react';
import { dateTime, parseYuan, specText } from '../lib/format.ts';
import { useI18n } from '../lib/i18n.tsx';
import { Link, navigate } from '../lib/router.tsx';
import type { AftersalesRequest, OrderDetail, Page } from '../lib/types.ts';
import { useAsync } from '../lib/use-async.ts';
import { Field, Money, StatusBadge } from '../ui/bits.tsx';
import { Empty, ErrorView, Loading, Notice, useErrorText } from '../ui/states.tsx';
import { api } from './api.ts';

const TYPES = ['refund_only', 'return_refund', 'exchange'] as const;
const REASONS = ['no_reason_7d', 'not_as_described', 'quality', 'wrong_item', 'damaged', 'missing_parts', 'not_received', 'no_longer_needed', 'other'] as const;

export function AftersalesNewPage({ orderId, lineId }: { orderId: string; lineId: string }) {
  const { t } = useI18n();
  const errText = useErrorText();
  const order = useAsync((s) => api.get<OrderDetail>(`/me/orders/${orderId}`, undefined, s), [orderId]);
  const [type, setType] = useState<(typeof TYPES)[number]>('refund_only');
  const [reason, setReason] = useState<(typeof REASONS)[number]>('no_longer_needed');
  const [amount, setAmount] = useState('');
  const [description, setDescription] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  if (order.error) return <ErrorView error={order.error} retry={order.reload} />;
  if (!order.data) return <Loading />;
  const line = order.data.lines.find((l) => l.id === lineId);
  if (!line) return <Empty>{t('notFound')}</Empty>;
  const max = line.paid_minor - line.refunded_minor;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const fen = amount.trim() ? parseYuan(amount) : null;
    if (amount.trim() && (fen === null || fen < 1 || fen > max)) return setError(new Error(t('aftersales.badAmount')));
    setBusy(true);
    setError(null);
    try {
      await api.post('/me/aftersales', { order_id: orderId, line_id: lineId, type, reason, ...(description ? { description } : {}), ...(fen ? { amount_minor: fen } : {}) }, { idempotent: true });
      navigate('/aftersales', { replace: true });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby="h-as">
      <h1 id="h-as">{t('aftersales.request')}</h1>
      <p className="clamp2">{line.title}</p>
      <p className="muted small">{specText(line.spec)} ×{line.quantity} · {t('aftersales.max')} <Money fen={max} /></p>
      <fieldset className="radio-list">
        <legend>{t('aftersales.type')}</legend>
        {TYPES.map((x) => (
          <label key={x} className="radio-card">
            <input type="radio" name="type" value={x} checked={type === x} onChange={() => setType(x)} /> {t(`aftersales.type.${x}`)}
          </label>
        ))}
      </fieldset>
      <Field id="as-reason" label={t('aftersales.reason')}>
        <select id="as-reason" value={reason} onChange={(e) => setReason(e.target.value as (typeof REASONS)[number])}>
          {REASONS.map((r) => <option key={r} value={r}>{t(`aftersales.reason.${r}`)}</option>)}
        </select>
      </Field>
      {type !== 'exchange' && (
        <Field id="as-amount" label={t('aftersales.amount')} hint={t('aftersales.amountHint')}>
          <input id="as-amount" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} aria-describedby="as-amount-hint" />
        </Field>
      )}
      <Field id="as-desc" label={t('aftersales.description')}>
        <textarea id="as-desc" maxLength={500} rows={3} value={description} onChange={(e) => setDescription(e.target.value)} />
      </Field>
      {error !== null && <Notice kind="error">{errText(error)}</Notice>}
      <button type="submit" className="btn primary block" disabled={busy}>{t('aftersales.submit')}</button>
    </form>
  );
}

export function AftersalesListPage() {
  const { t } = useI18n();
  const errText = useErrorText();
  const list = useAsync((s) => api.get<Page<AftersalesRequest>>('/me/aftersales', { limit: 50 }, s), []);
  const [error, setError] = useState<unknown>(null);
  const act = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      list.reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <>
      <h1 className="page-title">{t('aftersales.title')}</h1>
      {error !== null && <Notice kind="error">{errText(error)}</Notice>}
      {list.error ? <ErrorView error={list.error} retry={list.reload} /> : !list.data ? <Loading /> : list.data.items.length === 0 ? (
        <Empty>{t('aftersales.empty')}</Empty>
      ) : (
        <ul className="orders">
          {list.data.items.map((r) => (
            <li key={r.id} className="card">
              <div className="row between">
                <strong>{t(`aftersales.type.${r.type}` as never)}</strong>
                <StatusBadge status={r.status} kind="aftersales" />
              </div>
              <p className="small">
                {t(`aftersales.reason.${r.reason}` as never)} · <Money fen={r.refund_amount_minor ?? r.amount_minor} />
              </p>
              {r.waiting_on && <p className="small muted">{t('aftersales.waitingOn', { who: t(`who.${r.waiting_on}` as never) })}{r.deadline_at && ` · ${t('aftersales.deadline', { d: dateTime(r.deadline_at) })}`}</p>}
              {r.merchant_reason && <p className="small">{t('aftersales.merchantSays')}: {r.merchant_reason}</p>}
              <div className="actions">
                <Link className="btn small" to={`/orders/${r.order_id}`}>{t('orders.detail')}</Link>
                {r.status === 'rejected' && (
                  <button type="button" className="btn small" onClick={() => void act(() => api.post(`/me/aftersales/${r.id}/escalate`, { statement: t('aftersales.escalateStatement') }))}>{t('aftersales.escalate')}</button>
                )}
                {r.open && ['pending_merchant', 'awaiting_buyer', 'rejected'].includes(r.status) && (
                  <button type="button" className="btn small" onClick={() => void act(() => api.post(`/me/aftersales/${r.id}/withdraw`, {}))}>{t('aftersales.withdraw')}</button>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
