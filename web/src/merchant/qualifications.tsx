import { useState, type FormEvent } from 'react';
import { useI18n } from '../lib/i18n.tsx';
import { Field } from '../ui/bits.tsx';
import { Notice } from '../ui/states.tsx';
import { api } from './api.ts';
import { ErrorNotice, ImageUpload, useAction } from './bits.tsx';
import type { Application, Qualification, StoreDetail } from './types.ts';

type Item = Application['checklist'][number];

/** Today in Beijing time (documents are dated by calendar day there), YYYY-MM-DD. */
const beijingToday = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

/**
 * One required document: its state (uploaded and in force, expired, missing) and the form to
 * upload it — the scan as an image (media API), its number, holder and validity.
 */
export function QualificationCard({ storeId, store, item, doc, onSaved }: { storeId: string; store: StoreDetail; item: Item; doc: Qualification | null; onSaved: () => void }) {
  const { t, tx } = useI18n();
  const k = item.kind;
  const licence = k === 'business_license';
  const [number, setNumber] = useState(licence ? store.uscc ?? '' : '');
  const [holder, setHolder] = useState(licence ? store.company_name : '');
  const [from, setFrom] = useState('');
  const [until, setUntil] = useState('');
  const [longTerm, setLongTerm] = useState(licence);
  const [file, setFile] = useState<string | null>(null);
  const [missingFile, setMissingFile] = useState(false);
  const a = useAction();
  const label = tx(`m.qual.${k}`, item.label_zh);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) return setMissingFile(true);
    const body = { kind: k, number: number.trim(), holder_name: holder.trim(), valid_from: from, valid_until: longTerm ? null : until, file_url: new URL(file, window.location.origin).href };
    if (await a.run(() => api.post(`/merchant/stores/${storeId}/qualifications`, body))) {
      setFile(null);
      onSaved();
    }
  };
  const id = (f: string) => `q-${k}-${f}`;
  return (
    <details className="doc" open={!item.in_force} data-kind={k}>
      <summary>
        <span className="grow">{label}</span>
        {item.in_force ? <span className="badge s-ok">{t('m.qual.ok')}</span> : doc ? <span className="badge s-bad">{t('m.qual.notInForce')}</span> : <span className="badge s-pending">{t('m.qual.missing')}</span>}
      </summary>
      {doc && (
        <p className="small muted break">
          {t('m.qual.number')} {doc.number} · {doc.holder_name} · {doc.valid_from} – {doc.valid_until ?? t('c.stores.noExpiry')}
        </p>
      )}
      <form onSubmit={(e) => void submit(e)} aria-label={t('m.qual.uploadOf', { doc: label })}>
        <div className="row wrap-row">
          <ImageUpload storeId={storeId} id={id('file')} label={t('m.qual.scan', { doc: label })} onUploaded={(u) => { setFile(u[0]); setMissingFile(false); }} />
          {file && <img src={file} alt={t('m.qual.preview', { doc: label })} className="thumb sm" />}
        </div>
        {missingFile && <p className="small error-text" role="alert">{t('m.qual.needFile')}</p>}
        <div className="form-grid">
          <Field id={id('number')} label={t(`m.qual.numberOf.${licence ? 'license' : k === 'legal_rep_id' ? 'id' : 'other'}`)}>
            <input id={id('number')} required maxLength={64} value={number} onChange={(e) => setNumber(e.target.value)} autoComplete="off" spellCheck={false} />
          </Field>
          <Field id={id('holder')} label={t('m.qual.holder')}>
            <input id={id('holder')} required maxLength={100} value={holder} onChange={(e) => setHolder(e.target.value)} />
          </Field>
          <Field id={id('from')} label={t('m.qual.from')}>
            <input id={id('from')} type="date" required max={beijingToday()} value={from} onChange={(e) => setFrom(e.target.value)} />
          </Field>
          <Field id={id('until')} label={t('m.qual.until')}>
            <input id={id('until')} type="date" required={!longTerm} disabled={longTerm} value={longTerm ? '' : until} onChange={(e) => setUntil(e.target.value)} />
          </Field>
        </div>
        {licence && (
          <label className="inline">
            <input type="checkbox" checked={longTerm} onChange={(e) => setLongTerm(e.target.checked)} /> {t('m.qual.longTerm')}
          </label>
        )}
        <ErrorNotice error={a.error} />
        {a.busy && <Notice kind="info">{t('m.saving')}</Notice>}
        <button type="submit" className="btn" disabled={a.busy}>{doc ? t('m.qual.replace') : t('m.qual.save')}</button>
      </form>
    </details>
  );
}
