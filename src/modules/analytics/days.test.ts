import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dayStartMs, daysBetween, isDay, lastDays, shanghaiDay } from './days.ts';

test('a day is the calendar day in Asia/Shanghai (UTC+8)', () => {
  assert.equal(shanghaiDay(Date.parse('2026-11-25T15:59:59.999Z')), '2026-11-25');
  assert.equal(shanghaiDay(Date.parse('2026-11-25T16:00:00Z')), '2026-11-26', '00:00 in Beijing is 16:00 UTC the day before');
  assert.equal(dayStartMs('2026-11-26'), Date.parse('2026-11-25T16:00:00Z'));
});

test('day ranges include both ends and cross month ends', () => {
  assert.deepEqual(daysBetween('2026-02-27', '2026-03-01'), ['2026-02-27', '2026-02-28', '2026-03-01']);
  assert.deepEqual(daysBetween('2026-03-02', '2026-03-01'), []);
  assert.deepEqual(lastDays(Date.parse('2026-11-25T17:00:00Z'), 2), { from: '2026-11-25', to: '2026-11-26' });
});

test('only real calendar days are days', () => {
  assert.deepEqual(['2026-02-28', '2026-02-30', '2026-13-01', '26-01-01', '2026-1-01'].map(isDay), [true, false, false, false, false]);
});
