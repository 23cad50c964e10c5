import type { Clock } from '../../lib/clock.ts';
import type { Db, Executor } from '../../db/index.ts';
import type { Outbox } from '../../db/outbox.ts';
import type { Scheduler } from '../../db/scheduler.ts';
import type { OrderLineRow, OrderRow, Pricer, Redemptions } from '../trade/index.ts';
import { campaignPricer, campaignRedemptions } from './campaign-pricing.ts';
import { createCampaignsRepo } from './campaigns.repo.ts';
import { createCampaignService, PHASE_JOB } from './campaigns.service.ts';
import type { CampaignsPorts, Ctx } from './context.ts';
import { createRegistrations } from './registrations.service.ts';
import { createReservations, ISSUE_JOB } from './reservations.ts';
import { createSalesReport, type LineRefunds } from './sales-report.ts';
import { createPresale } from './presale.ts';
import { createVenue } from './venue.ts';

export type { Campaign, CampaignInput, CampaignPatch, CampaignThreshold, Section } from './campaigns.service.ts';
export type { Registration, RegistrationInput, ReviewDecision, ReviewOutcome } from './registrations.service.ts';
export type { ReservationOffer, ReservationOfferInput } from './reservations.ts';
export type { CampaignReport, PresaleSummary, LineRefunds } from './sales-report.ts';
export type { PresaleOffer, PresaleOfferInput, PresaleRules } from './presale.ts';
export type { PresaleTakeStage } from './campaigns.repo.ts';
export { presaleRules, presaleProblems, MAX_DEPOSIT_BP, MAX_INFLATION } from './presale.ts';
export type { VenueItem, VenueSection, Rankings } from './venue.ts';
export type { EligibilityRules, Problem } from './eligibility.ts';
export type { Phase, PhaseTimes } from './phases.ts';
export type { CampaignsPorts, StoreFacts as CampaignStoreFacts } from './context.ts';
export type { RegistrationStatus } from './campaigns.repo.ts';
export { PHASES, PHASE_LABELS } from './phases.ts';
export { CAMPAIGN_STOCK } from './campaign-pricing.ts';

/**
 * Platform festivals (双11好物节, 618): phases moved by the durable scheduler, eligibility rules
 * as data, SKU registration with automatic checks and operator review, campaign price and stock
 * in checkout (a layer over promotions' pricer), the campaign's platform 满减 (a promotions
 * threshold), the reduced technical service fee (per order line), the main venue and rankings
 * in memory, reservation coupons and a live report. Rules a newcomer must know: README.md.
 *
 * Events (outbox, same transaction): `campaign.created` { campaign_id, name, …times },
 * `campaign.updated` { campaign_id, changed }, `campaign.phase_changed` { campaign_id, from, to },
 * `campaign.registration_submitted|reviewed|withdrawn` { registration_id, campaign_id, store_id, … },
 * `campaign.reservation_offer_created` { offer_id, campaign_id, … }, `campaign.coupon_reserved`
 * { reservation_id, offer_id, campaign_id, buyer_id }, `campaign.presale_configured` { offer_id, campaign_id, registration_id, store_id }.
 */
export function createCampaignsModule(deps: CampaignsPorts & { db: Db; clock: Clock; outbox: Outbox; scheduler: Scheduler }) {
  const repo = createCampaignsRepo(deps.db);
  const venue = createVenue({ repo, clock: deps.clock });
  const ctx: Ctx = { ...deps, repo, invalidate: () => venue.invalidate() };
  const campaigns = createCampaignService(ctx);
  const registrations = createRegistrations(ctx, campaigns);
  const reservations = createReservations(ctx, campaigns);
  const presale = createPresale(ctx, campaigns);
  const sales = createSalesReport(ctx, presale.summary);

  deps.scheduler.register(PHASE_JOB, async (job, tx) => {
    const moved = await campaigns.advancePhase(tx, job.payload.campaign_id as string, reservations.scheduleIssue);
    if (moved) venue.invalidate();
  });
  deps.scheduler.register(ISSUE_JOB, async (job, tx) => {
    await reservations.issueDue(tx, job.payload.campaign_id as string);
  });

  return {
    createCampaign: campaigns.createCampaign,
    campaign: campaigns.campaign,
    listCampaigns: campaigns.listCampaigns,
    updateCampaign: campaigns.updateCampaign,
    register: registrations.register,
    storeRegistrations: registrations.storeRegistrations,
    campaignRegistrations: registrations.campaignRegistrations,
    withdraw: registrations.withdraw,
    review: registrations.review,
    createReservationOffer: reservations.createOffer,
    reservationOffers: reservations.offers,
    reserve: reservations.reserve,
    myReservations: reservations.myReservations,
    report: sales.report,
    /** Pre-sale (预售): merchants configure an offer on a registration; buyers see offers with their rules; flows take and give back units. */
    configurePresale: presale.configure,
    presaleOffers: presale.offers,
    presaleOffer: presale.offer,
    presaleTerms: presale.terms,
    takePresale: presale.take,
    /** trade's order events (subscriber): where each pre-sale order's deposit stands, for the report. */
    recordPresaleStage: presale.recordStage,
    /** Main venue and rankings, from memory. */
    venue: venue.venue,
    rankings: venue.rankings,
    visibleCampaigns: venue.visible,
    /** Something outside changed what the venue shows (e.g. a phase event from another process). */
    invalidateVenue: venue.invalidate,

    /** trade's `order.paid` (subscriber, event transaction): record the campaign lines; the venue counts them at once. */
    async recordPaidOrder(tx: Executor, order: Pick<OrderRow, 'id' | 'store_id' | 'buyer_id' | 'paid_at'>, lines: readonly OrderLineRow[]): Promise<number> {
      const rows = await sales.recordSale(tx, order, lines);
      venue.applySales(rows);
      return rows.length;
    },

    /** Whether an order has campaign lines recorded (the refund subscriber asks before reading payments). */
    hasSales: (ex: Executor, orderId: string) => sales.hasSales(ex, orderId),
    /**
     * payments' refund events (subscriber, event transaction): what payments has booked back on the
     * order's campaign lines (absolute amounts), netted out of the report; refunded units leave the
     * rankings at once. `eventId` makes the in-memory part count once per event.
     */
    async recordRefunds(tx: Executor, eventId: string, orderId: string, refunds: readonly LineRefunds[]): Promise<void> {
      venue.applyRefunds(eventId, await sales.recordRefunds(tx, orderId, refunds));
    },

    /** Trade's Pricer with campaign prices layered over promotions' (wired in app/wire.ts). */
    pricer: (inner: Pricer): Pricer => campaignPricer({ repo, inner }),
    /** Trade's Redemptions with campaign stock taken first, then promotions'. */
    redemptions: (inner: Redemptions): Redemptions => campaignRedemptions({ repo, clock: deps.clock, inner, releasePresale: presale.release }),

    start: () => venue.start(),
    stop: () => venue.stop(),
  };
}
export type CampaignsModule = ReturnType<typeof createCampaignsModule>;
