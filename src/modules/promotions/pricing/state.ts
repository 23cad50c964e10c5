/**
 * The working state one `price` call threads through its stages. Internal to the engine.
 */
import { explain } from './reasons.ts';
import type { Offer } from './offers.ts';
import type { CartLine, DiscountStage, LineDiscount, NotApplied, PricingInput, PricingPolicy, SourceKind, StageKind, Step } from './pricing.types.ts';

export interface Tag {
  source_id: string;
  group: string;
  stacks_with: readonly string[];
}

export interface LineState {
  line: CartLine;
  list_unit_price_minor: number;
  unit_price_minor: number;
  price_source: 'sku' | 'flash_sale' | 'live_price';
  price_source_id: string | null;
  goods_minor: number;
  /** What the stage floors are a share of (list price × quantity, or goods). */
  floor_base_minor: number;
  /** Goods minus the discounts applied so far. */
  current_minor: number;
  /** The discounts (and special price) already on this line, for stacking checks. */
  tags: Tag[];
  discounts: LineDiscount[];
  shipping_minor: number;
}

export interface EngineState {
  input: PricingInput;
  policy: PricingPolicy;
  now_ms: number;
  /** Canonical order: by store_id, then line_id. */
  lines: LineState[];
  offers: Record<DiscountStage, Offer[]>;
  applied: { stage: DiscountStage; source_id: string; store_ids: string[] }[];
  shipping: Map<string, { template_id: string; fee_minor: number }>;
  steps: Step[];
  not_applied: NotApplied[];
}

export function pushStep(
  s: EngineState,
  stage: StageKind,
  source: { source_kind: SourceKind; source_id: string },
  amount_minor: number,
  code: string,
  details: Record<string, unknown>,
  lines: { line_id: string; amount_minor: number }[],
): void {
  const d = { ...details, amount_minor };
  s.steps.push({ seq: s.steps.length + 1, stage, source_kind: source.source_kind, source_id: source.source_id, amount_minor, code, ...explain(code, d), details, lines });
}

export function pushNotApplied(s: EngineState, source: { source_kind: SourceKind; source_id: string }, code: string, details: Record<string, unknown>): void {
  s.not_applied.push({ source_kind: source.source_kind, source_id: source.source_id, code, ...explain(code, details), details });
}

/** Strings compared by code unit, never by locale, so the order is the same everywhere. */
export const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
