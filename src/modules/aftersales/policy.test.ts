import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DAY_MS } from '../../lib/clock.ts';
import { checkNewRequest, counterfeitCompensation, damageRefund, DEFAULT_AFTERSALES_CONFIG as cfg, maxRefund, unitShares, windowCheck, type LineFacts } from './policy.ts';

const line = (o: Partial<LineFacts> = {}): LineFacts => ({ quantity: 3, shipped_quantity: 3, paid_minor: 10001, shipping_minor: 0, refunded_minor: 0, no_reason_return_7d: true, ...o });
const received = { status: 'completed', paid_at: 0, received_at: 1000 };
const fresh = { requests: 0, open: false, consumed_units: 0 };

test('unit shares split what the line paid exactly, larger shares first', () => {
  assert.deepEqual(unitShares(10001, 3), [3334, 3334, 3333]);
  for (const [paid, n] of [[1, 3], [29701, 7], [99, 100]] as const) assert.equal(unitShares(paid, n).reduce((s, x) => s + x, 0), paid);
});

test('partial refunds by quantity add up to the line, to the fen, whatever the order of requests', () => {
  const l = line();
  const first = maxRefund(l, 0, 1);
  const rest = maxRefund({ ...l, refunded_minor: first }, 1, 2);
  assert.deepEqual([first, rest], [3334, 6667]);
  assert.equal(first + rest, 10001);
  assert.equal(maxRefund({ ...l, refunded_minor: 10001 }, 3, 1), 0);
});

test('a partial settlement without a return lowers what the line has left, never the line total', () => {
  const l = line({ refunded_minor: 5000 }); // e.g. a damage refund, the buyer kept the goods
  assert.equal(maxRefund(l, 0, 3), 5001);
  assert.equal(maxRefund(l, 0, 1), 3334);
});

test('the window: anytime before receipt, 15 days after it; unpaid or closed orders have none', () => {
  assert.ok(windowCheck({ status: 'shipped', paid_at: 0, received_at: null }, 99 * DAY_MS, cfg).ok);
  assert.ok(windowCheck(received, 1000 + 15 * DAY_MS, cfg).ok);
  const late = windowCheck(received, 1001 + 15 * DAY_MS, cfg);
  assert.equal(!late.ok && late.code, 'aftersales_window_closed');
  for (const status of ['unpaid', 'cancelled', 'closed']) {
    const r = windowCheck({ status, paid_at: null, received_at: null }, 0, cfg);
    assert.equal(!r.ok && r.code, 'order_not_eligible');
  }
});

test('a new request: limit, open request, quantity, amount, no-reason flag and days, instant refund', () => {
  const code = (input: Parameters<typeof checkNewRequest>[0], l = line(), h = fresh, now = 2000) => {
    const r = checkNewRequest(input, received, l, h, now, cfg);
    return r.ok ? r.value : r.code;
  };
  assert.equal(code({ type: 'refund_only', reason: 'other', quantity: 1 }, line(), { requests: 5, open: false, consumed_units: 0 }), 'request_limit_reached');
  assert.equal(code({ type: 'refund_only', reason: 'other', quantity: 1 }, line(), { requests: 1, open: true, consumed_units: 0 }), 'request_already_open');
  assert.equal(code({ type: 'refund_only', reason: 'other', quantity: 3 }, line(), { requests: 1, open: false, consumed_units: 1 }), 'quantity_exceeds');
  assert.equal(code({ type: 'refund_only', reason: 'other', quantity: 1, amount_minor: 3335 }), 'amount_exceeds_refundable');
  assert.equal(code({ type: 'return_refund', reason: 'no_reason_7d', quantity: 1 }, line({ no_reason_return_7d: false })), 'no_reason_not_supported');
  assert.equal(code({ type: 'return_refund', reason: 'no_reason_7d', quantity: 1 }, line(), fresh, 1001 + 7 * DAY_MS), 'no_reason_expired');
  assert.equal(code({ type: 'return_refund', reason: 'quality', quantity: 1 }, line({ shipped_quantity: 0 })), 'not_shipped');
  assert.deepEqual(code({ type: 'refund_only', reason: 'other', quantity: 2 }, line({ shipped_quantity: 0 })), { amount_minor: 6668, max_minor: 6668, instant: true });
  assert.deepEqual(code({ type: 'exchange', reason: 'quality', quantity: 1 }), { amount_minor: 0, max_minor: 3334, instant: false });
});

test('假一赔三 is the appraisal fee (capped) plus 3 × the goods paid; 坏损包退 applies the ratio to what may be refunded', () => {
  const l = line({ paid_minor: 30701, shipping_minor: 1001 }); // goods paid 29700 over 3 units
  assert.deepEqual(counterfeitCompensation(l, 1, 20000, cfg), { amount_minor: 20000 + 3 * 9900, appraisal_fee_minor: 20000, goods_minor: 9900 });
  assert.equal(counterfeitCompensation(l, 1, 90000, cfg).appraisal_fee_minor, cfg.max_appraisal_fee_minor);
  assert.equal(damageRefund(l, 0, 1, 3000), Math.round(10234 * 0.3));
  assert.equal(damageRefund(l, 0, 3, 10000), 30701);
});
