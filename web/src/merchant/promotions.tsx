import { useState, type FormEvent, type ReactNode } from 'react';
import { dateTime, specText } from '../lib/format.ts';
import { useI18n } from '../lib/i18n.tsx';
import { Link, useLocation } from '../lib/router.tsx';
import type { Page } from '../lib/types.ts';
import { useAsync } from '../lib/use-async.ts';
import { Field, Money } from '../ui/bits.tsx';
import { Empty, ErrorView, Loading, Notice } from '../ui/states.tsx';
import { api } from './api.ts';
import { ErrorNotice, useAction } from './bits.tsx';
import { CouponForm } from './coupon-form.tsx';
import { couponLabelEn, offerState, parseCount, ruleLabelEn, type OfferState } from './promotion-input.ts';
import { FlashSaleForm, ThresholdForm, useSkuChoices, type SkuChoice } from './promotions-forms.tsx';
import type { CouponTemplate, FlashSale, ThresholdPromotion } from './types.ts';

const TABS = ['coupons', 'thresholds', 'flash'] as const;
type Tab = (typeof TABS)[number];
const BADGE: Record<OfferState, string> = { running: 's-live', upcoming: 'phase-warmup', ended: '', stopped: '' };

/** A list of the store's offers, newest first, a page at a time; rows are replaced in place after an edit. */
function useOffers<T extends { id: string }>(path: string, storeId: string) {
  const list = useAsync((s) => api.get<Page<T>>(path, { limit: 20 }, s), [path, storeId]);
  const a = useAction();
  const data = list.data;
  return {
    ...list,
    more: a.busy ? null : data?.next_cursor ? () => void a.run(async () => {
      const next = await api.get<Page<T>>(path, { limit: 20, cursor: data.next_cursor! });
      list.set({ items: [...data.items, ...next.items], next_cursor: next.next_cursor });
    }) : undefined,
    moreError: a.error,
    replace: (x: T) => data && list.set({ ...data, items: data.items.map((y) => (y.id === x.id ? x : y)) }),
  };
}

/**
 * 营销工具: the store's coupons (店铺券), threshold promotions (满减) and flash sales (限时抢购) —
 * listed with what buyers see, created, edited and ended. The server checks every rule and
 * explains a refusal; customer service sees the offers but changes nothing (no price.write).
 */
export function PromotionsPage({ storeId, role }: { storeId: string; role: string }) {
  const { t } = useI18n();
  const { query } = useLocation();
  const tab: Tab = TABS.find((x) => x === query.get('tab')) ?? 'coupons';
  const canEdit = role !== 'customer_service';
  return (
    <>
      <h1 className="page-title">{t('m.promo.title')}</h1>
      <p className="small muted">{t('m.promo.intro')}</p>
      {!canEdit && <Notice kind="info">{t('m.promo.viewOnly')}</Notice>}
      <nav className="tabs" aria-label={t('m.promo.kinds')}>
        {TABS.map((x) => (
          <Link key={x} to={x === 'coupons' ? '/merchant/promotions' : `/merchant/promotions?tab=${x}`} className={tab === x ? 'on' : ''} aria-current={tab === x ? 'page' : undefined}>
            {t(`m.promo.tab.${x}`)}
          </Link>
        ))}
      </nav>
      {tab === 'coupons' && <Coupons key={storeId} storeId={storeId} canEdit={canEdit} />}
      {tab === 'thresholds' && <Thresholds key={storeId} storeId={storeId} canEdit={canEdit} />}
      {tab === 'flash' && <FlashSales key={storeId} storeId={storeId} canEdit={canEdit} />}
    </>
  );
}

/** The list part of a tab: loading, error, empty, the rows and "more". */
function OfferList<T extends { id: string }>({ list, label, empty, row }: { list: ReturnType<typeof useOffers<T>>; label: string; empty: string; row: (x: T) => ReactNode }) {
  const { t } = useI18n();
  if (list.error) return <ErrorView error={list.error} retry={list.reload} />;
  if (!list.data) return <Loading />;
  if (list.data.items.length === 0) return <Empty>{empty}</Empty>;
  return (
    <>
      <ul className="lines" aria-label={label}>{list.data.items.map(row)}</ul>
      {list.more !== undefined && <button type="button" className="btn small" disabled={list.more === null} onClick={() => list.more?.()}>{t('more')}</button>}
      <ErrorNotice error={list.moreError} />
    </>
  );
}

function NewOffer({ title, open, children }: { title: string; open: boolean; children: ReactNode }) {
  return (
    <details className="card" open={open}>
      <summary><strong>{title}</strong></summary>
      {children}
    </details>
  );
}

function StateBadge({ state, kind }: { state: OfferState; kind: 'cpn' | 'thr' | 'fls' }) {
  const { t } = useI18n();
  return <span className={`badge ${BADGE[state]}`}>{t(`m.${kind}.state.${state}`)}</span>;
}

/** Ending is one step back from the brink: the button asks again and says what ending means. */
function EndControl({ label, confirm, note, onEnd }: { label: string; confirm: string; note: string; onEnd: () => Promise<unknown> }) {
  const { t } = useI18n();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  if (!asking) return <button type="button" className="btn small danger" onClick={() => setAsking(true)}>{label}</button>;
  return (
    <div className="confirm-box" role="group" aria-label={label}>
      <p className="small">{note}</p>
      <div className="actions wrap">
        <button type="button" className="btn small danger" disabled={busy} onClick={() => { setBusy(true); void onEnd().finally(() => { setBusy(false); setAsking(false); }); }}>{confirm}</button>
        <button type="button" className="btn small" onClick={() => setAsking(false)}>{t('cancel')}</button>
      </div>
    </div>
  );
}

const Window = ({ from, to }: { from: string; to: string }) => <>{dateTime(from)} – {dateTime(to)}</>;

// ───────────── 店铺券 ─────────────
function Coupons({ storeId, canEdit }: { storeId: string; canEdit: boolean }) {
  const { t } = useI18n();
  const list = useOffers<CouponTemplate>(`/merchant/stores/${storeId}/coupons`, storeId);
  return (
    <>
      {canEdit && (
        <NewOffer title={t('m.cpn.new')} open={list.data?.items.length === 0}>
          <CouponForm storeId={storeId} idPrefix="cpn" submitLabel={t('m.cpn.create')} onCreated={list.reload} />
        </NewOffer>
      )}
      <section className="card" aria-labelledby="h-coupons">
        <h2 id="h-coupons">{t('m.promo.tab.coupons')}</h2>
        <OfferList list={list} label={t('m.promo.tab.coupons')} empty={t('m.cpn.none')} row={(c) => <CouponRow key={c.id} storeId={storeId} c={c} canEdit={canEdit} onChanged={list.replace} />} />
      </section>
    </>
  );
}

function CouponRow({ storeId, c, canEdit, onChanged }: { storeId: string; c: CouponTemplate; canEdit: boolean; onChanged: (c: CouponTemplate) => void }) {
  const { t, lang } = useI18n();
  const [editing, setEditing] = useState(false);
  const a = useAction();
  const state = offerState(c, Date.now());
  const patch = (body: object) => a.run(() => api.patch<CouponTemplate>(`/merchant/stores/${storeId}/coupons/${c.id}`, body)).then((r) => r && onChanged(r));
  return (
    <li className="offer" data-coupon={c.id}>
      <div className="row between">
        <strong className="clamp2">{c.name}</strong>
        <StateBadge state={state} kind="cpn" />
      </div>
      <span className="price">{lang === 'zh' ? c.label_zh : couponLabelEn(c)}</span>
      <dl className="facts small">
        <div><dt>{t('m.cpn.claimed')}</dt><dd>{c.claimed} / {c.total_quantity}</dd></div>
        <div><dt>{t('m.cpn.remaining')}</dt><dd>{c.remaining}</dd></div>
        <div><dt>{t('m.cpn.limit')}</dt><dd>{c.per_buyer_limit}</dd></div>
        {c.valid_days !== null && <div><dt>{t('m.cpn.days')}</dt><dd>{c.valid_days}</dd></div>}
      </dl>
      <p className="small muted">{t('m.promo.valid')}<Window from={c.valid_from} to={c.valid_to} /></p>
      {canEdit && state !== 'ended' && (
        <div className="actions wrap">
          <button type="button" className="btn small" aria-expanded={editing} onClick={() => setEditing(!editing)}>{t('m.promo.edit')}</button>
          {c.status === 'active'
            ? <EndControl label={t('m.cpn.stop')} confirm={t('m.cpn.stopConfirm')} note={t('m.cpn.stopNote')} onEnd={() => patch({ status: 'stopped' })} />
            : <button type="button" className="btn small" disabled={a.busy} onClick={() => void patch({ status: 'active' })}>{t('m.cpn.resume')}</button>}
        </div>
      )}
      {editing && <CouponEdit storeId={storeId} c={c} onSaved={(r) => { setEditing(false); onChanged(r); }} />}
      <ErrorNotice error={a.error} />
    </li>
  );
}

/** What may change once buyers hold a coupon: its name, the budget (not below what is claimed) and the limit for later claims. */
function CouponEdit({ storeId, c, onSaved }: { storeId: string; c: CouponTemplate; onSaved: (c: CouponTemplate) => void }) {
  const { t } = useI18n();
  const [name, setName] = useState(c.name);
  const [total, setTotal] = useState(String(c.total_quantity));
  const [limit, setLimit] = useState(String(c.per_buyer_limit));
  const [bad, setBad] = useState<string | null>(null);
  const a = useAction();
  const id = (f: string) => `cpn-${c.id}-${f}`;
  const save = async (e: FormEvent) => {
    e.preventDefault();
    const total_quantity = parseCount(total);
    const per_buyer_limit = parseCount(limit, 1, 100);
    if (!name.trim()) return setBad('m.promo.badName');
    if (total_quantity === null) return setBad('m.cpn.badTotal');
    if (per_buyer_limit === null) return setBad('m.cpn.badLimit');
    setBad(null);
    const r = await a.run(() => api.patch<CouponTemplate>(`/merchant/stores/${storeId}/coupons/${c.id}`, { name: name.trim(), total_quantity, per_buyer_limit }));
    if (r) onSaved(r);
  };
  return (
    <form className="card" onSubmit={(e) => void save(e)} aria-label={t('m.promo.editOf', { name: c.name })}>
      <p className="small muted">{t('m.cpn.termsFixed')}</p>
      <div className="form-grid">
        <Field id={id('name')} label={t('m.cpn.name')}><input id={id('name')} required maxLength={40} value={name} onChange={(e) => setName(e.target.value)} /></Field>
        <Field id={id('total')} label={t('m.cpn.total')} hint={t('m.cpn.totalHint', { n: c.claimed })}>
          <input id={id('total')} inputMode="numeric" required value={total} onChange={(e) => setTotal(e.target.value)} aria-describedby={`${id('total')}-hint`} />
        </Field>
        <Field id={id('limit')} label={t('m.cpn.limit')}><input id={id('limit')} inputMode="numeric" required value={limit} onChange={(e) => setLimit(e.target.value)} /></Field>
      </div>
      {bad && <p className="small error-text" role="alert">{t(bad as never)}</p>}
      <ErrorNotice error={a.error} />
      <button type="submit" className="btn primary small" disabled={a.busy}>{t('m.p.save')}</button>
    </form>
  );
}

// ───────────── 满减 ─────────────
function Thresholds({ storeId, canEdit }: { storeId: string; canEdit: boolean }) {
  const { t } = useI18n();
  const list = useOffers<ThresholdPromotion>(`/merchant/stores/${storeId}/threshold-promotions`, storeId);
  return (
    <>
      {canEdit && (
        <NewOffer title={t('m.thr.new')} open={list.data?.items.length === 0}>
          <ThresholdForm storeId={storeId} idPrefix="thr" onSaved={list.reload} />
        </NewOffer>
      )}
      <section className="card" aria-labelledby="h-thresholds">
        <h2 id="h-thresholds">{t('m.promo.tab.thresholds')}</h2>
        <OfferList list={list} label={t('m.promo.tab.thresholds')} empty={t('m.thr.none')} row={(p) => <ThresholdRow key={p.id} storeId={storeId} p={p} canEdit={canEdit} onChanged={list.replace} />} />
      </section>
    </>
  );
}

function ThresholdRow({ storeId, p, canEdit, onChanged }: { storeId: string; p: ThresholdPromotion; canEdit: boolean; onChanged: (p: ThresholdPromotion) => void }) {
  const { t, lang } = useI18n();
  const [editing, setEditing] = useState(false);
  const a = useAction();
  const state = offerState(p, Date.now());
  const stop = () => a.run(() => api.patch<ThresholdPromotion>(`/merchant/stores/${storeId}/threshold-promotions/${p.id}`, { status: 'stopped' })).then((r) => r && onChanged(r));
  return (
    <li className="offer" data-promotion={p.id}>
      <div className="row between">
        <strong className="clamp2">{p.name}</strong>
        <StateBadge state={state} kind="thr" />
      </div>
      <span className="price">{lang === 'zh' ? p.label_zh : ruleLabelEn(p.rule)}</span>
      <p className="small muted">{t('m.promo.valid')}<Window from={p.valid_from} to={p.valid_to} /></p>
      {canEdit && (state === 'running' || state === 'upcoming') && (
        <div className="actions wrap">
          <button type="button" className="btn small" aria-expanded={editing} onClick={() => setEditing(!editing)}>{t('m.promo.edit')}</button>
          <EndControl label={t('m.thr.stop')} confirm={t('m.thr.stopConfirm')} note={t('m.thr.stopNote')} onEnd={stop} />
        </div>
      )}
      {editing && (
        <div className="card" role="group" aria-label={t('m.promo.editOf', { name: p.name })}>
          <ThresholdForm storeId={storeId} idPrefix={`thr-${p.id}`} saved={p} onSaved={(r) => { setEditing(false); onChanged(r); }} />
        </div>
      )}
      <ErrorNotice error={a.error} />
    </li>
  );
}

// ───────────── 限时抢购 ─────────────
function FlashSales({ storeId, canEdit }: { storeId: string; canEdit: boolean }) {
  const { t } = useI18n();
  const list = useOffers<FlashSale>(`/merchant/stores/${storeId}/flash-sales`, storeId);
  const { skus, error } = useSkuChoices(storeId);
  const saved = () => list.reload();
  return (
    <>
      {canEdit && (
        <NewOffer title={t('m.fls.new')} open={list.data?.items.length === 0}>
          {error ? <ErrorNotice error={error} /> : <FlashSaleForm storeId={storeId} idPrefix="fls" skus={skus} onSaved={saved} />}
        </NewOffer>
      )}
      <section className="card" aria-labelledby="h-flash">
        <h2 id="h-flash">{t('m.promo.tab.flash')}</h2>
        <OfferList list={list} label={t('m.promo.tab.flash')} empty={t('m.fls.none')} row={(f) => <FlashRow key={f.id} storeId={storeId} f={f} sku={skus.find((s) => s.id === f.sku_id)} skus={skus} canEdit={canEdit} onChanged={list.replace} />} />
      </section>
    </>
  );
}

function FlashRow({ storeId, f, sku, skus, canEdit, onChanged }: { storeId: string; f: FlashSale; sku: SkuChoice | undefined; skus: SkuChoice[]; canEdit: boolean; onChanged: (f: FlashSale) => void }) {
  const { t } = useI18n();
  const [editing, setEditing] = useState(false);
  const a = useAction();
  const stop = () => a.run(() => api.patch<FlashSale>(`/merchant/stores/${storeId}/flash-sales/${f.id}`, { status: 'stopped' })).then((r) => r && onChanged(r));
  const open = f.phase === 'upcoming' || f.phase === 'running';
  const name = f.product ? [f.product.title, specText(f.product.spec)].filter(Boolean).join(' · ') : sku?.label ?? f.sku_id;
  const original = f.product?.price_minor ?? sku?.price_minor;
  return (
    <li className="offer" data-flash-sale={f.id}>
      <div className="row between">
        <strong className="clamp2">{name}</strong>
        <StateBadge state={f.phase} kind="fls" />
      </div>
      <span><Money fen={f.price_minor} className="price" />{original !== undefined && <> <Money fen={original} strike className="small muted" /></>}</span>
      <dl className="facts small">
        <div><dt>{t('m.fls.stockLeft')}</dt><dd>{f.stock_left} / {f.flash_stock}</dd></div>
        <div><dt>{t('m.fls.sold')}</dt><dd>{f.sold}</dd></div>
        <div><dt>{t('m.fls.limit')}</dt><dd>{f.limit_per_buyer ?? t('m.fls.noLimit')}</dd></div>
      </dl>
      <p className="small muted">{t('m.fls.window')}<Window from={f.starts_at} to={f.ends_at} /></p>
      {canEdit && open && (
        <div className="actions wrap">
          <button type="button" className="btn small" aria-expanded={editing} onClick={() => setEditing(!editing)}>{t('m.promo.edit')}</button>
          <EndControl
            label={t(f.phase === 'running' ? 'm.fls.stop' : 'm.fls.cancel')} confirm={t(f.phase === 'running' ? 'm.fls.stopConfirm' : 'm.fls.cancelConfirm')} note={t('m.fls.stopNote')} onEnd={stop}
          />
        </div>
      )}
      {editing && (
        <div className="card" role="group" aria-label={t('m.promo.editOf', { name })}>
          <FlashSaleForm storeId={storeId} idPrefix={`fls-${f.id}`} skus={skus} saved={f} onSaved={(r) => { setEditing(false); onChanged(r); }} />
        </div>
      )}
      <ErrorNotice error={a.error} />
    </li>
  );
}
