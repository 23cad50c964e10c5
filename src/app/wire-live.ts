import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import type { Db } from '../db/index.ts';
import type { Outbox } from '../db/outbox.ts';
import type { Scheduler } from '../db/scheduler.ts';
import type { AffiliateModule } from '../modules/affiliate/index.ts';
import type { CatalogModule } from '../modules/catalog/index.ts';
import { createLiveModule, type LiveModule } from '../modules/live/index.ts';
import type { PromotionsModule } from '../modules/promotions/index.ts';
import type { TradeModule } from '../modules/trade/index.ts';
import type { Config } from './config.ts';
import { subscribeLiveSales } from '../subscribers/live-sales.ts';

/** Live rooms ask catalog (shelf products) and promotions (live prices); sales come from trade's order events. */
export function wireLive(d: { config: Config; db: Db; clock: Clock; log: Logger; outbox: Outbox; scheduler: Scheduler; catalog: CatalogModule; promotions: PromotionsModule; trade: TradeModule; affiliate: AffiliateModule }): LiveModule {
  const live = createLiveModule({
    db: d.db, clock: d.clock, log: d.log, outbox: d.outbox, scheduler: d.scheduler,
    hub: { flushMs: d.config.liveFlushMs }, bannedWords: d.config.content?.bannedWords ?? [],
    products: async (ids) => new Map([...(await d.catalog.getProducts(ids)).values()].map((p) => [p.id, {
      product_id: p.id, store_id: p.store_id, title: p.title, image: p.images[0] ?? null, price_minor: Math.min(...p.skus.map((s) => s.price_minor)), on_sale: p.status === 'live',
    }])),
    livePrices: (roomId) => d.promotions.livePricesOfRoom(roomId),
    creatorMaySell: (creatorId, productId) => d.affiliate.creatorMaySell(creatorId, productId),
    prices: {
      open: (tx, roomId, at) => d.promotions.openLivePrices(tx, roomId, at),
      close: (tx, roomId, at) => d.promotions.closeLivePrices(tx, roomId, at),
      stopProduct: (tx, roomId, productId) => d.promotions.stopLivePrices(tx, roomId, { product_id: productId }),
    },
  });
  subscribeLiveSales(d.outbox, { trade: d.trade, live });
  return live;
}
