import type { Clock } from '../lib/clock.ts';
import { AppError } from '../lib/errors.ts';
import type { Db } from '../db/index.ts';
import type { Outbox } from '../db/outbox.ts';
import type { CatalogModule } from '../modules/catalog/index.ts';
import { createCsModule, type CsModule } from '../modules/cs/index.ts';
import { capabilities, type StoresModule } from '../modules/stores/index.ts';
import type { TradeModule } from '../modules/trade/index.ts';

/**
 * Customer service asks catalog whether a product is on sale (and its card), trade whether an
 * order is the buyer's (and its card), stores whether buyers may contact a store; messages are
 * checked against the platform's banned words (content's list plus XIAODIAN_CONTENT_BANNED_WORDS).
 */
export function wireCs(d: { db: Db; clock: Clock; outbox: Outbox; catalog: CatalogModule; stores: StoresModule; trade: TradeModule; bannedWords: readonly string[] }): CsModule {
  return createCsModule({
    db: d.db, clock: d.clock, outbox: d.outbox, config: { bannedWords: d.bannedWords },
    ports: {
      products: async (ids) => new Map([...(await d.catalog.getProducts(ids)).values()].map((p) => {
        const prices = p.skus.filter((s) => s.status === 'active').map((s) => s.price_minor);
        return [p.id, { id: p.id, store_id: p.store_id, title: p.title, image: p.images[0] ?? null, price_minor: prices.length ? Math.min(...prices) : 0, on_sale: p.status === 'live' && prices.length > 0 }];
      })),
      stores: async (ids) => new Map([...(await d.stores.getStores(ids)).values()].map((s) => [s.id, { id: s.id, contactable: capabilities(s.status).visible_to_buyers }])),
      buyerOrder: async (buyerId, orderId) => {
        try {
          const { order } = await d.trade.buyerOrder(buyerId, orderId);
          const first = order.lines[0];
          return {
            id: order.id, store_id: order.store_id, title: first?.title ?? order.id, image: first?.image ?? null,
            items: order.lines.reduce((n, l) => n + l.quantity, 0), total_minor: order.total_minor, status: order.status,
          };
        } catch (e) {
          if (e instanceof AppError && e.kind === 'not_found') return null;
          throw e;
        }
      },
    },
  });
}
