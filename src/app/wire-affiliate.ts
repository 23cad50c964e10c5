import type { Db, Executor } from '../db/index.ts';
import type { Outbox } from '../db/outbox.ts';
import type { Clock } from '../lib/clock.ts';
import { createAffiliateModule, type AffiliateModule, type CommissionLedgerLine } from '../modules/affiliate/index.ts';
import { createAnalyticsModule, type AnalyticsModule } from '../modules/analytics/index.ts';
import type { CatalogModule } from '../modules/catalog/index.ts';
import type { IdentityModule } from '../modules/identity/index.ts';
import type { LedgerModule } from '../modules/ledger/index.ts';
import type { PaymentsModule } from '../modules/payments/index.ts';
import type { TradeModule } from '../modules/trade/index.ts';
import { snapshotCommissions, subscribeAffiliateToOrders } from '../subscribers/affiliate-orders.ts';
import { subscribeAnalyticsToOrders } from '../subscribers/analytics-orders.ts';

/**
 * Affiliate with its collaborators: catalog (products offered to creators), identity (who is a
 * creator, their public names), the ledger (a creator's commission account, for earnings).
 * Analytics needs only its database; both follow orders through subscribers (see wireAffiliateEvents).
 */
export function wireAffiliate(d: { db: Db; clock: Clock; catalog: CatalogModule; identity: IdentityModule; ledger: LedgerModule }): { affiliate: AffiliateModule; analytics: AnalyticsModule } {
  const affiliate = createAffiliateModule({
    db: d.db, clock: d.clock,
    ports: {
      async products(ids) {
        const products = await d.catalog.getProducts(ids);
        return new Map([...products.values()].map((p) => {
          const prices = p.skus.filter((s) => s.status === 'active').map((s) => s.price_minor);
          return [p.id, { id: p.id, store_id: p.store_id, category_id: p.category_id, title: p.title, image: p.images[0] ?? null, price_minor: prices.length ? Math.min(...prices) : 0, live: p.status === 'live' && prices.length > 0 }];
        }));
      },
      async creators(ids) {
        const out = new Map<string, { display_name: string }>();
        for (const id of ids) {
          const a = await d.identity.getAccount(id).catch(() => null);
          if (a && a.status === 'active' && a.roles.includes('creator')) out.set(id, { display_name: a.display_name });
        }
        return out;
      },
      async creatorNames(ids) {
        return new Map([...(await d.identity.profiles(ids))].map(([id, p]) => [id, p.display_name]));
      },
      async commissionLedger(creatorId) {
        const account = await d.ledger.findAccount(d.db.kysely, 'creator_commission_payable', creatorId);
        if (!account) return { balance_minor: 0, lines: [] };
        const lines: CommissionLedgerLine[] = [];
        let cursor: string | undefined;
        do {
          const page = await d.ledger.statement(account.id, { limit: 100, cursor });
          for (const l of page.items) lines.push({ reason: l.reason, amount_minor: l.amount_minor, ref_id: l.ref_id });
          cursor = page.next_cursor ?? undefined;
        } while (cursor);
        return { balance_minor: account.balance_minor, lines };
      },
    },
  });
  return { affiliate, analytics: createAnalyticsModule({ db: d.db, clock: d.clock }) };
}

/**
 * Settlement's commission rate for a creator line: the rate affiliate snapshotted when the order
 * was paid (snapshotted now, in settlement's transaction, if the paid event has not been handled
 * yet); 0 for a line whose product was not in the pool or not selected by that creator.
 */
export function commissionRateFor(d: { trade: TradeModule; affiliate: AffiliateModule }) {
  return async (line: { line_id: string; order_id: string }, tx: Executor): Promise<number> => {
    let rate = await d.affiliate.lineRate(tx, line.line_id);
    if (rate === undefined) {
      await snapshotCommissions(tx, d, line.order_id);
      rate = await d.affiliate.lineRate(tx, line.line_id);
    }
    return rate ?? 0;
  };
}

export function wireAffiliateEvents(d: { outbox: Outbox; trade: TradeModule; payments: PaymentsModule; affiliate: AffiliateModule; analytics: AnalyticsModule }): void {
  subscribeAffiliateToOrders(d.outbox, d);
  subscribeAnalyticsToOrders(d.outbox, d);
}
