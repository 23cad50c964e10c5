import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { guard, reviewStatusFor, statusAfterReview } from './product-status.ts';

describe('product lifecycle', () => {
  it('a review decides the status: pass → live, review → in_review, reject → rejected', () => {
    assert.equal(statusAfterReview('draft', 'pass'), 'live');
    assert.equal(statusAfterReview('live', 'review'), 'in_review');
    assert.equal(statusAfterReview('in_review', 'reject'), 'rejected');
    assert.equal(statusAfterReview('relisting', 'pass'), 'live');
  });
  it('an edit of a delisted product leaves it delisted; only relisting puts it back', () => {
    assert.equal(statusAfterReview('delisted', 'pass'), 'delisted');
    assert.equal(reviewStatusFor('review', 'delisted'), 'withdrawn');
    assert.equal(reviewStatusFor('review', 'in_review'), 'pending');
  });
  it('guards say why an action is not allowed', () => {
    assert.deepEqual(guard('delist', 'live'), { ok: true });
    const g = guard('relist', 'live');
    assert.equal(g.ok, false);
    assert.equal(!g.ok && g.code, 'cannot_relist');
    assert.equal(guard('approve', 'live').ok, false);
    assert.equal(guard('delist', 'delisted').ok, false);
  });
});
