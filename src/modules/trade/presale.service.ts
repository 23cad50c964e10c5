/**
 * Pre-sale (预售) orders: one order, one SKU line, paid by two payments — the deposit (定金) in
 * warm-up and the balance (尾款) in the campaign's balance window — each its own checkout
 * (kind `presale_deposit` / `presale_balance`), so payments keeps "one payment per checkout".
 *
 * The order's amounts always say what has been paid (or is due on the open checkout): while
 * the deposit is all there is, goods = paid = deposit × quantity; when the balance is paid they
 * become the final amounts (price × quantity, the inflation and promotion discounts, shipping,
 * paid = deposit + balance). The balance is priced by promotions' pricer as a line of
 * (price − deposit value) per unit with the campaign id, so the campaign's platform 满减 and the
 * buyer's store coupons apply to the balance; the inflated part of the deposit (value − deposit)
 * is a merchant-funded discount on the line. Rules a newcomer must know: campaigns/README.md.
 */
import type { Clock } from '../../lib/clock.ts';
import { MINUTE_MS } from '../../lib/clock.ts';
import { conflict, notFound, rule } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { clampLimit, decodeCursor, toPage, type Page } from '../../lib/page.ts';
import type { Db, Executor } from '../../db/index.ts';
import type { Outbox } from '../../db/outbox.ts';
import type { Scheduler } from '../../db/scheduler.ts';
import type { SaleSnapshot } from '../catalog/index.ts';
import type { Address } from '../identity/index.ts';
import type { ReservationLine, ReservationResult } from '../inventory/index.ts';
import { normalizeAttribution, type Attribution } from './attribution.ts';
import type { TradeConfig } from './checkout.service.ts';
import { SYSTEM, type Actor, type TransitionFn } from './order-transitions.ts';
import type { PaidOutcome } from './orders.service.ts';
import type { LineDiscount, Pricer, PricingResult, Redemptions } from './pricing-port.ts';
import type { CheckoutRow, OrderLineRow, OrderRow, PresaleOrderRow, PresaleStage, TradeRepo } from './trade.repo.ts';

/** The scheduler's job at the end of the balance window: forfeit an unpaid balance (handler: src/flows/presale.ts). */
export const PRESALE_DUE_JOB = 'trade.presale_balance_due';
/** A balance paid just before the window closed may be notified a little later: the forfeit waits this long. */
export const FORFEIT_GRACE_MS = 10 * MINUTE_MS;

/** What campaigns offers, as trade keeps it on the order (snapshotted when the deposit order is placed). */
export interface PresaleTerms {
  offer_id: string;
  campaign_id: string;
  store_id: string;
  sku_id: string;
  price_minor: number;
  deposit_minor: number;
  deposit_value_minor: number;
  balance_from_ms: number;
  balance_to_ms: number;
  /** The campaign's reduced technical service fee (never above the category rate); null = category rate. */
  fee_rate_bp: number | null;
  /** The rules shown to the buyer (zh + en), stored with the order. */
  rules: { zh: string; en: string };
}

export interface PresaleInput {
  quantity: number;
  address_id: string;
  attribution?: Partial<Attribution>;
  notes?: string;
}

export interface PresaleView {
  order_id: string;
  order_status: OrderRow['status'];
  stage: PresaleStage;
  campaign_id: string;
  offer_id: string;
  store_id: string;
  sku_id: string;
  quantity: number;
  price_minor: number;
  deposit_minor: number;
  deposit_value_minor: number;
  deposit_total_minor: number;
  deposit_value_total_minor: number;
  /** (price − deposit value) × quantity: the balance before the 满减, coupons and shipping. */
  balance_goods_minor: number;
  /** The balance of the latest balance checkout (null before one is placed). */
  balance_minor: number | null;
  balance_from: number;
  balance_to: number;
  deposit_checkout_id: string;
  deposit_pay_by: number;
  balance_checkout_id: string | null;
  rules: { zh: string; en: string };
  created_at: number;
}

/** The final amounts a balance payment writes on the order and its line. */
interface BalancePricing {
  checkout_id: string;
  coupon_ids: string[];
  balance_minor: number;
  order: { goods_minor: number; discount_minor: number; shipping_minor: number; total_minor: number };
  line: { unit_price_minor: number; goods_minor: number; discount_minor: number; shipping_minor: number; paid_minor: number; discounts: LineDiscount[] };
  explanation: unknown;
}

export interface PresaleDeps {
  db: Db;
  repo: TradeRepo;
  clock: Clock;
  outbox: Outbox;
  scheduler: Scheduler;
  config: TradeConfig;
  transition: TransitionFn;
  /** Promotions' pricer (no campaign layer: the units were taken with the deposit). */
  balancePricer: Pricer;
  redemptions: Redemptions;
  saleSnapshots(skuIds: readonly string[]): Promise<Map<string, SaleSnapshot>>;
  openStoreIds(storeIds: readonly string[]): Promise<Set<string>>;
  address(buyerId: string, addressId: string): Promise<Address>;
  reserve(tx: Executor, lines: readonly ReservationLine[], ref: string, actorId: string | null): Promise<ReservationResult>;
  release(tx: Executor, ref: string, actorId: string | null): Promise<ReservationResult>;
  commitSale(tx: Executor, ref: string, actorId: string | null): Promise<ReservationResult>;
  /** The lifecycle's cancel of an unpaid checkout (orders, stock, coupons; campaigns' units through redemptions). */
  cancelUnpaid(tx: Executor, checkoutId: string, actor: Actor, reason: string): Promise<OrderRow[]>;
}

export function createPresaleService(deps: PresaleDeps) {
  const { db, repo, clock, outbox, scheduler, config, transition } = deps;
  const q = (ex?: Executor) => repo.q(ex);

  const row = (orderId: string, ex?: Executor) => q(ex).selectFrom('trade_presale_orders').selectAll().where('order_id', '=', orderId).executeTakeFirst();
  const checkoutRow = (id: string, ex?: Executor) => q(ex).selectFrom('trade_checkouts').selectAll().where('id', '=', id).executeTakeFirst();

  async function view(ps: PresaleOrderRow, ex?: Executor): Promise<PresaleView> {
    const order = (await repo.orderById(ps.order_id, ex))!;
    const deposit = (await checkoutRow(ps.deposit_checkout_id, ex))!;
    const q_ = Number(ps.quantity), price = Number(ps.price_minor), d = Number(ps.deposit_minor), dv = Number(ps.deposit_value_minor);
    const bp = ps.balance_pricing ? (JSON.parse(ps.balance_pricing) as BalancePricing) : null;
    return {
      order_id: ps.order_id, order_status: order.status, stage: ps.stage, campaign_id: ps.campaign_id, offer_id: ps.offer_id, store_id: ps.store_id, sku_id: ps.sku_id, quantity: q_,
      price_minor: price, deposit_minor: d, deposit_value_minor: dv, deposit_total_minor: d * q_, deposit_value_total_minor: dv * q_, balance_goods_minor: (price - dv) * q_,
      balance_minor: bp?.balance_minor ?? null, balance_from: Number(ps.balance_from_ms), balance_to: Number(ps.balance_to_ms), deposit_checkout_id: ps.deposit_checkout_id,
      deposit_pay_by: Number(deposit.pay_by), balance_checkout_id: ps.balance_checkout_id, rules: JSON.parse(ps.rules), created_at: Number(ps.created_at),
    };
  }

  async function own(buyerId: string, orderId: string, ex?: Executor): Promise<PresaleOrderRow> {
    const ps = await row(orderId, ex);
    if (!ps || ps.buyer_id !== buyerId) throw notFound('presale_order', orderId);
    return ps;
  }

  const setStage = (tx: Executor, orderId: string, from: PresaleStage[], to: PresaleStage) =>
    q(tx).updateTable('trade_presale_orders').set({ stage: to, updated_at: clock.now() }).where('order_id', '=', orderId).where('stage', 'in', from).executeTakeFirst();

  /** Prices the balance now: promotions' pricer on (price − deposit value) per unit, then the inflation discount. */
  async function priceBalance(ps: PresaleOrderRow, order: OrderRow, line: OrderLineRow, couponIds: string[], autoCoupons = false): Promise<{ priced: PricingResult; final: Omit<BalancePricing, 'checkout_id'> }> {
    const qty = Number(ps.quantity), price = Number(ps.price_minor), d = Number(ps.deposit_minor), dv = Number(ps.deposit_value_minor);
    const unit = price - dv;
    const priced = await deps.balancePricer({
      buyer_id: ps.buyer_id, now_ms: clock.now(), province: (JSON.parse(order.address) as { province?: string }).province ?? null, coupon_ids: couponIds, ...(autoCoupons ? { auto_coupons: true } : {}),
      lines: [{ line_id: 'l0', store_id: ps.store_id, sku_id: ps.sku_id, product_id: line.product_id, category_id: line.category_id, quantity: qty, unit_price_minor: unit, campaign_id: ps.campaign_id, channel: line.channel, content_id: line.content_id }],
    });
    if (!priced.ok) {
      const e = rule(priced.code, priced.message, priced.details);
      throw priced.message_zh ? e.zh(priced.message_zh) : e;
    }
    const pl = priced.lines[0];
    const store = priced.stores[0];
    const inflation = (dv - d) * qty;
    const below = unit * qty - pl.goods_minor; // a cheaper flash/live price the pricer chose: a merchant discount too
    const extra: LineDiscount[] = [
      ...(inflation > 0 ? [{ source_id: ps.offer_id, kind: 'presale_deposit_inflation', funder: 'merchant' as const, amount_minor: inflation, platform_minor: 0, merchant_minor: inflation, campaign_id: ps.campaign_id }] : []),
      ...(below > 0 ? [{ source_id: ps.sku_id, kind: 'presale_lower_price', funder: 'merchant' as const, amount_minor: below, platform_minor: 0, merchant_minor: below }] : []),
    ];
    const balance = priced.total_minor;
    if (balance <= 0) throw rule('balance_not_payable', 'the discounts leave no balance to pay; remove a coupon', { balance_minor: balance }).zh('优惠后尾款为0，请取消使用优惠券');
    const goods = price * qty;
    const paid = d * qty + pl.paid_minor;
    return {
      priced,
      final: {
        coupon_ids: priced.coupon_ids ?? couponIds, balance_minor: balance, explanation: priced.explanation,
        order: { goods_minor: goods, discount_minor: goods + store.shipping_minor - paid, shipping_minor: store.shipping_minor, total_minor: paid },
        line: { unit_price_minor: price, goods_minor: goods, discount_minor: goods + pl.shipping_minor - paid, shipping_minor: pl.shipping_minor, paid_minor: paid, discounts: [...extra, ...pl.discounts] },
      },
    };
  }

  /** A balance checkout left unpaid past its time is cancelled before another is placed (its coupons go back). */
  async function dropBalanceCheckout(tx: Executor, checkoutId: string): Promise<void> {
    const moved = await q(tx).updateTable('trade_checkouts').set({ status: 'cancelled' }).where('id', '=', checkoutId).where('status', '=', 'unpaid').executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1) return;
    await deps.redemptions.release(tx, checkoutId);
    await scheduler.cancel(tx, `checkout:${checkoutId}:expire`);
  }

  return {
    /**
     * A deposit order (warm-up): the order (awaiting_deposit), its line, the deposit checkout and
     * its unpaid timeout, in one transaction; `take` (campaigns: pre-sale and campaign stock,
     * the per-buyer limit) and the SKU stock hold come last (the contended rows).
     */
    async placePresale(buyerId: string, terms: PresaleTerms, input: PresaleInput, take: (tx: Executor, ref: { checkout_id: string; order_id: string; quantity: number; deposit_total_minor: number }) => Promise<void>): Promise<PresaleView> {
      const snap = (await deps.saleSnapshots([terms.sku_id])).get(terms.sku_id);
      if (!snap || snap.store_id !== terms.store_id) throw notFound('sku', terms.sku_id);
      if (!snap.on_sale || !(await deps.openStoreIds([snap.store_id])).has(snap.store_id)) throw rule('sku_unavailable', 'this item is no longer for sale', { sku_id: snap.sku_id }).zh('该商品已下架或暂不可售');
      const address = await deps.address(buyerId, input.address_id);
      const attribution = { ...normalizeAttribution(input.attribution), campaign_id: terms.campaign_id };
      const now = clock.now();
      const qty = input.quantity;
      const depositTotal = terms.deposit_minor * qty;
      const orderId = newId('ord');
      const lineId = newId('oli');
      const checkoutId = newId('chk');
      const payBy = Math.min(now + config.unpaid_ttl_ms, terms.balance_from_ms);
      const addressSnapshot = JSON.stringify({ recipient: address.recipient, phone: address.phone, province: address.province, city: address.city, district: address.district, detail: address.detail, postal_code: address.postal_code });
      const store = { store_id: snap.store_id, goods_minor: depositTotal, discount_minor: 0, shipping_minor: 0, total_minor: depositTotal };
      const ps: PresaleOrderRow = {
        order_id: orderId, buyer_id: buyerId, store_id: snap.store_id, campaign_id: terms.campaign_id, offer_id: terms.offer_id, line_id: lineId, sku_id: snap.sku_id, quantity: qty,
        price_minor: terms.price_minor, deposit_minor: terms.deposit_minor, deposit_value_minor: terms.deposit_value_minor, deposit_checkout_id: checkoutId, balance_checkout_id: null,
        balance_from_ms: terms.balance_from_ms, balance_to_ms: terms.balance_to_ms, stage: 'awaiting_deposit', rules: JSON.stringify(terms.rules), balance_pricing: null, created_at: now, updated_at: now,
      };
      await db.transaction(async (tx) => {
        await q(tx).insertInto('trade_orders').values({
          id: orderId, checkout_id: checkoutId, buyer_id: buyerId, store_id: snap.store_id, status: 'awaiting_deposit', kind: 'presale', goods_minor: depositTotal, discount_minor: 0, shipping_minor: 0,
          total_minor: depositTotal, currency: 'CNY', pricing: JSON.stringify({ store, explanation: [{ step: 'presale_deposit', deposit_minor: terms.deposit_minor, quantity: qty }] }),
          address: addressSnapshot, buyer_note: (input.notes ?? '').slice(0, 200), created_at: now, updated_at: now, paid_at: null, shipped_at: null, received_at: null, completed_at: null, cancelled_at: null, cancel_reason: null,
        }).execute();
        await repo.insertLine(tx, {
          id: lineId, order_id: orderId, store_id: snap.store_id, sku_id: snap.sku_id, product_id: snap.product_id, category_id: snap.category_id, title: snap.title, spec: JSON.stringify(snap.spec),
          image: snap.image, quantity: qty, unit_price_minor: terms.deposit_minor, goods_minor: depositTotal, discount_minor: 0, shipping_minor: 0, paid_minor: depositTotal, discounts: '[]',
          fee_rate_bp: Math.min(terms.fee_rate_bp ?? snap.category_fee_rate_bp, snap.category_fee_rate_bp), no_reason_return_7d: snap.no_reason_return_7d ? 1 : 0, shipping_insurance: snap.shipping_insurance ? 1 : 0,
          channel: attribution.channel, content_id: attribution.content_id, creator_id: attribution.creator_id, campaign_id: terms.campaign_id, share_chain: JSON.stringify(attribution.share_chain),
        });
        await q(tx).insertInto('trade_checkouts').values({ id: checkoutId, buyer_id: buyerId, status: 'unpaid', kind: 'presale_deposit', total_minor: depositTotal, currency: 'CNY', order_ids: JSON.stringify([orderId]), created_at: now, pay_by: payBy, paid_at: null }).execute();
        await q(tx).insertInto('trade_presale_orders').values(ps).execute();
        await outbox.emit(tx, 'order.created', orderId, { order_id: orderId, checkout_id: checkoutId, store_id: snap.store_id, buyer_id: buyerId, total_minor: depositTotal, kind: 'presale' });
        await scheduler.schedule(tx, { kind: 'trade.checkout_expire', run_at: payBy, payload: { checkout_id: checkoutId }, dedupe_key: `checkout:${checkoutId}:expire` });
        await take(tx, { checkout_id: checkoutId, order_id: orderId, quantity: qty, deposit_total_minor: depositTotal });
        const held = await deps.reserve(tx, [{ sku_id: snap.sku_id, quantity: qty }], orderId, buyerId);
        if (!held.ok) throw rule(held.code, held.message, held.details).zh(held.message_zh);
      });
      return view(ps);
    },

    /** A payment for a deposit or balance checkout (trade's markCheckoutPaid, in the payment's transaction). */
    async markPaid(tx: Executor, c: CheckoutRow): Promise<PaidOutcome> {
      const column = c.kind === 'presale_deposit' ? 'deposit_checkout_id' : 'balance_checkout_id';
      const ps = await q(tx).selectFrom('trade_presale_orders').selectAll().where(column, '=', c.id).executeTakeFirst();
      if (!ps) throw new Error(`checkout ${c.id} (${c.kind}) has no pre-sale order`);
      const order = (await repo.orderById(ps.order_id, tx))!;
      if (c.status === 'paid') return { kind: 'already_paid', orders: [order] };
      const moved = await q(tx).updateTable('trade_checkouts').set({ status: 'paid', paid_at: clock.now() }).where('id', '=', c.id).where('status', '=', 'unpaid').executeTakeFirst();
      if (Number(moved.numUpdatedRows) !== 1) throw conflict('checkout_changed', `checkout ${c.id} changed meanwhile`);
      await scheduler.cancel(tx, `checkout:${c.id}:expire`);
      if (c.kind === 'presale_deposit') {
        const paid = await transition(tx, order, 'pay_deposit', SYSTEM);
        await setStage(tx, ps.order_id, ['awaiting_deposit'], 'deposit_paid');
        await scheduler.schedule(tx, { kind: PRESALE_DUE_JOB, run_at: Number(ps.balance_to_ms) + FORFEIT_GRACE_MS, payload: { order_id: ps.order_id }, dedupe_key: `presale:${ps.order_id}:due` });
        return { kind: 'paid', orders: [paid], part: 'deposit' };
      }
      const bp = ps.balance_pricing ? (JSON.parse(ps.balance_pricing) as BalancePricing) : null;
      if (!bp || bp.checkout_id !== c.id) throw new Error(`balance checkout ${c.id} is not the pre-sale order's current one`);
      const pricing = JSON.stringify({ store: { store_id: ps.store_id, ...bp.order }, explanation: bp.explanation, presale: { deposit_minor: Number(order.total_minor), balance_minor: bp.balance_minor } });
      await q(tx).updateTable('trade_orders').set({ ...bp.order, pricing }).where('id', '=', ps.order_id).execute();
      await q(tx).updateTable('trade_order_lines').set({ ...bp.line, discounts: JSON.stringify(bp.line.discounts) }).where('id', '=', ps.line_id).execute();
      const paid = await transition(tx, { ...order, ...bp.order, pricing }, 'pay_balance', SYSTEM);
      const sold = await deps.commitSale(tx, ps.order_id, null);
      if (!sold.ok) throw new Error(`committing stock of ${ps.order_id}: ${sold.code}`);
      await setStage(tx, ps.order_id, ['deposit_paid'], 'balance_paid');
      await scheduler.cancel(tx, `presale:${ps.order_id}:due`);
      return { kind: 'paid', orders: [paid], part: 'balance' };
    },

    /** What the balance would be now (the buyer's preview; auto_coupons picks the best from the wallet). */
    async previewBalance(buyerId: string, orderId: string, input: { coupon_ids?: string[]; auto_coupons?: boolean }): Promise<{ balance_minor: number; coupon_ids: string[]; pricing: Omit<BalancePricing, 'checkout_id'> }> {
      const ps = await own(buyerId, orderId);
      const order = (await repo.orderById(orderId))!;
      const line = (await repo.linesOf(orderId))[0];
      const { final } = await priceBalance(ps, order, line, input.coupon_ids ?? [], input.auto_coupons ?? false);
      return { balance_minor: final.balance_minor, coupon_ids: final.coupon_ids, pricing: final };
    },

    /**
     * The balance checkout (in the balance window, deposit paid): priced now, its coupons taken,
     * its own unpaid timeout (never past the window). An open one is answered again as it is.
     */
    async placeBalance(buyerId: string, orderId: string, input: { coupon_ids?: string[]; expected_balance_minor?: number }): Promise<{ checkout_id: string; balance_minor: number; pay_by: number; presale: PresaleView }> {
      const ps = await own(buyerId, orderId);
      const now = clock.now();
      if (ps.stage !== 'deposit_paid') throw conflict('presale_not_awaiting_balance', `this pre-sale order is ${ps.stage}`, { stage: ps.stage }).zh('该预售订单当前不能支付尾款');
      if (now < Number(ps.balance_from_ms)) throw rule('balance_window_not_open', 'the balance can be paid once selling starts', { balance_from: ps.balance_from_ms }).zh('尾款支付尚未开始');
      if (now >= Number(ps.balance_to_ms)) throw rule('balance_window_closed', 'the balance window has closed; the deposit is forfeited', { balance_to: ps.balance_to_ms }).zh('尾款支付已截止，定金不退');
      const open = ps.balance_checkout_id ? await checkoutRow(ps.balance_checkout_id) : undefined;
      const couponIds = [...(input.coupon_ids ?? [])].sort();
      if (open && open.status === 'unpaid' && now < Number(open.pay_by)) {
        const bp = JSON.parse(ps.balance_pricing!) as BalancePricing;
        if (JSON.stringify([...bp.coupon_ids].sort()) !== JSON.stringify(couponIds)) {
          throw conflict('balance_payment_open', 'a balance payment with other coupons is open; pay it or wait until it expires', { checkout_id: open.id, pay_by: open.pay_by }).zh('已有一笔尾款待支付，请先完成支付或等待超时');
        }
        return { checkout_id: open.id, balance_minor: Number(open.total_minor), pay_by: Number(open.pay_by), presale: await view(ps) };
      }
      const order = (await repo.orderById(orderId))!;
      const line = (await repo.linesOf(orderId))[0];
      const { priced, final } = await priceBalance(ps, order, line, couponIds);
      if (input.expected_balance_minor !== undefined && input.expected_balance_minor !== final.balance_minor) {
        throw conflict('price_changed', 'the balance changed since you saw it; review and confirm again', { expected_balance_minor: input.expected_balance_minor, balance_minor: final.balance_minor }).zh('尾款金额有变化，请确认后重新提交');
      }
      const checkoutId = newId('chk');
      const payBy = Math.min(now + config.unpaid_ttl_ms, Number(ps.balance_to_ms));
      const bp: BalancePricing = { checkout_id: checkoutId, ...final };
      await db.transaction(async (tx) => {
        if (open && open.status === 'unpaid') await dropBalanceCheckout(tx, open.id);
        const u = await q(tx).updateTable('trade_presale_orders').set({ balance_checkout_id: checkoutId, balance_pricing: JSON.stringify(bp), updated_at: now })
          .where('order_id', '=', orderId).where('stage', '=', 'deposit_paid').where((eb) => (ps.balance_checkout_id ? eb('balance_checkout_id', '=', ps.balance_checkout_id) : eb('balance_checkout_id', 'is', null))).executeTakeFirst();
        if (Number(u.numUpdatedRows) !== 1) throw conflict('presale_changed', 'the pre-sale order changed meanwhile; try again').zh('订单状态已变化，请重试');
        await q(tx).insertInto('trade_checkouts').values({ id: checkoutId, buyer_id: buyerId, status: 'unpaid', kind: 'presale_balance', total_minor: final.balance_minor, currency: 'CNY', order_ids: JSON.stringify([orderId]), created_at: now, pay_by: payBy, paid_at: null }).execute();
        await scheduler.schedule(tx, { kind: 'trade.checkout_expire', run_at: payBy, payload: { checkout_id: checkoutId }, dedupe_key: `checkout:${checkoutId}:expire` });
        await deps.redemptions.redeem(tx, buyerId, checkoutId, priced);
      });
      return { checkout_id: checkoutId, balance_minor: final.balance_minor, pay_by: payBy, presale: await view((await row(orderId))!) };
    },

    /**
     * Ends a pre-sale order whose balance is unpaid, in the caller's transaction: forfeit (the
     * window ended), merchant_cancel or campaign_cancel (the deposit goes back — the caller
     * refunds it). An open balance checkout is cancelled (a late payment is refunded); the
     * campaign units and the SKU stock go back. Null when there is nothing to end (idempotent).
     */
    async closePresale(tx: Executor, orderId: string, event: 'forfeit' | 'merchant_cancel' | 'campaign_cancel', actor: Actor, reason: string): Promise<{ order: OrderRow; line_id: string; deposit_paid_minor: number } | null> {
      const ps = await row(orderId, tx);
      if (!ps) return null;
      if (ps.stage === 'awaiting_deposit' && event !== 'forfeit') {
        // nothing paid yet: an ordinary cancel of the unpaid deposit checkout
        await deps.cancelUnpaid(tx, ps.deposit_checkout_id, actor, reason);
        await setStage(tx, orderId, ['awaiting_deposit'], 'cancelled');
        return null;
      }
      if (ps.stage !== 'deposit_paid') return null;
      const order = (await repo.orderById(orderId, tx))!;
      if (order.status !== 'deposit_paid') return null;
      if (ps.balance_checkout_id) await dropBalanceCheckout(tx, ps.balance_checkout_id);
      const closed = await transition(tx, order, event, actor, reason);
      await setStage(tx, orderId, ['deposit_paid'], event === 'forfeit' ? 'forfeited' : 'refunded');
      await deps.redemptions.release(tx, ps.deposit_checkout_id); // the campaign's pre-sale units
      const released = await deps.release(tx, orderId, actor.id);
      if (!released.ok) throw new Error(`releasing stock of ${orderId}: ${released.code}`);
      await scheduler.cancel(tx, `presale:${orderId}:due`);
      return { order: closed, line_id: ps.line_id, deposit_paid_minor: Number(order.total_minor) };
    },

    presaleOrder: async (buyerId: string, orderId: string): Promise<PresaleView> => view(await own(buyerId, orderId)),
    /** For the store's staff and flows: any pre-sale order by id (the caller checks the store). */
    presaleOrderById: async (orderId: string, ex?: Executor): Promise<PresaleView | null> => {
      const ps = await row(orderId, ex);
      return ps ? view(ps, ex) : null;
    },
    async buyerPresaleOrders(buyerId: string, campaignId?: string): Promise<PresaleView[]> {
      let s = q().selectFrom('trade_presale_orders').selectAll().where('buyer_id', '=', buyerId).orderBy('order_id', 'desc').limit(100);
      if (campaignId) s = s.where('campaign_id', '=', campaignId);
      return Promise.all((await s.execute()).map((r) => view(r)));
    },
    /**
     * A store's pre-sale orders of one campaign, newest first, a page at a time (for its staff):
     * read through the campaign's index, then the store, so a store-wide scan never happens.
     */
    async storePresaleOrders(storeId: string, campaignId: string, f: { stage?: PresaleStage; limit?: number; cursor?: string } = {}): Promise<Page<PresaleView>> {
      const limit = clampLimit(f.limit);
      const after = decodeCursor(f.cursor);
      let s = q().selectFrom('trade_presale_orders').selectAll().where('campaign_id', '=', campaignId).where('store_id', '=', storeId).orderBy('order_id', 'desc').limit(limit + 1);
      if (f.stage) s = s.where('stage', '=', f.stage);
      if (after !== undefined) s = s.where('order_id', '<', String(after));
      const page = toPage(await s.execute(), limit, (r) => r.order_id);
      return { items: await Promise.all(page.items.map((r) => view(r))), next_cursor: page.next_cursor };
    },
    /** Pre-sale orders of a campaign still open (not balance-paid, not ended), a batch at a time. */
    async openPresaleOrderIds(tx: Executor, campaignId: string, limit: number): Promise<string[]> {
      const rows = await q(tx).selectFrom('trade_presale_orders').select('order_id').where('campaign_id', '=', campaignId).where('stage', 'in', ['awaiting_deposit', 'deposit_paid']).orderBy('order_id').limit(limit).execute();
      return rows.map((r) => r.order_id);
    },
  };
}
export type PresaleService = ReturnType<typeof createPresaleService>;
