import type { Clock } from '../lib/clock.ts';
import type { Db } from '../db/index.ts';
import type { Outbox } from '../db/outbox.ts';
import type { Scheduler } from '../db/scheduler.ts';
import { createCampaignsModule, type CampaignsModule } from '../modules/campaigns/index.ts';
import type { CatalogModule } from '../modules/catalog/index.ts';
import type { InventoryModule } from '../modules/inventory/index.ts';
import type { PaymentsModule } from '../modules/payments/index.ts';
import type { PromotionsModule } from '../modules/promotions/index.ts';
import { capabilities, type StoresModule } from '../modules/stores/index.ts';
import type { TradeModule } from '../modules/trade/index.ts';
import { subscribeCampaignSales } from '../subscribers/campaign-sales.ts';

/** Campaigns asks stores (type, score, may sell), catalog (SKUs, categories, price history), inventory (stock) and promotions (满减, coupons). */
export function wireCampaigns(d: { db: Db; clock: Clock; outbox: Outbox; scheduler: Scheduler; stores: StoresModule; catalog: CatalogModule; inventory: InventoryModule; promotions: PromotionsModule }): CampaignsModule {
  return createCampaignsModule({
    db: d.db, clock: d.clock, outbox: d.outbox, scheduler: d.scheduler, promotions: d.promotions,
    stores: async (ids) => new Map([...(await d.stores.getStores(ids)).values()].map((s) => [s.id, { id: s.id, name: s.name, subject_type: s.subject_type, score: s.score, may_sell: capabilities(s.status).may_sell }])),
    saleSnapshots: (ids) => d.catalog.saleSnapshots(ids),
    parentCategory: async (id) => (await d.catalog.getCategory(id)).parent_id,
    lowestPriceSince: (skuId, since) => d.catalog.lowestPriceSince(skuId, since),
    available: async (ids) => new Map([...(await d.inventory.levels(ids)).values()].map((l) => [l.sku_id, l.available])),
  });
}

/** After trade and payments exist: paid campaign lines feed the report and the rankings; refunds come out of both. */
export function wireCampaignEvents(d: { outbox: Outbox; trade: TradeModule; payments: PaymentsModule; campaigns: CampaignsModule }): void {
  subscribeCampaignSales(d.outbox, { trade: d.trade, payments: d.payments, campaigns: d.campaigns });
}
