import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { codes } from './compliance.fixtures.ts';
import type { SkuInput } from './compliance.types.ts';
import { checkPrices } from './price-checks.ts';

const sku = (price_minor: number, extra: Partial<SkuInput> = {}): SkuInput => ({ spec: {}, price_minor, ...extra });

describe('price checks', () => {
  it('accepts positive prices with a genuine discount', () => {
    assert.deepEqual(checkPrices([sku(5900, { list_price_minor: 9900, recent_low_price_minor: 5900 }), sku(6900)]), []);
  });

  it('blocks a listing without SKUs', () => {
    assert.deepEqual(checkPrices([]).map((f) => [f.code, f.severity, f.field]), [['no_skus', 'block', 'skus']]);
  });

  it('blocks a zero or negative price on that SKU', () => {
    const found = checkPrices([sku(5900), sku(0), sku(-1)]);
    assert.deepEqual(found.map((f) => [f.code, f.severity, f.field]), [
      ['non_positive_price', 'block', 'skus[1].price_minor'],
      ['non_positive_price', 'block', 'skus[2].price_minor'],
    ]);
  });

  it('blocks a strikethrough price below the selling price', () => {
    const [f] = checkPrices([sku(5900, { list_price_minor: 4900 })]);
    assert.deepEqual([f.code, f.severity, f.field], ['fake_strikethrough_price', 'block', 'skus[0].list_price_minor']);
  });

  it('notes a strikethrough equal to the price without affecting the decision', () => {
    const [f] = checkPrices([sku(5900, { list_price_minor: 5900 })]);
    assert.deepEqual([f.code, f.severity], ['strikethrough_equals_price', 'info']);
  });

  it('sends a "discount" above the 30-day low to review (先涨后降)', () => {
    const [f] = checkPrices([sku(7900, { list_price_minor: 9900, recent_low_price_minor: 5900 })]);
    assert.deepEqual([f.code, f.severity, f.details.recent_low_price_minor], ['discount_above_recent_low', 'review', 5900]);
  });

  it('does not judge against the 30-day low when no strikethrough is shown or the low is unknown', () => {
    assert.deepEqual(checkPrices([sku(7900, { recent_low_price_minor: 5900 })]), []);
    assert.deepEqual(checkPrices([sku(7900, { list_price_minor: 9900, recent_low_price_minor: null })]), []);
  });

  it('sends a SKU priced over 10× the median to review', () => {
    const found = checkPrices([sku(1000), sku(1200), sku(12001)]);
    assert.deepEqual(found.map((f) => [f.code, f.field, f.details.direction, f.details.median_price_minor]), [
      ['sku_price_outlier', 'skus[2].price_minor', 'high', 1200],
    ]);
  });

  it('sends a bait SKU under 1/10 of the median to review', () => {
    const found = checkPrices([sku(1), sku(5900), sku(6900)]);
    assert.deepEqual(found.map((f) => [f.code, f.severity, f.field, f.details.direction]), [['sku_price_outlier', 'review', 'skus[0].price_minor', 'low']]);
  });

  it('accepts SKUs exactly at 10× and 1/10 of the median', () => {
    assert.deepEqual(checkPrices([sku(100), sku(1000), sku(10000)]), []);
  });

  it('uses the mean of the two middle prices for an even number of SKUs', () => {
    // median = (100 + 5000) / 2 = 2550; 100 × 10 < 2550, 5000 < 25500
    assert.deepEqual(codes(checkPrices([sku(100), sku(5000)])), ['sku_price_outlier']);
    assert.deepEqual(codes(checkPrices([sku(1000), sku(5000)])), []);
  });

  it('crashes on a fractional price, which the edge should have rejected', () => {
    assert.throws(() => checkPrices([sku(59.5)]), /integer amount of fen/);
  });
});
