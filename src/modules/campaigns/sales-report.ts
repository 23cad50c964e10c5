/**
 * Campaign sales as an event-fed read model (campaigns_sales, one row per paid campaign line,
 * written by the order-events subscriber in the event's transaction) and the campaign report
 * computed from it. The fee is computed per line exactly as settlement does (lib/money
 * applyRateBp on what the line paid, rounded once), so the report's fee income equals the
 * ledger's settlement fee transfers for these orders to the fen; the platform's discount cost
 * equals the ledger's platform subsidy transfers. Refunds follow payments' refund events: each
 * line keeps what payments has booked back on it (absolute, so a redelivered event changes
 * nothing) and the report nets it out with settlement's arithmetic (sales-math.ts), so it still
 * equals the ledger after refunds, before or after settlement.
 */
import { applyRateBp } from '../../lib/money.ts';
import type { Executor } from '../../db/index.ts';
import type { OrderLineRow, OrderRow } from '../trade/index.ts';
import type { SaleRow } from './campaigns.repo.ts';
import type { Ctx } from './context.ts';
import { netOfRefunds, unitsRefunded } from './sales-math.ts';

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
  /** Booked back to buyers on campaign lines (already netted out of everything above). */
  refunds: { lines: number; orders: number; refunded_minor: number; units: number };
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

/** A line's refund as payments has it (payments' line funds): booked back in all, and the part after settlement. */
export interface LineRefunds { line_id: string; refunded_minor: number; refunded_after_settlement_minor: number }
/** A change of a line's refunded units, for the rankings. */
export type RefundChange = Pick<SaleRow, 'line_id' | 'campaign_id' | 'sku_id' | 'paid_at'> & { units_delta: number };

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
          refunded_minor: 0, refunded_after_settlement_minor: 0, refunded_units: 0,
        };
        const r = await repo.q(tx).insertInto('campaigns_sales').values(row).onConflict((oc) => oc.column('line_id').doNothing()).executeTakeFirst();
        if (Number(r.numInsertedOrUpdatedRows ?? 1n) > 0) out.push(row);
      }
      return out;
    },

    /** Whether an order has campaign lines recorded (refund events of other orders stop here). */
    async hasSales(ex: Executor, orderId: string): Promise<boolean> {
      return (await repo.q(ex).selectFrom('campaigns_sales').select('line_id').where('order_id', '=', orderId).limit(1).executeTakeFirst()) !== undefined;
    },

    /**
     * Copies what payments has booked back on an order's campaign lines (absolute amounts: a
     * redelivered or late event writes the same numbers). Returns the lines whose refunded units
     * changed, with the change, for the rankings.
     */
    async recordRefunds(tx: Executor, orderId: string, refunds: readonly LineRefunds[]): Promise<RefundChange[]> {
      const byLine = new Map(refunds.map((r) => [r.line_id, r]));
      const rows = await repo.q(tx).selectFrom('campaigns_sales').select(['line_id', 'campaign_id', 'sku_id', 'paid_at', 'quantity', 'paid_minor', 'refunded_minor', 'refunded_after_settlement_minor', 'refunded_units'])
        .where('order_id', '=', orderId).execute();
      const changes: RefundChange[] = [];
      for (const row of rows) {
        const r = byLine.get(row.line_id);
        if (!r) continue;
        const units = unitsRefunded(Number(row.quantity), Number(row.paid_minor), r.refunded_minor);
        if (Number(row.refunded_minor) === r.refunded_minor && Number(row.refunded_after_settlement_minor) === r.refunded_after_settlement_minor) continue;
        await repo.q(tx).updateTable('campaigns_sales')
          .set({ refunded_minor: r.refunded_minor, refunded_after_settlement_minor: r.refunded_after_settlement_minor, refunded_units: units })
          .where('line_id', '=', row.line_id).execute();
        if (units !== Number(row.refunded_units)) changes.push({ line_id: row.line_id, campaign_id: row.campaign_id, sku_id: row.sku_id, paid_at: Number(row.paid_at), units_delta: units - Number(row.refunded_units) });
      }
      return changes;
    },

    /** Live: from the read model, so it moves as orders are paid and refunded. */
    async report(campaignId: string): Promise<CampaignReport> {
      const q = repo.q();
      const sum = (eb: any, col: string) => eb.fn.coalesce(eb.fn.sum(col), eb.lit(0));
      const totals = await q.selectFrom('campaigns_sales').where('campaign_id', '=', campaignId)
        .select((eb) => [
          sum(eb, 'paid_minor').as('paid'), sum(eb, 'refunded_minor').as('refunded'), sum(eb, 'goods_minor').as('goods'), sum(eb, 'quantity').as('units'),
          sum(eb, 'refunded_units').as('refunded_units'), sum(eb, 'platform_discount_minor').as('platform'), sum(eb, 'merchant_discount_minor').as('merchant'),
          sum(eb, 'campaign_discount_minor').as('campaign'), sum(eb, 'fee_minor').as('fee'),
        ]).executeTakeFirstOrThrow();
      // Lines with refunds (few): their gross amounts come out of the sums and their net amounts go in, with settlement's arithmetic.
      const refundedRows = await q.selectFrom('campaigns_sales').selectAll().where('campaign_id', '=', campaignId).where('refunded_minor', '>', 0).execute();
      const adjust = { goods: 0, platform: 0, merchant: 0, campaign: 0, fee: 0 };
      for (const r of refundedRows) {
        const n = netOfRefunds({
          quantity: Number(r.quantity), goods_minor: Number(r.goods_minor), paid_minor: Number(r.paid_minor), platform_discount_minor: Number(r.platform_discount_minor),
          merchant_discount_minor: Number(r.merchant_discount_minor), campaign_discount_minor: Number(r.campaign_discount_minor), fee_rate_bp: Number(r.fee_rate_bp),
          refunded_minor: Number(r.refunded_minor), refunded_after_settlement_minor: Number(r.refunded_after_settlement_minor),
        });
        adjust.goods += n.goods_minor - Number(r.goods_minor);
        adjust.platform += n.platform_discount_minor - Number(r.platform_discount_minor);
        adjust.merchant += n.merchant_discount_minor - Number(r.merchant_discount_minor);
        adjust.campaign += n.campaign_discount_minor - Number(r.campaign_discount_minor);
        adjust.fee += n.fee_minor - Number(r.fee_minor);
      }
      // An order, buyer or store counts while something it paid is not refunded.
      const counts = await q.selectFrom('campaigns_sales').where('campaign_id', '=', campaignId)
        .where((eb) => eb.or([eb('refunded_minor', '<', eb.ref('paid_minor')), eb('paid_minor', '=', 0)]))
        .select((eb) => [eb.fn.count<number>('order_id').distinct().as('orders'), eb.fn.count<number>('buyer_id').distinct().as('buyers'), eb.fn.count<number>('store_id').distinct().as('stores')])
        .executeTakeFirstOrThrow();
      const regs = await q.selectFrom('campaigns_registrations').where('campaign_id', '=', campaignId).where('status', '=', 'approved')
        .select((eb) => [eb.fn.countAll<number>().as('items'), eb.fn.count<number>('store_id').distinct().as('stores')]).executeTakeFirstOrThrow();
      const top = await q.selectFrom('campaigns_sales').where('campaign_id', '=', campaignId)
        .select(['sku_id', 'product_id', 'store_id', 'title'])
        .select((eb) => [eb.fn.sum<number>(eb('quantity', '-', eb.ref('refunded_units'))).as('units'), eb.fn.sum<number>(eb('paid_minor', '-', eb.ref('refunded_minor'))).as('gmv')])
        .groupBy(['sku_id', 'product_id', 'store_id', 'title']).orderBy('units', 'desc').orderBy('sku_id').limit(10).execute();
      const platform = Number(totals.platform) + adjust.platform;
      const merchant = Number(totals.merchant) + adjust.merchant;
      return {
        campaign_id: campaignId, gmv_minor: Number(totals.paid) - Number(totals.refunded), goods_minor: Number(totals.goods) + adjust.goods, orders: Number(counts.orders),
        units: Number(totals.units) - Number(totals.refunded_units), buyers: Number(counts.buyers),
        selling_stores: Number(counts.stores), participating_stores: Number(regs.stores), participating_items: Number(regs.items),
        discount: { total_minor: platform + merchant, platform_minor: platform, merchant_minor: merchant, campaign_offers_minor: Number(totals.campaign) + adjust.campaign },
        fee_income_minor: Number(totals.fee) + adjust.fee,
        top_items: top.map((t) => ({ sku_id: t.sku_id, product_id: t.product_id, store_id: t.store_id, title: t.title, units: Number(t.units), gmv_minor: Number(t.gmv) })),
        refunds: {
          lines: refundedRows.length, orders: new Set(refundedRows.map((r) => r.order_id)).size, refunded_minor: Number(totals.refunded), units: Number(totals.refunded_units),
        },
        presale: await presaleSummary(campaignId),
        currency: 'CNY', as_of: clock.now(),
      };
    },
  };
}
