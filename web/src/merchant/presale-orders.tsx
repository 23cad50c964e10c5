import { useEffect, useRef, useState } from 'react';
import { dateTime, yuan } from '../lib/format.ts';
import { useI18n } from '../lib/i18n.tsx';
import type { Page } from '../lib/types.ts';
import { useAsync } from '../lib/use-async.ts';
import { Money } from '../ui/bits.tsx';
import { Empty, ErrorView, Loading, Notice } from '../ui/states.tsx';
import { api } from './api.ts';
import { ErrorNotice, useAction } from './bits.tsx';
import type { PresaleOffer, PresaleOrder } from './types.ts';

const CANCELLABLE = new Set(['awaiting_deposit', 'deposit_paid']);

/**
 * 预售订单 of one campaign: each order's stage (deposit awaited or paid, balance paid, forfeited,
 * cancelled, refunded), and the merchant's cancel before the balance — which closes the order
 * and refunds a paid deposit in full, so it is confirmed first with that said.
 */
export function PresaleOrders({ storeId, campaignId, offers, canCancel, onCancelled }: { storeId: string; campaignId: string; offers: PresaleOffer[]; canCancel: boolean; onCancelled: () => void }) {
  const { t } = useI18n();
  const first = useAsync((s) => api.get<Page<PresaleOrder>>(`/merchant/stores/${storeId}/campaigns/${campaignId}/presale-orders`, { limit: 20 }, s), [storeId, campaignId]);
  const [more, setMore] = useState<PresaleOrder[]>([]);
  const [next, setNext] = useState<string | null | undefined>(undefined);
  const [done, setDone] = useState<string | null>(null);
  const loadMore = useAction();
  useEffect(() => {
    setMore([]);
    setNext(undefined);
  }, [first.data]);
  const cursor = next === undefined ? first.data?.next_cursor ?? null : next;
  const fetchMore = async () => {
    if (!cursor) return;
    const p = await loadMore.run(() => api.get<Page<PresaleOrder>>(`/merchant/stores/${storeId}/campaigns/${campaignId}/presale-orders`, { limit: 20, cursor }));
    if (p) {
      setMore((m) => [...m, ...p.items]);
      setNext(p.next_cursor);
    }
  };
  const titles = new Map(offers.map((o) => [o.id, o.title]));
  if (first.error) return <ErrorView error={first.error} retry={first.reload} />;
  if (!first.data) return <Loading />;
  const items = [...first.data.items, ...more];
  return (
    <>
      {done && <Notice kind="ok">{done}</Notice>}
      {items.length === 0 ? <Empty>{t('m.ps.noOrders')}</Empty> : (
        <ul className="lines">
          {items.map((o) => (
            <OrderRow key={o.order_id} storeId={storeId} order={o} title={titles.get(o.offer_id) ?? o.sku_id} canCancel={canCancel} onCancelled={(text) => { setDone(text); first.reload(); onCancelled(); }} />
          ))}
        </ul>
      )}
      {cursor && <button type="button" className="btn small" onClick={() => void fetchMore()} disabled={loadMore.busy}>{t('more')}</button>}
      <ErrorNotice error={loadMore.error} />
    </>
  );
}

function OrderRow({ storeId, order: o, title, canCancel, onCancelled }: { storeId: string; order: PresaleOrder; title: string; canCancel: boolean; onCancelled: (text: string) => void }) {
  const { t } = useI18n();
  return (
    <li className="presale-order-row" data-presale-order={o.order_id}>
      <div className="row between">
        <strong className="clamp2">{title}</strong>
        <span className={`badge ps-stage-${o.stage}`}>{t(`m.ps.stage.${o.stage}`)}</span>
      </div>
      <p className="small muted break">{t('m.ps.order')} <code>{o.order_id}</code> · {dateTime(o.created_at)}</p>
      <dl className="facts small">
        <div><dt>{t('m.ps.qty')}</dt><dd>{o.quantity}</dd></div>
        <div><dt>{t('m.ps.depositTotal')}</dt><dd><Money fen={o.deposit_total_minor} /></dd></div>
        {o.deposit_value_total_minor > o.deposit_total_minor && <div><dt>{t('presale.counts')}</dt><dd><Money fen={o.deposit_value_total_minor} /></dd></div>}
        <div><dt>{o.balance_minor !== null ? t('m.ps.balancePaid') : t('m.ps.balanceGoods')}</dt><dd><Money fen={o.balance_minor ?? o.balance_goods_minor} /></dd></div>
      </dl>
      {o.stage === 'awaiting_deposit' && <p className="small muted">{t('m.ps.payBy', { d: dateTime(o.deposit_pay_by) })}</p>}
      {o.stage === 'deposit_paid' && <p className="small muted">{t('presale.windowRange', { from: dateTime(o.balance_from), to: dateTime(o.balance_to) })}</p>}
      {canCancel && CANCELLABLE.has(o.stage) && <CancelOrder storeId={storeId} order={o} title={title} onCancelled={onCancelled} />}
    </li>
  );
}

function CancelOrder({ storeId, order, title, onCancelled }: { storeId: string; order: PresaleOrder; title: string; onCancelled: (text: string) => void }) {
  const { t } = useI18n();
  const [asking, setAsking] = useState(false);
  const a = useAction();
  const confirm = useRef<HTMLButtonElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) confirm.current?.focus();
  }, [asking]);
  const paid = order.stage === 'deposit_paid';
  const id = `cancel-${order.order_id}`;
  const close = () => {
    setAsking(false);
    a.clear();
    requestAnimationFrame(() => opener.current?.focus());
  };
  const cancel = async () => {
    const r = await a.run(() => api.post<PresaleOrder>(`/merchant/stores/${storeId}/presale-orders/${order.order_id}/cancel`, {}));
    if (r) onCancelled(paid ? t('m.ps.cancelled', { d: yuan(order.deposit_total_minor) }) : t('m.ps.cancelledUnpaid'));
  };
  if (!asking) {
    return <button ref={opener} type="button" className="btn small danger" onClick={() => setAsking(true)} aria-label={`${t('m.ps.cancel')} ${title}`}>{t('m.ps.cancel')}</button>;
  }
  return (
    <div className="confirm-box" role="group" aria-labelledby={`${id}-q`} aria-describedby={`${id}-d`} onKeyDown={(e) => e.key === 'Escape' && close()}>
      <p id={`${id}-q`}><strong>{t('m.ps.cancelTitle')}</strong></p>
      <p id={`${id}-d`} className="small break">{paid ? t('m.ps.cancelPaid', { d: yuan(order.deposit_total_minor) }) : t('m.ps.cancelUnpaid')}</p>
      <ErrorNotice error={a.error} />
      <div className="actions wrap">
        <button ref={confirm} type="button" className="btn small danger" onClick={() => void cancel()} disabled={a.busy}>{paid ? t('m.ps.cancelConfirm') : t('m.ps.cancelConfirmUnpaid')}</button>
        <button type="button" className="btn small" onClick={close} disabled={a.busy}>{t('m.ps.keep')}</button>
      </div>
    </div>
  );
}
