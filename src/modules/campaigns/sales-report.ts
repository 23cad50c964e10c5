/**
 * Campaign sales as an event-fed read model (campaigns_sales, one row per paid campaign line,
 * written by the order-events subscriber in the event's transaction) and the campaign report
 * computed from it. The fee is computed per line exactly as settlement does (lib/money
 * applyRateBp on what the line paid, rounded once), so before refunds the report's fee income
 * equals the ledger's settlement fee transfers for these orders to the fen; the platform's
 * discount cost equals the ledger's platform subsidy transfers.
 */
import { applyRateBp } from '../../lib/money.ts';
import type { Executor } from '../../db/index.ts';
import type { OrderLineRow, OrderRow } from '../trade/index.ts';
import type { SaleRow } from './campaigns.repo.ts';
import type { Ctx } from './context.ts';

interface LineDiscount { amount_minor?: number; platform_minor?: number; merchant_minor?: number; campaign_id?: string | null }

export interface CampaignReport {
  campaign_id: string;
  gmv_minor: number;
  goods_minor: number;
  orders: number;
  units: number;
  buyers: number;
  selling_stores: number;
  participating_stores: number;
  participating_items: number;
  discount: { total_minor: number; platform_minor: number; merchant_minor: number; campaign_offers_minor: number };
  fee_income_minor: number;
  top_items: { sku_id: string; product_id: string; store_id: string; title: string; units: number; gmv_minor: number }[];
  /** Pre-sale: GMV above counts a pre-sale order when its balance is paid (deposit + balance); deposits are shown here. */
  presale: PresaleSummary;
  currency: 'CNY';
  as_of: number;
}

export interface PresaleSummary {
  deposit_orders: number;
  deposits_taken_minor: number;
  awaiting_balance_orders: number;
  balance_paid_orders: number;
  balance_paid_units: number;
  forfeited_orders: number;
  forfeited_minor: number;
  refunded_orders: number;
  refunded_minor: number;
}

export function createSalesReport(ctx: Ctx, presaleSummary: (campaignId: string) => Promise<PresaleSummary>) {
  const { repo, clock } = ctx;
  return {
    /** Records an order's campaign lines once (by line id); returns what was new. */
    async recordSale(tx: Executor, order: Pick<OrderRow, 'id' | 'store_id' | 'buyer_id' | 'paid_at'>, lines: readonly OrderLineRow[]): Promise<SaleRow[]> {
      const out: SaleRow[] = [];
      for (const l of lines) {
        if (!l.campaign_id) continue;
        const d = JSON.parse(l.discounts) as LineDiscount[];
        const row: SaleRow = {
          line_id: l.id, campaign_id: l.campaign_id, order_id: order.id, store_id: order.store_id, buyer_id: order.buyer_id, product_id: l.product_id, sku_id: l.sku_id,
          category_id: l.category_id, title: l.title, quantity: l.quantity, goods_minor: Number(l.goods_minor), paid_minor: Number(l.paid_minor),
          platform_discount_minor: d.reduce((s, x) => s + (x.platform_minor ?? 0), 0), merchant_discount_minor: d.reduce((s, x) => s + (x.merchant_minor ?? 0), 0),
          campaign_discount_minor: d.filter((x) => x.campaign_id === l.campaign_id).reduce((s, x) => s + (x.amount_minor ?? 0), 0),
          fee_rate_bp: l.fee_rate_bp, fee_minor: applyRateBp(Number(l.paid_minor), l.fee_rate_bp), paid_at: Number(order.paid_at ?? clock.now()), recorded_at: clock.now(),
        };
        const r = await repo.q(tx).insertInto('campaigns_sales').values(row).onConflict((oc) => oc.column('line_id').doNothing()).executeTakeFirst();
        if (Number(r.numInsertedOrUpdatedRows ?? 1n) > 0) out.push(row);
      }
      return out;
    },

    /** Live: from the read model, so it moves as orders are paid. */
    async report(campaignId: string): Promise<CampaignReport> {
      const q = repo.q();
      const totals = await q.selectFrom('campaigns_sales').where('campaign_id', '=', campaignId)
        .select((eb) => [
          eb.fn.coalesce(eb.fn.sum<number>('paid_minor'), eb.lit(0)).as('gmv'),
          eb.fn.coalesce(eb.fn.sum<number>('goods_minor'), eb.lit(0)).as('goods'),
          eb.fn.coalesce(eb.fn.sum<number>('quantity'), eb.lit(0)).as('units'),
          eb.fn.coalesce(eb.fn.sum<number>('platform_discount_minor'), eb.lit(0)).as('platform'),
          eb.fn.coalesce(eb.fn.sum<number>('merchant_discount_minor'), eb.lit(0)).as('merchant'),
          eb.fn.coalesce(eb.fn.sum<number>('campaign_discount_minor'), eb.lit(0)).as('campaign'),
          eb.fn.coalesce(eb.fn.sum<number>('fee_minor'), eb.lit(0)).as('fee'),
          eb.fn.count<number>('order_id').distinct().as('orders'),
          eb.fn.count<number>('buyer_id').distinct().as('buyers'),
          eb.fn.count<number>('store_id').distinct().as('stores'),
        ]).executeTakeFirstOrThrow();
      const regs = await q.selectFrom('campaigns_registrations').where('campaign_id', '=', campaignId).where('status', '=', 'approved')
        .select((eb) => [eb.fn.countAll<number>().as('items'), eb.fn.count<number>('store_id').distinct().as('stores')]).executeTakeFirstOrThrow();
      const top = await q.selectFrom('campaigns_sales').where('campaign_id', '=', campaignId)
        .select(['sku_id', 'product_id', 'store_id', 'title']).select((eb) => [eb.fn.sum<number>('quantity').as('units'), eb.fn.sum<number>('paid_minor').as('gmv')])
        .groupBy(['sku_id', 'product_id', 'store_id', 'title']).orderBy('units', 'desc').orderBy('sku_id').limit(10).execute();
      const platform = Number(totals.platform);
      const merchant = Number(totals.merchant);
      return {
        campaign_id: campaignId, gmv_minor: Number(totals.gmv), goods_minor: Number(totals.goods), orders: Number(totals.orders), units: Number(totals.units), buyers: Number(totals.buyers),
        selling_stores: Number(totals.stores), participating_stores: Number(regs.stores), participating_items: Number(regs.items),
        discount: { total_minor: platform + merchant, platform_minor: platform, merchant_minor: merchant, campaign_offers_minor: Number(totals.campaign) },
        fee_income_minor: Number(totals.fee),
        top_items: top.map((t) => ({ sku_id: t.sku_id, product_id: t.product_id, store_id: t.store_id, title: t.title, units: Number(t.units), gmv_minor: Number(t.gmv) })),
        presale: await presaleSummary(campaignId),
        currency: 'CNY', as_of: clock.now(),
      };
    },
  };
}
