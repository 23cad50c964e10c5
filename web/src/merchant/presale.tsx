import { useRef, useState, type FormEvent } from 'react';
import { dateTime, yuan } from '../lib/format.ts';
import { useI18n } from '../lib/i18n.tsx';
import { Money } from '../ui/bits.tsx';
import { Notice } from '../ui/states.tsx';
import { api } from './api.ts';
import { ErrorNotice, ProblemList, problemsOf, useAction } from './bits.tsx';
import { bodyOf, draftOf, PRESALE_FIELDS, previewOf, problemsByField, type PresaleDraft, type PresaleField } from './presale-form.ts';
import type { Campaign, PresaleOffer, Registration } from './types.ts';

const SELLING_OR_LATER = new Set(['selling', 'ended']);

/** 定金¥20.00抵¥50.00 (or 定金¥20.00 without inflation), as the storefront says it. */
export function OfferHeadline({ o }: { o: Pick<PresaleOffer, 'deposit_minor' | 'deposit_value_minor'> }) {
  const { t } = useI18n();
  return <>{o.deposit_value_minor > o.deposit_minor ? t('presale.headline', { d: yuan(o.deposit_minor), v: yuan(o.deposit_value_minor) }) : t('presale.headlinePlain', { d: yuan(o.deposit_minor) })}</>;
}

/**
 * 预售设置 of one registration: the final price, the deposit, what it counts for, stock and limit,
 * with a preview of what the buyer sees and the balance window. The server's refusal (422
 * invalid_presale) is shown under each field it is about, in the chosen language.
 */
export function PresaleSetup({ storeId, reg, campaign, offer, canEdit, onSaved }: {
  storeId: string; reg: Registration; campaign: Campaign | undefined; offer: PresaleOffer | undefined; canEdit: boolean; onSaved: () => void;
}) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const closed = campaign !== undefined && (SELLING_OR_LATER.has(campaign.phase) || campaign.status === 'cancelled');
  const active = reg.status === 'pending' || reg.status === 'approved';
  const locked = (offer?.taken ?? 0) > 0;
  const editable = canEdit && active && !closed && !locked;
  if (!offer && !editable) return null;
  // the form mounts when opened: a list of registrations stays light, and closed rows hold only the summary
  return (
    <details className="presale-setup" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        <span className="grow">{t('m.ps.setup')}</span>
        {offer ? <span className="badge presale-badge"><OfferHeadline o={offer} /></span> : <span className="badge">{t('m.ps.none')}</span>}
      </summary>
      {open && (
        <>
          {offer && <p className="small muted">{t('m.ps.taken', { n: offer.taken, total: offer.stock })} · {t('presale.limit', { n: offer.per_buyer_limit })}</p>}
          {locked && <Notice kind="info">{t('m.ps.locked')}</Notice>}
          {closed && !locked && <Notice kind="info">{t('m.ps.closed')}</Notice>}
          {editable
            ? <PresaleForm storeId={storeId} reg={reg} campaign={campaign} offer={offer} onSaved={onSaved} />
            : offer && <Preview draft={draftOf(offer, reg.campaign_price_minor)} window={{ from: offer.balance_from, to: offer.balance_to }} />}
        </>
      )}
    </details>
  );
}

function PresaleForm({ storeId, reg, campaign, offer, onSaved }: { storeId: string; reg: Registration; campaign: Campaign | undefined; offer: PresaleOffer | undefined; onSaved: () => void }) {
  const { t, lang } = useI18n();
  const [draft, setDraft] = useState<PresaleDraft>(() => draftOf(offer, reg.campaign_price_minor));
  const [bad, setBad] = useState<Partial<Record<PresaleField, string>>>({});
  const [saved, setSaved] = useState(false);
  const a = useAction();
  const form = useRef<HTMLFormElement>(null);
  const refusal = problemsByField(problemsOf(a.error));
  const refused = a.error !== null && refusal.other.length + Object.keys(refusal.fields).length > 0;
  const id = (f: string) => `ps-${reg.id}-${f}`;
  const set = (f: PresaleField, v: string) => {
    setDraft((d) => ({ ...d, [f]: v }));
    setSaved(false);
  };
  const focusFirstInvalid = () => requestAnimationFrame(() => form.current?.querySelector<HTMLInputElement>('[aria-invalid="true"]')?.focus());
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const { body, bad: wrong } = bodyOf(draft);
    setBad(Object.fromEntries(Object.entries(wrong).map(([f, k]) => [f, t(k)])));
    if (!body) return focusFirstInvalid();
    const r = await a.run(() => api.put<PresaleOffer>(`/merchant/stores/${storeId}/campaign-registrations/${reg.id}/presale`, body));
    if (r) {
      setSaved(true);
      onSaved();
    } else focusFirstInvalid();
  };
  const errorsOf = (f: PresaleField): string[] => [...(bad[f] ? [bad[f]!] : []), ...(refusal.fields[f] ?? []).map((p) => (lang === 'zh' ? p.message_zh : p.message))];
  const hints: Record<PresaleField, string> = {
    price: t('m.ps.priceHint', { p: yuan(reg.campaign_price_minor) }), deposit: t('m.ps.depositHint'), value: t('m.ps.valueHint'),
    stock: t('m.ps.stockHint', { n: reg.campaign_stock }), limit: t('m.ps.limitHint'),
  };
  const window = offer ? { from: offer.balance_from, to: offer.balance_to } : campaign?.presale_balance_window;
  return (
    <form ref={form} onSubmit={(e) => void submit(e)} noValidate aria-label={t('m.ps.setupFor', { title: reg.title })}>
      <div className="form-grid ps-grid">
        {PRESALE_FIELDS.map((f) => {
          const errs = errorsOf(f);
          return (
            <div className="field" key={f} data-field={f}>
              <label htmlFor={id(f)}>{t(`m.ps.${f}`)}</label>
              <input
                id={id(f)} inputMode={f === 'stock' || f === 'limit' ? 'numeric' : 'decimal'} autoComplete="off" value={draft[f]} required={f !== 'value'}
                aria-invalid={errs.length > 0 ? true : undefined} aria-describedby={`${id(f)}-hint${errs.length ? ` ${id(f)}-err` : ''}`}
                onChange={(e) => set(f, e.target.value)}
              />
              <small className="muted" id={`${id(f)}-hint`}>{hints[f]}</small>
              {errs.length > 0 && <div id={`${id(f)}-err`} className="small error-text field-errors">{errs.map((m) => <p key={m}>{m}</p>)}</div>}
            </div>
          );
        })}
      </div>
      <Preview draft={draft} window={window} />
      {refused && (
        <div className="notice error" role="alert">
          <strong>{t('m.ps.refused')}</strong>
          <ProblemList items={[...PRESALE_FIELDS.flatMap((f) => refusal.fields[f] ?? []), ...refusal.other]} />
        </div>
      )}
      {!refused && <ErrorNotice error={a.error} />}
      {saved && <Notice kind="ok">{t('m.ps.saved')}</Notice>}
      <button type="submit" className="btn primary" disabled={a.busy}>{a.busy ? t('m.saving') : t('m.ps.save')}</button>
    </form>
  );
}

/** What the buyer will see for one unit, and when the balance is paid. */
function Preview({ draft, window }: { draft: PresaleDraft; window: { from: string; to: string } | undefined }) {
  const { t } = useI18n();
  const p = previewOf(draft);
  return (
    <section className="ps-preview" aria-label={t('m.ps.preview')}>
      <h3 className="small">{t('m.ps.preview')}</h3>
      {!p ? <p className="small muted">{t('m.ps.previewEmpty')}</p> : (
        <>
          <p className="presale-headline" data-testid="presale-preview"><span className="badge presale-badge">{t('presale.badge')}</span> <OfferHeadline o={p} /></p>
          <dl className="facts presale-terms">
            <div><dt>{t('presale.deposit')}</dt><dd><Money fen={p.deposit_minor} /></dd></div>
            {p.deposit_value_minor > p.deposit_minor && <div><dt>{t('presale.counts')}</dt><dd><Money fen={p.deposit_value_minor} /></dd></div>}
            <div><dt>{t('presale.price')}</dt><dd><Money fen={p.price_minor} /></dd></div>
            <div><dt>{t('presale.balance')}</dt><dd>{p.balance_minor > 0 ? <Money fen={p.balance_minor} /> : '—'}</dd></div>
            <div className="wide"><dt>{t('presale.window')}</dt><dd>{window ? t('presale.windowRange', { from: dateTime(window.from), to: dateTime(window.to) }) : t('m.ps.windowLater')}</dd></div>
          </dl>
          <p className="small muted">{t('presale.balanceNote')} {t('presale.forfeitShort')}</p>
        </>
      )}
    </section>
  );
}
