import { Fragment, useState, type FormEvent } from 'react';
import { parseYuan, specText, yuan } from '../lib/format.ts';
import { useI18n } from '../lib/i18n.tsx';
import type { MerchantProduct, Sku } from '../lib/types.ts';
import { Field, Money, StatusBadge } from '../ui/bits.tsx';
import { api } from './api.ts';
import { ErrorNotice, useAction } from './bits.tsx';
import { combos, keyOf, skusOf, type Dim, type RowVals } from './skus.ts';
import { StockAdjust } from './stock-adjust.tsx';

const MAX_DIMS = 3;

/** 规格: dimensions and values, then a row per combination with its price, strikethrough price and stock. */
export function SpecMatrix({ dims, setDims, rows, setRows, errors }: {
  dims: Dim[]; setDims: (d: Dim[]) => void; rows: Record<string, RowVals>; setRows: (r: Record<string, RowVals>) => void; errors: Record<string, string>;
}) {
  const { t } = useI18n();
  const [fillPrice, setFillPrice] = useState('');
  const [fillStock, setFillStock] = useState('');
  const specs = combos(dims);
  const row = (spec: Record<string, string>) => rows[keyOf(spec)] ?? { price: '', list: '', stock: '' };
  const setRow = (spec: Record<string, string>, p: Partial<RowVals>) => setRows({ ...rows, [keyOf(spec)]: { ...row(spec), ...p } });
  const setDim = (i: number, p: Partial<Dim>) => setDims(dims.map((d, j) => (i === j ? { ...d, ...p } : d)));
  const fill = () => {
    const next = { ...rows };
    for (const s of specs) next[keyOf(s)] = { ...row(s), ...(fillPrice.trim() ? { price: fillPrice.trim() } : {}), ...(fillStock.trim() ? { stock: fillStock.trim() } : {}) };
    setRows(next);
  };
  return (
    <fieldset>
      <legend>{t('m.p.specs')}</legend>
      <p className="small muted">{t('m.p.specsHint')}</p>
      {dims.map((d, i) => (
        <div key={i} className="dim-row">
          <Field id={`dim-name-${i}`} label={t('m.p.dimName', { n: i + 1 })}>
            <input id={`dim-name-${i}`} maxLength={20} value={d.name} placeholder={i === 0 ? '颜色' : '尺码'} onChange={(e) => setDim(i, { name: e.target.value })} />
          </Field>
          <Field id={`dim-values-${i}`} label={t('m.p.dimValues', { n: i + 1 })} hint={t('m.p.dimValuesHint')}>
            <input id={`dim-values-${i}`} value={d.values} placeholder={i === 0 ? '黑色, 白色' : 'S, M, L'} onChange={(e) => setDim(i, { values: e.target.value })} aria-describedby={`dim-values-${i}-hint`} />
          </Field>
          <button type="button" className="linklike small" onClick={() => setDims(dims.filter((_, j) => j !== i))} aria-label={t('m.p.removeDim', { n: i + 1 })}>{t('m.p.remove')}</button>
        </div>
      ))}
      {dims.length < MAX_DIMS && <button type="button" className="btn small" onClick={() => setDims([...dims, { name: '', values: '' }])}>{t('m.p.addDim')}</button>}
      <div className="fill">
        <label className="inline small">{t('m.p.fillPrice')}<input inputMode="decimal" value={fillPrice} onChange={(e) => setFillPrice(e.target.value)} size={7} /></label>
        <label className="inline small">{t('m.p.fillStock')}<input inputMode="numeric" value={fillStock} onChange={(e) => setFillStock(e.target.value)} size={6} /></label>
        <button type="button" className="btn small" onClick={fill}>{t('m.p.fill')}</button>
      </div>
      <div className="table-wrap">
        <table className="table sku-matrix">
          <caption className="sr-only">{t('m.p.skuCount', { n: specs.length })}</caption>
          <thead><tr><th scope="col">{t('m.sku')}</th><th scope="col">{t('m.p.price')}</th><th scope="col">{t('m.p.listPrice')}</th><th scope="col">{t('m.p.stock')}</th></tr></thead>
          <tbody>
            {specs.map((spec) => {
              const k = keyOf(spec);
              const name = specText(spec) || t('m.p.single');
              const err = errors[k];
              return (
                <Fragment key={k}>
                <tr data-invalid={err ? true : undefined}>
                  <th scope="row" className="break">{name}</th>
                  <td><input aria-label={`${t('m.p.price')} ${name}`} inputMode="decimal" required value={row(spec).price} onChange={(e) => setRow(spec, { price: e.target.value })} size={7} aria-invalid={err === 'm.p.badPrice' || undefined} /></td>
                  <td><input aria-label={`${t('m.p.listPrice')} ${name}`} inputMode="decimal" value={row(spec).list} onChange={(e) => setRow(spec, { list: e.target.value })} size={7} aria-invalid={err === 'm.p.badListPrice' || undefined} /></td>
                  <td><input aria-label={`${t('m.p.stock')} ${name}`} inputMode="numeric" required value={row(spec).stock} onChange={(e) => setRow(spec, { stock: e.target.value })} size={6} aria-invalid={err === 'm.p.badStock' || undefined} /></td>
                </tr>
                {err && <tr className="row-error"><td colSpan={4} className="small error-text" role="alert">{name}：{t(err as never)}</td></tr>}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      </div>
    </fieldset>
  );
}

/** The SKUs of a saved product: change a price (reviewed again), adjust stock, switch a SKU off or on, add one. */
export function SkuTable({ storeId, product, role, onChanged }: { storeId: string; product: MerchantProduct; role: string; onChanged: () => void }) {
  const { t } = useI18n();
  const canWrite = role !== 'customer_service';
  const a = useAction();
  const toggle = (s: Sku) => a.run(() => api.patch(`/merchant/stores/${storeId}/skus/${s.id}`, { status: s.status === 'active' ? 'disabled' : 'active' })).then((r) => r && onChanged());
  return (
    <section className="card" aria-labelledby="h-skus">
      <h2 id="h-skus">{t('m.p.skus')}</h2>
      <ErrorNotice error={a.error} />
      <div className="table-wrap">
        <table className="table">
          <thead><tr><th scope="col">{t('m.sku')}</th><th scope="col" className="num">{t('m.price')}</th><th scope="col" className="num">{t('m.stock')}</th></tr></thead>
          {product.skus.map((s) => (
            <tbody key={s.id} data-sku={s.id} className="sku-group">
              <tr>
                <th scope="row" className="break">{specText(s.spec) || '—'} {s.status !== 'active' && <StatusBadge status={s.status} kind="generic" />}</th>
                <td className="num"><Money fen={s.price_minor} /></td>
                <td className="num" data-testid="stock">{s.stock ? <>{s.stock.available}<span className="muted small"> / {s.stock.on_hand}</span></> : '—'}</td>
              </tr>
              {canWrite && (
                <tr className="sku-actions">
                  <td colSpan={3}>
                    <PriceEdit storeId={storeId} sku={s} onDone={onChanged} />
                    <StockAdjust storeId={storeId} sku={s} onDone={onChanged} />
                    <button type="button" className="linklike small" onClick={() => void toggle(s)} disabled={a.busy} aria-label={`${s.status === 'active' ? t('m.p.disableSku') : t('m.p.enableSku')} ${specText(s.spec)}`}>
                      {s.status === 'active' ? t('m.p.disableSku') : t('m.p.enableSku')}
                    </button>
                  </td>
                </tr>
              )}
            </tbody>
          ))}
        </table>
      </div>
      {canWrite && <AddSku storeId={storeId} product={product} onDone={onChanged} />}
    </section>
  );
}

function PriceEdit({ storeId, sku, onDone }: { storeId: string; sku: Sku; onDone: () => void }) {
  const { t } = useI18n();
  const [price, setPrice] = useState(yuan(sku.price_minor).replace(/[¥,]/g, ''));
  const [bad, setBad] = useState(false);
  const a = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const fen = parseYuan(price);
    setBad(fen === null || fen <= 0);
    if (fen === null || fen <= 0 || fen === sku.price_minor) return;
    if (await a.run(() => api.patch(`/merchant/stores/${storeId}/skus/${sku.id}/price`, { price_minor: fen }))) onDone();
  };
  const id = `price-${sku.id}`;
  return (
    <form className="inline-form" onSubmit={(e) => void submit(e)}>
      <label htmlFor={id} className="sr-only">{t('m.p.newPrice')} {specText(sku.spec)}</label>
      <input id={id} inputMode="decimal" value={price} onChange={(e) => setPrice(e.target.value)} size={7} aria-invalid={bad || undefined} />
      <button type="submit" className="btn small" disabled={a.busy}>{t('m.p.setPrice')}</button>
      {bad && <span className="small error-text" role="alert">{t('m.p.badPrice')}</span>}
      <ErrorNotice error={a.error} />
    </form>
  );
}

function AddSku({ storeId, product, onDone }: { storeId: string; product: MerchantProduct; onDone: () => void }) {
  const { t } = useI18n();
  const names = product.skus.length ? Object.keys(product.skus[0].spec) : [];
  const [spec, setSpec] = useState<Record<string, string>>({});
  const [row, setRow] = useState<RowVals>({ price: '', list: '', stock: '0' });
  const [err, setErr] = useState<string | null>(null);
  const a = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const { skus, errors } = skusOf([spec], { [keyOf(spec)]: row });
    setErr(errors[keyOf(spec)] ?? null);
    if (errors[keyOf(spec)]) return;
    if (await a.run(() => api.post(`/merchant/stores/${storeId}/products/${product.id}/skus`, skus[0]))) {
      setSpec({});
      setRow({ price: '', list: '', stock: '0' });
      onDone();
    }
  };
  if (names.length === 0) return null;
  return (
    <details>
      <summary>{t('m.p.addSku')}</summary>
      <form onSubmit={(e) => void submit(e)} className="form-grid">
        {names.map((n) => (
          <Field key={n} id={`new-sku-${n}`} label={n}>
            <input id={`new-sku-${n}`} required maxLength={40} value={spec[n] ?? ''} onChange={(e) => setSpec({ ...spec, [n]: e.target.value })} />
          </Field>
        ))}
        <Field id="new-sku-price" label={t('m.p.price')}><input id="new-sku-price" inputMode="decimal" required value={row.price} onChange={(e) => setRow({ ...row, price: e.target.value })} /></Field>
        <Field id="new-sku-stock" label={t('m.p.stock')}><input id="new-sku-stock" inputMode="numeric" required value={row.stock} onChange={(e) => setRow({ ...row, stock: e.target.value })} /></Field>
        {err && <p className="small error-text" role="alert">{t(err as never)}</p>}
        <ErrorNotice error={a.error} />
        <button type="submit" className="btn" disabled={a.busy}>{t('m.p.addSku')}</button>
      </form>
    </details>
  );
}
