import { useState, type FormEvent } from 'react';
import { dateTime } from '../lib/format.ts';
import { useI18n } from '../lib/i18n.tsx';
import { Link, navigate } from '../lib/router.tsx';
import type { Page } from '../lib/types.ts';
import { useAsync } from '../lib/use-async.ts';
import { Field } from '../ui/bits.tsx';
import { Empty, ErrorView, Loading } from '../ui/states.tsx';
import { api } from './api.ts';
import { ErrorNotice, ImageUpload, useAction } from './bits.tsx';
import type { Room } from './types.ts';

/** A datetime-local value (the person's local time) `minutes` from now, to the minute. */
function localInput(minutes: number): string {
  const d = new Date(Date.now() + minutes * 60_000);
  d.setSeconds(0, 0);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

export function LiveBadge({ status }: { status: Room['status'] }) {
  const { t } = useI18n();
  return <span className={`live-badge ${status}`}>{t(`live.status.${status}`)}</span>;
}

/** 直播: the store's rooms (scheduled, live, ended) and scheduling a new one. */
export function LiveRoomsPage({ storeId, role }: { storeId: string; role: string }) {
  const { t } = useI18n();
  const rooms = useAsync((s) => api.get<Page<Room>>(`/merchant/stores/${storeId}/live/rooms`, { limit: 50 }, s), [storeId]);
  const canHost = role !== 'customer_service';
  return (
    <>
      <h1 className="page-title">{t('m.nav.live')}</h1>
      {canHost && <ScheduleForm storeId={storeId} open={rooms.data?.items.length === 0} />}
      {rooms.error ? <ErrorView error={rooms.error} retry={rooms.reload} /> : !rooms.data ? <Loading /> : rooms.data.items.length === 0 ? <Empty>{t('m.live.none')}</Empty> : (
        <ul className="orders" aria-label={t('m.live.rooms')}>
          {rooms.data.items.map((r) => (
            <li key={r.id} className="card">
              <div className="row between">
                <Link to={`/merchant/live/${r.id}`} className="clamp2 title-link">{r.title}</Link>
                <LiveBadge status={r.status} />
              </div>
              <p className="small muted">
                {r.status === 'scheduled' ? t('m.live.startsAt', { d: dateTime(r.scheduled_start) }) : r.status === 'live' ? t('m.live.since', { d: dateTime(r.started_at) }) : t('m.live.endedAt', { d: dateTime(r.ended_at) })}
                {' · '}{t('m.live.reservations', { n: r.reservations })}
              </p>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function ScheduleForm({ storeId, open }: { storeId: string; open: boolean }) {
  const { t } = useI18n();
  const [title, setTitle] = useState('');
  const [start, setStart] = useState(() => localInput(30));
  const [stream, setStream] = useState('');
  const [cover, setCover] = useState<string | null>(null);
  const a = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body = { title: title.trim(), stream_url: stream.trim(), scheduled_start: new Date(start).toISOString(), ...(cover ? { cover_url: cover } : {}) };
    const room = await a.run(() => api.post<Room>(`/merchant/stores/${storeId}/live/rooms`, body, { idempotent: true }));
    if (room) navigate(`/merchant/live/${room.id}`);
  };
  return (
    <details className="card" open={open}>
      <summary><strong>{t('m.live.schedule')}</strong></summary>
      <form onSubmit={(e) => void submit(e)}>
        <Field id="room-title" label={t('m.live.title')}>
          <input id="room-title" required maxLength={60} value={title} onChange={(e) => setTitle(e.target.value)} />
        </Field>
        <div className="form-grid">
          <Field id="room-start" label={t('m.live.start')}>
            <input id="room-start" type="datetime-local" required value={start} onChange={(e) => setStart(e.target.value)} />
          </Field>
          <Field id="room-stream" label={t('m.live.stream')} hint={t('m.live.streamHint')}>
            <input id="room-stream" type="url" required minLength={8} maxLength={500} placeholder="rtmp://push.example.com/live/room1" value={stream} onChange={(e) => setStream(e.target.value)} aria-describedby="room-stream-hint" />
          </Field>
        </div>
        <div className="row wrap-row">
          <ImageUpload storeId={storeId} id="room-cover" label={t('m.live.cover')} onUploaded={(u) => setCover(u[0])} />
          {cover && <img src={cover} alt={t('m.live.cover')} className="thumb sm" />}
        </div>
        <ErrorNotice error={a.error} />
        <button type="submit" className="btn primary" disabled={a.busy}>{t('m.live.create')}</button>
      </form>
    </details>
  );
}
