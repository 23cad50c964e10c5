import { useState, type FormEvent, type ReactNode } from 'react';
import { dateTime, parseYuan, specText, yuan } from '../lib/format.ts';
import { useI18n } from '../lib/i18n.tsx';
import type { MerchantProduct, Page } from '../lib/types.ts';
import { useAsync } from '../lib/use-async.ts';
import { Field, Money, Section, StatusBadge } from '../ui/bits.tsx';
import { Empty, ErrorView, Loading, Notice } from '../ui/states.tsx';
import { api } from './api.ts';
import { ErrorNotice, useAction } from './bits.tsx';
import { PresaleSetup } from './presale.tsx';
import { PresaleOrders } from './presale-orders.tsx';
import { percent } from './rates.ts';
import type { Campaign, CategoryFull, PresaleOffer, Registration } from './types.ts';

interface SkuChoice { id: string; label: string; price_minor: number; available: number }

/**
 * 活动报名: platform campaigns open for registration with their rules in words, registering a
 * SKU with a campaign price and stock (the automatic check explains every failed rule), the
 * store's registrations with withdrawal before selling starts and their pre-sale (预售设置),
 * and the store's pre-sale orders per campaign.
 */
export function CampaignsPage({ storeId, role }: { storeId: string; role: string }) {
  const { t } = useI18n();
  const campaigns = useAsync((s) => api.get<{ items: Campaign[] }>(`/merchant/stores/${storeId}/campaigns`, undefined, s), [storeId]);
  const regs = useAsync((s) => api.get<{ items: Registration[] }>(`/merchant/stores/${storeId}/campaign-registrations`, undefined, s), [storeId]);
  const products = useAsync((s) => api.get<Page<MerchantProduct>>(`/merchant/stores/${storeId}/products`, { status: 'live', limit: 100 }, s), [storeId]);
  const categories = useAsync((s) => api.get<{ items: CategoryFull[] }>('/categories', undefined, s), []);
  const canRegister = role !== 'customer_service';
  const skus: SkuChoice[] = (products.data?.items ?? []).flatMap((p) => p.skus.filter((s) => s.status === 'active').map((s) => ({
    id: s.id, label: `${p.title}${specText(s.spec) ? ` · ${specText(s.spec)}` : ''}`, price_minor: s.price_minor, available: s.stock?.available ?? 0,
  })));
  // campaigns past registration (warm-up, selling) are public: their names and phases for the registrations
  const visible = useAsync((s) => api.get<{ items: Campaign[] }>('/campaigns', undefined, s), []);
  const known = new Map([...(visible.data?.items ?? []), ...(campaigns.data?.items ?? [])].map((c) => [c.id, c]));
  // the store's pre-sale offers, per campaign it registered for (a campaign in review is in neither list above)
  const campaignIds = [...new Set((regs.data?.items ?? []).map((r) => r.campaign_id))];
  const offers = useAsync((s) => Promise.all(campaignIds.map((id) => api.get<{ items: PresaleOffer[] }>(`/merchant/stores/${storeId}/campaigns/${id}/presale-offers`, undefined, s)))
    .then((rs) => rs.flatMap((r) => r.items)), [storeId, campaignIds.join(',')]);
  const offerOf = new Map((offers.data ?? []).map((o) => [o.registration_id, o]));
  const presaleCampaigns = campaignIds.filter((id) => (offers.data ?? []).some((o) => o.campaign_id === id));
  return (
    <>
      <h1 className="page-title">{t('m.nav.campaigns')}</h1>
      {campaigns.error ? <ErrorView error={campaigns.error} retry={campaigns.reload} /> : !campaigns.data ? <Loading /> : campaigns.data.items.length === 0 ? <Empty>{t('m.cmp.none')}</Empty> : (
        campaigns.data.items.map((c) => (
          <section key={c.id} className="card campaign" aria-labelledby={`h-${c.id}`}>
            <div className="card-head">
              <h2 id={`h-${c.id}`}>{c.name}</h2>
              <span className="badge s-open k-generic">{c.phase_label_zh}</span>
            </div>
            {c.description && <p className="break">{c.description}</p>}
            <p className="small muted">{t('m.cmp.dates', { reg: dateTime(c.review_start), from: dateTime(c.selling_start), to: dateTime(c.selling_end) })}</p>
            <RulesList campaign={c} categories={categories.data?.items ?? []} />
            {canRegister && <RegisterForm storeId={storeId} campaign={c} skus={skus} onRegistered={regs.reload} />}
          </section>
        ))
      )}
      <Section title={t('m.cmp.mine')}>
        {regs.error ? <ErrorView error={regs.error} retry={regs.reload} /> : !regs.data ? <Loading /> : regs.data.items.length === 0 ? <Empty>{t('m.cmp.noRegs')}</Empty> : (
          <ul className="lines">
            {regs.data.items.map((r) => (
              <RegistrationRow
                key={r.id} storeId={storeId} reg={r} campaign={known.get(r.campaign_id)} sku={skus.find((s) => s.id === r.sku_id)} canWithdraw={canRegister} onChanged={regs.reload}
                presale={offers.data ? <PresaleSetup storeId={storeId} reg={r} campaign={known.get(r.campaign_id)} offer={offerOf.get(r.id)} canEdit={canRegister} onSaved={offers.reload} /> : null}
              />
            ))}
          </ul>
        )}
        {offers.error !== null && <ErrorView error={offers.error} retry={offers.reload} />}
      </Section>
      {presaleCampaigns.length > 0 && (
        <Section title={t('m.ps.orders')}>
          {presaleCampaigns.map((id) => (
            <div key={id} className="presale-orders">
              <h3 className="small clamp2">{known.get(id)?.name ?? t('m.ps.campaign', { id })}</h3>
              <PresaleOrders storeId={storeId} campaignId={id} offers={(offers.data ?? []).filter((o) => o.campaign_id === id)} canCancel={canRegister} onCancelled={() => { regs.reload(); offers.reload(); }} />
            </div>
          ))}
        </Section>
      )}
    </>
  );
}

function RulesList({ campaign, categories }: { campaign: Campaign; categories: CategoryFull[] }) {
  const { t, pick } = useI18n();
  const r = campaign.rules;
  const items: string[] = [];
  if (r.min_discount_bp) items.push(t('m.cmp.ruleDiscount', { p: percent(r.min_discount_bp) }));
  if (r.min_stock) items.push(t('m.cmp.ruleStock', { n: r.min_stock }));
  if (r.store_types?.length) items.push(t('m.cmp.ruleTypes', { types: r.store_types.map((s) => t(`m.ob.subject.${s}` as never)).join('、') }));
  if (r.min_store_score !== undefined) items.push(t('m.cmp.ruleScore', { n: r.min_store_score }));
  if (r.category_ids?.length) items.push(t('m.cmp.ruleCategories', { list: r.category_ids.map((id) => { const c = categories.find((x) => x.id === id); return c ? pick(c.name_zh, c.name_en) : id; }).join('、') }));
  if (campaign.fee_rate_bp !== null) items.push(t('m.cmp.ruleFee', { p: percent(campaign.fee_rate_bp) }));
  return (
    <div>
      <h3 className="small">{t('m.cmp.rules')}</h3>
      <ul className="small rules">{items.map((x) => <li key={x}>{x}</li>)}</ul>
    </div>
  );
}

function RegisterForm({ storeId, campaign, skus, onRegistered }: { storeId: string; campaign: Campaign; skus: SkuChoice[]; onRegistered: () => void }) {
  const { t } = useI18n();
  const [pick, setPick] = useState('');
  const [price, setPrice] = useState('');
  const [stock, setStock] = useState('');
  const [bad, setBad] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const a = useAction();
  const chosen = skus.find((s) => s.id === pick) ?? skus[0];
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setDone(null);
    const fen = parseYuan(price);
    const n = Number(stock);
    if (fen === null || fen <= 0) return setBad('m.p.badPrice');
    if (!Number.isInteger(n) || n < 1) return setBad('m.live.badStock');
    setBad(null);
    const r = await a.run(() => api.post<Registration>(`/merchant/stores/${storeId}/campaigns/${campaign.id}/registrations`, { sku_id: chosen.id, campaign_price_minor: fen, campaign_stock: n }));
    if (r) {
      setDone(r.title);
      setPrice('');
      setStock('');
      onRegistered();
    }
  };
  const id = (f: string) => `reg-${campaign.id}-${f}`;
  if (skus.length === 0) return <p className="small muted">{t('m.cmp.noSkus')}</p>;
  return (
    <form onSubmit={(e) => void submit(e)} aria-label={t('m.cmp.registerFor', { name: campaign.name })}>
      <h3 className="small">{t('m.cmp.register')}</h3>
      <Field id={id('sku')} label={t('m.sku')} hint={chosen ? t('m.cmp.skuNow', { price: yuan(chosen.price_minor), n: chosen.available }) : undefined}>
        <select id={id('sku')} value={chosen?.id ?? ''} onChange={(e) => setPick(e.target.value)} aria-describedby={id('sku-hint')}>
          {skus.map((s) => <option key={s.id} value={s.id}>{s.label}</option>)}
        </select>
      </Field>
      <div className="form-grid">
        <Field id={id('price')} label={t('m.cmp.price')}><input id={id('price')} inputMode="decimal" required value={price} onChange={(e) => setPrice(e.target.value)} /></Field>
        <Field id={id('stock')} label={t('m.cmp.stock')}><input id={id('stock')} inputMode="numeric" required value={stock} onChange={(e) => setStock(e.target.value)} /></Field>
      </div>
      {bad && <p className="small error-text" role="alert">{t(bad as never)}</p>}
      {a.error !== null && <div><p className="small"><strong>{t('m.cmp.refused')}</strong></p><ErrorNotice error={a.error} /></div>}
      {done && <Notice kind="ok">{t('m.cmp.submitted', { title: done })}</Notice>}
      <button type="submit" className="btn primary" disabled={a.busy || !chosen}>{t('m.cmp.submit')}</button>
    </form>
  );
}

const SELLING_OR_LATER = new Set(['selling', 'ended']);

function RegistrationRow({ storeId, reg, campaign, sku, canWithdraw, onChanged, presale }: {
  storeId: string; reg: Registration; campaign: Campaign | undefined; sku: SkuChoice | undefined; canWithdraw: boolean; onChanged: () => void; presale: ReactNode;
}) {
  const { t } = useI18n();
  const a = useAction();
  const withdraw = () => a.run(() => api.post(`/merchant/stores/${storeId}/campaign-registrations/${reg.id}/withdraw`, {})).then((r) => r && onChanged());
  return (
    <li className="registration" data-registration={reg.id}>
      <div className="row between">
        <strong className="clamp2">{sku?.label ?? reg.title}</strong>
        <StatusBadge status={reg.status} kind="generic" />
      </div>
      {campaign && <span className="small muted block">{campaign.name} · {campaign.phase_label_zh}</span>}
      <dl className="facts small">
        <div><dt>{t('m.cmp.dailyPrice')}</dt><dd><Money fen={reg.price_minor} /></dd></div>
        <div><dt>{t('m.cmp.low30')}</dt><dd><Money fen={reg.low_30d_minor} /></dd></div>
        <div><dt>{t('m.cmp.campaignPrice')}</dt><dd><Money fen={reg.campaign_price_minor} className="price" /></dd></div>
        <div><dt>{t('m.cmp.stock')}</dt><dd>{reg.campaign_stock}{reg.sold > 0 && ` · ${t('campaign.sold', { n: reg.sold })}`}</dd></div>
      </dl>
      {reg.review_note && <p className="small break">{t('m.cmp.note')}{reg.review_note}</p>}
      {presale}
      {canWithdraw && (reg.status === 'pending' || reg.status === 'approved') && !(campaign && SELLING_OR_LATER.has(campaign.phase)) && (
        <button type="button" className="btn small" onClick={() => void withdraw()} disabled={a.busy} aria-label={`${t('m.cmp.withdraw')} ${sku?.label ?? reg.title}`}>{t('m.cmp.withdraw')}</button>
      )}
      <ErrorNotice error={a.error} />
    </li>
  );
}
