/**
 * One store's slice of a priced cart: what the order for that store keeps as its `pricing`
 * breakdown. Cross-store steps (a platform coupon or 满减 spanning stores) are cut down to this
 * store's lines, with the cart-wide amount kept beside it, so one merchant never sees another
 * merchant's lines.
 */
import type { PricedCart, PricedLine, PricedStore, Step } from './pricing.types.ts';

export interface OrderPricing {
  currency: PricedCart['currency'];
  now_ms: number;
  province: string;
  store: PricedStore;
  lines: PricedLine[];
  /** Steps touching this store; `amount_minor` is this store's part, `cart_amount_minor` the whole. */
  steps: (Step & { cart_amount_minor: number })[];
  funding: { platform_minor: number; merchant_minor: number };
}

export function orderPricing(cart: PricedCart, store_id: string): OrderPricing | null {
  const store = cart.stores.find((s) => s.store_id === store_id);
  if (!store) return null;
  const lines = cart.lines.filter((l) => l.store_id === store_id);
  const ids = new Set(lines.map((l) => l.line_id));
  const steps = cart.steps.flatMap((st) => {
    const own = st.lines.filter((x) => ids.has(x.line_id));
    if (own.length === 0 && !(st.stage === 'shipping' && st.details.store_id === store_id)) return [];
    const amount = st.stage === 'price' || st.stage === 'shipping' ? st.amount_minor : own.reduce((t, x) => t + x.amount_minor, 0);
    return [{ ...st, lines: own, amount_minor: amount, cart_amount_minor: st.amount_minor }];
  });
  const funding = cart.funding.by_store.find((f) => f.store_id === store_id) ?? { platform_minor: 0, merchant_minor: 0 };
  return {
    currency: cart.currency,
    now_ms: cart.now_ms,
    province: cart.province,
    store,
    lines,
    steps,
    funding: { platform_minor: funding.platform_minor, merchant_minor: funding.merchant_minor },
  };
}
