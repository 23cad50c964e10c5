import { test } from 'node:test';
import assert from 'node:assert/strict';
import { boundaries, phaseAt, timeProblems } from './phases.ts';

const t = { registration_start_ms: 100, review_start_ms: 200, warmup_start_ms: 300, selling_start_ms: 400, selling_end_ms: 500 };

test('a campaign is in the phase its times say, boundaries inclusive at the start', () => {
  assert.deepEqual([99, 100, 199, 200, 300, 399, 400, 499, 500].map((n) => phaseAt(t, n)),
    ['scheduled', 'registration', 'registration', 'review', 'warmup', 'warmup', 'selling', 'selling', 'ended']);
  assert.deepEqual(boundaries(t).map((b) => b.phase), ['registration', 'review', 'warmup', 'selling', 'ended']);
});

test('refuses phases out of order, explained in both languages', () => {
  const p = timeProblems({ ...t, warmup_start_ms: 150 });
  assert.equal(p[0].code, 'phases_out_of_order');
  assert.match(p[0].message_zh, /递增/);
  assert.deepEqual(timeProblems(t), []);
});
