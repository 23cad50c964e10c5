import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePercent, percent } from './rates.ts';
import { combos, keyOf, skusOf, splitValues } from './skus.ts';

test('spec values split on Chinese and Latin separators, trimmed and without repeats', () => {
  assert.deepEqual(splitValues('黑色, 白色，雾霾蓝、黑色;  '), ['黑色', '白色', '雾霾蓝']);
  assert.deepEqual(splitValues(' '), []);
});

test('every combination of the spec values is a SKU; no dimension is one SKU without a spec', () => {
  assert.deepEqual(combos([{ name: '颜色', values: '黑色,白色' }, { name: '尺码', values: 'S,M' }]), [
    { 颜色: '黑色', 尺码: 'S' }, { 颜色: '黑色', 尺码: 'M' }, { 颜色: '白色', 尺码: 'S' }, { 颜色: '白色', 尺码: 'M' },
  ]);
  assert.deepEqual(combos([{ name: '', values: '黑色' }, { name: '尺码', values: '' }]), [{}]);
});

test('rows become SKUs in fen, and each bad row is named with its problem', () => {
  const specs = combos([{ name: '颜色', values: '黑色,白色,银色' }]);
  const [black, white, silver] = specs.map(keyOf);
  const { skus, errors } = skusOf(specs, {
    [black]: { price: '59.9', list: '79', stock: '20' },
    [white]: { price: '12.345', list: '', stock: '3' },
    [silver]: { price: '10', list: '9', stock: '1' },
  });
  assert.deepEqual(skus[0], { spec: { 颜色: '黑色' }, price_minor: 5990, list_price_minor: 7900, stock: 20 });
  assert.deepEqual(errors, { [white]: 'm.p.badPrice', [silver]: 'm.p.badListPrice' });
  assert.deepEqual(skusOf(specs.slice(0, 1), { [black]: { price: '1', list: '', stock: '-1' } }).errors, { [black]: 'm.p.badStock' });
  assert.deepEqual(skusOf(specs.slice(0, 1), {}).errors, { [black]: 'm.p.badPrice' });
});

test('commission rates: basis points shown as percent and typed percent parsed without floats', () => {
  assert.equal(percent(500), '5%');
  assert.equal(percent(1250), '12.5%');
  assert.equal(percent(1234), '12.34%');
  assert.equal(parsePercent('12.5'), 1250);
  assert.equal(parsePercent('7%'), 700);
  assert.equal(parsePercent('0.07'), 7);
  assert.equal(parsePercent('1.234'), null);
  assert.equal(parsePercent('abc'), null);
});
