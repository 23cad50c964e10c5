import { ok } from '../../../lib/result.ts';
import { ruleFail, type RuleResult } from './rule-result.ts';

/**
 * Mainland resident identity card number (居民身份证号码), GB 11643-1999:
 *   pos 1-6 address code · pos 7-14 birth date YYYYMMDD · pos 15-17 sequence · pos 18 check (0-9 or X)
 * The check character is ISO 7064 MOD 11-2 over the first 17 digits.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

export type ResidentIdFailCode = 'resident_id_format' | 'resident_id_birth_date' | 'resident_id_check_digit';

export function residentIdCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error('resident id body must be 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK[sum % 11];
}

/** A valid number from its first 17 digits — for fixtures and demo data. */
export function buildResidentId(first17: string): string {
  return first17 + residentIdCheckChar(first17);
}

export function validateResidentId(input: string, nowMs: number): RuleResult<{ number: string }, ResidentIdFailCode> {
  const number = input.normalize('NFKC').trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(number)) {
    return ruleFail('resident_id_format', 'A resident ID number has 17 digits followed by a digit or X.', '身份证号码应为17位数字加1位数字或X。');
  }
  const y = Number(number.slice(6, 10));
  const m = Number(number.slice(10, 12));
  const d = Number(number.slice(12, 14));
  const birth = Date.UTC(y, m - 1, d);
  const real = new Date(birth);
  if (y < 1900 || real.getUTCMonth() !== m - 1 || real.getUTCDate() !== d || birth > nowMs) {
    return ruleFail('resident_id_birth_date', 'Digits 7-14 of the ID number are not a valid date of birth.', '身份证号码第7至14位不是有效的出生日期。');
  }
  if (number[17] !== residentIdCheckChar(number.slice(0, 17))) {
    return ruleFail('resident_id_check_digit', 'The last character of the ID number does not match its check; please re-check it.', '身份证号码校验位不正确，请核对。');
  }
  return ok({ number });
}

/** 110101********1234 — what screens show; the full number stays in storage for the review. */
export function maskResidentId(number: string): string {
  return number.length < 10 ? '*'.repeat(number.length) : number.slice(0, 6) + '*'.repeat(number.length - 10) + number.slice(-4);
}
