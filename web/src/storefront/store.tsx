import { useEffect } from 'react';
import { useI18n } from '../lib/i18n.tsx';
import type { Page, Product, Store } from '../lib/types.ts';
import { useAsync } from '../lib/use-async.ts';
import { Empty, ErrorView, Loading } from '../ui/states.tsx';
import { api } from './api.ts';
import { CouponStrip } from './coupons.tsx';
import { priceRange, ProductCard } from './product-card.tsx';
import { track } from './track.ts';

export function StorePage({ id }: { id: string }) {
  const { t } = useI18n();
  const store = useAsync((s) => api.get<Store>(`/stores/${id}`, undefined, s), [id]);
  const products = useAsync((s) => api.get<Page<Product>>('/products', { store_id: id, limit: 50 }, s), [id]);
  useEffect(() => track('view', 'store', { store_id: id }), [id]);
  if (store.error) return <ErrorView error={store.error} retry={store.reload} />;
  if (!store.data) return <Loading />;
  const s = store.data;
  return (
    <>
      <header className="card store-head">
        <span className="avatar lg" aria-hidden="true">{[...s.name][0]}</span>
        <div className="grow">
          <h1 className="clamp2">{s.name}</h1>
          <p className="muted small clamp2">{s.description}</p>
          <p className="small">
            {t('store.score', { n: s.score.toFixed(1) })} · {s.subject_type === 'enterprise' ? t('store.enterprise') : t('store.individual')}
          </p>
        </div>
      </header>
      <CouponStrip query={{ store_id: id }} title={t('coupons.store')} />
      <h2 className="section-title">{t('store.products')}</h2>
      {products.error ? <ErrorView error={products.error} retry={products.reload} /> : !products.data ? <Loading /> : products.data.items.length === 0 ? (
        <Empty>{t('store.noProducts')}</Empty>
      ) : (
        <ul className="grid">
          {products.data.items.map((p) => {
            const r = priceRange(p.skus);
            return <ProductCard key={p.id} channel="store" p={{ id: p.id, title: p.title, image: p.images[0] ?? null, min: r.min, max: r.max, inStock: p.skus.some((x) => x.in_stock !== false), sales: p.sales }} />;
          })}
        </ul>
      )}
    </>
  );
}
