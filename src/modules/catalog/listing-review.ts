import type { Clock } from '../../lib/clock.ts';
import { DAY_MS } from '../../lib/clock.ts';
import { newId } from '../../lib/ids.ts';
import type { Executor } from '../../db/index.ts';
import { reviewListing, type ReviewRules } from './compliance/index.ts';
import type { CatalogRepo, ProductStatus, ReviewRow, ReviewTrigger } from './catalog.repo.ts';
import { toCategory, toReview, type Review, type ReviewSnapshot } from './catalog.types.ts';
import { reviewStatusFor, statusAfterReview } from './product-status.ts';

/** What the stores module knows about a store that listing review needs. */
export interface StoreFacts {
  /** Qualification codes the store holds and that are in force (e.g. `food_license`). */
  qualifications(storeId: string, ex?: Executor): Promise<string[]>;
  /** Brand names the store is certified to sell (品牌自营 or 品牌授权), in force. */
  certifiedBrands(storeId: string, ex?: Executor): Promise<string[]>;
}

/** Facts fetched before a transaction opens (the stores module reads on its own connection). */
export interface StoreFactsSnapshot {
  qualifications: string[];
  certified_brands: string[];
}

/** "Recent low" window of the 先涨后降 check (the brief's 30 days; see compliance/README.md). */
export const PRICE_LOW_WINDOW_MS = 30 * DAY_MS;

export interface ReviewOutcome {
  previous: ProductStatus;
  status: ProductStatus;
  review: Review;
}

/**
 * Runs the compliance check on a product as it stands in `tx` (after the caller's change),
 * records the review with its findings and a snapshot of what was checked, and moves the
 * product to the status the decision leads to. An older review still waiting in the
 * operators' queue is superseded: operators only ever decide the latest version.
 */
export function createListingReview(deps: { repo: CatalogRepo; clock: Clock; storeFacts: StoreFacts; rules: ReviewRules }) {
  const { repo, clock, storeFacts, rules } = deps;
  return {
    async factsFor(storeId: string): Promise<StoreFactsSnapshot> {
      const [qualifications, certified_brands] = await Promise.all([storeFacts.qualifications(storeId), storeFacts.certifiedBrands(storeId)]);
      return { qualifications, certified_brands };
    },

    async review(tx: Executor, productId: string, trigger: ReviewTrigger, facts: StoreFactsSnapshot): Promise<ReviewOutcome> {
      const now = clock.now();
      const product = (await repo.productById(productId, tx))!;
      const category = toCategory((await repo.categoryById(product.category_id, tx))!);
      const skus = (await repo.skusOf(productId, tx)).filter((s) => s.status === 'active');
      const snapshotSkus: ReviewSnapshot['skus'] = [];
      for (const s of skus) {
        snapshotSkus.push({
          id: s.id, spec: JSON.parse(s.spec), price_minor: Number(s.price_minor), list_price_minor: s.list_price_minor === null ? null : Number(s.list_price_minor),
          recent_low_price_minor: await repo.lowestPriceSince(s.id, now - PRICE_LOW_WINDOW_MS, tx),
        });
      }
      const snapshot: ReviewSnapshot = {
        title: product.title, subtitle: product.subtitle, description: product.description, brand: product.brand, attributes: JSON.parse(product.attributes),
        category_id: product.category_id, skus: snapshotSkus,
      };
      const result = reviewListing({
        title: snapshot.title, subtitle: snapshot.subtitle, description: snapshot.description, attributes: snapshot.attributes, brand: snapshot.brand,
        category: { required_attributes: category.required_attributes, required_qualifications: category.required_qualifications, allows_efficacy_claims: category.allows_efficacy_claims },
        store_qualifications: facts.qualifications, store_certified_brands: facts.certified_brands,
        skus: snapshotSkus.map((s) => ({ spec: s.spec, price_minor: s.price_minor, list_price_minor: s.list_price_minor, recent_low_price_minor: s.recent_low_price_minor })),
      }, rules);

      const previous = product.status;
      const status = statusAfterReview(trigger === 'relist' ? 'relisting' : previous, result.decision);
      await repo.q(tx).updateTable('catalog_reviews').set({ status: 'superseded' }).where('product_id', '=', productId).where('status', '=', 'pending').execute();
      const row: ReviewRow = {
        id: newId('rev'), product_id: productId, store_id: product.store_id, trigger, decision: result.decision, status: reviewStatusFor(result.decision, status),
        findings: JSON.stringify(result.findings), snapshot: JSON.stringify(snapshot), decided_by: null, decided_at: result.decision === 'review' ? null : now, reason: null, created_at: now,
      };
      await repo.q(tx).insertInto('catalog_reviews').values(row).execute();
      const relisted = trigger === 'relist' ? { delisted_reason: null, delisted_note: null, delisted_at: null } : {};
      await repo.q(tx).updateTable('catalog_products')
        .set({ status, review_id: row.id, updated_at: now, ...(status === 'live' && product.published_at === null ? { published_at: now } : {}), ...relisted })
        .where('id', '=', productId).execute();
      return { previous, status, review: toReview(row) };
    },
  };
}
export type ListingReview = ReturnType<typeof createListingReview>;
