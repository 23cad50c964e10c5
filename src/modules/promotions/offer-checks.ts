/**
 * Checks shared by coupon templates, threshold promotions and flash sales at creation/edit,
 * on top of the engine's own (`couponProblems`, `promotionProblems`, `validateFlashSale`).
 * Every problem is collected and explained, in English and Chinese, in one 422.
 */
import { AppError } from '../../lib/errors.ts';
import type { Applicability, Problem } from './pricing/index.ts';

/** What promotions needs to know about products (the catalog answers, through wire.ts). */
export interface ProductFacts {
  product_id: string;
  store_id: string;
  category_id: string;
}
export type ProductLookup = (productIds: readonly string[]) => Promise<Map<string, ProductFacts>>;

export function invalidOffer(code: string, problems: Problem[]): AppError {
  return new AppError('business_rule', code, problems.map((p) => p.message).join('; '), { problems }).zh(problems.map((p) => p.message_zh).join('；'));
}

export function windowProblems(o: { valid_to_ms: number }, now: number): Problem[] {
  return o.valid_to_ms <= now ? [{ code: 'already_ended', message: 'the validity period has already ended', message_zh: '有效期已结束' }] : [];
}

/** A store's offer may name only that store's products, and never other stores. */
export async function storeScopeProblems(storeId: string, a: Applicability, products: ProductLookup): Promise<Problem[]> {
  const out: Problem[] = [];
  if (a.store_ids?.length) out.push({ code: 'store_ids_not_allowed', message: 'a store offer cannot name other stores', message_zh: '店铺优惠不能指定其他店铺' });
  const ids = [...new Set([...(a.product_ids ?? []), ...(a.exclude_product_ids ?? [])])];
  if (ids.length) {
    const found = await products(ids);
    const foreign = ids.filter((id) => found.get(id)?.store_id !== storeId);
    if (foreign.length) out.push({ code: 'unknown_products', message: `products not in this store: ${foreign.join(', ')}`, message_zh: '指定的商品不属于本店铺', details: { product_ids: foreign } });
  }
  return out;
}

/** Applicability without empty lists, so stored JSON stays small and means "any" plainly. */
export function compactApplicability(a: Applicability | undefined): Applicability {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(a ?? {})) if (Array.isArray(v) && v.length) out[k] = [...new Set(v as string[])];
  return out as Applicability;
}
