import { tables, type Db, type Executor } from '../../db/index.ts';

export type ProductStatus = 'draft' | 'in_review' | 'live' | 'rejected' | 'delisted';

export interface CategoryRow {
  id: string; parent_id: string | null; code: string; name_zh: string; name_en: string; is_leaf: number; fee_rate_bp: number; deposit_minor: number;
  required_attributes: string; required_qualifications: string; no_reason_return_7d: number; shipping_insurance: number; sort: number;
}
export interface ProductRow {
  id: string; store_id: string; category_id: string; title: string; subtitle: string; description: string; brand: string | null; attributes: string;
  images: string; status: ProductStatus; sales: number; created_at: number; updated_at: number; published_at: number | null;
}
export interface SkuRow {
  id: string; product_id: string; store_id: string; spec: string; price_minor: number; list_price_minor: number | null; currency: 'CNY';
  barcode: string | null; status: 'active' | 'disabled'; created_at: number; updated_at: number;
}
export interface CatalogTables {
  catalog_categories: CategoryRow;
  catalog_products: ProductRow;
  catalog_skus: SkuRow;
}

export function createCatalogRepo(db: Db) {
  const q = (ex: Executor = db.kysely) => tables<CatalogTables>(ex);
  const productById = db.prepared<ProductRow>('select * from catalog_products where id = ?');
  const skusOf = db.prepared<SkuRow>('select * from catalog_skus where product_id = ? order by id');
  return {
    q,
    productById: (id: string, ex: Executor = db.kysely) => productById.first(ex, [id]),
    skusOf: (productId: string, ex: Executor = db.kysely) => skusOf.all(ex, [productId]),
    skusOfMany: (productIds: readonly string[], ex?: Executor) =>
      productIds.length ? q(ex).selectFrom('catalog_skus').selectAll().where('product_id', 'in', productIds).orderBy('id').execute() : Promise.resolve([]),
    categoryById: (id: string, ex?: Executor) => q(ex).selectFrom('catalog_categories').selectAll().where('id', '=', id).executeTakeFirst(),
  };
}
export type CatalogRepo = ReturnType<typeof createCatalogRepo>;
