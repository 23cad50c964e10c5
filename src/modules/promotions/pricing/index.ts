/**
 * The pricing engine of module `promotions`: pure functions over plain data. The module's
 * index.ts re-exports this; other code never imports files in this folder directly.
 */
export { price } from './price.ts';
export { orderPricing, type OrderPricing } from './breakdown.ts';
export { bestCoupons, type BestCoupons } from './best-coupons.ts';
export { validateFlashSale, type FlashSaleEntry, type FlashSaleSku, type FlashSaleCheck } from './flash-sale.ts';
export { livePriceProblems, type LivePriceEntry } from './live-price.ts';
export { couponProblems, promotionProblems, type Problem } from './offer-rules.ts';
export { DEFAULT_POLICY, assertPolicy, policyWith, withStage } from './policy.ts';
export { KNOWN_CODES } from './reasons.ts';
export type * from './pricing.types.ts';
