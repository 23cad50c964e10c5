/**
 * 限时抢购 rules, checked when a merchant creates or edits a flash sale (and again whenever
 * the SKU's price or stock changes while one is scheduled): at most 24 h long, a price between
 * 10% and 85% of the original and at least ¥10 below it, flash stock never above the SKU's stock.
 * All bounds come from the policy; all comparisons are exact integer arithmetic.
 */
import { formatCny } from '../../../lib/money.ts';
import type { Problem } from './offer-rules.ts';
import { DEFAULT_POLICY } from './policy.ts';
import type { FlashSaleRules } from './pricing.types.ts';

export interface FlashSaleEntry {
  flash_sale_id: string;
  sku_id: string;
  start_ms: number;
  end_ms: number;
  price_minor: number;
  flash_stock: number;
  limit_per_buyer?: number | null;
}

export interface FlashSaleSku {
  sku_id: string;
  /** The SKU's current (original) price. */
  price_minor: number;
  stock: number;
}

export type FlashSaleCheck =
  | { ok: true }
  | { ok: false; code: 'invalid_flash_sale'; message: string; message_zh: string; details: { flash_sale_id: string; problems: Problem[] } };

const pct = (bp: number) => `${bp / 100}%`;

export function validateFlashSale(entry: FlashSaleEntry, sku: FlashSaleSku, rules: FlashSaleRules = DEFAULT_POLICY.flash_sale): FlashSaleCheck {
  const problems: Problem[] = [];
  const add = (code: string, message: string, message_zh: string, details?: Record<string, unknown>) => problems.push({ code, message, message_zh, ...(details ? { details } : {}) });
  const int = (n: number) => Number.isSafeInteger(n);

  if (entry.sku_id !== sku.sku_id) add('sku_mismatch', 'the flash sale is for another SKU', '活动商品与SKU不一致', { entry_sku_id: entry.sku_id, sku_id: sku.sku_id });
  if (!int(entry.start_ms) || !int(entry.end_ms) || entry.end_ms <= entry.start_ms) {
    add('invalid_window', 'the end must be after the start', '结束时间须晚于开始时间');
  } else if (entry.end_ms - entry.start_ms > rules.max_duration_ms) {
    const hours = rules.max_duration_ms / 3_600_000;
    add('too_long', `a flash sale lasts at most ${hours} h`, `限时抢购时长不能超过${hours}小时`, { duration_ms: entry.end_ms - entry.start_ms, max_ms: rules.max_duration_ms });
  }
  priceProblems(entry, sku, rules, add);
  if (!int(entry.flash_stock) || entry.flash_stock <= 0) add('invalid_stock', 'flash stock must be a positive whole number', '活动库存须为正整数');
  else if (entry.flash_stock > sku.stock) add('stock_over_sku', `flash stock ${entry.flash_stock} exceeds the SKU's stock ${sku.stock}`, `活动库存${entry.flash_stock}件超过商品库存${sku.stock}件`, { flash_stock: entry.flash_stock, sku_stock: sku.stock });
  const limit = entry.limit_per_buyer;
  if (limit !== undefined && limit !== null && (!int(limit) || limit < 1)) add('invalid_limit', 'the per-buyer limit must be at least 1', '每人限购数量须至少为1');

  if (problems.length === 0) return { ok: true };
  return {
    ok: false,
    code: 'invalid_flash_sale',
    message: problems.map((p) => p.message).join('; '),
    message_zh: problems.map((p) => p.message_zh).join('；'),
    details: { flash_sale_id: entry.flash_sale_id, problems },
  };
}

function priceProblems(entry: FlashSaleEntry, sku: FlashSaleSku, rules: FlashSaleRules, add: (c: string, m: string, z: string, d?: Record<string, unknown>) => void): void {
  const price = entry.price_minor;
  const orig = sku.price_minor;
  if (!Number.isSafeInteger(price) || price <= 0) {
    add('invalid_price', 'the flash price must be a positive amount of fen', '活动价须为正整数（分）');
    return;
  }
  const d = { price_minor: price, original_minor: orig };
  // price / orig ≥ min_bp / 10000  ⇔  price × 10000 ≥ orig × min_bp  (exact in integers)
  if (price * 10000 < orig * rules.min_price_bp) add('price_too_low', `the flash price must be at least ${pct(rules.min_price_bp)} of the original`, `活动价不能低于原价的${pct(rules.min_price_bp)}`, d);
  if (price * 10000 > orig * rules.max_price_bp) add('price_too_high', `the flash price must be at most ${pct(rules.max_price_bp)} of the original`, `活动价不能高于原价的${pct(rules.max_price_bp)}`, d);
  if (orig - price < rules.min_saving_minor) {
    add('saving_too_small', `the flash price must be at least ${formatCny(rules.min_saving_minor)} below the original`, `活动价须比原价至少低${formatCny(rules.min_saving_minor)}`, { ...d, saving_minor: orig - price });
  }
}
