import { useState } from 'react';
import { specText } from '../lib/format.ts';
import { useI18n } from '../lib/i18n.tsx';
import { Link, navigate } from '../lib/router.tsx';
import type { CartItem, Pricing, Product } from '../lib/types.ts';
import { useAsync } from '../lib/use-async.ts';
import { Money, Thumb } from '../ui/bits.tsx';
import { Empty, ErrorView, Loading, Notice, useErrorText } from '../ui/states.tsx';
import { api } from './api.ts';
import { Breakdown } from './breakdown.tsx';
import { productById, storeNames } from './lookup.ts';

interface Row { item: CartItem; product: Product | null }

export function CartPage() {
  const { t } = useI18n();
  const errText = useErrorText();
  const cart = useAsync(async (s) => {
    const { items } = await api.get<{ items: CartItem[] }>('/me/cart', undefined, s);
    const rows: Row[] = await Promise.all(items.map(async (item) => ({ item, product: await productById(item.product_id) })));
    return { rows, names: await storeNames(items.map((i) => i.store_id)) };
  }, []);
  const [off, setOff] = useState<Set<string>>(new Set());
  const [error, setError] = useState<unknown>(null);
  const selected = (cart.data?.rows ?? []).filter((r) => !off.has(r.item.id)).map((r) => r.item.id);
  const preview = useAsync((s) => (selected.length ? api.post<Pricing>('/checkout/preview', { cart_item_ids: selected, auto_coupons: true }, { signal: s }) : Promise.resolve(null)), [selected.join(','), cart.data]);

  if (cart.error) return <ErrorView error={cart.error} retry={cart.reload} />;
  if (!cart.data) return <Loading />;
  const { rows, names } = cart.data;
  const byStore = new Map<string, Row[]>();
  for (const r of rows) byStore.set(r.item.store_id, [...(byStore.get(r.item.store_id) ?? []), r]);

  const setQty = async (r: Row, q: number) => {
    setError(null);
    try {
      if (q < 1) await api.del(`/me/cart/items/${r.item.id}`);
      else await api.patch(`/me/cart/items/${r.item.id}`, { quantity: q });
      cart.reload();
    } catch (e) {
      setError(e);
    }
  };
  const flip = (id: string) => setOff((s) => {
    const n = new Set(s);
    if (n.has(id)) n.delete(id);
    else n.add(id);
    return n;
  });

  return (
    <>
      <h1 className="page-title">{t('cart.title')}</h1>
      {rows.length === 0 ? (
        <Empty action={<Link className="btn" to="/">{t('cart.shop')}</Link>}>{t('cart.empty')}</Empty>
      ) : (
        <>
          {[...byStore].map(([storeId, list]) => (
            <section key={storeId} className="card" aria-label={names.get(storeId)}>
              <h2 className="clamp1"><Link to={`/store/${storeId}`}>{names.get(storeId)}</Link></h2>
              <ul className="lines">
                {list.map((r) => {
                  const sku = r.product?.skus.find((s) => s.id === r.item.sku_id);
                  const title = r.product?.title ?? t('cart.unavailable');
                  return (
                    <li key={r.item.id} className="line">
                      <input type="checkbox" aria-label={`${t('cart.select')} ${title}`} checked={!off.has(r.item.id)} onChange={() => flip(r.item.id)} />
                      <Thumb src={r.product?.images[0]} title={title} size="sm" />
                      <div className="grow">
                        <Link to={`/product/${r.item.product_id}`} className="clamp2">{title}</Link>
                        {sku && <span className="muted small">{specText(sku.spec)}</span>}
                        <div className="line-foot">
                          {sku ? <Money fen={sku.price_minor} className="price" /> : <span />}
                          <div className="stepper" role="group" aria-label={`${t('product.qty')} ${title}`}>
                            <button type="button" onClick={() => void setQty(r, r.item.quantity - 1)} aria-label={r.item.quantity <= 1 ? t('cart.remove') : t('qty.less')}>−</button>
                            <output>{r.item.quantity}</output>
                            <button type="button" onClick={() => void setQty(r, r.item.quantity + 1)} aria-label={t('qty.more')}>+</button>
                          </div>
                        </div>
                      </div>
                    </li>
                  );
                })}
              </ul>
            </section>
          ))}
          {error !== null && <Notice kind="error">{errText(error)}</Notice>}
          <section className="card">
            {preview.error ? <Notice kind="error">{errText(preview.error)}</Notice> : preview.data ? <Breakdown pricing={preview.data} compact /> : selected.length ? <Loading /> : <p className="muted">{t('cart.noneSelected')}</p>}
            <button type="button" className="btn primary block" disabled={selected.length === 0} onClick={() => navigate(`/checkout?cart=${selected.join(',')}`)}>
              {t('cart.checkout', { n: selected.length })}
            </button>
          </section>
        </>
      )}
    </>
  );
}
