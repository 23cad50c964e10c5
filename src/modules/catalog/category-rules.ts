/**
 * Per-category commercial rules, pure. A leaf category carries: the technical service fee
 * (basis points, one of the platform's tiers), the deposit, required attributes and
 * qualifications, and whether 7-day no-reason returns and return-shipping insurance (运费险)
 * apply. Settlement calls `feeRateFor` for the rate of an order line.
 */
import { DAY_MS } from '../../lib/clock.ts';

/** The tiers in use on WeChat-Store-like platforms: 1%, 2%, 2.5%, 3%, 4%, 5%. */
export const FEE_TIERS_BP: readonly number[] = [100, 200, 250, 300, 400, 500];

/** A new store pays 1% for its first 30 days while its GMV stays under ¥1,000,000. */
export const NEW_STORE_FEE_BP = 100;
export const NEW_STORE_PERIOD_MS = 30 * DAY_MS;
export const NEW_STORE_GMV_CAP_MINOR = 1_000_000 * 100;

export interface StoreFeeFacts {
  /** When the store opened (null: not open yet). */
  opened_at_ms: number | null;
  /** The store's GMV so far (fen), before the order being settled. */
  gmv_minor: number;
}

/**
 * The fee rate (basis points) for a sale in `category` by a store with `store` facts at
 * `nowMs` (the order's payment time). The new-store rate never raises a lower category rate.
 * The period is [opened, opened + 30 days); the GMV cap is strict (¥1,000,000 exactly is over).
 */
export function feeRateFor(store: StoreFeeFacts, category: { fee_rate_bp: number }, nowMs: number): number {
  const isNew = store.opened_at_ms !== null && nowMs >= store.opened_at_ms && nowMs < store.opened_at_ms + NEW_STORE_PERIOD_MS && store.gmv_minor < NEW_STORE_GMV_CAP_MINOR;
  return isNew ? Math.min(NEW_STORE_FEE_BP, category.fee_rate_bp) : category.fee_rate_bp;
}

export interface AttributeRule {
  key: string;
  label_zh: string;
  type: 'text' | 'enum' | 'number';
  options?: string[];
}

export interface CategoryRulesInput {
  code: string;
  is_leaf: boolean;
  fee_rate_bp: number;
  deposit_minor: number;
  required_attributes: AttributeRule[];
  required_qualifications: string[];
}

export interface RuleProblem {
  code: string;
  message: string;
  message_zh: string;
  details?: Record<string, unknown>;
}

const CODE_RE = /^[a-z0-9][a-z0-9_.-]{1,59}$/;
const QUALIFICATION_RE = /^[a-z][a-z0-9_]{1,59}$/;

/** Everything wrong with a category's rules (empty when valid). */
export function categoryProblems(c: CategoryRulesInput): RuleProblem[] {
  const out: RuleProblem[] = [];
  const add = (code: string, message: string, message_zh: string, details?: Record<string, unknown>) => out.push({ code, message, message_zh, ...(details ? { details } : {}) });
  if (!CODE_RE.test(c.code)) add('invalid_category_code', 'code must be 2–60 of a-z 0-9 _ . -', '类目编码须为2至60位小写字母、数字或 _ . -', { code: c.code });
  if (c.is_leaf && !FEE_TIERS_BP.includes(c.fee_rate_bp)) {
    add('invalid_fee_rate', `fee rate must be one of ${FEE_TIERS_BP.join(', ')} basis points`, `技术服务费率须为 ${FEE_TIERS_BP.map((b) => `${b / 100}%`).join('、')} 之一`, { fee_rate_bp: c.fee_rate_bp, tiers: FEE_TIERS_BP });
  }
  if (!Number.isSafeInteger(c.deposit_minor) || c.deposit_minor < 0) add('invalid_deposit', 'deposit must be a non-negative amount of fen', '保证金须为非负整数（分）');
  const keys = new Set<string>();
  for (const a of c.required_attributes) {
    if (!a.key.trim() || a.key.length > 30) add('invalid_attribute_key', 'attribute keys are 1–30 characters', '属性名须为1至30个字符', { key: a.key });
    if (keys.has(a.key)) add('duplicate_attribute', `attribute "${a.key}" is listed twice`, `属性「${a.key}」重复`, { key: a.key });
    keys.add(a.key);
    const options = a.options ?? [];
    if (a.type === 'enum' && (options.length === 0 || new Set(options).size !== options.length)) {
      add('invalid_enum_options', `enum attribute "${a.key}" needs distinct options`, `枚举属性「${a.key}」须有不重复的可选值`, { key: a.key });
    }
  }
  for (const q of c.required_qualifications) {
    if (!QUALIFICATION_RE.test(q)) add('invalid_qualification_code', `qualification code "${q}" must be snake_case`, `资质编码「${q}」格式不正确`, { qualification: q });
  }
  if (new Set(c.required_qualifications).size !== c.required_qualifications.length) add('duplicate_qualification', 'a qualification is listed twice', '资质重复');
  return out;
}
