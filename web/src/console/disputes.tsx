import { useState } from 'react';
import { dateTime, parseYuan } from '../lib/format.ts';
import { useI18n } from '../lib/i18n.tsx';
import type { AftersalesRequest, Page } from '../lib/types.ts';
import { useAsync } from '../lib/use-async.ts';
import { Money, StatusBadge } from '../ui/bits.tsx';
import { Empty, ErrorView, Loading, Notice, useErrorText } from '../ui/states.tsx';
import { api } from './api.ts';

interface Dispute { id: string; request_id: string; order_id: string; store_id: string; status: string; buyer_statement: string; decision: string | null; decision_reason: string | null; refund_amount_minor: number | null; opened_at: string; decided_at: string | null; request: AftersalesRequest }

/** After-sales disputes (纠纷单): decide for the buyer or the merchant with a written reason. */
export function DisputesPage() {
  const { t, tx } = useI18n();
  const errText = useErrorText();
  const [status, setStatus] = useState<'open' | 'decided'>('open');
  const list = useAsync((s) => api.get<Page<Dispute>>('/console/aftersales/disputes', { status, limit: 50 }, s), [status]);
  const [form, setForm] = useState<Record<string, { reason: string; amount: string }>>({});
  const [error, setError] = useState<unknown>(null);
  const decide = async (d: Dispute, decision: 'buyer' | 'merchant') => {
    const f = form[d.id] ?? { reason: '', amount: '' };
    const amount = f.amount.trim() ? parseYuan(f.amount) : null;
    setError(null);
    try {
      await api.post(`/console/aftersales/disputes/${d.id}/decide`, { decision, reason: f.reason.trim(), ...(decision === 'buyer' && amount ? { refund_amount_minor: amount } : {}) });
      list.reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <>
      <h1 className="page-title">{t('c.nav.disputes')}</h1>
      <div className="toolbar">
        <label className="inline">{t('m.filterStatus')}{' '}
          <select value={status} onChange={(e) => setStatus(e.target.value as 'open' | 'decided')}>
            <option value="open">{t('c.disputes.open')}</option>
            <option value="decided">{t('c.disputes.decided')}</option>
          </select>
        </label>
      </div>
      {error !== null && <Notice kind="error">{errText(error)}</Notice>}
      {list.error ? <ErrorView error={list.error} retry={list.reload} /> : !list.data ? <Loading /> : list.data.items.length === 0 ? <Empty>{t('c.disputes.empty')}</Empty> : (
        <ul className="orders">
          {list.data.items.map((d) => {
            const f = form[d.id] ?? { reason: '', amount: '' };
            const set = (k: 'reason' | 'amount', v: string) => setForm({ ...form, [d.id]: { ...f, [k]: v } });
            return (
              <li key={d.id} className="card">
                <div className="row between">
                  <strong>{tx(`aftersales.type.${d.request.type}`, d.request.type)} · <Money fen={d.request.amount_minor} /></strong>
                  <StatusBadge status={d.status} kind="generic" />
                </div>
                <p className="small">{tx(`aftersales.reason.${d.request.reason}`, d.request.reason)} · {t('c.disputes.opened', { d: dateTime(d.opened_at) })}</p>
                <p className="small"><strong>{t('c.disputes.buyer')}</strong> {d.buyer_statement}</p>
                {d.request.merchant_reason && <p className="small"><strong>{t('c.disputes.merchant')}</strong> {d.request.merchant_reason}</p>}
                {d.status === 'open' ? (
                  <div className="actions wrap">
                    <label className="sr-only" htmlFor={`dr-${d.id}`}>{t('c.disputes.reason')}</label>
                    <input id={`dr-${d.id}`} placeholder={t('c.disputes.reason')} value={f.reason} onChange={(e) => set('reason', e.target.value)} />
                    <label className="sr-only" htmlFor={`da-${d.id}`}>{t('c.disputes.amount')}</label>
                    <input id={`da-${d.id}`} inputMode="decimal" size={8} placeholder={t('c.disputes.amount')} value={f.amount} onChange={(e) => set('amount', e.target.value)} />
                    <button type="button" className="btn primary small" disabled={!f.reason.trim()} onClick={() => void decide(d, 'buyer')}>{t('c.disputes.forBuyer')}</button>
                    <button type="button" className="btn small" disabled={!f.reason.trim()} onClick={() => void decide(d, 'merchant')}>{t('c.disputes.forMerchant')}</button>
                  </div>
                ) : (
                  <p className="small">{tx(`c.disputes.decision.${d.decision}`, d.decision ?? '')} · {d.decision_reason}</p>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}
