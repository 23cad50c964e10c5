import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clampLimit, decodeCursor, encodeCursor, toPage } from './page.ts';

test('cursor round-trips and rejects garbage with a validation error', () => {
  assert.equal(decodeCursor(encodeCursor('prd_X')), 'prd_X');
  assert.equal(decodeCursor(undefined), undefined);
  assert.throws(() => decodeCursor('not-a-cursor'), (e: any) => e.code === 'invalid_cursor' && e.kind === 'validation');
});

test('toPage trims the extra row and points the cursor at the last item', () => {
  const p = toPage([{ id: 'a' }, { id: 'b' }, { id: 'c' }], 2, (r) => r.id);
  assert.deepEqual(p.items.map((r) => r.id), ['a', 'b']);
  assert.equal(decodeCursor(p.next_cursor!), 'b');
  assert.equal(toPage([{ id: 'a' }], 2, (r) => r.id).next_cursor, null);
  assert.equal(clampLimit(1000), 100);
  assert.equal(clampLimit(undefined), 20);
});
