/**
 * Trade's Pricer port, implemented: loads what is in effect for this buyer and cart (the
 * selected wallet coupons — checked as the buyer's, unused and valid now —, the stores' and the
 * platform's 满减, running flash sales with this buyer's earlier purchases, live-room prices for
 * lines attributed to their room, the stores' default
 * shipping templates), runs the pure engine, and maps the PricedCart to trade's PricingResult.
 * With `auto_coupons` it picks the cheapest selection from the buyer's wallet (bestCoupons).
 */
import type { Executor } from '../../db/index.ts';
import type { Pricer, PricingFailure, PricingRequest, PricingResult, Redemption } from '../trade/index.ts';
import { engineCoupon, enginePromotion } from './offer-rows.ts';
import { bestCoupons, orderPricing, price, type CartLine, type Coupon, type LivePrice, type PricedCart, type PricingFail, type PricingInput, type PricingPolicy, type ShippingTemplate } from './pricing/index.ts';
import type { CouponRow, CouponTemplateRow, FlashSaleRow, PromotionsRepo } from './promotions.repo.ts';

/** A store's default shipping template as fulfillment keeps it. */
export interface StoreShippingTemplate {
  id: string;
  store_id: string;
  rules: ShippingTemplate['rules'];
  free_threshold_minor: number | null;
  excluded_provinces: string[];
}
export type ShippingTemplateLookup = (storeIds: readonly string[], ex?: Executor) => Promise<Map<string, StoreShippingTemplate>>;

/** Without an address the template's default ('*') rule prices shipping. */
export const NO_PROVINCE = '全国';

const fail = (code: string, message: string, message_zh: string, details: Record<string, unknown>): PricingFailure => ({ ok: false, code, message, message_zh, details });
const couponKinds = new Set(['store_coupon', 'platform_coupon']);
/** A live price whose room has not gone live (or is still live) has an open bound. */
const NEVER = Number.MAX_SAFE_INTEGER;

export function createPricer(deps: { repo: PromotionsRepo; policy: PricingPolicy; shippingTemplates: ShippingTemplateLookup }) {
  const { repo, policy } = deps;

  async function couponRows(buyerId: string, filter: { ids?: string[]; usableAt?: number }): Promise<{ c: CouponRow; t: CouponTemplateRow }[]> {
    let q = repo.q().selectFrom('promotions_coupons').selectAll().where('buyer_id', '=', buyerId);
    if (filter.ids) q = q.where('id', 'in', filter.ids);
    if (filter.usableAt !== undefined) q = q.where('status', '=', 'claimed').where('valid_from_ms', '<=', filter.usableAt).where('valid_to_ms', '>', filter.usableAt);
    const coupons = await q.orderBy('id').limit(200).execute();
    if (!coupons.length) return [];
    const templates = await repo.q().selectFrom('promotions_coupon_templates').selectAll().where('id', 'in', [...new Set(coupons.map((c) => c.template_id))]).execute();
    const byId = new Map(templates.map((t) => [t.id, t]));
    return coupons.map((c) => ({ c, t: byId.get(c.template_id)! }));
  }

  /** The coupons the buyer selected, or why they cannot be used. Another buyer's coupon is "not found". */
  async function selectedCoupons(buyerId: string, ids: string[], now: number): Promise<Coupon[] | PricingFailure> {
    const unique = [...new Set(ids)];
    if (!unique.length) return [];
    const rows = await couponRows(buyerId, { ids: unique });
    const missing = unique.filter((id) => !rows.some((r) => r.c.id === id));
    if (missing.length) return fail('coupon_not_found', 'coupon not found', '优惠券不存在', { coupon_ids: missing });
    for (const { c } of rows) {
      if (c.status === 'used') return fail('coupon_used', 'this coupon has already been used', '优惠券已使用', { coupon_id: c.id });
      if (now < c.valid_from_ms) return fail('coupon_not_started', 'this coupon cannot be used yet', '优惠券尚未到使用时间', { coupon_id: c.id, valid_from_ms: c.valid_from_ms });
      if (now >= c.valid_to_ms) return fail('coupon_expired', 'this coupon has expired', '优惠券已过期', { coupon_id: c.id, valid_to_ms: c.valid_to_ms });
    }
    return rows.map(({ c, t }) => engineCoupon(t, c.id, c));
  }

  async function promotionsFor(storeIds: string[], now: number) {
    return (await repo.thresholdsInEffect(storeIds, now)).map(enginePromotion);
  }

  async function cartLines(req: PricingRequest, liveIds: Map<string, string>): Promise<CartLine[]> {
    const flashes = await repo.flashOfSkus(req.lines.map((l) => l.sku_id), req.now_ms);
    return Promise.all(req.lines.map(async (l) => {
      const line: CartLine = {
        line_id: l.line_id, store_id: l.store_id, sku_id: l.sku_id, product_id: l.product_id, category_id: l.category_id, quantity: l.quantity,
        unit_price_minor: l.unit_price_minor, ...(l.campaign_id ? { campaign_id: l.campaign_id } : {}),
      };
      const [withFlash, live] = await Promise.all([flashOf(line, flashes.get(line.sku_id), req), liveOf(line, l, req)]);
      if (live) liveIds.set(l.line_id, live.id);
      return live ? { ...withFlash, live: live.price } : withFlash;
    }));
  }

  async function flashOf(line: CartLine, f: FlashSaleRow | undefined, req: PricingRequest): Promise<CartLine> {
    if (!f || f.store_id !== line.store_id) return line;
    const bought = await repo.flashBought(f.id, req.buyer_id);
    return { ...line, flash: { flash_sale_id: f.id, price_minor: f.price_minor, start_ms: f.start_ms, end_ms: f.end_ms, limit_per_buyer: f.limit_per_buyer, bought_qty: bought, stock_left: Math.max(0, f.flash_stock - f.sold) } };
  }

  /**
   * A live-room price is looked up only for a line attributed to the room (channel 'live',
   * content_id = room id): an order not placed from the room never sees it. Outside the room's
   * live period the engine explains it as not_active.
   */
  async function liveOf(line: CartLine, l: PricingRequest['lines'][number], req: PricingRequest): Promise<{ id: string; price: LivePrice } | null> {
    if (l.channel !== 'live' || !l.content_id) return null;
    const r = await repo.liveOfSku(l.content_id, line.sku_id);
    if (!r || r.store_id !== line.store_id) return null;
    const bought = await repo.liveBought(r.id, req.buyer_id);
    return {
      id: r.id,
      price: {
        room_id: r.room_id, ordered_in_room: true, price_minor: r.price_minor, start_ms: r.live_from_ms ?? NEVER, end_ms: r.live_to_ms ?? NEVER,
        limit_per_buyer: r.limit_per_buyer, bought_qty: bought, stock_left: Math.max(0, r.live_stock - r.sold),
      },
    };
  }

  async function templates(storeIds: string[]): Promise<ShippingTemplate[]> {
    const found = await deps.shippingTemplates(storeIds);
    return storeIds.map((id): ShippingTemplate => {
      const t = found.get(id);
      // A store without a template ships free (fulfillment's rule), rather than failing the cart.
      if (!t) return { template_id: `free_${id}`, store_id: id, basis: 'quantity', rules: [{ provinces: '*', first_units: 1, first_fee_minor: 0, additional_units: 1, additional_fee_minor: 0 }] };
      return { template_id: t.id, store_id: id, basis: 'quantity', rules: t.rules, free_over_minor: t.free_threshold_minor, no_free_provinces: t.excluded_provinces };
    });
  }

  const pricer: Pricer = async (req) => {
    const now = req.now_ms;
    const storeIds = [...new Set(req.lines.map((l) => l.store_id))].sort();
    const selected = req.auto_coupons ? [] : await selectedCoupons(req.buyer_id, req.coupon_ids, now);
    if (!Array.isArray(selected)) return selected;
    const liveIds = new Map<string, string>(); // line_id → live price id, for the redemption
    const [lines, promotions, shipping_templates] = await Promise.all([cartLines(req, liveIds), promotionsFor(storeIds, now), templates(storeIds)]);
    const input: PricingInput = { lines, coupons: selected, promotions, shipping_templates, province: req.province || NO_PROVINCE, now_ms: now };
    if (req.auto_coupons) {
      const wallet = (await couponRows(req.buyer_id, { usableAt: now })).filter(({ t }) => t.scope === 'platform' || storeIds.includes(t.store_id ?? '')).map(({ c, t }) => engineCoupon(t, c.id, c));
      const best = bestCoupons(input, wallet, policy);
      return best.ok ? toResult(best.cart, req, liveIds) : engineFail(best);
    }
    const r = price(input, policy);
    return r.ok ? toResult(r.value, req, liveIds) : engineFail(r);
  };
  return pricer;
}

const engineFail = (f: PricingFail): PricingFailure => ({ ok: false, code: f.code, message: f.message, message_zh: f.message_zh, details: f.details });

/** The engine's cart in trade's terms; the full engine output stays as the explanation. */
function toResult(cart: PricedCart, req: PricingRequest, liveIds: ReadonlyMap<string, string>): PricingResult {
  const order = new Map(req.lines.map((l, i) => [l.line_id, i]));
  const lines = [...cart.lines].sort((a, b) => order.get(a.line_id)! - order.get(b.line_id)!).map((l) => ({
    line_id: l.line_id, unit_price_minor: l.unit_price_minor, goods_minor: l.goods_minor, discount_minor: l.discount_minor, shipping_minor: l.shipping_minor, paid_minor: l.paid_minor,
    discounts: l.discounts.map((d) => ({ source_id: d.source_id, kind: d.source_kind, funder: d.funder, amount_minor: d.amount_minor, platform_minor: d.platform_minor, merchant_minor: d.merchant_minor, campaign_id: d.campaign_id })),
  }));
  const coupon_ids = [...new Set(cart.steps.filter((s) => couponKinds.has(s.source_kind)).map((s) => s.source_id))];
  const redemptions: Redemption[] = [
    ...coupon_ids.map((id) => ({ kind: 'coupon', ref_id: id, quantity: 1 })),
    ...cart.lines.filter((l) => l.price_source === 'flash_sale').map((l) => ({ kind: 'flash_sale', ref_id: l.price_source_id!, quantity: l.quantity })),
    ...cart.lines.filter((l) => l.price_source === 'live_price').map((l) => ({ kind: 'live_price', ref_id: liveIds.get(l.line_id)!, quantity: l.quantity })),
  ];
  return {
    ok: true, lines, currency: 'CNY', total_minor: cart.total_minor,
    stores: cart.stores.map((s) => ({ store_id: s.store_id, goods_minor: s.goods_minor, discount_minor: s.discount_minor, shipping_minor: s.shipping_minor, total_minor: s.total_minor })),
    explanation: cart, coupon_ids, redemptions,
    order_pricing: Object.fromEntries(cart.stores.map((s) => [s.store_id, orderPricing(cart, s.store_id)])),
  };
}
