import { useState, type FormEvent, type ReactNode } from 'react';
import { ApiError } from '../lib/api.ts';
import { useI18n } from '../lib/i18n.tsx';
import { Field } from '../ui/bits.tsx';
import { Notice } from '../ui/states.tsx';
import { api } from './api.ts';
import { ErrorNotice, ImageUpload, useAction } from './bits.tsx';
import type { Authorization, BrandBadge, BrandCert, StoreDetail, Trademark } from './types.ts';

type TmDraft = Omit<Trademark, 'nice_class' | 'file_url'> & { nice_class: string; file_url: string | null };
type LinkDraft = Omit<Authorization, 'file_url'> & { key: number; file_url: string | null };
const MAX_LINKS = 5;
let keys = 0;
/** Uploaded media are served from this site; the API stores absolute URLs. */
const absolute = (url: string) => new URL(url, window.location.origin).href;

/** Which input a refusal's `details.field` (e.g. `authorizations[0].licensor_uscc`) is about. */
function inputOf(e: unknown): string | null {
  const field = e instanceof ApiError ? (e.details as { field?: unknown } | null)?.field : undefined;
  if (typeof field !== 'string') return null;
  if (field === 'trademark.owner_uscc') return 'br-owner-uscc';
  const m = /^authorizations\[(\d+)\]\.(licensor|licensee)_uscc$/.exec(field);
  return m ? `br-l${m[1]}-${m[2]}-uscc` : null;
}

/**
 * 申请品牌认证: the brand, the badge (品牌自营 / 品牌授权), the trademark with its certificate, and
 * the authorisation chain from the trademark owner to this store's company, each letter uploaded
 * through the media API. The rules (trademark in force, the chain unbroken and ending here, the
 * badge limits) are the server's: it answers at once, and an operator decides.
 */
export function BrandApplyForm({ storeId, store, onApplied }: { storeId: string; store: StoreDetail; onApplied: (c: BrandCert) => void }) {
  const { t } = useI18n();
  const company = { name: store.company_name, uscc: store.uscc ?? '' };
  const [brand, setBrand] = useState('');
  const [badge, setBadge] = useState<BrandBadge>('brand_owned');
  const [ownerIsUs, setOwnerIsUs] = useState(false);
  const [tm, setTm] = useState<TmDraft>({ registration_number: '', nice_class: '', status: 'R', owner_name: '', owner_uscc: '', valid_from: '', valid_until: '', file_url: null });
  const [links, setLinks] = useState<LinkDraft[]>([]);
  const [missing, setMissing] = useState<string[]>([]);
  const a = useAction();
  const owner = ownerIsUs && badge === 'brand_owned' ? { name: company.name, uscc: company.uscc } : { name: tm.owner_name, uscc: tm.owner_uscc };
  const badInput = inputOf(a.error);

  const newLink = (prev: LinkDraft | undefined): LinkDraft => ({
    key: ++keys, licensor_name: prev?.licensee_name ?? owner.name, licensor_uscc: prev?.licensee_uscc ?? owner.uscc,
    licensee_name: company.name, licensee_uscc: company.uscc, exclusive: badge === 'brand_owned', valid_from: '', valid_until: '', file_url: null,
  });
  const chooseBadge = (b: BrandBadge) => {
    setBadge(b);
    if (b === 'brand_authorized' && links.length === 0) setLinks([{ ...newLink(undefined), exclusive: false }]);
  };
  const setLink = (key: number, patch: Partial<LinkDraft>) => setLinks((ls) => ls.map((l) => (l.key === key ? { ...l, ...patch } : l)));
  // the first grant comes from the trademark owner: its licensor follows the owner until edited
  const setOwner = (patch: { owner_name?: string; owner_uscc?: string }) => {
    setLinks((ls) => ls.map((l, i) => (i > 0 ? l : {
      ...l,
      ...(patch.owner_name !== undefined && l.licensor_name === tm.owner_name ? { licensor_name: patch.owner_name } : {}),
      ...(patch.owner_uscc !== undefined && l.licensor_uscc === tm.owner_uscc ? { licensor_uscc: patch.owner_uscc } : {}),
    })));
    setTm({ ...tm, ...patch });
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const lacking = [
      ...(tm.file_url ? [] : [t('m.brand.needFile', { doc: t('m.brand.certificateDoc') })]),
      ...links.flatMap((l, i) => (l.file_url ? [] : [t('m.brand.needFile', { doc: t('m.brand.letterDoc', { n: i + 1 }) })])),
      ...(badge === 'brand_authorized' && links.length === 0 ? [t('m.brand.needChain')] : []),
    ];
    setMissing(lacking);
    if (lacking.length > 0) return;
    const body = {
      brand_name: brand.trim(), badge,
      trademark: { ...tm, registration_number: tm.registration_number.trim(), nice_class: Number(tm.nice_class), owner_name: owner.name.trim(), owner_uscc: owner.uscc.trim().toUpperCase(), file_url: absolute(tm.file_url!) },
      authorizations: links.map(({ key: _k, ...l }) => ({
        ...l, licensor_name: l.licensor_name.trim(), licensee_name: l.licensee_name.trim(), licensor_uscc: l.licensor_uscc.trim().toUpperCase(), licensee_uscc: l.licensee_uscc.trim().toUpperCase(), file_url: absolute(l.file_url!),
      })),
    };
    const cert = await a.run(() => api.post<BrandCert>(`/merchant/stores/${storeId}/brands`, body));
    if (cert) onApplied(cert);
  };

  const text = (id: string, label: string, value: string, set: (v: string) => void, o: { min?: number; max: number; code?: boolean; disabled?: boolean; hint?: string } = { max: 100 }) => (
    <Field id={id} label={label} hint={o.hint}>
      <input
        id={id} required minLength={o.min} maxLength={o.max} value={value} disabled={o.disabled} onChange={(e) => set(e.target.value)}
        autoComplete="off" spellCheck={o.code ? false : undefined} autoCapitalize={o.code ? 'characters' : undefined}
        aria-invalid={badInput === id ? true : undefined} aria-describedby={o.hint ? `${id}-hint` : undefined}
      />
    </Field>
  );
  const dates = (id: string, from: string, until: string, set: (p: { valid_from?: string; valid_until?: string }) => void): ReactNode => (
    <>
      <Field id={`${id}-from`} label={t('m.brand.from')}><input id={`${id}-from`} type="date" required value={from} onChange={(e) => set({ valid_from: e.target.value })} /></Field>
      <Field id={`${id}-until`} label={t('m.brand.until')}><input id={`${id}-until`} type="date" required min={from || undefined} value={until} onChange={(e) => set({ valid_until: e.target.value })} /></Field>
    </>
  );

  return (
    <form onSubmit={(e) => void submit(e)} aria-label={t('m.brand.apply')} className="brand-form">
      <Field id="br-name" label={t('m.brand.name')}>
        <input id="br-name" required maxLength={30} value={brand} onChange={(e) => setBrand(e.target.value)} autoComplete="off" />
      </Field>
      <fieldset>
        <legend>{t('m.brand.badge')}</legend>
        <div className="radio-list">
          {(['brand_owned', 'brand_authorized'] as const).map((b) => (
            <label key={b} className="radio-card">
              <input type="radio" name="br-badge" value={b} checked={badge === b} onChange={() => chooseBadge(b)} />
              <span><strong>{t(`c.brands.badge.${b}`)}</strong><span className="block small muted">{t(`m.brand.badgeHint.${b}`)}</span></span>
            </label>
          ))}
        </div>
      </fieldset>

      <fieldset className="card-sub">
        <legend>{t('m.brand.tm')}</legend>
        {badge === 'brand_owned' && (
          <label className="inline"><input type="checkbox" checked={ownerIsUs} onChange={(e) => setOwnerIsUs(e.target.checked)} /> {t('m.brand.ownerIsUs', { company: company.name })}</label>
        )}
        <div className="form-grid">
          {text('br-tm-number', t('m.brand.tmNumber'), tm.registration_number, (v) => setTm({ ...tm, registration_number: v }), { max: 20, code: true, hint: t('m.brand.tmNumberHint') })}
          <Field id="br-tm-class" label={t('m.brand.niceClass')}>
            <input id="br-tm-class" type="number" inputMode="numeric" required min={1} max={45} step={1} value={tm.nice_class} onChange={(e) => setTm({ ...tm, nice_class: e.target.value })} />
          </Field>
          <Field id="br-tm-status" label={t('m.brand.tmStatus')}>
            <select id="br-tm-status" value={tm.status} onChange={(e) => setTm({ ...tm, status: e.target.value as 'R' | 'TM' })}>
              <option value="R">{t('m.brand.tmR')}</option>
              <option value="TM">{t('m.brand.tmTM')}</option>
            </select>
          </Field>
          {text('br-owner', t('m.brand.owner'), owner.name, (v) => setOwner({ owner_name: v }), { min: 2, max: 100, disabled: ownerIsUs && badge === 'brand_owned' })}
          {text('br-owner-uscc', t('m.brand.ownerUscc'), owner.uscc, (v) => setOwner({ owner_uscc: v }), { min: 18, max: 40, code: true, disabled: ownerIsUs && badge === 'brand_owned' })}
          {dates('br-tm', tm.valid_from, tm.valid_until, (p) => setTm({ ...tm, ...p }))}
        </div>
        <div className="row wrap-row">
          <ImageUpload storeId={storeId} id="br-tm-file" label={t('m.brand.certificate')} onUploaded={(u) => { setTm({ ...tm, file_url: u[0] }); setMissing([]); }} />
          {tm.file_url && <img src={tm.file_url} alt={t('m.brand.certificateDoc')} className="thumb sm" />}
        </div>
      </fieldset>

      <fieldset className="card-sub">
        <legend>{t('m.brand.chain')}</legend>
        <p className="small muted">{badge === 'brand_owned' ? t('m.brand.chainOwned') : t('m.brand.chainHint', { company: company.name })}</p>
        {links.map((l, i) => (
          <fieldset key={l.key} className="chain-link" data-level={i + 1}>
            <legend>{t('m.brand.level', { n: i + 1 })}</legend>
            <div className="form-grid">
              {text(`br-l${i}-licensor`, t('m.brand.licensor'), l.licensor_name, (v) => setLink(l.key, { licensor_name: v }), { min: 2, max: 100 })}
              {text(`br-l${i}-licensor-uscc`, t('m.brand.licensorUscc'), l.licensor_uscc, (v) => setLink(l.key, { licensor_uscc: v }), { min: 18, max: 40, code: true })}
              {text(`br-l${i}-licensee`, t('m.brand.licensee'), l.licensee_name, (v) => setLink(l.key, { licensee_name: v }), { min: 2, max: 100 })}
              {text(`br-l${i}-licensee-uscc`, t('m.brand.licenseeUscc'), l.licensee_uscc, (v) => setLink(l.key, { licensee_uscc: v }), { min: 18, max: 40, code: true })}
              {dates(`br-l${i}`, l.valid_from, l.valid_until, (p) => setLink(l.key, p))}
            </div>
            <label className="inline"><input type="checkbox" checked={l.exclusive} onChange={(e) => setLink(l.key, { exclusive: e.target.checked })} /> {t('m.brand.exclusive')}</label>
            <div className="row wrap-row">
              <ImageUpload storeId={storeId} id={`br-l${i}-file`} label={t('m.brand.letter', { n: i + 1 })} onUploaded={(u) => { setLink(l.key, { file_url: u[0] }); setMissing([]); }} />
              {l.file_url && <img src={l.file_url} alt={t('m.brand.letterDoc', { n: i + 1 })} className="thumb sm" />}
            </div>
            <button type="button" className="linklike" onClick={() => setLinks(links.filter((x) => x.key !== l.key))}>{t('m.brand.removeLink', { n: i + 1 })}</button>
          </fieldset>
        ))}
        {links.length < MAX_LINKS && <button type="button" className="btn small" onClick={() => setLinks([...links, newLink(links[links.length - 1])])}>{t('m.brand.addLink')}</button>}
      </fieldset>

      {missing.length > 0 && (
        <div className="notice error" role="alert"><ul className="problems">{missing.map((m) => <li key={m}>{m}</li>)}</ul></div>
      )}
      <ErrorNotice error={a.error} />
      {a.busy && <Notice kind="info">{t('m.saving')}</Notice>}
      <button type="submit" className="btn primary" disabled={a.busy}>{t('m.brand.submit')}</button>
    </form>
  );
}
