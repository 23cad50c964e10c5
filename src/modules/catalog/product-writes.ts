import type { Clock } from '../../lib/clock.ts';
import { AppError, rule } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { Db, Executor } from '../../db/index.ts';
import type { Outbox } from '../../db/outbox.ts';
import type { CatalogRepo, ProductRow } from './catalog.repo.ts';
import type { ProductCreatedPayload } from './catalog.events.ts';
import { toProduct, toReview, type ProductInput, type ProductPatch, type ProductWithReview, type Review } from './catalog.types.ts';
import { checkImages, checkSpecs, emitUpdated, newSkuRow, recordPrice, storeProductRow, type ListingContext } from './listing-context.ts';
import type { ListingReview } from './listing-review.ts';
import { guard } from './product-status.ts';

const EDITABLE = ['title', 'subtitle', 'description', 'brand', 'attributes', 'images'] as const;

/** Reads a product with its SKUs and latest review, inside `ex`. */
export async function loadWithReview(repo: CatalogRepo, ex: Executor, row: ProductRow): Promise<ProductWithReview> {
  const skus = await repo.skusOf(row.id, ex);
  const review = row.review_id ? await repo.reviewById(row.review_id, ex) : undefined;
  return { ...toProduct(row, skus), review: review ? toReview(review) : null };
}

/** Creating products and editing their text, brand, attributes and images. */
export function createProductWrites(deps: { db: Db; repo: CatalogRepo; clock: Clock; outbox: Outbox; review: ListingReview }) {
  const { db, repo, clock, outbox, review } = deps;
  return {
    /**
     * Creates a product with its SKUs in the caller's transaction and reviews it: clean → live,
     * doubtful → in_review, blocked → rejected with its findings (kept so the merchant can fix
     * it). Stock is inventory's: see flows/create-listing. `trusted` skips the review — for
     * operator-curated seed data only, never for a merchant's request.
     */
    async createProduct(tx: Executor, lc: ListingContext, input: ProductInput, actorId: string | null, opts: { trusted?: boolean } = {}): Promise<ProductWithReview> {
      const category = await repo.categoryById(input.category_id, tx);
      if (!category) throw new AppError('business_rule', 'category_not_found', 'category does not exist', { category_id: input.category_id }).zh('类目不存在');
      if (category.is_leaf !== 1) throw rule('category_not_leaf', 'products must be listed in a leaf category', { category_id: input.category_id }).zh('商品只能发布在末级类目下');
      checkSpecs([], input.skus.map((s) => s.spec));
      await checkImages(repo, tx, lc.store_id, input.images ?? []);
      const now = clock.now();
      const row: ProductRow = {
        id: newId('prd'), store_id: lc.store_id, category_id: input.category_id, title: input.title.trim(), subtitle: input.subtitle ?? '', description: input.description ?? '',
        brand: input.brand ?? null, attributes: JSON.stringify(input.attributes ?? {}), images: JSON.stringify(input.images ?? []), status: opts.trusted ? 'live' : 'draft', sales: 0,
        created_at: now, updated_at: now, published_at: opts.trusted ? now : null, review_id: null, delisted_reason: null, delisted_note: null, delisted_at: null,
      };
      const skus = input.skus.map((s) => newSkuRow(row.id, lc.store_id, s, now));
      await repo.q(tx).insertInto('catalog_products').values(row).execute();
      await repo.q(tx).insertInto('catalog_skus').values(skus).execute();
      for (const s of skus) await recordPrice(repo, tx, s, actorId, now);
      let reviewed: Review | null = null;
      if (!opts.trusted) {
        const outcome = await review.review(tx, row.id, 'create', lc.facts);
        row.status = outcome.status;
        row.review_id = outcome.review.id;
        if (outcome.status === 'live') row.published_at = now;
        reviewed = outcome.review;
      }
      const payload: ProductCreatedPayload = { product_id: row.id, store_id: row.store_id, category_id: row.category_id, status: row.status };
      await outbox.emit(tx, 'product.created', row.id, { ...payload });
      return { ...toProduct(row, skus), review: reviewed };
    },

    /** Edits text, brand, attributes or images; anything but images is reviewed again. */
    async editProduct(lc: ListingContext, productId: string, patch: ProductPatch, actorId: string): Promise<ProductWithReview> {
      return db.transaction(async (tx) => {
        const row = await storeProductRow(repo, lc.store_id, productId, tx);
        const g = guard('edit', row.status);
        if (!g.ok) throw rule(g.code, g.message, g.details).zh(g.message_zh);
        const next = {
          title: patch.title?.trim() ?? row.title, subtitle: patch.subtitle ?? row.subtitle, description: patch.description ?? row.description,
          brand: patch.brand === undefined ? row.brand : patch.brand, attributes: patch.attributes === undefined ? row.attributes : JSON.stringify(patch.attributes),
          images: patch.images === undefined ? row.images : JSON.stringify(patch.images),
        };
        const changed: string[] = EDITABLE.filter((k) => next[k] !== row[k]);
        if (changed.length === 0) return loadWithReview(repo, tx, row);
        if (changed.includes('images')) await checkImages(repo, tx, lc.store_id, JSON.parse(next.images));
        await repo.q(tx).updateTable('catalog_products').set({ ...next, updated_at: clock.now() }).where('id', '=', productId).execute();
        let status = row.status;
        if (changed.some((k) => k !== 'images')) status = (await review.review(tx, productId, 'edit', lc.facts)).status;
        await emitUpdated(outbox, tx, row, status, status !== row.status ? [...changed, 'status'] : changed, actorId);
        return loadWithReview(repo, tx, (await repo.productById(productId, tx))!);
      });
    },
  };
}
