import { AppError, notFound, rule } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { Executor } from '../../db/index.ts';
import type { Outbox } from '../../db/outbox.ts';
import type { CatalogRepo, ProductRow, ProductStatus, SkuRow } from './catalog.repo.ts';
import type { SkuInput } from './catalog.types.ts';
import type { ListingReview, StoreFactsSnapshot } from './listing-review.ts';
import type { ProductUpdatedPayload } from './catalog.events.ts';

/** What the catalog asks of the stores module besides qualifications and brands. */
export interface StoreLookup {
  getStore(storeId: string): Promise<{ status: string }>;
}

/**
 * Everything a listing write needs from outside the catalog, fetched *before* the
 * transaction opens (other modules read on their own connection; on the embedded engine a
 * read outside the open transaction would wait for it).
 */
export interface ListingContext {
  store_id: string;
  facts: StoreFactsSnapshot;
}

export async function listingContext(stores: StoreLookup, review: ListingReview, storeId: string, opts: { requireOpen: boolean }): Promise<ListingContext> {
  if (opts.requireOpen) {
    const store = await stores.getStore(storeId);
    if (store.status !== 'open') throw rule('store_not_open', `the store is ${store.status}; only open stores can list products`, { status: store.status }).zh('店铺未营业，暂不能发布商品');
  }
  return { store_id: storeId, facts: await review.factsFor(storeId) };
}

export async function storeProductRow(repo: CatalogRepo, storeId: string, productId: string, ex: Executor): Promise<ProductRow> {
  const row = await repo.productById(productId, ex);
  if (!row || row.store_id !== storeId) throw notFound('product', productId);
  return row;
}

export async function storeSkuRow(repo: CatalogRepo, storeId: string, skuId: string, ex: Executor): Promise<SkuRow> {
  const sku = await repo.q(ex).selectFrom('catalog_skus').selectAll().where('id', '=', skuId).where('store_id', '=', storeId).executeTakeFirst();
  if (!sku) throw notFound('sku', skuId);
  return sku;
}

const specKey = (spec: Record<string, string>) => JSON.stringify(Object.entries(spec).sort(([a], [b]) => (a < b ? -1 : 1)));
const specNames = (spec: Record<string, string>) => Object.keys(spec).sort().join('×');

/** SKUs of one product: distinct spec combinations over the same spec names (颜色×尺码). */
export function checkSpecs(existing: readonly Record<string, string>[], added: readonly Record<string, string>[]): void {
  const all = [...existing, ...added];
  const names = all.length ? specNames(all[0]) : '';
  const seen = new Set(existing.map(specKey));
  for (const spec of added) {
    if (specNames(spec) !== names) throw rule('inconsistent_spec_names', `every SKU must use the spec names ${names || '(none)'}`, { spec, expected: names }).zh(`所有规格须使用相同的规格项：${names || '无'}`);
    const key = specKey(spec);
    if (seen.has(key)) throw rule('duplicate_sku_spec', 'two SKUs have the same spec', { spec }).zh('存在规格完全相同的两个SKU');
    seen.add(key);
  }
}

const LOCAL_MEDIA = /^\/media\/(stores\/(sto_[0-9A-Z]{26})\/[0-9a-f]{64}\.(?:jpg|png|webp|gif))$/;

/** Images are the store's own uploads (`/media/stores/<store>/…`) or https URLs. */
export async function checkImages(repo: CatalogRepo, tx: Executor, storeId: string, images: readonly string[]): Promise<void> {
  const keys: string[] = [];
  for (const url of images) {
    const m = LOCAL_MEDIA.exec(url);
    if (m && m[2] === storeId) keys.push(m[1]);
    else if (!/^https:\/\/[^\s]+$/.test(url)) throw rule('invalid_image', 'images must be uploads of this store or https URLs', { url }).zh('图片须为本店上传的图片或 https 链接');
  }
  if (!keys.length) return;
  const found = new Set((await repo.q(tx).selectFrom('catalog_media').select('storage_key').where('storage_key', 'in', keys).execute()).map((r) => r.storage_key));
  const missing = keys.find((k) => !found.has(k));
  if (missing) throw new AppError('business_rule', 'image_not_found', 'an image was not uploaded to this store', { key: missing }).zh('图片不存在，请先上传');
}

export function newSkuRow(productId: string, storeId: string, s: SkuInput, now: number): SkuRow {
  return {
    id: newId('sku'), product_id: productId, store_id: storeId, spec: JSON.stringify(s.spec), price_minor: s.price_minor, list_price_minor: s.list_price_minor ?? null,
    currency: 'CNY', barcode: s.barcode ?? null, status: 'active', created_at: now, updated_at: now,
  };
}

export async function recordPrice(repo: CatalogRepo, tx: Executor, sku: Pick<SkuRow, 'id' | 'product_id' | 'store_id' | 'price_minor' | 'list_price_minor'>, actorId: string | null, now: number): Promise<void> {
  await repo.q(tx).insertInto('catalog_price_history').values({
    id: newId('prh'), sku_id: sku.id, product_id: sku.product_id, store_id: sku.store_id, price_minor: sku.price_minor, list_price_minor: sku.list_price_minor, actor_id: actorId, created_at: now,
  }).execute();
}

export async function emitUpdated(outbox: Outbox, tx: Executor, p: { id: string; store_id: string }, status: ProductStatus, changed: string[], actorId: string | null): Promise<void> {
  const payload: ProductUpdatedPayload = { product_id: p.id, store_id: p.store_id, status, changed, actor_id: actorId };
  await outbox.emit(tx, 'product.updated', p.id, { ...payload });
}
