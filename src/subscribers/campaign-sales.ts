import type { Outbox } from '../db/outbox.ts';
import type { CampaignsModule } from '../modules/campaigns/index.ts';
import type { TradeModule } from '../modules/trade/index.ts';

export const CAMPAIGN_SALES_SUBSCRIBER = 'campaigns.sales';

/**
 * Campaigns follow trade's `order.paid`: the order's campaign lines go into the campaign's sales
 * read model (report) and, once recorded, into the in-memory rankings — within the outbox's
 * dispatch delay (milliseconds when workers run). Idempotent by line id. Phase changes and
 * reviews (possibly written by another process) make the main venue rebuild on its next read.
 */
export function subscribeCampaignSales(outbox: Outbox, deps: { trade: Pick<TradeModule, 'order' | 'lines'>; campaigns: Pick<CampaignsModule, 'recordPaidOrder' | 'invalidateVenue'> }): void {
  outbox.subscribe(CAMPAIGN_SALES_SUBSCRIBER, ['order.paid', 'campaign.phase_changed', 'campaign.registration_reviewed', 'campaign.registration_withdrawn', 'campaign.updated'], async (event, tx) => {
    if (event.type !== 'order.paid') return deps.campaigns.invalidateVenue();
    const orderId = event.payload.order_id as string;
    const order = await deps.trade.order(orderId, tx);
    if (!order) return;
    const lines = await deps.trade.lines(orderId, tx);
    if (lines.some((l) => l.campaign_id)) await deps.campaigns.recordPaidOrder(tx, order, lines);
  });
}
