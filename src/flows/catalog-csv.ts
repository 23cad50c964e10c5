import type { AppContext } from '../app/wire.ts';
import { AppError, invalid } from '../lib/errors.ts';
import { formatCsv, parseCsv } from '../lib/csv.ts';
import { productCsvRows, readProductCsv, type Finding, type ProductStatus, type RowError } from '../modules/catalog/index.ts';
import { createListing } from './create-listing.ts';

export interface ImportedProduct {
  product_ref: string;
  product_id: string;
  lines: number[];
  status: ProductStatus;
  findings: Finding[];
}

export interface ProductImportResult {
  rows: number;
  created: ImportedProduct[];
  errors: RowError[];
}

/**
 * Imports new products from a CSV (format: modules/catalog/catalog-csv.ts). Each product is
 * its own transaction: a bad row stops only the product it belongs to, because a file of
 * hundreds of products should not fail on one typo, while half a product (some of its SKUs)
 * would be worse than none. Created products are reviewed like any other: the result says
 * which went live, which wait for review and which were rejected, with the findings.
 */
export async function importProductsCsv(ctx: Pick<AppContext, 'db' | 'catalog' | 'inventory'>, storeId: string, text: string, actorId: string): Promise<ProductImportResult> {
  const parsed = parseCsv(text);
  if (!parsed.ok) throw invalid('invalid_csv', `line ${parsed.line}: ${parsed.message}`, { line: parsed.line }).zh(`第 ${parsed.line} 行：CSV 格式错误`);
  const { groups, errors } = readProductCsv(parsed.records);
  const lc = await ctx.catalog.listingContext(storeId);
  const categories = await ctx.catalog.listCategories();
  const created: ImportedProduct[] = [];
  for (const g of groups) {
    const category = categories.find((c) => c.id === g.category || c.code === g.category);
    const fail = (code: string, message: string, message_zh: string) => g.lines.forEach((line) => errors.push({ line, product_ref: g.ref, code, message, message_zh }));
    if (!category) {
      fail('category_not_found', `no category "${g.category}" (use a category id or code)`, `类目「${g.category}」不存在`);
      continue;
    }
    try {
      const p = await createListing(ctx, storeId, { ...g.input, category_id: category.id, stock: g.stock }, actorId, { lc });
      created.push({ product_ref: g.ref, product_id: p.id, lines: g.lines, status: p.status, findings: p.review?.findings ?? [] });
    } catch (err) {
      if (!(err instanceof AppError) || err.kind === 'internal') throw err;
      fail(err.code, err.message, err.message_zh ?? err.message);
    }
  }
  errors.sort((a, b) => a.line - b.line);
  return { rows: Math.max(0, parsed.records.length - 1), created, errors };
}

export async function exportProductsCsv(ctx: Pick<AppContext, 'catalog' | 'inventory'>, storeId: string): Promise<string> {
  const items = await ctx.catalog.storeSkus(storeId);
  const codes = new Map((await ctx.catalog.listCategories()).map((c) => [c.id, c.code]));
  const levels = await ctx.inventory.levels(items.map(({ product, sku_index }) => product.skus[sku_index].id));
  return formatCsv(productCsvRows(items, (id) => codes.get(id) ?? id, (skuId) => levels.get(skuId)?.on_hand ?? 0));
}
