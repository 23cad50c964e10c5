import type { Outbox } from '../db/outbox.ts';
import type { CampaignsModule, PresaleTakeStage } from '../modules/campaigns/index.ts';
import type { TradeModule } from '../modules/trade/index.ts';

export const CAMPAIGN_SALES_SUBSCRIBER = 'campaigns.sales';

function presaleStage(type: string, event: string | undefined): PresaleTakeStage | null {
  if (type === 'order.deposit_paid') return 'deposit_paid';
  if (type === 'order.cancelled') return 'cancelled';
  if (type === 'order.closed') return event === 'forfeit' ? 'forfeited' : event === 'merchant_cancel' || event === 'campaign_cancel' ? 'refunded' : null;
  return null;
}

/**
 * Campaigns follow trade's `order.paid`: the order's campaign lines go into the campaign's sales
 * read model (report) and, once recorded, into the in-memory rankings — within the outbox's
 * dispatch delay (milliseconds when workers run). Idempotent by line id. Phase changes and
 * reviews (possibly written by another process) make the main venue rebuild on its next read.
 * Pre-sale orders' deposits follow their order (deposit paid, balance paid, forfeited, refunded,
 * cancelled) into the report's pre-sale part.
 */
export function subscribeCampaignSales(outbox: Outbox, deps: { trade: Pick<TradeModule, 'order' | 'lines'>; campaigns: Pick<CampaignsModule, 'recordPaidOrder' | 'invalidateVenue' | 'recordPresaleStage'> }): void {
  const types = ['order.paid', 'order.deposit_paid', 'order.closed', 'order.cancelled', 'campaign.phase_changed', 'campaign.registration_reviewed', 'campaign.registration_withdrawn', 'campaign.updated'];
  outbox.subscribe(CAMPAIGN_SALES_SUBSCRIBER, types, async (event, tx) => {
    if (!event.type.startsWith('order.')) return deps.campaigns.invalidateVenue();
    const orderId = event.payload.order_id as string;
    const stage = presaleStage(event.type, event.payload.event as string | undefined);
    if (event.type !== 'order.paid') {
      if (stage) await deps.campaigns.recordPresaleStage(tx, orderId, stage);
      return;
    }
    const order = await deps.trade.order(orderId, tx);
    if (!order) return;
    if (order.kind === 'presale') await deps.campaigns.recordPresaleStage(tx, orderId, 'balance_paid');
    const lines = await deps.trade.lines(orderId, tx);
    if (lines.some((l) => l.campaign_id)) await deps.campaigns.recordPaidOrder(tx, order, lines);
  });
}
