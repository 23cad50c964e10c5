import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildUscc, orgCodeCheckChar, usccCheckChar, validateUscc } from './uscc.ts';

// Worked by hand so the tests do not merely echo the implementation:
// org code M000100Y: 22·3 + 1·5 + 34·2 = 139; 139 mod 11 = 7; 11 − 7 = 4.
// USCC 91350100M000100Y4: Σ value·weight = 1640; 1640 mod 31 = 28; 31 − 28 = 3.
const SAMPLE = '91350100M000100Y43';

test('accepts the commonly cited sample code and splits it into parts', () => {
  assert.deepEqual(validateUscc(SAMPLE), {
    ok: true,
    value: { code: SAMPLE, registration_authority: '9', org_type: '1', admin_division: '350100', org_code: 'M000100Y4' },
  });
});

test('computes both check characters the way the worked example does', () => {
  assert.equal(orgCodeCheckChar('M000100Y'), '4');
  assert.equal(usccCheckChar('91350100M000100Y4'), '3');
});

test('maps org-code remainders 10 to X and 11 to 0', () => {
  // 00000001: 1·2 = 2 → 11 − 2 = 9 (the ordinary case).
  assert.equal(orgCodeCheckChar('00000001'), '9');
  // 00000000: sum 0 → 11 − 0 = 11 → '0'.
  assert.equal(orgCodeCheckChar('00000000'), '0');
  // 00010001: 1·10 + 1·2 = 12 ≡ 1 → 11 − 1 = 10 → 'X'.
  assert.equal(orgCodeCheckChar('00010001'), 'X');
});

test('a USCC whose org code ends in X still validates', () => {
  const code = buildUscc('9', '1', '440300', '00010001');
  assert.equal(code.slice(8, 17), '00010001X');
  assert.equal(validateUscc(code).ok, true);
});

test('builds valid codes for individual businesses and social organisations', () => {
  for (const code of [buildUscc('9', '2', '440300', 'L1234567'), buildUscc('5', '3', '110000', '50000123'), buildUscc('Y', '1', '310115', 'MA1H0000')]) {
    assert.equal(validateUscc(code).ok, true, code);
  }
});

test('accepts lower-case, full-width and padded input and returns the normalised code', () => {
  const r = validateUscc('  ９１３５０１００m０００１００y４３ ');
  assert.equal(r.ok && r.value.code, SAMPLE);
});

test('rejects a code that is not 18 characters', () => {
  const r = validateUscc(SAMPLE.slice(0, 17));
  assert.equal(r.ok, false);
  assert.equal(!r.ok && r.code, 'uscc_length');
  assert.deepEqual(!r.ok && r.details, { length: 17 });
  assert.equal(!r.ok && r.message_zh, '统一社会信用代码应为18位。');
});

test('rejects the letters I, O, Z, S and V and names the position', () => {
  for (const letter of ['I', 'O', 'Z', 'S', 'V']) {
    const r = validateUscc('91350100M000100' + letter + '43');
    assert.equal(!r.ok && r.code, 'uscc_charset', letter);
    assert.deepEqual(!r.ok && r.details, { position: 16, char: letter });
  }
});

test('rejects an unknown registration authority', () => {
  const r = validateUscc('B1350100M000100Y43');
  assert.equal(!r.ok && r.code, 'uscc_registration_authority');
});

test('rejects an organisation type the authority does not issue', () => {
  // 工商 (9) issues only 1 enterprise, 2 individual business, 3 farmers' cooperative.
  const r = validateUscc('94350100M000100Y43');
  assert.equal(!r.ok && r.code, 'uscc_org_type');
  assert.deepEqual(!r.ok && r.details, { registration_authority: '9', org_type: '4', allowed: ['1', '2', '3'] });
});

test('rejects letters in the administrative division', () => {
  const r = validateUscc('913501A0M000100Y43');
  assert.equal(!r.ok && r.code, 'uscc_admin_division');
});

test('rejects a code whose organisation code check fails', () => {
  // One typo inside the org code body: M000100Y → M000200Y.
  const r = validateUscc('91350100M000200Y43');
  assert.equal(!r.ok && r.code, 'uscc_org_code_check');
});

test('rejects a wrong final check character without revealing the expected one', () => {
  const r = validateUscc('91350100M000100Y44');
  assert.equal(!r.ok && r.code, 'uscc_check_digit');
  assert.equal(!r.ok && r.details, undefined);
});

test('catches a single-character typo in the division via the final check', () => {
  const r = validateUscc('91350200M000100Y43');
  assert.equal(!r.ok && r.code, 'uscc_check_digit');
});

test('check-char helpers crash on programmer errors', () => {
  assert.throws(() => usccCheckChar('123'));
  assert.throws(() => usccCheckChar('91350100M000100O4'));
  assert.throws(() => orgCodeCheckChar('1234567'));
});
