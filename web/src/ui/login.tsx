import { useState, type FormEvent } from 'react';
import { client, type Face } from '../lib/api.ts';
import { useI18n } from '../lib/i18n.tsx';
import { Field } from './bits.tsx';
import { Notice, useErrorText } from './states.tsx';

/** Phone + password sign-in for one face. */
export function LoginForm({ face, title, hint, onDone }: { face: Face; title: string; hint?: string; onDone?: () => void }) {
  const { t } = useI18n();
  const errText = useErrorText();
  const [phone, setPhone] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await client(face).login(phone.trim(), password);
      onDone?.();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card login" onSubmit={submit} aria-labelledby={`login-${face}`}>
      <h1 id={`login-${face}`}>{title}</h1>
      {hint && <p className="muted">{hint}</p>}
      <Field id={`phone-${face}`} label={t('login.phone')}>
        <input id={`phone-${face}`} name="phone" type="tel" inputMode="numeric" autoComplete="username" required minLength={11} maxLength={16} value={phone} onChange={(e) => setPhone(e.target.value)} />
      </Field>
      <Field id={`password-${face}`} label={t('login.password')}>
        <input id={`password-${face}`} name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
      </Field>
      {error !== null && <Notice kind="error">{errText(error)}</Notice>}
      <button className="btn primary block" type="submit" disabled={busy}>
        {busy ? t('login.busy') : t('login.submit')}
      </button>
    </form>
  );
}
