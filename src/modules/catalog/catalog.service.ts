import type { Clock } from '../../lib/clock.ts';
import { AppError, notFound, rule } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { clampLimit, decodeCursor, toPage, type Page } from '../../lib/page.ts';
import type { Db, Executor } from '../../db/index.ts';
import type { Outbox } from '../../db/outbox.ts';
import type { CatalogRepo, CategoryRow, ProductRow, ProductStatus, SkuRow } from './catalog.repo.ts';

export interface Category {
  id: string; parent_id: string | null; code: string; name_zh: string; name_en: string; is_leaf: boolean; fee_rate_bp: number; deposit_minor: number;
  required_attributes: { key: string; label_zh: string; type: 'text' | 'enum' | 'number'; options?: string[] }[];
  required_qualifications: string[]; no_reason_return_7d: boolean; shipping_insurance: boolean;
}
export interface Sku {
  id: string; product_id: string; spec: Record<string, string>; price_minor: number; list_price_minor: number | null; currency: 'CNY'; barcode: string | null; status: 'active' | 'disabled';
}
export interface Product {
  id: string; store_id: string; category_id: string; title: string; subtitle: string; description: string; brand: string | null;
  attributes: Record<string, string>; images: string[]; status: ProductStatus; sales: number; created_at: number; updated_at: number; skus: Sku[];
}
export interface SkuInput {
  spec: Record<string, string>; price_minor: number; list_price_minor?: number | null; barcode?: string | null;
}
export interface ProductInput {
  category_id: string; title: string; subtitle?: string; description?: string; brand?: string | null; attributes?: Record<string, string>; images?: string[]; skus: SkuInput[];
}

export const toCategory = (r: CategoryRow): Category => ({
  id: r.id, parent_id: r.parent_id, code: r.code, name_zh: r.name_zh, name_en: r.name_en, is_leaf: r.is_leaf === 1, fee_rate_bp: r.fee_rate_bp, deposit_minor: r.deposit_minor,
  required_attributes: JSON.parse(r.required_attributes), required_qualifications: JSON.parse(r.required_qualifications),
  no_reason_return_7d: r.no_reason_return_7d === 1, shipping_insurance: r.shipping_insurance === 1,
});
const toSku = (r: SkuRow): Sku => ({
  id: r.id, product_id: r.product_id, spec: JSON.parse(r.spec), price_minor: r.price_minor, list_price_minor: r.list_price_minor, currency: r.currency, barcode: r.barcode, status: r.status,
});
const toProduct = (r: ProductRow, skus: SkuRow[]): Product => ({
  id: r.id, store_id: r.store_id, category_id: r.category_id, title: r.title, subtitle: r.subtitle, description: r.description, brand: r.brand,
  attributes: JSON.parse(r.attributes), images: JSON.parse(r.images), status: r.status, sales: r.sales, created_at: r.created_at, updated_at: r.updated_at, skus: skus.map(toSku),
});

export function createCatalogService(deps: { db: Db; repo: CatalogRepo; clock: Clock; outbox: Outbox }) {
  const { db, repo, clock, outbox } = deps;

  async function withSkus(rows: ProductRow[], ex?: Executor): Promise<Product[]> {
    const skus = await repo.skusOfMany(rows.map((r) => r.id), ex);
    const by = new Map<string, SkuRow[]>();
    for (const s of skus) by.set(s.product_id, [...(by.get(s.product_id) ?? []), s]);
    return rows.map((r) => toProduct(r, by.get(r.id) ?? []));
  }

  async function storeProductRow(storeId: string, productId: string, ex?: Executor): Promise<ProductRow> {
    const row = await repo.productById(productId, ex);
    if (!row || row.store_id !== storeId) throw notFound('product', productId);
    return row;
  }

  return {
    async createCategory(tx: Executor, input: Omit<Category, 'id'>): Promise<Category> {
      const row: CategoryRow = {
        id: newId('cat'), parent_id: input.parent_id, code: input.code, name_zh: input.name_zh, name_en: input.name_en, is_leaf: input.is_leaf ? 1 : 0,
        fee_rate_bp: input.fee_rate_bp, deposit_minor: input.deposit_minor, required_attributes: JSON.stringify(input.required_attributes),
        required_qualifications: JSON.stringify(input.required_qualifications), no_reason_return_7d: input.no_reason_return_7d ? 1 : 0, shipping_insurance: input.shipping_insurance ? 1 : 0, sort: 0,
      };
      await repo.q(tx).insertInto('catalog_categories').values(row).execute();
      return toCategory(row);
    },

    async listCategories(): Promise<Category[]> {
      return (await repo.q().selectFrom('catalog_categories').selectAll().orderBy('sort').orderBy('code').execute()).map(toCategory);
    },

    /** Creates a product with its SKUs in the caller's transaction (stock is inventory's; see flows/create-listing). */
    async createProduct(tx: Executor, storeId: string, input: ProductInput, status: ProductStatus): Promise<Product> {
      const category = await repo.categoryById(input.category_id, tx);
      if (!category) throw new AppError('business_rule', 'category_not_found', 'category does not exist', { category_id: input.category_id });
      if (category.is_leaf !== 1) throw rule('category_not_leaf', 'products must be listed in a leaf category', { category_id: input.category_id });
      const now = clock.now();
      const row: ProductRow = {
        id: newId('prd'), store_id: storeId, category_id: input.category_id, title: input.title.trim(), subtitle: input.subtitle ?? '', description: input.description ?? '',
        brand: input.brand ?? null, attributes: JSON.stringify(input.attributes ?? {}), images: JSON.stringify(input.images ?? []), status, sales: 0,
        created_at: now, updated_at: now, published_at: status === 'live' ? now : null,
      };
      const seen = new Set<string>();
      const skus: SkuRow[] = input.skus.map((s) => {
        const key = JSON.stringify(Object.entries(s.spec).sort());
        if (seen.has(key)) throw rule('duplicate_sku_spec', 'two SKUs have the same spec', { spec: s.spec });
        seen.add(key);
        if (s.list_price_minor != null && s.list_price_minor < s.price_minor) throw rule('list_price_below_price', 'the strikethrough price cannot be lower than the price', { spec: s.spec });
        return { id: newId('sku'), product_id: row.id, store_id: storeId, spec: JSON.stringify(s.spec), price_minor: s.price_minor, list_price_minor: s.list_price_minor ?? null,
          currency: 'CNY', barcode: s.barcode ?? null, status: 'active', created_at: now, updated_at: now };
      });
      await repo.q(tx).insertInto('catalog_products').values(row).execute();
      await repo.q(tx).insertInto('catalog_skus').values(skus).execute();
      await outbox.emit(tx, 'product.created', row.id, { product_id: row.id, store_id: storeId, status });
      return toProduct(row, skus);
    },

    /** A product as its store's staff see it (any status); another store's product is not found. */
    async getStoreProduct(storeId: string, productId: string): Promise<Product> {
      const row = await storeProductRow(storeId, productId);
      return toProduct(row, await repo.skusOf(row.id));
    },

    /** A product as buyers see it: only live ones. */
    async getLiveProduct(productId: string): Promise<Product> {
      const row = await repo.productById(productId);
      if (!row || row.status !== 'live') throw notFound('product', productId);
      return toProduct(row, await repo.skusOf(row.id));
    },

    async listStoreProducts(storeId: string, opts: { limit?: number; cursor?: string; status?: ProductStatus }): Promise<Page<Product>> {
      const limit = clampLimit(opts.limit);
      const after = decodeCursor(opts.cursor);
      let query = repo.q().selectFrom('catalog_products').selectAll().where('store_id', '=', storeId).orderBy('id', 'desc').limit(limit + 1);
      if (opts.status) query = query.where('status', '=', opts.status);
      if (after !== undefined) query = query.where('id', '<', String(after));
      const rows = await query.execute();
      return toPage(await withSkus(rows), limit, (p) => p.id);
    },

    async listLiveProducts(opts: { limit?: number; cursor?: string; store_id?: string; category_id?: string }): Promise<Page<Product>> {
      const limit = clampLimit(opts.limit);
      const after = decodeCursor(opts.cursor);
      let query = repo.q().selectFrom('catalog_products').selectAll().where('status', '=', 'live').orderBy('id', 'desc').limit(limit + 1);
      if (opts.store_id) query = query.where('store_id', '=', opts.store_id);
      if (opts.category_id) query = query.where('category_id', '=', opts.category_id);
      if (after !== undefined) query = query.where('id', '<', String(after));
      return toPage(await withSkus(await query.execute()), limit, (p) => p.id);
    },

    /** Changes a SKU's price (the caller has checked the price permission). */
    async setSkuPrice(storeId: string, skuId: string, input: { price_minor: number; list_price_minor?: number | null }, actorId: string): Promise<Sku> {
      return db.transaction(async (tx) => {
        const sku = await repo.q(tx).selectFrom('catalog_skus').selectAll().where('id', '=', skuId).where('store_id', '=', storeId).executeTakeFirst();
        if (!sku) throw notFound('sku', skuId);
        const list = input.list_price_minor === undefined ? sku.list_price_minor : input.list_price_minor;
        if (list != null && list < input.price_minor) throw rule('list_price_below_price', 'the strikethrough price cannot be lower than the price');
        const now = clock.now();
        await repo.q(tx).updateTable('catalog_skus').set({ price_minor: input.price_minor, list_price_minor: list, updated_at: now }).where('id', '=', skuId).execute();
        await repo.q(tx).updateTable('catalog_products').set({ updated_at: now }).where('id', '=', sku.product_id).execute();
        await outbox.emit(tx, 'sku.price_changed', skuId, { sku_id: skuId, product_id: sku.product_id, store_id: storeId, from_minor: sku.price_minor, to_minor: input.price_minor, actor_id: actorId });
        return toSku({ ...sku, price_minor: input.price_minor, list_price_minor: list, updated_at: now });
      });
    },
  };
}
