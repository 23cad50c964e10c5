import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildResidentId, maskResidentId, validateResidentId } from './resident-id.ts';

const NOW = Date.UTC(2026, 10, 11);
const codeOf = (r: { ok: true } | { ok: false; code: string }) => (r.ok ? 'ok' : r.code);

test('accepts a well-formed number (the GB 11643 sample), lower-case x and full-width digits', () => {
  assert.equal(codeOf(validateResidentId('11010519491231002X', NOW)), 'ok');
  assert.equal(codeOf(validateResidentId('11010519491231002x', NOW)), 'ok');
  assert.equal(codeOf(validateResidentId('１１０１０５１９４９１２３１００２X', NOW)), 'ok');
  assert.equal(codeOf(validateResidentId(buildResidentId('44030519900101123'), NOW)), 'ok');
});

test('rejects a wrong check character', () => {
  assert.equal(codeOf(validateResidentId('110105194912310021', NOW)), 'resident_id_check_digit');
});

test('rejects malformed numbers and impossible birth dates', () => {
  for (const n of ['', '1101051949123100', '11010519491231002Y', 'A1010519491231002X']) assert.equal(codeOf(validateResidentId(n, NOW)), 'resident_id_format', n);
  assert.equal(codeOf(validateResidentId(buildResidentId('11010519490231002'), NOW)), 'resident_id_birth_date'); // 31 Feb
  assert.equal(codeOf(validateResidentId(buildResidentId('11010520300101002'), NOW)), 'resident_id_birth_date'); // born in the future
});

test('masks all but the region and the last four', () => {
  assert.equal(maskResidentId('11010519491231002X'), '110105********002X');
});
