import type { AppContext } from '../app/wire.ts';
import type { Product, ProductInput, ProductStatus } from '../modules/catalog/index.ts';

export interface ListingInput extends ProductInput {
  /** Initial stock per SKU, in the same order as `skus`. */
  stock: number[];
}

/** A product, its SKUs and their initial stock: one transaction across catalog and inventory. */
export async function createListing(
  ctx: Pick<AppContext, 'db' | 'catalog' | 'inventory'>,
  storeId: string,
  input: ListingInput,
  actorId: string | null,
  status: ProductStatus = 'live',
): Promise<Product> {
  return ctx.db.transaction(async (tx) => {
    const product = await ctx.catalog.createProduct(tx, storeId, input, status);
    for (const [i, sku] of product.skus.entries()) await ctx.inventory.initStock(tx, storeId, sku.id, input.stock[i] ?? 0, actorId);
    return product;
  });
}
