import type { Clock } from '../../lib/clock.ts';
import { notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { clampLimit, decodeCursor, toPage, type Page } from '../../lib/page.ts';
import type { Db } from '../../db/index.ts';
import type { Outbox } from '../../db/outbox.ts';
import { compactApplicability, invalidOffer, storeScopeProblems, windowProblems, type ProductLookup } from './offer-checks.ts';
import { enginePromotion, toThreshold, type ThresholdPromotionView } from './offer-rows.ts';
import { promotionProblems, type Applicability, type Funder, type ThresholdRule } from './pricing/index.ts';
import type { OfferStatus, PromotionsRepo, ThresholdRow } from './promotions.repo.ts';
import type { TemplateOwner } from './coupon-templates.ts';

export interface ThresholdInput {
  name: string;
  /** 满X减Y is a ladder of one tier; 每满X减Y is `every` (optionally capped). */
  rule: ThresholdRule;
  applies_to?: Applicability;
  valid_from_ms: number;
  valid_to_ms: number;
  stacks_with?: string[];
}

export interface PlatformThresholdInput extends ThresholdInput {
  funder?: Funder;
  platform_share_bp?: number;
  stacking_group?: string;
  campaign_id?: string | null;
}

export type ThresholdPatch = Partial<Pick<ThresholdInput, 'name' | 'rule' | 'applies_to' | 'valid_from_ms' | 'valid_to_ms' | 'stacks_with'>> & { status?: OfferStatus };

/**
 * Threshold promotions (满减): applied automatically at checkout while in effect, so unlike
 * coupons their terms may be edited (each edit is validated again).
 */
export function createThresholds(deps: { db: Db; clock: Clock; outbox: Outbox; repo: PromotionsRepo; products: ProductLookup }) {
  const { db, clock, outbox, repo } = deps;

  async function validate(row: ThresholdRow, now: number, isNew: boolean): Promise<void> {
    const problems = [
      ...promotionProblems(enginePromotion(row)),
      ...(isNew || row.status === 'active' ? windowProblems(row, now) : []),
      ...(row.store_id ? await storeScopeProblems(row.store_id, JSON.parse(row.applies_to), deps.products) : []),
    ];
    if (problems.length) throw invalidOffer('invalid_promotion', problems);
  }

  async function create(owner: TemplateOwner, input: PlatformThresholdInput, actorId: string | null): Promise<ThresholdPromotionView> {
    const now = clock.now();
    const isStore = owner.scope === 'store';
    const row: ThresholdRow = {
      id: newId('prm'), scope: owner.scope, store_id: isStore ? owner.store_id : null, name: input.name.trim(), rule: JSON.stringify(input.rule),
      applies_to: JSON.stringify(compactApplicability(input.applies_to)), funder: isStore ? 'merchant' : (input.funder ?? 'platform'),
      platform_share_bp: isStore ? null : (input.platform_share_bp ?? null), stacking_group: isStore ? null : (input.stacking_group ?? null),
      stacks_with: input.stacks_with ? JSON.stringify(input.stacks_with) : null, campaign_id: isStore ? null : (input.campaign_id ?? null),
      valid_from_ms: input.valid_from_ms, valid_to_ms: input.valid_to_ms, status: 'active', created_by: actorId, created_at: now, updated_at: now,
    };
    await validate(row, now, true);
    return db.transaction(async (tx) => {
      await repo.q(tx).insertInto('promotions_thresholds').values(row).execute();
      await outbox.emit(tx, 'threshold_promotion.created', row.id, { promotion_id: row.id, scope: row.scope, store_id: row.store_id, campaign_id: row.campaign_id });
      return toThreshold(row);
    });
  }

  async function get(owner: TemplateOwner, id: string): Promise<ThresholdRow> {
    const r = await repo.q().selectFrom('promotions_thresholds').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r || r.scope !== owner.scope || (owner.scope === 'store' && r.store_id !== owner.store_id)) throw notFound('promotion', id);
    return r;
  }

  return {
    createStoreThreshold: (storeId: string, input: ThresholdInput, actorId: string | null) => create({ scope: 'store', store_id: storeId }, input, actorId),
    createPlatformThreshold: (input: PlatformThresholdInput, actorId: string | null) => create({ scope: 'platform' }, input, actorId),
    thresholdPromotion: async (owner: TemplateOwner, id: string) => toThreshold(await get(owner, id)),

    async listThresholds(owner: TemplateOwner, opts: { status?: OfferStatus; limit?: number; cursor?: string }): Promise<Page<ThresholdPromotionView>> {
      const limit = clampLimit(opts.limit);
      const after = decodeCursor(opts.cursor);
      let q = repo.q().selectFrom('promotions_thresholds').selectAll().where('scope', '=', owner.scope).orderBy('id', 'desc').limit(limit + 1);
      if (owner.scope === 'store') q = q.where('store_id', '=', owner.store_id);
      if (opts.status) q = q.where('status', '=', opts.status);
      if (after !== undefined) q = q.where('id', '<', String(after));
      return toPage((await q.execute()).map(toThreshold), limit, (p) => p.id);
    },

    async updateThreshold(owner: TemplateOwner, id: string, patch: ThresholdPatch): Promise<ThresholdPromotionView> {
      const current = await get(owner, id);
      const now = clock.now();
      const next: ThresholdRow = {
        ...current, updated_at: now,
        ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
        ...(patch.rule !== undefined ? { rule: JSON.stringify(patch.rule) } : {}),
        ...(patch.applies_to !== undefined ? { applies_to: JSON.stringify(compactApplicability(patch.applies_to)) } : {}),
        ...(patch.valid_from_ms !== undefined ? { valid_from_ms: patch.valid_from_ms } : {}),
        ...(patch.valid_to_ms !== undefined ? { valid_to_ms: patch.valid_to_ms } : {}),
        ...(patch.stacks_with !== undefined ? { stacks_with: JSON.stringify(patch.stacks_with) } : {}),
        ...(patch.status !== undefined ? { status: patch.status } : {}),
      };
      // Stopping needs no checks: a promotion whose products have since gone must still be stoppable.
      const onlyStops = next.status === 'stopped' && Object.keys(patch).every((k) => k === 'status');
      if (!onlyStops) await validate(next, now, false);
      return db.transaction(async (tx) => {
        const { id: _id, created_at: _c, created_by: _b, scope: _s, store_id: _st, ...values } = next;
        await repo.q(tx).updateTable('promotions_thresholds').set(values).where('id', '=', id).execute();
        await outbox.emit(tx, 'threshold_promotion.updated', id, { promotion_id: id, scope: next.scope, store_id: next.store_id, changed: Object.keys(patch) });
        return toThreshold(next);
      });
    },
  };
}
