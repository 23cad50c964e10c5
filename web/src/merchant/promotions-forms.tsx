import { useState, type FormEvent } from 'react';
import { specText, yuan } from '../lib/format.ts';
import { useI18n } from '../lib/i18n.tsx';
import type { MerchantProduct, Page } from '../lib/types.ts';
import { useAsync } from '../lib/use-async.ts';
import { Field } from '../ui/bits.tsx';
import { api } from './api.ts';
import { ErrorNotice, useAction } from './bits.tsx';
import { flashBody, flashDraft, thresholdBody, thresholdDraft, type FlashDraft, type ThresholdDraft } from './promotion-input.ts';
import type { FlashSale, ThresholdPromotion, ThresholdRule } from './types.ts';

/** A SKU as the merchant names it (product title · spec), with its price and what is available now. */
export interface SkuChoice { id: string; product_id: string; label: string; price_minor: number; available: number; on_sale: boolean }

/** The store's SKUs (first 100 products): on-sale ones can get a flash sale; all of them name the sales in the list. */
export function useSkuChoices(storeId: string) {
  const products = useAsync((s) => api.get<Page<MerchantProduct>>(`/merchant/stores/${storeId}/products`, { limit: 100 }, s), [storeId]);
  const skus: SkuChoice[] = (products.data?.items ?? []).flatMap((p) => p.skus.map((s) => ({
    id: s.id, product_id: p.id, label: `${p.title}${specText(s.spec) ? ` · ${specText(s.spec)}` : ''}`, price_minor: s.price_minor,
    available: s.stock?.available ?? 0, on_sale: p.status === 'live' && s.status === 'active',
  })));
  return { skus, error: products.error, reload: products.reload };
}

const RULE_KINDS: readonly ThresholdRule['kind'][] = ['tiers', 'every'];

/** 满减: a ladder of 满X减Y tiers or 每满X减Y (optionally capped) over a validity — new, or an edit of a saved one (checked again by the server). */
export function ThresholdForm({ storeId, idPrefix, saved, onSaved }: { storeId: string; idPrefix: string; saved?: ThresholdPromotion; onSaved: (p: ThresholdPromotion) => void }) {
  const { t } = useI18n();
  const [d, setD] = useState<ThresholdDraft>(() => thresholdDraft(Date.now(), saved));
  const [bad, setBad] = useState<string | null>(null);
  const a = useAction();
  const set = (p: Partial<ThresholdDraft>) => setD({ ...d, ...p });
  const setTier = (i: number, p: Partial<ThresholdDraft['tiers'][number]>) => set({ tiers: d.tiers.map((x, j) => (j === i ? { ...x, ...p } : x)) });
  const id = (f: string) => `${idPrefix}-${f}`;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body = thresholdBody(d);
    if ('bad' in body) return setBad(body.bad);
    setBad(null);
    const path = `/merchant/stores/${storeId}/threshold-promotions`;
    const p = await a.run(() => (saved ? api.patch<ThresholdPromotion>(`${path}/${saved.id}`, body) : api.post<ThresholdPromotion>(path, body, { idempotent: true })));
    if (p) {
      if (!saved) setD(thresholdDraft(Date.now()));
      onSaved(p);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)}>
      <Field id={id('name')} label={t('m.thr.name')}><input id={id('name')} required maxLength={40} value={d.name} onChange={(e) => set({ name: e.target.value })} /></Field>
      <fieldset>
        <legend>{t('m.thr.kind')}</legend>
        <div className="chips wrap">
          {RULE_KINDS.map((k) => (
            <label key={k} className={`chip ${d.kind === k ? 'on' : ''}`} htmlFor={id(`kind-${k}`)}>
              <input id={id(`kind-${k}`)} type="radio" name={id('kind')} checked={d.kind === k} onChange={() => set({ kind: k })} /> {t(`m.thr.kind.${k}`)}
            </label>
          ))}
        </div>
      </fieldset>
      {d.kind === 'tiers' ? (
        <fieldset>
          <legend className="sr-only">{t('m.thr.kind.tiers')}</legend>
          <p className="small muted">{t('m.thr.tiersHint')}</p>
          {d.tiers.map((x, i) => (
            <div key={i} className="inline-form tier-row">
              <label htmlFor={id(`t-${i}`)}>{t('m.thr.over', { n: i + 1 })}</label>
              <input id={id(`t-${i}`)} inputMode="decimal" required value={x.threshold} onChange={(e) => setTier(i, { threshold: e.target.value })} />
              <label htmlFor={id(`o-${i}`)}>{t('m.thr.off', { n: i + 1 })}</label>
              <input id={id(`o-${i}`)} inputMode="decimal" required value={x.off} onChange={(e) => setTier(i, { off: e.target.value })} />
              {d.tiers.length > 1 && (
                <button type="button" className="btn small" onClick={() => set({ tiers: d.tiers.filter((_, j) => j !== i) })}>{t('m.thr.removeTier', { n: i + 1 })}</button>
              )}
            </div>
          ))}
          {d.tiers.length < 10 && <button type="button" className="btn small" onClick={() => set({ tiers: [...d.tiers, { threshold: '', off: '' }] })}>{t('m.thr.addTier')}</button>}
        </fieldset>
      ) : (
        <div className="form-grid">
          <Field id={id('step')} label={t('m.thr.step')}><input id={id('step')} inputMode="decimal" required value={d.step} onChange={(e) => set({ step: e.target.value })} /></Field>
          <Field id={id('every-off')} label={t('m.thr.everyOff')}><input id={id('every-off')} inputMode="decimal" required value={d.off} onChange={(e) => set({ off: e.target.value })} /></Field>
          <Field id={id('cap')} label={t('m.thr.cap')}><input id={id('cap')} inputMode="decimal" value={d.cap} onChange={(e) => set({ cap: e.target.value })} /></Field>
        </div>
      )}
      <div className="form-grid">
        <Field id={id('from')} label={t('m.promo.from')}><input id={id('from')} type="datetime-local" required value={d.from} onChange={(e) => set({ from: e.target.value })} /></Field>
        <Field id={id('to')} label={t('m.promo.to')}><input id={id('to')} type="datetime-local" required value={d.to} onChange={(e) => set({ to: e.target.value })} /></Field>
      </div>
      {bad && <p className="small error-text" role="alert">{t(bad as never)}</p>}
      {a.error !== null && <p className="small"><strong>{t('m.promo.refused')}</strong></p>}
      <ErrorNotice error={a.error} />
      <button type="submit" className="btn primary" disabled={a.busy}>{t(saved ? 'm.p.save' : 'm.thr.create')}</button>
    </form>
  );
}

/**
 * 限时抢购 for one SKU: the flash price, flash stock, per-buyer limit and window — new (picking
 * an on-sale SKU) or an edit of a saved sale. The price band, the 24 h limit and the stock
 * ceiling are the server's rules; the hint says them and a refusal explains which one failed.
 */
export function FlashSaleForm({ storeId, idPrefix, skus, saved, onSaved }: { storeId: string; idPrefix: string; skus: SkuChoice[]; saved?: FlashSale; onSaved: (f: FlashSale) => void }) {
  const { t } = useI18n();
  const [d, setD] = useState<FlashDraft>(() => flashDraft(Date.now(), saved));
  const [pick, setPick] = useState('');
  const [bad, setBad] = useState<string | null>(null);
  const a = useAction();
  const set = (p: Partial<FlashDraft>) => setD({ ...d, ...p });
  const id = (f: string) => `${idPrefix}-${f}`;
  const choices = skus.filter((s) => s.on_sale);
  const sku = saved ? skus.find((s) => s.id === saved.sku_id) : (choices.find((s) => s.id === pick) ?? choices[0]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body = flashBody(d);
    if ('bad' in body) return setBad(body.bad);
    if (!saved && !sku) return setBad('m.fls.noSkus');
    setBad(null);
    const path = `/merchant/stores/${storeId}/flash-sales`;
    const f = await a.run(() => (saved ? api.patch<FlashSale>(`${path}/${saved.id}`, body) : api.post<FlashSale>(path, { sku_id: sku!.id, ...body }, { idempotent: true })));
    if (f) {
      if (!saved) setD(flashDraft(Date.now()));
      onSaved(f);
    }
  };
  if (!saved && choices.length === 0) return <p className="small muted">{t('m.fls.noSkus')}</p>;
  return (
    <form onSubmit={(e) => void submit(e)}>
      {!saved && (
        <Field id={id('sku')} label={t('m.fls.sku')} hint={sku ? t('m.fls.skuNow', { price: yuan(sku.price_minor), n: sku.available }) : undefined}>
          <select id={id('sku')} value={sku?.id ?? ''} onChange={(e) => setPick(e.target.value)} aria-describedby={id('sku-hint')}>
            {choices.map((s) => <option key={s.id} value={s.id}>{s.label}</option>)}
          </select>
        </Field>
      )}
      <p className="small muted">{t('m.fls.rules')}</p>
      <div className="form-grid">
        <Field id={id('price')} label={t('m.fls.price')}><input id={id('price')} inputMode="decimal" required value={d.price} onChange={(e) => set({ price: e.target.value })} /></Field>
        <Field id={id('stock')} label={t('m.fls.stock')}><input id={id('stock')} inputMode="numeric" required value={d.stock} onChange={(e) => set({ stock: e.target.value })} /></Field>
        <Field id={id('limit')} label={t('m.fls.limit')}><input id={id('limit')} inputMode="numeric" value={d.limit} onChange={(e) => set({ limit: e.target.value })} /></Field>
        <Field id={id('from')} label={t('m.fls.from')}><input id={id('from')} type="datetime-local" required value={d.from} onChange={(e) => set({ from: e.target.value })} /></Field>
        <Field id={id('to')} label={t('m.fls.to')}><input id={id('to')} type="datetime-local" required value={d.to} onChange={(e) => set({ to: e.target.value })} /></Field>
      </div>
      {bad && <p className="small error-text" role="alert">{t(bad as never)}</p>}
      {a.error !== null && <p className="small"><strong>{t('m.promo.refused')}</strong></p>}
      <ErrorNotice error={a.error} />
      <button type="submit" className="btn primary" disabled={a.busy}>{t(saved ? 'm.p.save' : 'm.fls.create')}</button>
    </form>
  );
}
