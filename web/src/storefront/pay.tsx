import { useEffect, useState } from 'react';
import { dateTime } from '../lib/format.ts';
import { useI18n } from '../lib/i18n.tsx';
import { Link, useLocation } from '../lib/router.tsx';
import type { Payment } from '../lib/types.ts';
import { useAsync } from '../lib/use-async.ts';
import { Money } from '../ui/bits.tsx';
import { ErrorView, Loading } from '../ui/states.tsx';
import { api } from './api.ts';

/**
 * Paying a checkout: the provider's cashier (the bundled WeChat Pay sandbox opens as a page;
 * real WeChat Pay shows code_url as a QR code) in another tab, while this page asks the
 * server until the payment is confirmed. `?next=/presale/…` says where to go afterwards (a
 * pre-sale's deposit and balance are checkouts paid here too); only paths of this site.
 */
export function PayPage({ checkoutId }: { checkoutId: string }) {
  const { t } = useI18n();
  const next = useLocation().query.get('next');
  const back = next && /^\/(?![/\\])/.test(next) ? next : '/orders';
  const started = useAsync((s) => api.post<Payment>(`/checkouts/${checkoutId}/pay`, {}, { signal: s }), [checkoutId]);
  const [state, setState] = useState<{ checkout_status: string; payment: Payment | null } | null>(null);
  useEffect(() => {
    if (!started.data) return;
    let stop = false;
    let timer: ReturnType<typeof setTimeout>;
    const poll = async () => {
      try {
        const r = await api.get<{ checkout_status: string; payment: Payment | null }>(`/checkouts/${checkoutId}/payment`, { refresh: true });
        if (stop) return;
        setState(r);
        if (r.checkout_status !== 'paid' && r.payment?.status !== 'closed') timer = setTimeout(() => void poll(), 1500);
      } catch {
        if (!stop) timer = setTimeout(() => void poll(), 3000);
      }
    };
    void poll();
    return () => {
      stop = true;
      clearTimeout(timer);
    };
  }, [started.data, checkoutId]);

  if (started.error) return <ErrorView error={started.error} retry={started.reload} />;
  if (!started.data) return <Loading />;
  const p = state?.payment ?? started.data;
  const paid = state?.checkout_status === 'paid' || p.status === 'paid';
  const closed = !paid && (p.status === 'closed' || state?.checkout_status === 'cancelled');
  return (
    <section className="card pay" aria-labelledby="h-pay">
      <h1 id="h-pay">{paid ? t('pay.paid') : closed ? t('pay.closed') : t('pay.title')}</h1>
      <p className="amount"><Money fen={p.amount_minor} /></p>
      <div aria-live="polite">
        {paid ? (
          <>
            <p className="notice ok" data-testid="paid">{t('pay.paidAt', { d: dateTime(p.paid_at) })}</p>
            <Link className="btn primary block" to={back}>{t('pay.toOrders')}</Link>
          </>
        ) : closed ? (
          <Link className="btn block" to={back}>{t('pay.toOrders')}</Link>
        ) : (
          <>
            <p className="muted small">{t('pay.payBy', { d: dateTime(p.expires_at) })}</p>
            {p.pay_page_url ? (
              <a className="btn primary block" href={p.pay_page_url} target="_blank" rel="noopener">{t('pay.open')}</a>
            ) : p.code_url ? (
              <p className="small">{t('pay.scan')} <code className="break">{p.code_url}</code></p>
            ) : null}
            <p className="muted small"><span className="spinner" aria-hidden="true" /> {t('pay.waiting')}</p>
          </>
        )}
      </div>
    </section>
  );
}
