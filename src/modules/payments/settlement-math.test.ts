import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prorate, reverseSettledLine, settleLines, type LineFunds, type SettledLine } from './settlement-math.ts';

const line = (o: Partial<LineFunds> & { line_id: string }): LineFunds => ({ paid_minor: 10000, refunded_minor: 0, fee_rate_bp: 200, creator_id: null, subsidy_minor: 0, ...o });

test('prorate rounds half up and is exact at the whole', () => {
  assert.equal(prorate(545, 5450, 10900), 273); // 272.5 → 273
  assert.equal(prorate(545, 10900, 10900), 545);
  assert.equal(prorate(100, 1, 3), 33);
  assert.equal(prorate(100, 0, 3), 0);
  assert.equal(prorate(0, 5, 10), 0);
});

test('settlement charges the category rate once per line, freight share included, and splits escrow exactly', () => {
  const s = settleLines([line({ line_id: 'a', paid_minor: 10033, fee_rate_bp: 250 }), line({ line_id: 'b', paid_minor: 999, fee_rate_bp: 500 })], () => 0);
  assert.deepEqual(s.lines.map((l) => l.fee_minor), [251, 50]); // 250.825 → 251, 49.95 → 50
  assert.equal(s.fee_minor, 301);
  assert.equal(s.merchant_minor + s.fee_minor, 10033 + 999);
  assert.equal(s.escrow_minor, 11032);
});

test('refunds before settlement shrink the base; commission goes to the creator; the subsidy follows what is still paid', () => {
  const s = settleLines([
    line({ line_id: 'a', paid_minor: 8000, refunded_minor: 2000, creator_id: 'acc_c', subsidy_minor: 1000 }),
    line({ line_id: 'b', paid_minor: 5000, creator_id: 'acc_c' }),
    line({ line_id: 'c', paid_minor: 3000, refunded_minor: 3000, subsidy_minor: 500 }),
  ], () => 1000);
  assert.deepEqual(s.lines.map((l) => l.base_minor), [6000, 5000, 0]);
  assert.deepEqual(s.lines.map((l) => l.subsidy_minor), [750, 0, 0]);
  assert.deepEqual(s.commissions, [{ creator_id: 'acc_c', amount_minor: 1100 }]);
  assert.equal(s.merchant_minor + s.fee_minor + 1100, s.escrow_minor);
});

test('refunding a settled line in any number of parts takes back exactly what settlement gave', () => {
  const settled = settleLines([line({ line_id: 'a', paid_minor: 10001, fee_rate_bp: 333, creator_id: 'acc_c', subsidy_minor: 777 })], () => 1234).lines[0];
  for (const parts of [[10001], [1, 10000], [3333, 3333, 3335], [5000, 1, 1, 4999]]) {
    let l: SettledLine = {
      line_id: 'a', creator_id: 'acc_c', settled_base_minor: settled.base_minor, settled_fee_minor: settled.fee_minor, settled_commission_minor: settled.commission_minor,
      settled_subsidy_minor: settled.subsidy_minor, post_refunded_minor: 0, reversed_fee_minor: 0, reversed_commission_minor: 0, reversed_subsidy_minor: 0,
    };
    for (const p of parts) {
      const r = reverseSettledLine(l, p);
      assert.ok(r.fee_minor >= 0 && r.commission_minor >= 0 && r.subsidy_minor >= 0);
      l = { ...l, post_refunded_minor: l.post_refunded_minor + p, reversed_fee_minor: l.reversed_fee_minor + r.fee_minor, reversed_commission_minor: l.reversed_commission_minor + r.commission_minor, reversed_subsidy_minor: l.reversed_subsidy_minor + r.subsidy_minor };
    }
    assert.deepEqual([l.reversed_fee_minor, l.reversed_commission_minor, l.reversed_subsidy_minor], [settled.fee_minor, settled.commission_minor, settled.subsidy_minor], String(parts));
  }
  assert.throws(() => reverseSettledLine({ line_id: 'a', creator_id: null, settled_base_minor: 10, settled_fee_minor: 0, settled_commission_minor: 0, settled_subsidy_minor: 0, post_refunded_minor: 5, reversed_fee_minor: 0, reversed_commission_minor: 0, reversed_subsidy_minor: 0 }, 6));
});
