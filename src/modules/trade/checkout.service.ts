import type { Clock } from '../../lib/clock.ts';
import { AppError, conflict, notFound, rule } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { Executor } from '../../db/index.ts';
import type { GroupCommitter } from '../../db/group-commit.ts';
import type { Outbox } from '../../db/outbox.ts';
import type { Scheduler } from '../../db/scheduler.ts';
import type { SaleSnapshot } from '../catalog/index.ts';
import type { Address } from '../identity/index.ts';
import type { ReservationLine, ReservationResult } from '../inventory/index.ts';
import { normalizeAttribution, type Attribution } from './attribution.ts';
import type { Pricer, PricingLineInput, PricingResult, Redemptions } from './pricing-port.ts';
import type { TradeRepo } from './trade.repo.ts';

export interface CheckoutItemInput {
  sku_id: string;
  quantity: number;
  attribution?: Partial<Attribution>;
}

export interface CheckoutInput {
  items?: CheckoutItemInput[];
  cart_item_ids?: string[];
  address_id: string;
  coupon_ids?: string[];
  notes?: Record<string, string>;
  /** What the buyer was shown; a different server total is refused with 409 price_changed. */
  expected_total_minor?: number;
}

export interface TradeConfig {
  unpaid_ttl_ms: number;
  auto_receive_ms: number;
  settlement_period_ms: number;
}

export interface CheckoutDeps {
  repo: TradeRepo;
  clock: Clock;
  outbox: Outbox;
  scheduler: Scheduler;
  committer: GroupCommitter;
  /** Where the reads and pricing of a checkout wait their turn (a lane, src/lib/lane.ts); not around the commit. */
  admit<T>(fn: () => Promise<T>): Promise<T>;
  pricer: Pricer;
  /** Coupons and flash stock the pricing used, taken in the checkout's transaction. */
  redemptions: Redemptions;
  config: TradeConfig;
  saleSnapshots(skuIds: readonly string[]): Promise<Map<string, SaleSnapshot>>;
  openStoreIds(storeIds: readonly string[]): Promise<Set<string>>;
  address(buyerId: string, addressId: string): Promise<Address>;
  reserve(tx: Executor, lines: readonly ReservationLine[], ref: string, actorId: string | null): Promise<ReservationResult>;
  /** Units available now per SKU (a hint read outside the transaction). */
  available(skuIds: readonly string[]): Promise<Map<string, number>>;
  cartItems(buyerId: string, ids: readonly string[]): Promise<{ id: string; sku_id: string; quantity: number; attribution: Attribution }[]>;
  /**
   * Optional: decides each line's attribution from the server's record (the content module's
   * last-touch rule, which accepts the client's claim only when it verifies). Absent: the
   * client's claim, normalised.
   */
  attribute?(buyerId: string, lines: readonly { product_id: string; claimed: Attribution }[]): Promise<Attribution[]>;
}

export interface PlacedCheckout {
  checkout_id: string;
  order_ids: string[];
  total_minor: number;
  currency: 'CNY';
  pay_by: number;
  pricing: PricingResult;
}

interface Line {
  line_id: string;
  snap: SaleSnapshot;
  quantity: number;
  attribution: Attribution;
}

export const EXPIRE_JOB = 'trade.checkout_expire';

/** Turns a cart (or a buy-now list) into one order per store, paid by one combined payment. */
export function createCheckoutService(deps: CheckoutDeps) {
  const { repo, clock, outbox, scheduler, committer, pricer, config } = deps;

  async function gatherLines(buyerId: string, input: CheckoutInput): Promise<{ lines: Line[]; cartIds: string[] }> {
    let raw: { sku_id: string; quantity: number; attribution: Attribution }[];
    let cartIds: string[] = [];
    if (input.cart_item_ids?.length) {
      const items = await deps.cartItems(buyerId, input.cart_item_ids);
      if (items.length !== new Set(input.cart_item_ids).size) throw notFound('cart_item');
      raw = items;
      cartIds = items.map((i) => i.id);
    } else if (input.items?.length) {
      raw = input.items.map((i) => ({ sku_id: i.sku_id, quantity: i.quantity, attribution: normalizeAttribution(i.attribution) }));
    } else {
      throw new AppError('validation', 'empty_checkout', 'give items or cart_item_ids');
    }
    const skuIds = raw.map((r) => r.sku_id);
    if (new Set(skuIds).size !== skuIds.length) throw new AppError('validation', 'duplicate_sku', 'each SKU may appear once; add up the quantities');
    const snaps = await deps.saleSnapshots(skuIds);
    const open = await deps.openStoreIds([...new Set([...snaps.values()].map((s) => s.store_id))]);
    const lines = raw.map((r, i) => {
      const snap = snaps.get(r.sku_id);
      if (!snap) throw notFound('sku', r.sku_id);
      if (!snap.on_sale || !open.has(snap.store_id)) throw rule('sku_unavailable', 'an item is no longer for sale', { sku_id: r.sku_id }).zh('有商品已下架或暂不可售');
      return { line_id: `l${i}`, snap, quantity: r.quantity, attribution: r.attribution };
    });
    if (deps.attribute) {
      const decided = await deps.attribute(buyerId, lines.map((l) => ({ product_id: l.snap.product_id, claimed: l.attribution })));
      lines.forEach((l, i) => { l.attribution = decided[i]; });
    }
    return { lines, cartIds };
  }

  async function priceLines(buyerId: string, lines: Line[], address: Address | null, couponIds: string[], autoCoupons = false): Promise<PricingResult> {
    const pricingLines: PricingLineInput[] = lines.map((l) => ({
      line_id: l.line_id, store_id: l.snap.store_id, sku_id: l.snap.sku_id, product_id: l.snap.product_id, category_id: l.snap.category_id,
      quantity: l.quantity, unit_price_minor: l.snap.price_minor, campaign_id: l.attribution.campaign_id, channel: l.attribution.channel, content_id: l.attribution.content_id,
    }));
    const priced = await pricer({ buyer_id: buyerId, now_ms: clock.now(), province: address?.province ?? null, lines: pricingLines, coupon_ids: couponIds, ...(autoCoupons ? { auto_coupons: true } : {}) });
    if (!priced.ok) {
      const e = rule(priced.code, priced.message, priced.details);
      throw priced.message_zh ? e.zh(priced.message_zh) : e;
    }
    return priced;
  }

  async function writeCheckout(tx: Executor, buyerId: string, lines: Line[], priced: PricingResult, address: Address, input: CheckoutInput, cartIds: string[]): Promise<PlacedCheckout> {
    const now = clock.now();
    const checkoutId = newId('chk');
    const payBy = now + config.unpaid_ttl_ms;
    const pricedLines = new Map(priced.lines.map((p) => [p.line_id, p]));
    const addressSnapshot = JSON.stringify({ recipient: address.recipient, phone: address.phone, province: address.province, city: address.city, district: address.district, detail: address.detail, postal_code: address.postal_code });
    const orderIds: string[] = [];
    const holds: { orderId: string; lines: ReservationLine[] }[] = [];
    for (const store of priced.stores) {
      const orderId = newId('ord');
      orderIds.push(orderId);
      const storeLines = lines.filter((l) => l.snap.store_id === store.store_id);
      holds.push({ orderId, lines: storeLines.map((l) => ({ sku_id: l.snap.sku_id, quantity: l.quantity })) });
      await repo.insertOrder(tx, {
        id: orderId, checkout_id: checkoutId, buyer_id: buyerId, store_id: store.store_id, goods_minor: store.goods_minor, discount_minor: store.discount_minor,
        shipping_minor: store.shipping_minor, total_minor: store.total_minor, currency: 'CNY', pricing: JSON.stringify({ store, explanation: priced.order_pricing?.[store.store_id] ?? priced.explanation }),
        address: addressSnapshot, buyer_note: input.notes?.[store.store_id]?.slice(0, 200) ?? '', created_at: now, updated_at: now,
      });
      await repo.insertLines(tx, storeLines.map((l) => {
        const p = pricedLines.get(l.line_id)!;
        return {
          id: newId('oli'), order_id: orderId, store_id: store.store_id, sku_id: l.snap.sku_id, product_id: l.snap.product_id, category_id: l.snap.category_id,
          title: l.snap.title, spec: JSON.stringify(l.snap.spec), image: l.snap.image, quantity: l.quantity, unit_price_minor: p.unit_price_minor, goods_minor: p.goods_minor,
          discount_minor: p.discount_minor, shipping_minor: p.shipping_minor, paid_minor: p.paid_minor, discounts: JSON.stringify(p.discounts),
          fee_rate_bp: Math.min(p.fee_rate_bp ?? l.snap.category_fee_rate_bp, l.snap.category_fee_rate_bp), no_reason_return_7d: l.snap.no_reason_return_7d ? 1 : 0, shipping_insurance: l.snap.shipping_insurance ? 1 : 0,
          channel: l.attribution.channel, content_id: l.attribution.content_id, creator_id: l.attribution.creator_id, campaign_id: p.campaign_id !== undefined ? p.campaign_id : l.attribution.campaign_id,
          share_chain: JSON.stringify(l.attribution.share_chain),
        };
      }));
      await outbox.emit(tx, 'order.created', orderId, { order_id: orderId, checkout_id: checkoutId, store_id: store.store_id, buyer_id: buyerId, total_minor: store.total_minor });
    }
    await repo.insertCheckout(tx, { id: checkoutId, buyer_id: buyerId, total_minor: priced.total_minor, currency: 'CNY', order_ids: JSON.stringify(orderIds), created_at: now, pay_by: payBy });
    await scheduler.schedule(tx, { kind: EXPIRE_JOB, run_at: payBy, payload: { checkout_id: checkoutId }, dedupe_key: `checkout:${checkoutId}:expire` });
    if (cartIds.length) await repo.q(tx).deleteFrom('trade_cart_items').where('buyer_id', '=', buyerId).where('id', 'in', cartIds).execute();
    // The contended rows last: coupon and flash-stock counters, then stock. On PostgreSQL a row
    // lock is held from its UPDATE to the commit, so taking the hot rows at the end keeps a hot
    // SKU locked for the commit alone, not for the whole checkout. A refusal here rolls it all back.
    await deps.redemptions.redeem(tx, buyerId, checkoutId, priced);
    for (const h of holds) {
      const held = await deps.reserve(tx, h.lines, h.orderId, buyerId);
      if (!held.ok) throw rule(held.code, held.message, held.details).zh(held.message_zh);
    }
    return { checkout_id: checkoutId, order_ids: orderIds, total_minor: priced.total_minor, currency: 'CNY', pay_by: payBy, pricing: priced };
  }

  return {
    /** Prices what the buyer would pay, without placing anything. */
    async previewCheckout(buyerId: string, input: Omit<CheckoutInput, 'address_id'> & { address_id?: string; auto_coupons?: boolean }): Promise<PricingResult> {
      const { lines } = await gatherLines(buyerId, { ...input, address_id: input.address_id ?? '' });
      const address = input.address_id ? await deps.address(buyerId, input.address_id) : null;
      return priceLines(buyerId, lines, address, input.coupon_ids ?? [], input.auto_coupons ?? false);
    },

    /** Places the orders: stock held for each, all or nothing, durable before it returns. */
    async placeCheckout(buyerId: string, input: CheckoutInput): Promise<PlacedCheckout> {
      const { lines, cartIds, address, priced } = await deps.admit(async () => {
        const { lines, cartIds } = await gatherLines(buyerId, input);
        // Fast refusal when stock is visibly short (a sold-out flash SKU gets thousands of these a
        // second). Only an early answer: the conditional updates in the transaction decide.
        const available = await deps.available(lines.map((l) => l.snap.sku_id));
        const short = lines.find((l) => (available.get(l.snap.sku_id) ?? 0) < l.quantity);
        if (short) {
          const left = available.get(short.snap.sku_id) ?? 0;
          throw rule('insufficient_stock', `only ${left} of ${short.snap.sku_id} available`, { sku_id: short.snap.sku_id, available: left, requested: short.quantity }).zh(left === 0 ? '已抢光' : `库存不足：仅剩 ${left} 件`);
        }
        const address = await deps.address(buyerId, input.address_id);
        const priced = await priceLines(buyerId, lines, address, input.coupon_ids ?? []);
        if (input.expected_total_minor !== undefined && input.expected_total_minor !== priced.total_minor) {
          throw conflict('price_changed', 'the total changed since you saw it; review and confirm again', { expected_total_minor: input.expected_total_minor, total_minor: priced.total_minor }).zh('价格有变化，请确认后重新提交');
        }
        return { lines, cartIds, address, priced };
      });
      return committer.run((tx) => writeCheckout(tx, buyerId, lines, priced, address, input, cartIds));
    },
  };
}
