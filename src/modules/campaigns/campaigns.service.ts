import { DAY_MS, HOUR_MS } from '../../lib/clock.ts';
import { invalid, notFound, rule } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { Executor } from '../../db/index.ts';
import type { Funder, ThresholdRule } from '../promotions/index.ts';
import type { CampaignRow } from './campaigns.repo.ts';
import type { Ctx } from './context.ts';
import { rulesProblems, type EligibilityRules, type Problem } from './eligibility.ts';
import { boundaries, PHASE_LABELS, PHASES, phaseAt, timeProblems, type Phase, type PhaseTimes } from './phases.ts';

export const PHASE_JOB = 'campaigns.phase';

/** A platform 满减 for the campaign (e.g. 每满50减5), across stores, on participating items. */
export interface CampaignThreshold {
  name?: string;
  rule: ThresholdRule;
  funder?: Funder;
  platform_share_bp?: number;
  /** Stacking groups it may share a line with (e.g. ['store_coupon']); default: everything. */
  stacks_with?: string[];
}

/** A main-venue (主会场) section: by category or a theme (hand-picked products). */
export interface Section {
  key: string;
  title: string;
  kind: 'category' | 'theme';
  category_ids?: string[];
  product_ids?: string[];
}

export interface CampaignInput {
  name: string;
  description?: string;
  times: PhaseTimes;
  rules: EligibilityRules;
  /** Reduced technical service fee for participating items sold during selling (bp); null = category rate. */
  fee_rate_bp?: number | null;
  threshold?: CampaignThreshold | null;
  sections?: Section[];
  /** Pre-sale: how long the balance (尾款) may be paid, from selling start (≥ 1 h, inside selling); default 24 h or all of selling if shorter. */
  balance_window_ms?: number | null;
}
export type CampaignPatch = Partial<Pick<CampaignInput, 'name' | 'description' | 'rules' | 'sections'>> & { status?: 'cancelled' };

export interface Campaign extends PhaseTimes {
  id: string;
  name: string;
  description: string;
  phase: Phase;
  phase_label_zh: string;
  status: 'active' | 'cancelled';
  rules: EligibilityRules;
  fee_rate_bp: number | null;
  /** Pre-sale balance window: [selling_start_ms, selling_start_ms + balance_window_ms). */
  balance_window_ms: number;
  threshold: CampaignThreshold | null;
  threshold_promotion_id: string | null;
  sections: Section[];
  created_at: number;
  updated_at: number;
}

export const toCampaign = (r: CampaignRow): Campaign => ({
  id: r.id, name: r.name, description: r.description, phase: r.phase, phase_label_zh: PHASE_LABELS[r.phase].zh, status: r.status,
  registration_start_ms: Number(r.registration_start_ms), review_start_ms: Number(r.review_start_ms), warmup_start_ms: Number(r.warmup_start_ms),
  selling_start_ms: Number(r.selling_start_ms), selling_end_ms: Number(r.selling_end_ms), rules: JSON.parse(r.rules), fee_rate_bp: r.fee_rate_bp, balance_window_ms: balanceWindowMs(r),
  threshold: r.threshold ? JSON.parse(r.threshold) : null, threshold_promotion_id: r.threshold_promotion_id, sections: JSON.parse(r.sections),
  created_at: Number(r.created_at), updated_at: Number(r.updated_at),
});

export const DEFAULT_BALANCE_WINDOW_MS = DAY_MS;
/** The pre-sale balance window's length: as configured, else 24 h (all of selling when shorter). */
export const balanceWindowMs = (r: Pick<CampaignRow, 'balance_window_ms' | 'selling_start_ms' | 'selling_end_ms'>): number =>
  r.balance_window_ms !== null && r.balance_window_ms !== undefined ? Number(r.balance_window_ms) : Math.min(DEFAULT_BALANCE_WINDOW_MS, Number(r.selling_end_ms) - Number(r.selling_start_ms));

const refuse = (problems: Problem[]) =>
  rule('invalid_campaign', problems.map((p) => p.message).join('; '), { problems }).zh(problems.map((p) => p.message_zh).join('；'));

function sectionProblems(sections: Section[]): Problem[] {
  const keys = new Set<string>();
  const out: Problem[] = [];
  for (const s of sections) {
    if (keys.has(s.key)) out.push({ code: 'duplicate_section', message: `section key ${s.key} is used twice`, message_zh: `会场分区 ${s.key} 重复` });
    keys.add(s.key);
    if (s.kind === 'category' && !s.category_ids?.length) out.push({ code: 'section_without_categories', message: `section ${s.key} lists no categories`, message_zh: `分区「${s.title}」未选择类目` });
    if (s.kind === 'theme' && !s.product_ids?.length) out.push({ code: 'section_without_products', message: `section ${s.key} lists no products`, message_zh: `分区「${s.title}」未选择商品` });
  }
  return out;
}

/** Operators create campaigns; the scheduler moves their phases. */
export function createCampaignService(ctx: Ctx) {
  const { db, clock, outbox, scheduler, repo } = ctx;

  async function scheduleBoundaries(tx: Executor, c: Pick<CampaignRow, 'id'> & PhaseTimes): Promise<void> {
    for (const b of boundaries(c)) {
      await scheduler.schedule(tx, { kind: PHASE_JOB, run_at: b.at, payload: { campaign_id: c.id }, dedupe_key: `campaign:${c.id}:${b.phase}:${b.at}` });
    }
  }

  async function get(id: string, ex?: Executor): Promise<CampaignRow> {
    const r = await repo.campaign(id, ex);
    if (!r) throw notFound('campaign', id);
    return r;
  }

  /**
   * Moves the stored phase to what the times say (forward only), in the job's transaction, and
   * tells the others (`campaign.phase_changed`). Selling start issues reserved coupons.
   */
  async function advancePhase(tx: Executor, campaignId: string, onSelling: (tx: Executor, campaignId: string) => Promise<void>): Promise<Phase | null> {
    const c = await repo.campaign(campaignId, tx);
    if (!c || c.status !== 'active') return null;
    const to = phaseAt(toCampaign(c), clock.now());
    if (PHASES.indexOf(to) <= PHASES.indexOf(c.phase)) return null;
    const moved = await repo.q(tx).updateTable('campaigns_campaigns').set({ phase: to, updated_at: clock.now() }).where('id', '=', campaignId).where('phase', '=', c.phase).executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1) return null;
    await outbox.emit(tx, 'campaign.phase_changed', campaignId, { campaign_id: campaignId, from: c.phase, to });
    if (PHASES.indexOf(c.phase) < PHASES.indexOf('selling') && PHASES.indexOf(to) >= PHASES.indexOf('selling')) await onSelling(tx, campaignId);
    return to;
  }

  return {
    get,
    advancePhase,

    async createCampaign(input: CampaignInput, actorId: string | null): Promise<Campaign> {
      const now = clock.now();
      const problems = [...timeProblems(input.times), ...rulesProblems(input.rules), ...sectionProblems(input.sections ?? [])];
      if (input.fee_rate_bp !== undefined && input.fee_rate_bp !== null && !(Number.isSafeInteger(input.fee_rate_bp) && input.fee_rate_bp >= 0 && input.fee_rate_bp <= 500)) {
        problems.push({ code: 'invalid_fee_rate', message: 'the campaign fee rate is 0–500 bp', message_zh: '活动技术服务费率须在0–5%之间' });
      }
      const w = input.balance_window_ms;
      if (w !== undefined && w !== null && !(Number.isSafeInteger(w) && w >= HOUR_MS && w <= input.times.selling_end_ms - input.times.selling_start_ms)) {
        problems.push({ code: 'invalid_balance_window', message: 'the pre-sale balance window lasts from 1 hour to all of selling', message_zh: '预售尾款支付期须在1小时至整个售卖期之间' });
      }
      if (input.times.selling_end_ms <= now) problems.push({ code: 'already_over', message: 'the campaign would already be over', message_zh: '活动结束时间已过' });
      if (problems.length) throw refuse(problems);
      const id = newId('cmp');
      let promotionId: string | null = null;
      if (input.threshold) {
        // Promotions validates the rule (422 with its problems) and applies it to this campaign's lines while selling.
        const t = input.threshold;
        const p = await ctx.promotions.createPlatformThreshold({
          name: t.name ?? `${input.name} 平台满减`, rule: t.rule, funder: t.funder ?? 'platform', platform_share_bp: t.platform_share_bp, stacks_with: t.stacks_with,
          stacking_group: 'campaign', campaign_id: id, applies_to: { campaign_ids: [id] },
          valid_from_ms: input.times.selling_start_ms, valid_to_ms: input.times.selling_end_ms,
        }, actorId);
        promotionId = p.id;
      }
      const row: CampaignRow = {
        id, name: input.name.trim(), description: input.description ?? '', phase: 'scheduled', status: 'active', ...input.times,
        rules: JSON.stringify(input.rules), fee_rate_bp: input.fee_rate_bp ?? null, balance_window_ms: input.balance_window_ms ?? null, threshold: input.threshold ? JSON.stringify(input.threshold) : null,
        threshold_promotion_id: promotionId, sections: JSON.stringify(input.sections ?? []), created_by: actorId, created_at: now, updated_at: now,
      };
      await db.transaction(async (tx) => {
        await repo.q(tx).insertInto('campaigns_campaigns').values(row).execute();
        await scheduleBoundaries(tx, row);
        await outbox.emit(tx, 'campaign.created', id, { campaign_id: id, name: row.name, ...input.times });
      });
      return toCampaign(row);
    },

    async campaign(id: string): Promise<Campaign> {
      return toCampaign(await get(id));
    },

    async listCampaigns(opts: { phases?: Phase[] } = {}): Promise<Campaign[]> {
      let q = repo.q().selectFrom('campaigns_campaigns').selectAll().orderBy('selling_start_ms', 'desc').limit(100);
      if (opts.phases?.length) q = q.where('phase', 'in', opts.phases).where('status', '=', 'active');
      return (await q.execute()).map(toCampaign);
    },

    /** Name, description, sections any time; rules until selling; cancelling before selling stops it (and its 满减). */
    async updateCampaign(id: string, patch: CampaignPatch, actorId: string | null): Promise<Campaign> {
      const current = await get(id);
      const now = clock.now();
      const problems = [...(patch.rules ? rulesProblems(patch.rules) : []), ...(patch.sections ? sectionProblems(patch.sections) : [])];
      if (problems.length) throw refuse(problems);
      const started = PHASES.indexOf(current.phase) >= PHASES.indexOf('selling');
      if (patch.rules && started) throw rule('campaign_started', 'eligibility rules cannot change once selling has started', { phase: current.phase }).zh('活动已开售，报名门槛不可修改');
      if (patch.status === 'cancelled' && started) throw rule('campaign_started', 'a campaign cannot be cancelled once selling has started', { phase: current.phase }).zh('活动已开售，不能取消');
      if (patch.name !== undefined && !patch.name.trim()) throw invalid('invalid_name', 'the name is empty');
      const set = {
        updated_at: now,
        ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
        ...(patch.description !== undefined ? { description: patch.description } : {}),
        ...(patch.rules ? { rules: JSON.stringify(patch.rules) } : {}),
        ...(patch.sections ? { sections: JSON.stringify(patch.sections) } : {}),
        ...(patch.status ? { status: patch.status } : {}),
      };
      if (patch.status === 'cancelled' && current.threshold_promotion_id) {
        await ctx.promotions.updateThreshold({ scope: 'platform' }, current.threshold_promotion_id, { status: 'stopped' });
      }
      const row = await db.transaction(async (tx) => {
        await repo.q(tx).updateTable('campaigns_campaigns').set(set).where('id', '=', id).execute();
        await outbox.emit(tx, 'campaign.updated', id, { campaign_id: id, changed: Object.keys(patch), actor_id: actorId });
        return (await get(id, tx));
      });
      ctx.invalidate();
      return toCampaign(row);
    },
  };
}
export type CampaignService = ReturnType<typeof createCampaignService>;
