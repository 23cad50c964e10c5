import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { getSession } from '../lib/api.ts';
import { specText } from '../lib/format.ts';
import { useI18n } from '../lib/i18n.tsx';
import { Link, navigate, useLocation } from '../lib/router.tsx';
import { useSession } from '../lib/session.ts';
import type { Pricing, Product, Sku, Store } from '../lib/types.ts';
import { useAsync } from '../lib/use-async.ts';
import { Money, Thumb } from '../ui/bits.tsx';
import { ErrorView, Loading, Notice, useErrorText } from '../ui/states.tsx';
import { api } from './api.ts';
import { Breakdown } from './breakdown.tsx';
import { CouponStrip } from './coupons.tsx';
import { priceRange } from './product-card.tsx';
import { track } from './track.ts';
import { productOffers } from './presale-data.ts';

// The pre-sale panel loads only for a product on pre-sale.
const ProductPresale = lazy(() => import('./presale-offer.tsx').then((m) => ({ default: m.ProductPresale })));

export const CHANNELS = ['live', 'video', 'article', 'share', 'search', 'feed', 'store', 'direct'];
export function channelOf(ch: string | null): string {
  return ch && CHANNELS.includes(ch) ? ch : 'direct';
}

/** Spec dimensions in the order the merchant wrote them: { 颜色: [黑, 白], 尺码: [S, M] }. */
function dimensions(skus: Sku[]): [string, string[]][] {
  const dims = new Map<string, string[]>();
  for (const s of skus) for (const [k, v] of Object.entries(s.spec)) {
    const list = dims.get(k) ?? [];
    if (!list.includes(v)) list.push(v);
    dims.set(k, list);
  }
  return [...dims];
}

function toggle(x: Record<string, string>, k: string, v: string): Record<string, string> {
  const n = { ...x };
  if (n[k] === v) delete n[k];
  else n[k] = v;
  return n;
}

export function ProductPage({ id }: { id: string }) {
  const { t } = useI18n();
  const errText = useErrorText();
  const { query } = useLocation();
  const channel = channelOf(query.get('ch'));
  const contentId = query.get('cid');
  const creatorId = query.get('crid');
  const campaignId = query.get('camp');
  const session = useSession('buyer');
  const product = useAsync((s) => api.get<Product>(`/products/${id}`, undefined, s), [id]);
  const presale = useAsync(() => productOffers(id).catch(() => []), [id]);
  const store = useAsync((s) => (product.data ? api.get<Store>(`/stores/${product.data.store_id}`, undefined, s) : Promise.resolve(null)), [product.data?.store_id]);
  useEffect(() => {
    if (product.data) track('view', channel, { product_id: product.data.id, store_id: product.data.store_id, ...(contentId ? { content_id: contentId } : {}), ...(creatorId ? { creator_id: creatorId } : {}) });
  }, [product.data, channel, contentId, creatorId]);
  const [picked, setPicked] = useState<Record<string, string>>({});
  const [qty, setQty] = useState(1);
  const [msg, setMsg] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const skus = useMemo(() => (product.data?.skus ?? []).filter((s) => s.status === 'active'), [product.data]);
  const dims = useMemo(() => dimensions(skus), [skus]);
  // a single-SKU product is picked already
  const sku = skus.length === 1 ? skus[0] : skus.find((s) => dims.every(([k]) => picked[k] !== undefined && s.spec[k] === picked[k]));
  const preview = useAsync(
    (s) => (sku && session ? api.post<Pricing>('/checkout/preview', { items: [{ sku_id: sku.id, quantity: qty }], auto_coupons: true }, { signal: s }) : Promise.resolve(null)),
    [sku?.id, qty, session?.access_token],
  );

  if (product.error) return <ErrorView error={product.error} retry={product.reload} />;
  if (!product.data) return <Loading />;
  const p = product.data;
  const range = priceRange(p.skus);
  const possible = (k: string, v: string) => skus.some((s) => s.spec[k] === v && s.in_stock !== false && dims.every(([k2]) => k2 === k || picked[k2] === undefined || s.spec[k2] === picked[k2]));
  const attribution = { channel, ...(contentId ? { content_id: contentId } : {}), ...(creatorId ? { creator_id: creatorId } : {}), ...(campaignId ? { campaign_id: campaignId } : {}) };

  const addToCart = async () => {
    if (!sku) return setMsg({ kind: 'error', text: t('product.pickSku') });
    if (!getSession('buyer')) return navigate(`/login?next=${encodeURIComponent(location.pathname + location.search)}`);
    try {
      await api.post('/me/cart/items', { sku_id: sku.id, quantity: qty, attribution });
      setMsg({ kind: 'ok', text: t('product.added') });
    } catch (e) {
      setMsg({ kind: 'error', text: errText(e) });
    }
  };
  const buyNow = () => {
    if (!sku) return setMsg({ kind: 'error', text: t('product.pickSku') });
    const extra = `${contentId ? `&cid=${contentId}` : ''}${creatorId ? `&crid=${creatorId}` : ''}${campaignId ? `&camp=${campaignId}` : ''}`;
    navigate(`/checkout?sku=${sku.id}&qty=${qty}&ch=${channel}${extra}`);
  };

  return (
    <article className="product">
      <div className="product-media">
        <Thumb src={p.images[0]} title={p.title} size="lg" />
      </div>
      <div className="product-info">
        <h1 className="product-title">{p.title}</h1>
        {p.subtitle && <p className="muted">{p.subtitle}</p>}
        <p className="price-line">
          <Money fen={sku ? sku.price_minor : range.min} className="price big" />
          {!sku && range.max > range.min && <span className="muted"> – <Money fen={range.max} /></span>}
          {sku?.list_price_minor && sku.list_price_minor > sku.price_minor && <> <Money fen={sku.list_price_minor} strike className="muted" /></>}
        </p>
        {p.sales > 0 && <p className="muted small">{t('sales', { n: p.sales })}</p>}
        {presale.data && presale.data.length > 0 && <Suspense fallback={<Loading />}><ProductPresale items={presale.data} /></Suspense>}
        {store.data && (
          <p className="small">
            <Link to={`/store/${store.data.id}`}>{store.data.name}</Link>
            {' · '}<Link to={`/messages/new?product=${p.id}`} className="contact-link">{t('cs.contact')}</Link>
          </p>
        )}

        {dims.map(([k, values]) => (
          <fieldset key={k} className="spec">
            <legend>{k}</legend>
            <div className="chips wrap">
              {values.map((v) => {
                const on = picked[k] === v || (skus.length === 1 && skus[0].spec[k] === v);
                const can = possible(k, v);
                return (
                  <button key={v} type="button" className={`chip ${on ? 'on' : ''}`} aria-pressed={on} disabled={!can && !on}
                    onClick={() => setPicked((x) => toggle(x, k, v))}>
                    {v}
                  </button>
                );
              })}
            </div>
          </fieldset>
        ))}
        <div className="qty-row">
          <span id="qty-label">{t('product.qty')}</span>
          <div className="stepper" role="group" aria-labelledby="qty-label">
            <button type="button" onClick={() => setQty((q) => Math.max(1, q - 1))} aria-label={t('qty.less')} disabled={qty <= 1}>−</button>
            <output aria-live="polite">{qty}</output>
            <button type="button" onClick={() => setQty((q) => Math.min(200, q + 1))} aria-label={t('qty.more')}>+</button>
          </div>
          <span className="muted small">{sku ? (sku.in_stock === false ? t('soldOut') : t('product.inStock')) : t('product.pickSku')}</span>
        </div>
        {sku && <p className="small muted">{t('product.selected')}: {specText(sku.spec)}</p>}

        <CouponStrip query={{ product_id: p.id }} title={t('coupons.product')} />

        <section className="card" aria-labelledby="h-price">
          <h2 id="h-price">{t('price.yourPrice')}</h2>
          {!session ? (
            <p className="small"><Link to={`/login?next=${encodeURIComponent(`/product/${p.id}`)}`}>{t('price.loginToSee')}</Link></p>
          ) : !sku ? (
            <p className="muted small">{t('product.pickSku')}</p>
          ) : preview.error ? (
            <Notice kind="error">{errText(preview.error)}</Notice>
          ) : !preview.data ? (
            <Loading />
          ) : (
            <Breakdown pricing={preview.data} compact />
          )}
        </section>

        {msg && <Notice kind={msg.kind}>{msg.text} {msg.kind === 'ok' && <Link to="/cart">{t('nav.cart')}</Link>}</Notice>}
        <div className="buy-bar">
          <button type="button" className="btn" onClick={() => void addToCart()} disabled={sku?.in_stock === false}>{t('product.addToCart')}</button>
          <button type="button" className="btn primary" onClick={buyNow} disabled={sku?.in_stock === false}>{t('product.buyNow')}</button>
        </div>

        {(p.description || Object.keys(p.attributes).length > 0) && (
          <section className="card">
            <h2>{t('product.details')}</h2>
            {Object.keys(p.attributes).length > 0 && (
              <dl className="attrs">
                {Object.entries(p.attributes).map(([k, v]) => <div key={k}><dt>{k}</dt><dd>{v}</dd></div>)}
              </dl>
            )}
            {p.description && <p className="prewrap">{p.description}</p>}
          </section>
        )}
      </div>
    </article>
  );
}
