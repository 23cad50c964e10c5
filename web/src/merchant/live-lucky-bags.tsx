import { useEffect, useState, type FormEvent } from 'react';
import { dateTime } from '../lib/format.ts';
import { useI18n } from '../lib/i18n.tsx';
import { useAsync } from '../lib/use-async.ts';
import { Field } from '../ui/bits.tsx';
import { ErrorView, Loading } from '../ui/states.tsx';
import { api } from './api.ts';
import { ErrorNotice, useAction } from './bits.tsx';
import type { LuckyBag, LuckyCondition, RoomDetail } from './types.ts';

const CONDITIONS: LuckyCondition[] = ['commented', 'reserved', 'watched'];
type BadKey = 'm.lucky.badTitle' | 'm.lucky.badPrize' | 'm.lucky.badWinners' | 'm.lucky.badWatch' | 'm.lucky.badDrawIn';
type FieldName = 'title' | 'prize' | 'winners' | 'watch' | 'drawIn';

/** A whole number in [min, max] typed by a person (full-width digits allowed), or null. */
function wholeIn(s: string, min: number, max: number): number | null {
  const v = s.trim().replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
  if (!/^\d+$/.test(v)) return null;
  const n = Number(v);
  return n >= min && n <= max ? n : null;
}

/** A bag as the room's stream sends it (the module's shape: epoch ms, not ISO). */
export type StreamedBag = Omit<LuckyBag, 'draw_at' | 'drawn_at'> & { draw_at_ms: number; drawn_at: number | null };
export function bagFromStream({ draw_at_ms, drawn_at, ...b }: StreamedBag): LuckyBag {
  return { ...b, draw_at: new Date(draw_at_ms).toISOString(), drawn_at: drawn_at === null ? null : new Date(drawn_at).toISOString() };
}

/** The list read from the API, with what the stream said since: a drawn bag never goes back to open. */
function merged(fetched: LuckyBag[], streamed: Readonly<Record<string, LuckyBag>>): LuckyBag[] {
  const byId = new Map(fetched.map((b) => [b.id, b]));
  for (const s of Object.values(streamed)) {
    const f = byId.get(s.id);
    if (!f || (f.status === 'open' && s.status === 'drawn')) byId.set(s.id, s);
  }
  return [...byId.values()].sort((x, y) => (x.id < y.id ? 1 : x.id > y.id ? -1 : 0)); // ids sort by time: newest first
}


/**
 * 福袋: give out lucky bags while live (condition, prize, winners, when to draw), draw by hand, and
 * the audit trail of each draw — the seed commitment published at creation, then the seed, the
 * entrants' hash and the winners. `streamed` are the bags the room's stream sent (created, drawn —
 * also by the draw-time job), `tick` asks for a fresh read (the stream missed events). Winners are
 * named by the API's `winner_names`, read again once the stream announces a draw.
 */
export function LiveLuckyBags({ room, role, tick, streamed }: {
  room: Pick<RoomDetail, 'id' | 'status'>; role: string; tick: number; streamed: Readonly<Record<string, LuckyBag>>;
}) {
  const { t } = useI18n();
  const canHost = role !== '' && role !== 'customer_service';
  const bags = useAsync((s) => api.get<{ items: LuckyBag[] }>(`/live/rooms/${room.id}/lucky-bags`, undefined, s), [room.id, tick]);
  const items = merged(bags.data?.items ?? [], streamed);
  // A draw the stream announced is committed: read the bags again for the winners' names.
  const drawnIds = Object.values(streamed).filter((b) => b.status === 'drawn').map((b) => b.id).sort().join();
  const reload = bags.reload;
  useEffect(() => {
    if (drawnIds) reload();
  }, [drawnIds, reload]);
  return (
    <section className="card" aria-labelledby="h-lucky">
      <h2 id="h-lucky">{t('m.lucky.title')}</h2>
      <p className="small muted">{t('m.lucky.intro')}</p>
      {role === 'customer_service' && <p className="small muted">{t('m.lucky.viewOnly')}</p>}
      {canHost && room.status === 'live' && <NewBagForm roomId={room.id} onCreated={bags.reload} />}
      {canHost && room.status === 'scheduled' && <p className="small muted">{t('m.lucky.whenLive')}</p>}
      {bags.error && !bags.data ? <ErrorView error={bags.error} retry={bags.reload} /> : !bags.data ? <Loading /> : items.length === 0 ? <p className="small muted">{t('m.lucky.none')}</p> : (
        <ul className="lines" aria-label={t('m.lucky.bags')}>
          {items.map((b) => <BagItem key={b.id} roomId={room.id} bag={b} canDraw={canHost} onDrawn={bags.reload} />)}
        </ul>
      )}
    </section>
  );
}

function NewBagForm({ roomId, onCreated }: { roomId: string; onCreated: () => void }) {
  const { t } = useI18n();
  const [title, setTitle] = useState('');
  const [prize, setPrize] = useState('');
  const [condition, setCondition] = useState<LuckyCondition>('commented');
  const [watch, setWatch] = useState('5');
  const [winners, setWinners] = useState('1');
  const [drawIn, setDrawIn] = useState('5');
  const [bad, setBad] = useState<{ field: FieldName; key: BadKey } | null>(null);
  const a = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const k = wholeIn(winners, 1, 1000);
    const minutes = condition === 'watched' ? wholeIn(watch, 1, 600) : null;
    const delay = wholeIn(drawIn, 0, 60);
    const check: [boolean, FieldName, BadKey][] = [
      [!title.trim() || title.trim().length > 40, 'title', 'm.lucky.badTitle'],
      [!prize.trim() || prize.trim().length > 100, 'prize', 'm.lucky.badPrize'],
      [condition === 'watched' && minutes === null, 'watch', 'm.lucky.badWatch'],
      [k === null, 'winners', 'm.lucky.badWinners'],
      [delay === null, 'drawIn', 'm.lucky.badDrawIn'],
    ];
    const wrong = check.find(([failed]) => failed);
    if (wrong) {
      setBad({ field: wrong[1], key: wrong[2] });
      document.getElementById(`lb-${wrong[1]}`)?.focus();
      return;
    }
    setBad(null);
    const body = { title: title.trim(), prize: prize.trim(), winners: k!, condition, draw_in_seconds: delay! * 60, ...(minutes !== null ? { watch_minutes: minutes } : {}) };
    if (await a.run(() => api.post<LuckyBag>(`/live/rooms/${roomId}/lucky-bags`, body, { idempotent: true }))) {
      setTitle('');
      setPrize('');
      onCreated();
    }
  };
  // The message sits under the form; the field it is about points at it.
  const invalid = (f: FieldName) => (bad?.field === f ? { 'aria-invalid': true as const, 'aria-describedby': 'lb-bad' } : {});
  return (
    <details open>
      <summary><strong>{t('m.lucky.new')}</strong></summary>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <div className="form-grid">
          <Field id="lb-title" label={t('m.lucky.name')}><input id="lb-title" maxLength={40} value={title} onChange={(e) => setTitle(e.target.value)} {...invalid('title')} /></Field>
          <Field id="lb-prize" label={t('m.lucky.prize')}><input id="lb-prize" maxLength={100} value={prize} onChange={(e) => setPrize(e.target.value)} {...invalid('prize')} /></Field>
        </div>
        <fieldset>
          <legend>{t('m.lucky.condition')}</legend>
          <div className="radio-list">
            {CONDITIONS.map((c) => (
              <label key={c} className="inline">
                <input type="radio" name="lb-condition" value={c} checked={condition === c} onChange={() => setCondition(c)} />
                {t(`m.lucky.cond.${c}`)}
              </label>
            ))}
          </div>
        </fieldset>
        <div className="form-grid">
          {condition === 'watched' && (
            <Field id="lb-watch" label={t('m.lucky.watchMinutes')}><input id="lb-watch" inputMode="numeric" value={watch} onChange={(e) => setWatch(e.target.value)} {...invalid('watch')} /></Field>
          )}
          <Field id="lb-winners" label={t('m.lucky.winners')}><input id="lb-winners" inputMode="numeric" value={winners} onChange={(e) => setWinners(e.target.value)} {...invalid('winners')} /></Field>
          <Field id="lb-drawIn" label={t('m.lucky.drawIn')} hint={t('m.lucky.drawInHint')}>
            <input id="lb-drawIn" inputMode="numeric" value={drawIn} onChange={(e) => setDrawIn(e.target.value)} aria-describedby={bad?.field === 'drawIn' ? 'lb-bad lb-drawIn-hint' : 'lb-drawIn-hint'} aria-invalid={bad?.field === 'drawIn' || undefined} />
          </Field>
        </div>
        {bad && <p id="lb-bad" className="small error-text" role="alert">{t(bad.key)}</p>}
        <ErrorNotice error={a.error} />
        <button type="submit" className="btn primary" disabled={a.busy}>{t('m.lucky.create')}</button>
      </form>
    </details>
  );
}

/** sha256 of the seed's hex text (lucky-draw.ts seedCommitment), when the page may use WebCrypto. */
async function sha256Hex(text: string): Promise<string | null> {
  if (!globalThis.crypto?.subtle) return null;
  const d = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function BagItem({ roomId, bag, canDraw, onDrawn }: { roomId: string; bag: LuckyBag; canDraw: boolean; onDrawn: () => void }) {
  const { t } = useI18n();
  const a = useAction();
  const [confirming, setConfirming] = useState(false);
  const [verified, setVerified] = useState<boolean | null>(null);
  useEffect(() => {
    let live = true;
    if (bag.seed) void sha256Hex(bag.seed).then((h) => live && setVerified(h === null ? null : h === bag.seed_commitment));
    return () => { live = false; };
  }, [bag.seed, bag.seed_commitment]);
  const draw = async () => {
    if (await a.run(() => api.post<LuckyBag>(`/live/rooms/${roomId}/lucky-bags/${bag.id}/draw`, {}))) onDrawn();
    setConfirming(false);
  };
  const drawn = bag.status === 'drawn';
  const condition = bag.condition === 'watched' ? t('m.lucky.condWatched', { n: bag.watch_minutes ?? 1 }) : t(`m.lucky.cond.${bag.condition}`);
  // Until the list is read again after a streamed draw, a winner shows by account suffix (never a phone number).
  const nameOf = (id: string) => bag.winner_names?.find((w) => w.account_id === id)?.display_name ?? t('m.lucky.viewer', { id: id.slice(-4) });
  return (
    <li className="shelf-item" data-bag={bag.id} aria-labelledby={`lb-h-${bag.id}`}>
      <div className="row between">
        <strong id={`lb-h-${bag.id}`} className="clamp2">{bag.title}</strong>
        <span className={`badge ${drawn ? 's-completed' : 's-pending'}`}>{t(`m.lucky.status.${bag.status}`)}</span>
      </div>
      <p className="small break">{t('m.lucky.prize')}：{bag.prize}</p>
      <dl className="breakdown small">
        <div><dt>{t('m.lucky.condition')}</dt><dd>{condition}</dd></div>
        <div><dt>{t('m.lucky.winners')}</dt><dd>{t('m.lucky.winnersN', { n: bag.winners })}</dd></div>
        {drawn ? <div><dt>{t('m.lucky.drawnAt')}</dt><dd>{dateTime(bag.drawn_at)}</dd></div> : <div><dt>{t('m.lucky.drawAt')}</dt><dd>{dateTime(bag.draw_at)}</dd></div>}
        {drawn ? <div><dt>{t('m.lucky.participants')}</dt><dd data-testid="eligible">{bag.eligible_count}</dd></div>
          : <div><dt>{t('m.lucky.qualifying')}</dt><dd data-testid="qualifying">{bag.eligible_count}</dd></div>}
      </dl>
      {drawn && (
        <div>
          <h3 className="small">{t('m.lucky.winnerList')}</h3>
          {bag.winner_ids.length === 0 ? <p className="small muted">{t('m.lucky.noWinner')}</p> : (
            <ul className="small" aria-label={`${t('m.lucky.winnerList')} ${bag.title}`}>
              {bag.winner_ids.map((id) => <li key={id}>{nameOf(id)}</li>)}
            </ul>
          )}
        </div>
      )}
      <details open={drawn || undefined}>
        <summary className="small">{t('m.lucky.audit')}</summary>
        <dl className="small">
          <dt>{t('m.lucky.commitment')}</dt><dd><code data-testid="commitment">{bag.seed_commitment}</code></dd>
          {bag.seed && <><dt>{t('m.lucky.seed')}</dt><dd><code data-testid="seed">{bag.seed}</code></dd></>}
          {bag.eligible_hash && <><dt>{t('m.lucky.listHash')}</dt><dd><code>{bag.eligible_hash}</code></dd></>}
        </dl>
        {verified !== null && <p className={`small ${verified ? 'muted' : 'error-text'}`} role="status">{verified ? `✓ ${t('m.lucky.verified')}` : t('m.lucky.mismatch')}</p>}
      </details>
      {canDraw && !drawn && (
        <div className="actions wrap">
          {!confirming ? <button type="button" className="btn small primary" onClick={() => setConfirming(true)} aria-label={`${t('m.lucky.draw')} ${bag.title}`}>{t('m.lucky.draw')}</button> : (
            <>
              <button type="button" className="btn small primary" onClick={() => void draw()} disabled={a.busy}>{t('m.lucky.drawConfirm')}</button>
              <button type="button" className="btn small" onClick={() => setConfirming(false)}>{t('cancel')}</button>
            </>
          )}
        </div>
      )}
      <ErrorNotice error={a.error} />
    </li>
  );
}
