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
 */
import { conflict } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Executor } from '../../db/index.ts';
import type { Pricer, PricingRequest, PricingResult, Redemptions } from '../trade/index.ts';

type PricingLineInput = PricingRequest['lines'][number];
import type { CampaignsRepo, SellingSku } from './campaigns.repo.ts';

export const CAMPAIGN_STOCK = 'campaign_stock';

interface PricedExplanationLine { line_id: string; price_source?: string }

export function campaignPricer(deps: { repo: CampaignsRepo; inner: Pricer }): Pricer {
  const { repo, inner } = deps;
  return async (req) => {
    const hits = new Map<string, SellingSku>();
    const lines: PricingLineInput[] = await Promise.all(req.lines.map(async (l) => {
      const s = await repo.sellingSku(l.sku_id);
      const live = s && s.store_id === l.store_id && req.now_ms >= Number(s.selling_start_ms) && req.now_ms < Number(s.selling_end_ms)
        && Number(s.campaign_stock) - Number(s.sold) >= l.quantity && Number(s.campaign_price_minor) < l.unit_price_minor;
      if (!live) return { ...l, campaign_id: null };
      hits.set(l.line_id, s);
      return { ...l, unit_price_minor: Number(s.campaign_price_minor), campaign_id: s.campaign_id };
    }));
    const priced = await inner({ ...req, lines });
    if (!priced.ok || hits.size === 0) return priced.ok ? withCampaignIds(priced) : priced;
    // A cheaper flash/live price may still win over the campaign price: then no campaign stock is taken.
    const explained = new Map(((priced.explanation as { lines?: PricedExplanationLine[] })?.lines ?? []).map((l) => [l.line_id, l.price_source]));
    const taken = [...hits].filter(([lineId]) => (explained.get(lineId) ?? 'sku') === 'sku');
    const byLine = new Map(req.lines.map((l) => [l.line_id, l]));
    const campaignPrices = taken.map(([lineId, s]) => ({
      line_id: lineId, campaign_id: s.campaign_id, registration_id: s.registration_id, list_price_minor: byLine.get(lineId)!.unit_price_minor, campaign_price_minor: Number(s.campaign_price_minor),
    }));
    const result: PricingResult = {
      ...priced,
      lines: priced.lines.map((p) => {
        const s = hits.get(p.line_id);
        return s ? { ...p, campaign_id: s.campaign_id, ...(s.fee_rate_bp === null ? {} : { fee_rate_bp: s.fee_rate_bp }) } : { ...p, campaign_id: null };
      }),
      redemptions: [...(priced.redemptions ?? []), ...taken.map(([lineId, s]) => ({ kind: CAMPAIGN_STOCK, ref_id: s.registration_id, quantity: byLine.get(lineId)!.quantity }))],
      order_pricing: priced.order_pricing && Object.fromEntries(Object.entries(priced.order_pricing).map(([storeId, o]) => {
        const mine = campaignPrices.filter((c) => req.lines.find((l) => l.line_id === c.line_id)?.store_id === storeId);
        return [storeId, mine.length && o && typeof o === 'object' ? { ...o, campaign_prices: mine } : o];
      })),
    };
    return result;
  };
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
        await repo.insertTake(tx, { id: newId('cst'), checkout_id: checkoutId, registration_id: r.ref_id, quantity: r.quantity, created_at: clock.now() });
      }
      await inner.redeem(tx, buyerId, checkoutId, mine.length ? { ...pricing, redemptions: all.filter((r) => r.kind !== CAMPAIGN_STOCK) } : pricing);
    },
    async release(tx: Executor, checkoutId: string): Promise<void> {
      for (const t of await repo.heldTakes(tx, checkoutId)) {
        if ((await repo.releaseTake(tx, t.id)) === 1) await repo.returnStock(tx, t.registration_id, t.quantity);
      }
      await deps.releasePresale(tx, checkoutId); // a pre-sale deposit checkout's units (none for other checkouts)
      await inner.release(tx, checkoutId);
    },
  };
}
