import { useState } from 'react';
import { ApiError, getSession } from '../lib/api.ts';
import { yuan } from '../lib/format.ts';
import { useI18n } from '../lib/i18n.tsx';
import { navigate } from '../lib/router.tsx';
import { useSession } from '../lib/session.ts';
import { useAsync } from '../lib/use-async.ts';
import { ErrorView, Loading, useErrorText } from '../ui/states.tsx';
import { api } from './api.ts';
import type { CampaignLite } from './presale-data.ts';

interface ReservationOffer { id: string; campaign_id: string; name: string; budget: number; reserved: number; per_buyer_limit: number; coupon: { kind: string; off_minor: number; threshold_minor?: number } }
interface Reservation { id: string; offer_id: string; status: string; coupon_id: string | null }

/**
 * 预约领券: reserve a campaign coupon in warm-up; it is issued into the wallet when selling
 * starts. Each offer says where the buyer stands: reserved, issued, all reserved (budget), or open.
 */
export function VenueReservations({ campaign }: { campaign: CampaignLite }) {
  const { t } = useI18n();
  const errText = useErrorText();
  const session = useSession('buyer');
  const offers = useAsync((s) => api.get<{ items: ReservationOffer[] }>(`/campaigns/${campaign.id}/reservation-offers`, undefined, s), [campaign.id]);
  const mine = useAsync((s) => (session ? api.get<{ items: Reservation[] }>(`/campaigns/${campaign.id}/my-reservations`, undefined, s) : Promise.resolve({ items: [] })), [campaign.id, session?.account_id]);
  const [busy, setBusy] = useState<string | null>(null);
  const [msg, setMsg] = useState<Record<string, { kind: 'ok' | 'error'; text: string }>>({});

  if (offers.error) return <ErrorView error={offers.error} retry={offers.reload} />;
  if (!offers.data) return <Loading />;
  if (offers.data.items.length === 0) return null;

  const reserve = async (o: ReservationOffer) => {
    if (!getSession('buyer')) return navigate(`/login?next=${encodeURIComponent(location.pathname + location.search)}`);
    setBusy(o.id);
    try {
      await api.post(`/campaigns/${campaign.id}/reservation-offers/${o.id}/reserve`, undefined, { idempotent: true });
      setMsg((m) => ({ ...m, [o.id]: { kind: 'ok', text: t('reserve.ok') } }));
    } catch (e) {
      // limit reached / budget exhausted: the reloaded state says which
      if (!(e instanceof ApiError && (e.code === 'reservation_limit_reached' || e.code === 'reservations_full'))) setMsg((m) => ({ ...m, [o.id]: { kind: 'error', text: errText(e) } }));
    } finally {
      setBusy(null);
      offers.reload();
      mine.reload();
    }
  };

  const label = (o: ReservationOffer) => (o.coupon.kind === 'threshold' && o.coupon.threshold_minor
    ? t('reserve.threshold', { min: yuan(o.coupon.threshold_minor), off: yuan(o.coupon.off_minor) })
    : t('reserve.fixed', { off: yuan(o.coupon.off_minor) }));

  return (
    <section aria-labelledby="h-reserve">
      <h2 id="h-reserve" className="section-title">{t('reserve.title')}</h2>
      <p className="muted small">{t('reserve.note')}</p>
      <ul className="coupon-row">
        {offers.data.items.map((o) => {
          const held = (mine.data?.items ?? []).filter((r) => r.offer_id === o.id);
          const issued = held.some((r) => r.status === 'issued');
          const full = o.reserved >= o.budget;
          const atLimit = held.length >= o.per_buyer_limit;
          let state: string | null = null;
          if (issued) state = t('reserve.issued');
          else if (held.length > 0 && (atLimit || campaign.phase !== 'warmup')) state = t('reserve.done');
          else if (campaign.phase !== 'warmup') state = t('reserve.closed');
          else if (full) state = t('reserve.full');
          return (
            <li key={o.id} className="coupon" data-reservation={o.id}>
              <strong>{label(o)}</strong>
              <span className="small clamp1">{o.name}</span>
              <span className="small muted">{t('reserve.left', { n: Math.max(0, o.budget - o.reserved) })}</span>
              {state !== null ? (
                <span className="small reserve-state" role="status">{state}</span>
              ) : (
                <button type="button" className="btn small" disabled={busy === o.id || mine.loading} onClick={() => void reserve(o)} aria-label={`${t('reserve.do')} ${o.name}`}>
                  {held.length > 0 ? t('reserve.again') : t('reserve.do')}
                </button>
              )}
              {msg[o.id] && <span className={`small ${msg[o.id].kind === 'error' ? 'error-text' : ''}`} role={msg[o.id].kind === 'error' ? 'alert' : 'status'}>{msg[o.id].text}</span>}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
