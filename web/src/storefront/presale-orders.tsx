import { useRef, useState } from 'react';
import { ApiError, idempotencyKey } from '../lib/api.ts';
import { dateTime } from '../lib/format.ts';
import { useI18n } from '../lib/i18n.tsx';
import { Link, navigate } from '../lib/router.tsx';
import type { OrderDetail, Pricing } from '../lib/types.ts';
import { useAsync } from '../lib/use-async.ts';
import { Money, StatusBadge, Thumb } from '../ui/bits.tsx';
import { Empty, ErrorView, Loading, Notice, useErrorText } from '../ui/states.tsx';
import { api } from './api.ts';
import { Breakdown } from './breakdown.tsx';
import { productById, storeNames } from './lookup.ts';
import { Countdown, headline, Rules, Terms, useServerNow, ViewBadge } from './presale-bits.tsx';
import { viewOf, type PresaleView } from './presale-view.ts';
import { campaignOffers, type PresaleOrder } from './presale-data.ts';

interface Item { p: PresaleOrder; title: string; image: string | null; store: string }
interface Preview { balance_minor: number; coupon_ids: string[]; pricing: { explanation: Pricing['explanation'] } }

/** Titles and pictures: from the campaign's offers (one request per campaign), else the order itself. */
async function enrich(list: PresaleOrder[]): Promise<Item[]> {
  const campaigns = [...new Set(list.map((p) => p.campaign_id))];
  const offers = new Map((await Promise.all(campaigns.map((c) => campaignOffers(c).catch(() => [])))).flat().map((o) => [o.id, o]));
  const names = await storeNames(list.map((p) => p.store_id));
  return Promise.all(list.map(async (p) => {
    const o = offers.get(p.offer_id);
    if (o) return { p, title: o.title, image: (await productById(o.product_id))?.images[0] ?? null, store: names.get(p.store_id) ?? '' };
    const line = (await api.get<OrderDetail>(`/me/orders/${p.order_id}`).catch(() => null))?.lines[0];
    return { p, title: line?.title ?? p.order_id, image: line?.image ?? null, store: names.get(p.store_id) ?? '' };
  }));
}

const payLink = (checkoutId: string, orderId: string) => `/pay/${checkoutId}?next=${encodeURIComponent(`/presale/${orderId}`)}`;

/** The balance now (满减 and the best coupons applied by the preview API) and 付尾款. */
function BalanceDue({ p, now, full }: { p: PresaleOrder; now: number; full?: boolean }) {
  const { t } = useI18n();
  const errText = useErrorText();
  const preview = useAsync((s) => api.post<Preview>(`/presale-orders/${p.order_id}/balance/preview`, { auto_coupons: true }, { signal: s }), [p.order_id]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const keyRef = useRef<{ body: string; key: string } | null>(null);
  const pay = async () => {
    if (!preview.data) return;
    setBusy(true);
    setError(null);
    const body = { coupon_ids: preview.data.coupon_ids, expected_balance_minor: preview.data.balance_minor };
    const json = JSON.stringify(body);
    if (!keyRef.current || keyRef.current.body !== json) keyRef.current = { body: json, key: idempotencyKey() };
    try {
      const r = await api.post<{ presale: PresaleOrder }>(`/presale-orders/${p.order_id}/balance/pay`, body, { idempotent: keyRef.current.key });
      navigate(payLink(r.presale.balance_checkout_id!, p.order_id));
    } catch (e) {
      setError(e);
      preview.reload();
    } finally {
      setBusy(false);
    }
  };
  const open = error instanceof ApiError && error.code === 'balance_payment_open' ? (error.details as { checkout_id?: string } | null)?.checkout_id : undefined;
  return (
    <div className="balance-due">
      <p className="small">{t('presale.balanceBy', { d: dateTime(p.balance_to) })}</p>
      <Countdown to={p.balance_to} now={now} label={t('presale.endsIn')} />
      {preview.error ? <Notice kind="error">{errText(preview.error)}</Notice> : !preview.data ? <Loading /> : full ? (
        <>
          <h3 className="small">{t('presale.balanceBreakdown')}</h3>
          <Breakdown pricing={{ total_minor: preview.data.balance_minor, explanation: preview.data.pricing.explanation, stores: [], lines: [], coupon_ids: preview.data.coupon_ids }} compact />
        </>
      ) : (
        <p className="row between"><span>{t('presale.balanceDue')}</span><Money fen={preview.data.balance_minor} className="price" /></p>
      )}
      {error !== null && <Notice kind="error">{errText(error)} {open && <Link to={payLink(open, p.order_id)}>{t('presale.continuePay')}</Link>}</Notice>}
      <button type="button" className="btn primary block" disabled={!preview.data || busy} onClick={() => void pay()}>
        {busy ? t('presale.paying') : <>{t('presale.payBalance')} {preview.data && <Money fen={preview.data.balance_minor} />}</>}
      </button>
    </div>
  );
}

/** What a stage asks of the buyer or tells them. */
function StageBody({ p, view, now, full }: { p: PresaleOrder; view: PresaleView; now: number; full?: boolean }) {
  const { t } = useI18n();
  const deposit = <Money fen={p.deposit_total_minor} />;
  switch (view) {
    case 'awaiting_deposit':
      return (
        <>
          <p className="small">{t('presale.payBy', { d: dateTime(p.deposit_pay_by) })}</p>
          <Countdown to={p.deposit_pay_by} now={now} label={t('presale.payIn')} />
          <Link className="btn primary block" to={payLink(p.deposit_checkout_id, p.order_id)}>{t('presale.payDeposit')} {deposit}</Link>
        </>
      );
    case 'waiting_balance':
      return (
        <>
          <p className="small">{t('presale.depositPaid')} {deposit}{p.deposit_value_minor > p.deposit_minor && <> · {t('presale.counts')} <Money fen={p.deposit_value_total_minor} /></>}</p>
          <p className="small">{t('presale.balanceFrom', { d: dateTime(p.balance_from) })}</p>
          <Countdown to={p.balance_from} now={now} label={t('presale.opensIn')} />
        </>
      );
    case 'balance_due':
      return <BalanceDue p={p} now={now} full={full} />;
    case 'balance_paid':
      return (
        <div className="row between small">
          <span>{t('presale.totalPaid')} <Money fen={p.deposit_total_minor + (p.balance_minor ?? 0)} className="price" /></span>
          <Link to={`/orders/${p.order_id}`} className="row"><StatusBadge status={p.order_status} /> {t('presale.toOrder')}</Link>
        </div>
      );
    case 'balance_late':
      return <Notice kind="error">{t('presale.lateNote')}</Notice>;
    case 'forfeited':
      return <Notice kind="error">{t('presale.forfeitedNote')}</Notice>;
    case 'refunded':
      return <Notice kind="info">{t('presale.refundedNote')} {deposit}</Notice>;
    default:
      return <p className="muted small">{t('presale.cancelledNote')}</p>;
  }
}

function PresaleCard({ item, now, full }: { item: Item; now: number; full?: boolean }) {
  const { t } = useI18n();
  const { p } = item;
  const view = viewOf(p, now);
  return (
    <article className="card presale-order" data-presale={p.order_id} aria-labelledby={`ps-${p.order_id}`}>
      <div className="row between">
        <strong className="clamp1">{item.store}</strong>
        <ViewBadge view={view} />
      </div>
      <div className="line">
        <Thumb src={item.image} title={item.title} size="sm" />
        <div className="grow">
          {full ? <span id={`ps-${p.order_id}`} className="clamp2">{item.title}</span> : <Link id={`ps-${p.order_id}`} to={`/presale/${p.order_id}`} className="clamp2">{item.title}</Link>}
          <span className="muted small">{headline(t, p)} · ×{p.quantity}</span>
        </div>
      </div>
      <StageBody p={p} view={view} now={now} full={full} />
    </article>
  );
}

/** 我的预售: every pre-sale order with its stage, newest first. */
export function PresaleOrdersPage() {
  const { t } = useI18n();
  const now = useServerNow();
  const list = useAsync(async (s) => enrich((await api.get<{ items: PresaleOrder[] }>('/presale-orders', undefined, s)).items), []);
  return (
    <>
      <h1 className="page-title">{t('presale.mine')}</h1>
      <nav className="tabs" aria-label={t('orders.filter')}>
        <Link to="/orders">{t('orders.title')}</Link>
        <Link to="/presale" className="on" aria-current="page">{t('presale.mine')}</Link>
      </nav>
      {list.error ? <ErrorView error={list.error} retry={list.reload} /> : !list.data || now === null ? <Loading /> : list.data.length === 0 ? (
        <Empty action={<Link className="btn" to="/">{t('cart.shop')}</Link>}>{t('presale.none')}</Empty>
      ) : (
        <ul className="orders">
          {list.data.map((item) => <li key={item.p.order_id}><PresaleCard item={item} now={now} /></li>)}
        </ul>
      )}
    </>
  );
}

/** One pre-sale order: progress, the stage's action (the balance with its breakdown), terms and rules. */
export function PresaleOrderPage({ id }: { id: string }) {
  const { t } = useI18n();
  const now = useServerNow();
  const one = useAsync(async (s) => (await enrich([await api.get<PresaleOrder>(`/presale-orders/${id}`, undefined, s)]))[0], [id]);
  if (one.error) return <ErrorView error={one.error} retry={one.reload} />;
  if (!one.data || now === null) return <Loading />;
  const { p } = one.data;
  const view = viewOf(p, now);
  const shipped = ['shipped', 'partially_shipped', 'received', 'completed'].includes(p.order_status);
  const step = (done: boolean, current: boolean) => (done ? 'done' : current ? 'current' : '');
  const closed = view === 'cancelled' || view === 'forfeited' || view === 'refunded';
  return (
    <>
      <h1 className="page-title">{t('presale.detail')}</h1>
      <ol className="steps" aria-label={t('presale.steps')}>
        <li className={step(!closed && view !== 'awaiting_deposit', view === 'awaiting_deposit')}><span className="step-no">1</span><span className="step-label">{t('presale.step.deposit')}</span></li>
        <li className={step(view === 'balance_paid', view === 'waiting_balance' || view === 'balance_due')}><span className="step-no">2</span><span className="step-label">{t('presale.step.balance')}</span></li>
        <li className={step(shipped, view === 'balance_paid' && !shipped)}><span className="step-no">3</span><span className="step-label">{t('presale.step.ship')}</span></li>
      </ol>
      <PresaleCard item={one.data} now={now} full />
      <section className="card" aria-labelledby="h-ps-rules">
        <h2 id="h-ps-rules">{t('presale.rules')}</h2>
        <Terms o={p} quantity={p.quantity} />
        <Rules rules={p.rules} open />
        <p className="small"><Link to={`/orders/${p.order_id}`}>{t('presale.toOrder')}</Link> · <Link to="/presale">{t('presale.mine')}</Link></p>
      </section>
    </>
  );
}
