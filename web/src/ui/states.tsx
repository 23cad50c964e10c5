import type { ReactNode } from 'react';
import { ApiError } from '../lib/api.ts';
import { useI18n } from '../lib/i18n.tsx';

export function Loading({ label }: { label?: string }) {
  const { t } = useI18n();
  return (
    <div className="state" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label ?? t('loading')}
    </div>
  );
}

export function Empty({ children, action }: { children: ReactNode; action?: ReactNode }) {
  return (
    <div className="state empty">
      <p>{children}</p>
      {action}
    </div>
  );
}

/** The server's message in the chosen language, with the machine code for support. */
export function useErrorText() {
  const { t, lang } = useI18n();
  return (e: unknown): string => {
    if (e instanceof ApiError) {
      if (e.status === 0 || e.code === 'http_502' || e.code === 'http_503') return t('error.network');
      return (lang === 'zh' ? e.messageZh ?? e.message : e.message) + ` (${e.code})`;
    }
    if (e instanceof TypeError) return t('error.network');
    return e instanceof Error ? e.message : String(e);
  };
}

export function ErrorView({ error, retry }: { error: unknown; retry?: () => void }) {
  const { t } = useI18n();
  const text = useErrorText();
  return (
    <div className="state error" role="alert">
      <p>{t('error.title')}</p>
      <p className="muted">{text(error)}</p>
      {retry && (
        <button type="button" className="btn" onClick={retry}>
          {t('retry')}
        </button>
      )}
    </div>
  );
}

/** Inline form error or success message. */
export function Notice({ kind, children }: { kind: 'error' | 'ok' | 'info'; children: ReactNode }) {
  return (
    <p className={`notice ${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </p>
  );
}
