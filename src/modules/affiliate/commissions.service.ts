import type { Clock } from '../../lib/clock.ts';
import { applyRateBp } from '../../lib/money.ts';
import { clampLimit, decodeCursor, toPage, type Page } from '../../lib/page.ts';
import type { Executor } from '../../db/index.ts';
import { numCommission, type AffiliateRepo, type CommissionRow, type CommissionStatus, type IneligibleReason } from './affiliate.repo.ts';
import { lineCommission, maskOrderId, offerActiveAt, pickRate } from './rules.ts';

/** A paid order line as trade recorded it (only what commission needs: no buyer data). */
export interface PaidLine {
  line_id: string; product_id: string; title: string; quantity: number; paid_minor: number; refunded_minor: number;
  creator_id: string | null; channel: string; content_id: string | null;
}
/** Settlement's and refunds' figures for a line, as payments holds them. */
export interface LineFundsFacts {
  line_id: string; refunded_minor: number; settled_commission_minor: number | null; reversed_commission_minor: number;
}
/** A creator's commission ledger lines (creator_commission_payable), wired from the ledger. */
export interface CommissionLedgerLine {
  reason: string; amount_minor: number; ref_id: string | null;
}
export interface CommissionPorts {
  commissionLedger(creatorId: string): Promise<{ balance_minor: number; lines: CommissionLedgerLine[] }>;
  creatorNames(ids: readonly string[]): Promise<Map<string, string>>;
}

/** One line of a creator's order list: no buyer, no address, no phone — only what the creator sold. */
export interface CreatorOrderLine {
  order_no: string; store_id: string; product_id: string; title: string; quantity: number; paid_minor: number; refunded_minor: number;
  order_status: string; channel: string; content_id: string | null; rate_bp: number; commission_minor: number; commission_status: CommissionStatus;
  ineligible_reason: IneligibleReason | null; paid_at: number; settled_at: number | null;
}
export interface Earnings {
  currency: 'CNY';
  /** paid orders not settled yet: what they will earn at their snapshot rates, less refunds so far */
  pending_minor: number; pending_orders: number;
  /** from the ledger: commission posted at settlement, taken back by refunds after settlement, and what is owed now */
  settled_minor: number; reversed_minor: number; balance_minor: number;
}
export interface StoreCreatorRow {
  creator_id: string; display_name: string; selected_products: number; orders: number; lines: number; gmv_minor: number; commission_minor: number; pending_commission_minor: number; settled_commission_minor: number;
}

/**
 * Commission per creator-attributed order line. The rate is snapshotted when the order is paid
 * (the rate valid at its paid_at), and the line earns nothing when at that moment the product
 * was not in the pool, its offer was not active, or the creator had not selected it. The
 * amounts settlement posts and refunds take back come from payments (exact to the fen); this
 * module only keeps them beside the line so creators and merchants can see them.
 */
export function createCommissions(deps: { clock: Clock; repo: AffiliateRepo; ports: CommissionPorts }) {
  const { clock, repo, ports } = deps;

  async function eligibility(tx: Executor, storeId: string, creatorId: string, productId: string, at: number): Promise<{ rate_bp: number; offer_id: string | null; reason: IneligibleReason | null }> {
    const offer = await repo.offerByProduct(productId, tx);
    if (!offer || offer.store_id !== storeId) return { rate_bp: 0, offer_id: null, reason: 'not_in_pool' };
    if (!offerActiveAt(offer, at)) return { rate_bp: 0, offer_id: offer.id, reason: 'offer_inactive' };
    if (!(await repo.selectionAt(creatorId, productId, at, tx))) return { rate_bp: 0, offer_id: offer.id, reason: 'not_selected' };
    const rate = pickRate(await repo.ratesAt(offer.id, at, tx), creatorId);
    return rate === null ? { rate_bp: 0, offer_id: offer.id, reason: 'offer_inactive' } : { rate_bp: rate, offer_id: offer.id, reason: null };
  }

  /** Snapshots the commission of an order's creator-attributed lines (idempotent: a line is snapshotted once). */
  async function snapshotOrder(tx: Executor, order: { id: string; store_id: string; status: string; paid_at: number }, lines: readonly PaidLine[]): Promise<number> {
    let n = 0;
    const now = clock.now();
    for (const l of lines) {
      if (!l.creator_id) continue;
      const e = await eligibility(tx, order.store_id, l.creator_id, l.product_id, order.paid_at);
      const r = await repo.q(tx).insertInto('affiliate_commissions').values({
        line_id: l.line_id, order_id: order.id, store_id: order.store_id, creator_id: l.creator_id, product_id: l.product_id, offer_id: e.offer_id, title: l.title,
        quantity: l.quantity, channel: l.channel, content_id: l.content_id, paid_minor: l.paid_minor, refunded_minor: l.refunded_minor, rate_bp: e.rate_bp,
        ineligible_reason: e.reason, order_status: order.status, status: e.reason ? 'none' : 'pending', settled_commission_minor: 0, reversed_commission_minor: 0,
        paid_at: order.paid_at, settled_at: null, updated_at: now,
      }).onConflict((oc) => oc.column('line_id').doNothing()).executeTakeFirst();
      n += Number(r.numInsertedOrUpdatedRows ?? 0n);
    }
    return n;
  }

  /** The snapshot rate settlement uses for a line; undefined when the line was never snapshotted. */
  async function lineRate(tx: Executor, lineId: string): Promise<number | undefined> {
    const r = await repo.q(tx).selectFrom('affiliate_commissions').select(['rate_bp', 'ineligible_reason']).where('line_id', '=', lineId).executeTakeFirst();
    if (!r) return undefined;
    return r.ineligible_reason ? 0 : r.rate_bp;
  }

  async function orderStatus(tx: Executor, orderId: string, status: string): Promise<void> {
    await repo.q(tx).updateTable('affiliate_commissions').set({ order_status: status, updated_at: clock.now() }).where('order_id', '=', orderId).execute();
  }

  /** Copies settlement's and refunds' per-line figures (absolute values: replaying an event changes nothing). */
  async function recordFunds(tx: Executor, orderId: string, settledAt: number | null, lines: readonly LineFundsFacts[]): Promise<void> {
    const rows = new Map((await repo.commissionsOfOrder(orderId, tx)).map((r) => [r.line_id, r]));
    const now = clock.now();
    for (const f of lines) {
      const row = rows.get(f.line_id);
      if (!row) continue;
      const settled = f.settled_commission_minor !== null;
      let status: CommissionStatus = row.status;
      if (row.status !== 'none') {
        if (settled) status = f.settled_commission_minor! - f.reversed_commission_minor > 0 ? 'settled' : 'reversed';
        else status = f.refunded_minor >= row.paid_minor ? 'reversed' : 'pending';
      }
      await repo.q(tx).updateTable('affiliate_commissions').set({
        refunded_minor: f.refunded_minor, settled_commission_minor: f.settled_commission_minor ?? 0, reversed_commission_minor: f.reversed_commission_minor,
        status, settled_at: settled ? (row.settled_at ?? settledAt ?? now) : null, updated_at: now,
      }).where('line_id', '=', f.line_id).execute();
    }
  }

  const toOrderLine = (r: CommissionRow): CreatorOrderLine => ({
    order_no: maskOrderId(r.order_id), store_id: r.store_id, product_id: r.product_id, title: r.title, quantity: r.quantity, paid_minor: r.paid_minor,
    refunded_minor: r.refunded_minor, order_status: r.order_status, channel: r.channel, content_id: r.content_id, rate_bp: r.rate_bp,
    commission_minor: lineCommission(r, applyRateBp), commission_status: r.status, ineligible_reason: r.ineligible_reason, paid_at: r.paid_at, settled_at: r.settled_at,
  });

  async function creatorOrders(creatorId: string, f: { status?: CommissionStatus; limit?: number; cursor?: string }): Promise<Page<CreatorOrderLine>> {
    const limit = clampLimit(f.limit);
    const after = decodeCursor(f.cursor);
    let q = repo.q().selectFrom('affiliate_commissions').selectAll().where('creator_id', '=', creatorId).orderBy('line_id', 'desc').limit(limit + 1);
    if (f.status) q = q.where('status', '=', f.status);
    if (after !== undefined) q = q.where('line_id', '<', String(after));
    const page = toPage((await q.execute()).map(numCommission), limit, (r) => r.line_id);
    return { items: page.items.map(toOrderLine), next_cursor: page.next_cursor };
  }

  async function earnings(creatorId: string): Promise<Earnings> {
    const pending = (await repo.q().selectFrom('affiliate_commissions').selectAll().where('creator_id', '=', creatorId).where('status', '=', 'pending').execute()).map(numCommission);
    const ledger = await ports.commissionLedger(creatorId);
    let settled = 0, reversed = 0;
    for (const l of ledger.lines) {
      if (l.reason === 'settlement_commission') settled += l.amount_minor;
      else reversed -= l.amount_minor; // refunds take commission back (negative); a failed refund's void gives it back (positive)
    }
    return {
      currency: 'CNY', pending_minor: pending.reduce((s, r) => s + lineCommission(r, applyRateBp), 0), pending_orders: new Set(pending.map((r) => r.order_id)).size,
      settled_minor: settled, reversed_minor: reversed, balance_minor: ledger.balance_minor,
    };
  }

  /** Which creators sell a store's products (sold, or selected now): orders, GMV (paid − refunded) and commission, by creator, GMV first. */
  async function storeCreators(storeId: string, range: { from?: number; to?: number } = {}): Promise<StoreCreatorRow[]> {
    let q = repo.q().selectFrom('affiliate_commissions').selectAll().where('store_id', '=', storeId);
    if (range.from !== undefined) q = q.where('paid_at', '>=', range.from);
    if (range.to !== undefined) q = q.where('paid_at', '<', range.to);
    const rows = (await q.execute()).map(numCommission);
    const by = new Map<string, { orders: Set<string>; lines: number; gmv: number; commission: number; pending: number; settled: number }>();
    for (const r of rows) {
      const a = by.get(r.creator_id) ?? { orders: new Set<string>(), lines: 0, gmv: 0, commission: 0, pending: 0, settled: 0 };
      const c = lineCommission(r, applyRateBp);
      a.orders.add(r.order_id); a.lines++; a.gmv += r.paid_minor - r.refunded_minor; a.commission += c;
      if (r.status === 'pending') a.pending += c; else if (r.status === 'settled' || r.status === 'reversed') a.settled += c;
      by.set(r.creator_id, a);
    }
    const selected = new Map<string, number>();
    for (const s of await repo.q().selectFrom('affiliate_selections').select('creator_id').where('store_id', '=', storeId).where('removed_at', 'is', null).execute()) {
      selected.set(s.creator_id, (selected.get(s.creator_id) ?? 0) + 1);
      if (!by.has(s.creator_id)) by.set(s.creator_id, { orders: new Set(), lines: 0, gmv: 0, commission: 0, pending: 0, settled: 0 });
    }
    const names = await ports.creatorNames([...by.keys()]);
    return [...by].map(([creator_id, a]) => ({
      creator_id, display_name: names.get(creator_id) ?? '', selected_products: selected.get(creator_id) ?? 0, orders: a.orders.size, lines: a.lines, gmv_minor: a.gmv, commission_minor: a.commission,
      pending_commission_minor: a.pending, settled_commission_minor: a.settled,
    })).sort((x, y) => y.gmv_minor - x.gmv_minor || (x.creator_id < y.creator_id ? -1 : 1));
  }

  return { snapshotOrder, lineRate, orderStatus, recordFunds, creatorOrders, earnings, storeCreators };
}
export type Commissions = ReturnType<typeof createCommissions>;
