import { useState, type FormEvent } from 'react';
import { parseYuan } from '../lib/format.ts';
import { useI18n } from '../lib/i18n.tsx';
import type { Page } from '../lib/types.ts';
import { useAsync } from '../lib/use-async.ts';
import { Field } from '../ui/bits.tsx';
import { api } from './api.ts';
import { ErrorNotice, useAction } from './bits.tsx';
import type { CouponTemplate } from './types.ts';

const DAY_MS = 86_400_000;

/** 直播专享券: store coupons claimed only in this room while it is live — attach an existing one or create one for the room. */
export function LiveCoupons({ storeId, roomId, tick }: { storeId: string; roomId: string; tick: number }) {
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
      <form className="inline-form" onSubmit={(e) => { e.preventDefault(); if (chosen) void attach(chosen); }}>
        <label htmlFor="coupon-pick" className="small">{t('m.live.attachCoupon')}</label>
        <select id="coupon-pick" value={chosen} onChange={(e) => setPick(e.target.value)} disabled={candidates.length === 0}>
          {candidates.length === 0 && <option value="">{t('m.live.noStoreCoupons')}</option>}
          {candidates.map((c) => <option key={c.id} value={c.id}>{c.name} · {c.label_zh}</option>)}
        </select>
        <button type="submit" className="btn small" disabled={!chosen || a.busy}>{t('m.live.attach')}</button>
      </form>
      <ErrorNotice error={a.error} />
      <NewLiveCoupon storeId={storeId} onCreated={(id) => void attach(id)} />
    </section>
  );
}

function NewLiveCoupon({ storeId, onCreated }: { storeId: string; onCreated: (templateId: string) => void }) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [threshold, setThreshold] = useState('');
  const [off, setOff] = useState('');
  const [qty, setQty] = useState('100');
  const [bad, setBad] = useState(false);
  const a = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const offFen = parseYuan(off);
    const thFen = threshold.trim() ? parseYuan(threshold) : 0;
    const n = Number(qty);
    const ok = offFen !== null && offFen > 0 && thFen !== null && Number.isInteger(n) && n >= 1;
    setBad(!ok);
    if (!ok) return;
    // a minute back: the person's clock may run a little ahead of the server's
    const now = Date.now() - 60_000;
    const body = {
      name: name.trim(), kind: thFen ? 'threshold' : 'fixed', off_minor: offFen, ...(thFen ? { threshold_minor: thFen } : {}),
      valid_from: new Date(now).toISOString(), valid_to: new Date(now + 7 * DAY_MS).toISOString(), total_quantity: n, per_buyer_limit: 1,
    };
    const c = await a.run(() => api.post<CouponTemplate>(`/merchant/stores/${storeId}/coupons`, body, { idempotent: true }));
    if (c) {
      setName('');
      onCreated(c.id);
    }
  };
  return (
    <details>
      <summary>{t('m.live.newCoupon')}</summary>
      <form className="form-grid" onSubmit={(e) => void submit(e)}>
        <Field id="lc-name" label={t('m.live.couponName')}><input id="lc-name" required maxLength={40} value={name} onChange={(e) => setName(e.target.value)} /></Field>
        <Field id="lc-threshold" label={t('m.live.couponThreshold')} hint={t('m.live.couponThresholdHint')}><input id="lc-threshold" inputMode="decimal" value={threshold} onChange={(e) => setThreshold(e.target.value)} aria-describedby="lc-threshold-hint" /></Field>
        <Field id="lc-off" label={t('m.live.couponOff')}><input id="lc-off" inputMode="decimal" required value={off} onChange={(e) => setOff(e.target.value)} /></Field>
        <Field id="lc-qty" label={t('m.live.couponQty')}><input id="lc-qty" inputMode="numeric" required value={qty} onChange={(e) => setQty(e.target.value)} /></Field>
        {bad && <p className="small error-text" role="alert">{t('m.live.badCoupon')}</p>}
        <ErrorNotice error={a.error} />
        <button type="submit" className="btn small" disabled={a.busy}>{t('m.live.createCoupon')}</button>
      </form>
    </details>
  );
}
