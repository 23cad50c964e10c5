import { useEffect, useState, type FormEvent } from 'react';
import { parseYuan, yuan } from '../lib/format.ts';
import { useI18n } from '../lib/i18n.tsx';
import { navigate, useLocation } from '../lib/router.tsx';
import type { SearchItem, SearchResult } from '../lib/types.ts';
import { useAsync } from '../lib/use-async.ts';
import { Empty, ErrorView, Loading } from '../ui/states.tsx';
import { api } from './api.ts';
import { ProductCard } from './product-card.tsx';

const SORTS = ['relevance', 'sales', 'price_asc', 'price_desc', 'newest'] as const;

export function SearchPage() {
  const { t } = useI18n();
  const { query } = useLocation();
  const q = query.get('q') ?? '';
  const params = {
    q, category_id: query.get('category_id') ?? undefined, brand: query.getAll('brand'), price_min: query.get('price_min') ?? undefined,
    price_max: query.get('price_max') ?? undefined, in_stock: query.get('in_stock') ?? undefined, sort: query.get('sort') ?? undefined,
  };
  const key = query.toString();
  const [more, setMore] = useState<SearchItem[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const res = useAsync((s) => api.get<SearchResult>('/search/products', { ...params, limit: 20 }, s), [key]);
  useEffect(() => {
    setMore([]);
    setCursor(null);
  }, [key]);
  const next = cursor ?? res.data?.next_cursor ?? null;
  const loadMore = async () => {
    if (!next) return;
    const r = await api.get<SearchResult>('/search/products', { ...params, limit: 20, cursor: next, facets: false });
    setMore((m) => [...m, ...r.items]);
    setCursor(r.next_cursor ?? '');
  };
  const set = (k: string, v: string | null) => {
    const n = new URLSearchParams(query);
    if (v === null || v === '') n.delete(k);
    else n.set(k, v);
    navigate(`/search?${n}`, { replace: true });
  };
  const toggleBrand = (b: string) => {
    const n = new URLSearchParams(query);
    const all = n.getAll('brand');
    n.delete('brand');
    for (const x of all.includes(b) ? all.filter((y) => y !== b) : [...all, b]) n.append('brand', x);
    navigate(`/search?${n}`, { replace: true });
  };
  const [pmin, setPmin] = useState(params.price_min ? String(Number(params.price_min) / 100) : '');
  const [pmax, setPmax] = useState(params.price_max ? String(Number(params.price_max) / 100) : '');
  const applyPrice = (e: FormEvent) => {
    e.preventDefault();
    const n = new URLSearchParams(query);
    const a = parseYuan(pmin);
    const b = parseYuan(pmax);
    if (a === null) n.delete('price_min');
    else n.set('price_min', String(a));
    if (b === null) n.delete('price_max');
    else n.set('price_max', String(b));
    navigate(`/search?${n}`, { replace: true });
  };
  const facets = res.data?.facets;
  const items = [...(res.data?.items ?? []), ...more];
  return (
    <>
      <h1 className="page-title">{q ? t('search.resultsFor', { q }) : t('search.title')}</h1>
      <details className="filters" open={typeof window !== 'undefined' && window.innerWidth >= 900}>
        <summary>{t('search.filters')}</summary>
        <div className="filter-body">
          <label className="inline">
            {t('search.sort')}{' '}
            <select value={params.sort ?? 'relevance'} onChange={(e) => set('sort', e.target.value === 'relevance' ? null : e.target.value)}>
              {SORTS.map((s) => <option key={s} value={s}>{t(`sort.${s}`)}</option>)}
            </select>
          </label>
          <label className="inline">
            <input type="checkbox" checked={params.in_stock === 'true'} onChange={(e) => set('in_stock', e.target.checked ? 'true' : null)} /> {t('search.inStock')}
          </label>
          {facets && facets.categories.length > 0 && (
            <fieldset>
              <legend>{t('search.category')}</legend>
              <div className="chips wrap">
                {params.category_id && <button type="button" className="chip" onClick={() => set('category_id', null)}>{t('search.all')}</button>}
                {facets.categories.map((c) => (
                  <button key={c.id} type="button" className={`chip ${params.category_id === c.id ? 'on' : ''}`} aria-pressed={params.category_id === c.id} onClick={() => set('category_id', c.id)}>
                    {c.name} <span className="muted">{c.count}</span>
                  </button>
                ))}
              </div>
            </fieldset>
          )}
          {facets && facets.brands.length > 0 && (
            <fieldset>
              <legend>{t('search.brand')}</legend>
              <div className="chips wrap">
                {facets.brands.map((b) => (
                  <button key={b.name} type="button" className={`chip ${params.brand.includes(b.name) ? 'on' : ''}`} aria-pressed={params.brand.includes(b.name)} onClick={() => toggleBrand(b.name)}>
                    {b.name} <span className="muted">{b.count}</span>
                  </button>
                ))}
              </div>
            </fieldset>
          )}
          <form className="price-filter" onSubmit={applyPrice}>
            <fieldset>
              <legend>{t('search.price')}</legend>
              <label className="sr-only" htmlFor="pmin">{t('search.priceMin')}</label>
              <input id="pmin" inputMode="decimal" placeholder={t('search.priceMin')} value={pmin} onChange={(e) => setPmin(e.target.value)} />
              <span aria-hidden="true">–</span>
              <label className="sr-only" htmlFor="pmax">{t('search.priceMax')}</label>
              <input id="pmax" inputMode="decimal" placeholder={t('search.priceMax')} value={pmax} onChange={(e) => setPmax(e.target.value)} />
              <button type="submit" className="btn small">{t('apply')}</button>
            </fieldset>
            {facets && facets.price.length > 0 && (
              <div className="chips wrap">
                {facets.price.map((p) => (
                  <button key={p.min_minor} type="button" className="chip" onClick={() => {
                    const n = new URLSearchParams(query);
                    n.set('price_min', String(p.min_minor));
                    if (p.max_minor === null) n.delete('price_max');
                    else n.set('price_max', String(p.max_minor));
                    navigate(`/search?${n}`, { replace: true });
                  }}>
                    {yuan(p.min_minor)}{p.max_minor === null ? '+' : `–${yuan(p.max_minor)}`} <span className="muted">{p.count}</span>
                  </button>
                ))}
              </div>
            )}
          </form>
        </div>
      </details>
      {res.loading && !res.data ? (
        <Loading />
      ) : res.error ? (
        <ErrorView error={res.error} retry={res.reload} />
      ) : items.length === 0 ? (
        <Empty>{t('search.none')}</Empty>
      ) : (
        <>
          <p className="muted small" aria-live="polite">
            {t('search.total', { n: res.data!.total })}
            {res.data!.relaxed && ` · ${t('search.relaxed')}`}
          </p>
          <ul className="grid">
            {items.map((p) => (
              <ProductCard key={p.id} channel="search" p={{ id: p.id, title: p.title, titleHtml: p.title_highlight, image: p.image_url, min: p.price.min_minor, max: p.price.max_minor, inStock: p.in_stock, sales: p.sales }} />
            ))}
          </ul>
          {next && <button type="button" className="btn block" onClick={() => void loadMore()}>{t('more')}</button>}
        </>
      )}
    </>
  );
}
