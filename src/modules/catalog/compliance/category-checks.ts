/**
 * What the category demands: required attributes (present and well-formed) and the store
 * qualifications (licences) needed to sell in it at all.
 */
import type { Finding, RequiredAttribute } from './compliance.types.ts';

/** NFKC + trim: "５００" and " 500 " are both "500"; full-width option text compares equal. */
function canonicalValue(value: string): string {
  return value.normalize('NFKC').trim();
}

const NUMBER_RE = /^[+-]?(?:\d+(?:\.\d+)?|\.\d+)$/;

export function checkRequiredAttributes(
  attributes: Readonly<Record<string, string>>,
  required: readonly RequiredAttribute[],
): Finding[] {
  const findings: Finding[] = [];
  for (const attr of required) {
    if (attr.type === 'enum' && (attr.options ?? []).length === 0) {
      // A category configured this way can never be satisfied: a configuration bug, not a merchant error.
      throw new Error(`category attribute "${attr.key}" is an enum without options`);
    }
    const field = `attributes.${attr.key}`;
    const raw = Object.hasOwn(attributes, attr.key) ? attributes[attr.key] : undefined;
    const value = raw === undefined ? '' : canonicalValue(raw);
    if (value === '') {
      findings.push({
        code: 'missing_required_attribute', severity: 'block', field,
        message: `Required attribute "${attr.label_zh}" (${attr.key}) is missing`,
        message_zh: `缺少必填属性「${attr.label_zh}」`,
        details: { key: attr.key, label_zh: attr.label_zh },
      });
    } else if (attr.type === 'enum' && !(attr.options ?? []).some((o) => canonicalValue(o) === value)) {
      findings.push({
        code: 'invalid_enum_attribute', severity: 'block', field,
        message: `Attribute "${attr.label_zh}" (${attr.key}) must be one of the listed options`,
        message_zh: `属性「${attr.label_zh}」的值「${raw}」不在可选项中`,
        details: { key: attr.key, label_zh: attr.label_zh, value: raw, options: attr.options },
      });
    } else if (attr.type === 'number' && !NUMBER_RE.test(value)) {
      findings.push({
        code: 'invalid_number_attribute', severity: 'block', field,
        message: `Attribute "${attr.label_zh}" (${attr.key}) must be a number`,
        message_zh: `属性「${attr.label_zh}」须填写数字，当前为「${raw}」`,
        details: { key: attr.key, label_zh: attr.label_zh, value: raw },
      });
    }
  }
  return findings;
}

export function checkQualifications(required: readonly string[], held: readonly string[]): Finding[] {
  const have = new Set(held);
  const missing = [...new Set(required)].filter((q) => !have.has(q));
  return missing.map((qualification) => ({
    code: 'missing_qualification' as const,
    severity: 'block' as const,
    field: 'store.qualifications',
    message: `The store lacks the qualification "${qualification}" required by this category`,
    message_zh: `店铺缺少该类目所需资质「${qualification}」`,
    details: { qualification },
  }));
}
