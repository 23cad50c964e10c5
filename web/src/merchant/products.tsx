import { useState } from 'react';
import { specText } from '../lib/format.ts';
import { useI18n } from '../lib/i18n.tsx';
import { Link, navigate, useLocation } from '../lib/router.tsx';
import type { MerchantProduct, Page } from '../lib/types.ts';
import { useAsync } from '../lib/use-async.ts';
import { Money, StatusBadge, Thumb } from '../ui/bits.tsx';
import { Empty, ErrorView, Loading, Notice, useErrorText } from '../ui/states.tsx';
import { api } from './api.ts';
import { FindingList } from './product-fields.tsx';
import { download, StockAdjust } from './stock-adjust.tsx';

const STATUSES = ['', 'live', 'in_review', 'rejected', 'delisted'] as const;

export function ProductsPage({ storeId, role }: { storeId: string; role: string }) {
  const { t } = useI18n();
  const errText = useErrorText();
  const { query } = useLocation();
  const status = query.get('status') ?? '';
  const list = useAsync((s) => api.get<Page<MerchantProduct>>(`/merchant/stores/${storeId}/products`, { status: status || undefined, limit: 50 }, s), [storeId, status]);
  const [error, setError] = useState<unknown>(null);
  const canStock = role !== 'customer_service';
  const act = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      list.reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <>
      <h1 className="page-title">{t('m.nav.products')}</h1>
      <div className="toolbar">
        <label className="inline">{t('m.filterStatus')}{' '}
          <select value={status} onChange={(e) => navigate(`/merchant/products${e.target.value ? `?status=${e.target.value}` : ''}`, { replace: true })}>
            {STATUSES.map((s) => <option key={s} value={s}>{s ? t(`status.${s}` as never) : t('orders.all')}</option>)}
          </select>
        </label>
        {canStock && <Link className="btn small primary" to="/merchant/products/new">{t('m.p.new')}</Link>}
        {canStock && <Link className="btn small" to="/merchant/products/import">{t('m.csv.title')}</Link>}
        <a className="btn small" href={`/api/v1/merchant/stores/${storeId}/products.csv`} onClick={(e) => { e.preventDefault(); void download(storeId, 'products.csv'); }}>{t('m.exportCsv')}</a>
      </div>
      {error !== null && <Notice kind="error">{errText(error)}</Notice>}
      {list.error ? <ErrorView error={list.error} retry={list.reload} /> : !list.data ? <Loading /> : list.data.items.length === 0 ? <Empty action={canStock && !status ? <Link className="btn primary" to="/merchant/products/new">{t('m.p.new')}</Link> : undefined}>{t('m.noProducts')}</Empty> : (
        <ul className="orders">
          {list.data.items.map((p) => (
            <li key={p.id} className="card">
              <div className="row">
                <Thumb src={p.images[0]} title={p.title} size="sm" />
                <div className="grow">
                  <Link to={`/merchant/products/${p.id}`} className="clamp2 title-link">{p.title}</Link>
                  <span className="small muted">{t('sales', { n: p.sales })}</span>
                </div>
                <StatusBadge status={p.status} kind="review" />
              </div>
              {p.review && p.review.findings.length > 0 && <div className="small"><FindingList findings={p.review.findings} /></div>}
              <table className="table">
                <thead><tr><th scope="col">{t('m.sku')}</th><th scope="col" className="num">{t('m.price')}</th><th scope="col" className="num">{t('m.stock')}</th>{canStock && <th scope="col">{t('m.adjust')}</th>}</tr></thead>
                <tbody>
                  {p.skus.map((s) => (
                    <tr key={s.id}>
                      <th scope="row" className="clamp1">{specText(s.spec) || '—'}</th>
                      <td className="num"><Money fen={s.price_minor} /></td>
                      <td className="num">{s.stock ? <>{s.stock.available}<span className="muted small"> / {s.stock.on_hand}</span></> : '—'}</td>
                      {canStock && <td><StockAdjust storeId={storeId} sku={s} onDone={list.reload} /></td>}
                    </tr>
                  ))}
                </tbody>
              </table>
              {canStock && (
                <div className="actions">
                  {p.status === 'live' && <button type="button" className="btn small" onClick={() => void act(() => api.post(`/merchant/stores/${storeId}/products/${p.id}/delist`, {}))}>{t('m.delist')}</button>}
                  {p.status === 'delisted' && <button type="button" className="btn small" onClick={() => void act(() => api.post(`/merchant/stores/${storeId}/products/${p.id}/relist`, {}))}>{t('m.relist')}</button>}
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
