import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DAY_MS } from '../../../lib/clock.ts';
import { checkUsccForSubject, inForce, requiredQualifications, validateQualification, type QualificationInput } from './qualifications.ts';
import { buildResidentId } from './resident-id.ts';
import { buildUscc } from './uscc.ts';

const NOW = Date.UTC(2026, 10, 11);
const YEAR = 365 * DAY_MS;
const ENTERPRISE = buildUscc('9', '1', '440300', 'MA5G1234');
const INDIVIDUAL = buildUscc('9', '2', '350782', 'L1234567');
const codeOf = (r: { ok: true } | { ok: false; code: string }) => (r.ok ? 'ok' : r.code);
const doc = (over: Partial<QualificationInput>): QualificationInput => ({
  kind: 'legal_rep_id', number: buildResidentId('44030519900101123'), holder_name: '王小明', valid_from_ms: NOW - YEAR, valid_to_ms: NOW + YEAR, file_url: 'https://files.example/id.jpg', ...over,
});
const ctx = { subject: 'enterprise' as const, storeUscc: ENTERPRISE, nowMs: NOW };

test('every subject needs the ID and the business licence; food and beauty add their licence (walking up dotted codes)', () => {
  assert.deepEqual(requiredQualifications('individual', null), ['legal_rep_id', 'business_license']);
  assert.deepEqual(requiredQualifications('enterprise', 'food.tea'), ['legal_rep_id', 'business_license', 'food_license']);
  assert.deepEqual(requiredQualifications('individual', 'beauty.skincare'), ['legal_rep_id', 'business_license', 'cosmetics_filing']);
  assert.deepEqual(requiredQualifications('enterprise', 'digital.phone'), ['legal_rep_id', 'business_license']);
});

test('a credit code must belong to the subject type: 91/93 enterprises, 92 individual businesses', () => {
  assert.equal(codeOf(checkUsccForSubject(ENTERPRISE, 'enterprise')), 'ok');
  assert.equal(codeOf(checkUsccForSubject(INDIVIDUAL, 'individual')), 'ok');
  assert.equal(codeOf(checkUsccForSubject(INDIVIDUAL, 'enterprise')), 'uscc_subject_mismatch');
  assert.equal(codeOf(checkUsccForSubject(ENTERPRISE, 'individual')), 'uscc_subject_mismatch');
  assert.equal(codeOf(checkUsccForSubject(ENTERPRISE.slice(0, 17) + (ENTERPRISE[17] === '0' ? '1' : '0'), 'enterprise')), 'uscc_check_digit');
});

test('a business licence is accepted long-term, with the application\'s code; a different code is refused', () => {
  assert.equal(codeOf(validateQualification(doc({ kind: 'business_license', number: ENTERPRISE.toLowerCase(), valid_to_ms: null }), ctx)), 'ok');
  const other = buildUscc('9', '1', '110105', 'MA00000A');
  assert.equal(codeOf(validateQualification(doc({ kind: 'business_license', number: other }), ctx)), 'license_uscc_mismatch');
});

test('ID cards are checked by their check digit; licences by their format', () => {
  assert.equal(codeOf(validateQualification(doc({}), ctx)), 'ok');
  const good = buildResidentId('44030519900101123');
  const wrongCheck = good.slice(0, 17) + (good[17] === '1' ? '2' : '1');
  assert.equal(codeOf(validateQualification(doc({ number: wrongCheck }), ctx)), 'resident_id_check_digit');
  assert.equal(codeOf(validateQualification(doc({ kind: 'food_license', number: 'JY14403050012345' }), ctx)), 'ok');
  assert.equal(codeOf(validateQualification(doc({ kind: 'food_license', number: 'SC123' }), ctx)), 'qualification_number_invalid');
  assert.equal(codeOf(validateQualification(doc({ kind: 'cosmetics_filing', number: '粤G妆网备字2023012345' }), ctx)), 'ok');
});

test('validity: only business licences may be long-term; expired or future documents are refused', () => {
  assert.equal(codeOf(validateQualification(doc({ valid_to_ms: null }), ctx)), 'qualification_long_term_not_allowed');
  assert.equal(codeOf(validateQualification(doc({ valid_to_ms: NOW }), ctx)), 'qualification_expired');
  assert.equal(codeOf(validateQualification(doc({ valid_from_ms: NOW + 1 }), ctx)), 'qualification_not_yet_valid');
  assert.equal(codeOf(validateQualification(doc({ valid_from_ms: NOW + YEAR, valid_to_ms: NOW }), ctx)), 'qualification_validity_window');
  assert.equal(codeOf(validateQualification(doc({ file_url: 'ftp://x' }), ctx)), 'qualification_file_url');
  assert.equal(inForce({ valid_from_ms: NOW - 1, valid_to_ms: null }, NOW), true);
  assert.equal(inForce({ valid_from_ms: NOW - 1, valid_to_ms: NOW }, NOW), false);
});
