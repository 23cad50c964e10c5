/**
 * Reservation coupons (预约领券): during warm-up a buyer reserves a campaign coupon; when selling
 * starts a scheduled job issues it into the buyer's wallet (promotions' grantCoupon, in the
 * job's transaction). The per-buyer limit and the total budget are each one conditional
 * statement in the reservation's transaction, so neither is exceeded however many buyers
 * reserve at once; the coupon template's own budget equals the offer's, so issuing never fails
 * for a reservation that was accepted. The template's claim window is empty (it closes when it
 * opens, at selling end), so nobody can claim it around the reservation.
 */
import { notFound, rule } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { Executor } from '../../db/index.ts';
import type { Funder } from '../promotions/index.ts';
import type { ReservationOfferRow } from './campaigns.repo.ts';
import { toCampaign, type CampaignService } from './campaigns.service.ts';
import type { Ctx } from './context.ts';
import { mayReserve, PHASE_LABELS, PHASES } from './phases.ts';

export const ISSUE_JOB = 'campaigns.issue_reservations';
const ISSUE_BATCH = 200;

export interface ReservationOfferInput {
  name: string;
  coupon: { kind: 'fixed' | 'threshold'; off_minor: number; threshold_minor?: number };
  budget: number;
  per_buyer_limit: number;
  funder?: Funder;
  platform_share_bp?: number;
}

export interface ReservationOffer {
  id: string;
  campaign_id: string;
  name: string;
  coupon_template_id: string;
  budget: number;
  reserved: number;
  per_buyer_limit: number;
  coupon: ReservationOfferInput['coupon'];
}

const toOffer = (r: ReservationOfferRow): ReservationOffer => ({
  id: r.id, campaign_id: r.campaign_id, name: r.name, coupon_template_id: r.coupon_template_id, budget: Number(r.budget), reserved: Number(r.reserved),
  per_buyer_limit: Number(r.per_buyer_limit), coupon: JSON.parse(r.terms),
});

export function createReservations(ctx: Ctx, campaigns: CampaignService) {
  const { db, clock, outbox, repo, scheduler } = ctx;
  const countBuyer = db.prepared(`insert into campaigns_reservation_counts (offer_id, buyer_id, reserved) values (?, ?, 1)
    on conflict (offer_id, buyer_id) do update set reserved = campaigns_reservation_counts.reserved + 1 where campaigns_reservation_counts.reserved < ?`);
  const takeBudget = db.prepared('update campaigns_reservation_offers set reserved = reserved + 1 where id = ? and reserved < budget');
  const insertReservation = db.prepared(`insert into campaigns_reservations (id, offer_id, campaign_id, buyer_id, status, created_at) values (?, ?, ?, ?, 'reserved', ?)`);

  async function offerRow(id: string, ex?: Executor): Promise<ReservationOfferRow> {
    const r = await repo.q(ex).selectFrom('campaigns_reservation_offers').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw notFound('reservation_offer', id);
    return r;
  }

  /** Issues up to a batch of reserved coupons; schedules itself again while more are waiting. */
  async function issueDue(tx: Executor, campaignId: string): Promise<number> {
    const offers = await repo.q(tx).selectFrom('campaigns_reservation_offers').selectAll().where('campaign_id', '=', campaignId).execute();
    const templates = new Map(offers.map((o) => [o.id, o.coupon_template_id]));
    const due = await repo.q(tx).selectFrom('campaigns_reservations').selectAll().where('campaign_id', '=', campaignId).where('status', '=', 'reserved').orderBy('id').limit(ISSUE_BATCH).execute();
    const now = clock.now();
    for (const r of due) {
      const coupon = await ctx.promotions.grantCoupon(tx, r.buyer_id, templates.get(r.offer_id)!);
      await repo.q(tx).updateTable('campaigns_reservations').set({ status: 'issued', coupon_id: coupon.id, issued_at: now }).where('id', '=', r.id).where('status', '=', 'reserved').execute();
    }
    if (due.length === ISSUE_BATCH) {
      await scheduler.schedule(tx, { kind: ISSUE_JOB, run_at: now, payload: { campaign_id: campaignId }, dedupe_key: `campaign:${campaignId}:issue:${due[due.length - 1].id}` });
    }
    return due.length;
  }

  return {
    issueDue,
    /** At selling start (in the phase job's transaction): queue the issuing. */
    async scheduleIssue(tx: Executor, campaignId: string): Promise<void> {
      await scheduler.schedule(tx, { kind: ISSUE_JOB, run_at: clock.now(), payload: { campaign_id: campaignId }, dedupe_key: `campaign:${campaignId}:issue:start` });
    },

    async createOffer(campaignId: string, input: ReservationOfferInput, actorId: string | null): Promise<ReservationOffer> {
      const c = toCampaign(await campaigns.get(campaignId));
      if (PHASES.indexOf(c.phase) >= PHASES.indexOf('warmup')) throw rule('campaign_started', 'reservation coupons are set up before warm-up starts', { phase: c.phase }).zh('预热开始后不能再新增预约券');
      if (!(Number.isSafeInteger(input.budget) && input.budget >= 1)) throw rule('invalid_budget', 'the budget must be at least 1').zh('预约券总量至少为1张');
      const template = await ctx.promotions.createPlatformCoupon({
        name: input.name, kind: input.coupon.kind, off_minor: input.coupon.off_minor, threshold_minor: input.coupon.threshold_minor, applies_to: { campaign_ids: [campaignId] },
        valid_from_ms: c.selling_start_ms, valid_to_ms: c.selling_end_ms, claim_from_ms: c.selling_end_ms - 1, claim_to_ms: c.selling_end_ms,
        total_quantity: input.budget, per_buyer_limit: input.per_buyer_limit, funder: input.funder ?? 'platform', platform_share_bp: input.platform_share_bp, campaign_id: campaignId,
      }, actorId);
      const row: ReservationOfferRow = {
        id: newId('cro'), campaign_id: campaignId, name: input.name.trim(), coupon_template_id: template.id, budget: input.budget, reserved: 0, per_buyer_limit: input.per_buyer_limit,
        terms: JSON.stringify(input.coupon), created_at: clock.now(),
      };
      await db.transaction(async (tx) => {
        await repo.q(tx).insertInto('campaigns_reservation_offers').values(row).execute();
        await outbox.emit(tx, 'campaign.reservation_offer_created', row.id, { offer_id: row.id, campaign_id: campaignId, coupon_template_id: template.id, budget: row.budget });
      });
      return toOffer(row);
    },

    async offers(campaignId: string): Promise<ReservationOffer[]> {
      return (await repo.q().selectFrom('campaigns_reservation_offers').selectAll().where('campaign_id', '=', campaignId).orderBy('id').execute()).map(toOffer);
    },

    /** 预约: only in warm-up; per-buyer limit and budget by conditional statements. */
    async reserve(buyerId: string, campaignId: string, offerId: string): Promise<{ reservation_id: string; offer: ReservationOffer }> {
      const offer = await offerRow(offerId);
      if (offer.campaign_id !== campaignId) throw notFound('reservation_offer', offerId);
      const c = toCampaign(await campaigns.get(campaignId));
      if (c.status !== 'active' || !mayReserve(c.phase)) throw rule('reservation_closed', 'reservations are open during warm-up', { phase: c.phase }).zh(`活动${PHASE_LABELS[c.phase].zh}，预约仅在预热期开放`);
      const now = clock.now();
      const id = newId('crv');
      await db.transaction(async (tx) => {
        if ((await countBuyer.run(tx, [offerId, buyerId, offer.per_buyer_limit])) !== 1) {
          throw rule('reservation_limit_reached', `at most ${offer.per_buyer_limit} per buyer`, { per_buyer_limit: offer.per_buyer_limit }).zh(`每人限约${offer.per_buyer_limit}张`);
        }
        if ((await takeBudget.run(tx, [offerId])) !== 1) throw rule('reservations_full', 'all of these coupons have been reserved', { budget: offer.budget }).zh('预约名额已满');
        await insertReservation.run(tx, [id, offerId, campaignId, buyerId, now]);
        await outbox.emit(tx, 'campaign.coupon_reserved', id, { reservation_id: id, offer_id: offerId, campaign_id: campaignId, buyer_id: buyerId });
      });
      return { reservation_id: id, offer: toOffer(await offerRow(offerId)) };
    },

    async myReservations(buyerId: string, campaignId: string) {
      const rows = await repo.q().selectFrom('campaigns_reservations').selectAll().where('buyer_id', '=', buyerId).where('campaign_id', '=', campaignId).orderBy('id').execute();
      return rows.map((r) => ({ id: r.id, offer_id: r.offer_id, status: r.status, coupon_id: r.coupon_id, created_at: Number(r.created_at), issued_at: r.issued_at === null ? null : Number(r.issued_at) }));
    },
  };
}
