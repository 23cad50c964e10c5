/**
 * The main venue (主会场) and rankings (榜单), served from memory. A rebuild reads the visible
 * campaigns (warm-up, selling), their approved registrations and their sales so far (one
 * aggregate per rebuild, never per request); after that every paid campaign line is pushed in
 * by the order-events subscriber (`applySales`, idempotent by line id), refunds take their
 * whole units back out (`applyRefunds`, idempotent per event and line), and the sorted rankings
 * are recomputed at most once per RANK_EVERY_MS. Reads only sort nothing and query nothing.
 *
 * Several processes: each keeps its own copy; the one running workers sees sales at once, the
 * others at their periodic rebuild (`start()`, every REBUILD_EVERY_MS, in the background).
 */
import { HOUR_MS, MINUTE_MS } from '../../lib/clock.ts';
import type { Clock } from '../../lib/clock.ts';
import type { CampaignsRepo, SaleRow } from './campaigns.repo.ts';
import type { RefundChange } from './sales-report.ts';
import { toCampaign, type Campaign, type Section } from './campaigns.service.ts';

const RANK_EVERY_MS = 500;
const REBUILD_EVERY_MS = 15_000;
const TOP = 50;
const VELOCITY_WINDOW_MS = HOUR_MS;

export interface VenueItem {
  registration_id: string;
  product_id: string;
  sku_id: string;
  store_id: string;
  category_id: string;
  title: string;
  image: string | null;
  price_minor: number;
  campaign_price_minor: number;
  campaign_stock: number;
  /** Units one buyer gets at the campaign price (null: no limit). */
  limit_per_buyer: number | null;
  /** Units sold (paid) through the campaign, less the units refunded. */
  sold_units: number;
  /** Units paid in the last hour: the trending (飙升) score. */
  velocity_units: number;
}

export interface VenueSection {
  key: string;
  title: string;
  kind: Section['kind'];
  items: VenueItem[];
}

export interface Rankings {
  best_sellers: VenueItem[];
  trending: VenueItem[];
  by_category: Record<string, VenueItem[]>;
  updated_at: number;
}

interface Stats { units: number; minutes: Map<number, number> }
interface CampaignVenue {
  campaign: Campaign;
  items: VenueItem[];
  bySku: Map<string, VenueItem>;
  stats: Map<string, Stats>;
  sections: VenueSection[];
  rankings: Rankings;
  ranked_at: number;
  dirty: boolean;
}

export function createVenue(deps: { repo: CampaignsRepo; clock: Clock }) {
  const { repo, clock } = deps;
  let venues = new Map<string, CampaignVenue>();
  /** Bumped by every invalidation; the venue is fresh when a build that started at this version finished. */
  let version = 1;
  let builtVersion = 0;
  let building: Promise<void> | undefined;
  const seen = new Set<string>();
  const seenRefunds = new Set<string>();
  let timer: NodeJS.Timeout | undefined;

  const minuteOf = (ms: number) => Math.floor(ms / MINUTE_MS);

  function velocity(s: Stats | undefined, now: number): number {
    if (!s) return 0;
    const from = minuteOf(now - VELOCITY_WINDOW_MS);
    let n = 0;
    for (const [m, u] of s.minutes) {
      if (m > from) n += u;
      else s.minutes.delete(m);
    }
    return n;
  }

  function rank(v: CampaignVenue): void {
    const now = clock.now();
    for (const it of v.items) {
      const s = v.stats.get(it.sku_id);
      it.sold_units = s?.units ?? 0;
      it.velocity_units = velocity(s, now);
    }
    const bySales = [...v.items].sort((a, b) => b.sold_units - a.sold_units || a.campaign_price_minor - b.campaign_price_minor || (a.registration_id < b.registration_id ? -1 : 1));
    const trending = [...v.items].filter((i) => i.velocity_units > 0).sort((a, b) => b.velocity_units - a.velocity_units || b.sold_units - a.sold_units || (a.registration_id < b.registration_id ? -1 : 1));
    const byCategory: Record<string, VenueItem[]> = {};
    for (const it of bySales) {
      const list = (byCategory[it.category_id] ??= []);
      if (list.length < TOP) list.push(it);
    }
    const snapshot = (xs: VenueItem[]) => xs.slice(0, TOP).map((x) => ({ ...x }));
    v.rankings = { best_sellers: snapshot(bySales), trending: snapshot(trending), by_category: Object.fromEntries(Object.entries(byCategory).map(([k, xs]) => [k, snapshot(xs)])), updated_at: now };
    v.sections = v.campaign.sections.map((s) => {
      const cats = new Set(s.category_ids ?? []);
      const prods = new Set(s.product_ids ?? []);
      const items = bySales.filter((i) => (s.kind === 'category' ? cats.has(i.category_id) : prods.has(i.product_id)));
      return { key: s.key, title: s.title, kind: s.kind, items: snapshot(items) };
    });
    v.ranked_at = now;
    v.dirty = false;
  }

  async function rebuild(): Promise<void> {
    const now = clock.now();
    const campaigns = (await repo.q().selectFrom('campaigns_campaigns').selectAll().where('phase', 'in', ['warmup', 'selling']).where('status', '=', 'active').execute()).map(toCampaign);
    const next = new Map<string, CampaignVenue>();
    const ids = campaigns.map((c) => c.id);
    const regs = ids.length ? await repo.q().selectFrom('campaigns_registrations').selectAll().where('campaign_id', 'in', ids).where('status', '=', 'approved').execute() : [];
    const units = ids.length ? await repo.q().selectFrom('campaigns_sales').select(['campaign_id', 'sku_id']).select((eb) => eb.fn.sum<number>(eb('quantity', '-', eb.ref('refunded_units'))).as('units'))
      .where('campaign_id', 'in', ids).groupBy(['campaign_id', 'sku_id']).execute() : [];
    const recent = ids.length ? await repo.q().selectFrom('campaigns_sales').select(['campaign_id', 'sku_id', 'quantity', 'refunded_units', 'paid_at'])
      .where('campaign_id', 'in', ids).where('paid_at', '>', now - VELOCITY_WINDOW_MS).execute() : [];
    for (const c of campaigns) {
      const items: VenueItem[] = regs.filter((r) => r.campaign_id === c.id).map((r) => ({
        registration_id: r.id, product_id: r.product_id, sku_id: r.sku_id, store_id: r.store_id, category_id: r.category_id, title: r.title, image: r.image,
        price_minor: Number(r.price_minor), campaign_price_minor: Number(r.campaign_price_minor), campaign_stock: Number(r.campaign_stock),
        limit_per_buyer: r.limit_per_buyer === null ? null : Number(r.limit_per_buyer), sold_units: 0, velocity_units: 0,
      }));
      const stats = new Map<string, Stats>();
      for (const u of units) if (u.campaign_id === c.id) stats.set(u.sku_id, { units: Number(u.units), minutes: new Map() });
      for (const r of recent) {
        if (r.campaign_id !== c.id) continue;
        const s = stats.get(r.sku_id) ?? { units: 0, minutes: new Map() };
        s.minutes.set(minuteOf(Number(r.paid_at)), (s.minutes.get(minuteOf(Number(r.paid_at))) ?? 0) + Number(r.quantity) - Number(r.refunded_units));
        stats.set(r.sku_id, s);
      }
      const v: CampaignVenue = { campaign: c, items, bySku: new Map(items.map((i) => [i.sku_id, i])), stats, sections: [], rankings: { best_sellers: [], trending: [], by_category: {}, updated_at: now }, ranked_at: 0, dirty: true };
      rank(v);
      next.set(c.id, v);
    }
    venues = next;
    // The new maps hold what is committed; what was pushed into the old ones is gone with them. The
    // "already counted" sets only guard pushes into the current maps, so they start again empty
    // (they no longer grow for the whole campaign; a push whose transaction rolled back before this
    // rebuild is counted again when it is retried, as it should be).
    seen.clear();
    seenRefunds.clear();
  }

  /** Reads wait only for a rebuild that started after the last invalidation (the first build too). */
  async function fresh(): Promise<void> {
    while (builtVersion < version) {
      if (!building) startBuild();
      await building;
    }
  }

  function startBuild(): void {
    const v = version;
    building = rebuild()
      .then(() => {
        builtVersion = Math.max(builtVersion, v);
      })
      .finally(() => (building = undefined));
  }

  function current(id: string): CampaignVenue | undefined {
    const v = venues.get(id);
    if (v && v.dirty && clock.now() - v.ranked_at >= RANK_EVERY_MS) rank(v);
    return v;
  }

  return {
    /** Something the venue shows changed (phase, review, withdrawal, sections): rebuilt on the next read. */
    invalidate(): void {
      version++;
    },

    /** Paid campaign lines, pushed by the order-events subscriber; a line is counted once. */
    applySales(rows: readonly Pick<SaleRow, 'line_id' | 'campaign_id' | 'sku_id' | 'quantity' | 'paid_at'>[]): void {
      for (const r of rows) {
        if (seen.has(r.line_id)) continue;
        seen.add(r.line_id);
        const v = venues.get(r.campaign_id);
        if (!v) continue;
        const s = v.stats.get(r.sku_id) ?? { units: 0, minutes: new Map() };
        s.units += r.quantity;
        const m = minuteOf(r.paid_at);
        s.minutes.set(m, (s.minutes.get(m) ?? 0) + r.quantity);
        v.stats.set(r.sku_id, s);
        v.dirty = true;
      }
    },

    /**
     * Refunded units, pushed by the refund-events subscriber (the change it just wrote to the read
     * model): out of the item's paid units and, while it is in the last hour, its sale's minute.
     * Counted once per (event, line), so a handler retried after a rollback does not count twice.
     */
    applyRefunds(key: string, changes: readonly RefundChange[]): void {
      for (const c of changes) {
        const k = `${key}:${c.line_id}`;
        if (seenRefunds.has(k)) continue;
        seenRefunds.add(k);
        const v = venues.get(c.campaign_id);
        const s = v?.stats.get(c.sku_id);
        if (!v || !s) continue;
        s.units -= c.units_delta;
        const m = minuteOf(c.paid_at);
        if (s.minutes.has(m)) s.minutes.set(m, s.minutes.get(m)! - c.units_delta);
        v.dirty = true;
      }
    },

    async venue(campaignId: string): Promise<{ campaign: Campaign; sections: VenueSection[]; items: number; updated_at: number } | undefined> {
      await fresh();
      const v = current(campaignId);
      return v && { campaign: v.campaign, sections: v.sections, items: v.items.length, updated_at: v.ranked_at };
    },

    async rankings(campaignId: string): Promise<Rankings | undefined> {
      await fresh();
      return current(campaignId)?.rankings;
    },

    /** Visible campaigns (warm-up, selling), from memory. */
    async visible(): Promise<Campaign[]> {
      await fresh();
      return [...venues.values()].map((v) => v.campaign);
    },

    /**
     * Periodic rebuild for processes that do not run the subscriber (and to bound drift). It
     * runs in the background: reads keep being served from the current copy meanwhile (only an
     * explicit invalidation — a phase change, a review — makes reads wait for the rebuild).
     */
    start(everyMs = REBUILD_EVERY_MS): void {
      timer = setInterval(() => {
        if (building) return;
        startBuild();
        building!.catch(() => undefined);
      }, everyMs);
      timer.unref();
    },
    stop(): void {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
export type Venue = ReturnType<typeof createVenue>;
