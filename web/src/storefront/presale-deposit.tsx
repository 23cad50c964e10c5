import { useEffect, useRef, useState } from 'react';
import { idempotencyKey } from '../lib/api.ts';
import { specText } from '../lib/format.ts';
import { useI18n } from '../lib/i18n.tsx';
import { Link, navigate, useLocation } from '../lib/router.tsx';
import type { Address, Page } from '../lib/types.ts';
import { useAsync } from '../lib/use-async.ts';
import { Money, Thumb } from '../ui/bits.tsx';
import { Empty, ErrorView, Loading, Notice, useErrorText } from '../ui/states.tsx';
import { AddressForm } from './address-form.tsx';
import { api } from './api.ts';
import { productById } from './lookup.ts';
import { headline, Rules, Terms } from './presale-bits.tsx';
import { campaignOffers, type PresaleOrder } from './presale-data.ts';
import { channelOf } from './product.tsx';

function AddressPicker({ value, onChange }: { value: string | null; onChange: (id: string) => void }) {
  const { t } = useI18n();
  const addresses = useAsync((s) => api.get<Page<Address>>('/me/addresses', { limit: 50 }, s), []);
  const [adding, setAdding] = useState(false);
  const items = addresses.data?.items ?? [];
  useEffect(() => {
    if (value === null && items.length) onChange((items.find((a) => a.is_default) ?? items[0]).id);
  }, [addresses.data, value]);
  if (addresses.error) return <ErrorView error={addresses.error} retry={addresses.reload} />;
  if (!addresses.data) return <Loading />;
  return (
    <>
      {items.length > 0 && (
        <fieldset className="radio-list">
          <legend className="sr-only">{t('checkout.address')}</legend>
          {items.map((a) => (
            <label key={a.id} className="radio-card">
              <input type="radio" name="address" value={a.id} checked={value === a.id} onChange={() => onChange(a.id)} />
              <span><strong>{a.recipient}</strong> {a.phone}<span className="small muted block">{a.province}{a.city}{a.district} {a.detail}</span></span>
            </label>
          ))}
        </fieldset>
      )}
      {adding || items.length === 0 ? (
        <AddressForm onSaved={(a) => { setAdding(false); onChange(a.id); addresses.reload(); }} onCancel={items.length ? () => setAdding(false) : undefined} />
      ) : (
        <button type="button" className="btn small" onClick={() => setAdding(true)}>{t('address.new')}</button>
      )}
    </>
  );
}

/**
 * 付定金: the offer's terms and rules in full, quantity (up to the limit), address, and the
 * buyer's explicit agreement to the forfeit rule; then the deposit order is placed and its
 * deposit paid at the cashier like any checkout.
 */
export default function PresaleDepositPage() {
  const { t } = useI18n();
  const errText = useErrorText();
  const { query } = useLocation();
  const campaignId = query.get('camp') ?? '';
  const offerId = query.get('offer') ?? '';
  const data = useAsync(async () => {
    const offer = (await campaignOffers(campaignId, true)).find((o) => o.id === offerId) ?? null;
    return { offer, product: offer ? await productById(offer.product_id) : null };
  }, [campaignId, offerId]);
  const [qty, setQty] = useState(1);
  const [addressId, setAddressId] = useState<string | null>(null);
  const [agreed, setAgreed] = useState(false);
  const [placing, setPlacing] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const keyRef = useRef<{ body: string; key: string } | null>(null);

  if (data.error) return <ErrorView error={data.error} retry={data.reload} />;
  if (!data.data) return <Loading />;
  const { offer, product } = data.data;
  if (!offer) return <Empty action={<Link className="btn" to={campaignId ? `/campaigns/${campaignId}` : '/'}>{t('nav.home')}</Link>}>{t('presale.gone')}</Empty>;
  const sku = product?.skus.find((s) => s.id === offer.sku_id);
  const max = Math.max(1, Math.min(offer.per_buyer_limit, offer.stock - offer.taken));

  const place = async () => {
    if (!addressId || !agreed) return;
    setPlacing(true);
    setError(null);
    const body = { offer_id: offer.id, quantity: qty, address_id: addressId, attribution: { channel: channelOf(query.get('ch') ?? 'feed'), campaign_id: offer.campaign_id } };
    const json = JSON.stringify(body);
    if (!keyRef.current || keyRef.current.body !== json) keyRef.current = { body: json, key: idempotencyKey() };
    try {
      const p = await api.post<PresaleOrder>('/presale-orders', body, { idempotent: keyRef.current.key });
      navigate(`/pay/${p.deposit_checkout_id}?next=${encodeURIComponent(`/presale/${p.order_id}`)}`, { replace: true });
    } catch (e) {
      setError(e);
      data.reload();
    } finally {
      setPlacing(false);
    }
  };

  return (
    <>
      <h1 className="page-title">{t('presale.confirmTitle')}</h1>
      <section className="card" aria-labelledby="h-ps-item">
        <h2 id="h-ps-item" className="sr-only">{t('checkout.items')}</h2>
        <div className="line">
          <Thumb src={product?.images[0]} title={offer.title} size="sm" />
          <div className="grow">
            <span className="clamp2">{offer.title}</span>
            {sku && <span className="muted small">{specText(sku.spec)}</span>}
            <p className="presale-headline">{headline(t, offer)}</p>
          </div>
        </div>
        <div className="qty-row">
          <span id="ps-qty">{t('product.qty')}</span>
          <div className="stepper" role="group" aria-labelledby="ps-qty">
            <button type="button" onClick={() => setQty((q) => Math.max(1, q - 1))} aria-label={t('qty.less')} disabled={qty <= 1}>−</button>
            <output aria-live="polite">{qty}</output>
            <button type="button" onClick={() => setQty((q) => Math.min(max, q + 1))} aria-label={t('qty.more')} disabled={qty >= max}>+</button>
          </div>
          <span className="muted small">{t('presale.limit', { n: offer.per_buyer_limit })}</span>
        </div>
      </section>

      <section className="card" aria-labelledby="h-ps-terms">
        <h2 id="h-ps-terms">{t('presale.rules')}</h2>
        <Terms o={offer} quantity={qty} />
        <p className="muted small">{t('presale.balanceNote')}</p>
        <Rules rules={offer.rules} open />
      </section>

      <section className="card" aria-labelledby="h-ps-addr">
        <h2 id="h-ps-addr">{t('checkout.address')}</h2>
        <AddressPicker value={addressId} onChange={setAddressId} />
      </section>

      <section className="card" aria-labelledby="h-ps-pay">
        <h2 id="h-ps-pay" className="sr-only">{t('presale.depositTotal')}</h2>
        <dl className="breakdown compact">
          <div className="total"><dt>{t('presale.depositTotal')}</dt><dd><Money fen={offer.deposit_minor * qty} /></dd></div>
          <div><dt>{t('presale.balanceLater')}</dt><dd><Money fen={(offer.price_minor - offer.deposit_value_minor) * qty} /></dd></div>
        </dl>
        <label className="inline agree">
          <input type="checkbox" checked={agreed} onChange={(e) => setAgreed(e.target.checked)} /> {t('presale.agree')}
        </label>
        {error !== null && <Notice kind="error">{errText(error)}</Notice>}
        {!addressId && <p className="muted small">{t('checkout.needAddress')}</p>}
        {addressId && !agreed && <p className="muted small">{t('presale.mustAgree')}</p>}
        <button type="button" className="btn primary block" disabled={!addressId || !agreed || placing} onClick={() => void place()}>
          {placing ? t('presale.placing') : <>{t('presale.payDeposit')} <Money fen={offer.deposit_minor * qty} /></>}
        </button>
      </section>
    </>
  );
}
