import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseYuan, yuan } from './format.ts';

test('money is shown as ¥ with two decimals from fen', () => {
  assert.equal(yuan(0), '¥0.00');
  assert.equal(yuan(5), '¥0.05');
  assert.equal(yuan(43400), '¥434.00');
  assert.equal(yuan(269900), '¥2,699.00');
  assert.equal(yuan(-2000), '-¥20.00');
});

test('typed prices parse into fen without floats', () => {
  assert.equal(parseYuan('12.5'), 1250);
  assert.equal(parseYuan('0.07'), 7);
  assert.equal(parseYuan('199'), 19900);
  assert.equal(parseYuan('1.234'), null);
  assert.equal(parseYuan('abc'), null);
});
