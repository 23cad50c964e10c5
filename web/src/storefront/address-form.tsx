import { useState, type FormEvent } from 'react';
import { useI18n } from '../lib/i18n.tsx';
import type { Address } from '../lib/types.ts';
import { Field } from '../ui/bits.tsx';
import { Notice, useErrorText } from '../ui/states.tsx';
import { api } from './api.ts';

const FIELDS = ['recipient', 'phone', 'province', 'city', 'district', 'detail'] as const;

export function AddressForm({ onSaved, onCancel }: { onSaved: (a: Address) => void; onCancel?: () => void }) {
  const { t } = useI18n();
  const errText = useErrorText();
  const [v, setV] = useState<Record<(typeof FIELDS)[number], string>>({ recipient: '', phone: '', province: '', city: '', district: '', detail: '' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSaved(await api.post<Address>('/me/addresses', { ...v, is_default: true }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="address-form" onSubmit={submit} aria-label={t('address.new')}>
      <div className="form-grid">
        {FIELDS.map((f) => (
          <Field key={f} id={`addr-${f}`} label={t(`address.${f}`)}>
            <input id={`addr-${f}`} name={f} required value={v[f]} onChange={(e) => setV({ ...v, [f]: e.target.value })}
              autoComplete={f === 'recipient' ? 'name' : f === 'phone' ? 'tel' : f === 'province' ? 'address-level1' : f === 'city' ? 'address-level2' : f === 'district' ? 'address-level3' : 'street-address'}
              {...(f === 'phone' ? { type: 'tel', inputMode: 'numeric' as const, minLength: 11 } : {})} />
          </Field>
        ))}
      </div>
      {error !== null && <Notice kind="error">{errText(error)}</Notice>}
      <div className="actions">
        {onCancel && <button type="button" className="btn" onClick={onCancel}>{t('cancel')}</button>}
        <button type="submit" className="btn primary" disabled={busy}>{t('address.save')}</button>
      </div>
    </form>
  );
}
