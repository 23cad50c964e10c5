import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyRateBp } from '../../lib/money.ts';
import { lineCommission, maskOrderId, offerActiveAt, pickRate, rateInBounds } from './rules.ts';

test('rates are whole basis points between 1% and 50%', () => {
  assert.deepEqual([99, 100, 5000, 5001, 150.5].map(rateInBounds), [false, true, true, false, false]);
});

test("a creator's exclusive rate wins over the public rate; no public rate means none", () => {
  const rates = [{ creator_id: '', rate_bp: 1000 }, { creator_id: 'acc_A', rate_bp: 2000 }];
  assert.equal(pickRate(rates, 'acc_A'), 2000);
  assert.equal(pickRate(rates, 'acc_B'), 1000);
  assert.equal(pickRate([{ creator_id: 'acc_A', rate_bp: 2000 }], 'acc_B'), null);
});

test('an offer is active from its start up to (not including) its end', () => {
  assert.equal(offerActiveAt({ starts_at: 10, ends_at: 20 }, 9), false);
  assert.equal(offerActiveAt({ starts_at: 10, ends_at: 20 }, 10), true);
  assert.equal(offerActiveAt({ starts_at: 10, ends_at: 20 }, 20), false);
  assert.equal(offerActiveAt({ starts_at: 10, ends_at: null }, 1e15), true);
});

test('order ids shown to creators are masked', () => {
  assert.equal(maskOrderId('ord_01JD3Q8M4K7ZP0R6S9T2V5W8XQ'), 'ord_01JD****W8XQ');
  assert.doesNotMatch(maskOrderId('ord_01JD3Q8M4K7ZP0R6S9T2V5W8XQ'), /3Q8M4K7ZP0R6S9T2V5/);
});

test('a line earns the snapshot rate before settlement and what settlement posted (less reversals) after', () => {
  const base = { rate_bp: 1500, paid_minor: 9900, refunded_minor: 0, settled_commission_minor: 0, reversed_commission_minor: 0 };
  assert.equal(lineCommission({ ...base, status: 'pending' }, applyRateBp), 1485);
  assert.equal(lineCommission({ ...base, status: 'pending', refunded_minor: 4950 }, applyRateBp), 743);
  assert.equal(lineCommission({ ...base, status: 'settled', settled_commission_minor: 1485, reversed_commission_minor: 742 }, applyRateBp), 743);
  assert.equal(lineCommission({ ...base, status: 'none' }, applyRateBp), 0);
});
