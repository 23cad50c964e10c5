import { useState, type FormEvent } from 'react';
import { idempotencyKey } from '../lib/api.ts';
import { dateTime } from '../lib/format.ts';
import { useI18n } from '../lib/i18n.tsx';
import { Link } from '../lib/router.tsx';
import { useAsync } from '../lib/use-async.ts';
import { Money, Section, StatusBadge } from '../ui/bits.tsx';
import { Notice } from '../ui/states.tsx';
import { api } from './api.ts';
import { ErrorNotice, ProblemList, Steps, useAction } from './bits.tsx';
import { ONBOARDING_STEPS, StoreSetupLoading, stepOf } from './onboarding.tsx';
import { QualificationCard } from './qualifications.tsx';
import { NameField, useNameCheck } from './store-name.tsx';
import type { Application, Qualification, StoreDetail } from './types.ts';

/**
 * 开店进度: the application of one store from draft to open — documents, the automatic checks,
 * submit, the operator's answer (in review / ask for more / rejected with the reason), the
 * deposit, and the store open. `onChanged` reloads the store list (its status moved).
 */
export function ApplicationPage({ storeId, onChanged }: { storeId: string; onChanged: () => void }) {
  const { t, tx } = useI18n();
  const app = useAsync((s) => api.get<Application>(`/merchant/stores/${storeId}/application`, undefined, s), [storeId]);
  const docs = useAsync((s) => api.get<{ items: Qualification[] }>(`/merchant/stores/${storeId}/qualifications`, undefined, s), [storeId]);
  const reload = () => {
    app.reload();
    docs.reload();
  };
  const changed = () => {
    reload();
    onChanged();
  };
  if (app.error || !app.data) return <StoreSetupLoading error={app.error} retry={app.reload} />;
  const { store, checklist, checks, decisions, deposit } = app.data;
  const editable = store.status === 'draft' || store.status === 'rejected';
  return (
    <>
      <h1 className="page-title">{t('m.ob.title')}</h1>
      <div className="card row between wrap-row">
        <div className="grow">
          <strong className="clamp2" data-testid="store-name">{store.name}</strong>
          <span className="small muted block">{store.company_name} · {t(`m.ob.subject.${store.subject_type}`)}</span>
        </div>
        <StatusBadge status={store.status} kind="store" />
      </div>
      <Steps steps={ONBOARDING_STEPS.map((k) => t(k))} current={stepOf(store.status)} label={t('m.ob.progress')} />
      <StatusNotice store={store} />
      {editable && (
        <>
          <Section title={t('m.ob.docs')}>
            <p className="small muted">{t('m.ob.docsHint')}</p>
            {checklist.map((c) => (
              <QualificationCard key={c.kind} storeId={storeId} store={store} item={c} doc={docs.data?.items.find((q) => q.id === c.qualification_id) ?? null} onSaved={reload} />
            ))}
          </Section>
          <SubmitSection storeId={storeId} checks={checks} onSubmitted={changed} />
          <RenameSection storeId={storeId} current={store.name} onRenamed={changed} />
        </>
      )}
      {store.status === 'awaiting_deposit' && <DepositSection storeId={storeId} deposit={deposit} onPaid={changed} />}
      {(store.status === 'open' || store.status === 'restricted') && (
        <section className="card">
          <h2>{t('m.ob.openTitle')}</h2>
          <p>{t('m.ob.openSince', { d: dateTime(store.opened_at) })}</p>
          <div className="actions wrap">
            <Link className="btn primary" to="/merchant/products/new">{t('m.ob.firstProduct')}</Link>
            <Link className="btn" to="/merchant">{t('m.nav.dashboard')}</Link>
          </div>
        </section>
      )}
      {decisions.length > 0 && (
        <Section title={t('m.ob.history')}>
          <ol className="timeline">
            {decisions.map((d) => (
              <li key={d.id}>
                <strong>{tx(`decision.${d.decision}`, d.decision)}</strong>
                <span className="small muted"> · {dateTime(d.created_at)} · {tx(`who.${d.actor_role}`, d.actor_role)}</span>
                {d.reason && <p className="small break">{d.reason}</p>}
              </li>
            ))}
          </ol>
        </Section>
      )}
    </>
  );
}

function StatusNotice({ store }: { store: StoreDetail }) {
  const { t } = useI18n();
  if (store.status === 'rejected') return <div className="notice error" role="alert"><strong>{t('m.ob.rejected')}</strong><p className="break">{store.review_note}</p><p className="small">{t('m.ob.fixAndResubmit')}</p></div>;
  if (store.status === 'draft' && store.review_note) return <div className="notice info" role="status"><strong>{t('m.ob.moreInfo')}</strong><p className="break">{store.review_note}</p></div>;
  if (store.status === 'in_review') return <Notice kind="info">{t('m.ob.inReview', { d: dateTime(store.submitted_at) })}</Notice>;
  if (store.status === 'awaiting_deposit') return <Notice kind="ok">{t('m.ob.approved')}</Notice>;
  return null;
}

function SubmitSection({ storeId, checks, onSubmitted }: { storeId: string; checks: Application['checks']; onSubmitted: () => void }) {
  const { t } = useI18n();
  const a = useAction();
  const submit = async () => {
    if (await a.run(() => api.post(`/merchant/stores/${storeId}/application/submit`, {}))) onSubmitted();
  };
  return (
    <Section title={t('m.ob.step.review')}>
      {checks.length === 0 ? <Notice kind="ok">{t('m.ob.ready')}</Notice> : (
        <>
          <p className="small">{t('m.ob.checksTodo')}</p>
          <ProblemList items={checks} label={t('m.ob.checksTodo')} />
        </>
      )}
      <ErrorNotice error={a.error} />
      <button type="button" className="btn primary" onClick={() => void submit()} disabled={a.busy}>{t('m.ob.submit')}</button>
    </Section>
  );
}

function RenameSection({ storeId, current, onRenamed }: { storeId: string; current: string; onRenamed: () => void }) {
  const { t } = useI18n();
  const [name, setName] = useState(current);
  const check = useNameCheck(storeId);
  const a = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const v = await check.run(name);
    if (v && !v.ok) return;
    if (await a.run(() => api.post(`/merchant/stores/${storeId}/rename`, { name: name.trim() }))) onRenamed();
  };
  return (
    <details className="card">
      <summary>{t('m.ob.rename')}</summary>
      <form onSubmit={(e) => void submit(e)}>
        <NameField id="rename" value={name} onChange={setName} check={check} />
        <ErrorNotice error={a.error} />
        <button type="submit" className="btn" disabled={a.busy || name.trim() === current}>{t('m.ob.renameSave')}</button>
      </form>
    </details>
  );
}

function DepositSection({ storeId, deposit, onPaid }: { storeId: string; deposit: Application['deposit']; onPaid: () => void }) {
  const { t } = useI18n();
  const a = useAction();
  const [ref] = useState(() => `web_${idempotencyKey().replace(/[^A-Za-z0-9]/g, '').slice(0, 24)}`);
  const pay = async () => {
    // the same payment_ref on a retry moves nothing twice (the server answers "exists")
    if (await a.run(() => api.post(`/merchant/stores/${storeId}/deposit/sandbox-payments`, { payment_ref: ref }, { idempotent: ref }))) onPaid();
  };
  return (
    <Section title={t('m.ob.step.deposit')}>
      <dl className="breakdown">
        <div><dt>{t('m.ob.depositRequired')}</dt><dd><Money fen={deposit.required_minor} /></dd></div>
        <div><dt>{t('m.ob.depositPaid')}</dt><dd><Money fen={deposit.balance_minor} /></dd></div>
        <div className="total"><dt>{t('m.ob.depositDue')}</dt><dd><Money fen={deposit.shortfall_minor} /></dd></div>
      </dl>
      <p className="small muted">{t('m.ob.depositHint')}</p>
      <ErrorNotice error={a.error} />
      <button type="button" className="btn primary" onClick={() => void pay()} disabled={a.busy || deposit.shortfall_minor <= 0}>
        {t('m.ob.payDeposit')}
      </button>
    </Section>
  );
}
