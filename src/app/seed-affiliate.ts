import type { AppContext } from './wire.ts';

/**
 * Demo affiliate pool (优选联盟): each store offers products to creators, 星河数码 gives the demo
 * creator 数码达人阿杰 an exclusive rate on its earbuds, and 阿杰 has selected a few products.
 */
export async function seedDemoAffiliate(ctx: AppContext, ids: { creator: string; stores: { store: string; owner: string }[] }): Promise<void> {
  // Rates by title keyword: phones carry thin margins, tea and clothes pay creators more.
  const plan: { match: string; rate_bp: number; exclusive_bp?: number; select: boolean }[] = [
    { match: '智能手机', rate_bp: 500, select: true },
    { match: '降噪蓝牙耳机', rate_bp: 2000, exclusive_bp: 2500, select: true },
    { match: '连衣裙', rate_bp: 2000, select: true },
    { match: '运动鞋', rate_bp: 1500, select: false },
    { match: '大红袍', rate_bp: 3000, select: true },
  ];
  for (const { store, owner } of ids.stores) {
    const products = (await ctx.catalog.listLiveProducts({ store_id: store, limit: 50 })).items;
    for (const p of products) {
      const entry = plan.find((e) => p.title.includes(e.match));
      if (!entry) continue;
      await ctx.affiliate.addOffer(store, {
        product_id: p.id, rate_bp: entry.rate_bp, ...(entry.exclusive_bp ? { exclusive_rates: [{ creator_id: ids.creator, rate_bp: entry.exclusive_bp }] } : {}),
      }, owner);
      if (entry.select) await ctx.affiliate.select(ids.creator, p.id);
    }
  }
}
