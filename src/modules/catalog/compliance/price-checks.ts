/**
 * Price anomalies. Prices are integer fen; all comparisons stay in integers.
 * - price ≤ 0: nothing can be sold for free through checkout (gifts are a promotion, not a SKU price).
 * - strikethrough below the price: a fake "original price".
 * - strikethrough shown but the price is above the 30-day low: the "discount" is really a
 *   raise-then-cut (先涨后降); an operator decides.
 * - a SKU priced 10× above or below the product's median: bait SKUs (¥0.01 "from" price) or typos.
 */
import type { Finding, SkuInput } from './compliance.types.ts';

export const SKU_PRICE_OUTLIER_FACTOR = 10;

function assertFen(value: number, what: string): void {
  // The HTTP edge validates; a float here is a programmer error.
  if (!Number.isSafeInteger(value)) throw new Error(`${what} must be an integer amount of fen, got ${value}`);
}

export function checkPrices(skus: readonly SkuInput[]): Finding[] {
  if (skus.length === 0) {
    return [{
      code: 'no_skus', severity: 'block', field: 'skus', details: {},
      message: 'A listing needs at least one SKU',
      message_zh: '商品至少需要一个规格（SKU）',
    }];
  }
  return [...skus.flatMap((sku, i) => checkSkuPrice(sku, i)), ...checkPriceOutliers(skus)];
}

export function checkSkuPrice(sku: SkuInput, i: number): Finding[] {
  const price = sku.price_minor;
  const list = sku.list_price_minor ?? null;
  const low = sku.recent_low_price_minor ?? null;
  assertFen(price, `skus[${i}].price_minor`);
  if (list !== null) assertFen(list, `skus[${i}].list_price_minor`);
  if (low !== null) assertFen(low, `skus[${i}].recent_low_price_minor`);

  if (price <= 0) {
    return [{
      code: 'non_positive_price', severity: 'block', field: `skus[${i}].price_minor`,
      message: 'Price must be greater than zero',
      message_zh: '售价必须大于0',
      details: { price_minor: price },
    }];
  }
  if (list === null) return [];
  const field = `skus[${i}].list_price_minor`;
  if (list < price) {
    return [{
      code: 'fake_strikethrough_price', severity: 'block', field,
      message: 'The strikethrough price is lower than the selling price',
      message_zh: '划线价低于售价，属于虚假原价',
      details: { price_minor: price, list_price_minor: list },
    }];
  }
  if (list === price) {
    return [{
      code: 'strikethrough_equals_price', severity: 'info', field,
      message: 'The strikethrough price equals the selling price and will not be shown',
      message_zh: '划线价与售价相同，将不予展示',
      details: { price_minor: price, list_price_minor: list },
    }];
  }
  if (low !== null && price > low) {
    return [{
      code: 'discount_above_recent_low', severity: 'review', field,
      message: 'Shown as discounted, but the price is above its lowest price in the last 30 days',
      message_zh: '标示优惠价，但售价高于近30天最低价，疑似先涨后降',
      details: { price_minor: price, list_price_minor: list, recent_low_price_minor: low },
    }];
  }
  return [];
}

/** Median of positive prices, doubled so it stays an integer for even counts. */
function doubledMedian(prices: readonly number[]): number {
  const sorted = [...prices].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? 2 * sorted[mid] : sorted[mid - 1] + sorted[mid];
}

export function checkPriceOutliers(skus: readonly SkuInput[]): Finding[] {
  const positive = skus.map((s) => s.price_minor).filter((p) => p > 0);
  if (positive.length < 2) return [];
  const median2 = doubledMedian(positive);
  const findings: Finding[] = [];
  skus.forEach((sku, i) => {
    const price = sku.price_minor;
    if (price <= 0) return; // already blocked
    // price > F × median  ⇔  2·price > F × 2·median;  price < median / F  ⇔  2·F·price < 2·median
    const high = 2 * price > SKU_PRICE_OUTLIER_FACTOR * median2;
    const low = 2 * SKU_PRICE_OUTLIER_FACTOR * price < median2;
    if (!high && !low) return;
    findings.push({
      code: 'sku_price_outlier', severity: 'review', field: `skus[${i}].price_minor`,
      message: `SKU price is more than ${SKU_PRICE_OUTLIER_FACTOR}× ${high ? 'above' : 'below'} the product's median SKU price`,
      message_zh: high
        ? `该规格售价超过同商品规格价格中位数的${SKU_PRICE_OUTLIER_FACTOR}倍`
        : `该规格售价低于同商品规格价格中位数的1/${SKU_PRICE_OUTLIER_FACTOR}`,
      details: { price_minor: price, median_price_minor: Math.round(median2 / 2), direction: high ? 'high' : 'low' },
    });
  });
  return findings;
}
