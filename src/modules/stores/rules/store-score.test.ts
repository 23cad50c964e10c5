import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeStoreScore, formatScore, linkedAccountLimit, type ScoreInputs } from './store-score.ts';

// A spotless store with no ratings: product 30 (neutral prior 4.5), everything else full.
const clean: ScoreInputs = {
  orders: 100,
  orders_shipped_within_48h: 100,
  rating_count: 0,
  rating_sum: 0,
  after_sales_requests: 0,
  after_sales_answered_within_48h: 0,
  merchant_fault_refunds: 0,
  arbitrations_lost: 0,
};

test('a store with fewer than 30 orders gets a provisional 80.0', () => {
  assert.deepEqual(computeStoreScore({ ...clean, orders: 29, orders_shipped_within_48h: 0 }), { score_tenths: 800, provisional: true, parts_tenths: null });
  assert.equal(computeStoreScore({ ...clean, orders: 30, orders_shipped_within_48h: 30 }).provisional, false);
});

test('excellent ratings earn most of the product points, smoothed toward 4.5', () => {
  // R = (250 + 45) / (50 + 10) = 4.9167 → 40 × 0.9583 = 38.33; + 25 + 25 + 10 = 98.33
  const r = computeStoreScore({ ...clean, rating_count: 50, rating_sum: 250 });
  assert.equal(r.score_tenths, 983);
  assert.deepEqual(r.parts_tenths, { product: 383, logistics: 250, after_sales: 250, dispute_deduction: 0 });
});

test('a few five-star ratings cannot max the product part', () => {
  // R = (10 + 45) / 12 = 4.583 → 31.7
  assert.equal(computeStoreScore({ ...clean, rating_count: 2, rating_sum: 10 }).parts_tenths?.product, 317);
});

test('averages of 3.0 or below earn no product points', () => {
  assert.equal(computeStoreScore({ ...clean, rating_count: 1000, rating_sum: 2000 }).parts_tenths?.product, 0);
});

test('a mixed store scores each part as documented', () => {
  // product: R = 515/110 = 4.6818 → 33.636; logistics: 90 % → 0.8 → 20;
  // after-sales: 85 % answered → 0.7 → 8.75, refunds 2 % → 0.6 → 7.5; disputes: 5 per 1,000 → 10 (capped)
  // total 69.886 → 69.9
  const r = computeStoreScore({
    orders: 200,
    orders_shipped_within_48h: 180,
    rating_count: 100,
    rating_sum: 470,
    after_sales_requests: 20,
    after_sales_answered_within_48h: 17,
    merchant_fault_refunds: 4,
    arbitrations_lost: 1,
  });
  assert.deepEqual(r, { score_tenths: 699, provisional: false, parts_tenths: { product: 336, logistics: 200, after_sales: 163, dispute_deduction: 100 } });
});

test('rounds half-up once, on the exact total', () => {
  // 30 + 25 + (6.25 + 12.5) + 10 = 83.75 → 83.8
  assert.equal(computeStoreScore({ ...clean, after_sales_requests: 4, after_sales_answered_within_48h: 3 }).score_tenths, 838);
});

test('shipping half the orders within 48 h or less earns no logistics points', () => {
  assert.equal(computeStoreScore({ ...clean, orders_shipped_within_48h: 50 }).parts_tenths?.logistics, 0);
  assert.equal(computeStoreScore({ ...clean, orders_shipped_within_48h: 10 }).parts_tenths?.logistics, 0);
});

test('a merchant-fault refund rate of 5 % or more loses the refund half of after-sales', () => {
  assert.equal(computeStoreScore({ ...clean, merchant_fault_refunds: 5 }).parts_tenths?.after_sales, 125);
  assert.equal(computeStoreScore({ ...clean, merchant_fault_refunds: 9 }).parts_tenths?.after_sales, 125);
});

test('lost arbitrations deduct 2 points per 1,000 orders, at most 10', () => {
  assert.equal(computeStoreScore({ ...clean, orders: 1000, orders_shipped_within_48h: 1000, arbitrations_lost: 2 }).score_tenths, 860);
  assert.equal(computeStoreScore({ ...clean, arbitrations_lost: 3 }).parts_tenths?.dispute_deduction, 100);
});

test('the worst possible store scores 0', () => {
  const r = computeStoreScore({
    orders: 100,
    orders_shipped_within_48h: 0,
    rating_count: 1000,
    rating_sum: 1000,
    after_sales_requests: 10,
    after_sales_answered_within_48h: 0,
    merchant_fault_refunds: 50,
    arbitrations_lost: 10,
  });
  assert.equal(r.score_tenths, 0);
});

test('inconsistent counts are programmer errors', () => {
  assert.throws(() => computeStoreScore({ ...clean, orders_shipped_within_48h: 101 }));
  assert.throws(() => computeStoreScore({ ...clean, after_sales_answered_within_48h: 1 }));
  assert.throws(() => computeStoreScore({ ...clean, rating_count: 2, rating_sum: 11 }));
  assert.throws(() => computeStoreScore({ ...clean, orders: -1 }));
  assert.throws(() => computeStoreScore({ ...clean, rating_count: 1.5, rating_sum: 5 }));
});

test('formats tenths as one decimal', () => {
  assert.equal(formatScore(923), '92.3');
  assert.equal(formatScore(1000), '100.0');
  assert.equal(formatScore(0), '0.0');
});

test('individual businesses may link 1 account of each kind whatever the score', () => {
  assert.equal(linkedAccountLimit('individual', { score_tenths: 1000 }), 1);
  assert.equal(linkedAccountLimit('individual', null), 1);
});

test('enterprises may link 5, or 10 from a score of 90.0', () => {
  assert.equal(linkedAccountLimit('enterprise', null), 5);
  assert.equal(linkedAccountLimit('enterprise', { score_tenths: 899 }), 5);
  assert.equal(linkedAccountLimit('enterprise', { score_tenths: 900 }), 10);
});
