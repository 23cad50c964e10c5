import { useCallback, useState, type ChangeEvent } from 'react';
import { ApiError } from '../lib/api.ts';
import { useI18n } from '../lib/i18n.tsx';
import { Notice, useErrorText } from '../ui/states.tsx';
import { api } from './api.ts';
import type { Media, RuleProblem } from './types.ts';

/** A button's action: busy while it runs, its error kept for the form to show. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = useCallback(async <T,>(fn: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(null);
    try {
      return await fn();
    } catch (e) {
      setError(e);
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run, clear: () => setError(null) };
}

/** Rule problems the server explained (422 details.problems / findings), one per line, in the chosen language. */
export function problemsOf(e: unknown): RuleProblem[] {
  if (!(e instanceof ApiError)) return [];
  const d = e.details as { problems?: RuleProblem[]; findings?: RuleProblem[] } | null;
  return d?.problems ?? d?.findings ?? [];
}

export function ProblemList({ items, label }: { items: RuleProblem[]; label?: string }) {
  const { lang } = useI18n();
  if (items.length === 0) return null;
  return (
    <ul className="problems" aria-label={label}>
      {items.map((p, i) => <li key={`${p.code}-${i}`} data-code={p.code}>{lang === 'zh' ? p.message_zh : p.message}</li>)}
    </ul>
  );
}

/** An API error as a notice: the server's explained problems as a list when it sent them. */
export function ErrorNotice({ error }: { error: unknown }) {
  const errText = useErrorText();
  if (error === null || error === undefined) return null;
  const problems = problemsOf(error);
  return (
    <div className="notice error" role="alert">
      {problems.length > 0 ? <ProblemList items={problems} /> : errText(error)}
    </div>
  );
}

/** The onboarding/wizard progress: done, current and later steps, announced as a list. */
export function Steps({ steps, current, label }: { steps: string[]; current: number; label: string }) {
  const { t } = useI18n();
  return (
    <ol className="steps" aria-label={label}>
      {steps.map((s, i) => (
        <li key={s} className={i < current ? 'done' : i === current ? 'current' : ''} aria-current={i === current ? 'step' : undefined}>
          <span className="step-no" aria-hidden="true">{i < current ? '✓' : i + 1}</span>
          <span className="step-label">{s}</span>
          {i < current && <span className="sr-only">{t('m.step.done')}</span>}
        </li>
      ))}
    </ol>
  );
}

export const uploadImage = (storeId: string, file: File) => api.upload<Media>(`/merchant/stores/${storeId}/media`, file, file.type || 'application/octet-stream');

/** Picks image files and uploads them to the store's media; `onUploaded` gets the URLs in order. */
export function ImageUpload({ storeId, id, label, multiple, onUploaded }: { storeId: string; id: string; label: string; multiple?: boolean; onUploaded: (urls: string[]) => void }) {
  const { t } = useI18n();
  const a = useAction();
  const pick = async (e: ChangeEvent<HTMLInputElement>) => {
    const files = [...(e.target.files ?? [])];
    e.target.value = '';
    if (files.length === 0) return;
    const urls = await a.run(async () => {
      const out: string[] = [];
      for (const f of files) out.push((await uploadImage(storeId, f)).url);
      return out;
    });
    if (urls) onUploaded(urls);
  };
  return (
    <div className="upload">
      <label htmlFor={id} className="btn small">{label}</label>
      <input id={id} type="file" accept="image/jpeg,image/png,image/webp,image/gif" multiple={multiple} className="file-input" onChange={(e) => void pick(e)} disabled={a.busy} />
      {a.error !== null && <ErrorNotice error={a.error} />}
      {a.busy && <Notice kind="info">{t('m.up.busy')}</Notice>}
    </div>
  );
}
