/**
 * Pre-sale (预售) offers on campaign registrations, as data: the final pre-sale price, the deposit
 * (定金), what it counts for (定金膨胀: ¥20 counts as ¥50), the pre-sale stock and a per-buyer
 * limit. Deposits are taken in warm-up; the balance is paid in the campaign's balance window
 * (from selling start, `balance_window_ms` long). The units come out of the registration's
 * campaign stock, so pre-sale and selling together never sell more than was registered:
 *   per-buyer count (upsert … where taken + n ≤ limit), the offer (taken + n ≤ stock), the
 *   registration (sold + n ≤ campaign_stock and approved) — three conditional statements in the
 *   deposit order's transaction, recorded per deposit checkout and given back once on expiry,
 *   forfeit or cancel (through campaigns' Redemptions.release, which trade already calls).
 * Rules shown to the buyer (zh + en) come from `presaleRules`.
 */
import { conflict, notFound, rule } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { formatCny } from '../../lib/money.ts';
import type { Executor } from '../../db/index.ts';
import type { PresaleTerms } from '../trade/index.ts';
import type { PresaleOfferRow, PresaleTakeStage } from './campaigns.repo.ts';
import { toCampaign, type Campaign, type CampaignService } from './campaigns.service.ts';
import type { Ctx } from './context.ts';
import type { Problem } from './eligibility.ts';
import { PHASE_LABELS, PHASES } from './phases.ts';

/** Civil Code art. 586: a deposit (定金) may not exceed 20% of the contract's value. */
export const MAX_DEPOSIT_BP = 2000;
/** 定金膨胀 at most this many times the deposit. */
export const MAX_INFLATION = 5;
export const MAX_PER_BUYER = 99;

export interface PresaleOfferInput {
  price_minor: number;
  deposit_minor: number;
  /** What the deposit counts for at the balance (≥ deposit); absent = no inflation. */
  deposit_value_minor?: number;
  stock: number;
  per_buyer_limit?: number;
}

export interface PresaleRules {
  zh: string;
  en: string;
}

export interface PresaleOffer {
  id: string;
  campaign_id: string;
  registration_id: string;
  store_id: string;
  product_id: string;
  sku_id: string;
  title: string;
  price_minor: number;
  deposit_minor: number;
  deposit_value_minor: number;
  stock: number;
  taken: number;
  per_buyer_limit: number;
  balance_from: number;
  balance_to: number;
  rules: PresaleRules;
}

const shanghai = (ms: number) => `${new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ')}`;

/** The rules a buyer sees before paying a deposit (and on the order afterwards). */
export function presaleRules(o: Pick<PresaleOfferRow, 'price_minor' | 'deposit_minor' | 'deposit_value_minor'>, window: { from: number; to: number }): PresaleRules {
  const price = Number(o.price_minor), d = Number(o.deposit_minor), dv = Number(o.deposit_value_minor);
  const counts = dv > d ? `（可抵${formatCny(dv)}）` : '';
  const countsEn = dv > d ? ` (counts as ${formatCny(dv)})` : '';
  const from = shanghai(window.from), to = shanghai(window.to);
  return {
    zh: `预售价${formatCny(price)}，定金${formatCny(d)}${counts}，尾款${formatCny(price - dv)}（另加运费，可用平台满减与店铺优惠券），`
      + `请于${from}至${to}（北京时间）支付尾款。未在此期间支付尾款的，定金不予退还；商家取消订单、无法发货或活动取消的，定金全额退还。`,
    en: `Pre-sale price ${formatCny(price)}, deposit ${formatCny(d)}${countsEn}, balance ${formatCny(price - dv)} (plus shipping; the platform discount and store coupons apply), `
      + `to be paid between ${from} and ${to} (Beijing time). If the balance is not paid in that window the deposit is not refunded; if the merchant cancels, cannot ship, or the campaign is cancelled, the deposit is refunded in full.`,
  };
}

/** Every problem with an offer, explained, at once. */
export function presaleProblems(input: Required<PresaleOfferInput>, reg: { campaign_price_minor: number; campaign_stock: number }): Problem[] {
  const out: Problem[] = [];
  const int = (n: number) => Number.isSafeInteger(n);
  const { price_minor: price, deposit_minor: d, deposit_value_minor: dv } = input;
  if (!int(price) || price < 1) out.push({ code: 'invalid_price', message: 'the pre-sale price is a positive number of fen', message_zh: '预售价须为正数' });
  else if (price > reg.campaign_price_minor) out.push({ code: 'presale_price_above_campaign_price', message: `the pre-sale price may not exceed the campaign price ${formatCny(reg.campaign_price_minor)}`, message_zh: `预售价不得高于活动价${formatCny(reg.campaign_price_minor)}` });
  if (!int(d) || d < 1) out.push({ code: 'invalid_deposit', message: 'the deposit is a positive number of fen', message_zh: '定金须大于0' });
  else if (int(price) && d * 10_000 > price * MAX_DEPOSIT_BP) {
    out.push({ code: 'deposit_above_legal_cap', message: `the deposit may be at most 20% of the pre-sale price (Civil Code art. 586): at most ${formatCny(Math.floor((price * MAX_DEPOSIT_BP) / 10_000))}`, message_zh: `定金不得超过预售价的20%（《民法典》第586条），即不高于${formatCny(Math.floor((price * MAX_DEPOSIT_BP) / 10_000))}` });
  }
  if (!int(dv) || dv < d) out.push({ code: 'deposit_value_below_deposit', message: 'the deposit counts for at least itself', message_zh: '定金抵扣金额不得低于定金' });
  else if (int(price) && dv >= price) out.push({ code: 'deposit_value_not_below_price', message: 'the deposit must count for less than the price: a balance must remain to be paid', message_zh: '定金抵扣金额须低于预售价（须有尾款）' });
  if (int(d) && d >= 1 && int(dv) && dv > d * MAX_INFLATION) out.push({ code: 'inflation_too_high', message: `the deposit may count for at most ${MAX_INFLATION} times itself`, message_zh: `定金膨胀最多${MAX_INFLATION}倍` });
  if (!int(input.stock) || input.stock < 1 || input.stock > reg.campaign_stock) out.push({ code: 'invalid_presale_stock', message: `pre-sale stock is 1–${reg.campaign_stock} (the registered campaign stock)`, message_zh: `预售库存须在1至${reg.campaign_stock}件（报名活动库存）之间` });
  if (!int(input.per_buyer_limit) || input.per_buyer_limit < 1 || input.per_buyer_limit > MAX_PER_BUYER) out.push({ code: 'invalid_per_buyer_limit', message: `the per-buyer limit is 1–${MAX_PER_BUYER}`, message_zh: `每人限购须在1至${MAX_PER_BUYER}件之间` });
  return out;
}

export function createPresale(ctx: Ctx, campaigns: CampaignService) {
  const { db, clock, outbox, repo } = ctx;
  const countBuyer = db.prepared(`insert into campaigns_presale_counts (offer_id, buyer_id, taken) values (?, ?, ?)
    on conflict (offer_id, buyer_id) do update set taken = campaigns_presale_counts.taken + ? where campaigns_presale_counts.taken + ? <= ?`);
  const takeOffer = db.prepared('update campaigns_presale_offers set taken = taken + ? where id = ? and taken + ? <= stock');
  const returnOffer = db.prepared('update campaigns_presale_offers set taken = taken - ? where id = ? and taken >= ?');
  const uncountBuyer = db.prepared('update campaigns_presale_counts set taken = taken - ? where offer_id = ? and buyer_id = ? and taken >= ?');
  const releaseTake = db.prepared(`update campaigns_presale_takes set status = 'released', updated_at = ? where id = ? and status = 'held'`);

  const window = (c: Campaign) => ({ from: c.selling_start_ms, to: c.selling_start_ms + c.balance_window_ms });
  const toOffer = (r: PresaleOfferRow, c: Campaign): PresaleOffer => ({
    id: r.id, campaign_id: r.campaign_id, registration_id: r.registration_id, store_id: r.store_id, product_id: r.product_id, sku_id: r.sku_id, title: r.title,
    price_minor: Number(r.price_minor), deposit_minor: Number(r.deposit_minor), deposit_value_minor: Number(r.deposit_value_minor), stock: Number(r.stock), taken: Number(r.taken),
    per_buyer_limit: Number(r.per_buyer_limit), balance_from: window(c).from, balance_to: window(c).to, rules: presaleRules(r, window(c)),
  });

  async function offerRow(id: string, ex?: Executor): Promise<PresaleOfferRow> {
    const r = await repo.q(ex).selectFrom('campaigns_presale_offers').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw notFound('presale_offer', id);
    return r;
  }

  return {
    /**
     * A merchant sets (or changes) the pre-sale of a pending or approved registration, until
     * selling starts and while no deposit has been taken; refused (422) with every problem explained.
     */
    async configure(storeId: string, registrationId: string, input: PresaleOfferInput, actorId: string | null): Promise<PresaleOffer> {
      const reg = await repo.q().selectFrom('campaigns_registrations').selectAll().where('id', '=', registrationId).executeTakeFirst();
      if (!reg || reg.store_id !== storeId) throw notFound('registration', registrationId);
      const c = toCampaign(await campaigns.get(reg.campaign_id));
      if (c.status !== 'active' || PHASES.indexOf(c.phase) >= PHASES.indexOf('selling')) throw rule('presale_closed', 'pre-sales are set up before selling starts', { phase: c.phase }).zh(`活动${PHASE_LABELS[c.phase].zh}，不能再设置预售`);
      if (reg.status !== 'pending' && reg.status !== 'approved') throw rule('registration_not_active', `a ${reg.status} registration has no pre-sale`, { status: reg.status }).zh('该报名已驳回或撤回，不能设置预售');
      const full = { price_minor: input.price_minor, deposit_minor: input.deposit_minor, deposit_value_minor: input.deposit_value_minor ?? input.deposit_minor, stock: input.stock, per_buyer_limit: input.per_buyer_limit ?? 1 };
      const problems = presaleProblems(full, { campaign_price_minor: Number(reg.campaign_price_minor), campaign_stock: Number(reg.campaign_stock) });
      if (problems.length) throw rule('invalid_presale', problems.map((p) => p.message).join('; '), { problems }).zh(problems.map((p) => p.message_zh).join('；'));
      const now = clock.now();
      const row = await db.transaction(async (tx) => {
        const existing = await repo.q(tx).selectFrom('campaigns_presale_offers').selectAll().where('registration_id', '=', registrationId).executeTakeFirst();
        if (existing) {
          const u = await repo.q(tx).updateTable('campaigns_presale_offers').set({ ...full, updated_at: now }).where('id', '=', existing.id).where('taken', '=', 0).executeTakeFirst();
          if (Number(u.numUpdatedRows) !== 1) throw conflict('presale_started', 'deposits have been taken: the pre-sale can no longer change').zh('已有买家支付定金，预售不能再修改');
        } else {
          await repo.q(tx).insertInto('campaigns_presale_offers').values({
            id: newId('cps'), campaign_id: reg.campaign_id, registration_id: registrationId, store_id: storeId, product_id: reg.product_id, sku_id: reg.sku_id, title: reg.title,
            ...full, taken: 0, created_by: actorId, created_at: now, updated_at: now,
          }).execute();
        }
        const saved = (await repo.q(tx).selectFrom('campaigns_presale_offers').selectAll().where('registration_id', '=', registrationId).executeTakeFirstOrThrow());
        await outbox.emit(tx, 'campaign.presale_configured', saved.id, { offer_id: saved.id, campaign_id: saved.campaign_id, registration_id: registrationId, store_id: storeId, actor_id: actorId });
        return saved;
      });
      return toOffer(row, c);
    },

    /** The offers of a campaign whose registration is approved (what buyers see), or a store's. */
    async offers(campaignId: string, opts: { store_id?: string } = {}): Promise<PresaleOffer[]> {
      const c = toCampaign(await campaigns.get(campaignId));
      let q = repo.q().selectFrom('campaigns_presale_offers').innerJoin('campaigns_registrations as r', 'r.id', 'campaigns_presale_offers.registration_id')
        .selectAll('campaigns_presale_offers').where('campaigns_presale_offers.campaign_id', '=', campaignId).orderBy('campaigns_presale_offers.id').limit(500);
      q = opts.store_id ? q.where('campaigns_presale_offers.store_id', '=', opts.store_id) : q.where('r.status', '=', 'approved');
      return (await q.execute()).map((r) => toOffer(r, c));
    },

    async offer(offerId: string): Promise<PresaleOffer> {
      const r = await offerRow(offerId);
      return toOffer(r, toCampaign(await campaigns.get(r.campaign_id)));
    },

    /** What trade snapshots on a deposit order: only in warm-up, on an approved registration, within the per-buyer limit. */
    async terms(offerId: string, quantity: number): Promise<PresaleTerms & { per_buyer_limit: number }> {
      const o = await offerRow(offerId);
      const c = toCampaign(await campaigns.get(o.campaign_id));
      if (c.status !== 'active' || c.phase !== 'warmup') throw rule('presale_closed', 'deposits are taken during warm-up', { phase: c.phase }).zh(`活动${PHASE_LABELS[c.phase].zh}，定金仅在预热期支付`);
      const reg = await repo.q().selectFrom('campaigns_registrations').select('status').where('id', '=', o.registration_id).executeTakeFirst();
      if (reg?.status !== 'approved') throw notFound('presale_offer', offerId);
      if (!Number.isSafeInteger(quantity) || quantity < 1 || quantity > Number(o.per_buyer_limit)) {
        throw rule('presale_limit_reached', `at most ${o.per_buyer_limit} per buyer`, { per_buyer_limit: Number(o.per_buyer_limit) }).zh(`每人限购${o.per_buyer_limit}件`);
      }
      const w = window(c);
      return {
        offer_id: o.id, campaign_id: o.campaign_id, store_id: o.store_id, sku_id: o.sku_id, price_minor: Number(o.price_minor), deposit_minor: Number(o.deposit_minor),
        deposit_value_minor: Number(o.deposit_value_minor), balance_from_ms: w.from, balance_to_ms: w.to, fee_rate_bp: c.fee_rate_bp, rules: presaleRules(o, w), per_buyer_limit: Number(o.per_buyer_limit),
      };
    },

    /** In the deposit order's transaction: the buyer's count, the pre-sale stock, the campaign stock. Throws (rolls back) when one is exhausted. */
    async take(tx: Executor, t: { offer_id: string; buyer_id: string; per_buyer_limit: number; quantity: number; checkout_id: string; order_id: string; deposit_total_minor: number }): Promise<void> {
      const o = await offerRow(t.offer_id, tx);
      if ((await countBuyer.run(tx, [t.offer_id, t.buyer_id, t.quantity, t.quantity, t.quantity, t.per_buyer_limit])) !== 1) {
        throw rule('presale_limit_reached', `at most ${t.per_buyer_limit} per buyer`, { per_buyer_limit: t.per_buyer_limit }).zh(`每人限购${t.per_buyer_limit}件`);
      }
      if ((await takeOffer.run(tx, [t.quantity, t.offer_id, t.quantity])) !== 1) throw conflict('presale_sold_out', 'the pre-sale is sold out', { offer_id: t.offer_id }).zh('预售名额已抢光');
      if ((await repo.takeStock(tx, o.registration_id, t.quantity)) !== 1) throw conflict('presale_sold_out', 'the campaign stock is sold out', { offer_id: t.offer_id }).zh('活动库存已抢光');
      const now = clock.now();
      await repo.q(tx).insertInto('campaigns_presale_takes').values({
        id: newId('cpt'), checkout_id: t.checkout_id, order_id: t.order_id, campaign_id: o.campaign_id, offer_id: o.id, registration_id: o.registration_id, buyer_id: t.buyer_id,
        quantity: t.quantity, deposit_minor: t.deposit_total_minor, status: 'held', stage: 'awaiting_deposit', created_at: now, updated_at: now,
      }).execute();
    },

    /** Gives a deposit checkout's units back once (its expiry, a forfeit, a cancel). */
    async release(tx: Executor, checkoutId: string): Promise<void> {
      for (const t of await repo.heldPresaleTakes(tx, checkoutId)) {
        if ((await releaseTake.run(tx, [clock.now(), t.id])) !== 1) continue;
        await returnOffer.run(tx, [t.quantity, t.offer_id, t.quantity]);
        await repo.returnStock(tx, t.registration_id, t.quantity);
        await uncountBuyer.run(tx, [t.quantity, t.offer_id, t.buyer_id, t.quantity]);
      }
    },

    /** The report's read model follows the order (trade's events): deposit paid, balance paid, forfeited, refunded, cancelled. */
    async recordStage(tx: Executor, orderId: string, stage: PresaleTakeStage): Promise<void> {
      await repo.q(tx).updateTable('campaigns_presale_takes').set({ stage, updated_at: clock.now() }).where('order_id', '=', orderId).where('stage', '!=', stage).execute();
    },

    /** The report's pre-sale part. Deposits taken = Σ `pay:<order>:deposit`; forfeited = Σ `forfeit:<order>:*` in the ledger. */
    async summary(campaignId: string) {
      const rows = await repo.q().selectFrom('campaigns_presale_takes').where('campaign_id', '=', campaignId).select(['stage'])
        .select((eb) => [eb.fn.countAll<number>().as('orders'), eb.fn.coalesce(eb.fn.sum<number>('deposit_minor'), eb.lit(0)).as('deposits'), eb.fn.coalesce(eb.fn.sum<number>('quantity'), eb.lit(0)).as('units')])
        .groupBy('stage').execute();
      const by = new Map(rows.map((r) => [r.stage, { orders: Number(r.orders), deposits: Number(r.deposits), units: Number(r.units) }]));
      const get = (s: PresaleTakeStage) => by.get(s) ?? { orders: 0, deposits: 0, units: 0 };
      const paid = (['deposit_paid', 'balance_paid', 'forfeited', 'refunded'] as const).map(get);
      return {
        deposit_orders: paid.reduce((s, x) => s + x.orders, 0),
        deposits_taken_minor: paid.reduce((s, x) => s + x.deposits, 0),
        awaiting_balance_orders: get('deposit_paid').orders,
        balance_paid_orders: get('balance_paid').orders,
        balance_paid_units: get('balance_paid').units,
        forfeited_orders: get('forfeited').orders,
        forfeited_minor: get('forfeited').deposits,
        refunded_orders: get('refunded').orders,
        refunded_minor: get('refunded').deposits,
      };
    },
  };
}
export type Presale = ReturnType<typeof createPresale>;
