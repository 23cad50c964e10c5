import { useCallback, useRef, useState } from 'react';
import { useI18n } from '../lib/i18n.tsx';
import { useErrorText } from '../ui/states.tsx';
import { api } from './api.ts';
import type { NameCheck } from './types.ts';

/**
 * Store names are checked by the server's naming rules (GET …/store-names/check), never
 * re-implemented here: the answer names the rule that failed and why.
 */
export function useNameCheck(storeId: string | null) {
  const [result, setResult] = useState<NameCheck | null>(null);
  const [checked, setChecked] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const seq = useRef(0);
  const run = useCallback(async (name: string): Promise<NameCheck | null> => {
    const n = name.trim();
    if (!n) return null;
    const mine = ++seq.current;
    setBusy(true);
    setError(null);
    try {
      const path = storeId ? `/merchant/stores/${storeId}/name-check` : '/merchant/store-names/check';
      const r = await api.get<NameCheck>(path, { name: n });
      if (mine === seq.current) {
        setResult(r);
        setChecked(n);
      }
      return r;
    } catch (e) {
      if (mine === seq.current) setError(e);
      return null;
    } finally {
      if (mine === seq.current) setBusy(false);
    }
  }, [storeId]);
  const reset = useCallback(() => {
    seq.current++;
    setResult(null);
    setBusy(false);
  }, []);
  return { result, checked, busy, error, run, reset };
}
export type NameChecker = ReturnType<typeof useNameCheck>;

/** The store-name input with its check: the rule that failed, or that the name is free. */
export function NameField({ id, value, onChange, check, label }: { id: string; value: string; onChange: (v: string) => void; check: NameChecker; label?: string }) {
  const { t, tx, lang } = useI18n();
  const errText = useErrorText();
  const r = check.result;
  const current = r && check.checked === value.trim();
  return (
    <div className="field">
      <label htmlFor={id}>{label ?? t('m.ob.name')}</label>
      <div className="input-row">
        <input
          id={id} required minLength={2} maxLength={60} value={value} autoComplete="off" aria-describedby={`${id}-hint ${id}-check`}
          aria-invalid={current && !r.ok ? true : undefined}
          onChange={(e) => { onChange(e.target.value); check.reset(); }}
          onBlur={() => void check.run(value)}
        />
        <button type="button" className="btn small" onClick={() => void check.run(value)} disabled={check.busy || !value.trim()}>{t('m.ob.checkName')}</button>
      </div>
      <small className="muted" id={`${id}-hint`}>{t('m.ob.nameHint')}</small>
      <div id={`${id}-check`} role="status" aria-live="polite" className="name-check">
        {check.busy && <span className="muted small">{t('m.ob.checking')}</span>}
        {!check.busy && check.error !== null && <span className="error-text small">{errText(check.error)}</span>}
        {!check.busy && current && r.ok && <span className="ok-text">✓ {t('m.ob.nameOk', { name: r.name ?? value })}</span>}
        {!check.busy && current && !r.ok && (
          <div className="name-rule">
            <strong>{t('m.ob.nameRefused')}{tx(`m.rule.${r.code}`, r.code)}</strong>
            <span className="block">{lang === 'zh' ? r.message_zh : r.message}</span>
            <code className="small muted">{r.code}</code>
          </div>
        )}
      </div>
    </div>
  );
}
