import { lazy, Suspense, useState } from 'react';
import { dateTime, yuan } from '../lib/format.ts';
import { useI18n } from '../lib/i18n.tsx';
import { Link } from '../lib/router.tsx';
import { useAsync } from '../lib/use-async.ts';
import { Money, Thumb } from '../ui/bits.tsx';
import { Empty, ErrorView, Loading } from '../ui/states.tsx';
import { api } from './api.ts';
import { campaignOffers, type PresaleOffer } from './presale-data.ts';

// Reservation coupons and pre-sale offers load on demand (warm-up and selling only).
const CampaignExtras = lazy(() => import('./presale-offer.tsx'));

interface Campaign { id: string; name: string; description: string; phase: string; phase_label_zh: string; warmup_start: string; selling_start: string; selling_end: string }
interface Item { registration_id: string; product_id: string; sku_id: string; title: string; image: string | null; price_minor: number; campaign_price_minor: number; campaign_stock: number; sold_units: number }
interface Venue { campaign: Campaign; sections: { key: string; title: string; kind: string; items: Item[] }[]; items: number; updated_at: string }

/** Festival banners on the home page (warm-up or selling); nothing when none runs. */
export function CampaignBanners() {
  const { t } = useI18n();
  const list = useAsync((s) => api.get<{ items: Campaign[] }>('/campaigns', undefined, s), []);
  if (!list.data || list.data.items.length === 0) return null;
  return (
    <ul className="campaigns" aria-label={t('campaign.list')}>
      {list.data.items.map((c) => (
        <li key={c.id}>
          <Link to={`/campaigns/${c.id}`} className="campaign-banner">
            <strong className="clamp1">{c.name}</strong>
            <span className="small">{c.phase_label_zh} · {t(c.phase === 'selling' ? 'campaign.endsAt' : 'campaign.startsAt', { d: dateTime(c.phase === 'selling' ? c.selling_end : c.selling_start) })}</span>
          </Link>
        </li>
      ))}
    </ul>
  );
}

function ItemCard({ item, campaignId, rank, presale }: { item: Item; campaignId: string; rank?: number; presale?: PresaleOffer }) {
  const { t } = useI18n();
  return (
    <li className="pcard">
      <Link to={`/product/${item.product_id}?ch=feed&camp=${campaignId}`} className="pcard-link">
        <Thumb src={item.image} title={item.title} />
        <span className="pcard-title">{rank !== undefined && <span className="rank">{rank}</span>}{item.title}</span>
        <span className="pcard-meta">
          <Money fen={item.campaign_price_minor} className="price" />
          {item.price_minor > item.campaign_price_minor && <Money fen={item.price_minor} strike className="muted small" />}
        </span>
        {presale && <span className="small"><span className="badge presale-badge">{t('presale.badge')}</span> {t('presale.headlinePlain', { d: yuan(presale.deposit_minor) })}</span>}
        <span className="muted small">{t('campaign.sold', { n: item.sold_units })}</span>
      </Link>
    </li>
  );
}

/** The main venue (主会场): sections of approved items and the rankings (榜单). */
export function CampaignPage({ id }: { id: string }) {
  const { t } = useI18n();
  const [kind, setKind] = useState<'best_sellers' | 'trending'>('best_sellers');
  const venue = useAsync((s) => api.get<Venue>(`/campaigns/${id}/venue`, undefined, s), [id]);
  const ranking = useAsync((s) => api.get<{ items: Item[] }>(`/campaigns/${id}/rankings`, { kind }, s), [id, kind]);
  const presale = useAsync(async () => new Map((await campaignOffers(id).catch(() => [])).map((o) => [o.registration_id, o])), [id]);
  if (venue.error) return <ErrorView error={venue.error} retry={venue.reload} />;
  if (!venue.data) return <Loading />;
  const { campaign: c, sections } = venue.data;
  return (
    <>
      <header className="campaign-head">
        <h1>{c.name}</h1>
        <p className="small">{c.phase_label_zh} · {dateTime(c.selling_start)} – {dateTime(c.selling_end)}</p>
        {c.description && <p className="small prewrap">{c.description}</p>}
      </header>
      {(c.phase === 'warmup' || c.phase === 'selling') && <Suspense fallback={<Loading />}><CampaignExtras campaign={c} /></Suspense>}
      <section aria-labelledby="h-rank">
        <div className="card-head">
          <h2 id="h-rank" className="section-title">{t('campaign.rankings')}</h2>
          <div className="chips">
            {(['best_sellers', 'trending'] as const).map((k) => (
              <button key={k} type="button" className={`chip ${kind === k ? 'on' : ''}`} aria-pressed={kind === k} onClick={() => setKind(k)}>{t(`campaign.${k}`)}</button>
            ))}
          </div>
        </div>
        {ranking.error ? <ErrorView error={ranking.error} retry={ranking.reload} /> : !ranking.data ? <Loading /> : ranking.data.items.length === 0 ? <p className="muted small">{t('campaign.noRanking')}</p> : (
          <ul className="grid">{ranking.data.items.slice(0, 8).map((it, i) => <ItemCard key={it.registration_id} item={it} campaignId={id} rank={i + 1} presale={presale.data?.get(it.registration_id)} />)}</ul>
        )}
      </section>
      {sections.length === 0 ? <Empty>{t('campaign.empty')}</Empty> : sections.map((s) => (
        <section key={s.key} aria-label={s.title}>
          <h2 className="section-title">{s.title}</h2>
          {s.items.length === 0 ? <p className="muted small">{t('campaign.empty')}</p> : <ul className="grid">{s.items.map((it) => <ItemCard key={it.registration_id} item={it} campaignId={id} presale={presale.data?.get(it.registration_id)} />)}</ul>}
        </section>
      ))}
    </>
  );
}
