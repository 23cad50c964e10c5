import { useState, type FormEvent } from 'react';
import { useI18n } from '../lib/i18n.tsx';
import { useAsync } from '../lib/use-async.ts';
import { Field } from '../ui/bits.tsx';
import { ErrorView, Loading } from '../ui/states.tsx';
import { api } from './api.ts';
import { ErrorNotice, Steps, useAction } from './bits.tsx';
import { NameField, useNameCheck } from './store-name.tsx';
import type { CategoryFull, StoreDetail } from './types.ts';

export const ONBOARDING_STATUSES = new Set(['draft', 'in_review', 'rejected', 'awaiting_deposit']);
export const ONBOARDING_STEPS = ['m.ob.step.info', 'm.ob.step.docs', 'm.ob.step.review', 'm.ob.step.deposit', 'm.ob.step.open'] as const;

/**
 * 开店 step 1: who the store belongs to (个体工商户 or 企业), the company, its credit code, the
 * main category and the store name — checked against the naming rules as it is typed.
 * Creates the draft application; the documents come next (ApplicationPage).
 */
export function OpenStorePage({ first, onCreated }: { first: boolean; onCreated: (storeId: string) => void }) {
  const { t, pick } = useI18n();
  const categories = useAsync((s) => api.get<{ items: CategoryFull[] }>('/categories', undefined, s), []);
  const [subject, setSubject] = useState<'enterprise' | 'individual'>('enterprise');
  const [company, setCompany] = useState('');
  const [trade, setTrade] = useState('');
  const [uscc, setUscc] = useState('');
  const [category, setCategory] = useState('');
  const [name, setName] = useState('');
  const check = useNameCheck(null);
  const a = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const verdict = await check.run(name);
    if (verdict && !verdict.ok) return;
    const store = await a.run(() => api.post<StoreDetail>('/merchant/stores', {
      name: name.trim(), subject_type: subject, company_name: company.trim(), uscc: uscc.trim().toUpperCase(),
      ...(trade.trim() ? { trade_name: trade.trim() } : {}), ...(category ? { main_category_code: category } : {}),
    }));
    if (store) onCreated(store.id);
  };
  const tops = (categories.data?.items ?? []).filter((c) => c.parent_id === null);
  return (
    <>
      <h1 className="page-title">{first ? t('m.ob.welcome') : t('m.ob.another')}</h1>
      <Steps steps={ONBOARDING_STEPS.map((k) => t(k))} current={0} label={t('m.ob.progress')} />
      <form className="card narrow" onSubmit={(e) => void submit(e)} aria-labelledby="ob-form-title">
        <h2 id="ob-form-title">{t('m.ob.step.info')}</h2>
        <fieldset>
          <legend>{t('m.ob.subject')}</legend>
          <div className="radio-list">
            {(['individual', 'enterprise'] as const).map((s) => (
              <label key={s} className="radio-card">
                <input type="radio" name="subject" value={s} checked={subject === s} onChange={() => setSubject(s)} />
                <span><strong>{t(`m.ob.subject.${s}`)}</strong><span className="block small muted">{t(`m.ob.subjectHint.${s}`)}</span></span>
              </label>
            ))}
          </div>
          <p className="small muted">{t('m.ob.noPersonal')}</p>
        </fieldset>
        <div className="form-grid">
          <Field id="ob-company" label={subject === 'enterprise' ? t('m.ob.company') : t('m.ob.companyIndividual')}>
            <input id="ob-company" required minLength={2} maxLength={100} value={company} onChange={(e) => setCompany(e.target.value)} autoComplete="organization" />
          </Field>
          <Field id="ob-trade" label={t('m.ob.trade')} hint={t('m.ob.tradeHint')}>
            <input id="ob-trade" maxLength={20} value={trade} onChange={(e) => setTrade(e.target.value)} aria-describedby="ob-trade-hint" />
          </Field>
          <Field id="ob-uscc" label={t('m.ob.uscc')} hint={t(`m.ob.usccHint.${subject}`)}>
            <input id="ob-uscc" required minLength={18} maxLength={18} value={uscc} onChange={(e) => setUscc(e.target.value)} autoComplete="off" spellCheck={false} aria-describedby="ob-uscc-hint" />
          </Field>
          <Field id="ob-category" label={t('m.ob.category')} hint={t('m.ob.categoryHint')}>
            <select id="ob-category" value={category} onChange={(e) => setCategory(e.target.value)} aria-describedby="ob-category-hint">
              <option value="">{t('m.ob.categoryAny')}</option>
              {tops.map((c) => <option key={c.id} value={c.code}>{pick(c.name_zh, c.name_en)}</option>)}
            </select>
          </Field>
        </div>
        <NameField id="ob-name" value={name} onChange={setName} check={check} />
        <ErrorNotice error={a.error} />
        <button type="submit" className="btn primary" disabled={a.busy || check.busy}>{a.busy ? t('m.saving') : t('m.ob.create')}</button>
      </form>
    </>
  );
}

/** Which step an application is at, from the store's status. */
export function stepOf(status: string): number {
  if (status === 'draft' || status === 'rejected') return 1;
  if (status === 'in_review') return 2;
  if (status === 'awaiting_deposit') return 3;
  return ONBOARDING_STEPS.length;
}

export function StoreSetupLoading({ error, retry }: { error: unknown; retry: () => void }) {
  return error ? <ErrorView error={error} retry={retry} /> : <Loading />;
}
