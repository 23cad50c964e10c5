import { ruleFail, type RuleResult } from './rule-result.ts';
import { ok } from '../../../lib/result.ts';

/**
 * Unified Social Credit Code (统一社会信用代码), GB 32100-2015:
 *
 *   pos 1     registration authority (登记管理部门代码)
 *   pos 2     organisation type within that authority (机构类别代码)
 *   pos 3-8   admin division of the registering office (GB/T 2260, digits)
 *   pos 9-17  organisation code (组织机构代码, GB 11714) incl. its own check char
 *   pos 18    check char over pos 1-17, mod 31 over the 31-char charset
 *
 * The charset leaves out I, O, Z, S, V so codes survive being read aloud and retyped.
 */
export const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/**
 * Appendix A of GB 32100 as amended (A = CMC staffing office, N = agriculture).
 * Exported so an operator can extend it if the registry issues a new authority code;
 * an unknown authority is rejected rather than guessed at.
 */
export const USCC_AUTHORITIES: Readonly<Record<string, { name_zh: string; org_types: Readonly<Record<string, string>> }>> = {
  '1': { name_zh: '机构编制', org_types: { '1': '机关', '2': '事业单位', '3': '编办直接管理机构编制的群众团体', '9': '其他' } },
  '2': { name_zh: '外交', org_types: { '1': '外国常驻新闻机构', '9': '其他' } },
  '3': {
    name_zh: '司法行政',
    org_types: { '1': '律师执业机构', '2': '公证处', '3': '基层法律服务所', '4': '司法鉴定机构', '5': '仲裁委员会', '9': '其他' },
  },
  '4': { name_zh: '文化', org_types: { '1': '外国在华文化中心', '9': '其他' } },
  '5': { name_zh: '民政', org_types: { '1': '社会团体', '2': '民办非企业单位', '3': '基金会', '9': '其他' } },
  '6': { name_zh: '旅游', org_types: { '1': '外国旅游部门常驻代表机构', '2': '港澳台地区旅游部门常驻内地（大陆）代表机构', '9': '其他' } },
  '7': { name_zh: '宗教', org_types: { '1': '宗教活动场所', '2': '宗教院校', '9': '其他' } },
  '8': { name_zh: '工会', org_types: { '1': '基层工会', '9': '其他' } },
  '9': { name_zh: '工商', org_types: { '1': '企业', '2': '个体工商户', '3': '农民专业合作社' } },
  A: { name_zh: '中央军委改革和编制办公室', org_types: { '1': '军队事业单位', '9': '其他' } },
  N: { name_zh: '农业', org_types: { '1': '组级集体经济组织', '2': '村级集体经济组织', '3': '乡镇级集体经济组织', '9': '其他' } },
  Y: { name_zh: '其他', org_types: { '1': '其他' } },
};

export type UsccFailCode =
  | 'uscc_length'
  | 'uscc_charset'
  | 'uscc_registration_authority'
  | 'uscc_org_type'
  | 'uscc_admin_division'
  | 'uscc_org_code_check'
  | 'uscc_check_digit';

export interface UsccParts {
  /** The normalised code (upper case, trimmed) — store this, not the raw input. */
  code: string;
  registration_authority: string;
  org_type: string;
  admin_division: string;
  org_code: string;
}

/** GB 11714 value of an org-code character: digits as is, A-Z as 10-35 (its own alphabet, not the USCC one). */
function orgCodeValue(ch: string): number {
  const c = ch.charCodeAt(0);
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 90) return c - 55;
  throw new Error(`not an org code character: ${JSON.stringify(ch)}`);
}

/** Check char of a GB 11714 organisation code from its first 8 characters. */
export function orgCodeCheckChar(body8: string): string {
  if (body8.length !== 8) throw new Error(`org code body must be 8 chars, got ${body8.length}`);
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += orgCodeValue(body8[i]) * ORG_CODE_WEIGHTS[i];
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

/** Check char (position 18) of a USCC from its first 17 characters. */
export function usccCheckChar(first17: string): string {
  if (first17.length !== 17) throw new Error(`USCC body must be 17 chars, got ${first17.length}`);
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = USCC_CHARSET.indexOf(first17[i]);
    if (v < 0) throw new Error(`not a USCC character: ${JSON.stringify(first17[i])}`);
    sum += v * USCC_WEIGHTS[i];
  }
  return USCC_CHARSET[(31 - (sum % 31)) % 31];
}

/**
 * Builds a valid code from its parts, computing both check chars — for fixtures and demo data.
 * `orgBody8` is the organisation code without its check char.
 */
export function buildUscc(authority: string, orgType: string, adminDivision: string, orgBody8: string): string {
  const orgCode = orgBody8 + orgCodeCheckChar(orgBody8);
  const first17 = authority + orgType + adminDivision + orgCode;
  return first17 + usccCheckChar(first17);
}

/** Accepts lower case and full-width input (common when pasted from PDFs); everything else must be exact. */
export function validateUscc(input: string): RuleResult<UsccParts, UsccFailCode> {
  const code = input.normalize('NFKC').trim().toUpperCase();
  const chars = [...code];
  if (chars.length !== 18) {
    return ruleFail('uscc_length', 'A unified social credit code has exactly 18 characters.', '统一社会信用代码应为18位。', {
      length: chars.length,
    });
  }
  const badAt = chars.findIndex((ch) => !USCC_CHARSET.includes(ch));
  if (badAt >= 0) {
    return ruleFail(
      'uscc_charset',
      `Character ${badAt + 1} ("${chars[badAt]}") is not allowed; codes use digits and capital letters except I, O, Z, S, V.`,
      `第${badAt + 1}位字符“${chars[badAt]}”无效：统一社会信用代码仅含数字和除 I、O、Z、S、V 以外的大写字母。`,
      { position: badAt + 1, char: chars[badAt] },
    );
  }
  const authority = USCC_AUTHORITIES[code[0]];
  if (!authority) {
    return ruleFail(
      'uscc_registration_authority',
      `"${code[0]}" is not a known registration authority code.`,
      `第1位“${code[0]}”不是有效的登记管理部门代码。`,
      { registration_authority: code[0] },
    );
  }
  if (!authority.org_types[code[1]]) {
    return ruleFail(
      'uscc_org_type',
      `"${code[1]}" is not a valid organisation type for registration authority "${code[0]}".`,
      `第2位“${code[1]}”不是登记管理部门“${authority.name_zh}”下有效的机构类别代码。`,
      { registration_authority: code[0], org_type: code[1], allowed: Object.keys(authority.org_types) },
    );
  }
  const division = code.slice(2, 8);
  if (!/^\d{6}$/.test(division)) {
    return ruleFail('uscc_admin_division', 'Characters 3-8 (administrative division) must be digits.', '第3至8位（登记管理机关行政区划码）应为数字。', {
      admin_division: division,
    });
  }
  const orgCode = code.slice(8, 17);
  const expectedOrgCheck = orgCodeCheckChar(orgCode.slice(0, 8));
  if (orgCode[8] !== expectedOrgCheck) {
    return ruleFail(
      'uscc_org_code_check',
      'The organisation code inside the credit code (characters 9-17) fails its check; please re-check the code.',
      '代码第9至17位（组织机构代码）校验未通过，请核对。',
      { org_code: orgCode },
    );
  }
  if (code[17] !== usccCheckChar(code.slice(0, 17))) {
    return ruleFail('uscc_check_digit', 'The check character (last character) does not match; please re-check the code.', '校验码（最后一位）不正确，请核对。');
  }
  return ok({ code, registration_authority: code[0], org_type: code[1], admin_division: division, org_code: orgCode });
}
