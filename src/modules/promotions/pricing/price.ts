/**
 * price(input, policy) → PricedCart: the one place a cart is priced. Pure and deterministic:
 * the same input gives the same output, whatever order the lines and coupons come in (lines
 * are processed in canonical order — store_id, then line_id — and offers by id).
 *
 * The stages run in the order the policy lists them; each stage kind has one handler below.
 */
import { assemble } from './assemble.ts';
import { runDiscountStage } from './discount-stage.ts';
import { couponOffer, promotionOffer, type Offer } from './offers.ts';
import { assertPolicy, DEFAULT_POLICY } from './policy.ts';
import { shippingStage } from './shipping.ts';
import { priceStage } from './special-price.ts';
import { byText, pushNotApplied, type EngineState, type LineState } from './state.ts';
import type { CartLine, DiscountStage, PriceResult, PricingFail, PricingInput, PricingPolicy, StageConfig, StageKind } from './pricing.types.ts';

const HANDLERS: Readonly<Record<StageKind, (s: EngineState, cfg: StageConfig) => PricingFail | null>> = {
  price: priceStage,
  store_coupon: runDiscountStage,
  platform_coupon: runDiscountStage,
  store_threshold: runDiscountStage,
  platform_threshold: runDiscountStage,
  shipping: shippingStage,
};

export function price(input: PricingInput, policy: PricingPolicy = DEFAULT_POLICY): PriceResult {
  assertPolicy(policy);
  assertInput(input);
  const s = initState(input, policy);
  for (const cfg of policy.stages) {
    const failed = HANDLERS[cfg.stage](s, cfg);
    if (failed) return failed;
  }
  return { ok: true, value: assemble(s) };
}

function initState(input: PricingInput, policy: PricingPolicy): EngineState {
  const lines = [...input.lines].sort((a, b) => byText(a.store_id, b.store_id) || byText(a.line_id, b.line_id)).map(lineState);
  const s: EngineState = {
    input,
    policy,
    now_ms: input.now_ms,
    lines,
    offers: { store_coupon: [], platform_coupon: [], store_threshold: [], platform_threshold: [] },
    applied: [],
    shipping: new Map(),
    steps: [],
    not_applied: [],
  };
  const all = [...(input.coupons ?? []).map((c) => couponOffer(c, policy)), ...(input.promotions ?? []).map(promotionOffer)]
    .sort((a, b) => byText(a.source_kind, b.source_kind) || byText(a.source_id, b.source_id));
  const inPolicy = new Set(policy.stages.map((x) => x.stage));
  let prev: Offer | null = null;
  for (const o of all) {
    if (prev && prev.source_kind === o.source_kind && prev.source_id === o.source_id) pushNotApplied(s, o, 'duplicate', {});
    else if (!inPolicy.has(o.source_kind)) pushNotApplied(s, o, 'stage_not_in_policy', { stage: o.source_kind });
    else s.offers[o.source_kind as DiscountStage].push(o);
    prev = o;
  }
  return s;
}

function lineState(line: CartLine): LineState {
  const goods = line.unit_price_minor * line.quantity;
  return {
    line,
    list_unit_price_minor: line.unit_price_minor,
    unit_price_minor: line.unit_price_minor,
    price_source: 'sku',
    price_source_id: null,
    goods_minor: goods,
    floor_base_minor: goods,
    current_minor: goods,
    tags: [],
    discounts: [],
    shipping_minor: 0,
  };
}

const isFen = (n: unknown) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;

/** The edge validates requests; reaching here with a malformed cart is a programmer error. */
function assertInput(input: PricingInput): void {
  if (!Number.isSafeInteger(input.now_ms)) throw new Error('pricing: now_ms must be integer epoch ms');
  if (typeof input.province !== 'string' || input.province === '') throw new Error('pricing: province is required');
  if ((input.currency ?? 'CNY') !== 'CNY') throw new Error(`pricing: unsupported currency ${input.currency}`);
  const ids = new Set<string>();
  for (const l of input.lines) {
    if (!l.line_id || ids.has(l.line_id)) throw new Error(`pricing: line ids must be unique and non-empty (${l.line_id})`);
    ids.add(l.line_id);
    if (!l.store_id) throw new Error(`pricing: line ${l.line_id} has no store_id`);
    if (!(Number.isSafeInteger(l.quantity) && l.quantity >= 1)) throw new Error(`pricing: line ${l.line_id} quantity must be a positive integer`);
    if (!isFen(l.unit_price_minor)) throw new Error(`pricing: line ${l.line_id} unit_price_minor must be fen ≥ 0`);
    if (!Number.isSafeInteger(l.unit_price_minor * l.quantity)) throw new Error(`pricing: line ${l.line_id} amount overflows`);
    for (const sp of [l.flash, l.live]) {
      if (sp && !isFen(sp.price_minor)) throw new Error(`pricing: line ${l.line_id} special price must be fen ≥ 0`);
    }
  }
}
