import { DAY_MS } from '../lib/clock.ts';
import type { AppContext } from './wire.ts';

const REMOTE = ['新疆维吾尔自治区', '西藏自治区'];

/**
 * Demo shipping and promotions: a shipping template per store (¥8 first item, ¥2 each more, free
 * over the store's threshold; remote regions ¥20 + ¥10 and never free), 星河数码's 满199减20 store
 * coupon, and a platform-funded 每满50减5 across all stores that stacks with store coupons.
 */
export async function seedDemoPromotions(ctx: AppContext, ids: { operator: string; xinghe: { store: string; owner: string }; stores: string[] }): Promise<void> {
  const now = ctx.clock.now();
  for (const storeId of ids.stores) {
    await ctx.fulfillment.saveTemplate(storeId, {
      name: '默认运费模板', is_default: true, free_threshold_minor: storeId === ids.xinghe.store ? 9_900 : 8_800, excluded_provinces: REMOTE,
      rules: [
        { provinces: REMOTE, first_units: 1, first_fee_minor: 2_000, additional_units: 1, additional_fee_minor: 1_000 },
        { provinces: '*', first_units: 1, first_fee_minor: 800, additional_units: 1, additional_fee_minor: 200 },
      ],
    });
  }
  await ctx.promotions.createStoreCoupon(ids.xinghe.store, {
    name: '星河数码满199减20', kind: 'threshold', threshold_minor: 19_900, off_minor: 2_000, valid_from_ms: now, valid_to_ms: now + 30 * DAY_MS,
    total_quantity: 1_000, per_buyer_limit: 1,
  }, ids.xinghe.owner);
  await ctx.promotions.createPlatformThreshold({
    name: '平台每满50减5', rule: { kind: 'every', step_minor: 5_000, off_minor: 500 }, funder: 'platform',
    valid_from_ms: now, valid_to_ms: now + 30 * DAY_MS,
  }, ids.operator);
}
