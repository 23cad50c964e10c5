import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isTerminal, nextStatus, ORDER_STATUSES, type OrderEvent } from './order-machine.ts';

test('the happy path: unpaid → paid → partially shipped → shipped → received → completed', () => {
  let s = ORDER_STATUSES[0];
  for (const e of ['pay', 'ship_part', 'ship_all', 'receive', 'complete'] as OrderEvent[]) {
    const t = nextStatus(s, e);
    assert.ok(t.ok, `${s} --${e}-->`);
    s = t.to;
  }
  assert.equal(s, 'completed');
  assert.ok(isTerminal(s));
});

test('illegal moves are refused with the current state', () => {
  const t = nextStatus('paid', 'cancel');
  assert.equal(t.ok, false);
  assert.equal(!t.ok && t.current, 'paid');
  assert.equal(nextStatus('cancelled', 'pay').ok, false);
  assert.equal(nextStatus('unpaid', 'ship_all').ok, false);
  assert.equal(nextStatus('completed', 'refund_all').ok, false);
});

test('only orders not paid yet (unpaid, or a pre-sale awaiting its deposit) can be cancelled or expire', () => {
  for (const s of ORDER_STATUSES) {
    assert.equal(nextStatus(s, 'cancel').ok, s === 'unpaid' || s === 'awaiting_deposit', s);
    assert.equal(nextStatus(s, 'expire').ok, s === 'unpaid' || s === 'awaiting_deposit', s);
  }
});

test('a pre-sale: deposit, then balance, then the normal path; an unpaid balance forfeits from deposit_paid only', () => {
  let s: (typeof ORDER_STATUSES)[number] = 'awaiting_deposit';
  for (const e of ['pay_deposit', 'pay_balance', 'ship_all', 'receive', 'complete'] as OrderEvent[]) {
    const t = nextStatus(s, e);
    assert.ok(t.ok, `${s} --${e}-->`);
    s = t.to;
  }
  assert.equal(s, 'completed');
  for (const e of ['forfeit', 'merchant_cancel', 'campaign_cancel'] as OrderEvent[]) {
    assert.deepEqual(nextStatus('deposit_paid', e), { ok: true, to: 'closed' });
    assert.equal(nextStatus('paid', e).ok, false);
  }
  assert.equal(nextStatus('deposit_paid', 'ship_all').ok, false, 'nothing ships before the balance is paid');
  assert.equal(nextStatus('deposit_paid', 'cancel').ok, false, 'a buyer walking away forfeits, never cancels');
});
