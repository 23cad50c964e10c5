import { useEffect, useState } from 'react';
import { dateTime, yuan } from '../lib/format.ts';
import { useI18n, type T } from '../lib/i18n.tsx';
import { Money } from '../ui/bits.tsx';
import { api } from './api.ts';
import type { PresaleOffer } from './presale-data.ts';
import { timeLeft, type PresaleView } from './presale-view.ts';

// The server's clock, not the phone's: a balance window opens when the server says so.
let offset = 0;
let synced: Promise<void> | null = null;
function sync(): Promise<void> {
  const sent = Date.now();
  synced = api.get<{ now: string }>('/time').then(
    (r) => void (offset = Date.parse(r.now) - (sent + Date.now()) / 2),
    () => void (synced = null),
  );
  return synced;
}

/** The server's time, ticking every second; null until it is known (asked again when a page mounts). */
export function useServerNow(): number | null {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    let timer: ReturnType<typeof setInterval> | undefined;
    let stop = false;
    void sync().then(() => {
      if (stop) return;
      setNow(Date.now() + offset);
      timer = setInterval(() => setNow(Date.now() + offset), 1000);
    });
    return () => {
      stop = true;
      clearInterval(timer);
    };
  }, []);
  return now;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "1天 03:04:05" to a moment; role=timer so screen readers do not announce every second. */
export function Countdown({ to, now, label }: { to: string; now: number; label: string }) {
  const { t } = useI18n();
  const { d, h, m, s } = timeLeft(to, now);
  return (
    <p className="countdown small" role="timer" aria-label={`${label} ${t('presale.countdown', { d, h: pad(h), m: pad(m), s: pad(s) })}`}>
      {label} <strong aria-hidden="true">{t('presale.countdown', { d, h: pad(h), m: pad(m), s: pad(s) })}</strong>
    </p>
  );
}

export function ViewBadge({ view }: { view: PresaleView }) {
  const { t } = useI18n();
  return <span className={`badge ps-${view}`}>{t(`presale.view.${view}`)}</span>;
}

/** 定金¥20.00抵¥50.00 (or 定金¥20.00 without inflation). */
export function headline(t: T, o: Pick<PresaleOffer, 'deposit_minor' | 'deposit_value_minor'>): string {
  return o.deposit_value_minor > o.deposit_minor
    ? t('presale.headline', { d: yuan(o.deposit_minor), v: yuan(o.deposit_value_minor) })
    : t('presale.headlinePlain', { d: yuan(o.deposit_minor) });
}

/** What the buyer agrees to: deposit, what it counts for, final price, balance, the window. */
export function Terms({ o, quantity = 1 }: { o: Pick<PresaleOffer, 'price_minor' | 'deposit_minor' | 'deposit_value_minor' | 'balance_from' | 'balance_to'>; quantity?: number }) {
  const { t } = useI18n();
  return (
    <dl className="facts presale-terms">
      <div><dt>{t('presale.deposit')}</dt><dd><Money fen={o.deposit_minor * quantity} /></dd></div>
      {o.deposit_value_minor > o.deposit_minor && <div><dt>{t('presale.counts')}</dt><dd><Money fen={o.deposit_value_minor * quantity} /></dd></div>}
      <div><dt>{t('presale.price')}</dt><dd><Money fen={o.price_minor * quantity} /></dd></div>
      <div><dt>{t('presale.balance')}</dt><dd><Money fen={(o.price_minor - o.deposit_value_minor) * quantity} /></dd></div>
      <div className="wide"><dt>{t('presale.window')}</dt><dd>{t('presale.windowRange', { from: dateTime(o.balance_from), to: dateTime(o.balance_to) })}</dd></div>
    </dl>
  );
}

/** The rules in the API's words (the forfeit rule included), in the chosen language. */
export function Rules({ rules, open }: { rules: PresaleOffer['rules']; open?: boolean }) {
  const { t, pick } = useI18n();
  return (
    <details className="presale-rules" open={open}>
      <summary>{t('presale.rules')}</summary>
      <p className="small" data-testid="presale-rules">{pick(rules.zh, rules.en)}</p>
    </details>
  );
}
