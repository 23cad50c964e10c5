import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { drawWinners, seedCommitment, sortedEligible } from './lucky-draw.ts';

const seed = 'a3'.repeat(32);
const ids = Array.from({ length: 50 }, (_, i) => `acc_${String(i).padStart(3, '0')}`);

test('the same seed and eligible set give the same winners, whatever the input order', () => {
  const a = drawWinners(seed, ids, 5);
  const b = drawWinners(seed, [...ids].reverse().concat(ids.slice(0, 3)), 5);
  assert.deepEqual(a, b);
  assert.equal(new Set(a).size, 5);
  for (const w of a) assert.ok(ids.includes(w));
});

test('the published commitment is sha256 of the seed; another seed or another eligible set gives another draw', () => {
  assert.equal(seedCommitment(seed), createHash('sha256').update(seed).digest('hex'));
  assert.notDeepEqual(drawWinners('b4'.repeat(32), ids, 5), drawWinners(seed, ids, 5));
  assert.notDeepEqual(drawWinners(seed, ids.slice(1), 5), drawWinners(seed, ids, 5));
});

test('more winners than eligible viewers: everyone wins; none eligible: nobody', () => {
  assert.deepEqual(drawWinners(seed, ids.slice(0, 3), 10).sort(), sortedEligible(ids.slice(0, 3)));
  assert.deepEqual(drawWinners(seed, [], 3), []);
});

test('every eligible viewer is about equally likely to win', () => {
  const wins = new Map<string, number>();
  const pool = ids.slice(0, 10);
  for (let i = 0; i < 4000; i++) {
    const s = i.toString(16).padStart(64, '0');
    for (const w of drawWinners(s, pool, 1)) wins.set(w, (wins.get(w) ?? 0) + 1);
  }
  for (const id of pool) assert.ok(Math.abs((wins.get(id) ?? 0) - 400) < 100, `${id}: ${wins.get(id)}`);
});
