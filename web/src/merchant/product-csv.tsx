import { useState, type ChangeEvent, type ReactNode } from 'react';
import { useI18n } from '../lib/i18n.tsx';
import { Link } from '../lib/router.tsx';
import { StatusBadge } from '../ui/bits.tsx';
import { Notice } from '../ui/states.tsx';
import { api } from './api.ts';
import { ErrorNotice, useAction } from './bits.tsx';
import { FindingList } from './product-fields.tsx';
import { download, saveBlob } from './stock-adjust.tsx';
import type { RowError } from './types.ts';
import type { Finding } from '../lib/types.ts';

interface ProductImport { rows: number; created: { product_ref: string; product_id: string; lines: number[]; status: string; findings: Finding[] }[]; errors: RowError[] }
interface StockImport { rows: number; changed: { line: number; sku_id: string; on_hand: number }[]; unchanged: number; errors: RowError[] }

const TEMPLATE = '\uFEFFproduct_ref,category,title,subtitle,brand,attributes,spec,price,list_price,barcode,stock\n' +
  'P1,digital.audio,便携蓝牙音箱 防水款,,,,颜色=黑色,129.00,,,50\nP1,digital.audio,便携蓝牙音箱 防水款,,,,颜色=白色,129.00,,,30\n';

/** 批量导入: products (one row per SKU) and stock counts from CSV files; every bad row is reported with its line. */
export function ProductCsvPage({ storeId }: { storeId: string }) {
  const { t } = useI18n();
  return (
    <>
      <p><Link to="/merchant/products">← {t('m.nav.products')}</Link></p>
      <h1 className="page-title">{t('m.csv.title')}</h1>
      <section className="card" aria-labelledby="h-csv-products">
        <h2 id="h-csv-products">{t('m.csv.products')}</h2>
        <p className="small muted">{t('m.csv.productsHint')}</p>
        <div className="actions wrap">
          <button type="button" className="btn small" onClick={() => saveBlob(new Blob([TEMPLATE], { type: 'text/csv' }), 'products-template.csv')}>{t('m.csv.template')}</button>
          <button type="button" className="btn small" onClick={() => void download(storeId, 'products.csv')}>{t('m.exportCsv')}</button>
        </div>
        <CsvUpload<ProductImport> id="csv-products" label={t('m.csv.pickProducts')} path={`/merchant/stores/${storeId}/products/import`} render={(r) => (
          <>
            <Notice kind={r.errors.length ? 'error' : 'ok'}>{t('m.csv.productsDone', { rows: r.rows, created: r.created.length, errors: r.errors.length })}</Notice>
            {r.created.length > 0 && (
              <ul className="orders" aria-label={t('m.csv.createdList')}>
                {r.created.map((c) => (
                  <li key={c.product_id} className="card">
                    <div className="row between"><Link to={`/merchant/products/${c.product_id}`}>{c.product_ref}</Link><StatusBadge status={c.status} kind="review" /></div>
                    <span className="small muted">{t('m.csv.lines', { lines: c.lines.join(', ') })}</span>
                    <FindingList findings={c.findings} />
                  </li>
                ))}
              </ul>
            )}
            <RowErrors errors={r.errors} />
          </>
        )} />
      </section>
      <section className="card" aria-labelledby="h-csv-stock">
        <h2 id="h-csv-stock">{t('m.csv.stock')}</h2>
        <p className="small muted">{t('m.csv.stockHint')}</p>
        <button type="button" className="btn small" onClick={() => void download(storeId, 'stock.csv')}>{t('m.csv.stockExport')}</button>
        <CsvUpload<StockImport> id="csv-stock" label={t('m.csv.pickStock')} path={`/merchant/stores/${storeId}/stock/import`} render={(r) => (
          <>
            <Notice kind={r.errors.length ? 'error' : 'ok'}>{t('m.csv.stockDone', { rows: r.rows, changed: r.changed.length, unchanged: r.unchanged, errors: r.errors.length })}</Notice>
            <RowErrors errors={r.errors} />
          </>
        )} />
      </section>
    </>
  );
}

function CsvUpload<R>({ id, label, path, render }: { id: string; label: string; path: string; render: (r: R) => ReactNode }) {
  const { t } = useI18n();
  const a = useAction();
  const [result, setResult] = useState<R | null>(null);
  const [file, setFile] = useState('');
  const pick = async (e: ChangeEvent<HTMLInputElement>) => {
    const f = e.target.files?.[0];
    e.target.value = '';
    if (!f) return;
    setFile(f.name);
    setResult(null);
    const r = await a.run(async () => api.upload<R>(path, await f.text(), 'text/csv'));
    if (r) setResult(r);
  };
  return (
    <div className="csv-upload">
      <div className="upload">
        <label htmlFor={id} className="btn small primary">{label}</label>
        <input id={id} type="file" accept=".csv,text/csv" className="file-input" onChange={(e) => void pick(e)} disabled={a.busy} />
      </div>
      <div role="status" aria-live="polite">
        {a.busy && <span className="muted">{t('m.csv.uploading', { file })}</span>}
      </div>
      <ErrorNotice error={a.error} />
      {result !== null && render(result)}
    </div>
  );
}

function RowErrors({ errors }: { errors: RowError[] }) {
  const { t, lang } = useI18n();
  if (errors.length === 0) return null;
  return (
    <div className="table-wrap">
      <table className="table nowrap-head" data-testid="row-errors">
        <caption className="left">{t('m.csv.errors', { n: errors.length })}</caption>
        <thead><tr><th scope="col">{t('m.csv.line')}</th><th scope="col">{t('m.csv.ref')}</th><th scope="col">{t('m.csv.problem')}</th></tr></thead>
        <tbody>
          {errors.map((e, i) => (
            <tr key={`${e.line}-${i}`}>
              <th scope="row">{e.line}</th>
              <td>{e.product_ref ?? '—'}</td>
              <td className="break">{lang === 'zh' ? e.message_zh : e.message} <code className="small muted">{e.code}</code></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
