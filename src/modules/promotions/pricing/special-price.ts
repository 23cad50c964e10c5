/**
 * The `price` stage: each line starts at the server's SKU price, or at a flash-sale (限时抢购)
 * or live-room price when one is valid right now for this buyer and quantity. When both are
 * valid the lower wins (flash on a tie). A special price is the merchant's own price, not a
 * discount: it changes the line's unit price and is explained, but no funder pays for it.
 *
 * The flash sale's configuration (duration, price band, stock ≤ SKU stock) is checked when it
 * is created — see flash-sale.ts; here only what depends on the moment and the buyer is checked.
 */
import { pushNotApplied, pushStep, type EngineState, type LineState } from './state.ts';
import type { CartLine, FlashPrice, LivePrice } from './pricing.types.ts';

type Kind = 'flash_sale' | 'live_price';
interface Candidate {
  kind: Kind;
  id: string;
  sp: FlashPrice | LivePrice;
}

function candidates(line: CartLine): Candidate[] {
  const out: Candidate[] = [];
  if (line.flash) out.push({ kind: 'flash_sale', id: line.flash.flash_sale_id, sp: line.flash });
  if (line.live) out.push({ kind: 'live_price', id: line.live.room_id, sp: line.live });
  return out;
}

function check(c: Candidate, line: CartLine, now: number): { code: string; details: Record<string, unknown> } | null {
  const sp = c.sp;
  if (now < sp.start_ms || now >= sp.end_ms) return { code: 'not_active', details: { start_ms: sp.start_ms, end_ms: sp.end_ms } };
  if (c.kind === 'live_price' && !(sp as LivePrice).ordered_in_room) return { code: 'not_in_room', details: {} };
  const bought = sp.bought_qty ?? 0;
  if (sp.limit_per_buyer !== undefined && sp.limit_per_buyer !== null && line.quantity + bought > sp.limit_per_buyer) {
    return { code: 'over_buyer_limit', details: { limit_per_buyer: sp.limit_per_buyer, bought_qty: bought, quantity: line.quantity } };
  }
  if (sp.stock_left !== undefined && line.quantity > sp.stock_left) return { code: 'sold_out', details: { stock_left: sp.stock_left, quantity: line.quantity } };
  if (sp.price_minor >= line.unit_price_minor) return { code: 'not_lower', details: { price_minor: sp.price_minor, list_price_minor: line.unit_price_minor } };
  return null;
}

export function priceStage(s: EngineState): null {
  for (const l of s.lines) {
    const valid: Candidate[] = [];
    for (const c of candidates(l.line)) {
      const why = check(c, l.line, s.now_ms);
      if (why) pushNotApplied(s, { source_kind: c.kind, source_id: c.id }, why.code, { line_id: l.line.line_id, ...why.details });
      else valid.push(c);
    }
    // Stable sort: on equal prices the flash sale (listed first) wins.
    valid.sort((a, b) => a.sp.price_minor - b.sp.price_minor);
    const [best, ...rest] = valid;
    for (const c of rest) {
      pushNotApplied(s, { source_kind: c.kind, source_id: c.id }, 'better_price_applied', { line_id: l.line.line_id, price_minor: c.sp.price_minor, applied_source_id: best.id });
    }
    if (best) applySpecial(s, l, best);
  }
  return null;
}

function applySpecial(s: EngineState, l: LineState, c: Candidate): void {
  const saved = (l.list_unit_price_minor - c.sp.price_minor) * l.line.quantity;
  l.unit_price_minor = c.sp.price_minor;
  l.price_source = c.kind;
  l.price_source_id = c.id;
  l.goods_minor = c.sp.price_minor * l.line.quantity;
  l.current_minor = l.goods_minor;
  if (s.policy.floor_base === 'effective_price') l.floor_base_minor = l.goods_minor;
  l.tags.push({ source_id: c.id, group: c.kind, stacks_with: c.sp.stacks_with ?? ['*'] });
  const details = { line_id: l.line.line_id, price_minor: c.sp.price_minor, list_price_minor: l.list_unit_price_minor, quantity: l.line.quantity };
  pushStep(s, 'price', { source_kind: c.kind, source_id: c.id }, saved, c.kind === 'flash_sale' ? 'flash_price' : 'live_price', details, [{ line_id: l.line.line_id, amount_minor: saved }]);
}
