import { ok } from '../../../lib/result.ts';
import { ruleFail, type RuleResult } from './rule-result.ts';
import type { SubjectType } from './store-score.ts';

/**
 * Store deposits (保证金), in fen. The table is configuration the platform operator edits;
 * lookups walk from the store's main category up through its parents to the subject's default.
 * Brand-certified enterprise stores pay at least the brand amount: a brand badge raises
 * buyers' trust, so the platform holds more against claims.
 */

export interface DepositSchedule {
  default_minor: number;
  /** keyed by category code; a code missing here falls back to its parent's amount */
  by_category: Readonly<Record<string, number>>;
  /** minimum for stores holding a brand badge; omitted = no brand minimum */
  brand_minor?: number;
}

export type DepositTable = Readonly<Record<SubjectType, DepositSchedule>>;

export const DEFAULT_DEPOSIT_TABLE: DepositTable = {
  individual: { default_minor: 200_000, by_category: { food: 500_000, cosmetics: 500_000 } },
  enterprise: { default_minor: 500_000, by_category: { food: 1_000_000, cosmetics: 1_000_000 }, brand_minor: 2_000_000 },
};

/** Returns a category's parent code, or null at the top. */
export type CategoryParentOf = (code: string) => string | null;

/** For dotted codes: "food.snacks.nuts" → "food.snacks" → "food" → null. */
export const dottedParent: CategoryParentOf = (code) => {
  const i = code.lastIndexOf('.');
  return i > 0 ? code.slice(0, i) : null;
};

export interface DepositQuery {
  subjectType: SubjectType;
  /** the store's main category; null before one is chosen */
  categoryCode: string | null;
  brandCertified: boolean;
}

export interface DepositQuote {
  amount_minor: number;
  /** which entry decided the amount, for the explanation shown to the merchant */
  source: 'category' | 'default' | 'brand';
  /** the table key that matched when source is 'category' */
  category_code: string | null;
}

const MAX_CATEGORY_DEPTH = 32;

export function depositFor(table: DepositTable, query: DepositQuery, parentOf: CategoryParentOf = dottedParent): DepositQuote {
  const schedule = table[query.subjectType];
  if (!schedule) throw new Error(`no deposit schedule for subject type ${query.subjectType}`);
  let quote: DepositQuote = { amount_minor: schedule.default_minor, source: 'default', category_code: null };
  let code = query.categoryCode;
  for (let depth = 0; code !== null; depth++) {
    if (depth >= MAX_CATEGORY_DEPTH) throw new Error(`category ancestry of ${query.categoryCode} is cyclic or deeper than ${MAX_CATEGORY_DEPTH}`);
    const amount = Object.hasOwn(schedule.by_category, code) ? schedule.by_category[code] : undefined;
    if (amount !== undefined) {
      quote = { amount_minor: amount, source: 'category', category_code: code };
      break;
    }
    code = parentOf(code);
  }
  if (query.brandCertified && schedule.brand_minor !== undefined && schedule.brand_minor > quote.amount_minor) {
    quote = { amount_minor: schedule.brand_minor, source: 'brand', category_code: null };
  }
  return quote;
}

export type DepositTableFailCode = 'deposit_amount_invalid' | 'deposit_category_code_invalid';

/** For the console's table editor: every amount a non-negative whole number of fen, no blank codes. */
export function validateDepositTable(table: DepositTable): RuleResult<DepositTable, DepositTableFailCode> {
  for (const subject of Object.keys(table) as SubjectType[]) {
    const s = table[subject];
    const amounts: [string, number | undefined][] = [
      [`${subject}.default_minor`, s.default_minor],
      [`${subject}.brand_minor`, s.brand_minor],
      ...Object.entries(s.by_category).map(([code, v]): [string, number] => [`${subject}.by_category.${code}`, v]),
    ];
    for (const [path, v] of amounts) {
      if (v === undefined && path.endsWith('.brand_minor')) continue;
      if (!Number.isSafeInteger(v) || (v as number) < 0) {
        return ruleFail('deposit_amount_invalid', `Deposit ${path} must be a non-negative whole number of fen.`, `保证金 ${path} 须为非负整数（单位：分）。`, {
          path,
          value: v,
        });
      }
    }
    const blank = Object.keys(s.by_category).find((code) => code.trim() === '' || code !== code.trim());
    if (blank !== undefined) {
      return ruleFail('deposit_category_code_invalid', 'Category codes in the deposit table must be non-empty, without leading or trailing spaces.', '保证金表中的类目代码不能为空或含首尾空格。', {
        subject,
        code: blank,
      });
    }
  }
  return ok(table);
}
