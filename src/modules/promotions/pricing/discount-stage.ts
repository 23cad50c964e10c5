/**
 * One discount stage (store coupons, platform coupons, store 满减, platform 满减): the same
 * code for all four, driven by the stage's config (floor, limit, basis) and the offers' data
 * (scope, stacking group, window, rule).
 *
 * Offers are applied greedily: each round every remaining offer is quoted against the current
 * state and the largest discount is applied (ties: the smaller source id). An offer that fails
 * can never succeed later in the stage — amounts only fall, tags and counts only grow — so it
 * is explained and dropped at once. For the buyer's selected coupons this means that when two
 * compete for one slot (one store coupon per store) the better one is used.
 */
import { allocateCapped, floorAmount, splitFunding } from './allocation.ts';
import { inScope, stacks, type Offer } from './offers.ts';
import { byText, pushNotApplied, pushStep, type EngineState, type LineState } from './state.ts';
import type { DiscountStage, StageConfig } from './pricing.types.ts';

type Evaluation =
  | { ok: true; lines: LineState[]; caps: number[]; amount_minor: number; details: Record<string, unknown> }
  | { ok: false; code: string; details: Record<string, unknown> };

const no = (code: string, details: Record<string, unknown> = {}): Evaluation => ({ ok: false, code, details });

export function runDiscountStage(s: EngineState, cfg: StageConfig): null {
  const stage = cfg.stage as DiscountStage;
  let pending = s.offers[stage];
  while (pending.length > 0) {
    const evals = pending.map((o) => ({ o, e: evaluate(s, cfg, o) }));
    let best: { o: Offer; e: Evaluation & { ok: true } } | null = null;
    const next: Offer[] = [];
    for (const { o, e } of evals) {
      if (!e.ok) pushNotApplied(s, o, e.code, e.details);
      else {
        next.push(o);
        if (!best || e.amount_minor > best.e.amount_minor) best = { o, e }; // offers are sorted by id: first max wins
      }
    }
    if (!best) break;
    apply(s, stage, best.o, best.e);
    pending = next.filter((o) => o !== best.o);
  }
  return null;
}

interface Scoped {
  lines: LineState[];
  /** In scope but left out because of a discount they already carry. */
  excluded: { line_ids: string[]; conflicts_with: string[] } | null;
}

function scopedLines(s: EngineState, cfg: StageConfig, o: Offer): Evaluation | Scoped {
  if (o.problems.length > 0) return no('invalid_offer', { problems: o.problems });
  if (s.now_ms < o.valid_from_ms) return no('not_started', { valid_from_ms: o.valid_from_ms });
  if (s.now_ms >= o.valid_to_ms) return no('expired', { valid_to_ms: o.valid_to_ms });
  let lines = s.lines.filter((l) => inScope(o, l.line));
  if (lines.length === 0) return no('out_of_scope');
  const stage = cfg.stage as DiscountStage;
  const limit = cfg.limit;
  if (limit) {
    const used = (store: string | null) => s.applied.filter((a) => a.stage === stage && (store === null || a.store_ids.includes(store))).length;
    if (limit.per === 'order' && used(null) >= limit.max) return no('limit_reached', { per: 'order', max: limit.max });
    if (limit.per === 'store') lines = lines.filter((l) => used(l.line.store_id) < limit.max);
    if (lines.length === 0) return no('limit_reached', { per: 'store', max: limit.max });
  }
  const conflicts = new Set<string>();
  const excluded: string[] = [];
  const banned = (a: string, b: string) => (s.policy.never_stack ?? []).some(([x, y]) => (x === a && y === b) || (x === b && y === a));
  lines = lines.filter((l) => {
    const bad = l.tags.filter((t) => !stacks(t, o) || banned(t.group, o.group));
    bad.forEach((t) => conflicts.add(t.source_id));
    if (bad.length > 0) excluded.push(l.line.line_id);
    return bad.length === 0;
  });
  const conflicts_with = [...conflicts].sort(byText);
  if (lines.length === 0) return no('not_stackable', { conflicts_with });
  return { lines, excluded: excluded.length > 0 ? { line_ids: excluded, conflicts_with } : null };
}

function evaluate(s: EngineState, cfg: StageConfig, o: Offer): Evaluation {
  const scoped = scopedLines(s, cfg, o);
  if ('ok' in scoped) return scoped;
  const lines = scoped.lines;
  const sum = (f: (l: LineState) => number) => lines.reduce((t, l) => t + f(l), 0);
  const basis = cfg.basis === 'goods' ? sum((l) => l.goods_minor) : sum((l) => l.current_minor);
  const current = sum((l) => l.current_minor);
  const q = o.quote(basis, current);
  if (!q.ok) return no(q.code, q.details);

  const floorBp = cfg.floor_bp ?? 0;
  const caps = lines.map((l) => Math.max(0, l.current_minor - floorAmount(l.floor_base_minor, floorBp)));
  const headroom = caps.reduce((t, c) => t + c, 0);
  if (headroom === 0) return no(floorBp > 0 && current > 0 ? 'floor_reached' : 'nothing_to_discount', { floor_bp: floorBp });
  let amount = q.amount_minor;
  const details: Record<string, unknown> = { ...q.details, basis_minor: basis, eligible_minor: current };
  if (scoped.excluded) details.not_stacked = scoped.excluded;
  if (amount > headroom) {
    details.capped_by = headroom < current ? 'floor' : 'available';
    details.uncapped_minor = amount;
    amount = headroom;
  }
  if (amount <= 0) return no('nothing_to_discount');
  return { ok: true, lines, caps, amount_minor: amount, details };
}

/** Only the winner of a round is allocated: proportional to what each line still costs, held at its floor. */
function apply(s: EngineState, stage: DiscountStage, o: Offer, e: Evaluation & { ok: true }): void {
  const shares = allocateCapped(e.amount_minor, e.lines.map((l) => l.current_minor), e.caps);
  const { platform, merchant } = splitFunding(o.funding, shares);
  const tag = { source_id: o.source_id, group: o.group, stacks_with: o.stacks_with };
  const stepLines: { line_id: string; amount_minor: number }[] = [];
  e.lines.forEach((l, i) => {
    l.tags.push(tag);
    const amount = shares[i];
    if (amount === 0) return;
    l.current_minor -= amount;
    l.discounts.push({
      source_id: o.source_id,
      source_kind: o.source_kind,
      funder: o.funding.funder,
      amount_minor: amount,
      platform_minor: platform[i],
      merchant_minor: merchant[i],
      campaign_id: o.campaign_id,
    });
    stepLines.push({ line_id: l.line.line_id, amount_minor: amount });
  });
  const store_ids = [...new Set(e.lines.map((l) => l.line.store_id))];
  s.applied.push({ stage, source_id: o.source_id, store_ids });
  const details = { ...e.details, funder: o.funding.funder, campaign_id: o.campaign_id, store_ids };
  pushStep(s, stage, o, e.amount_minor, 'applied', details, stepLines);
}
