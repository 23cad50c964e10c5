import { sql } from 'kysely';
import type { Clock } from '../../lib/clock.ts';
import { conflict, invalid, notFound, rule } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { clampLimit, decodeCursor, toPage, type Page } from '../../lib/page.ts';
import { isUniqueViolation, type Db, type Executor } from '../../db/index.ts';
import type { AffiliateRepo, OfferRow, RateRow, SelectionRow } from './affiliate.repo.ts';
import { MAX_RATE_BP, MIN_RATE_BP, offerActiveAt, pickRate, PUBLIC_RATE, rateInBounds } from './rules.ts';

/** What affiliate needs to know about a product (catalog's batch getter, wired in app/wire.ts). */
export interface AffiliateProduct {
  id: string; store_id: string; category_id: string; title: string; image: string | null; price_minor: number; live: boolean;
}
export interface PoolPorts {
  products(ids: readonly string[]): Promise<Map<string, AffiliateProduct>>;
  /** Accounts among `ids` that hold the creator role, with their public name. */
  creators(ids: readonly string[]): Promise<Map<string, { display_name: string }>>;
}

export interface OfferInput {
  product_id: string;
  rate_bp: number;
  exclusive_rates?: { creator_id: string; rate_bp: number }[];
  starts_at?: number;
  ends_at?: number | null;
}
export type OfferPatch = Partial<Pick<OfferInput, 'rate_bp' | 'exclusive_rates' | 'ends_at'>>;
export type OfferStatus = 'scheduled' | 'active' | 'ended';

export interface Offer {
  id: string; store_id: string; product_id: string; category_id: string; title: string; image: string | null; price_minor: number; rate_bp: number;
  exclusive_rates: { creator_id: string; rate_bp: number }[]; starts_at: number; ends_at: number | null; status: OfferStatus; created_at: number; updated_at: number;
}
/** A pool entry as one creator sees it: the rate is theirs (exclusive when the merchant named them). */
export interface PoolItem {
  offer_id: string; store_id: string; product_id: string; category_id: string; title: string; image: string | null; price_minor: number;
  rate_bp: number; exclusive: boolean; ends_at: number | null; selected: boolean;
}
export interface Selection extends PoolItem {
  selection_id: string; selected_at: number; offer_status: OfferStatus;
}
export interface PoolFilter {
  category_id?: string; store_id?: string; q?: string; min_rate_bp?: number; max_price_minor?: number;
  sort?: 'rate_desc' | 'newest' | 'price_asc'; limit?: number; cursor?: string;
}

const MAX_EXCLUSIVE = 50;
const statusAt = (o: { starts_at: number; ends_at: number | null }, now: number): OfferStatus => (o.ends_at !== null && now >= o.ends_at ? 'ended' : o.starts_at > now ? 'scheduled' : 'active');
const badRate = (bp: number) => invalid('rate_out_of_bounds', `commission rate must be ${MIN_RATE_BP}–${MAX_RATE_BP} basis points (1%–50%), got ${bp}`, { min_bp: MIN_RATE_BP, max_bp: MAX_RATE_BP }).zh('佣金比例须在 1%–50% 之间');

/**
 * The affiliate pool (merchant side: offers with rates and validity) and creators' selections.
 * Rates are versioned (affiliate_rates valid_from/valid_to) and selections keep their history,
 * so "may this creator sell it, and at what rate" can be answered for any moment — commission
 * is snapshotted at the rate valid when the order was paid.
 */
export function createPool(deps: { db: Db; clock: Clock; repo: AffiliateRepo; ports: PoolPorts }) {
  const { db, clock, repo, ports } = deps;

  async function checkExclusive(list: { creator_id: string; rate_bp: number }[]): Promise<void> {
    if (list.length > MAX_EXCLUSIVE) throw invalid('too_many_exclusive_rates', `at most ${MAX_EXCLUSIVE} exclusive rates per product`);
    const ids = list.map((e) => e.creator_id);
    if (new Set(ids).size !== ids.length) throw invalid('duplicate_creator', 'a creator appears twice in exclusive_rates');
    for (const e of list) if (!rateInBounds(e.rate_bp)) throw badRate(e.rate_bp);
    const known = await ports.creators(ids);
    const missing = ids.filter((id) => !known.has(id));
    if (missing.length) throw rule('not_a_creator', 'exclusive rates are for creator accounts only', { creator_ids: missing }).zh('专属佣金只能设置给达人');
  }

  async function writeRates(tx: Executor, offerId: string, list: { creator_id: string; rate_bp: number }[], now: number, which: 'public' | 'exclusive'): Promise<void> {
    let close = repo.q(tx).updateTable('affiliate_rates').set({ valid_to: now }).where('offer_id', '=', offerId).where('valid_to', 'is', null);
    close = which === 'public' ? close.where('creator_id', '=', PUBLIC_RATE) : close.where('creator_id', '<>', PUBLIC_RATE);
    await close.execute();
    for (const r of list) await repo.q(tx).insertInto('affiliate_rates').values({ id: newId('afr'), offer_id: offerId, creator_id: r.creator_id, rate_bp: r.rate_bp, valid_from: now, valid_to: null }).execute();
  }

  async function present(rows: OfferRow[], ex?: Executor): Promise<Offer[]> {
    const rates = await repo.currentRates(rows.map((r) => r.id), ex);
    const now = clock.now();
    return rows.map((o) => ({
      id: o.id, store_id: o.store_id, product_id: o.product_id, category_id: o.category_id, title: o.title, image: o.image, price_minor: o.price_minor, rate_bp: o.rate_bp,
      exclusive_rates: rates.filter((r) => r.offer_id === o.id && r.creator_id !== PUBLIC_RATE).map((r) => ({ creator_id: r.creator_id, rate_bp: r.rate_bp })).sort((a, b) => (a.creator_id < b.creator_id ? -1 : 1)),
      starts_at: o.starts_at, ends_at: o.ends_at, status: statusAt(o, now), created_at: o.created_at, updated_at: o.updated_at,
    }));
  }

  /** The merchant puts a product into the pool (or reopens its ended offer with new terms). */
  async function addOffer(storeId: string, input: OfferInput, actorId: string | null): Promise<Offer> {
    if (!rateInBounds(input.rate_bp)) throw badRate(input.rate_bp);
    const exclusive = input.exclusive_rates ?? [];
    await checkExclusive(exclusive);
    const product = (await ports.products([input.product_id])).get(input.product_id);
    if (!product || product.store_id !== storeId) throw notFound('product', input.product_id);
    if (!product.live) throw rule('product_not_live', 'only products on sale can be offered to creators').zh('商品在售才能加入联盟商品库');
    const now = clock.now();
    const startsAt = Math.max(now, input.starts_at ?? now);
    const endsAt = input.ends_at ?? null;
    if (endsAt !== null && endsAt <= startsAt) throw invalid('ends_before_start', 'ends_at must be after starts_at');
    return db.transaction(async (tx) => {
      const existing = await repo.offerByProduct(input.product_id, tx);
      if (existing && statusAt(existing, now) !== 'ended') throw conflict('already_in_pool', 'this product is already in the affiliate pool; change its offer instead', { offer_id: existing.id });
      const fields = { category_id: product.category_id, title: product.title, image: product.image, price_minor: product.price_minor, rate_bp: input.rate_bp, starts_at: startsAt, ends_at: endsAt, updated_at: now };
      const id = existing?.id ?? newId('aof');
      if (existing) await repo.q(tx).updateTable('affiliate_offers').set(fields).where('id', '=', id).execute();
      else await repo.q(tx).insertInto('affiliate_offers').values({ id, store_id: storeId, product_id: input.product_id, created_by: actorId, created_at: now, ...fields }).execute();
      await writeRates(tx, id, [{ creator_id: PUBLIC_RATE, rate_bp: input.rate_bp }], now, 'public');
      await writeRates(tx, id, exclusive, now, 'exclusive');
      return (await present([(await repo.offerById(id, tx))!], tx))[0];
    });
  }

  async function ownOffer(storeId: string, offerId: string, ex?: Executor): Promise<OfferRow> {
    const o = await repo.offerById(offerId, ex);
    if (!o || o.store_id !== storeId) throw notFound('offer', offerId);
    return o;
  }

  /** New rates apply to orders paid from now on; orders paid before keep the rate they were paid at. */
  async function updateOffer(storeId: string, offerId: string, patch: OfferPatch): Promise<Offer> {
    if (patch.rate_bp !== undefined && !rateInBounds(patch.rate_bp)) throw badRate(patch.rate_bp);
    if (patch.exclusive_rates) await checkExclusive(patch.exclusive_rates);
    const now = clock.now();
    return db.transaction(async (tx) => {
      const o = await ownOffer(storeId, offerId, tx);
      if (statusAt(o, now) === 'ended') throw rule('offer_ended', 'this offer has ended; put the product into the pool again').zh('该商品已退出联盟，请重新加入');
      if (patch.ends_at !== undefined && patch.ends_at !== null && patch.ends_at <= Math.max(now, o.starts_at)) throw invalid('ends_in_past', 'ends_at must be in the future and after starts_at');
      if (patch.rate_bp !== undefined && patch.rate_bp !== o.rate_bp) await writeRates(tx, o.id, [{ creator_id: PUBLIC_RATE, rate_bp: patch.rate_bp }], now, 'public');
      if (patch.exclusive_rates) await writeRates(tx, o.id, patch.exclusive_rates, now, 'exclusive');
      await repo.q(tx).updateTable('affiliate_offers').set({
        rate_bp: patch.rate_bp ?? o.rate_bp, ends_at: patch.ends_at === undefined ? o.ends_at : patch.ends_at, updated_at: now,
      }).where('id', '=', o.id).execute();
      return (await present([(await repo.offerById(o.id, tx))!], tx))[0];
    });
  }

  /** Ends the offer now: orders paid from now on earn no commission; creators' selections show it ended. */
  async function withdrawOffer(storeId: string, offerId: string): Promise<Offer> {
    const now = clock.now();
    return db.transaction(async (tx) => {
      const o = await ownOffer(storeId, offerId, tx);
      if (statusAt(o, now) !== 'ended') await repo.q(tx).updateTable('affiliate_offers').set({ ends_at: now, updated_at: now }).where('id', '=', o.id).execute();
      return (await present([(await repo.offerById(o.id, tx))!], tx))[0];
    });
  }

  async function storeOffers(storeId: string, f: { status?: OfferStatus; limit?: number; cursor?: string }): Promise<Page<Offer>> {
    const limit = clampLimit(f.limit);
    const after = decodeCursor(f.cursor);
    const now = clock.now();
    let q = repo.q().selectFrom('affiliate_offers').selectAll().where('store_id', '=', storeId).orderBy('id', 'desc').limit(limit + 1);
    if (after !== undefined) q = q.where('id', '<', String(after));
    if (f.status === 'ended') q = q.where('ends_at', '<=', now);
    if (f.status === 'scheduled') q = q.where('starts_at', '>', now);
    if (f.status === 'active') q = q.where('starts_at', '<=', now).where((eb) => eb.or([eb('ends_at', 'is', null), eb('ends_at', '>', now)]));
    const rows = await q.execute();
    return toPage(await present(rows.map((r) => ({ ...r, price_minor: Number(r.price_minor), starts_at: Number(r.starts_at), ends_at: r.ends_at === null ? null : Number(r.ends_at), created_at: Number(r.created_at), updated_at: Number(r.updated_at) }))), limit, (o) => o.id);
  }

  async function asPoolItems(creatorId: string, rows: OfferRow[]): Promise<(PoolItem & { live: boolean })[]> {
    const rates = await repo.currentRates(rows.map((r) => r.id));
    const products = await ports.products(rows.map((r) => r.product_id));
    const selected = rows.length
      ? new Set((await repo.q().selectFrom('affiliate_selections').select('product_id').where('creator_id', '=', creatorId).where('removed_at', 'is', null).where('product_id', 'in', rows.map((r) => r.product_id)).execute()).map((r) => r.product_id))
      : new Set<string>();
    return rows.map((o) => {
      const own = rates.filter((r: RateRow) => r.offer_id === o.id);
      const exclusive = own.some((r) => r.creator_id === creatorId);
      return {
        offer_id: o.id, store_id: o.store_id, product_id: o.product_id, category_id: o.category_id, title: o.title, image: o.image, price_minor: Number(o.price_minor),
        rate_bp: pickRate(own, creatorId) ?? o.rate_bp, exclusive, ends_at: o.ends_at === null ? null : Number(o.ends_at), selected: selected.has(o.product_id),
        live: products.get(o.product_id)?.live ?? false,
      };
    });
  }

  /** Creators browse active offers of products on sale. Sorting by rate uses the public rate. */
  async function browse(creatorId: string, f: PoolFilter): Promise<Page<PoolItem>> {
    const limit = clampLimit(f.limit);
    const after = decodeCursor(f.cursor);
    const now = clock.now();
    const sort = f.sort ?? 'rate_desc';
    let q = repo.q().selectFrom('affiliate_offers').selectAll().where('starts_at', '<=', now).where((eb) => eb.or([eb('ends_at', 'is', null), eb('ends_at', '>', now)])).limit(limit + 1);
    if (f.category_id) q = q.where('category_id', '=', f.category_id);
    if (f.store_id) q = q.where('store_id', '=', f.store_id);
    if (f.q) q = q.where(sql<string>`lower(title)`, 'like', `%${f.q.toLowerCase().replace(/[%_\\]/g, '')}%`); // lower(): PostgreSQL's like is case-sensitive, SQLite's is not
    if (f.min_rate_bp !== undefined) q = q.where('rate_bp', '>=', f.min_rate_bp);
    if (f.max_price_minor !== undefined) q = q.where('price_minor', '<=', f.max_price_minor);
    if (sort === 'rate_desc') {
      q = q.orderBy('rate_bp', 'desc').orderBy('id', 'desc');
      if (after !== undefined) {
        const [rate, id] = String(after).split(':');
        q = q.where((eb) => eb.or([eb('rate_bp', '<', Number(rate)), eb.and([eb('rate_bp', '=', Number(rate)), eb('id', '<', id)])]));
      }
    } else if (sort === 'price_asc') {
      q = q.orderBy('price_minor', 'asc').orderBy('id', 'asc');
      if (after !== undefined) {
        const [price, id] = String(after).split(':');
        q = q.where((eb) => eb.or([eb('price_minor', '>', Number(price)), eb.and([eb('price_minor', '=', Number(price)), eb('id', '>', id)])]));
      }
    } else {
      q = q.orderBy('id', 'desc');
      if (after !== undefined) q = q.where('id', '<', String(after));
    }
    const rows = (await q.execute()) as OfferRow[];
    const page = toPage(rows, limit, (o) => (sort === 'rate_desc' ? `${o.rate_bp}:${o.id}` : sort === 'price_asc' ? `${Number(o.price_minor)}:${o.id}` : o.id));
    // Products taken off sale since they were offered drop out of the page (a page may be shorter than the limit).
    const items = (await asPoolItems(creatorId, page.items)).filter((i) => i.live).map(({ live: _l, ...i }) => i);
    return { items, next_cursor: page.next_cursor };
  }

  async function select(creatorId: string, productId: string): Promise<{ selection: Selection; created: boolean }> {
    const now = clock.now();
    const offer = await repo.offerByProduct(productId);
    if (!offer || !offerActiveAt(offer, now)) throw notFound('offer', productId);
    if (!(await ports.products([productId])).get(productId)?.live) throw rule('product_not_live', 'this product is not on sale').zh('商品已下架');
    const existing = await repo.activeSelection(creatorId, productId);
    if (existing) return { selection: (await presentSelections(creatorId, [existing]))[0], created: false };
    const row: SelectionRow = { id: newId('asl'), creator_id: creatorId, offer_id: offer.id, product_id: productId, store_id: offer.store_id, selected_at: now, removed_at: null };
    try {
      await repo.q().insertInto('affiliate_selections').values(row).execute();
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      return { selection: (await presentSelections(creatorId, [(await repo.activeSelection(creatorId, productId))!]))[0], created: false };
    }
    return { selection: (await presentSelections(creatorId, [row]))[0], created: true };
  }

  async function unselect(creatorId: string, productId: string): Promise<void> {
    const r = await repo.q().updateTable('affiliate_selections').set({ removed_at: clock.now() }).where('creator_id', '=', creatorId).where('product_id', '=', productId).where('removed_at', 'is', null).executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) throw notFound('selection', productId);
  }

  async function presentSelections(creatorId: string, rows: SelectionRow[]): Promise<Selection[]> {
    if (!rows.length) return [];
    const offers = (await repo.q().selectFrom('affiliate_offers').selectAll().where('id', 'in', rows.map((r) => r.offer_id)).execute()) as OfferRow[];
    const items = new Map((await asPoolItems(creatorId, offers)).map((i) => [i.offer_id, i]));
    const byId = new Map(offers.map((o) => [o.id, o]));
    const now = clock.now();
    return rows.map((s) => {
      const { live, ...item } = items.get(s.offer_id)!;
      const o = byId.get(s.offer_id)!;
      const status = statusAt({ starts_at: Number(o.starts_at), ends_at: o.ends_at === null ? null : Number(o.ends_at) }, now);
      return { ...item, selected: true, selection_id: s.id, selected_at: Number(s.selected_at), offer_status: live ? status : 'ended' };
    });
  }

  async function selections(creatorId: string, f: { limit?: number; cursor?: string }): Promise<Page<Selection>> {
    const limit = clampLimit(f.limit);
    const after = decodeCursor(f.cursor);
    let q = repo.q().selectFrom('affiliate_selections').selectAll().where('creator_id', '=', creatorId).where('removed_at', 'is', null).orderBy('id', 'desc').limit(limit + 1);
    if (after !== undefined) q = q.where('id', '<', String(after));
    const page = toPage(await q.execute(), limit, (s) => s.id);
    return { items: await presentSelections(creatorId, page.items), next_cursor: page.next_cursor };
  }

  /** The creator's rate for the product at `at` (default now), or null when the creator may not sell it then. */
  async function rateFor(creatorId: string, productId: string, at = clock.now(), ex?: Executor): Promise<number | null> {
    const offer = await repo.offerByProduct(productId, ex);
    if (!offer || !offerActiveAt(offer, at)) return null;
    if (!(await repo.selectionAt(creatorId, productId, at, ex))) return null;
    return pickRate(await repo.ratesAt(offer.id, at, ex), creatorId);
  }

  return {
    addOffer, updateOffer, withdrawOffer, storeOffers, browse, select, unselect, selections, rateFor,
    /** Content's `creatorMayLink` hook: which of these products the creator may link now (selected, offer active, rate valid). */
    async creatorMayLink(creatorId: string, productIds: readonly string[]): Promise<Set<string>> {
      const now = clock.now();
      const out = new Set<string>();
      for (const id of new Set(productIds)) if ((await rateFor(creatorId, id, now)) !== null) out.add(id);
      return out;
    },
    /** For other modules (content, live): may this creator sell this product in their content now? */
    async creatorMaySell(creatorId: string, productId: string, at?: number, ex?: Executor): Promise<boolean> {
      return (await rateFor(creatorId, productId, at, ex)) !== null;
    },
  };
}
export type Pool = ReturnType<typeof createPool>;
