import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isId, newId, ulid } from './ids.ts';

test('ids are prefixed by kind, unguessable and sort in creation order', () => {
  const ids = Array.from({ length: 1000 }, () => newId('ord'));
  assert.ok(ids.every((id) => isId(id, 'ord')));
  assert.deepEqual([...ids].sort(), ids);
  assert.equal(new Set(ids).size, ids.length);
  assert.ok(!isId(ids[0], 'sku'));
  assert.ok(!isId('ord_1'));
});

test('ulid time prefix follows the clock and never goes backwards', () => {
  const a = ulid(Date.UTC(2040, 0, 1));
  const b = ulid(Date.UTC(2050, 0, 1));
  assert.ok(b.slice(0, 10) > a.slice(0, 10));
  // a clock step backwards still yields a larger id (monotonic within the process)
  assert.ok(ulid(Date.UTC(2045, 0, 1)) > b);
});
