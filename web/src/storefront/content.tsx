import { useEffect, useState } from 'react';
import { dateOnly } from '../lib/format.ts';
import { useI18n } from '../lib/i18n.tsx';
import { Link, navigate, useLocation } from '../lib/router.tsx';
import { useSession } from '../lib/session.ts';
import type { Page } from '../lib/types.ts';
import { useAsync } from '../lib/use-async.ts';
import { Money, Thumb } from '../ui/bits.tsx';
import { ErrorView, Loading } from '../ui/states.tsx';
import { api } from './api.ts';

interface ProductCard { product_id: string; store_id: string; title: string; image: string | null; price_min_minor: number; price_max_minor: number }
interface Content {
  id: string; kind: 'video' | 'article' | string; title: string; caption: string; video_url: string | null; cover_url: string | null; creator_id: string | null; store_id: string | null;
  view_count: number; like_count: number; comment_count: number; published_at: string | null; products: ProductCard[];
}
interface FeedItem extends Content { summary: string }
interface Detail extends Content { body_html: string; liked_by_me: boolean }

/** Videos and articles for the home page; hidden when there are none. */
export function ContentFeed() {
  const { t } = useI18n();
  const feed = useAsync((s) => api.get<Page<FeedItem>>('/contents', { limit: 6, sort: 'popular' }, s), []);
  if (!feed.data || feed.data.items.length === 0) return null;
  return (
    <section aria-labelledby="h-content">
      <h2 id="h-content" className="section-title">{t('content.feed')}</h2>
      <ul className="grid">
        {feed.data.items.map((c) => (
          <li key={c.id} className="pcard">
            <Link to={`/contents/${c.id}`} className="pcard-link">
              <Thumb src={c.cover_url} title={c.title} />
              <span className="pcard-meta"><span className="live-badge scheduled">{t(c.kind === 'video' ? 'content.video' : 'content.article')}</span></span>
              <span className="pcard-title">{c.title}</span>
              <span className="muted small">{t('content.stats', { v: c.view_count, l: c.like_count })}{c.products.length > 0 && ` · ${t('content.products', { n: c.products.length })}`}</span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** A video or an article with its product cards; buying from here is attributed to the content (and the share). */
export function ContentPage({ id }: { id: string }) {
  const { t } = useI18n();
  const { query } = useLocation();
  const session = useSession('buyer');
  const share = query.get('share');
  const content = useAsync((s) => api.get<Detail>(`/contents/${id}`, undefined, s), [id, session?.account_id]);
  const [likes, setLikes] = useState<{ liked: boolean; count: number } | null>(null);
  useEffect(() => setLikes(null), [id]);
  if (content.error) return <ErrorView error={content.error} retry={content.reload} />;
  if (!content.data) return <Loading />;
  const c = content.data;
  const channel = share ? 'share' : c.kind === 'video' ? 'video' : 'article';
  const liked = likes?.liked ?? c.liked_by_me;
  const count = likes?.count ?? c.like_count;
  const like = async () => {
    if (!session) return navigate(`/login?next=${encodeURIComponent(location.pathname + location.search)}`);
    const r = liked ? await api.del<{ liked: boolean; like_count: number }>(`/contents/${id}/like`) : await api.post<{ liked: boolean; like_count: number }>(`/contents/${id}/like`, {});
    setLikes({ liked: r.liked ?? !liked, count: r.like_count ?? count + (liked ? -1 : 1) });
  };
  const productLink = (p: ProductCard) => `/product/${p.product_id}?ch=${channel}&cid=${c.id}${c.creator_id ? `&crid=${c.creator_id}` : ''}${share ? `&share=${encodeURIComponent(share)}` : ''}`;
  return (
    <article className="content-page">
      {c.kind === 'video' && c.video_url && <video className="content-video" src={c.video_url} poster={c.cover_url ?? undefined} controls playsInline />}
      <h1 className="page-title">{c.title}</h1>
      <p className="muted small">{dateOnly(c.published_at)} · {t('content.stats', { v: c.view_count, l: count })}</p>
      {c.caption && <p className="prewrap">{c.caption}</p>}
      {c.body_html && <div className="article-body" dangerouslySetInnerHTML={{ __html: c.body_html }} /> /* sanitised by the server's allow-list */}
      <button type="button" className={`btn small ${liked ? 'primary' : ''}`} aria-pressed={liked} onClick={() => void like()}>{t('content.like')} {count}</button>
      {c.products.length > 0 && (
        <section className="card" aria-labelledby="h-cp">
          <h2 id="h-cp">{t('content.inThis')}</h2>
          <ul className="lines">
            {c.products.map((p) => (
              <li key={p.product_id} className="line">
                <Thumb src={p.image} title={p.title} size="sm" />
                <div className="grow">
                  <Link to={productLink(p)} className="clamp2">{p.title}</Link>
                  <span className="line-foot"><Money fen={p.price_min_minor} className="price" /><Link className="btn primary small" to={productLink(p)}>{t('live.buy')}</Link></span>
                </div>
              </li>
            ))}
          </ul>
        </section>
      )}
    </article>
  );
}
