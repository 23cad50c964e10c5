import { useI18n } from '../lib/i18n.tsx';
import { Link } from '../lib/router.tsx';
import type { Category, Page, Product, Store } from '../lib/types.ts';
import { useAsync } from '../lib/use-async.ts';
import { Empty, ErrorView, Loading } from '../ui/states.tsx';
import { api } from './api.ts';
import { CouponStrip } from './coupons.tsx';
import { LiveNow } from './live.tsx';
import { ContentFeed } from './content.tsx';
import { CampaignBanners } from './campaign.tsx';
import { priceRange, ProductCard } from './product-card.tsx';

export function HomePage() {
  const { t, pick } = useI18n();
  const cats = useAsync((s) => api.get<{ items: Category[] }>('/categories', undefined, s), []);
  const products = useAsync((s) => api.get<Page<Product>>('/products', { limit: 40 }, s), []);
  const stores = useAsync((s) => api.get<Page<Store>>('/stores', { limit: 20 }, s), []);
  return (
    <>
      <h1 className="sr-only">{t('home.title')}</h1>
      <nav aria-label={t('home.categories')} className="chips">
        {cats.data?.items.filter((c) => !c.parent_id).map((c) => (
          <Link key={c.id} className="chip" to={`/search?category_id=${c.id}`}>{pick(c.name_zh, c.name_en)}</Link>
        ))}
      </nav>
      <CampaignBanners />
      <LiveNow />
      <CouponStrip query={{}} title={t('coupons.platform')} />
      <ContentFeed />
      <section aria-labelledby="h-latest">
        <h2 id="h-latest" className="section-title">{t('home.latest')}</h2>
        {products.loading && !products.data ? (
          <Loading />
        ) : products.error ? (
          <ErrorView error={products.error} retry={products.reload} />
        ) : products.data!.items.length === 0 ? (
          <Empty>{t('home.noProducts')}</Empty>
        ) : (
          <ul className="grid">
            {products.data!.items.map((p) => {
              const r = priceRange(p.skus);
              return <ProductCard key={p.id} channel="feed" p={{ id: p.id, title: p.title, image: p.images[0] ?? null, min: r.min, max: r.max, inStock: p.skus.some((s) => s.in_stock !== false), sales: p.sales }} />;
            })}
          </ul>
        )}
      </section>
      <section aria-labelledby="h-stores">
        <h2 id="h-stores" className="section-title">{t('home.stores')}</h2>
        {stores.error ? <ErrorView error={stores.error} retry={stores.reload} /> : !stores.data ? <Loading /> : (
          <ul className="list">
            {stores.data.items.map((s) => (
              <li key={s.id}>
                <Link to={`/store/${s.id}`} className="row-link">
                  <span className="avatar" aria-hidden="true">{[...s.name][0]}</span>
                  <span className="grow">
                    <strong className="clamp1">{s.name}</strong>
                    <span className="muted small clamp1">{s.description}</span>
                  </span>
                  <span className="muted small">{t('store.score', { n: s.score.toFixed(1) })}</span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
