import { useState, type FormEvent } from 'react';
import { useI18n } from '../lib/i18n.tsx';
import { Field } from '../ui/bits.tsx';
import { api } from './api.ts';
import { ErrorNotice, useAction } from './bits.tsx';
import { couponBody, couponDraft, type CouponDraft, type CouponKind } from './promotion-input.ts';
import type { CouponTemplate } from './types.ts';

const KINDS: readonly CouponKind[] = ['threshold', 'fixed', 'percent'];

/**
 * A new store coupon (店铺券): 满X减Y, 无门槛减Y or 打N折 (optionally 满X, capped), its validity,
 * budget and per-buyer limit. Used by 营销工具 and by the live console (a live coupon is a store
 * coupon attached to the room). The discount never changes once created — buyers hold it.
 */
export function CouponForm({ storeId, idPrefix, submitLabel, onCreated }: { storeId: string; idPrefix: string; submitLabel: string; onCreated: (c: CouponTemplate) => void }) {
  const { t } = useI18n();
  const [d, setD] = useState<CouponDraft>(() => couponDraft(Date.now()));
  const [bad, setBad] = useState<string | null>(null);
  const a = useAction();
  const set = (p: Partial<CouponDraft>) => setD({ ...d, ...p });
  const id = (f: string) => `${idPrefix}-${f}`;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body = couponBody(d);
    if ('bad' in body) return setBad(body.bad);
    setBad(null);
    const c = await a.run(() => api.post<CouponTemplate>(`/merchant/stores/${storeId}/coupons`, body, { idempotent: true }));
    if (c) {
      setD(couponDraft(Date.now()));
      onCreated(c);
    }
  };
  const input = (f: keyof CouponDraft, o: { mode?: 'decimal' | 'numeric'; required?: boolean; hint?: boolean } = {}) => (
    <input
      id={id(f)} inputMode={o.mode} required={o.required} value={d[f]} onChange={(e) => set({ [f]: e.target.value })}
      aria-describedby={o.hint ? `${id(f)}-hint` : undefined}
    />
  );
  return (
    <form onSubmit={(e) => void submit(e)}>
      <Field id={id('name')} label={t('m.cpn.name')}><input id={id('name')} required maxLength={40} value={d.name} onChange={(e) => set({ name: e.target.value })} /></Field>
      <fieldset>
        <legend>{t('m.cpn.kind')}</legend>
        <div className="chips wrap">
          {KINDS.map((k) => (
            <label key={k} className={`chip ${d.kind === k ? 'on' : ''}`} htmlFor={id(`kind-${k}`)}>
              <input id={id(`kind-${k}`)} type="radio" name={id('kind')} checked={d.kind === k} onChange={() => set({ kind: k })} /> {t(`m.cpn.kind.${k}`)}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="form-grid">
        {d.kind !== 'fixed' && (
          <Field id={id('threshold')} label={t(d.kind === 'threshold' ? 'm.cpn.threshold' : 'm.cpn.thresholdOptional')}>{input('threshold', { mode: 'decimal', required: d.kind === 'threshold' })}</Field>
        )}
        {d.kind === 'percent' ? (
          <>
            <Field id={id('rate')} label={t('m.cpn.rate')} hint={t('m.cpn.rateHint')}>{input('rate', { mode: 'decimal', required: true, hint: true })}</Field>
            <Field id={id('cap')} label={t('m.cpn.cap')}>{input('cap', { mode: 'decimal' })}</Field>
          </>
        ) : (
          <Field id={id('off')} label={t('m.cpn.off')} hint={t('m.cpn.offHint')}>{input('off', { mode: 'decimal', required: true, hint: true })}</Field>
        )}
        <Field id={id('total')} label={t('m.cpn.total')}>{input('total', { mode: 'numeric', required: true })}</Field>
        <Field id={id('limit')} label={t('m.cpn.limit')}>{input('limit', { mode: 'numeric', required: true })}</Field>
        <Field id={id('from')} label={t('m.promo.from')}><input id={id('from')} type="datetime-local" required value={d.from} onChange={(e) => set({ from: e.target.value })} /></Field>
        <Field id={id('to')} label={t('m.promo.to')}><input id={id('to')} type="datetime-local" required value={d.to} onChange={(e) => set({ to: e.target.value })} /></Field>
        <Field id={id('days')} label={t('m.cpn.days')} hint={t('m.cpn.daysHint')}>{input('days', { mode: 'numeric', hint: true })}</Field>
      </div>
      {bad && <p className="small error-text" role="alert">{t(bad as never)}</p>}
      {a.error !== null && <p className="small"><strong>{t('m.promo.refused')}</strong></p>}
      <ErrorNotice error={a.error} />
      <button type="submit" className="btn primary" disabled={a.busy}>{submitLabel}</button>
    </form>
  );
}
