import { useState } from 'react';
import { ApiError } from '../lib/api.ts';
import { dateTime } from '../lib/format.ts';
import { useI18n } from '../lib/i18n.tsx';
import { useAsync } from '../lib/use-async.ts';
import { Section } from '../ui/bits.tsx';
import { ErrorView, Loading, Notice, useErrorText } from '../ui/states.tsx';
import { api } from './api.ts';

interface Report {
  run_id: string; ok: boolean; at: string;
  ledger?: { ok: boolean; transfers: number; entries: number; accounts: number; problems: unknown[] };
  escrow?: { stores: number; held_orders: number; problems: unknown[] };
  orders?: { problems: unknown[] };
  refunds_payable?: { ledger_minor: number; expected_minor: number; ok: boolean };
  provider?: { checked_payments: number; checked_refunds: number; differences: unknown[] };
}

/** The latest reconciliation: ledger invariants, escrow per store, provider against our records. */
export function ReconciliationPage() {
  const { t } = useI18n();
  const errText = useErrorText();
  const latest = useAsync(async (s) => {
    try {
      return await api.get<Report>('/console/payments/reconciliation/latest', undefined, s);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return null;
      throw e;
    }
  }, []);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      latest.set(await api.post<Report>('/console/payments/reconciliation', {}));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const r = latest.data;
  const row = (label: string, ok: boolean, detail: string, problems: unknown[] = []) => (
    <tr>
      <th scope="row">{label}</th>
      <td><span className={`badge ${ok ? 's-ok' : 's-bad'}`}>{ok ? t('c.rec.ok') : t('c.rec.problems', { n: problems.length })}</span></td>
      <td className="small">{detail}{problems.length > 0 && <pre className="small">{JSON.stringify(problems.slice(0, 5), null, 1)}</pre>}</td>
    </tr>
  );
  return (
    <>
      <h1 className="page-title">{t('c.nav.reconciliation')}</h1>
      <div className="toolbar">
        <button type="button" className="btn primary" disabled={busy} onClick={() => void run()}>{busy ? t('loading') : t('c.rec.run')}</button>
      </div>
      {error !== null && <Notice kind="error">{errText(error)}</Notice>}
      {latest.error ? <ErrorView error={latest.error} retry={latest.reload} /> : latest.loading && r === undefined ? <Loading /> : !r ? <p className="muted">{t('c.rec.none')}</p> : (
        <Section title={t('c.rec.at', { d: dateTime(r.at) })} actions={<span className={`badge ${r.ok ? 's-ok' : 's-bad'}`}>{r.ok ? t('c.rec.balanced') : t('c.rec.unbalanced')}</span>}>
          <div className="table-wrap">
            <table className="table">
              <thead><tr><th scope="col">{t('c.rec.check')}</th><th scope="col">{t('c.rec.result')}</th><th scope="col">{t('c.rec.detail')}</th></tr></thead>
              <tbody>
                {r.ledger && row(t('c.rec.ledger'), r.ledger.ok, t('c.rec.ledgerDetail', { t: r.ledger.transfers, e: r.ledger.entries, a: r.ledger.accounts }), r.ledger.problems)}
                {r.escrow && row(t('c.rec.escrow'), r.escrow.problems.length === 0, t('c.rec.escrowDetail', { s: r.escrow.stores, o: r.escrow.held_orders }), r.escrow.problems)}
                {r.orders && row(t('c.rec.orders'), r.orders.problems.length === 0, '', r.orders.problems)}
                {r.refunds_payable && row(t('c.rec.refunds'), r.refunds_payable.ok, '')}
                {r.provider && row(t('c.rec.provider'), r.provider.differences.length === 0, t('c.rec.providerDetail', { p: r.provider.checked_payments, r: r.provider.checked_refunds }), r.provider.differences)}
              </tbody>
            </table>
          </div>
          <p className="muted small"><code>{r.run_id}</code></p>
        </Section>
      )}
    </>
  );
}
