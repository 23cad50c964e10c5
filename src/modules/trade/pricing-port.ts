/**
 * What trade asks of the pricing engine (module promotions), and what it keeps on the order.
 * Trade never computes a discount itself; it stores the engine's allocation per line so a
 * partial refund later is exact to the fen.
 */
import type { Executor } from '../../db/index.ts';

export interface PricingLineInput {
  line_id: string;
  store_id: string;
  sku_id: string;
  product_id: string;
  category_id: string;
  quantity: number;
  unit_price_minor: number; // the server's current price, never the client's
  campaign_id: string | null;
  channel: string;
  content_id: string | null;
}

export interface PricingRequest {
  buyer_id: string;
  now_ms: number;
  province: string | null;
  lines: PricingLineInput[];
  coupon_ids: string[];
  /** Preview only: pick the cheapest selection from the buyer's wallet (coupon_ids is ignored). */
  auto_coupons?: boolean;
}

export interface LineDiscount {
  source_id: string;
  kind: string;
  funder: 'platform' | 'merchant' | 'shared';
  amount_minor: number;
  platform_minor: number;
  merchant_minor: number;
  campaign_id?: string | null;
}

export interface PricedLine {
  line_id: string;
  unit_price_minor: number; // may be a live/flash price
  goods_minor: number; // unit × quantity before discounts
  discount_minor: number;
  shipping_minor: number; // this line's share of its store's shipping
  paid_minor: number; // goods − discount + shipping share
  discounts: LineDiscount[];
  /** A campaign's reduced technical service fee for this line (never above the category rate); absent = category rate. */
  fee_rate_bp?: number;
  /** The campaign this line was sold through, as the pricer decided (overrides the client's attribution when present). */
  campaign_id?: string | null;
}

export interface PricedStore {
  store_id: string;
  goods_minor: number;
  discount_minor: number;
  shipping_minor: number;
  total_minor: number;
}

export interface PricingResult {
  ok: true;
  lines: PricedLine[];
  stores: PricedStore[];
  total_minor: number;
  currency: 'CNY';
  /** The ordered, human-readable explanation; stored on the orders. */
  explanation: unknown;
  /** The coupons that applied (with auto_coupons: the ones picked). */
  coupon_ids?: string[];
  /** What checkout must take in its transaction (coupons, flash-sale units); opaque to trade. */
  redemptions?: Redemption[];
  /** Per store: the slice of the explanation kept on that store's order (else `explanation`). */
  order_pricing?: Record<string, unknown>;
}

export interface Redemption {
  kind: string;
  ref_id: string;
  quantity: number;
}

/**
 * Takes what the pricer said a checkout uses (coupons, flash stock) inside the checkout's
 * transaction — a failure throws and nothing is placed — and gives it back when the
 * checkout is cancelled or expires unpaid (in that transaction too).
 */
export interface Redemptions {
  redeem(tx: Executor, buyerId: string, checkoutId: string, pricing: PricingResult): Promise<void>;
  release(tx: Executor, checkoutId: string): Promise<void>;
}
export const noRedemptions: Redemptions = { redeem: async () => {}, release: async () => {} };

export interface PricingFailure {
  ok: false;
  code: string;
  message: string;
  message_zh?: string;
  details?: unknown;
}

export type Pricer = (req: PricingRequest) => Promise<PricingResult | PricingFailure>;

/** No promotions, free shipping: what trade does when no pricing engine is wired (unit tests). */
export const listPricePricer: Pricer = async (req) => {
  const lines = req.lines.map((l) => {
    const goods = l.unit_price_minor * l.quantity;
    return { line_id: l.line_id, unit_price_minor: l.unit_price_minor, goods_minor: goods, discount_minor: 0, shipping_minor: 0, paid_minor: goods, discounts: [] };
  });
  const byStore = new Map<string, PricedStore>();
  for (const [i, l] of req.lines.entries()) {
    const s = byStore.get(l.store_id) ?? { store_id: l.store_id, goods_minor: 0, discount_minor: 0, shipping_minor: 0, total_minor: 0 };
    s.goods_minor += lines[i].goods_minor;
    s.total_minor += lines[i].paid_minor;
    byStore.set(l.store_id, s);
  }
  const stores = [...byStore.values()];
  return { ok: true, lines, stores, total_minor: stores.reduce((s, x) => s + x.total_minor, 0), currency: 'CNY', explanation: [{ step: 'list_price' }] };
};
