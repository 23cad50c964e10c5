import { useState, type FormEvent } from 'react';
import { dateOnly, dateTime } from '../lib/format.ts';
import { useI18n } from '../lib/i18n.tsx';
import { useAsync } from '../lib/use-async.ts';
import { Section } from '../ui/bits.tsx';
import { Empty, ErrorView, Loading, Notice } from '../ui/states.tsx';
import { api } from './api.ts';
import { BrandApplyForm } from './brand-form.tsx';
import { ErrorNotice, useAction } from './bits.tsx';
import { StoreSetupLoading } from './onboarding.tsx';
import { NameField, useNameCheck } from './store-name.tsx';
import type { Application, BrandCert, Decision, NameChange, StoreDetail } from './types.ts';

const STATUS_CLASS: Record<BrandCert['status'], string> = { pending_review: 'pending', certified: 'ok', rejected: 'bad', revoked: 'bad' };

/**
 * 店铺与品牌 (an opened store): its certified brand badges, every brand application with its status
 * and the operator's decision or reason, applying for another brand (owner), and renaming the
 * store — limited once open (renames_remaining), checked against the naming rules as it is typed.
 */
export function StorePage({ storeId, role, onChanged }: { storeId: string; role: string; onChanged: () => void }) {
  const { t } = useI18n();
  const app = useAsync((s) => api.get<Application>(`/merchant/stores/${storeId}/application`, undefined, s), [storeId]);
  const [done, setDone] = useState<string | null>(null);
  const [form, setForm] = useState(0);
  if (app.error || !app.data) return <StoreSetupLoading error={app.error} retry={app.reload} />;
  const { store, brands, decisions } = app.data;
  const owner = role === 'owner';
  const certified = brands.filter((c) => c.status === 'certified');
  const canApply = owner && store.status !== 'closed' && store.status !== 'suspended';
  const applied = (c: BrandCert) => {
    setDone(t('m.brand.submitted', { brand: c.brand_name }));
    setForm((n) => n + 1); // a fresh, closed form
    app.reload();
  };
  return (
    <>
      <h1 className="page-title">{t('m.nav.store')}</h1>
      <div className="card">
        <strong className="clamp2" data-testid="store-name">{store.name}</strong>
        <span className="small muted block break">{store.company_name}</span>
        <ul className="brand-badges" aria-label={t('m.brand.badges')}>
          {certified.length === 0 ? <li className="small muted">{t('m.brand.noBadges')}</li> : certified.map((c) => (
            <li key={c.id} data-badge={c.badge}><span className="badge brand-badge">{t(`c.brands.badge.${c.badge}`)}</span> <span className="break">{c.brand_name}</span></li>
          ))}
        </ul>
      </div>
      {done && <Notice kind="ok">{done}</Notice>}
      <Section title={t('m.brand.title')}>
        <p className="small muted">{t('m.brand.intro')}</p>
        {brands.length === 0 ? <Empty>{t('m.brand.none')}</Empty> : (
          <ul className="lines">
            {brands.map((c) => <BrandRow key={c.id} cert={c} decisions={decisions.filter((d) => d.subject === 'brand' && d.subject_id === c.id)} />)}
          </ul>
        )}
        {canApply ? (
          <details key={form} className="doc apply-brand">
            <summary>{t('m.brand.apply')}</summary>
            <BrandApplyForm storeId={storeId} store={store} onApplied={applied} />
          </details>
        ) : !owner && <p className="small muted">{t('m.brand.ownerOnly')}</p>}
      </Section>
      <RenameSection storeId={storeId} store={store} remaining={app.data.renames_remaining} owner={owner} onRenamed={(name) => { setDone(t('m.store.renamed', { name })); app.reload(); onChanged(); }} />
    </>
  );
}

function BrandRow({ cert: c, decisions }: { cert: BrandCert; decisions: Decision[] }) {
  const { t, tx } = useI18n();
  return (
    <li className="brand-row" data-cert={c.id}>
      <div className="row between">
        <strong className="clamp2">{c.brand_name} <span className="badge">{t(`c.brands.badge.${c.badge}`)}</span></strong>
        <span className={`badge s-${STATUS_CLASS[c.status]}`}>{t(`c.brands.status.${c.status}`)}</span>
      </div>
      <p className="small muted">
        {t('m.brand.applied', { d: dateTime(c.created_at) })}
        {c.expires_at && <> · {t('m.brand.expires', { d: dateOnly(c.expires_at) })}</>}
      </p>
      <p className="small break">
        {t('m.brand.tmLine', { no: c.trademark.registration_number, n: c.trademark.nice_class })} {c.trademark.status === 'R' ? '®' : '™'} · {c.trademark.owner_name}
        {' · '}{c.authorizations.length === 0 ? t('m.brand.ownerLevel') : t('m.brand.levelN', { n: c.authorizations.length })}
      </p>
      {c.authorizations.length > 0 && (
        <ol className="plain small muted">
          {c.authorizations.map((a, i) => (
            <li key={i} className="break">{t('m.brand.level', { n: i + 1 })}：{a.licensor_name} → {a.licensee_name}（{a.exclusive ? t('c.brands.exclusive') : t('c.brands.nonExclusive')}，{a.valid_from} – {a.valid_until}）</li>
          ))}
        </ol>
      )}
      {c.status === 'pending_review' && <p className="small">{t('m.brand.waiting')}</p>}
      {c.status_reason && <p className="small break notice error"><strong>{t('m.brand.reason')}</strong>{tx(`m.brand.reason.${c.status_reason}`, c.status_reason)}</p>}
      {decisions.length > 0 && (
        <ol className="timeline small" aria-label={t('m.brand.decisions')}>
          {decisions.map((d) => (
            <li key={d.id}>
              <strong>{tx(`decision.${d.decision}`, d.decision)}</strong>
              <span className="muted"> · {dateTime(d.created_at)} · {tx(`who.${d.actor_role}`, d.actor_role)}</span>
            </li>
          ))}
        </ol>
      )}
    </li>
  );
}

function RenameSection({ storeId, store, remaining, owner, onRenamed }: { storeId: string; store: StoreDetail; remaining: number | null; owner: boolean; onRenamed: (name: string) => void }) {
  const { t } = useI18n();
  const history = useAsync((s) => api.get<{ items: NameChange[] }>(`/merchant/stores/${storeId}/name-history`, undefined, s), [storeId, store.name]);
  const [name, setName] = useState(store.name);
  const check = useNameCheck(storeId);
  const a = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const v = await check.run(name);
    if (v && !v.ok) return;
    const r = await a.run(() => api.post<StoreDetail>(`/merchant/stores/${storeId}/rename`, { name: name.trim() }));
    if (r) onRenamed(r.name);
  };
  const left = remaining ?? 0;
  return (
    <Section title={t('m.ob.rename')}>
      {remaining !== null && <p className="small" data-testid="renames-left">{left > 0 ? t('m.store.renamesLeft', { n: left }) : t('m.store.noRenames')}</p>}
      {owner && left > 0 && (
        <form onSubmit={(e) => void submit(e)} aria-label={t('m.ob.rename')}>
          <NameField id="store-rename" value={name} onChange={setName} check={check} label={t('m.store.newName')} />
          <ErrorNotice error={a.error} />
          <button type="submit" className="btn" disabled={a.busy || check.busy || name.trim() === store.name}>{t('m.ob.renameSave')}</button>
        </form>
      )}
      <h3 className="small section-title">{t('m.store.nameHistory')}</h3>
      {history.error ? <ErrorView error={history.error} retry={history.reload} /> : !history.data ? <Loading /> : history.data.items.length === 0 ? <p className="small muted">{t('m.store.noHistory')}</p> : (
        <ol className="timeline small">
          {history.data.items.map((h) => (
            <li key={h.id} className="break">{h.old_name} → {h.new_name} <span className="muted">· {dateTime(h.changed_at)}{!h.counted && ` · ${t('m.store.notCounted')}`}</span></li>
          ))}
        </ol>
      )}
    </Section>
  );
}
