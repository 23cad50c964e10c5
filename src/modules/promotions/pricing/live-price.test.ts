import { test } from 'node:test';
import assert from 'node:assert/strict';
import { livePriceProblems } from './live-price.ts';

const sku = { price_minor: 9900, stock: 50 };
const codes = (e: Parameters<typeof livePriceProblems>[0]) => livePriceProblems(e, sku).map((p) => p.code);

test('a live price below the original with stock within the SKU is valid', () => {
  assert.deepEqual(codes({ price_minor: 6900, live_stock: 10, limit_per_buyer: 2 }), []);
});

test('a live price at or above the original, too deep, or without stock is refused with every reason', () => {
  assert.deepEqual(codes({ price_minor: 9900, live_stock: 10 }), ['not_lower']);
  assert.deepEqual(codes({ price_minor: 500, live_stock: 0 }), ['price_too_low', 'invalid_stock']);
  assert.deepEqual(codes({ price_minor: 0, live_stock: 51, limit_per_buyer: 0 }), ['invalid_price', 'stock_over_sku', 'invalid_limit']);
});
