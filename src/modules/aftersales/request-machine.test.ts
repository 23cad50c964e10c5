import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEADLINES, isTerminal, nextStatus, REQUEST_STATUSES, type RequestEvent, type RequestStatus, type RequestType } from './request-machine.ts';

const walk = (type: RequestType, events: RequestEvent[], from: RequestStatus = 'pending_merchant'): RequestStatus => {
  let s = from;
  for (const e of events) {
    const t = nextStatus(s, e, type);
    assert.ok(t.ok, `${type}: ${s} --${e}-->`);
    s = t.to;
  }
  return s;
};

test('approval leads to money for a refund and to the return for a return or an exchange', () => {
  assert.equal(walk('refund_only', ['approve', 'refund_succeeded']), 'refunded');
  assert.equal(walk('return_refund', ['approve', 'ship_return', 'return_delivered', 'confirm_return', 'refund_succeeded']), 'refunded');
  assert.equal(walk('exchange', ['auto_approve', 'ship_return', 'confirm_return']), 'exchanged');
  assert.equal(walk('exchange', ['approve', 'ship_return', 'return_delivered', 'auto_refund']), 'refunding');
});

test('negotiation, rejection and arbitration', () => {
  assert.equal(walk('return_refund', ['propose', 'reject_proposal', 'request_proof', 'submit_proof', 'reject', 'escalate', 'decide_for_buyer']), 'awaiting_return');
  assert.equal(walk('return_refund', ['approve', 'ship_return', 'return_delivered', 'reject', 'escalate', 'decide_refund']), 'refunding');
  assert.equal(walk('refund_only', ['reject', 'escalate', 'decide_for_merchant']), 'closed');
  assert.equal(walk('refund_only', ['reject', 'escalation_timeout']), 'closed');
});

test('illegal moves are refused with the current state; terminal states accept nothing', () => {
  const t = nextStatus('refunding', 'withdraw', 'refund_only');
  assert.equal(t.ok, false);
  assert.equal(!t.ok && t.current, 'refunding');
  assert.equal(nextStatus('arbitration', 'withdraw', 'refund_only').ok, false, 'a case before the platform is not withdrawn silently');
  assert.equal(nextStatus('pending_merchant', 'ship_return', 'return_refund').ok, false);
  for (const s of ['refunded', 'exchanged', 'closed'] as RequestStatus[]) assert.ok(isTerminal(s));
  for (const s of REQUEST_STATUSES.filter((x) => !['refunded', 'exchanged', 'closed'].includes(x))) assert.ok(!isTerminal(s), s);
});

test('every deadline fires an event its state accepts', () => {
  for (const [status, d] of Object.entries(DEADLINES)) {
    for (const type of ['refund_only', 'return_refund', 'exchange'] as RequestType[]) assert.ok(nextStatus(status as RequestStatus, d.fires, type).ok, `${status} ${d.fires}`);
  }
});
