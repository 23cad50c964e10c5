import { useEffect, useRef, useState } from 'react';
import { idempotencyKey } from '../lib/api.ts';
import { dateOnly, specText } from '../lib/format.ts';
import { useI18n } from '../lib/i18n.tsx';
import { navigate, useLocation } from '../lib/router.tsx';
import type { Address, CartItem, Coupon, Page, Pricing, Product } from '../lib/types.ts';
import { useAsync } from '../lib/use-async.ts';
import { Money, Thumb } from '../ui/bits.tsx';
import { ErrorView, Loading, Notice, useErrorText } from '../ui/states.tsx';
import { AddressForm } from './address-form.tsx';
import { api } from './api.ts';
import { Breakdown } from './breakdown.tsx';
import { productById, storeNames } from './lookup.ts';
import { channelOf } from './product.tsx';

interface Want { sku_id: string; product_id: string; store_id: string; quantity: number }

export function CheckoutPage() {
  const { t, lang } = useI18n();
  const errText = useErrorText();
  const { query } = useLocation();
  const cartIds = (query.get('cart') ?? '').split(',').filter(Boolean);
  const sku = query.get('sku');
  const qty = Math.max(1, Number(query.get('qty') ?? 1) || 1);
  const channel = channelOf(query.get('ch'));
  const attribution = { channel, ...(query.get('cid') ? { content_id: query.get('cid') } : {}), ...(query.get('crid') ? { creator_id: query.get('crid') } : {}), ...(query.get('camp') ? { campaign_id: query.get('camp') } : {}) };

  // What is being bought: cart lines, or one SKU bought now.
  const wants = useAsync(async (s): Promise<{ lines: (Want & { product: Product | null })[]; names: Map<string, string> }> => {
    let lines: Want[] = [];
    if (cartIds.length) {
      const { items } = await api.get<{ items: CartItem[] }>('/me/cart', undefined, s);
      lines = items.filter((i) => cartIds.includes(i.id));
    }
    const withProducts = await Promise.all(lines.map(async (l) => ({ ...l, product: await productById(l.product_id) })));
    return { lines: withProducts, names: await storeNames(lines.map((l) => l.store_id)) };
  }, [query.get('cart')]);
  // buy-now: find the SKU's product through the preview's explanation, then load it
  const buyNowProduct = useAsync(async (s) => {
    if (!sku) return null;
    const p = await api.post<Pricing & { explanation: { lines: { product_id: string; store_id: string }[] } }>('/checkout/preview', { items: [{ sku_id: sku, quantity: qty }] }, { signal: s });
    const line = p.explanation.lines[0];
    return { product: await productById(line.product_id), store_id: line.store_id, names: await storeNames([line.store_id]) };
  }, [sku, qty]);

  const addresses = useAsync((s) => api.get<Page<Address>>('/me/addresses', { limit: 50 }, s), []);
  const coupons = useAsync((s) => api.get<Page<Coupon>>('/me/coupons', { state: 'usable', limit: 50 }, s), []);
  const [addressId, setAddressId] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [auto, setAuto] = useState(true);
  const [chosen, setChosen] = useState<string[]>([]);
  const [placing, setPlacing] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const keyRef = useRef<{ body: string; key: string } | null>(null);

  useEffect(() => {
    if (addressId === null && addresses.data?.items.length) setAddressId((addresses.data.items.find((a) => a.is_default) ?? addresses.data.items[0]).id);
  }, [addresses.data, addressId]);

  const source = cartIds.length ? { cart_item_ids: cartIds } : sku ? { items: [{ sku_id: sku, quantity: qty, attribution }] } : null;
  const preview = useAsync(
    (s) => (source ? api.post<Pricing>('/checkout/preview', { ...source, ...(addressId ? { address_id: addressId } : {}), ...(auto ? { auto_coupons: true } : { coupon_ids: chosen }) }, { signal: s }) : Promise.resolve(null)),
    [JSON.stringify(source), addressId, auto, chosen.join(',')],
  );
  useEffect(() => {
    if (auto && preview.data) setChosen(preview.data.coupon_ids);
  }, [auto, preview.data]);

  if (!source) return <ErrorView error={new Error(t('checkout.nothing'))} />;
  if (addresses.error) return <ErrorView error={addresses.error} retry={addresses.reload} />;

  const place = async () => {
    if (!preview.data || !addressId) return;
    setPlacing(true);
    setError(null);
    const body = { ...source, address_id: addressId, coupon_ids: preview.data.coupon_ids, expected_total_minor: preview.data.total_minor };
    const json = JSON.stringify(body);
    // a retried tap reuses its key (the server replays the first answer); a changed order gets a new one
    if (!keyRef.current || keyRef.current.body !== json) keyRef.current = { body: json, key: idempotencyKey() };
    try {
      const res = await api.post<{ checkout_id: string }>('/checkouts', body, { idempotent: keyRef.current.key });
      navigate(`/pay/${res.checkout_id}`, { replace: true });
    } catch (e) {
      setError(e);
      preview.reload();
    } finally {
      setPlacing(false);
    }
  };

  const lines = cartIds.length
    ? (wants.data?.lines ?? []).map((l) => ({ key: l.sku_id, product: l.product, sku_id: l.sku_id, quantity: l.quantity }))
    : buyNowProduct.data ? [{ key: sku!, product: buyNowProduct.data.product, sku_id: sku!, quantity: qty }] : [];
  const usable = coupons.data?.items ?? [];

  return (
    <>
      <h1 className="page-title">{t('checkout.title')}</h1>
      <section className="card" aria-labelledby="h-addr">
        <h2 id="h-addr">{t('checkout.address')}</h2>
        {!addresses.data ? <Loading /> : (
          <>
            {addresses.data.items.length > 0 && (
              <fieldset className="radio-list">
                <legend className="sr-only">{t('checkout.address')}</legend>
                {addresses.data.items.map((a) => (
                  <label key={a.id} className="radio-card">
                    <input type="radio" name="address" value={a.id} checked={addressId === a.id} onChange={() => setAddressId(a.id)} />
                    <span>
                      <strong>{a.recipient}</strong> {a.phone}
                      <span className="small muted block">{a.province}{a.city}{a.district} {a.detail}</span>
                    </span>
                  </label>
                ))}
              </fieldset>
            )}
            {adding || addresses.data.items.length === 0 ? (
              <AddressForm onSaved={(a) => { setAdding(false); setAddressId(a.id); addresses.reload(); }} onCancel={addresses.data.items.length ? () => setAdding(false) : undefined} />
            ) : (
              <button type="button" className="btn small" onClick={() => setAdding(true)}>{t('address.new')}</button>
            )}
          </>
        )}
      </section>

      <section className="card" aria-labelledby="h-items">
        <h2 id="h-items">{t('checkout.items')}</h2>
        {lines.length === 0 && (wants.loading || buyNowProduct.loading) ? <Loading /> : (
          <ul className="lines">
            {lines.map((l) => {
              const s = l.product?.skus.find((x) => x.id === l.sku_id);
              return (
                <li key={l.key} className="line">
                  <Thumb src={l.product?.images[0]} title={l.product?.title ?? '?'} size="sm" />
                  <div className="grow">
                    <span className="clamp2">{l.product?.title}</span>
                    {s && <span className="muted small">{specText(s.spec)}</span>}
                    <div className="line-foot">{s && <Money fen={s.price_minor} />}<span>×{l.quantity}</span></div>
                  </div>
                </li>
              );
            })}
          </ul>
        )}
      </section>

      <section className="card" aria-labelledby="h-coupons">
        <h2 id="h-coupons">{t('checkout.coupons')}</h2>
        <label className="inline">
          <input type="checkbox" checked={auto} onChange={(e) => setAuto(e.target.checked)} /> {t('checkout.autoCoupons')}
        </label>
        {usable.length === 0 ? <p className="muted small">{t('checkout.noCoupons')}</p> : (
          <ul className="coupon-list">
            {usable.map((c) => (
              <li key={c.id}>
                <label className="inline">
                  <input type="checkbox" disabled={auto} checked={chosen.includes(c.id)} onChange={(e) => setChosen((x) => (e.target.checked ? [...x, c.id] : x.filter((y) => y !== c.id)))} />
                  <strong>{c.label_zh}</strong> <span className="small">{c.name}</span>
                  {c.valid_to && <span className="small muted"> · {t('coupons.until', { d: dateOnly(c.valid_to) })}</span>}
                </label>
              </li>
            ))}
          </ul>
        )}
        {preview.data?.explanation.not_applied?.length ? (
          <ul className="small muted">
            {preview.data.explanation.not_applied.map((n, i) => <li key={i}>{lang === 'zh' ? n.message_zh ?? n.message : n.message}</li>)}
          </ul>
        ) : null}
      </section>

      <section className="card" aria-labelledby="h-sum">
        <h2 id="h-sum">{t('price.breakdown')}</h2>
        {preview.error ? <Notice kind="error">{errText(preview.error)}</Notice> : !preview.data ? <Loading /> : <Breakdown pricing={preview.data} />}
        {error !== null && <Notice kind="error">{errText(error)}</Notice>}
        {!addressId && <p className="muted small">{t('checkout.needAddress')}</p>}
        <button type="button" className="btn primary block" disabled={!preview.data || !addressId || placing} onClick={() => void place()}>
          {placing ? t('checkout.placing') : <>{t('checkout.place')} {preview.data && <Money fen={preview.data.total_minor} />}</>}
        </button>
      </section>
    </>
  );
}
