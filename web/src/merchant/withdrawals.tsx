import { useState, type FormEvent } from 'react';
import { idempotencyKey } from '../lib/api.ts';
import { dateTime, parseYuan, yuan } from '../lib/format.ts';
import { useI18n } from '../lib/i18n.tsx';
import type { Page } from '../lib/types.ts';
import { useAsync } from '../lib/use-async.ts';
import { Field, Money, Section, StatusBadge } from '../ui/bits.tsx';
import { Empty, ErrorView, Loading, Notice } from '../ui/states.tsx';
import { api } from './api.ts';
import { ErrorNotice, useAction } from './bits.tsx';
import type { Payout } from './types.ts';

/** 提现: the owner withdraws from the available balance to a bank account; every withdrawal listed. */
export function Withdrawals({ storeId, available, canWithdraw, onDone }: { storeId: string; available: number; canWithdraw: boolean; onDone: () => void }) {
  const { t } = useI18n();
  const list = useAsync((s) => api.get<Page<Payout>>(`/merchant/stores/${storeId}/finance/withdrawals`, { limit: 50 }, s), [storeId]);
  return (
    <Section title={t('m.wd.title')}>
      {canWithdraw ? <WithdrawForm storeId={storeId} available={available} onDone={() => { list.reload(); onDone(); }} /> : <p className="small muted">{t('m.wd.ownerOnly')}</p>}
      {list.error ? <ErrorView error={list.error} retry={list.reload} /> : !list.data ? <Loading /> : list.data.items.length === 0 ? <Empty>{t('m.wd.none')}</Empty> : (
        <div className="table-wrap">
          <table className="table">
            <thead><tr><th scope="col">{t('m.fin.when')}</th><th scope="col">{t('m.wd.account')}</th><th scope="col" className="num">{t('m.fin.amount')}</th><th scope="col">{t('m.filterStatus')}</th></tr></thead>
            <tbody>
              {list.data.items.map((p) => (
                <tr key={p.id}>
                  <td className="small">{dateTime(p.created_at)}</td>
                  <td className="small break">{p.bank_name} · {p.account_name}<span className="block muted">{p.account_no_masked}</span></td>
                  <td className="num"><Money fen={p.amount_minor} /></td>
                  <td><StatusBadge status={p.status} kind="generic" /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}

function WithdrawForm({ storeId, available, onDone }: { storeId: string; available: number; onDone: () => void }) {
  const { t } = useI18n();
  const [amount, setAmount] = useState('');
  const [bank, setBank] = useState('');
  const [holder, setHolder] = useState('');
  const [account, setAccount] = useState('');
  const [bad, setBad] = useState<string | null>(null);
  const [done, setDone] = useState<number | null>(null);
  // one key per intended withdrawal: a retried submit after a lost answer withdraws once
  const [key, setKey] = useState(idempotencyKey);
  const a = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setDone(null);
    const fen = parseYuan(amount);
    const no = account.replace(/\s+/g, '');
    if (fen === null || fen <= 0) return setBad('m.wd.badAmount');
    if (fen > available) return setBad('m.wd.tooMuch');
    if (!/^\d{12,30}$/.test(no)) return setBad('m.wd.badAccount');
    setBad(null);
    const r = await a.run(() => api.post<Payout>(`/merchant/stores/${storeId}/finance/withdrawals`, { amount_minor: fen, bank_name: bank.trim(), account_name: holder.trim(), account_no: no }, { idempotent: key }));
    if (r) {
      setDone(r.amount_minor);
      setAmount('');
      setKey(idempotencyKey());
      onDone();
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} aria-label={t('m.wd.title')}>
      <p className="small">{t('m.wd.available')} <Money fen={available} className="price" /></p>
      <div className="form-grid">
        <Field id="wd-amount" label={t('m.wd.amount')}>
          <input id="wd-amount" inputMode="decimal" required value={amount} onChange={(e) => setAmount(e.target.value)} placeholder={yuan(available).replace('¥', '')} />
        </Field>
        <Field id="wd-bank" label={t('m.wd.bank')}><input id="wd-bank" required minLength={2} maxLength={40} value={bank} onChange={(e) => setBank(e.target.value)} /></Field>
        <Field id="wd-holder" label={t('m.wd.holder')}><input id="wd-holder" required minLength={2} maxLength={60} value={holder} onChange={(e) => setHolder(e.target.value)} autoComplete="name" /></Field>
        <Field id="wd-account" label={t('m.wd.accountNo')}><input id="wd-account" required inputMode="numeric" value={account} onChange={(e) => setAccount(e.target.value)} autoComplete="off" /></Field>
      </div>
      {bad && <p className="small error-text" role="alert">{t(bad as never)}</p>}
      <ErrorNotice error={a.error} />
      {done !== null && <Notice kind="ok">{t('m.wd.done', { amount: yuan(done) })}</Notice>}
      <button type="submit" className="btn primary" disabled={a.busy || available <= 0}>{t('m.wd.submit')}</button>
    </form>
  );
}
