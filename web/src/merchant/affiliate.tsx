import { useState, type FormEvent } from 'react';
import { dateOnly } from '../lib/format.ts';
import { useI18n } from '../lib/i18n.tsx';
import type { MerchantProduct, Page } from '../lib/types.ts';
import { useAsync } from '../lib/use-async.ts';
import { Field, Money, Section, StatusBadge, Thumb } from '../ui/bits.tsx';
import { Empty, ErrorView, Loading } from '../ui/states.tsx';
import { api } from './api.ts';
import { ErrorNotice, useAction } from './bits.tsx';
import { parsePercent, percent } from './rates.ts';
import type { AffiliateOffer, StoreCreator } from './types.ts';

interface Rate { creator_id: string; rate: string }
const toRates = (rs: AffiliateOffer['exclusive_rates']): Rate[] => rs.map((r) => ({ creator_id: r.creator_id, rate: String(r.rate_bp / 100) }));

// The pool's bounds (affiliate module: MIN_RATE_BP / MAX_RATE_BP); the server says so too.
const rateOk = (bp: number | null): bp is number => bp !== null && bp >= 100 && bp <= 5000;

/** Turns typed rows into exclusive rates; null with the problem when a row is not valid. */
function parseRates(rows: Rate[]): { rates: { creator_id: string; rate_bp: number }[] } | { bad: string } {
  const rates = [];
  for (const r of rows) {
    if (!r.creator_id.trim() && !r.rate.trim()) continue;
    const bp = parsePercent(r.rate);
    if (!/^acc_[0-9A-Z]{26}$/.test(r.creator_id.trim())) return { bad: 'm.aff.badCreator' };
    if (!rateOk(bp)) return { bad: 'm.aff.badRate' };
    rates.push({ creator_id: r.creator_id.trim(), rate_bp: bp });
  }
  return { rates };
}

/** The offer's rate and its exclusive rates as typed, for the API; the problem's message key when something is not valid. */
function parseOffer(rate: string, rows: Rate[]): { rate_bp: number; exclusive_rates: { creator_id: string; rate_bp: number }[] } | { bad: string } {
  const bp = parsePercent(rate);
  if (!rateOk(bp)) return { bad: 'm.aff.badRate' };
  const ex = parseRates(rows);
  return 'bad' in ex ? ex : { rate_bp: bp, exclusive_rates: ex.rates };
}

/** 带货推广 (优选联盟): products in the affiliate pool with their commission, exclusive rates for named creators, and who sells them. */
export function AffiliatePage({ storeId, role }: { storeId: string; role: string }) {
  const { t } = useI18n();
  const offers = useAsync((s) => api.get<Page<AffiliateOffer>>(`/merchant/stores/${storeId}/affiliate/offers`, { limit: 100 }, s), [storeId]);
  const canSeeMoney = role !== 'customer_service';
  const creators = useAsync((s) => (canSeeMoney ? api.get<{ items: StoreCreator[] }>(`/merchant/stores/${storeId}/affiliate/creators`, undefined, s) : Promise.resolve({ items: [] })), [storeId, canSeeMoney]);
  const names = new Map((creators.data?.items ?? []).map((c) => [c.creator_id, c.display_name]));
  return (
    <>
      <h1 className="page-title">{t('m.nav.affiliate')}</h1>
      <p className="small muted">{t('m.aff.intro')}</p>
      <datalist id="known-creators">{(creators.data?.items ?? []).map((c) => <option key={c.creator_id} value={c.creator_id}>{c.display_name}</option>)}</datalist>
      {canSeeMoney && <NewOffer storeId={storeId} offered={new Set((offers.data?.items ?? []).filter((o) => o.status !== 'ended').map((o) => o.product_id))} onCreated={offers.reload} />}
      <Section title={t('m.aff.offers')}>
        {offers.error ? <ErrorView error={offers.error} retry={offers.reload} /> : !offers.data ? <Loading /> : offers.data.items.length === 0 ? <Empty>{t('m.aff.noOffers')}</Empty> : (
          <ul className="lines">
            {offers.data.items.map((o) => <OfferRow key={o.id} storeId={storeId} offer={o} names={names} canEdit={canSeeMoney} onChanged={offers.reload} />)}
          </ul>
        )}
      </Section>
      {canSeeMoney && (
        <Section title={t('m.aff.creators')}>
          {creators.error ? <ErrorView error={creators.error} retry={creators.reload} /> : !creators.data ? <Loading /> : creators.data.items.length === 0 ? <Empty>{t('m.aff.noCreators')}</Empty> : (
            <div className="table-wrap">
              <table className="table">
                <caption className="left small muted">{t('m.aff.last30')}</caption>
                <thead><tr><th scope="col">{t('m.dash.creator')}</th><th scope="col" className="num">{t('m.aff.selected')}</th><th scope="col" className="num">{t('m.dash.orders')}</th><th scope="col" className="num">GMV</th><th scope="col" className="num">{t('m.aff.commission')}</th></tr></thead>
                <tbody>
                  {creators.data.items.map((c) => (
                    <tr key={c.creator_id}>
                      <th scope="row" className="break">{c.display_name}<span className="block small muted"><code>{c.creator_id}</code></span></th>
                      <td className="num">{c.selected_products}</td><td className="num">{c.orders}</td><td className="num"><Money fen={c.gmv_minor} /></td>
                      <td className="num"><Money fen={c.commission_minor} /><span className="block small muted">{t('m.aff.pending')} <Money fen={c.pending_commission_minor} /></span></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Section>
      )}
    </>
  );
}

function RatesEditor({ id, rows, setRows }: { id: string; rows: Rate[]; setRows: (r: Rate[]) => void }) {
  const { t } = useI18n();
  const set = (i: number, p: Partial<Rate>) => setRows(rows.map((r, j) => (i === j ? { ...r, ...p } : r)));
  return (
    <fieldset>
      <legend>{t('m.aff.exclusive')}</legend>
      <p className="small muted">{t('m.aff.exclusiveHint')}</p>
      {rows.map((r, i) => (
        <div key={i} className="dim-row">
          <Field id={`${id}-creator-${i}`} label={t('m.aff.creatorN', { n: i + 1 })}>
            <input id={`${id}-creator-${i}`} list="known-creators" value={r.creator_id} placeholder="acc_…" onChange={(e) => set(i, { creator_id: e.target.value })} spellCheck={false} />
          </Field>
          <Field id={`${id}-rate-${i}`} label={t('m.aff.rateN', { n: i + 1 })}>
            <input id={`${id}-rate-${i}`} inputMode="decimal" value={r.rate} onChange={(e) => set(i, { rate: e.target.value })} />
          </Field>
          <button type="button" className="linklike small" onClick={() => setRows(rows.filter((_, j) => j !== i))}>{t('m.p.remove')}</button>
        </div>
      ))}
      <button type="button" className="btn small" onClick={() => setRows([...rows, { creator_id: '', rate: '' }])}>{t('m.aff.addExclusive')}</button>
    </fieldset>
  );
}

function NewOffer({ storeId, offered, onCreated }: { storeId: string; offered: Set<string>; onCreated: () => void }) {
  const { t } = useI18n();
  const products = useAsync((s) => api.get<Page<MerchantProduct>>(`/merchant/stores/${storeId}/products`, { status: 'live', limit: 100 }, s), [storeId]);
  const [pick, setPick] = useState('');
  const [rate, setRate] = useState('10');
  const [rows, setRows] = useState<Rate[]>([]);
  const [bad, setBad] = useState<string | null>(null);
  const a = useAction();
  const candidates = (products.data?.items ?? []).filter((p) => !offered.has(p.id));
  const chosen = pick && candidates.some((p) => p.id === pick) ? pick : candidates[0]?.id ?? '';
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body = parseOffer(rate, rows);
    if ('bad' in body) return setBad(body.bad);
    setBad(null);
    if (await a.run(() => api.post(`/merchant/stores/${storeId}/affiliate/offers`, { product_id: chosen, ...body }))) {
      setRows([]);
      onCreated();
    }
  };
  return (
    <details className="card" open={candidates.length > 0 && offered.size === 0}>
      <summary><strong>{t('m.aff.add')}</strong></summary>
      <form onSubmit={(e) => void submit(e)}>
        <div className="form-grid">
          <Field id="aff-product" label={t('m.dash.product')}>
            <select id="aff-product" value={chosen} onChange={(e) => setPick(e.target.value)} disabled={candidates.length === 0}>
              {candidates.length === 0 && <option value="">{t('m.aff.noCandidates')}</option>}
              {candidates.map((p) => <option key={p.id} value={p.id}>{p.title}</option>)}
            </select>
          </Field>
          <Field id="aff-rate" label={t('m.aff.rate')} hint={t('m.aff.rateHint')}>
            <input id="aff-rate" inputMode="decimal" required value={rate} onChange={(e) => setRate(e.target.value)} aria-describedby="aff-rate-hint" />
          </Field>
        </div>
        <RatesEditor id="aff-new" rows={rows} setRows={setRows} />
        {bad && <p className="small error-text" role="alert">{t(bad as never)}</p>}
        <ErrorNotice error={a.error} />
        <button type="submit" className="btn primary" disabled={!chosen || a.busy}>{t('m.aff.addSubmit')}</button>
      </form>
    </details>
  );
}

function OfferRow({ storeId, offer, names, canEdit, onChanged }: { storeId: string; offer: AffiliateOffer; names: Map<string, string>; canEdit: boolean; onChanged: () => void }) {
  const { t } = useI18n();
  const [editing, setEditing] = useState(false);
  const [rate, setRate] = useState(String(offer.rate_bp / 100));
  const [rows, setRows] = useState<Rate[]>(() => toRates(offer.exclusive_rates));
  const [bad, setBad] = useState<string | null>(null);
  const a = useAction();
  const save = async (e: FormEvent) => {
    e.preventDefault();
    const body = parseOffer(rate, rows);
    if ('bad' in body) return setBad(body.bad);
    setBad(null);
    if (await a.run(() => api.patch(`/merchant/stores/${storeId}/affiliate/offers/${offer.id}`, body))) {
      setEditing(false);
      onChanged();
    }
  };
  const withdraw = () => a.run(() => api.post(`/merchant/stores/${storeId}/affiliate/offers/${offer.id}/withdraw`, {})).then((r) => r && onChanged());
  return (
    <li className="offer" data-offer={offer.id}>
      <div className="line">
        <Thumb src={offer.image} title={offer.title} size="sm" />
        <div className="grow">
          <strong className="clamp2">{offer.title}</strong>
          <span className="small"><Money fen={offer.price_minor} /> · {t('m.aff.rateIs', { r: percent(offer.rate_bp) })}</span>
          {offer.exclusive_rates.length > 0 && (
            <ul className="small muted plain">
              {offer.exclusive_rates.map((r) => <li key={r.creator_id}>{t('m.aff.exclusiveFor', { who: names.get(r.creator_id) ?? r.creator_id, r: percent(r.rate_bp) })}</li>)}
            </ul>
          )}
          <span className="small muted">{t('m.aff.since', { d: dateOnly(offer.starts_at) })}{offer.ends_at && ` – ${dateOnly(offer.ends_at)}`}</span>
        </div>
        <StatusBadge status={offer.status === 'active' ? 'live' : offer.status} kind="generic" />
      </div>
      {canEdit && offer.status !== 'ended' && (
        <div className="actions wrap">
          <button type="button" className="btn small" aria-expanded={editing} onClick={() => setEditing(!editing)}>{t('m.aff.edit')}</button>
          <button type="button" className="btn small danger" onClick={() => void withdraw()} disabled={a.busy}>{t('m.aff.withdraw')}</button>
        </div>
      )}
      {editing && (
        <form onSubmit={(e) => void save(e)} className="card">
          <Field id={`rate-${offer.id}`} label={t('m.aff.rate')}><input id={`rate-${offer.id}`} inputMode="decimal" value={rate} onChange={(e) => setRate(e.target.value)} /></Field>
          <RatesEditor id={`ex-${offer.id}`} rows={rows} setRows={setRows} />
          {bad && <p className="small error-text" role="alert">{t(bad as never)}</p>}
          <button type="submit" className="btn primary small" disabled={a.busy}>{t('m.p.save')}</button>
        </form>
      )}
      <ErrorNotice error={a.error} />
    </li>
  );
}
