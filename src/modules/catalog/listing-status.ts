import type { Clock } from '../../lib/clock.ts';
import { conflict, notFound, rule } from '../../lib/errors.ts';
import type { Db, Executor } from '../../db/index.ts';
import type { Outbox } from '../../db/outbox.ts';
import { normalizeForMatch, type KnownBrand } from './compliance/index.ts';
import type { CatalogRepo, DelistReason, ProductRow } from './catalog.repo.ts';
import type { ProductDelistedPayload, ProductRelistedPayload } from './catalog.events.ts';
import { toCategory, toReview, type ProductWithReview, type Review } from './catalog.types.ts';
import { emitUpdated, storeProductRow, type ListingContext } from './listing-context.ts';
import type { ListingReview, StoreFacts } from './listing-review.ts';
import { guard } from './product-status.ts';
import { loadWithReview } from './product-writes.ts';

const brandKey = (b: string) => normalizeForMatch(b).text;

/** Taking products off sale and back, by the merchant or by the platform, and operators' review decisions. */
export function createListingStatus(deps: { db: Db; repo: CatalogRepo; clock: Clock; outbox: Outbox; review: ListingReview; storeFacts: StoreFacts; knownBrands: readonly KnownBrand[] }) {
  const { db, repo, clock, outbox, review, storeFacts, knownBrands } = deps;

  /** Every spelling of a brand that the known-brands list ties to it (耐克 ⇔ Nike), itself included. */
  function spellings(name: string): string[] {
    const key = brandKey(name);
    const known = knownBrands.find((b) => [b.name, ...(b.aliases ?? [])].some((n) => brandKey(n) === key));
    return known ? [known.name, ...(known.aliases ?? [])] : [name];
  }

  /** Conditional: only a product still in a delistable state changes, so repeats are no-ops. */
  async function delistRow(tx: Executor, row: ProductRow, reason: DelistReason, note: string | null, actorId: string | null): Promise<boolean> {
    const now = clock.now();
    const r = await repo.q(tx).updateTable('catalog_products')
      .set({ status: 'delisted', delisted_reason: reason, delisted_note: note, delisted_at: now, updated_at: now })
      .where('id', '=', row.id).where('status', 'in', ['draft', 'in_review', 'live', 'rejected']).executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return false;
    await repo.q(tx).updateTable('catalog_reviews').set({ status: 'withdrawn' }).where('product_id', '=', row.id).where('status', '=', 'pending').execute();
    const payload: ProductDelistedPayload = { product_id: row.id, store_id: row.store_id, reason, actor_id: actorId };
    await outbox.emit(tx, 'product.delisted', row.id, { ...payload });
    return true;
  }

  async function decide(reviewId: string, operatorId: string, approve: boolean, reason: string | null): Promise<Review> {
    return db.transaction(async (tx) => {
      const rev = await repo.reviewById(reviewId, tx);
      if (!rev) throw notFound('review', reviewId);
      const now = clock.now();
      const moved = await repo.q(tx).updateTable('catalog_reviews')
        .set({ status: approve ? 'approved' : 'rejected', decided_by: operatorId, decided_at: now, reason })
        .where('id', '=', reviewId).where('status', '=', 'pending').executeTakeFirst();
      if (Number(moved.numUpdatedRows) !== 1) {
        throw conflict('review_not_pending', `this review is ${rev.status}; only pending reviews can be decided`, { status: rev.status }).zh('该审核已处理或已被新版本取代');
      }
      const status = approve ? 'live' : 'rejected';
      const product = (await repo.productById(rev.product_id, tx))!;
      const g = guard(approve ? 'approve' : 'reject', product.status);
      if (!g.ok || product.review_id !== reviewId) throw new Error(`pending review ${reviewId} does not match product ${product.id} (${product.status}, ${product.review_id})`);
      await repo.q(tx).updateTable('catalog_products')
        .set({ status, updated_at: now, ...(approve && product.published_at === null ? { published_at: now } : {}) })
        .where('id', '=', product.id).execute();
      await emitUpdated(outbox, tx, product, status, ['status'], operatorId);
      return toReview((await repo.reviewById(reviewId, tx))!);
    });
  }

  return {
    async delist(storeId: string, productId: string, actorId: string, note: string | null = null): Promise<ProductWithReview> {
      return db.transaction(async (tx) => {
        const row = await storeProductRow(repo, storeId, productId, tx);
        const g = guard('delist', row.status);
        if (!g.ok) throw rule(g.code, g.message, g.details).zh(g.message_zh);
        await delistRow(tx, row, 'merchant', note, actorId);
        return loadWithReview(repo, tx, (await repo.productById(productId, tx))!);
      });
    },

    /** Puts a delisted product back; it is reviewed again (brand and qualifications may have lapsed). */
    async relist(lc: ListingContext, productId: string, actorId: string): Promise<ProductWithReview> {
      return db.transaction(async (tx) => {
        const row = await storeProductRow(repo, lc.store_id, productId, tx);
        const g = guard('relist', row.status);
        if (!g.ok) throw rule(g.code, g.message, g.details).zh(g.message_zh);
        const outcome = await review.review(tx, productId, 'relist', lc.facts);
        const payload: ProductRelistedPayload = { product_id: productId, store_id: row.store_id, status: outcome.status, actor_id: actorId };
        await outbox.emit(tx, 'product.relisted', productId, { ...payload });
        return loadWithReview(repo, tx, (await repo.productById(productId, tx))!);
      });
    },

    /**
     * The store lost a brand certification: its products of that brand (any known spelling) go
     * off sale — unless the store still holds the brand through another certification (a
     * renewal approved before the old one ran out). Runs in the event's transaction.
     */
    async delistForBrand(tx: Executor, storeId: string, brandName: string, note: string | null): Promise<string[]> {
      const keys = new Set(spellings(brandName).map(brandKey).filter((k) => k !== ''));
      const still = (await storeFacts.certifiedBrands(storeId, tx)).flatMap(spellings).map(brandKey);
      if (still.some((k) => keys.has(k))) return [];
      const rows = await repo.q(tx).selectFrom('catalog_products').selectAll().where('store_id', '=', storeId).where('brand', 'is not', null)
        .where('status', 'in', ['draft', 'in_review', 'live']).execute();
      const out: string[] = [];
      for (const row of rows) if (keys.has(brandKey(row.brand!)) && (await delistRow(tx, row, 'brand_revoked', note, null))) out.push(row.id);
      return out;
    },

    /** A qualification lapsed: products in categories that require it go off sale (unless a renewal is already in force). */
    async delistForQualification(tx: Executor, storeId: string, qualification: string, note: string | null): Promise<string[]> {
      if ((await storeFacts.qualifications(storeId, tx)).includes(qualification)) return []; // renewed already
      const categories = (await repo.q(tx).selectFrom('catalog_categories').selectAll().where('is_leaf', '=', 1).execute()).map(toCategory)
        .filter((c) => c.required_qualifications.includes(qualification)).map((c) => c.id);
      if (!categories.length) return [];
      const rows = await repo.q(tx).selectFrom('catalog_products').selectAll().where('store_id', '=', storeId).where('category_id', 'in', categories)
        .where('status', 'in', ['draft', 'in_review', 'live']).execute();
      const out: string[] = [];
      for (const row of rows) if (await delistRow(tx, row, 'qualification_expired', note, null)) out.push(row.id);
      return out;
    },

    approveReview: (reviewId: string, operatorId: string, note: string | null = null) => decide(reviewId, operatorId, true, note),
    rejectReview: (reviewId: string, operatorId: string, reason: string) => decide(reviewId, operatorId, false, reason),
  };
}
