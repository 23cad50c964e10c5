import { DAY_MS } from '../../lib/clock.ts';
import { conflict, notFound, rule } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { isUniqueViolation } from '../../db/index.ts';
import type { CampaignService } from './campaigns.service.ts';
import { toCampaign } from './campaigns.service.ts';
import type { RegistrationRow, RegistrationStatus } from './campaigns.repo.ts';
import type { Ctx } from './context.ts';
import { discountProblem, registrationProblems, type Problem } from './eligibility.ts';
import { mayRegister, mayReview, mayWithdraw, PHASE_LABELS } from './phases.ts';

export const PRICE_LOW_WINDOW_MS = 30 * DAY_MS;

export interface RegistrationInput {
  sku_id: string;
  campaign_price_minor: number;
  campaign_stock: number;
  /** Units one buyer may get at the campaign price over the campaign (beyond: the SKU's own price); absent = no limit. */
  limit_per_buyer?: number | null;
}

export interface Registration {
  id: string;
  campaign_id: string;
  store_id: string;
  product_id: string;
  sku_id: string;
  category_id: string;
  title: string;
  image: string | null;
  price_minor: number;
  low_30d_minor: number;
  campaign_price_minor: number;
  campaign_stock: number;
  sold: number;
  limit_per_buyer: number | null;
  status: RegistrationStatus;
  review_note: string | null;
  reviewed_at: number | null;
  created_at: number;
}

export const toRegistration = (r: RegistrationRow): Registration => ({
  id: r.id, campaign_id: r.campaign_id, store_id: r.store_id, product_id: r.product_id, sku_id: r.sku_id, category_id: r.category_id, title: r.title, image: r.image,
  price_minor: Number(r.price_minor), low_30d_minor: Number(r.low_30d_minor), campaign_price_minor: Number(r.campaign_price_minor), campaign_stock: Number(r.campaign_stock),
  sold: Number(r.sold), limit_per_buyer: r.limit_per_buyer === null || r.limit_per_buyer === undefined ? null : Number(r.limit_per_buyer), status: r.status, review_note: r.review_note, reviewed_at: r.reviewed_at === null ? null : Number(r.reviewed_at), created_at: Number(r.created_at),
});

export interface ReviewDecision {
  registration_id: string;
  decision: 'approve' | 'reject';
  reason?: string;
}
export type ReviewOutcome =
  | { registration_id: string; ok: true; status: RegistrationStatus }
  | { registration_id: string; ok: false; code: string; message: string; message_zh?: string; problems?: Problem[] };

/**
 * Merchants register SKUs (报名) with a campaign price and stock; the automatic check runs the
 * campaign's rules against fresh facts (store, SKU, 30-day low from catalog's price history,
 * available stock) and refuses with every problem explained (422, nothing saved). Operators
 * approve or reject in bulk; merchants withdraw before selling starts.
 */
export function createRegistrations(ctx: Ctx, campaigns: CampaignService) {
  const { db, clock, outbox, repo } = ctx;

  async function check(campaignId: string, storeId: string, input: RegistrationInput) {
    const c = toCampaign(await campaigns.get(campaignId));
    if (c.status !== 'active' || !mayRegister(c.phase)) {
      throw rule('registration_closed', 'registration for this campaign is not open', { phase: c.phase }).zh(`活动当前${PHASE_LABELS[c.phase].zh}，不在报名期`);
    }
    const snap = (await ctx.saleSnapshots([input.sku_id])).get(input.sku_id);
    if (!snap || snap.store_id !== storeId) throw notFound('sku', input.sku_id);
    const store = (await ctx.stores([storeId])).get(storeId);
    if (!store) throw notFound('store', storeId);
    const now = clock.now();
    const history = await ctx.lowestPriceSince(snap.sku_id, now - PRICE_LOW_WINDOW_MS);
    const low = Math.min(snap.price_minor, history ?? snap.price_minor);
    const available = (await ctx.available([snap.sku_id])).get(snap.sku_id) ?? 0;
    const problems = registrationProblems(c.rules, {
      store: { subject_type: store.subject_type, score: store.score, may_sell: store.may_sell },
      sku: { on_sale: snap.on_sale, category_id: snap.category_id, parent_category_id: await ctx.parentCategory(snap.category_id), price_minor: snap.price_minor },
      low_30d_minor: low, available, campaign_price_minor: input.campaign_price_minor, campaign_stock: input.campaign_stock, limit_per_buyer: input.limit_per_buyer ?? null,
    });
    if (problems.length) {
      throw rule('registration_refused', problems.map((p) => p.message).join('; '), { problems }).zh(problems.map((p) => p.message_zh).join('；'));
    }
    return { snap, low };
  }

  async function storeRegistration(storeId: string, id: string): Promise<RegistrationRow> {
    const r = await repo.q().selectFrom('campaigns_registrations').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r || r.store_id !== storeId) throw notFound('registration', id);
    return r;
  }

  /**
   * The lowest price of each pending registration's SKU as an approval sees it: the low it was
   * registered against, today's price and catalog's price history of the last 30 days. Read
   * before the review's transaction (the embedded engine has one connection).
   */
  async function lowsAtApproval(campaignId: string, ids: string[], now: number): Promise<Map<string, { low_minor: number; campaign_price_minor: number }>> {
    if (ids.length === 0) return new Map();
    const regs = await repo.q().selectFrom('campaigns_registrations').select(['id', 'sku_id', 'low_30d_minor', 'campaign_price_minor'])
      .where('campaign_id', '=', campaignId).where('status', '=', 'pending').where('id', 'in', ids).execute();
    const skuIds = [...new Set(regs.map((r) => r.sku_id))];
    const snaps = await ctx.saleSnapshots(skuIds);
    const history = new Map<string, number | null>();
    for (const skuId of skuIds) history.set(skuId, await ctx.lowestPriceSince(skuId, now - PRICE_LOW_WINDOW_MS));
    return new Map(regs.map((r) => {
      const candidates = [Number(r.low_30d_minor), snaps.get(r.sku_id)?.price_minor, history.get(r.sku_id)].filter((v): v is number => v !== null && v !== undefined).map(Number);
      return [r.id, { low_minor: Math.min(...candidates), campaign_price_minor: Number(r.campaign_price_minor) }];
    }));
  }

  return {
    /** Registers a SKU (or re-registers one rejected or withdrawn); pending operator review. */
    async register(campaignId: string, storeId: string, input: RegistrationInput, actorId: string | null): Promise<Registration> {
      const { snap, low } = await check(campaignId, storeId, input);
      const now = clock.now();
      const row: RegistrationRow = {
        id: newId('crg'), campaign_id: campaignId, store_id: storeId, product_id: snap.product_id, sku_id: snap.sku_id, category_id: snap.category_id, title: snap.title,
        image: snap.image, price_minor: snap.price_minor, low_30d_minor: low, campaign_price_minor: input.campaign_price_minor, campaign_stock: input.campaign_stock, sold: 0,
        limit_per_buyer: input.limit_per_buyer ?? null, status: 'pending', review_note: null, reviewed_by: null, reviewed_at: null, created_by: actorId, created_at: now, updated_at: now,
      };
      const saved = await db.transaction(async (tx) => {
        const existing = await repo.q(tx).selectFrom('campaigns_registrations').selectAll().where('campaign_id', '=', campaignId).where('sku_id', '=', snap.sku_id).executeTakeFirst();
        if (existing && (existing.status === 'pending' || existing.status === 'approved')) {
          throw conflict('already_registered', 'this SKU is already registered for the campaign', { registration_id: existing.id }).zh('该规格已报名本活动');
        }
        if (existing) {
          const { id: _id, created_at: _c, ...again } = row;
          await repo.q(tx).updateTable('campaigns_registrations').set(again).where('id', '=', existing.id).where('status', 'in', ['rejected', 'withdrawn']).execute();
          row.id = existing.id;
        } else {
          try {
            await repo.q(tx).insertInto('campaigns_registrations').values(row).execute();
          } catch (err) {
            if (isUniqueViolation(err)) throw conflict('already_registered', 'this SKU is already registered for the campaign', {}).zh('该规格已报名本活动');
            throw err;
          }
        }
        await outbox.emit(tx, 'campaign.registration_submitted', row.id, { registration_id: row.id, campaign_id: campaignId, store_id: storeId, sku_id: row.sku_id });
        return row;
      });
      return toRegistration(saved);
    },

    async storeRegistrations(storeId: string, campaignId?: string): Promise<Registration[]> {
      let q = repo.q().selectFrom('campaigns_registrations').selectAll().where('store_id', '=', storeId).orderBy('id', 'desc').limit(500);
      if (campaignId) q = q.where('campaign_id', '=', campaignId);
      return (await q.execute()).map(toRegistration);
    },

    async campaignRegistrations(campaignId: string, status?: RegistrationStatus): Promise<Registration[]> {
      let q = repo.q().selectFrom('campaigns_registrations').selectAll().where('campaign_id', '=', campaignId).orderBy('id').limit(1000);
      if (status) q = q.where('status', '=', status);
      return (await q.execute()).map(toRegistration);
    },

    /** Before selling starts; takes the SKU out of the venue. */
    async withdraw(storeId: string, registrationId: string, actorId: string | null): Promise<Registration> {
      const r = await storeRegistration(storeId, registrationId);
      const c = toCampaign(await campaigns.get(r.campaign_id));
      if (!mayWithdraw(c.phase)) throw rule('withdraw_closed', 'registrations cannot be withdrawn once selling has started', { phase: c.phase }).zh('活动已开售，不能撤回报名');
      const row = await db.transaction(async (tx) => {
        const u = await repo.q(tx).updateTable('campaigns_registrations').set({ status: 'withdrawn', updated_at: clock.now() })
          .where('id', '=', registrationId).where('status', 'in', ['pending', 'approved']).executeTakeFirst();
        if (Number(u.numUpdatedRows) !== 1) throw conflict('not_withdrawable', `a ${r.status} registration cannot be withdrawn`, { status: r.status }).zh('该报名当前状态不可撤回');
        await outbox.emit(tx, 'campaign.registration_withdrawn', registrationId, { registration_id: registrationId, campaign_id: r.campaign_id, store_id: storeId, actor_id: actorId });
        return (await repo.q(tx).selectFrom('campaigns_registrations').selectAll().where('id', '=', registrationId).executeTakeFirstOrThrow());
      });
      ctx.invalidate();
      return toRegistration(row);
    },

    /**
     * Operator review in bulk, one transaction: each decision is a conditional move from
     * pending (a registration withdrawn meanwhile is reported, not overwritten). An approval is
     * checked again against the SKU's lowest price now (catalog's price history and today's price,
     * never above the low it was registered against) and the campaign's minimum discount: a low that
     * dropped since registration refuses that id (`discount_not_real`, explained), nothing else changes.
     */
    async review(campaignId: string, decisions: ReviewDecision[], operatorId: string): Promise<ReviewOutcome[]> {
      const c = toCampaign(await campaigns.get(campaignId));
      if (!mayReview(c.phase)) throw rule('review_closed', 'registrations can be reviewed until selling starts', { phase: c.phase }).zh('活动已开售，不能再审核报名');
      const now = clock.now();
      const lows = await lowsAtApproval(campaignId, decisions.filter((d) => d.decision === 'approve').map((d) => d.registration_id), now);
      const out = await db.transaction(async (tx) => {
        const results: ReviewOutcome[] = [];
        for (const d of decisions) {
          const status: RegistrationStatus = d.decision === 'approve' ? 'approved' : 'rejected';
          const fresh = d.decision === 'approve' ? lows.get(d.registration_id) : undefined;
          const fake = fresh && discountProblem(fresh.campaign_price_minor, fresh.low_minor, c.rules.min_discount_bp ?? 0);
          if (fake) {
            results.push({ registration_id: d.registration_id, ok: false, code: fake.code, message: fake.message, message_zh: fake.message_zh, problems: [fake] });
            continue;
          }
          const u = await repo.q(tx).updateTable('campaigns_registrations')
            .set({ status, review_note: d.reason ?? null, reviewed_by: operatorId, reviewed_at: now, updated_at: now, ...(fresh ? { low_30d_minor: fresh.low_minor } : {}) })
            .where('id', '=', d.registration_id).where('campaign_id', '=', campaignId).where('status', '=', 'pending').executeTakeFirst();
          if (Number(u.numUpdatedRows) !== 1) {
            const cur = await repo.q(tx).selectFrom('campaigns_registrations').select('status').where('id', '=', d.registration_id).where('campaign_id', '=', campaignId).executeTakeFirst();
            results.push({ registration_id: d.registration_id, ok: false, code: cur ? 'not_pending' : 'not_found', message: cur ? `registration is ${cur.status}` : 'no such registration in this campaign' });
            continue;
          }
          await outbox.emit(tx, 'campaign.registration_reviewed', d.registration_id, { registration_id: d.registration_id, campaign_id: campaignId, status, reason: d.reason ?? null, operator_id: operatorId });
          results.push({ registration_id: d.registration_id, ok: true, status });
        }
        return results;
      });
      ctx.invalidate();
      return out;
    },
  };
}
export type Registrations = ReturnType<typeof createRegistrations>;
