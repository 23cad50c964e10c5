/**
 * Live-room price rules, checked when a live price is set or changed (like a flash sale's,
 * without the window, which is the room's live period): a positive price below the SKU's
 * original price and at least the policy's minimum share of it (min_price_bp), live stock a
 * positive whole number no larger than the SKU's stock, a per-buyer limit of at least 1.
 */
import type { Problem } from './offer-rules.ts';
import { DEFAULT_POLICY } from './policy.ts';
import type { FlashSaleRules } from './pricing.types.ts';

export interface LivePriceEntry {
  price_minor: number;
  live_stock: number;
  limit_per_buyer?: number | null;
}

export function livePriceProblems(entry: LivePriceEntry, sku: { price_minor: number; stock: number }, rules: FlashSaleRules = DEFAULT_POLICY.flash_sale): Problem[] {
  const out: Problem[] = [];
  const add = (code: string, message: string, message_zh: string, details?: Record<string, unknown>) => out.push({ code, message, message_zh, ...(details ? { details } : {}) });
  const { price_minor: price, live_stock: stock, limit_per_buyer: limit } = entry;
  const orig = sku.price_minor;
  if (!Number.isSafeInteger(price) || price <= 0) add('invalid_price', 'the live price must be a positive amount of fen', '直播价须为正整数（分）');
  else {
    const d = { price_minor: price, original_minor: orig };
    if (price >= orig) add('not_lower', 'the live price must be below the original price', '直播价须低于原价', d);
    // price / orig ≥ min_bp / 10000 ⇔ price × 10000 ≥ orig × min_bp (exact in integers)
    if (price * 10000 < orig * rules.min_price_bp) add('price_too_low', `the live price must be at least ${rules.min_price_bp / 100}% of the original`, `直播价不能低于原价的${rules.min_price_bp / 100}%`, d);
  }
  if (!Number.isSafeInteger(stock) || stock <= 0) add('invalid_stock', 'live stock must be a positive whole number', '直播库存须为正整数');
  else if (stock > sku.stock) add('stock_over_sku', `live stock ${stock} exceeds the SKU's stock ${sku.stock}`, `直播库存${stock}件超过商品库存${sku.stock}件`, { live_stock: stock, sku_stock: sku.stock });
  if (limit !== undefined && limit !== null && (!Number.isSafeInteger(limit) || limit < 1)) add('invalid_limit', 'the per-buyer limit must be at least 1', '每人限购数量须至少为1');
  return out;
}
