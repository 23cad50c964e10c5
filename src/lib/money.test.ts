import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allocate, applyRateBp, formatCny, money, parseYuan } from './money.ts';

test('allocate splits a discount proportionally and the parts always sum to the whole', () => {
  assert.deepEqual(allocate(1000, [5000, 3000, 2000]), [500, 300, 200]);
  // 100 over three equal lines: the remainder fen goes to one line, deterministically
  assert.deepEqual(allocate(100, [1, 1, 1]), [34, 33, 33]);
  // remainder to the largest line first
  assert.deepEqual(allocate(10, [1, 3, 2]), [2, 5, 3]);
  for (let i = 0; i < 500; i++) {
    const weights = Array.from({ length: 1 + (i % 7) }, (_, j) => ((i * 7919 + j * 104729) % 100000) + 1);
    const total = (i * 12345) % 1_000_000;
    const parts = allocate(total, weights);
    assert.equal(parts.reduce((s, p) => s + p, 0), total);
    assert.ok(parts.every((p) => Number.isInteger(p) && p >= 0));
  }
});

test('allocate handles negative totals, zero weights and no lines', () => {
  assert.deepEqual(allocate(-10, [1, 1]), [-5, -5]);
  assert.deepEqual(allocate(7, [0, 0]), [7, 0]);
  assert.deepEqual(allocate(0, []), []);
  assert.throws(() => allocate(5, []));
  assert.throws(() => allocate(5, [1.5]));
});

test('applyRateBp rounds half up on integers only', () => {
  assert.equal(applyRateBp(10000, 250), 250); // 2.5% of ¥100
  assert.equal(applyRateBp(999, 100), 10); // 9.99 → 10
  assert.equal(applyRateBp(949, 100), 9);
  assert.equal(applyRateBp(-999, 100), -10);
  assert.throws(() => applyRateBp(10.5, 100));
});

test('money refuses floats; formatting and parsing never go through floating point', () => {
  assert.throws(() => money(0.1));
  assert.equal(formatCny(123456), '¥1234.56');
  assert.equal(formatCny(-5), '-¥0.05');
  assert.equal(parseYuan('12.3'), 1230);
  assert.equal(parseYuan('0.07'), 7);
  assert.equal(parseYuan('1.234'), null);
  assert.equal(parseYuan('abc'), null);
});
