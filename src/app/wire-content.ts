import type { Clock } from '../lib/clock.ts';
import type { Db } from '../db/index.ts';
import type { Outbox } from '../db/outbox.ts';
import { LocalObjectStorage, type CatalogModule } from '../modules/catalog/index.ts';
import { createContentModule, type ContentConfig, type ContentModule, type LiveRoomPort } from '../modules/content/index.ts';

/**
 * Content asks catalog for product facts (status, price range for the cards), live rooms
 * whether a 'live' attribution claim holds (the room is live with the product on its shelf), and
 * affiliate which products a creator may link (selected from the pool) — see
 * src/modules/content/README.md.
 */
export function wireContent(d: { db: Db; clock: Clock; outbox: Outbox; catalog: CatalogModule; mediaDir: string; config: ContentConfig; live?: LiveRoomPort; creatorMayLink?(creatorId: string, productIds: readonly string[]): Promise<Set<string>> }): ContentModule {
  return createContentModule({
    db: d.db, clock: d.clock, outbox: d.outbox, storage: new LocalObjectStorage(d.mediaDir), config: d.config, live: d.live, creatorMayLink: d.creatorMayLink,
    products: async (ids) => new Map([...(await d.catalog.getProducts(ids)).values()].map((p) => {
      const prices = p.skus.filter((s) => s.status === 'active').map((s) => s.price_minor);
      return [p.id, {
        id: p.id, store_id: p.store_id, title: p.title, image: p.images[0] ?? null,
        price_min_minor: prices.length ? Math.min(...prices) : 0, price_max_minor: prices.length ? Math.max(...prices) : 0, live: p.status === 'live' && prices.length > 0,
      }];
    })),
  });
}
