/** Builders for the pricing tests: a cart, coupons, promotions and templates with defaults. */
import assert from 'node:assert/strict';
import { DAY_MS, HOUR_MS } from '../../../lib/clock.ts';
import { price } from './price.ts';
import { DEFAULT_POLICY } from './policy.ts';
import type { CartLine, Coupon, PricedCart, PricedLine, PricingInput, PricingPolicy, ShippingTemplate, ThresholdPromotion } from './pricing.types.ts';

/** 2026-11-11 12:00 UTC: Double 11. */
export const NOW = Date.UTC(2026, 10, 11, 12, 0, 0);
export const WINDOW = { valid_from_ms: NOW - DAY_MS, valid_to_ms: NOW + DAY_MS };
export { HOUR_MS, DAY_MS };

export function line(line_id: string, store_id: string, unit_price_minor: number, quantity = 1, extra: Partial<CartLine> = {}): CartLine {
  return { line_id, store_id, sku_id: `sku_${line_id}`, product_id: `prd_${line_id}`, category_id: 'cat_food', quantity, unit_price_minor, ...extra };
}

export function coupon(coupon_id: string, c: Partial<Coupon> & Pick<Coupon, 'kind'>): Coupon {
  return { coupon_id, scope: 'store', store_id: 'store_a', funder: 'merchant', ...WINDOW, ...c };
}

export function promotion(promotion_id: string, p: Partial<ThresholdPromotion> & Pick<ThresholdPromotion, 'rule'>): ThresholdPromotion {
  return { promotion_id, scope: 'store', store_id: 'store_a', funder: 'merchant', ...WINDOW, ...p };
}

/** ¥8 first item, ¥2 each additional, free over ¥99; 新疆/西藏 ¥20 + ¥10 and never free. */
export function template(store_id: string, extra: Partial<ShippingTemplate> = {}): ShippingTemplate {
  return {
    template_id: `tpl_${store_id}`,
    store_id,
    basis: 'quantity',
    rules: [
      { provinces: ['新疆维吾尔自治区', '西藏自治区'], first_units: 1, first_fee_minor: 2000, additional_units: 1, additional_fee_minor: 1000 },
      { provinces: '*', first_units: 1, first_fee_minor: 800, additional_units: 1, additional_fee_minor: 200 },
    ],
    free_over_minor: 9900,
    no_free_provinces: ['新疆维吾尔自治区', '西藏自治区'],
    ...extra,
  };
}

export function cart(lines: CartLine[], extra: Partial<PricingInput> = {}): PricingInput {
  const stores = [...new Set(lines.map((l) => l.store_id))];
  return { lines, coupons: [], promotions: [], shipping_templates: stores.map((s) => template(s)), province: '浙江省', now_ms: NOW, ...extra };
}

/** Prices and asserts success. */
export function priced(input: PricingInput, policy: PricingPolicy = DEFAULT_POLICY): PricedCart {
  const r = price(input, policy);
  if (!r.ok) assert.fail(`expected a priced cart, got ${r.code}: ${r.message}`);
  return r.value;
}

export const lineOf = (c: PricedCart, id: string): PricedLine => {
  const l = c.lines.find((x) => x.line_id === id);
  assert.ok(l, `no line ${id}`);
  return l;
};
export const storeOf = (c: PricedCart, id: string) => {
  const s = c.stores.find((x) => x.store_id === id);
  assert.ok(s, `no store ${id}`);
  return s;
};
export const stepOf = (c: PricedCart, source_id: string) => c.steps.find((s) => s.source_id === source_id);
export const rejectionOf = (c: PricedCart, source_id: string) => c.not_applied.find((s) => s.source_id === source_id);
/** The fen one source took off each line, in line order. */
export const sharesOf = (c: PricedCart, source_id: string) => c.lines.map((l) => l.discounts.find((d) => d.source_id === source_id)?.amount_minor ?? 0);
