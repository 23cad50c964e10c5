import { useEffect, useRef, useState, type FormEvent } from 'react';
import { getSession } from '../lib/api.ts';
import { specText } from '../lib/format.ts';
import { useI18n } from '../lib/i18n.tsx';
import { Link, navigate } from '../lib/router.tsx';
import { useSession } from '../lib/session.ts';
import type { Address, Page, Pricing, Product } from '../lib/types.ts';
import { useAsync } from '../lib/use-async.ts';
import { Money, Thumb } from '../ui/bits.tsx';
import { Empty, ErrorView, Loading, Notice, useErrorText } from '../ui/states.tsx';
import { AddressForm } from './address-form.tsx';
import { api } from './api.ts';
import { Breakdown } from './breakdown.tsx';
import { productById } from './lookup.ts';

interface LivePrice { sku_id: string; price_minor: number; stock_left: number; limit_per_buyer: number | null }
interface ShelfItem { id: string; product_id: string; store_id: string; title: string; image: string | null; price_minor: number; position: number; pinned: boolean; live_prices: LivePrice[] }
interface Room { id: string; title: string; cover_url: string | null; stream_url: string; replay_url: string | null; status: 'scheduled' | 'live' | 'ended'; scheduled_start: string; likes: number; store_id: string | null }
interface RoomDetail extends Room { shelf: ShelfItem[]; viewers: number; reserved_by_me: boolean }
interface Comment { id: string; name: string; text: string }

/** Rooms live now, for the home page; nothing when none is live. */
export function LiveNow() {
  const { t } = useI18n();
  const rooms = useAsync((s) => api.get<Page<Room>>('/live/rooms', { status: 'live', limit: 10 }, s), []);
  if (!rooms.data || rooms.data.items.length === 0) return null;
  return (
    <section aria-labelledby="h-live">
      <h2 id="h-live" className="section-title">{t('live.now')}</h2>
      <ul className="coupon-row">
        {rooms.data.items.map((r) => (
          <li key={r.id} className="live-card">
            <Link to={`/live/${r.id}`} className="live-card-link">
              <span className="live-badge">{t('live.badge')}</span>
              <span className="clamp2">{r.title}</span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}

const lowest = (i: ShelfItem) => (i.live_prices.length ? Math.min(...i.live_prices.map((p) => p.price_minor)) : null);

/** A live room: stream area, viewers, comments, the pinned product, the shelf and buying — updated over SSE. */
export function LiveRoomPage({ id }: { id: string }) {
  const { t } = useI18n();
  const errText = useErrorText();
  const session = useSession('buyer');
  const [room, setRoom] = useState<RoomDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [connected, setConnected] = useState(false);
  const [comments, setComments] = useState<Comment[]>([]);
  const [toast, setToast] = useState<string | null>(null);
  const [buying, setBuying] = useState<ShelfItem | null>(null);
  const [text, setText] = useState('');
  const [coupons, setCoupons] = useState<{ template_id: string; store_id: string }[]>([]);
  const [couponMsg, setCouponMsg] = useState<string | null>(null);
  const toastTimer = useRef<ReturnType<typeof setTimeout>>(undefined);

  useEffect(() => {
    // the SSE snapshot is fresher: the plain GET only fills in when the stream is not there yet
    api.get<RoomDetail>(`/live/rooms/${id}`).then((r) => setRoom((cur) => cur ?? r), setError);
    const loadCoupons = () => api.get<{ items: { template_id: string; store_id: string }[] }>(`/live/rooms/${id}/coupons`).then((r) => setCoupons(r.items), () => {});
    loadCoupons();
    const token = getSession('buyer')?.access_token;
    const es = new EventSource(`/api/v1/live/rooms/${id}/events${token ? `?access_token=${encodeURIComponent(token)}` : ''}`);
    const on = <T,>(type: string, f: (d: T) => void) => es.addEventListener(type, (e) => f(JSON.parse((e as MessageEvent).data) as T));
    es.onopen = () => setConnected(true);
    es.onerror = () => setConnected(false);
    on<{ room: RoomDetail; viewers: number }>('snapshot', (d) => setRoom({ ...d.room, viewers: d.viewers }));
    on<{ viewers: number }>('viewers', (d) => setRoom((r) => r && { ...r, viewers: d.viewers }));
    on<{ likes: number }>('likes', (d) => setRoom((r) => r && { ...r, likes: d.likes }));
    on<{ status: Room['status']; replay_url?: string | null }>('status', (d) => setRoom((r) => r && { ...r, status: d.status, replay_url: d.replay_url ?? r.replay_url }));
    on<{ item: ShelfItem | null }>('pin', (d) => setRoom((r) => r && { ...r, shelf: r.shelf.map((i) => ({ ...i, pinned: d.item?.id === i.id })) }));
    on<{ item_id: string; live_prices: LivePrice[] }>('price', (d) => setRoom((r) => r && { ...r, shelf: r.shelf.map((i) => (i.id === d.item_id ? { ...i, live_prices: d.live_prices } : i)) }));
    on<{ action: 'added' | 'removed'; item?: ShelfItem; item_id?: string }>('shelf', (d) => setRoom((r) => r && {
      ...r, shelf: d.action === 'added' && d.item ? [...r.shelf.filter((i) => i.id !== d.item!.id), d.item] : r.shelf.filter((i) => i.id !== d.item_id),
    }));
    on<Comment>('comment', (c) => setComments((cs) => [...cs.slice(-49), c]));
    on<{ title: string; quantity: number }>('purchase', (p) => {
      setToast(t('live.someoneBought', { title: p.title, n: p.quantity }));
      clearTimeout(toastTimer.current);
      toastTimer.current = setTimeout(() => setToast(null), 4000);
    });
    on('coupon', () => loadCoupons());
    return () => {
      es.close();
      clearTimeout(toastTimer.current);
    };
  }, [id, session?.account_id, t]);

  if (error) return <ErrorView error={error} />;
  if (!room) return <Loading />;
  const pinned = room.shelf.find((i) => i.pinned);
  const needLogin = () => navigate(`/login?next=${encodeURIComponent(`/live/${id}`)}`);
  const send = async (e: FormEvent) => {
    e.preventDefault();
    if (!session) return needLogin();
    if (!text.trim()) return;
    try {
      await api.post(`/live/rooms/${id}/comments`, { text: text.trim() });
      setText('');
    } catch (x) {
      setToast(errText(x));
    }
  };
  const like = () => (session ? void api.post(`/live/rooms/${id}/likes`, { count: 1 }).catch(() => {}) : needLogin());
  const claim = async (templateId: string) => {
    if (!session) return needLogin();
    try {
      await api.post(`/live/rooms/${id}/coupons/${templateId}/claim`, {});
      setCouponMsg(t('coupons.claimed'));
    } catch (x) {
      setCouponMsg(errText(x));
    }
  };
  const playable = /\.(mp4|webm|m3u8)(\?|$)/.test(room.status === 'ended' && room.replay_url ? room.replay_url : room.stream_url);

  return (
    <div className="live-room">
      <div className="stream" aria-label={t('live.stream')}>
        {playable ? (
          <video src={room.status === 'ended' && room.replay_url ? room.replay_url : room.stream_url} controls muted playsInline autoPlay />
        ) : (
          <div className="stream-placeholder" aria-hidden="true">{[...room.title].slice(0, 4).join('')}</div>
        )}
        <div className="stream-top">
          <span className={`live-badge ${room.status}`}>{t(`live.status.${room.status}`)}</span>
          <span className="pill" data-testid="viewers" aria-live="polite">{t('live.viewers', { n: room.viewers })}</span>
          <span className="pill">{t('live.likes', { n: room.likes })}</span>
          {!connected && <span className="pill">{t('live.reconnecting')}</span>}
        </div>
        {toast && <p className="live-toast" role="status">{toast}</p>}
      </div>
      <h1 className="page-title clamp2">{room.title}</h1>

      <section aria-labelledby="h-pinned" className="card pinned" data-testid="pinned">
        <h2 id="h-pinned">{t('live.pinned')}</h2>
        <div aria-live="polite">
          {pinned ? <ShelfRow item={pinned} onBuy={() => (session ? setBuying(pinned) : needLogin())} /> : <p className="muted small">{t('live.noPinned')}</p>}
        </div>
      </section>

      {coupons.length > 0 && (
        <section className="card" aria-labelledby="h-lc">
          <h2 id="h-lc">{t('live.coupons')}</h2>
          <div className="chips wrap">
            {coupons.map((c) => <button key={c.template_id} type="button" className="chip" onClick={() => void claim(c.template_id)}>{t('live.claimCoupon')}</button>)}
          </div>
          {couponMsg && <p className="small" role="status">{couponMsg}</p>}
        </section>
      )}

      <section className="card" aria-labelledby="h-shelf">
        <h2 id="h-shelf">{t('live.shelf', { n: room.shelf.length })}</h2>
        {room.shelf.length === 0 ? <p className="muted small">{t('live.emptyShelf')}</p> : (
          <ul className="lines">
            {[...room.shelf].sort((a, b) => a.position - b.position).map((i) => <li key={i.id}><ShelfRow item={i} onBuy={() => (session ? setBuying(i) : needLogin())} /></li>)}
          </ul>
        )}
      </section>

      {buying && <BuySheet roomId={id} item={room.shelf.find((i) => i.id === buying.id) ?? buying} live={room.status === 'live'} onClose={() => setBuying(null)} />}

      <section className="card" aria-labelledby="h-comments">
        <h2 id="h-comments">{t('live.comments')}</h2>
        <ol className="comments" aria-live="polite">
          {comments.length === 0 ? <li className="muted small">{t('live.noComments')}</li> : comments.map((c) => <li key={c.id}><strong>{c.name}</strong> {c.text}</li>)}
        </ol>
        <form className="row" onSubmit={send}>
          <label htmlFor="live-comment" className="sr-only">{t('live.say')}</label>
          <input id="live-comment" className="grow" maxLength={200} placeholder={t('live.say')} value={text} onChange={(e) => setText(e.target.value)} />
          <button type="submit" className="btn small">{t('live.send')}</button>
          <button type="button" className="btn small" onClick={like}>{t('live.like')}</button>
        </form>
      </section>
    </div>
  );
}

function ShelfRow({ item, onBuy }: { item: ShelfItem; onBuy: () => void }) {
  const { t } = useI18n();
  const live = lowest(item);
  return (
    <div className="line">
      <Thumb src={item.image} title={item.title} size="sm" />
      <div className="grow">
        <span className="clamp2">{item.title}</span>
        <span className="line-foot">
          <span data-testid="shelf-price">
            {live !== null ? <><span className="live-price-tag">{t('live.livePrice')}</span> <Money fen={live} className="price" /> <Money fen={item.price_minor} strike className="muted small" /></> : <Money fen={item.price_minor} className="price" />}
          </span>
          <button type="button" className="btn primary small" onClick={onBuy} aria-label={`${t('live.buy')} ${item.title}`}>{t('live.buy')}</button>
        </span>
      </div>
    </div>
  );
}

/** Buy from the room: SKU, address, the price with the live price applied, then the cashier. */
function BuySheet({ roomId, item, live, onClose }: { roomId: string; item: ShelfItem; live: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const errText = useErrorText();
  const product = useAsync(() => productById(item.product_id), [item.product_id]);
  const addresses = useAsync((s) => api.get<Page<Address>>('/me/addresses', { limit: 20 }, s), []);
  const [skuId, setSkuId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const skus = (product.data as Product | null)?.skus.filter((s) => s.status === 'active') ?? [];
  const sku = skus.find((s) => s.id === skuId) ?? (skus.length === 1 ? skus[0] : undefined);
  const address = addresses.data?.items.find((a) => a.is_default) ?? addresses.data?.items[0];
  const preview = useAsync((s) => (sku ? api.post<Pricing>(`/live/rooms/${roomId}/checkout-preview`, { items: [{ sku_id: sku.id, quantity: 1 }] }, { signal: s }) : Promise.resolve(null)),
    [sku?.id, JSON.stringify(item.live_prices)]);
  const buy = async () => {
    if (!sku || !address || !preview.data) return;
    setBusy(true);
    setError(null);
    try {
      const c = await api.post<{ checkout_id: string }>(`/live/rooms/${roomId}/checkouts`, { items: [{ sku_id: sku.id, quantity: 1 }], address_id: address.id, expected_total_minor: preview.data.total_minor }, { idempotent: true });
      navigate(`/pay/${c.checkout_id}`);
    } catch (x) {
      setError(x);
      preview.reload();
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card sheet" role="dialog" aria-modal="false" aria-labelledby="h-buy">
      <div className="card-head">
        <h2 id="h-buy" className="clamp2">{item.title}</h2>
        <button type="button" className="btn small" onClick={onClose}>{t('cancel')}</button>
      </div>
      {!live && <Notice kind="info">{t('live.notLive')}</Notice>}
      {product.error ? <ErrorView error={product.error} /> : !product.data ? <Loading /> : (
        <fieldset className="spec">
          <legend>{t('product.pickSku')}</legend>
          <div className="chips wrap">
            {skus.map((s) => {
              const lp = item.live_prices.find((p) => p.sku_id === s.id);
              return (
                <button key={s.id} type="button" className={`chip ${sku?.id === s.id ? 'on' : ''}`} aria-pressed={sku?.id === s.id} onClick={() => setSkuId(s.id)}>
                  {specText(s.spec) || t('product.selected')} {lp && <span className="live-price-tag">{t('live.livePrice')}</span>}
                </button>
              );
            })}
          </div>
        </fieldset>
      )}
      {addresses.data && !address ? <AddressForm onSaved={() => addresses.reload()} /> : address && (
        <p className="small muted">{t('checkout.address')}: {address.recipient} {address.province}{address.city}{address.district} {address.detail}</p>
      )}
      {preview.error ? <Notice kind="error">{errText(preview.error)}</Notice> : preview.data && <Breakdown pricing={preview.data} compact />}
      {error !== null && <Notice kind="error">{errText(error)}</Notice>}
      <button type="button" className="btn primary block" disabled={!sku || !address || !preview.data || busy} onClick={() => void buy()}>
        {t('live.buyNow')} {preview.data && <Money fen={preview.data.total_minor} />}
      </button>
    </section>
  );
}

export function LiveListPage() {
  const { t } = useI18n();
  const rooms = useAsync((s) => api.get<Page<Room>>('/live/rooms', { limit: 30 }, s), []);
  return (
    <>
      <h1 className="page-title">{t('live.title')}</h1>
      {rooms.error ? <ErrorView error={rooms.error} retry={rooms.reload} /> : !rooms.data ? <Loading /> : rooms.data.items.length === 0 ? <Empty>{t('live.none')}</Empty> : (
        <ul className="list">
          {rooms.data.items.map((r) => (
            <li key={r.id}>
              <Link to={`/live/${r.id}`} className="row-link">
                <span className={`live-badge ${r.status}`}>{t(`live.status.${r.status}`)}</span>
                <span className="grow clamp2">{r.title}</span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
