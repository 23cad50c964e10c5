import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allocate } from '../../../lib/money.ts';
import { allocateCapped, floorAmount, splitFunding } from './allocation.ts';

test('leftover fen go to the largest fractional remainder, and on a tie to the largest line', () => {
  // 1000 over ¥79.80 and ¥59.00: 574.93 / 425.07 → the .93 line gets the fen
  assert.deepEqual(allocate(1000, [7980, 5900]), [575, 425]);
  // 2 over 100 and 300: 0.5 and 1.5, equal remainders → the larger line
  assert.deepEqual(allocate(2, [100, 300]), [0, 2]);
  // equal lines, equal remainders → the earliest (canonical order makes that deterministic)
  assert.deepEqual(allocate(1, [500, 500]), [1, 0]);
});

test('allocateCapped is plain proportional allocation when no cap binds', () => {
  assert.deepEqual(allocateCapped(1000, [7980, 5900], [7980, 5900]), allocate(1000, [7980, 5900]));
});

test('allocateCapped holds a line at its cap and spreads the rest proportionally over the others', () => {
  // line 0 may lose only 100 more (it is near its floor); the rest goes to lines 1 and 2 by weight
  const parts = allocateCapped(1000, [1000, 3000, 1000], [100, 2400, 800]);
  assert.deepEqual(parts, [100, 675, 225]);
  assert.equal(parts.reduce((s, p) => s + p, 0), 1000);
});

test('allocateCapped cascades when holding one line pushes another over', () => {
  const parts = allocateCapped(900, [1000, 1000, 1000], [100, 200, 1000]);
  assert.deepEqual(parts, [100, 200, 600]);
});

test('allocateCapped refuses a total above the caps and ignores lines with no headroom', () => {
  assert.throws(() => allocateCapped(301, [1000, 1000], [100, 200]));
  assert.deepEqual(allocateCapped(50, [1000, 1000], [0, 200]), [0, 50]);
  assert.deepEqual(allocateCapped(0, [1000], [0]), [0]);
});

test('a shared discount splits exactly: per-line platform and merchant parts sum to each line and to the totals', () => {
  const shares = [333, 333, 334];
  const { platform, merchant } = splitFunding({ funder: 'shared', platform_share_bp: 3000 }, shares);
  assert.equal(platform.reduce((s, p) => s + p, 0), 300); // 30% of 1000
  shares.forEach((s, i) => assert.equal(platform[i] + merchant[i], s));
  assert.ok([...platform, ...merchant].every((x) => x >= 0));
  assert.deepEqual(splitFunding({ funder: 'platform' }, [5, 7]), { platform: [5, 7], merchant: [0, 0] });
  assert.deepEqual(splitFunding({ funder: 'merchant' }, [5, 7]), { platform: [0, 0], merchant: [5, 7] });
});

test('a floor rounds up so a line never ends below 20% of its price, to the fen', () => {
  assert.equal(floorAmount(10000, 2000), 2000);
  assert.equal(floorAmount(999, 2000), 200); // 199.8 → 200
  assert.equal(floorAmount(1, 2000), 1);
  assert.equal(floorAmount(12345, 0), 0);
});
