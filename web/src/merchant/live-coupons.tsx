import { useState } from 'react';
import { useI18n } from '../lib/i18n.tsx';
import type { Page } from '../lib/types.ts';
import { useAsync } from '../lib/use-async.ts';
import { api } from './api.ts';
import { ErrorNotice, useAction } from './bits.tsx';
import { CouponForm } from './coupon-form.tsx';
import type { CouponTemplate } from './types.ts';

/** 直播专享券: store coupons claimed only in this room while it is live — attach an existing one or create one for the room. */
export function LiveCoupons({ storeId, roomId, tick, readOnly = false }: { storeId: string; roomId: string; tick: number; readOnly?: boolean }) {
  const { t } = useI18n();
  const attached = useAsync((s) => api.get<{ items: { template_id: string; store_id: string }[] }>(`/live/rooms/${roomId}/coupons`, undefined, s), [roomId, tick]);
  const templates = useAsync((s) => api.get<Page<CouponTemplate>>(`/merchant/stores/${storeId}/coupons`, { status: 'active', limit: 100 }, s), [storeId, tick]);
  const [pick, setPick] = useState('');
  const a = useAction();
  const inRoom = new Set((attached.data?.items ?? []).map((c) => c.template_id));
  const all = templates.data?.items ?? [];
  const candidates = all.filter((c) => !inRoom.has(c.id) && c.remaining > 0);
  const chosen = pick && candidates.some((c) => c.id === pick) ? pick : candidates[0]?.id ?? '';
  const attach = async (templateId: string) => {
    if (await a.run(() => api.post(`/live/rooms/${roomId}/coupons`, { template_id: templateId }))) {
      attached.reload();
      templates.reload();
    }
  };
  return (
    <section className="card" aria-labelledby="h-live-coupons">
      <h2 id="h-live-coupons">{t('live.coupons')}</h2>
      {inRoom.size === 0 ? <p className="small muted">{t('m.live.noCoupons')}</p> : (
        <ul className="coupon-list">
          {[...inRoom].map((id) => {
            const c = all.find((x) => x.id === id);
            return <li key={id} className="row between"><span>{c ? `${c.name} · ${c.label_zh}` : id}</span>{c && <span className="small muted">{t('m.live.couponLeft', { n: c.remaining })}</span>}</li>;
          })}
        </ul>
      )}
      {!readOnly && (
        <>
          <form className="inline-form" onSubmit={(e) => { e.preventDefault(); if (chosen) void attach(chosen); }}>
            <label htmlFor="coupon-pick" className="small">{t('m.live.attachCoupon')}</label>
            <select id="coupon-pick" value={chosen} onChange={(e) => setPick(e.target.value)} disabled={candidates.length === 0}>
              {candidates.length === 0 && <option value="">{t('m.live.noStoreCoupons')}</option>}
              {candidates.map((c) => <option key={c.id} value={c.id}>{c.name} · {c.label_zh}</option>)}
            </select>
            <button type="submit" className="btn small" disabled={!chosen || a.busy}>{t('m.live.attach')}</button>
          </form>
          <ErrorNotice error={a.error} />
          <details>
            <summary>{t('m.live.newCoupon')}</summary>
            <CouponForm storeId={storeId} idPrefix="lc" submitLabel={t('m.live.createCoupon')} onCreated={(c) => void attach(c.id)} />
          </details>
        </>
      )}
    </section>
  );
}
