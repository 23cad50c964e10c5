import { api } from './api.ts';

/** Pre-sale (预售) and reservation shapes of the API (/campaigns/{id}/presale-offers, /presale-orders) and the small shared look-ups. */
export interface CampaignLite { id: string; name: string; phase: string; phase_label_zh: string; warmup_start: string; selling_start: string; selling_end: string }
export interface PresaleRules { zh: string; en: string }
export interface PresaleOffer {
  id: string; campaign_id: string; registration_id: string; store_id: string; product_id: string; sku_id: string; title: string;
  price_minor: number; deposit_minor: number; deposit_value_minor: number; stock: number; taken: number; per_buyer_limit: number;
  balance_from: string; balance_to: string; rules: PresaleRules;
}
export type PresaleStage = 'awaiting_deposit' | 'deposit_paid' | 'balance_paid' | 'cancelled' | 'forfeited' | 'refunded';
export interface PresaleOrder {
  order_id: string; order_status: string; stage: PresaleStage; campaign_id: string; offer_id: string; store_id: string; sku_id: string; quantity: number;
  price_minor: number; deposit_minor: number; deposit_value_minor: number; deposit_total_minor: number; deposit_value_total_minor: number;
  balance_goods_minor: number; balance_minor: number | null; balance_from: string; balance_to: string; deposit_checkout_id: string; deposit_pay_by: string;
  balance_checkout_id: string | null; rules: PresaleRules; created_at: string;
}

// Shared for a short while by the venue, product pages and 我的预售, so browsing does not refetch them.
const FRESH_MS = 30_000;
const cache = new Map<string, { at: number; p: Promise<unknown> }>();
function cached<T>(key: string, load: () => Promise<T>, fresh = false): Promise<T> {
  const hit = cache.get(key);
  if (hit && !fresh && Date.now() - hit.at < FRESH_MS) return hit.p as Promise<T>;
  const p = load();
  cache.set(key, { at: Date.now(), p });
  p.catch(() => cache.delete(key));
  return p;
}

/** A campaign's pre-sale offers (approved registrations). */
export function campaignOffers(campaignId: string, fresh = false): Promise<PresaleOffer[]> {
  return cached(`offers:${campaignId}`, async () => (await api.get<{ items: PresaleOffer[] }>(`/campaigns/${campaignId}/presale-offers`)).items, fresh);
}

/** Campaigns in warm-up or selling. */
export function visibleCampaigns(): Promise<CampaignLite[]> {
  return cached('campaigns', async () => (await api.get<{ items: CampaignLite[] }>('/campaigns')).items);
}

/** A product's pre-sale offers in the campaigns running now, each with its campaign. */
export async function productOffers(productId: string): Promise<{ offer: PresaleOffer; campaign: CampaignLite }[]> {
  const campaigns = await visibleCampaigns();
  const found = await Promise.all(campaigns.map(async (campaign) => {
    const offers = await campaignOffers(campaign.id).catch(() => []);
    return offers.filter((o) => o.product_id === productId).map((offer) => ({ offer, campaign }));
  }));
  return found.flat();
}
