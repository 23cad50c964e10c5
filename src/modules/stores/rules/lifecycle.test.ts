import { test } from 'node:test';
import assert from 'node:assert/strict';
import { capabilities, transition, TRANSITIONS, type StoreAction, type StoreStatus } from './lifecycle.ts';

const ALL: StoreStatus[] = ['draft', 'in_review', 'rejected', 'awaiting_deposit', 'open', 'restricted', 'suspended', 'closed'];
const codeOf = (r: { ok: true; value: string } | { ok: false; code: string }) => (r.ok ? r.value : r.code);

test('the onboarding path: draft → in_review → awaiting_deposit → open', () => {
  assert.equal(codeOf(transition('draft', 'submit')), 'in_review');
  assert.equal(codeOf(transition('in_review', 'approve')), 'awaiting_deposit');
  assert.equal(codeOf(transition('awaiting_deposit', 'deposit_settled')), 'open');
});

test('review outcomes: reject and ask-more, then resubmit', () => {
  assert.equal(codeOf(transition('in_review', 'reject')), 'rejected');
  assert.equal(codeOf(transition('rejected', 'submit')), 'in_review');
  assert.equal(codeOf(transition('in_review', 'request_more')), 'draft');
});

test('operator actions on live stores, and closing from anywhere but closed', () => {
  assert.equal(codeOf(transition('open', 'restrict')), 'restricted');
  assert.equal(codeOf(transition('restricted', 'suspend')), 'suspended');
  assert.equal(codeOf(transition('suspended', 'reinstate')), 'open');
  for (const s of ALL.filter((s) => s !== 'closed')) assert.equal(codeOf(transition(s, 'close')), 'closed', s);
});

test('every other move is refused with the status and action named in both languages', () => {
  for (const [action, t] of Object.entries(TRANSITIONS) as [StoreAction, (typeof TRANSITIONS)[StoreAction]][]) {
    for (const s of ALL.filter((s) => !t.from.includes(s))) {
      const r = transition(s, action);
      assert.equal(r.ok, false, `${s} → ${action}`);
      if (!r.ok) {
        assert.equal(r.code, 'invalid_transition');
        assert.match(r.message_zh, /不能/);
      }
    }
  }
  assert.equal(codeOf(transition('draft', 'approve')), 'invalid_transition');
  assert.equal(codeOf(transition('closed', 'reinstate')), 'invalid_transition');
});

test('restricted stores still sell but cannot list; suspended ones are hidden', () => {
  assert.deepEqual(capabilities('restricted'), { visible_to_buyers: true, may_sell: true, may_list_products: false, may_edit_application: false });
  assert.equal(capabilities('suspended').visible_to_buyers, false);
  assert.equal(capabilities('rejected').may_edit_application, true);
});
