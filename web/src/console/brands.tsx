import { useState } from 'react';
import { dateOnly, dateTime } from '../lib/format.ts';
import { useI18n } from '../lib/i18n.tsx';
import { Link, useLocation } from '../lib/router.tsx';
import type { Page } from '../lib/types.ts';
import { useAsync } from '../lib/use-async.ts';
import { Empty, ErrorView, Loading, Notice, useErrorText } from '../ui/states.tsx';
import { api } from './api.ts';

interface Trademark { registration_number: string; nice_class: number; status: 'R' | 'TM'; owner_name: string; owner_uscc: string; valid_from: string; valid_until: string; file_url: string }
interface Authorization { licensor_name: string; licensor_uscc: string; licensee_name: string; licensee_uscc: string; exclusive: boolean; valid_from: string; valid_until: string; file_url: string }
interface BrandCert {
  id: string; store_id: string; brand_name: string; badge: 'brand_owned' | 'brand_authorized'; status: string; status_reason: string | null; level: number;
  trademark: Trademark; authorizations: Authorization[]; expires_at: string | null; decided_at: string | null; created_at: string;
}
const STATUSES = ['pending_review', 'certified', 'rejected', 'revoked'] as const;
type Status = (typeof STATUSES)[number];

/**
 * 品牌审核: brand applications (品牌自营 / 品牌授权) with the trademark and the authorisation chain;
 * certify, reject with a reason, or revoke a certification (the store's products of that brand
 * are then delisted). The limits are checked again by the server at approval.
 */
export function BrandReviewsPage() {
  const { t } = useI18n();
  const errText = useErrorText();
  const { query } = useLocation();
  const status = (STATUSES as readonly string[]).includes(query.get('status') ?? '') ? (query.get('status') as Status) : 'pending_review';
  const list = useAsync(async (s) => {
    const page = await api.get<Page<BrandCert>>('/console/brand-applications', { status, limit: 50 }, s);
    // store names for the reviewer (one console read per store on the page)
    const ids = [...new Set(page.items.map((c) => c.store_id))];
    const stores = await Promise.all(ids.map((id) => api.get<{ store: { id: string; name: string; company_name: string } }>(`/console/stores/${id}`, undefined, s).then((d) => d.store, () => null)));
    return { page, stores: new Map(stores.filter((x) => x !== null).map((x) => [x.id, x])) };
  }, [status]);
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [done, setDone] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const act = async (c: BrandCert, action: 'approve' | 'reject' | 'revoke') => {
    setDone(null);
    try {
      await api.post(`/console/brand-applications/${c.id}/${action}`, action === 'approve' ? {} : { reason: (reasons[c.id] ?? '').trim() });
      setDone({ kind: 'ok', text: t(`c.brands.done.${action}`, { brand: c.brand_name }) });
      list.reload();
    } catch (e) {
      setDone({ kind: 'error', text: errText(e) });
    }
  };
  return (
    <>
      <h1 className="page-title">{t('c.nav.brands')}</h1>
      <nav className="tabs" aria-label={t('m.filterStatus')}>
        {STATUSES.map((s) => <Link key={s} to={`/console/brands${s === 'pending_review' ? '' : `?status=${s}`}`} className={status === s ? 'on' : ''} aria-current={status === s ? 'page' : undefined}>{t(`c.brands.status.${s}`)}</Link>)}
      </nav>
      {done && <Notice kind={done.kind}>{done.text}</Notice>}
      {list.error ? <ErrorView error={list.error} retry={list.reload} /> : !list.data ? <Loading /> : list.data.page.items.length === 0 ? <Empty>{t('c.brands.empty')}</Empty> : (
        <ul className="orders">
          {list.data.page.items.map((c) => {
            const store = list.data!.stores.get(c.store_id);
            const reason = reasons[c.id] ?? '';
            return (
              <li key={c.id} className="card" data-cert={c.id}>
                <div className="row between">
                  <h2 className="clamp1">{c.brand_name} <span className="badge">{t(`c.brands.badge.${c.badge}`)}</span></h2>
                  <span className={`badge s-${c.status === 'certified' ? 'ok' : c.status === 'pending_review' ? 'pending' : 'bad'}`}>{t(`c.brands.status.${c.status as Status}`)}</span>
                </div>
                <p className="small muted">
                  <Link to={`/console/stores/${c.store_id}`}>{store ? `${store.name}（${store.company_name}）` : <code>{c.store_id}</code>}</Link> · {t('c.brands.applied', { d: dateTime(c.created_at) })}
                  {c.expires_at && <> · {t('c.brands.expires', { d: dateOnly(c.expires_at) })}</>}
                </p>
                <dl className="attrs small">
                  <div><dt>{t('c.brands.tmNumber')}</dt><dd><code>{c.trademark.registration_number}</code> {c.trademark.status === 'R' ? '®' : '™'} · {t('c.brands.niceClass', { n: c.trademark.nice_class })}</dd></div>
                  <div><dt>{t('c.brands.tmOwner')}</dt><dd>{c.trademark.owner_name} <code>{c.trademark.owner_uscc}</code></dd></div>
                  <div><dt>{t('c.brands.validity')}</dt><dd>{c.trademark.valid_from} – {c.trademark.valid_until} · <a href={c.trademark.file_url} target="_blank" rel="noopener noreferrer">{t('c.brands.certificate')}</a></dd></div>
                </dl>
                {c.authorizations.length > 0 && (
                  <>
                    <h3 className="small">{t('c.brands.chain')}</h3>
                    <ol className="timeline small">
                      {c.authorizations.map((a, i) => (
                        <li key={i}>
                          {a.licensor_name} → {a.licensee_name} · {a.exclusive ? t('c.brands.exclusive') : t('c.brands.nonExclusive')} · {a.valid_from} – {a.valid_until} ·{' '}
                          <a href={a.file_url} target="_blank" rel="noopener noreferrer">{t('c.brands.letter')}</a>
                        </li>
                      ))}
                    </ol>
                  </>
                )}
                {c.status_reason && <p className="small"><strong>{t('c.stores.reason')}：</strong>{c.status_reason}</p>}
                {(c.status === 'pending_review' || c.status === 'certified') && (
                  <div className="actions wrap">
                    {c.status === 'pending_review' && <button type="button" className="btn primary small" onClick={() => void act(c, 'approve')}>{t('c.brands.approve')}</button>}
                    <label className="sr-only" htmlFor={`br-${c.id}`}>{t('c.brands.reason')}</label>
                    <input id={`br-${c.id}`} placeholder={t('c.brands.reason')} value={reason} onChange={(e) => setReasons({ ...reasons, [c.id]: e.target.value })} />
                    {c.status === 'pending_review'
                      ? <button type="button" className="btn small danger" disabled={reason.trim().length < 2} onClick={() => void act(c, 'reject')}>{t('c.reject')}</button>
                      : <button type="button" className="btn small danger" disabled={reason.trim().length < 2} onClick={() => void act(c, 'revoke')}>{t('c.brands.revoke')}</button>}
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}
