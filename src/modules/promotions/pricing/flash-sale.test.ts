import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateFlashSale, type FlashSaleEntry, type FlashSaleSku } from './flash-sale.ts';
import { HOUR_MS, NOW } from './pricing.fixtures.ts';

const sku: FlashSaleSku = { sku_id: 'sku_1', price_minor: 10000, stock: 500 }; // ¥100, 500 in stock
const entry = (e: Partial<FlashSaleEntry> = {}): FlashSaleEntry => ({
  flash_sale_id: 'fs_1', sku_id: 'sku_1', start_ms: NOW, end_ms: NOW + 2 * HOUR_MS, price_minor: 6900, flash_stock: 200, limit_per_buyer: 2, ...e,
});
const codes = (e: FlashSaleEntry, s: FlashSaleSku = sku) => {
  const r = validateFlashSale(e, s);
  return r.ok ? [] : r.details.problems.map((p) => p.code);
};

test('accepts a 2-hour ¥69 flash sale on a ¥100 SKU with stock to spare', () => {
  assert.deepEqual(validateFlashSale(entry(), sku), { ok: true });
});

test('accepts the edges: exactly 24 h, exactly 10% and exactly 85% of the original, exactly ¥10 lower, stock equal to the SKU', () => {
  assert.deepEqual(codes(entry({ end_ms: NOW + 24 * HOUR_MS })), []);
  assert.deepEqual(codes(entry({ price_minor: 1000 })), []); // 10%
  assert.deepEqual(codes(entry({ price_minor: 8500 })), []); // 85%, ¥15 lower
  assert.deepEqual(codes(entry({ price_minor: 5000 }), { ...sku, price_minor: 6000 }), []); // ¥10 lower, 83%
  assert.deepEqual(codes(entry({ flash_stock: 500 })), []);
});

test('rejects a flash sale longer than 24 hours', () => {
  const r = validateFlashSale(entry({ end_ms: NOW + 24 * HOUR_MS + 1 }), sku);
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.equal(r.code, 'invalid_flash_sale');
  assert.equal(r.details.problems[0].code, 'too_long');
  assert.match(r.message_zh, /24小时/);
});

test('rejects a price below 10% of the original (too deep to be real stock clearance)', () => {
  assert.deepEqual(codes(entry({ price_minor: 999 })), ['price_too_low']);
});

test('rejects a price above 85% of the original', () => {
  assert.deepEqual(codes(entry({ price_minor: 8501 })), ['price_too_high']);
});

test('rejects a price less than ¥10 below the original even inside the band', () => {
  // ¥50 → ¥42: 84% of the original, but only ¥8 off
  const r = validateFlashSale(entry({ price_minor: 4200 }), { ...sku, price_minor: 5000 });
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.deepEqual(r.details.problems.map((p) => p.code), ['saving_too_small']);
  assert.deepEqual(r.details.problems[0].details, { price_minor: 4200, original_minor: 5000, saving_minor: 800 });
  assert.match(r.message_zh, /至少低¥10\.00/);
});

test('rejects flash stock above the SKU stock', () => {
  assert.deepEqual(codes(entry({ flash_stock: 501 })), ['stock_over_sku']);
});

test('rejects an end before the start, a zero per-buyer limit, a non-positive price and another SKU, all at once', () => {
  const r = validateFlashSale(entry({ end_ms: NOW - 1, limit_per_buyer: 0, price_minor: 0, sku_id: 'sku_2', flash_stock: 0 }), sku);
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.deepEqual(r.details.problems.map((p) => p.code).sort(), ['invalid_limit', 'invalid_price', 'invalid_stock', 'invalid_window', 'sku_mismatch']);
  assert.equal(r.message_zh.split('；').length, 5);
});

test('the bounds come from the policy', () => {
  const rules = { max_duration_ms: 2 * HOUR_MS, min_price_bp: 3000, max_price_bp: 9000, min_saving_minor: 500 };
  assert.deepEqual(validateFlashSale(entry({ price_minor: 8800 }), sku, rules), { ok: true });
  const r = validateFlashSale(entry({ price_minor: 2000, end_ms: NOW + 3 * HOUR_MS }), sku, rules);
  assert.deepEqual(r.ok ? [] : r.details.problems.map((p) => p.code), ['too_long', 'price_too_low']);
});
