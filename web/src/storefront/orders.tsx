import { useState } from 'react';
import { dateTime, specText } from '../lib/format.ts';
import { useI18n } from '../lib/i18n.tsx';
import { Link, navigate, useLocation } from '../lib/router.tsx';
import type { OrderDetail, Order, Page, Shipment } from '../lib/types.ts';
import { useAsync } from '../lib/use-async.ts';
import { Money, StatusBadge, Thumb } from '../ui/bits.tsx';
import { Empty, ErrorView, Loading, Notice, useErrorText } from '../ui/states.tsx';
import { api } from './api.ts';
import { storeNames } from './lookup.ts';

const TABS = ['', 'unpaid', 'paid', 'shipped', 'completed'] as const;

export function OrdersPage() {
  const { t } = useI18n();
  const { query } = useLocation();
  const status = query.get('status') ?? '';
  const [more, setMore] = useState<Order[]>([]);
  const list = useAsync(async (s) => {
    setMore([]);
    setCursor(undefined);
    const page = await api.get<Page<Order>>('/me/orders', { status: status || undefined, limit: 20 }, s);
    return { page, names: await storeNames(page.items.map((o) => o.store_id)) };
  }, [status]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const next = cursor === undefined ? list.data?.page.next_cursor : cursor;
  const loadMore = async () => {
    const page = await api.get<Page<Order>>('/me/orders', { status: status || undefined, limit: 20, cursor: next! });
    setMore((m) => [...m, ...page.items]);
    setCursor(page.next_cursor);
  };
  const orders = [...(list.data?.page.items ?? []), ...more];
  return (
    <>
      <h1 className="page-title">{t('orders.title')}</h1>
      <nav className="tabs" aria-label={t('orders.filter')}>
        {TABS.map((s) => (
          <Link key={s} to={s ? `/orders?status=${s}` : '/orders'} className={status === s ? 'on' : ''} aria-current={status === s ? 'page' : undefined}>
            {s ? t(`status.${s}`) : t('orders.all')}
          </Link>
        ))}
        <Link to="/presale">{t('presale.mine')}</Link>
        <Link to="/aftersales">{t('aftersales.title')}</Link>
        <Link to="/messages">{t('cs.myMessages')}</Link>
      </nav>
      {list.error ? <ErrorView error={list.error} retry={list.reload} /> : !list.data ? <Loading /> : orders.length === 0 ? (
        <Empty action={<Link className="btn" to="/">{t('cart.shop')}</Link>}>{t('orders.empty')}</Empty>
      ) : (
        <ul className="orders">
          {orders.map((o) => (
            <li key={o.id} className="card order-card">
              <Link to={`/orders/${o.id}`} className="order-link" aria-label={`${t('orders.order')} ${o.id}`}>
                <div className="row between">
                  <strong className="clamp1">{list.data!.names.get(o.store_id) ?? ''}</strong>
                  <StatusBadge status={o.status} />
                </div>
                {o.lines.map((l) => (
                  <div key={l.id} className="line">
                    <Thumb src={l.image} title={l.title} size="sm" />
                    <div className="grow">
                      <span className="clamp2">{l.title}</span>
                      <span className="muted small">{specText(l.spec)} ×{l.quantity}</span>
                    </div>
                  </div>
                ))}
                <div className="row between small">
                  <span className="muted">{dateTime(o.created_at)}</span>
                  <span>{t('orders.paidTotal')} <Money fen={o.total_minor} className="price" /></span>
                </div>
              </Link>
            </li>
          ))}
        </ul>
      )}
      {next && <button type="button" className="btn block" onClick={() => void loadMore()}>{t('more')}</button>}
    </>
  );
}

export function OrderPage({ id }: { id: string }) {
  const { t } = useI18n();
  const errText = useErrorText();
  const order = useAsync((s) => api.get<OrderDetail>(`/me/orders/${id}`, undefined, s), [id]);
  const ships = useAsync((s) => api.get<{ items: Shipment[] }>(`/me/orders/${id}/shipments`, undefined, s), [id]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  if (order.error) return <ErrorView error={order.error} retry={order.reload} />;
  if (!order.data) return <Loading />;
  const o = order.data;
  const act = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      order.reload();
      ships.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const canAftersales = ['paid', 'partially_shipped', 'shipped', 'received', 'completed'].includes(o.status);
  return (
    <>
      <h1 className="page-title">{t('orders.detail')}</h1>
      <section className="card">
        <div className="row between">
          <StatusBadge status={o.status} />
          <span className="muted small">{t('orders.number')} <code>{o.id}</code></span>
        </div>
        <p className="small">
          {o.address.recipient} {o.address.phone}
          <span className="block muted">{o.address.province}{o.address.city}{o.address.district} {o.address.detail}</span>
        </p>
        {error !== null && <Notice kind="error">{errText(error)}</Notice>}
        <div className="actions">
          {o.status === 'unpaid' && (
            <>
              <button type="button" className="btn primary" disabled={busy} onClick={() => navigate(`/pay/${o.checkout_id}`)}>{t('orders.pay')}</button>
              <button type="button" className="btn" disabled={busy} onClick={() => void act(() => api.post(`/me/orders/${o.id}/cancel`, {}))}>{t('orders.cancel')}</button>
            </>
          )}
          {o.kind === 'presale' && <Link className="btn" to={`/presale/${o.id}`}>{t('presale.detail')}</Link>}
          <Link className="btn" to={`/messages/new?order=${o.id}`}>{t('cs.contact')}</Link>
          {(o.status === 'shipped' || o.status === 'partially_shipped') && (
            <button type="button" className="btn primary" disabled={busy} onClick={() => void act(() => api.post(`/me/orders/${o.id}/confirm-receipt`, undefined))}>{t('orders.confirmReceipt')}</button>
          )}
        </div>
      </section>
      <section className="card" aria-labelledby="h-lines">
        <h2 id="h-lines">{t('checkout.items')}</h2>
        <ul className="lines">
          {o.lines.map((l) => (
            <li key={l.id} className="line">
              <Thumb src={l.image} title={l.title} size="sm" />
              <div className="grow">
                <Link to={`/product/${l.product_id}`} className="clamp2">{l.title}</Link>
                <span className="muted small">{specText(l.spec)} ×{l.quantity}</span>
                <div className="line-foot">
                  <span className="small">{t('orders.linePaid')} <Money fen={l.paid_minor} /></span>
                  {l.refunded_minor > 0 && <span className="small">{t('orders.refunded')} <Money fen={l.refunded_minor} /></span>}
                  {canAftersales && l.refunded_minor < l.paid_minor && <Link className="btn small" to={`/orders/${o.id}/aftersales/${l.id}`}>{t('aftersales.request')}</Link>}
                </div>
              </div>
            </li>
          ))}
        </ul>
        <dl className="breakdown compact">
          <div><dt>{t('price.goods')}</dt><dd><Money fen={o.goods_minor} /></dd></div>
          <div><dt>{t('price.discount')}</dt><dd>-<Money fen={o.discount_minor} /></dd></div>
          <div><dt>{t('price.shipping')}</dt><dd><Money fen={o.shipping_minor} /></dd></div>
          <div className="total"><dt>{t('orders.paidTotal')}</dt><dd><Money fen={o.total_minor} /></dd></div>
        </dl>
      </section>
      <section className="card" aria-labelledby="h-track">
        <h2 id="h-track">{t('orders.tracking')}</h2>
        {ships.error ? <ErrorView error={ships.error} retry={ships.reload} /> : !ships.data ? <Loading /> : ships.data.items.length === 0 ? (
          <p className="muted small">{t('orders.noShipments')}</p>
        ) : ships.data.items.map((s) => (
          <div key={s.id} className="shipment">
            <p><strong>{s.carrier_name_zh}</strong> <code>{s.tracking_no}</code> <StatusBadge status={s.status} kind="generic" /></p>
            <ol className="timeline">
              {[...s.events].reverse().map((e, i) => (
                <li key={i}><span>{e.description}{e.location ? ` · ${e.location}` : ''}</span> <time className="muted small" dateTime={e.at}>{dateTime(e.at)}</time></li>
              ))}
            </ol>
          </div>
        ))}
      </section>
      <section className="card" aria-labelledby="h-hist">
        <h2 id="h-hist">{t('orders.history')}</h2>
        <ol className="timeline">
          {[...o.history].reverse().map((h, i) => <li key={i}><StatusBadge status={h.to} /> <time className="muted small" dateTime={h.at}>{dateTime(h.at)}</time></li>)}
        </ol>
      </section>
    </>
  );
}
