import { test } from 'node:test';
import assert from 'node:assert/strict';
import { timeLeft, viewOf } from './presale-view.ts';

const from = '2026-11-11T00:00:00.000Z', to = '2026-11-12T00:00:00.000Z';
const at = (iso: string) => Date.parse(iso);

test('a paid deposit waits for the balance window, is due from its first millisecond and closed at its end', () => {
  const p = { stage: 'deposit_paid' as const, balance_from: from, balance_to: to };
  assert.equal(viewOf(p, at(from) - 1), 'waiting_balance');
  assert.equal(viewOf(p, at(from)), 'balance_due');
  assert.equal(viewOf(p, at(to) - 1), 'balance_due');
  assert.equal(viewOf(p, at(to)), 'balance_late');
});

test('other stages are shown as the server says, whatever the time', () => {
  for (const stage of ['awaiting_deposit', 'balance_paid', 'cancelled', 'forfeited', 'refunded'] as const) {
    assert.equal(viewOf({ stage, balance_from: from, balance_to: to }, at(from)), stage);
  }
});

test('the countdown splits what is left into days, hours, minutes and seconds and stops at zero', () => {
  assert.deepEqual(timeLeft(from, at(from) - (2 * 86_400 + 3 * 3600 + 4 * 60 + 5) * 1000), { d: 2, h: 3, m: 4, s: 5 });
  assert.deepEqual(timeLeft(from, at(from) - 999), { d: 0, h: 0, m: 0, s: 0 });
  assert.deepEqual(timeLeft(from, at(from) + 60_000), { d: 0, h: 0, m: 0, s: 0 });
});
