import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_DEPOSIT_TABLE, depositFor, dottedParent, validateDepositTable, type DepositTable } from './deposits.ts';

const table = DEFAULT_DEPOSIT_TABLE;

test('the default table matches the published amounts', () => {
  assert.equal(depositFor(table, { subjectType: 'individual', categoryCode: 'apparel', brandCertified: false }).amount_minor, 200_000); // ¥2,000
  assert.equal(depositFor(table, { subjectType: 'individual', categoryCode: 'food', brandCertified: false }).amount_minor, 500_000); // ¥5,000
  assert.equal(depositFor(table, { subjectType: 'individual', categoryCode: 'cosmetics', brandCertified: false }).amount_minor, 500_000);
  assert.equal(depositFor(table, { subjectType: 'enterprise', categoryCode: 'apparel', brandCertified: false }).amount_minor, 500_000);
  assert.equal(depositFor(table, { subjectType: 'enterprise', categoryCode: 'food', brandCertified: false }).amount_minor, 1_000_000);
  assert.equal(depositFor(table, { subjectType: 'enterprise', categoryCode: 'apparel', brandCertified: true }).amount_minor, 2_000_000);
});

test('a sub-category falls back to its parent, then to the default', () => {
  assert.deepEqual(depositFor(table, { subjectType: 'enterprise', categoryCode: 'food.snacks.nuts', brandCertified: false }), {
    amount_minor: 1_000_000,
    source: 'category',
    category_code: 'food',
  });
  assert.deepEqual(depositFor(table, { subjectType: 'enterprise', categoryCode: 'toys.blocks', brandCertified: false }), {
    amount_minor: 500_000,
    source: 'default',
    category_code: null,
  });
});

test('the most specific configured category wins', () => {
  const custom: DepositTable = { ...table, individual: { default_minor: 100, by_category: { food: 200, 'food.infant': 900 } } };
  assert.equal(depositFor(custom, { subjectType: 'individual', categoryCode: 'food.infant.formula', brandCertified: false }).amount_minor, 900);
  assert.equal(depositFor(custom, { subjectType: 'individual', categoryCode: 'food.snacks', brandCertified: false }).amount_minor, 200);
});

test('no category yet means the default', () => {
  assert.equal(depositFor(table, { subjectType: 'individual', categoryCode: null, brandCertified: false }).source, 'default');
});

test('the brand amount is a minimum, not a replacement', () => {
  const custom: DepositTable = { ...table, enterprise: { default_minor: 500_000, by_category: { jewelry: 5_000_000 }, brand_minor: 2_000_000 } };
  assert.deepEqual(depositFor(custom, { subjectType: 'enterprise', categoryCode: 'jewelry', brandCertified: true }), {
    amount_minor: 5_000_000,
    source: 'category',
    category_code: 'jewelry',
  });
  assert.equal(depositFor(custom, { subjectType: 'enterprise', categoryCode: 'food', brandCertified: true }).source, 'brand');
});

test('subjects without a brand amount pay their category amount even when brand-certified', () => {
  assert.equal(depositFor(table, { subjectType: 'individual', categoryCode: 'food', brandCertified: true }).amount_minor, 500_000);
});

test('works with any parent resolver, e.g. numeric codes from a category table', () => {
  const parents: Record<string, string | null> = { '1001': '10', '10': null };
  const custom: DepositTable = { ...table, individual: { default_minor: 1, by_category: { '10': 7 } } };
  assert.equal(depositFor(custom, { subjectType: 'individual', categoryCode: '1001', brandCertified: false }, (c) => parents[c] ?? null).amount_minor, 7);
});

test('a cyclic category tree is a programmer error', () => {
  assert.throws(() => depositFor(table, { subjectType: 'individual', categoryCode: 'a', brandCertified: false }, (c) => (c === 'a' ? 'b' : 'a')));
});

test('dottedParent walks up dotted codes', () => {
  assert.equal(dottedParent('food.snacks.nuts'), 'food.snacks');
  assert.equal(dottedParent('food'), null);
});

test('accepts the default table', () => {
  assert.equal(validateDepositTable(table).ok, true);
});

test('rejects negative, fractional or missing amounts', () => {
  for (const bad of [-1, 100.5, Number.NaN]) {
    const r = validateDepositTable({ ...table, individual: { default_minor: 100, by_category: { food: bad } } });
    assert.equal(!r.ok && r.code, 'deposit_amount_invalid', String(bad));
    assert.equal(!r.ok && (r.details as { path: string }).path, 'individual.by_category.food');
  }
  const r = validateDepositTable({ ...table, enterprise: { ...table.enterprise, brand_minor: -5 } });
  assert.equal(!r.ok && r.code, 'deposit_amount_invalid');
});

test('rejects blank or padded category codes', () => {
  const r = validateDepositTable({ ...table, individual: { default_minor: 100, by_category: { ' food': 200 } } });
  assert.equal(!r.ok && r.code, 'deposit_category_code_invalid');
});
