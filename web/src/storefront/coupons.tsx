import { useState } from 'react';
import { ApiError, getSession } from '../lib/api.ts';
import { dateOnly } from '../lib/format.ts';
import { useI18n } from '../lib/i18n.tsx';
import { navigate } from '../lib/router.tsx';
import type { Coupon } from '../lib/types.ts';
import { useAsync } from '../lib/use-async.ts';
import { useErrorText } from '../ui/states.tsx';
import { api } from './api.ts';

/** Claimable coupons (领券) for a product, a store, or the platform. Hidden when there are none. */
export function CouponStrip({ query, title }: { query: { product_id?: string; store_id?: string }; title: string }) {
  const { t } = useI18n();
  const errText = useErrorText();
  const list = useAsync((s) => api.get<{ items: Coupon[] }>('/coupons', query, s), [query.product_id, query.store_id]);
  const [msg, setMsg] = useState<Record<string, string>>({});
  if (!list.data || list.data.items.length === 0) return null;
  const claim = async (c: Coupon) => {
    if (!getSession('buyer')) return navigate(`/login?next=${encodeURIComponent(location.pathname + location.search)}`);
    try {
      await api.post(`/coupons/${c.id}/claim`, undefined, { idempotent: true });
      setMsg((m) => ({ ...m, [c.id]: t('coupons.claimed') }));
      list.reload();
    } catch (e) {
      setMsg((m) => ({ ...m, [c.id]: e instanceof ApiError ? errText(e) : String(e) }));
    }
  };
  return (
    <section aria-label={title} className="coupons">
      <h2 className="section-title">{title}</h2>
      <ul className="coupon-row">
        {list.data.items.map((c) => (
          <li key={c.id} className="coupon">
            <strong>{c.label_zh}</strong>
            <span className="small clamp1">{c.name}</span>
            {c.valid_to && <span className="small muted">{t('coupons.until', { d: dateOnly(c.valid_to) })}</span>}
            {c.can_claim === false ? (
              <span className="small">{(c.claimed_by_me ?? 0) > 0 ? t('coupons.have') : t('coupons.gone')}</span>
            ) : (
              <button type="button" className="btn small" onClick={() => void claim(c)} aria-label={`${t('coupons.claim')} ${c.name}`}>{t('coupons.claim')}</button>
            )}
            {msg[c.id] && <span className="small" role="status">{msg[c.id]}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}
