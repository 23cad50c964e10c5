import { useState, type FormEvent } from 'react';
import { useI18n } from '../lib/i18n.tsx';
import { Link, navigate } from '../lib/router.tsx';
import type { MerchantProduct } from '../lib/types.ts';
import { useAsync } from '../lib/use-async.ts';
import { StatusBadge } from '../ui/bits.tsx';
import { ErrorView, Loading, Notice } from '../ui/states.tsx';
import { api } from './api.ts';
import { ErrorNotice, useAction } from './bits.tsx';
import { CategoryPicker, DetailsFields, draftOf, emptyDraft, ReviewPanel, type Draft } from './product-fields.tsx';
import { SkuTable, SpecMatrix } from './product-skus.tsx';
import { combos, skusOf, type Dim, type RowVals } from './skus.ts';
import type { CategoryFull } from './types.ts';

const useCategories = () => useAsync((s) => api.get<{ items: CategoryFull[] }>('/categories', undefined, s), []);

/** Only the attributes the category asks for, trimmed; empty ones left out. */
const cleanAttrs = (attrs: Record<string, string>, category: CategoryFull | undefined) =>
  Object.fromEntries((category?.required_attributes ?? []).map((a) => [a.key, (attrs[a.key] ?? '').trim()]).filter(([, v]) => v));

/**
 * 发布商品: category (leaves only), title and details, the attributes the category requires,
 * images, and the SKUs as combinations of spec values with price and stock. The review runs on
 * save; the product page then says whether it went live, waits, or was blocked and why.
 */
export function NewProductPage({ storeId }: { storeId: string }) {
  const { t } = useI18n();
  const categories = useCategories();
  const [categoryId, setCategoryId] = useState('');
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [dims, setDims] = useState<Dim[]>([{ name: '', values: '' }]);
  const [rows, setRows] = useState<Record<string, RowVals>>({});
  const [rowErrors, setRowErrors] = useState<Record<string, string>>({});
  const a = useAction();
  if (categories.error) return <ErrorView error={categories.error} retry={categories.reload} />;
  if (!categories.data) return <Loading />;
  const category = categories.data.items.find((c) => c.id === categoryId);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const { skus, errors } = skusOf(combos(dims), rows);
    setRowErrors(errors);
    if (Object.keys(errors).length) return;
    const body = {
      category_id: categoryId, title: draft.title.trim(), subtitle: draft.subtitle.trim(), description: draft.description, brand: draft.brand.trim() || null,
      attributes: cleanAttrs(draft.attributes, category), images: draft.images, skus,
    };
    const p = await a.run(() => api.post<MerchantProduct>(`/merchant/stores/${storeId}/products`, body, { idempotent: true }));
    if (p) navigate(`/merchant/products/${p.id}?saved=created`, { replace: true });
  };
  return (
    <>
      <p><Link to="/merchant/products">← {t('m.nav.products')}</Link></p>
      <h1 className="page-title">{t('m.p.new')}</h1>
      <form className="card" onSubmit={(e) => void submit(e)} aria-label={t('m.p.new')}>
        <CategoryPicker categories={categories.data.items} value={categoryId} onChange={setCategoryId} />
        <DetailsFields storeId={storeId} draft={draft} set={(p) => setDraft({ ...draft, ...p })} category={category} />
        <SpecMatrix dims={dims} setDims={setDims} rows={rows} setRows={setRows} errors={rowErrors} />
        {Object.keys(rowErrors).length > 0 && <Notice kind="error">{t('m.p.fixRows')}</Notice>}
        <ErrorNotice error={a.error} />
        <button type="submit" className="btn primary" disabled={a.busy}>{a.busy ? t('m.saving') : t('m.p.publish')}</button>
      </form>
    </>
  );
}

/** A saved product: its review outcome, the editable details, and its SKUs. */
export function EditProductPage({ storeId, productId, role, saved }: { storeId: string; productId: string; role: string; saved: string | null }) {
  const { t } = useI18n();
  const product = useAsync((s) => api.get<MerchantProduct>(`/merchant/stores/${storeId}/products/${productId}`, undefined, s), [storeId, productId]);
  const categories = useCategories();
  if (product.error) return <ErrorView error={product.error} retry={product.reload} />;
  if (!product.data || !categories.data) return <Loading />;
  const p = product.data;
  const category = categories.data.items.find((c) => c.id === p.category_id);
  return (
    <>
      <p><Link to="/merchant/products">← {t('m.nav.products')}</Link></p>
      <div className="row between wrap-row">
        <h1 className="page-title clamp2">{p.title}</h1>
        <StatusBadge status={p.status} kind="review" />
      </div>
      {saved && <Notice kind="ok">{t(saved === 'created' ? 'm.p.created' : 'm.p.saved')}</Notice>}
      <ReviewPanel product={p} />
      <p className="small muted">{t('m.p.categoryIs', { c: category?.name_zh ?? p.category_id })}</p>
      <DetailsForm key={p.id + p.title + p.images.join()} storeId={storeId} product={p} category={category} readOnly={role === 'customer_service'} onSaved={() => {
        navigate(`/merchant/products/${p.id}?saved=edited`, { replace: true });
        product.reload();
      }} />
      <SkuTable storeId={storeId} product={p} role={role} onChanged={product.reload} />
      {role !== 'customer_service' && <ListingActions storeId={storeId} product={p} onDone={product.reload} />}
    </>
  );
}

function DetailsForm({ storeId, product, category, readOnly, onSaved }: { storeId: string; product: MerchantProduct; category: CategoryFull | undefined; readOnly: boolean; onSaved: () => void }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<Draft>(() => draftOf(product));
  const a = useAction();
  const before = draftOf(product);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    // only what changed: an image-only edit is not reviewed again
    const patch: Record<string, unknown> = {};
    if (draft.title.trim() !== before.title) patch.title = draft.title.trim();
    if (draft.subtitle.trim() !== before.subtitle) patch.subtitle = draft.subtitle.trim();
    if (draft.description !== before.description) patch.description = draft.description;
    if (draft.brand.trim() !== before.brand) patch.brand = draft.brand.trim() || null;
    const attrs = { ...before.attributes, ...cleanAttrs(draft.attributes, category) };
    if (JSON.stringify(attrs) !== JSON.stringify(before.attributes)) patch.attributes = attrs;
    if (draft.images.join('\n') !== before.images.join('\n')) patch.images = draft.images;
    if (Object.keys(patch).length === 0) return;
    if (await a.run(() => api.patch(`/merchant/stores/${storeId}/products/${product.id}`, patch))) onSaved();
  };
  return (
    <form className="card" onSubmit={(e) => void submit(e)} aria-labelledby="h-details">
      <h2 id="h-details">{t('m.p.details')}</h2>
      <fieldset disabled={readOnly}>
        <DetailsFields storeId={storeId} draft={draft} set={(p) => setDraft({ ...draft, ...p })} category={category} />
        <p className="small muted">{t('m.p.editReviewed')}</p>
        <ErrorNotice error={a.error} />
        <button type="submit" className="btn primary" disabled={a.busy}>{a.busy ? t('m.saving') : t('m.p.save')}</button>
      </fieldset>
    </form>
  );
}

function ListingActions({ storeId, product, onDone }: { storeId: string; product: MerchantProduct; onDone: () => void }) {
  const { t } = useI18n();
  const a = useAction();
  const act = (what: 'delist' | 'relist') => a.run(() => api.post(`/merchant/stores/${storeId}/products/${product.id}/${what}`, {})).then((r) => r && onDone());
  if (product.status !== 'live' && product.status !== 'delisted') return null;
  return (
    <div className="actions">
      {product.status === 'live' && <button type="button" className="btn danger" onClick={() => void act('delist')} disabled={a.busy}>{t('m.delist')}</button>}
      {product.status === 'delisted' && <button type="button" className="btn" onClick={() => void act('relist')} disabled={a.busy}>{t('m.relist')}</button>}
      <ErrorNotice error={a.error} />
    </div>
  );
}
