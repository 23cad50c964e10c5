import { dateTime } from '../lib/format.ts';
import { useI18n } from '../lib/i18n.tsx';
import { navigate, useLocation } from '../lib/router.tsx';
import type { Page } from '../lib/types.ts';
import { useAsync } from '../lib/use-async.ts';
import { Money, Section } from '../ui/bits.tsx';
import { Empty, ErrorView, Loading } from '../ui/states.tsx';
import { api } from './api.ts';
import { Withdrawals } from './withdrawals.tsx';

interface Balance { pending_minor: number; available_minor: number; paid_out_minor: number; owed_minor: number; pending_orders: number }
interface Entry { entry_id: string; reason: string; reason_zh: string; ref_type: string | null; ref_id: string | null; memo: string; amount_minor: number; balance_after_minor: number; created_at: string }
const ACCOUNTS = ['available', 'escrow', 'payouts', 'owed'] as const;

export function FinancePage({ storeId, role }: { storeId: string; role: string }) {
  const { t, lang } = useI18n();
  const { query } = useLocation();
  const account = (query.get('account') ?? 'available') as (typeof ACCOUNTS)[number];
  const balance = useAsync((s) => api.get<Balance>(`/merchant/stores/${storeId}/finance/balance`, undefined, s), [storeId]);
  const statement = useAsync((s) => api.get<Page<Entry>>(`/merchant/stores/${storeId}/finance/statement`, { account, limit: 50 }, s), [storeId, account]);
  return (
    <>
      <h1 className="page-title">{t('m.nav.finance')}</h1>
      {balance.error ? <ErrorView error={balance.error} retry={balance.reload} /> : !balance.data ? <Loading /> : (
        <div className="kpis">
          <div className="kpi"><span className="muted small">{t('m.fin.pending')}</span><strong><Money fen={balance.data.pending_minor} /></strong><span className="small muted">{t('m.fin.pendingOrders', { n: balance.data.pending_orders })}</span></div>
          <div className="kpi"><span className="muted small">{t('m.fin.available')}</span><strong><Money fen={balance.data.available_minor} /></strong></div>
          <div className="kpi"><span className="muted small">{t('m.fin.paidOut')}</span><strong><Money fen={balance.data.paid_out_minor} /></strong></div>
          <div className="kpi"><span className="muted small">{t('m.fin.owed')}</span><strong><Money fen={balance.data.owed_minor} /></strong></div>
        </div>
      )}
      {balance.data && <Withdrawals storeId={storeId} available={balance.data.available_minor} canWithdraw={role === 'owner'} onDone={() => { balance.reload(); statement.reload(); }} />}
      <Section title={t('m.fin.statement')} actions={
        <label className="inline">{t('m.fin.account')}{' '}
          <select value={account} onChange={(e) => navigate(`/merchant/finance?account=${e.target.value}`, { replace: true })}>
            {ACCOUNTS.map((a) => <option key={a} value={a}>{t(`m.fin.acc.${a}`)}</option>)}
          </select>
        </label>
      }>
        {statement.error ? <ErrorView error={statement.error} retry={statement.reload} /> : !statement.data ? <Loading /> : statement.data.items.length === 0 ? <Empty>{t('m.fin.empty')}</Empty> : (
          <div className="table-wrap">
            <table className="table">
              <thead><tr><th scope="col">{t('m.fin.when')}</th><th scope="col">{t('m.fin.what')}</th><th scope="col" className="num">{t('m.fin.amount')}</th><th scope="col" className="num">{t('m.fin.after')}</th></tr></thead>
              <tbody>
                {statement.data.items.map((e) => (
                  <tr key={e.entry_id}>
                    <td className="small">{dateTime(e.created_at)}</td>
                    <td className="small">{lang === 'zh' ? e.reason_zh : e.reason}{e.ref_id && <span className="muted block"><code>{e.ref_id}</code></span>}</td>
                    <td className={`num ${e.amount_minor < 0 ? 'neg' : 'pos'}`}><Money fen={e.amount_minor} /></td>
                    <td className="num"><Money fen={e.balance_after_minor} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
    </>
  );
}
