import { DAY_MS, MINUTE_MS } from '../lib/clock.ts';
import type { AppContext } from './wire.ts';

/**
 * The demo festival 双11好物节: registration opens at start-up, review a minute later, warm-up
 * (main venue visible, reservation coupon open) after two minutes, selling after three, for a
 * week. Demo SKUs of the three stores are registered 10–20% below their price and approved; the
 * campaign runs a platform-funded 满300减30 that stacks with store coupons, participating items
 * pay a 1% technical service fee, and a 预约券 (满200减20, 500 of them) can be reserved in warm-up.
 */
export async function seedDemoCampaign(ctx: AppContext, ids: { operator: string; stores: { store: string; owner: string }[] }): Promise<void> {
  const now = ctx.clock.now();
  const categories = new Map((await ctx.catalog.listCategories()).map((c) => [c.code, c.id]));
  const cat = (code: string) => categories.get(code)!;
  const products = (await Promise.all(ids.stores.map(async (s) => (await ctx.catalog.listStoreProducts(s.store, { limit: 50 })).items.map((p) => ({ ...p, owner: s.owner }))))).flat();
  const tea = products.find((p) => p.category_id === cat('food.tea'));
  const campaign = await ctx.campaigns.createCampaign({
    name: '双11好物节', description: '全场好物直降，跨店满300减30，预约再领满200减20券',
    times: { registration_start_ms: now, review_start_ms: now + MINUTE_MS, warmup_start_ms: now + 2 * MINUTE_MS, selling_start_ms: now + 3 * MINUTE_MS, selling_end_ms: now + 7 * DAY_MS },
    rules: { min_discount_bp: 500, min_stock: 10 },
    fee_rate_bp: 100,
    threshold: { name: '双11跨店满300减30', rule: { kind: 'tiers', tiers: [{ threshold_minor: 30_000, off_minor: 3_000 }] }, funder: 'platform', stacks_with: ['*'] },
    sections: [
      { key: 'digital', title: '数码焕新', kind: 'category', category_ids: [cat('digital.phone'), cat('digital.audio')] },
      { key: 'fashion', title: '潮流服饰', kind: 'category', category_ids: [cat('apparel.women'), cat('apparel.shoes')] },
      ...(tea ? [{ key: 'picks', title: '产地好物', kind: 'theme' as const, product_ids: [tea.id] }] : []),
    ],
  }, ids.operator);
  await ctx.campaigns.createReservationOffer(campaign.id, { name: '双11预约券 满200减20', coupon: { kind: 'threshold', off_minor: 2_000, threshold_minor: 20_000 }, budget: 500, per_buyer_limit: 1 }, ids.operator);
  await ctx.scheduler.runDue(); // registration opens now
  const registered: string[] = [];
  for (const p of products) {
    const sku = p.skus.find((s) => s.status === 'active');
    if (!sku) continue;
    const stock = p.category_id === cat('apparel.women') || p.category_id === cat('apparel.shoes') ? 10 : 50;
    const off = p.category_id === cat('digital.phone') ? 1_000 : 2_000; // 10% or 20% below today's (= 30-day low) price
    // A demo product that a rule refuses (e.g. not live) is left out rather than failing start-up.
    const r = await ctx.campaigns.register(campaign.id, p.store_id, { sku_id: sku.id, campaign_price_minor: Math.floor((sku.price_minor * (10_000 - off)) / 10_000), campaign_stock: stock }, p.owner).catch(() => null);
    if (r) registered.push(r.id);
  }
  await ctx.campaigns.review(campaign.id, registered.map((id) => ({ registration_id: id, decision: 'approve' as const })), ids.operator);
}
