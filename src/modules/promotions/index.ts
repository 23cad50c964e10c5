import type { Clock } from '../../lib/clock.ts';
import type { Db } from '../../db/index.ts';
import type { Outbox } from '../../db/outbox.ts';
import { createCouponTemplates } from './coupon-templates.ts';
import { createCouponWallet } from './coupon-wallet.ts';
import { createFlashSales, type FlashSkuLookup } from './flash-sales.service.ts';
import { createLivePrices } from './live-prices.service.ts';
import type { ProductLookup } from './offer-checks.ts';
import { createPricer, type ShippingTemplateLookup } from './pricer.ts';
import { DEFAULT_POLICY, type PricingPolicy } from './pricing/index.ts';
import { createPromotionsRepo } from './promotions.repo.ts';
import { createRedemptions } from './redemptions.ts';
import { createThresholds } from './thresholds.service.ts';

export * from './pricing/index.ts';
export type { CouponTemplate, WalletCoupon, WalletState, ThresholdPromotionView, FlashSale, FlashPhase } from './offer-rows.ts';
export type { CouponTemplateInput, PlatformCouponInput, TemplatePatch, TemplateOwner } from './coupon-templates.ts';
export type { ClaimableCoupon } from './coupon-wallet.ts';
export type { ThresholdInput, PlatformThresholdInput, ThresholdPatch } from './thresholds.service.ts';
export type { FlashSaleInput, FlashSalePatch, FlashSkuFacts, FlashSkuLookup } from './flash-sales.service.ts';
export type { ProductFacts, ProductLookup } from './offer-checks.ts';
export type { LivePrice, LivePriceInput } from './live-prices.service.ts';
export type { StoreShippingTemplate, ShippingTemplateLookup } from './pricer.ts';
export type { OfferStatus, Scope } from './promotions.repo.ts';
export { NO_PROVINCE } from './pricer.ts';

export interface PromotionsDeps {
  db: Db;
  clock: Clock;
  outbox: Outbox;
  /** The platform's pricing policy (floors, the ¥200 fixed-coupon cap, flash-sale rules). */
  policy?: PricingPolicy;
  /** Store and category of products (catalog), for applicability checks and product pages. */
  products: ProductLookup;
  /** A SKU's store, price and available stock (catalog + inventory), for flash sales. */
  sku: FlashSkuLookup;
  /** The stores' default shipping templates (fulfillment). */
  shippingTemplates: ShippingTemplateLookup;
}

/**
 * Coupons (store and platform templates with budgets, buyers' wallets), threshold promotions
 * (满减), flash sales (限时抢购), and the pricing engine behind trade's Pricer port, with the
 * redemptions checkout takes in its transaction. Rules a newcomer must know: README.md here
 * and pricing/README.md.
 *
 * Events (outbox, same transaction): `coupon_template.created|updated` { template_id, scope,
 * store_id, … }, `coupon.claimed` { coupon_id, template_id, buyer_id, scope, store_id,
 * campaign_id }, `threshold_promotion.created|updated` { promotion_id, scope, store_id, … },
 * `flash_sale.created|updated` { flash_sale_id, store_id, sku_id, … }, `live_price.updated`
 * { live_price_id, room_id, store_id, product_id, sku_id, price_minor, status }.
 */
export function createPromotionsModule(deps: PromotionsDeps) {
  const policy = deps.policy ?? DEFAULT_POLICY;
  const repo = createPromotionsRepo(deps.db);
  const base = { db: deps.db, clock: deps.clock, outbox: deps.outbox, repo };
  return {
    policy,
    ...createCouponTemplates({ ...base, policy, products: deps.products }),
    ...createCouponWallet({ ...base, products: deps.products }),
    ...createThresholds({ ...base, products: deps.products }),
    ...createFlashSales({ ...base, policy, sku: deps.sku }),
    ...createLivePrices({ ...base, policy, sku: deps.sku }),
    /** Trade's Pricer port (see trade/pricing-port.ts). */
    pricer: createPricer({ repo, policy, shippingTemplates: deps.shippingTemplates }),
    /** Trade's Redemptions port: coupons and flash stock taken with the orders, given back on cancel. */
    redemptions: createRedemptions({ db: deps.db, clock: deps.clock, repo }),
  };
}
export type PromotionsModule = ReturnType<typeof createPromotionsModule>;
