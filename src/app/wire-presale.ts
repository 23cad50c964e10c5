import type { Clock } from '../lib/clock.ts';
import type { Db } from '../db/index.ts';
import type { Outbox } from '../db/outbox.ts';
import type { Scheduler } from '../db/scheduler.ts';
import { createPresaleFlow, PRESALE_CAMPAIGN_CANCELLED_JOB, type PresaleFlow } from '../flows/presale.ts';
import type { CampaignsModule } from '../modules/campaigns/index.ts';
import type { PaymentsModule } from '../modules/payments/index.ts';
import { PRESALE_DUE_JOB, type TradeModule } from '../modules/trade/index.ts';

export const PRESALE_CAMPAIGN_SUBSCRIBER = 'presale.campaign_cancelled';

/**
 * Pre-sale (预售): the flow over campaigns, trade and payments, its durable jobs (the balance
 * window's end per order; a cancelled campaign's open orders) and the subscriber that turns a
 * cancelled campaign into that job (money never moves from an event handler: the job's flow does).
 */
export function wirePresale(d: { db: Db; clock: Clock; outbox: Outbox; scheduler: Scheduler; trade: TradeModule; campaigns: CampaignsModule; payments: PaymentsModule }): PresaleFlow {
  const flow = createPresaleFlow({ db: d.db, clock: d.clock, scheduler: d.scheduler, trade: d.trade, campaigns: d.campaigns, payments: d.payments });
  d.scheduler.register(PRESALE_DUE_JOB, async (job, tx) => {
    await flow.forfeitIfUnpaid(tx, job.payload.order_id as string);
  });
  d.scheduler.register(PRESALE_CAMPAIGN_CANCELLED_JOB, async (job, tx) => {
    await flow.campaignCancelled(tx, job.payload.campaign_id as string);
  });
  d.outbox.subscribe(PRESALE_CAMPAIGN_SUBSCRIBER, ['campaign.updated'], async (event, tx) => {
    const p = event.payload as { campaign_id: string; changed?: string[] };
    if (!p.changed?.includes('status')) return;
    const c = await d.campaigns.campaign(p.campaign_id);
    if (c.status !== 'cancelled') return;
    await d.scheduler.schedule(tx, { kind: PRESALE_CAMPAIGN_CANCELLED_JOB, run_at: d.clock.now(), payload: { campaign_id: c.id }, dedupe_key: `presale:campaign:${c.id}:start` });
  });
  return flow;
}
