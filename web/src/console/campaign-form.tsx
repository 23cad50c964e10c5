import { useState, type FormEvent } from 'react';
import { ApiError } from '../lib/api.ts';
import { parseYuan } from '../lib/format.ts';
import { useI18n } from '../lib/i18n.tsx';
import { Link, navigate } from '../lib/router.tsx';
import { useAsync } from '../lib/use-async.ts';
import { Field } from '../ui/bits.tsx';
import { Notice, useErrorText } from '../ui/states.tsx';
import { api } from './api.ts';
import { parsePercentBp, type Campaign, type Category, type Rules, type Section, type Threshold } from './campaign-types.ts';

const TIMES = ['registration_start', 'review_start', 'warmup_start', 'selling_start', 'selling_end'] as const;
type TimeKey = (typeof TIMES)[number];
const HOUR = 3_600_000;
const DEFAULT_OFFSETS: Record<TimeKey, number> = { registration_start: 0, review_start: 72 * HOUR, warmup_start: 120 * HOUR, selling_start: 168 * HOUR, selling_end: 240 * HOUR };

/** A datetime-local value in the browser's time zone. */
function localInput(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** The leaf categories, grouped under their parents, as checkboxes. */
export function CategoryPicker({ idPrefix, value, onChange, legend, hint }: { idPrefix: string; value: string[]; onChange: (ids: string[]) => void; legend: string; hint?: string }) {
  const { pick, t } = useI18n();
  const cats = useAsync((s) => api.get<{ items: Category[] }>('/categories', undefined, s), []);
  const toggle = (id: string) => onChange(value.includes(id) ? value.filter((x) => x !== id) : [...value, id]);
  const items = cats.data?.items ?? [];
  const parents = items.filter((c) => !c.is_leaf);
  return (
    <fieldset className="cat-picker">
      <legend>{legend}</legend>
      {hint && <p className="small muted">{hint}</p>}
      {cats.error ? <p className="small error-text">{t('error.title')}</p> : !cats.data ? <p className="small muted">{t('loading')}</p> : parents.map((p) => (
        <div key={p.id} className="cat-group">
          <span className="small muted">{pick(p.name_zh, p.name_en)}</span>
          <div className="chips wrap">
            {items.filter((c) => c.parent_id === p.id && c.is_leaf).map((c) => (
              <label key={c.id} className="chip" htmlFor={`${idPrefix}-${c.id}`}>
                <input id={`${idPrefix}-${c.id}`} type="checkbox" checked={value.includes(c.id)} onChange={() => toggle(c.id)} /> {pick(c.name_zh, c.name_en)}
              </label>
            ))}
          </div>
        </div>
      ))}
    </fieldset>
  );
}

/** Main-venue sections: a category section lists categories, a theme section hand-picked products. */
export function SectionsEditor({ value, onChange }: { value: Section[]; onChange: (s: Section[]) => void }) {
  const { t } = useI18n();
  const set = (i: number, patch: Partial<Section>) => onChange(value.map((s, j) => (j === i ? { ...s, ...patch } : s)));
  const nextKey = () => {
    let n = value.length + 1;
    while (value.some((s) => s.key === `s${n}`)) n++;
    return `s${n}`;
  };
  return (
    <div className="sections-editor">
      {value.length === 0 && <p className="small muted">{t('c.camp.noSections')}</p>}
      {value.map((s, i) => (
        <fieldset key={s.key} className="card section-row">
          <legend>{t('c.camp.section', { n: i + 1 })} <code className="small">{s.key}</code></legend>
          <div className="form-grid">
            <Field id={`sec-title-${s.key}`} label={t('c.camp.sectionTitle')}>
              <input id={`sec-title-${s.key}`} maxLength={40} required value={s.title} onChange={(e) => set(i, { title: e.target.value })} />
            </Field>
            <Field id={`sec-kind-${s.key}`} label={t('c.camp.sectionKind')}>
              <select id={`sec-kind-${s.key}`} value={s.kind} onChange={(e) => set(i, { kind: e.target.value as Section['kind'] })}>
                <option value="category">{t('c.camp.kind.category')}</option>
                <option value="theme">{t('c.camp.kind.theme')}</option>
              </select>
            </Field>
          </div>
          {s.kind === 'category'
            ? <CategoryPicker idPrefix={`sec-${s.key}`} legend={t('c.camp.sectionCategories')} value={s.category_ids ?? []} onChange={(ids) => set(i, { category_ids: ids })} />
            : (
              <Field id={`sec-products-${s.key}`} label={t('c.camp.sectionProducts')} hint={t('c.camp.sectionProductsHint')}>
                <textarea id={`sec-products-${s.key}`} rows={2} value={(s.product_ids ?? []).join('\n')}
                  onChange={(e) => set(i, { product_ids: e.target.value.split(/[\s,，]+/).filter(Boolean) })} aria-describedby={`sec-products-${s.key}-hint`} />
              </Field>
            )}
          <button type="button" className="btn small danger" onClick={() => onChange(value.filter((_, j) => j !== i))}>{t('c.camp.removeSection')}</button>
        </fieldset>
      ))}
      <button type="button" className="btn small" onClick={() => onChange([...value, { key: nextKey(), title: '', kind: 'category', category_ids: [] }])}>{t('c.camp.addSection')}</button>
    </div>
  );
}

/** A campaign's body for the API: only the sections' fields that their kind uses. */
export const cleanSections = (s: Section[]): Section[] =>
  s.map((x) => (x.kind === 'category' ? { key: x.key, title: x.title.trim(), kind: x.kind, category_ids: x.category_ids ?? [] } : { key: x.key, title: x.title.trim(), kind: x.kind, product_ids: x.product_ids ?? [] }));

/** The server's reasons for refusing a campaign (422 invalid_campaign lists each problem). */
export function useProblems() {
  const { lang } = useI18n();
  const errText = useErrorText();
  return (e: unknown): string[] => {
    const problems = e instanceof ApiError ? (e.details as { problems?: { message: string; message_zh: string }[] } | null)?.problems : undefined;
    return problems?.length ? problems.map((p) => (lang === 'zh' ? p.message_zh : p.message)) : [errText(e)];
  };
}

interface Tier { threshold: string; off: string }

/** 新建活动: phase times, eligibility rules, fee rate, the platform 满减 and its funder, venue sections. */
export function CampaignNewPage() {
  const { t } = useI18n();
  const problemsOf = useProblems();
  const [now] = useState(() => Math.floor(Date.now() / 60_000) * 60_000);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [times, setTimes] = useState<Record<TimeKey, string>>(() => Object.fromEntries(TIMES.map((k) => [k, localInput(now + DEFAULT_OFFSETS[k])])) as Record<TimeKey, string>);
  const [storeTypes, setStoreTypes] = useState<('individual' | 'enterprise')[]>([]);
  const [minScore, setMinScore] = useState('');
  const [categories, setCategories] = useState<string[]>([]);
  const [minDiscount, setMinDiscount] = useState('5');
  const [minStock, setMinStock] = useState('10');
  const [feeRate, setFeeRate] = useState('1');
  const [withThreshold, setWithThreshold] = useState(true);
  const [ruleKind, setRuleKind] = useState<'tiers' | 'every'>('tiers');
  const [tiers, setTiers] = useState<Tier[]>([{ threshold: '300', off: '30' }]);
  const [every, setEvery] = useState({ step: '50', off: '5', cap: '' });
  const [funder, setFunder] = useState<'platform' | 'merchant' | 'shared'>('platform');
  const [share, setShare] = useState('50');
  const [stacking, setStacking] = useState<'all' | 'store_coupon' | 'none'>('all');
  const [sections, setSections] = useState<Section[]>([]);
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<string[]>([]);

  const build = (): { body?: Record<string, unknown>; errors: string[] } => {
    const errors: string[] = [];
    const iso: Record<string, string> = {};
    for (const k of TIMES) {
      const ms = new Date(times[k]).getTime();
      if (!Number.isFinite(ms)) errors.push(t('c.camp.badTime', { what: t(`c.camp.time.${k}`) }));
      else iso[k] = new Date(ms).toISOString();
    }
    const rules: Rules = {};
    if (storeTypes.length) rules.store_types = storeTypes;
    if (minScore.trim()) {
      const n = Number(minScore);
      if (!(n >= 0 && n <= 100)) errors.push(t('c.camp.badScore'));
      else rules.min_store_score = n;
    }
    if (categories.length) rules.category_ids = categories;
    if (minDiscount.trim()) {
      const bp = parsePercentBp(minDiscount, 99);
      if (bp === null) errors.push(t('c.camp.badPercent', { what: t('c.camp.minDiscount') }));
      else rules.min_discount_bp = bp;
    }
    if (minStock.trim()) {
      const n = Number(minStock);
      if (!Number.isInteger(n) || n < 1) errors.push(t('c.camp.badStock'));
      else rules.min_stock = n;
    }
    let fee: number | null = null;
    if (feeRate.trim()) {
      fee = parsePercentBp(feeRate, 5);
      if (fee === null) errors.push(t('c.camp.badPercent', { what: t('c.camp.feeRate') }));
    }
    let threshold: Threshold | null = null;
    if (withThreshold) {
      const yuan = (s: string) => parseYuan(s);
      let rule: Threshold['rule'] | null = null;
      if (ruleKind === 'tiers') {
        const parsed = tiers.map((x) => ({ threshold_minor: yuan(x.threshold), off_minor: yuan(x.off) }));
        if (parsed.some((x) => !x.threshold_minor || !x.off_minor)) errors.push(t('c.camp.badMoney'));
        else rule = { kind: 'tiers', tiers: parsed as { threshold_minor: number; off_minor: number }[] };
      } else {
        const step = yuan(every.step);
        const off = yuan(every.off);
        const cap = every.cap.trim() ? yuan(every.cap) : undefined;
        if (!step || !off || cap === null) errors.push(t('c.camp.badMoney'));
        else rule = { kind: 'every', step_minor: step, off_minor: off, ...(cap ? { cap_minor: cap } : {}) };
      }
      const shareBp = funder === 'shared' ? parsePercentBp(share, 100) : undefined;
      if (shareBp === null) errors.push(t('c.camp.badPercent', { what: t('c.camp.platformShare') }));
      if (rule) threshold = { rule, funder, ...(shareBp !== undefined && shareBp !== null ? { platform_share_bp: shareBp } : {}), stacks_with: stacking === 'all' ? ['*'] : stacking === 'store_coupon' ? ['store_coupon'] : [] };
    }
    if (!name.trim()) errors.push(t('c.camp.needName'));
    if (errors.length) return { errors };
    return { errors, body: { name: name.trim(), description: description.trim(), ...iso, rules, fee_rate_bp: fee, threshold, sections: cleanSections(sections) } };
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const { body, errors } = build();
    setProblems(errors);
    if (!body) return;
    setBusy(true);
    try {
      const c = await api.post<Campaign>('/console/campaigns', body, { idempotent: true });
      navigate(`/console/campaigns/${c.id}`);
    } catch (err) {
      setProblems(problemsOf(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} aria-labelledby="new-campaign" noValidate>
      <p className="small"><Link to="/console/campaigns">← {t('c.nav.campaigns')}</Link></p>
      <h1 id="new-campaign" className="page-title">{t('c.camp.new')}</h1>
      <section className="card" aria-labelledby="h-basics">
        <h2 id="h-basics">{t('c.camp.basics')}</h2>
        <Field id="camp-name" label={t('c.camp.name')}><input id="camp-name" required maxLength={40} value={name} onChange={(e) => setName(e.target.value)} /></Field>
        <Field id="camp-desc" label={t('c.camp.description')}><textarea id="camp-desc" rows={2} maxLength={500} value={description} onChange={(e) => setDescription(e.target.value)} /></Field>
      </section>
      <section className="card" aria-labelledby="h-phases">
        <h2 id="h-phases">{t('c.camp.phases')}</h2>
        <p className="small muted">{t('c.camp.phasesHint')}</p>
        <div className="form-grid">
          {TIMES.map((k) => (
            <Field key={k} id={`camp-${k}`} label={t(`c.camp.time.${k}`)}>
              <input id={`camp-${k}`} type="datetime-local" required value={times[k]} onChange={(e) => setTimes({ ...times, [k]: e.target.value })} />
            </Field>
          ))}
        </div>
      </section>
      <section className="card" aria-labelledby="h-rules">
        <h2 id="h-rules">{t('c.camp.rules')}</h2>
        <fieldset>
          <legend>{t('c.camp.storeTypes')}</legend>
          <div className="chips wrap">
            {(['enterprise', 'individual'] as const).map((s) => (
              <label key={s} className="chip" htmlFor={`st-${s}`}>
                <input id={`st-${s}`} type="checkbox" checked={storeTypes.includes(s)} onChange={() => setStoreTypes(storeTypes.includes(s) ? storeTypes.filter((x) => x !== s) : [...storeTypes, s])} />
                {t(s === 'enterprise' ? 'store.enterprise' : 'store.individual')}
              </label>
            ))}
          </div>
          <p className="small muted">{t('c.camp.storeTypesHint')}</p>
        </fieldset>
        <div className="form-grid">
          <Field id="camp-score" label={t('c.camp.minScore')}><input id="camp-score" inputMode="decimal" value={minScore} onChange={(e) => setMinScore(e.target.value)} /></Field>
          <Field id="camp-discount" label={t('c.camp.minDiscount')} hint={t('c.camp.minDiscountHint')}>
            <input id="camp-discount" inputMode="decimal" value={minDiscount} onChange={(e) => setMinDiscount(e.target.value)} aria-describedby="camp-discount-hint" />
          </Field>
          <Field id="camp-stock" label={t('c.camp.minStock')}><input id="camp-stock" inputMode="numeric" value={minStock} onChange={(e) => setMinStock(e.target.value)} /></Field>
          <Field id="camp-fee" label={t('c.camp.feeRate')} hint={t('c.camp.feeRateHint')}>
            <input id="camp-fee" inputMode="decimal" value={feeRate} onChange={(e) => setFeeRate(e.target.value)} aria-describedby="camp-fee-hint" />
          </Field>
        </div>
        <CategoryPicker idPrefix="rule-cat" legend={t('c.camp.categories')} hint={t('c.camp.categoriesHint')} value={categories} onChange={setCategories} />
      </section>
      <section className="card" aria-labelledby="h-threshold">
        <h2 id="h-threshold">{t('c.camp.threshold')}</h2>
        <label className="inline" htmlFor="camp-with-threshold">
          <input id="camp-with-threshold" type="checkbox" checked={withThreshold} onChange={(e) => setWithThreshold(e.target.checked)} /> {t('c.camp.withThreshold')}
        </label>
        {withThreshold && (
          <>
            <fieldset>
              <legend>{t('c.camp.ruleKind')}</legend>
              <div className="chips wrap">
                {(['tiers', 'every'] as const).map((k) => (
                  <label key={k} className="chip" htmlFor={`rk-${k}`}><input id={`rk-${k}`} type="radio" name="rule-kind" checked={ruleKind === k} onChange={() => setRuleKind(k)} /> {t(`c.camp.rule.${k}`)}</label>
                ))}
              </div>
            </fieldset>
            {ruleKind === 'tiers' ? (
              <div>
                {tiers.map((x, i) => (
                  <div key={i} className="inline-form tier-row">
                    <label htmlFor={`tier-t-${i}`}>{t('c.camp.tierOver')}</label>
                    <input id={`tier-t-${i}`} inputMode="decimal" value={x.threshold} onChange={(e) => setTiers(tiers.map((y, j) => (j === i ? { ...y, threshold: e.target.value } : y)))} />
                    <label htmlFor={`tier-o-${i}`}>{t('c.camp.tierOff')}</label>
                    <input id={`tier-o-${i}`} inputMode="decimal" value={x.off} onChange={(e) => setTiers(tiers.map((y, j) => (j === i ? { ...y, off: e.target.value } : y)))} />
                    {tiers.length > 1 && <button type="button" className="btn small" onClick={() => setTiers(tiers.filter((_, j) => j !== i))} aria-label={t('c.camp.removeTier', { n: i + 1 })}>−</button>}
                  </div>
                ))}
                {tiers.length < 10 && <button type="button" className="btn small" onClick={() => setTiers([...tiers, { threshold: '', off: '' }])}>{t('c.camp.addTier')}</button>}
              </div>
            ) : (
              <div className="inline-form">
                <label htmlFor="ev-step">{t('c.camp.everyStep')}</label><input id="ev-step" inputMode="decimal" value={every.step} onChange={(e) => setEvery({ ...every, step: e.target.value })} />
                <label htmlFor="ev-off">{t('c.camp.tierOff')}</label><input id="ev-off" inputMode="decimal" value={every.off} onChange={(e) => setEvery({ ...every, off: e.target.value })} />
                <label htmlFor="ev-cap">{t('c.camp.everyCap')}</label><input id="ev-cap" inputMode="decimal" value={every.cap} onChange={(e) => setEvery({ ...every, cap: e.target.value })} />
              </div>
            )}
            <div className="form-grid">
              <Field id="camp-funder" label={t('c.camp.funder')}>
                <select id="camp-funder" value={funder} onChange={(e) => setFunder(e.target.value as typeof funder)}>
                  {(['platform', 'merchant', 'shared'] as const).map((f) => <option key={f} value={f}>{t(`c.camp.funder.${f}`)}</option>)}
                </select>
              </Field>
              {funder === 'shared' && <Field id="camp-share" label={t('c.camp.platformShare')}><input id="camp-share" inputMode="decimal" value={share} onChange={(e) => setShare(e.target.value)} /></Field>}
              <Field id="camp-stacking" label={t('c.camp.stacking')}>
                <select id="camp-stacking" value={stacking} onChange={(e) => setStacking(e.target.value as typeof stacking)}>
                  {(['all', 'store_coupon', 'none'] as const).map((s) => <option key={s} value={s}>{t(`c.camp.stack.${s}`)}</option>)}
                </select>
              </Field>
            </div>
          </>
        )}
      </section>
      <section className="card" aria-labelledby="h-sections">
        <h2 id="h-sections">{t('c.camp.sections')}</h2>
        <SectionsEditor value={sections} onChange={setSections} />
      </section>
      {problems.length > 0 && (
        <div className="notice error" role="alert">
          <p>{t('c.camp.refused')}</p>
          <ul>{problems.map((p, i) => <li key={i}>{p}</li>)}</ul>
        </div>
      )}
      <div className="actions">
        <button type="submit" className="btn primary" disabled={busy}>{busy ? t('loading') : t('c.camp.create')}</button>
        <Link to="/console/campaigns" className="btn">{t('cancel')}</Link>
      </div>
      <Notice kind="info">{t('c.camp.afterCreate')}</Notice>
    </form>
  );
}
