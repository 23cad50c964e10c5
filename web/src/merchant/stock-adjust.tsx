import { useState, type FormEvent } from 'react';
import { getSession } from '../lib/api.ts';
import { specText } from '../lib/format.ts';
import { useI18n } from '../lib/i18n.tsx';
import type { Sku } from '../lib/types.ts';
import { useErrorText } from '../ui/states.tsx';
import { api } from './api.ts';

/** Adds or removes stock of one SKU (+10 / -2); the server refuses going below what orders hold. */
export function StockAdjust({ storeId, sku, onDone }: { storeId: string; sku: Sku; onDone: () => void }) {
  const { t } = useI18n();
  const errText = useErrorText();
  const [delta, setDelta] = useState('');
  const [err, setErr] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const n = Number(delta);
    if (!Number.isInteger(n) || n === 0) return setErr(t('m.adjustHint'));
    setErr(null);
    try {
      await api.post(`/merchant/stores/${storeId}/skus/${sku.id}/stock-adjustments`, { delta: n, note: '小店助手' }, { idempotent: true });
      setDelta('');
      onDone();
    } catch (x) {
      setErr(errText(x));
    }
  };
  const id = `adj-${sku.id}`;
  return (
    <form className="inline-form" onSubmit={submit}>
      <label htmlFor={id} className="sr-only">{t('m.adjust')} {specText(sku.spec)}</label>
      <input id={id} inputMode="numeric" placeholder="+10 / -2" value={delta} onChange={(e) => setDelta(e.target.value)} size={6} aria-invalid={err ? true : undefined} />
      <button type="submit" className="btn small">{t('m.apply')}</button>
      {err && <span className="small error-text" role="alert">{err}</span>}
    </form>
  );
}

/** CSV exports need the bearer token, so they are fetched and saved as a blob. */
export async function download(storeId: string, file: string): Promise<void> {
  const res = await fetch(`/api/v1/merchant/stores/${storeId}/${file}`, { headers: { authorization: `Bearer ${getSession('merchant')?.access_token ?? ''}` } });
  if (!res.ok) return;
  saveBlob(await res.blob(), file);
}

export function saveBlob(blob: Blob, file: string): void {
  const url = URL.createObjectURL(blob);
  const a = Object.assign(document.createElement('a'), { href: url, download: file });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
