import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { dateTime } from '../lib/format.ts';
import { useI18n } from '../lib/i18n.tsx';
import { Link } from '../lib/router.tsx';
import { getSession } from '../lib/api.ts';
import { Money } from '../ui/bits.tsx';
import { ErrorView, Loading, Notice } from '../ui/states.tsx';
import { api } from './api.ts';
import { ErrorNotice, useAction } from './bits.tsx';
import { percent } from './rates.ts';
import { LiveCoupons } from './live-coupons.tsx';
import { bagFromStream, LiveLuckyBags, type StreamedBag } from './live-lucky-bags.tsx';
import { LiveBadge } from './live-rooms.tsx';
import { LiveShelf } from './live-shelf.tsx';
import type { LuckyBag, RoomDetail, RoomStats, ShelfItem } from './types.ts';

interface Comment { id: string; account_id: string; name: string; text: string }

/**
 * The host's console of one room: start / end, the shelf (小黄车) with pin and live prices,
 * live coupons, lucky bags (福袋), comments, and the statistics — all following the room's SSE
 * stream, so what viewers do (join, like, buy) and draws show here as they happen.
 */
export function LiveConsolePage({ storeId, roomId, role }: { storeId: string; roomId: string; role: string }) {
  const { t } = useI18n();
  /** Hosting (start, end, shelf, prices, coupons) is for the owner and operators; customer service watches. */
  const readOnly = role === 'customer_service';
  const [room, setRoom] = useState<RoomDetail | null>(null);
  const [stats, setStats] = useState<RoomStats | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [connected, setConnected] = useState(false);
  const [comments, setComments] = useState<Comment[]>([]);
  const [couponTick, setCouponTick] = useState(0);
  const [luckyTick, setLuckyTick] = useState(0);
  const [bags, setBags] = useState<Record<string, LuckyBag>>({});
  // Winners come as account ids: name the ones this console has seen comment.
  const statsTimer = useRef<ReturnType<typeof setTimeout>>(undefined);

  const loadStats = useCallback(() => {
    api.get<RoomStats>(`/live/rooms/${roomId}/stats`).then(setStats, () => {});
  }, [roomId]);
  // Events come in bursts (a purchase, the viewer count, likes): one stats read per burst.
  const statsSoon = useCallback(() => {
    if (statsTimer.current) return;
    statsTimer.current = setTimeout(() => {
      statsTimer.current = undefined;
      loadStats();
    }, 400);
  }, [loadStats]);
  const reload = useCallback(() => api.get<RoomDetail>(`/live/rooms/${roomId}`).then(setRoom, setError), [roomId]);

  useEffect(() => {
    void reload();
    loadStats();
    // Signed in (EventSource sends no headers), so the server knows the host and does not count this console as a viewer.
    const token = getSession('merchant')?.access_token;
    const es = new EventSource(`/api/v1/live/rooms/${roomId}/events${token ? `?access_token=${encodeURIComponent(token)}` : ''}`);
    const on = <T,>(type: string, f: (d: T) => void) => es.addEventListener(type, (e) => f(JSON.parse((e as MessageEvent).data) as T));
    es.onopen = () => setConnected(true);
    es.onerror = () => setConnected(false);
    on<{ room: RoomDetail }>('snapshot', (d) => {
      setRoom(d.room);
      setLuckyTick((n) => n + 1); // a fresh snapshot means events were missed, maybe a draw
    });
    on<{ viewers: number; peak: number }>('viewers', (d) => {
      setRoom((r) => r && { ...r, viewers: d.viewers });
      setStats((s) => s && { ...s, concurrent_viewers: d.viewers, peak_viewers: Math.max(s.peak_viewers, d.peak ?? d.viewers) });
      statsSoon();
    });
    on<{ likes: number }>('likes', (d) => {
      setRoom((r) => r && { ...r, likes: d.likes });
      setStats((s) => s && { ...s, likes: d.likes });
    });
    on<{ status: RoomDetail['status'] }>('status', (d) => {
      setRoom((r) => r && { ...r, status: d.status });
      statsSoon();
    });
    on<{ item: ShelfItem | null }>('pin', (d) => setRoom((r) => r && { ...r, pinned_item_id: d.item?.id ?? null, shelf: r.shelf.map((i) => ({ ...i, pinned: d.item?.id === i.id })) }));
    on<{ item_id: string; live_prices: ShelfItem['live_prices'] }>('price', (d) => setRoom((r) => r && { ...r, shelf: r.shelf.map((i) => (i.id === d.item_id ? { ...i, live_prices: d.live_prices } : i)) }));
    on<{ action: 'added' | 'removed'; item?: ShelfItem; item_id?: string }>('shelf', (d) => setRoom((r) => r && {
      ...r, shelf: d.action === 'added' && d.item ? [...r.shelf.filter((i) => i.id !== d.item!.id), d.item] : r.shelf.filter((i) => i.id !== d.item_id),
    }));
    on<Comment>('comment', (c) => setComments((cs) => [...cs.slice(-49), c]));
    on('purchase', () => statsSoon());
    on('coupon', () => setCouponTick((n) => n + 1));
    // The event carries the bag: it shows at once; the panel reads the list again for the winners' names.
    const onBag = (d: StreamedBag) => setBags((m) => ({ ...m, [d.id]: bagFromStream(d) }));
    on<StreamedBag>('lucky_bag', onBag);
    on<StreamedBag>('lucky_bag_drawn', onBag);
    return () => {
      es.close();
      clearTimeout(statsTimer.current);
      statsTimer.current = undefined;
    };
  }, [roomId, reload, loadStats, statsSoon]);

  if (error) return <ErrorView error={error} retry={() => void reload()} />;
  if (!room) return <Loading />;
  return (
    <>
      <p><Link to="/merchant/live">← {t('m.nav.live')}</Link></p>
      <div className="row between wrap-row">
        <h1 className="page-title clamp2">{room.title}</h1>
        <LiveBadge status={room.status} />
      </div>
      <p className="small muted">
        {room.status === 'scheduled' ? t('m.live.startsAt', { d: dateTime(room.scheduled_start) }) : room.status === 'live' ? t('m.live.since', { d: dateTime(room.started_at) }) : t('m.live.endedAt', { d: dateTime(room.ended_at) })}
        {' · '}<Link to={`/live/${room.id}`} target="_blank" rel="noopener">{t('m.live.viewerPage')}</Link>
      </p>
      {!connected && <Notice kind="info">{t('live.reconnecting')}</Notice>}
      {readOnly ? <p className="small muted">{t('m.live.viewOnly')}</p> : <StatusControls roomId={roomId} room={room} onChange={(r) => setRoom((cur) => cur && { ...cur, ...r })} />}
      <StatsPanel stats={stats} room={room} />
      <LiveShelf storeId={storeId} room={room} onChanged={() => void reload()} readOnly={readOnly} />
      <LiveCoupons storeId={storeId} roomId={roomId} tick={couponTick} readOnly={readOnly} />
      <LiveLuckyBags room={room} role={role} tick={luckyTick} streamed={bags} />
      <section className="card" aria-labelledby="h-comments">
        <h2 id="h-comments">{t('live.comments')}</h2>
        {comments.length === 0 ? <p className="muted small">{t('m.live.noComments')}</p> : (
          <ul className="comments" aria-live="polite">
            {comments.map((c) => <li key={c.id}><strong>{c.name}</strong>：{c.text}</li>)}
          </ul>
        )}
      </section>
    </>
  );
}

function StatusControls({ roomId, room, onChange }: { roomId: string; room: RoomDetail; onChange: (r: Partial<RoomDetail>) => void }) {
  const { t } = useI18n();
  const a = useAction();
  const [confirmEnd, setConfirmEnd] = useState(false);
  const act = async (what: 'start' | 'end') => {
    const r = await a.run(() => api.post<RoomDetail>(`/live/rooms/${roomId}/${what}`, {}));
    if (r) onChange({ status: r.status, started_at: r.started_at, ended_at: r.ended_at });
    setConfirmEnd(false);
  };
  return (
    <div className="actions wrap">
      {room.status === 'scheduled' && <button type="button" className="btn primary" onClick={() => void act('start')} disabled={a.busy}>{t('m.live.startNow')}</button>}
      {room.status === 'live' && !confirmEnd && <button type="button" className="btn danger" onClick={() => setConfirmEnd(true)}>{t('m.live.end')}</button>}
      {room.status === 'live' && confirmEnd && (
        <>
          <button type="button" className="btn danger" onClick={() => void act('end')} disabled={a.busy}>{t('m.live.endConfirm')}</button>
          <button type="button" className="btn" onClick={() => setConfirmEnd(false)}>{t('cancel')}</button>
        </>
      )}
      <ErrorNotice error={a.error} />
    </div>
  );
}

function StatsPanel({ stats, room }: { stats: RoomStats | null; room: RoomDetail }) {
  const { t } = useI18n();
  const s = stats;
  const kpi = (id: string, label: string, value: ReactNode) => (
    <div className="kpi" data-testid={`stat-${id}`}><span className="muted small">{label}</span><strong>{value}</strong></div>
  );
  return (
    <section aria-labelledby="h-stats">
      <h2 id="h-stats" className="section-title">{t('m.live.stats')}</h2>
      <div className="kpis" aria-live="polite">
        {kpi('viewers', t('m.live.viewers'), s?.concurrent_viewers ?? room.viewers)}
        {kpi('peak', t('m.live.peak'), s?.peak_viewers ?? '—')}
        {kpi('views', t('m.live.views'), s?.total_views ?? '—')}
        {kpi('likes', t('m.live.likes'), s?.likes ?? room.likes)}
        {kpi('clicks', t('m.live.clicks'), s?.product_clicks ?? '—')}
        {kpi('orders', t('m.live.orders'), s?.orders ?? '—')}
        {kpi('gmv', t('m.live.gmv'), s ? <Money fen={s.gmv_minor} /> : '—')}
        {kpi('conversion', t('m.live.conversion'), s ? percent(s.conversion_bp) : '—')}
      </div>
      {s && s.products.length > 0 && (
        <div className="table-wrap card">
          <table className="table">
            <caption className="left">{t('m.live.byProduct')}</caption>
            <thead><tr><th scope="col">{t('m.dash.product')}</th><th scope="col" className="num">{t('m.live.clicks')}</th><th scope="col" className="num">{t('m.live.orders')}</th><th scope="col" className="num">{t('m.dash.units')}</th><th scope="col" className="num">{t('m.live.gmv')}</th></tr></thead>
            <tbody>
              {s.products.map((p) => (
                <tr key={p.product_id}><th scope="row" className="clamp1">{p.title}</th><td className="num">{p.clicks}</td><td className="num">{p.orders}</td><td className="num">{p.units}</td><td className="num"><Money fen={p.gmv_minor} /></td></tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
