import { useI18n } from '../lib/i18n.tsx';
import type { Finding, MerchantProduct } from '../lib/types.ts';
import { Field } from '../ui/bits.tsx';
import { ImageUpload } from './bits.tsx';
import { percent } from './rates.ts';
import type { CategoryFull } from './types.ts';

export interface Draft { title: string; subtitle: string; brand: string; description: string; attributes: Record<string, string>; images: string[] }
export const emptyDraft = (): Draft => ({ title: '', subtitle: '', brand: '', description: '', attributes: {}, images: [] });
export const draftOf = (p: MerchantProduct): Draft => ({ title: p.title, subtitle: p.subtitle, brand: p.brand ?? '', description: p.description, attributes: { ...p.attributes }, images: [...p.images] });

/** Leaf categories grouped under their parents: only leaves can hold products. */
export function CategoryPicker({ categories, value, onChange }: { categories: CategoryFull[]; value: string; onChange: (id: string) => void }) {
  const { t, pick } = useI18n();
  const parents = categories.filter((c) => !c.is_leaf);
  const chosen = categories.find((c) => c.id === value);
  return (
    <Field id="p-category" label={t('m.p.category')} hint={chosen ? t('m.p.categoryRules', { fee: percent(chosen.fee_rate_bp) }) : t('m.p.categoryHint')}>
      <select id="p-category" required value={value} onChange={(e) => onChange(e.target.value)} aria-describedby="p-category-hint">
        <option value="">{t('m.p.pickCategory')}</option>
        {parents.map((p) => (
          <optgroup key={p.id} label={pick(p.name_zh, p.name_en)}>
            {categories.filter((c) => c.is_leaf && c.parent_id === p.id).map((c) => <option key={c.id} value={c.id}>{pick(c.name_zh, c.name_en)}</option>)}
          </optgroup>
        ))}
      </select>
    </Field>
  );
}

/** Title, brand, the attributes the category requires, images and the description. */
export function DetailsFields({ storeId, draft, set, category }: { storeId: string; draft: Draft; set: (p: Partial<Draft>) => void; category: CategoryFull | undefined }) {
  const { t } = useI18n();
  const attrs = category?.required_attributes ?? [];
  const setAttr = (k: string, v: string) => set({ attributes: { ...draft.attributes, [k]: v } });
  const titleLen = [...draft.title.trim()].length;
  return (
    <>
      <Field id="p-title" label={t('m.p.title')} hint={t('m.p.titleHint', { n: titleLen })}>
        <input id="p-title" required minLength={2} maxLength={60} value={draft.title} onChange={(e) => set({ title: e.target.value })} aria-describedby="p-title-hint" />
      </Field>
      <div className="form-grid">
        <Field id="p-subtitle" label={t('m.p.subtitle')}>
          <input id="p-subtitle" maxLength={100} value={draft.subtitle} onChange={(e) => set({ subtitle: e.target.value })} />
        </Field>
        <Field id="p-brand" label={t('m.p.brand')} hint={t('m.p.brandHint')}>
          <input id="p-brand" maxLength={40} value={draft.brand} onChange={(e) => set({ brand: e.target.value })} aria-describedby="p-brand-hint" />
        </Field>
      </div>
      {attrs.length > 0 && (
        <fieldset>
          <legend>{t('m.p.requiredAttrs')}</legend>
          <div className="form-grid">
            {attrs.map((a) => {
              const id = `p-attr-${a.key}`;
              return (
                <Field key={a.key} id={id} label={`${a.label_zh} *`}>
                  {a.type === 'enum' && a.options ? (
                    <select id={id} required value={draft.attributes[a.key] ?? ''} onChange={(e) => setAttr(a.key, e.target.value)}>
                      <option value="">{t('m.p.pick')}</option>
                      {a.options.map((o) => <option key={o} value={o}>{o}</option>)}
                    </select>
                  ) : (
                    <input id={id} required inputMode={a.type === 'number' ? 'decimal' : undefined} maxLength={200} value={draft.attributes[a.key] ?? ''} onChange={(e) => setAttr(a.key, e.target.value)} />
                  )}
                </Field>
              );
            })}
          </div>
        </fieldset>
      )}
      <fieldset>
        <legend>{t('m.p.images')}</legend>
        {draft.images.length > 0 && (
          <ul className="image-list">
            {draft.images.map((src, i) => (
              <li key={src}>
                <img src={src} alt={t('m.p.imageN', { n: i + 1 })} className="thumb sm" />
                {i === 0 ? <span className="badge">{t('m.p.mainImage')}</span> : (
                  <button type="button" className="linklike small" onClick={() => set({ images: [src, ...draft.images.filter((x) => x !== src)] })}>{t('m.p.makeMain')}</button>
                )}
                <button type="button" className="linklike small" onClick={() => set({ images: draft.images.filter((x) => x !== src) })} aria-label={t('m.p.removeImageN', { n: i + 1 })}>{t('m.p.remove')}</button>
              </li>
            ))}
          </ul>
        )}
        <ImageUpload storeId={storeId} id="p-images" multiple label={t('m.p.addImages')} onUploaded={(urls) => set({ images: [...draft.images, ...urls.filter((u) => !draft.images.includes(u))].slice(0, 20) })} />
      </fieldset>
      <Field id="p-description" label={t('m.p.description')}>
        <textarea id="p-description" rows={4} maxLength={20000} value={draft.description} onChange={(e) => set({ description: e.target.value })} />
      </Field>
    </>
  );
}

/** The compliance review's outcome: live, waiting for an operator, or blocked with the reasons. */
export function ReviewPanel({ product }: { product: MerchantProduct }) {
  const { tx } = useI18n();
  const findings = product.review?.findings ?? [];
  const kind = product.status === 'live' ? 'ok' : product.status === 'rejected' ? 'error' : 'info';
  return (
    <section className={`notice ${kind} review-panel`} role={kind === 'error' ? 'alert' : 'status'} data-testid="review">
      <strong>{tx(`m.p.review.${product.status}`, product.status)}</strong>
      <FindingList findings={findings} />
    </section>
  );
}

export function FindingList({ findings }: { findings: Finding[] }) {
  const { t, lang, tx } = useI18n();
  const fieldName = (f: string) => {
    const attr = /^attributes\.(.+)$/.exec(f);
    const sku = /^skus\[(\d+)\]/.exec(f);
    if (attr) return t('m.p.f.attribute', { k: attr[1] });
    if (sku) return t('m.p.f.sku', { n: Number(sku[1]) + 1 });
    return tx(`m.p.f.${f}`, f);
  };
  if (findings.length === 0) return null;
  return (
    <ul className="findings">
      {findings.map((f, i) => (
        <li key={i} className={`sev-${f.severity}`} data-code={f.code}>
          <span className={`badge sev-badge-${f.severity}`}>{tx(`m.p.sev.${f.severity}`, f.severity)}</span>{' '}
          {lang === 'zh' ? f.message_zh : f.message}
          <span className="small muted"> · {fieldName(f.field)}</span>
        </li>
      ))}
    </ul>
  );
}
