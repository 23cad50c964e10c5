/**
 * Turns the engine state into the PricedCart and proves its invariants: every amount is a
 * non-negative integer; each line's paid = goods − discounts + shipping; each discount's
 * per-line parts sum to its step and split exactly between platform and merchant; store and
 * grand totals are the sums of their lines. A violation is a bug, so it throws.
 */
import { byText, type EngineState } from './state.ts';
import type { DiscountStage, FundingTotals, PricedCart, PricedLine, PricedStore, StoreDiscount } from './pricing.types.ts';

export function assemble(s: EngineState): PricedCart {
  const lines: PricedLine[] = s.lines.map((l) => {
    const discount = l.discounts.reduce((t, d) => t + d.amount_minor, 0);
    return {
      line_id: l.line.line_id,
      store_id: l.line.store_id,
      sku_id: l.line.sku_id,
      product_id: l.line.product_id,
      category_id: l.line.category_id,
      campaign_id: l.line.campaign_id ?? null,
      quantity: l.line.quantity,
      list_unit_price_minor: l.list_unit_price_minor,
      unit_price_minor: l.unit_price_minor,
      price_source: l.price_source,
      price_source_id: l.price_source_id,
      goods_minor: l.goods_minor,
      discounts: l.discounts,
      discount_minor: discount,
      goods_paid_minor: l.goods_minor - discount,
      shipping_minor: l.shipping_minor,
      paid_minor: l.goods_minor - discount + l.shipping_minor,
    };
  });
  const stores = storesOf(s, lines);
  const sum = (f: (x: PricedStore) => number) => stores.reduce((t, x) => t + f(x), 0);
  const cart: PricedCart = {
    currency: s.input.currency ?? 'CNY',
    now_ms: s.now_ms,
    province: s.input.province,
    lines,
    stores,
    goods_minor: sum((x) => x.goods_minor),
    discount_minor: sum((x) => x.discount_minor),
    shipping_minor: sum((x) => x.shipping_minor),
    total_minor: sum((x) => x.total_minor),
    steps: s.steps,
    not_applied: s.not_applied,
    funding: fundingOf(lines),
  };
  assertInvariants(cart, s);
  return cart;
}

function storesOf(s: EngineState, lines: PricedLine[]): PricedStore[] {
  const ids = [...new Set(lines.map((l) => l.store_id))];
  return ids.map((store_id) => {
    const own = lines.filter((l) => l.store_id === store_id);
    const bySource = new Map<string, StoreDiscount>();
    for (const d of own.flatMap((l) => l.discounts)) {
      const key = `${d.source_kind}\u0000${d.source_id}`;
      const cur = bySource.get(key) ?? { source_id: d.source_id, source_kind: d.source_kind, amount_minor: 0 };
      cur.amount_minor += d.amount_minor;
      bySource.set(key, cur);
    }
    const goods = own.reduce((t, l) => t + l.goods_minor, 0);
    const discount = own.reduce((t, l) => t + l.discount_minor, 0);
    const ship = s.shipping.get(store_id);
    if (!ship) throw new Error(`pricing: no shipping computed for store ${store_id}`);
    return {
      store_id,
      line_ids: own.map((l) => l.line_id),
      goods_minor: goods,
      discount_minor: discount,
      discounts: [...bySource.values()],
      shipping_minor: ship.fee_minor,
      shipping_template_id: ship.template_id,
      total_minor: goods - discount + ship.fee_minor,
    };
  });
}

function fundingOf(lines: PricedLine[]): FundingTotals {
  const byStore = new Map<string, { store_id: string; platform_minor: number; merchant_minor: number }>();
  const bySource = new Map<string, FundingTotals['by_source'][number]>();
  let platform = 0;
  let merchant = 0;
  for (const l of lines) {
    for (const d of l.discounts) {
      platform += d.platform_minor;
      merchant += d.merchant_minor;
      const st = byStore.get(l.store_id) ?? { store_id: l.store_id, platform_minor: 0, merchant_minor: 0 };
      st.platform_minor += d.platform_minor;
      st.merchant_minor += d.merchant_minor;
      byStore.set(l.store_id, st);
      const key = `${d.source_kind}\u0000${d.source_id}`;
      const so = bySource.get(key) ?? { source_id: d.source_id, source_kind: d.source_kind as DiscountStage, campaign_id: d.campaign_id, platform_minor: 0, merchant_minor: 0 };
      so.platform_minor += d.platform_minor;
      so.merchant_minor += d.merchant_minor;
      bySource.set(key, so);
    }
  }
  const by_source = [...bySource.values()].sort((a, b) => byText(a.source_kind, b.source_kind) || byText(a.source_id, b.source_id));
  return { platform_minor: platform, merchant_minor: merchant, by_store: [...byStore.values()], by_source };
}

function assertInvariants(c: PricedCart, s: EngineState): void {
  const bad = (what: string): never => {
    throw new Error(`pricing invariant violated: ${what}`);
  };
  const ok = (n: number) => Number.isSafeInteger(n) && n >= 0;
  for (const l of c.lines) {
    const nums = [l.quantity, l.list_unit_price_minor, l.unit_price_minor, l.goods_minor, l.discount_minor, l.goods_paid_minor, l.shipping_minor, l.paid_minor];
    if (!nums.every(ok)) bad(`line ${l.line_id} has a negative or fractional amount: ${nums.join(', ')}`);
    for (const d of l.discounts) {
      if (!ok(d.amount_minor) || !ok(d.platform_minor) || !ok(d.merchant_minor) || d.platform_minor + d.merchant_minor !== d.amount_minor) {
        bad(`line ${l.line_id}: discount ${d.source_id} ${d.amount_minor} = ${d.platform_minor} + ${d.merchant_minor}`);
      }
    }
    if (l.paid_minor !== l.goods_minor - l.discount_minor + l.shipping_minor) bad(`${l.line_id}: paid`);
  }
  for (const st of s.steps) {
    if (st.stage === 'price') continue;
    let parts = 0;
    for (const x of st.lines) parts += x.amount_minor;
    if (parts !== st.amount_minor) bad(`step ${st.seq}: lines sum to ${parts}, step says ${st.amount_minor}`);
  }
  let paid = 0;
  for (const st of c.stores) {
    let own = 0;
    for (const l of c.lines) if (l.store_id === st.store_id) own += l.paid_minor;
    if (own !== st.total_minor) bad(`store ${st.store_id}: lines pay ${own}, total ${st.total_minor}`);
    if (!ok(st.shipping_minor) || !ok(st.total_minor)) bad(`store ${st.store_id}: negative amount`);
    paid += own;
  }
  if (paid !== c.total_minor) bad('grand total');
  if (c.funding.platform_minor + c.funding.merchant_minor !== c.discount_minor) bad('funding totals');
}
