import type { AppContext } from '../app/wire.ts';
import type { ListingContext, ProductInput, ProductWithReview, Sku, SkuInput } from '../modules/catalog/index.ts';

export interface ListingInput extends ProductInput {
  /** Initial stock per SKU, in the same order as `skus`. */
  stock: number[];
}

type Ctx = Pick<AppContext, 'db' | 'catalog' | 'inventory'>;

/**
 * A product, its SKUs and their initial stock: one transaction across catalog and inventory.
 * The product is reviewed on the way in (live, in_review or rejected with findings);
 * `trusted` skips the review and is for operator-curated seed data only.
 */
export async function createListing(ctx: Ctx, storeId: string, input: ListingInput, actorId: string | null, opts: { trusted?: boolean; lc?: ListingContext } = {}): Promise<ProductWithReview> {
  const lc = opts.lc ?? (await ctx.catalog.listingContext(storeId));
  return ctx.db.transaction(async (tx) => {
    const product = await ctx.catalog.createProduct(tx, lc, input, actorId, { trusted: opts.trusted });
    for (const [i, sku] of product.skus.entries()) {
      await ctx.inventory.initStock(tx, { store_id: storeId, product_id: product.id, sku_id: sku.id, quantity: input.stock[i] ?? 0 }, actorId);
    }
    return product;
  });
}

/** A new SKU on an existing product with its initial stock, in one transaction (the product is reviewed again). */
export async function addSku(ctx: Ctx, storeId: string, productId: string, input: SkuInput, stock: number, actorId: string): Promise<{ product: ProductWithReview; sku: Sku }> {
  const lc = await ctx.catalog.listingContext(storeId);
  return ctx.db.transaction(async (tx) => {
    const out = await ctx.catalog.addSku(tx, lc, productId, input, actorId);
    await ctx.inventory.initStock(tx, { store_id: storeId, product_id: productId, sku_id: out.sku.id, quantity: stock }, actorId);
    return out;
  });
}
