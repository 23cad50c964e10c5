/**
 * Campaign prices in checkout, layered on promotions' pricer (trade's Pricer port) the way a
 * flash sale is: during selling an approved SKU is priced at its campaign price while its
 * campaign stock lasts, and the line carries the campaign id — which is what the campaign's
 * platform 满减 (a promotions threshold with `applies_to.campaign_ids`) and the report key on.
 * Lines not sold through a campaign get `campaign_id: null`, so a client cannot claim one.
 *
 * The pricer answers per line `campaign_id` and `fee_rate_bp` (the campaign's reduced
 * technical service fee; trade snapshots it on the order line, settlement charges it), and a
 * `campaign_stock` redemption that checkout takes in its transaction:
 *   update … set sold = sold + n where id = ? and status = 'approved' and sold + n ≤ campaign_stock
 * so campaign stock is never exceeded, however many buyers check out at once. Cancel / expiry
 * gives the units back once (each take is recorded per checkout).
 *
 * A registration may limit the units one buyer gets at the campaign price (`limit_per_buyer`,
 * over the whole campaign). The pricer reads the buyer's count only for such lines (one
 * statement for the cart) and prices a line that would go over at the SKU's own price, with a
 * "not applied" note (the flash-sale rule); checkout's transaction then counts the units by a
 * conditional upsert (`taken + n ≤ limit`, 409 `campaign_limit_reached` when concurrent
 * checkouts of the same buyer got there first). Cancel / expiry gives the allowance back.
 */
import { conflict } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Executor } from '../../db/index.ts';
import type { Pricer, PricingRequest, PricingResult, Redemption, Redemptions } from '../trade/index.ts';

type PricingLineInput = PricingRequest['lines'][number];
import type { CampaignsRepo, SellingSku } from './campaigns.repo.ts';

export const CAMPAIGN_STOCK = 'campaign_stock';

interface PricedExplanationLine { line_id: string; price_source?: string }

export function campaignPricer(deps: { repo: CampaignsRepo; inner: Pricer }): Pricer {
  const { repo, inner } = deps;
  return async (req) => {
    const found = await repo.sellingSkus(req.lines.map((l) => l.sku_id));
    const candidates = new Map<string, SellingSku>();
    req.lines.forEach((l) => {
      const s = found.get(l.sku_id);
      const live = s && s.store_id === l.store_id && req.now_ms >= Number(s.selling_start_ms) && req.now_ms < Number(s.selling_end_ms)
        && Number(s.campaign_stock) - Number(s.sold) >= l.quantity && Number(s.campaign_price_minor) < l.unit_price_minor;
      if (live) candidates.set(l.line_id, s);
    });
    // The buyer's units at the campaign price so far: read only for lines whose registration has a limit, in one statement.
    const limited = [...candidates.values()].filter((s) => s.limit_per_buyer !== null).map((s) => s.registration_id);
    const bought = limited.length ? await repo.buyerCounts(req.buyer_id, limited) : new Map<string, number>();
    const hits = new Map<string, SellingSku>();
    const notes: NotAppliedNote[] = [];
    const lines: PricingLineInput[] = req.lines.map((l) => {
      const s = candidates.get(l.line_id);
      if (!s) return { ...l, campaign_id: null };
      const before = bought.get(s.registration_id) ?? 0;
      // Over the limit, the whole line is at the SKU's own price (as a flash sale's limit works; split the line for "N at the campaign price").
      if (s.limit_per_buyer !== null && before + l.quantity > Number(s.limit_per_buyer)) {
        notes.push(overLimitNote(l.line_id, s, before, l.quantity));
        return { ...l, campaign_id: null };
      }
      hits.set(l.line_id, s);
      return { ...l, unit_price_minor: Number(s.campaign_price_minor), campaign_id: s.campaign_id };
    });
    const priced = await inner({ ...req, lines });
    if (!priced.ok) return priced;
    if (hits.size === 0) return withNotes(withCampaignIds(priced), notes);
    // A cheaper flash/live price may still win over the campaign price: then no campaign stock is taken.
    const explained = new Map(((priced.explanation as { lines?: PricedExplanationLine[] })?.lines ?? []).map((l) => [l.line_id, l.price_source]));
    const taken = [...hits].filter(([lineId]) => (explained.get(lineId) ?? 'sku') === 'sku');
    const byLine = new Map(req.lines.map((l) => [l.line_id, l]));
    const campaignPrices = taken.map(([lineId, s]) => ({
      line_id: lineId, campaign_id: s.campaign_id, registration_id: s.registration_id, list_price_minor: byLine.get(lineId)!.unit_price_minor, campaign_price_minor: Number(s.campaign_price_minor),
    }));
    const stockTakes: CampaignStockRedemption[] = taken.map(([lineId, s]) => ({ kind: CAMPAIGN_STOCK, ref_id: s.registration_id, quantity: byLine.get(lineId)!.quantity, limit_per_buyer: s.limit_per_buyer === null ? null : Number(s.limit_per_buyer) }));
    const result: PricingResult = {
      ...priced,
      lines: priced.lines.map((p) => {
        const s = hits.get(p.line_id);
        return s ? { ...p, campaign_id: s.campaign_id, ...(s.fee_rate_bp === null ? {} : { fee_rate_bp: s.fee_rate_bp }) } : { ...p, campaign_id: null };
      }),
      redemptions: [...(priced.redemptions ?? []), ...stockTakes],
      order_pricing: priced.order_pricing && Object.fromEntries(Object.entries(priced.order_pricing).map(([storeId, o]) => {
        const mine = campaignPrices.filter((c) => req.lines.find((l) => l.line_id === c.line_id)?.store_id === storeId);
        return [storeId, mine.length && o && typeof o === 'object' ? { ...o, campaign_prices: mine } : o];
      })),
    };
    return withNotes(result, notes);
  };
}

/** A campaign-stock take; `limit_per_buyer` (immutable on an approved registration) makes redeem count the buyer's units. */
interface CampaignStockRedemption extends Redemption { limit_per_buyer?: number | null }

/** Why a line is not at the campaign price, in the same shape as promotions' "not applied" entries. */
interface NotAppliedNote { source_kind: 'campaign'; source_id: string; code: string; message: string; message_zh: string; details: Record<string, unknown> }

function overLimitNote(lineId: string, s: SellingSku, bought: number, quantity: number): NotAppliedNote {
  const limit = Number(s.limit_per_buyer);
  return {
    source_kind: 'campaign', source_id: s.campaign_id, code: 'over_buyer_limit',
    message: `the campaign price is limited to ${limit} per buyer (already bought ${bought}): this item is at its own price`,
    message_zh: `活动价每人限购${limit}件（已购${bought}件），本商品按原价计算`,
    details: { line_id: lineId, registration_id: s.registration_id, limit_per_buyer: limit, bought_qty: bought, quantity },
  };
}

/** Adds the notes to promotions' explanation (its `not_applied` list), so the buyer sees why. */
function withNotes(p: PricingResult, notes: NotAppliedNote[]): PricingResult {
  const e = p.explanation as { not_applied?: unknown[] } | null;
  if (notes.length === 0 || !e || typeof e !== 'object' || !Array.isArray(e.not_applied)) return p;
  return { ...p, explanation: { ...e, not_applied: [...e.not_applied, ...notes] } };
}

const withCampaignIds = (p: PricingResult): PricingResult => ({ ...p, lines: p.lines.map((l) => ({ ...l, campaign_id: null })) });

/** Wraps promotions' redemptions: campaign stock first (registration id order), then the rest. */
export function campaignRedemptions(deps: { repo: CampaignsRepo; clock: Clock; inner: Redemptions; releasePresale: (tx: Executor, checkoutId: string) => Promise<void> }): Redemptions {
  const { repo, clock, inner } = deps;
  return {
    async redeem(tx: Executor, buyerId: string, checkoutId: string, pricing: PricingResult): Promise<void> {
      const all = pricing.redemptions ?? [];
      const mine = all.filter((r) => r.kind === CAMPAIGN_STOCK).sort((a, b) => (a.ref_id < b.ref_id ? -1 : 1));
      for (const r of mine) {
        if ((await repo.takeStock(tx, r.ref_id, r.quantity)) !== 1) {
          throw conflict('campaign_sold_out', 'the campaign stock sold out while you were checking out; review the price again', { registration_id: r.ref_id })
            .zh('活动库存已抢光，请重新确认价格');
        }
        // After the registration's row (the hot one), the buyer's own count: never more than the limit at the campaign price, however many checkouts at once.
        const limit = (r as CampaignStockRedemption).limit_per_buyer ?? null;
        if (limit !== null && !(r.quantity <= limit && (await repo.countBuyer(tx, r.ref_id, buyerId, r.quantity, limit)) === 1)) {
          throw conflict('campaign_limit_reached', `the campaign price is limited to ${limit} per buyer; review the price again`, { registration_id: r.ref_id, limit_per_buyer: limit })
            .zh(`活动价每人限购${limit}件，请重新确认价格`);
        }
        await repo.insertTake(tx, { id: newId('cst'), checkout_id: checkoutId, registration_id: r.ref_id, quantity: r.quantity, buyer_id: limit !== null ? buyerId : null, created_at: clock.now() });
      }
      await inner.redeem(tx, buyerId, checkoutId, mine.length ? { ...pricing, redemptions: all.filter((r) => r.kind !== CAMPAIGN_STOCK) } : pricing);
    },
    async release(tx: Executor, checkoutId: string): Promise<void> {
      for (const t of await repo.heldTakes(tx, checkoutId)) {
        if ((await repo.releaseTake(tx, t.id)) !== 1) continue;
        await repo.returnStock(tx, t.registration_id, t.quantity);
        if (t.buyer_id) await repo.uncountBuyer(tx, t.registration_id, t.buyer_id, t.quantity); // the buyer's allowance comes back too
      }
      await deps.releasePresale(tx, checkoutId); // a pre-sale deposit checkout's units (none for other checkouts)
      await inner.release(tx, checkoutId);
    },
  };
}
