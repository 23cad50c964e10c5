import { ok } from '../../../lib/result.ts';
import { ruleFail, type RuleFail, type RuleResult } from './rule-result.ts';
import { validateResidentId } from './resident-id.ts';
import type { SubjectType } from './store-score.ts';
import { dottedParent } from './deposits.ts';
import { validateUscc } from './uscc.ts';

/**
 * Qualification documents (资质) an application needs, and what makes each one acceptable.
 * Every subject type needs the legal representative's (个体: the operator's) ID and its
 * business licence; a main category may add licences (food → 食品经营许可证, beauty →
 * 化妆品备案). Trademark certificates and authorisation letters travel with brand
 * applications (brand-limits.ts), not here.
 */
export const QUALIFICATION_KINDS = {
  legal_rep_id: { label_zh: '法定代表人/经营者身份证', label_en: 'ID card of the legal representative (or operator)' },
  business_license: { label_zh: '营业执照', label_en: 'business licence' },
  food_license: { label_zh: '食品经营许可证', label_en: 'food business licence' },
  cosmetics_filing: { label_zh: '化妆品备案凭证', label_en: 'cosmetics filing certificate' },
} as const;
export type QualificationKind = keyof typeof QUALIFICATION_KINDS;
export const isQualificationKind = (k: string): k is QualificationKind => Object.hasOwn(QUALIFICATION_KINDS, k);

/** Extra licences by main category (dotted codes walk up: "food.tea" → "food"). Platform configuration. */
export type CategoryQualificationTable = Readonly<Record<string, readonly QualificationKind[]>>;
export const DEFAULT_CATEGORY_QUALIFICATIONS: CategoryQualificationTable = {
  food: ['food_license'],
  beauty: ['cosmetics_filing'],
  cosmetics: ['cosmetics_filing'],
};

export function requiredQualifications(_subject: SubjectType, mainCategoryCode: string | null, table: CategoryQualificationTable = DEFAULT_CATEGORY_QUALIFICATIONS): QualificationKind[] {
  const out: QualificationKind[] = ['legal_rep_id', 'business_license'];
  for (let code = mainCategoryCode, depth = 0; code !== null && depth < 32; code = dottedParent(code), depth++) {
    const extra = Object.hasOwn(table, code) ? table[code] : undefined;
    if (extra) {
      for (const k of extra) if (!out.includes(k)) out.push(k);
      break;
    }
  }
  return out;
}

/** USCC organisation types (authority 9, 工商) each subject type may hold. */
const ORG_TYPES: Record<SubjectType, readonly string[]> = { enterprise: ['1', '3'], individual: ['2'] };

export type UsccSubjectFailCode = 'uscc_subject_mismatch';
/** The code is valid and belongs to a market entity of this subject type (91/93 enterprise, 92 个体工商户). */
export function checkUsccForSubject(code: string, subject: SubjectType): RuleResult<{ code: string }, string> {
  const v = validateUscc(code);
  if (!v.ok) return v;
  if (v.value.registration_authority !== '9' || !ORG_TYPES[subject].includes(v.value.org_type)) {
    return subject === 'individual'
      ? ruleFail('uscc_subject_mismatch', 'This credit code is not an individual business (个体工商户, code starting 92).', '该统一社会信用代码不属于个体工商户（应以92开头）。', { code: v.value.code })
      : ruleFail('uscc_subject_mismatch', 'This credit code is not an enterprise (code starting 91 or 93).', '该统一社会信用代码不属于企业（应以91或93开头）。', { code: v.value.code });
  }
  return ok({ code: v.value.code });
}

export interface QualificationInput {
  kind: QualificationKind;
  number: string;
  holder_name: string;
  valid_from_ms: number;
  /** exclusive end; null = long-term (长期), allowed for business licences only */
  valid_to_ms: number | null;
  file_url: string;
}

export interface QualificationContext {
  subject: SubjectType;
  /** the application's credit code; a business licence must carry the same one */
  storeUscc: string | null;
  nowMs: number;
}

export type QualificationFailCode =
  | 'qualification_number_invalid' | 'qualification_validity_window' | 'qualification_not_yet_valid' | 'qualification_expired'
  | 'qualification_long_term_not_allowed' | 'license_uscc_mismatch' | 'qualification_file_url';

/** Checks one document; returns the normalised number to store. */
export function validateQualification(q: QualificationInput, ctx: QualificationContext): RuleResult<{ number: string }, string> {
  if (!/^https?:\/\/\S+$/.test(q.file_url)) {
    return ruleFail('qualification_file_url', 'The document must be an uploaded file (an http(s) URL).', '请上传资质文件（http/https 链接）。');
  }
  const window = checkWindow(q, ctx.nowMs);
  if (window) return window;
  const label = QUALIFICATION_KINDS[q.kind].label_zh;
  switch (q.kind) {
    case 'legal_rep_id':
      return validateResidentId(q.number, ctx.nowMs);
    case 'business_license': {
      const v = checkUsccForSubject(q.number, ctx.subject);
      if (!v.ok) return v;
      if (ctx.storeUscc !== null && v.value.code !== ctx.storeUscc) {
        return ruleFail('license_uscc_mismatch', 'The business licence carries a different credit code than the application.', '营业执照上的统一社会信用代码与申请信息不一致。', { license: v.value.code, application: ctx.storeUscc });
      }
      return ok({ number: v.value.code });
    }
    case 'food_license': {
      const n = q.number.normalize('NFKC').trim().toUpperCase();
      if (!/^JY\d{14}$/.test(n)) return numberInvalid(label, 'JY + 14 digits', 'JY加14位数字');
      return ok({ number: n });
    }
    case 'cosmetics_filing': {
      const n = q.number.normalize('NFKC').trim();
      if ([...n].length < 6 || [...n].length > 40) return numberInvalid(label, '6–40 characters', '6至40个字符');
      return ok({ number: n });
    }
  }
}

function checkWindow(q: QualificationInput, nowMs: number): RuleFail | null {
  if (q.valid_to_ms === null) {
    if (q.kind === 'business_license') return null;
    return ruleFail('qualification_long_term_not_allowed', 'Only a business licence may be long-term; give an end date.', '仅营业执照可为长期有效，请填写有效期截止日期。');
  }
  if (!(q.valid_from_ms < q.valid_to_ms)) {
    return ruleFail('qualification_validity_window', 'The validity must start before it ends.', '有效期起始日期须早于截止日期。');
  }
  if (nowMs < q.valid_from_ms) return ruleFail('qualification_not_yet_valid', 'The document is not yet in force.', '该资质尚未生效。', { valid_from_ms: q.valid_from_ms });
  if (nowMs >= q.valid_to_ms) return ruleFail('qualification_expired', 'The document has expired.', '该资质已过期。', { valid_to_ms: q.valid_to_ms });
  return null;
}

function numberInvalid(labelZh: string, formatEn: string, formatZh: string): RuleFail {
  return ruleFail('qualification_number_invalid', `The number does not have the expected format (${formatEn}).`, `${labelZh}编号格式不正确（应为${formatZh}）。`);
}

/** In force at nowMs: started, and not ended (long-term never ends). */
export const inForce = (q: { valid_from_ms: number; valid_to_ms: number | null }, nowMs: number) =>
  q.valid_from_ms <= nowMs && (q.valid_to_ms === null || nowMs < q.valid_to_ms);
