import { Link } from '../lib/router.tsx';
import { Money, Thumb } from '../ui/bits.tsx';
import { useI18n } from '../lib/i18n.tsx';

export interface CardData { id: string; title: string; titleHtml?: string; image: string | null; min: number; max: number; inStock: boolean; sales: number }

/** One product in a grid. Long titles clamp to two lines; highlights come pre-escaped from search. */
export function ProductCard({ p, channel }: { p: CardData; channel?: string }) {
  const { t } = useI18n();
  return (
    <li className="pcard">
      <Link to={`/product/${p.id}${channel ? `?ch=${channel}` : ''}`} className="pcard-link">
        <Thumb src={p.image} title={p.title} />
        <span className="pcard-title" {...(p.titleHtml ? { dangerouslySetInnerHTML: { __html: p.titleHtml } } : { children: p.title })} />
        <span className="pcard-meta">
          <Money fen={p.min} className="price" />
          {p.max > p.min && <span className="muted"> {t('price.from')}</span>}
          {!p.inStock && <span className="badge s-soldout">{t('soldOut')}</span>}
        </span>
        {p.sales > 0 && <span className="muted small">{t('sales', { n: p.sales })}</span>}
      </Link>
    </li>
  );
}

export function priceRange(skus: { price_minor: number; status: string }[]): { min: number; max: number } {
  const prices = skus.filter((s) => s.status === 'active').map((s) => s.price_minor);
  const all = prices.length ? prices : skus.map((s) => s.price_minor);
  return { min: Math.min(...all), max: Math.max(...all) };
}
