import type { Clock } from '../../lib/clock.ts';
import { conflict, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { clampLimit, decodeCursor, toPage, type Page } from '../../lib/page.ts';
import type { Db } from '../../db/index.ts';
import type { Outbox } from '../../db/outbox.ts';
import { compactApplicability, invalidOffer, storeScopeProblems, windowProblems, type ProductLookup } from './offer-checks.ts';
import { engineCoupon, toTemplate, type CouponTemplate } from './offer-rows.ts';
import { couponProblems, type Applicability, type Funder, type PricingPolicy, type Problem } from './pricing/index.ts';
import type { CouponTemplateRow, OfferStatus, PromotionsRepo } from './promotions.repo.ts';

export interface CouponTemplateInput {
  name: string;
  kind: 'fixed' | 'threshold' | 'percent';
  off_minor?: number;
  threshold_minor?: number;
  pay_rate_bp?: number;
  cap_minor?: number;
  applies_to?: Applicability;
  valid_from_ms: number;
  valid_to_ms: number;
  /** Valid for this many days after claiming, never past valid_to_ms. */
  valid_days?: number | null;
  /** When buyers may claim; defaults to now … valid_to_ms. */
  claim_from_ms?: number;
  claim_to_ms?: number;
  /** The budget: how many may ever be claimed. */
  total_quantity: number;
  per_buyer_limit: number;
  stacks_with?: string[];
}

/** Platform coupons also say who pays and may belong to a campaign. */
export interface PlatformCouponInput extends CouponTemplateInput {
  funder?: Funder;
  platform_share_bp?: number;
  stacking_group?: string;
  campaign_id?: string | null;
}

export interface TemplatePatch {
  name?: string;
  total_quantity?: number;
  per_buyer_limit?: number;
  claim_to_ms?: number;
  status?: OfferStatus;
}

/** Where a template lives: a store's, or the platform's. */
export type TemplateOwner = { scope: 'store'; store_id: string } | { scope: 'platform' };

/** Coupon templates (券模板): created by a merchant for its store or by an operator for the platform. */
export function createCouponTemplates(deps: { db: Db; clock: Clock; outbox: Outbox; repo: PromotionsRepo; policy: PricingPolicy; products: ProductLookup }) {
  const { db, clock, outbox, repo, policy } = deps;

  async function create(owner: TemplateOwner, input: PlatformCouponInput, actorId: string | null): Promise<CouponTemplate> {
    const now = clock.now();
    const store_id = owner.scope === 'store' ? owner.store_id : null;
    const row: CouponTemplateRow = {
      id: newId('cpt'), scope: owner.scope, store_id, name: input.name.trim(), kind: input.kind, off_minor: input.off_minor ?? null, threshold_minor: input.threshold_minor ?? null,
      pay_rate_bp: input.pay_rate_bp ?? null, cap_minor: input.cap_minor ?? null, applies_to: JSON.stringify(compactApplicability(input.applies_to)),
      // A merchant's coupon is always the merchant's cost; the operator chooses for platform coupons.
      funder: owner.scope === 'store' ? 'merchant' : (input.funder ?? 'platform'), platform_share_bp: owner.scope === 'store' ? null : (input.platform_share_bp ?? null),
      stacking_group: owner.scope === 'store' ? null : (input.stacking_group ?? null), stacks_with: input.stacks_with ? JSON.stringify(input.stacks_with) : null,
      campaign_id: owner.scope === 'store' ? null : (input.campaign_id ?? null), valid_from_ms: input.valid_from_ms, valid_to_ms: input.valid_to_ms, valid_days: input.valid_days ?? null,
      claim_from_ms: input.claim_from_ms ?? now, claim_to_ms: input.claim_to_ms ?? input.valid_to_ms, total_quantity: input.total_quantity, claimed: 0,
      per_buyer_limit: input.per_buyer_limit, status: 'active', created_by: actorId, created_at: now, updated_at: now,
    };
    const problems = [
      ...couponProblems(engineCoupon(row, row.id, row), policy),
      ...windowProblems(row, now),
      ...claimProblems(row),
      ...(store_id ? await storeScopeProblems(store_id, JSON.parse(row.applies_to), deps.products) : []),
    ];
    if (problems.length) throw invalidOffer('invalid_coupon', problems);
    return db.transaction(async (tx) => {
      await repo.q(tx).insertInto('promotions_coupon_templates').values(row).execute();
      await outbox.emit(tx, 'coupon_template.created', row.id, { template_id: row.id, scope: row.scope, store_id, campaign_id: row.campaign_id, total_quantity: row.total_quantity });
      return toTemplate(row);
    });
  }

  async function get(owner: TemplateOwner, id: string): Promise<CouponTemplateRow> {
    const r = await repo.q().selectFrom('promotions_coupon_templates').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r || r.scope !== owner.scope || (owner.scope === 'store' && r.store_id !== owner.store_id)) throw notFound('coupon_template', id);
    return r;
  }

  return {
    createStoreCoupon: (storeId: string, input: CouponTemplateInput, actorId: string | null) => create({ scope: 'store', store_id: storeId }, input, actorId),
    createPlatformCoupon: (input: PlatformCouponInput, actorId: string | null) => create({ scope: 'platform' }, input, actorId),

    async couponTemplate(owner: TemplateOwner, id: string): Promise<CouponTemplate> {
      return toTemplate(await get(owner, id));
    },

    async listCouponTemplates(owner: TemplateOwner, opts: { status?: OfferStatus; limit?: number; cursor?: string }): Promise<Page<CouponTemplate>> {
      const limit = clampLimit(opts.limit);
      const after = decodeCursor(opts.cursor);
      let q = repo.q().selectFrom('promotions_coupon_templates').selectAll().where('scope', '=', owner.scope).orderBy('id', 'desc').limit(limit + 1);
      if (owner.scope === 'store') q = q.where('store_id', '=', owner.store_id);
      if (opts.status) q = q.where('status', '=', opts.status);
      if (after !== undefined) q = q.where('id', '<', String(after));
      return toPage((await q.execute()).map(toTemplate), limit, (t) => t.id);
    },

    /**
     * Edits what may change once buyers hold coupons: the name, the budget (never below what
     * is claimed — one conditional update), the per-buyer limit for later claims, the end of
     * claiming, and stopping/resuming claims. The discount itself is fixed once created.
     */
    async updateCouponTemplate(owner: TemplateOwner, id: string, patch: TemplatePatch): Promise<CouponTemplate> {
      const current = await get(owner, id);
      const now = clock.now();
      const next = { ...current, ...patch, updated_at: now };
      const problems = claimProblems(next);
      // Resuming a stopped coupon whose claiming period is over would show an offer nobody can claim.
      if (patch.status === 'active' && current.status !== 'active' && next.claim_to_ms <= now) {
        problems.push({ code: 'claim_period_over', message: 'claiming has ended: the coupon cannot be resumed (extend claim_to to resume it)', message_zh: '领取时间已结束，无法恢复发放（可延长领取截止时间后再恢复）' });
      }
      if (problems.length) throw invalidOffer('invalid_coupon', problems);
      return db.transaction(async (tx) => {
        let u = repo.q(tx).updateTable('promotions_coupon_templates')
          .set({ name: next.name.trim(), total_quantity: next.total_quantity, per_buyer_limit: next.per_buyer_limit, claim_to_ms: next.claim_to_ms, status: next.status, updated_at: now })
          .where('id', '=', id);
        if (patch.total_quantity !== undefined) u = u.where('claimed', '<=', patch.total_quantity);
        const r = await u.executeTakeFirst();
        if (Number(r.numUpdatedRows) !== 1) {
          const claimed = (await repo.q(tx).selectFrom('promotions_coupon_templates').select('claimed').where('id', '=', id).executeTakeFirstOrThrow()).claimed;
          throw conflict('below_claimed', `${claimed} are already claimed; the total cannot be lower`, { claimed }).zh(`已领取${claimed}张，发放总量不能低于已领取数量`);
        }
        const row = await repo.q(tx).selectFrom('promotions_coupon_templates').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
        await outbox.emit(tx, 'coupon_template.updated', id, { template_id: id, scope: row.scope, store_id: row.store_id, changed: Object.keys(patch) });
        return toTemplate(row);
      });
    },
  };
}

function claimProblems(r: Pick<CouponTemplateRow, 'claim_from_ms' | 'claim_to_ms' | 'valid_to_ms' | 'valid_days' | 'total_quantity' | 'per_buyer_limit'>): Problem[] {
  const out: Problem[] = [];
  if (!(r.claim_from_ms < r.claim_to_ms)) out.push({ code: 'invalid_claim_window', message: 'claiming must end after it starts', message_zh: '领取结束时间须晚于开始时间' });
  if (r.claim_to_ms > r.valid_to_ms) out.push({ code: 'claim_after_validity', message: 'claiming cannot go on after the coupon expires', message_zh: '领取截止时间不能晚于券的有效期' });
  if (r.valid_days !== null && !(Number.isSafeInteger(r.valid_days) && r.valid_days >= 1)) out.push({ code: 'invalid_valid_days', message: 'valid_days must be at least 1', message_zh: '领取后有效天数至少为1天' });
  if (!(Number.isSafeInteger(r.total_quantity) && r.total_quantity >= 1)) out.push({ code: 'invalid_total', message: 'the total quantity must be at least 1', message_zh: '发放总量至少为1张' });
  if (!(Number.isSafeInteger(r.per_buyer_limit) && r.per_buyer_limit >= 1)) out.push({ code: 'invalid_limit', message: 'the per-buyer limit must be at least 1', message_zh: '每人限领至少1张' });
  return out;
}
