import type { AppContext } from '../app/wire.ts';
import { AppError, invalid } from '../lib/errors.ts';
import { formatCsv, parseCsv, unguardCell } from '../lib/csv.ts';
import type { RowError } from '../modules/catalog/index.ts';

export const STOCK_CSV_COLUMNS = ['sku_id', 'barcode', 'product_id', 'title', 'spec', 'on_hand', 'reserved', 'available', 'note'] as const;

export interface StockImportResult {
  rows: number;
  changed: { line: number; sku_id: string; on_hand: number }[];
  unchanged: number;
  errors: RowError[];
}

/** Every SKU of the store with its stock; `on_hand` is the column to edit and upload back. */
export async function exportStockCsv(ctx: Pick<AppContext, 'catalog' | 'inventory'>, storeId: string): Promise<string> {
  const items = await ctx.catalog.storeSkus(storeId);
  const levels = await ctx.inventory.levels(items.map(({ product, sku_index }) => product.skus[sku_index].id));
  const rows: (string | number | null)[][] = [[...STOCK_CSV_COLUMNS]];
  for (const { product, sku_index } of items) {
    const s = product.skus[sku_index];
    const l = levels.get(s.id) ?? { on_hand: 0, reserved: 0, available: 0 };
    rows.push([s.id, s.barcode, product.id, product.title, Object.entries(s.spec).map(([k, v]) => `${k}=${v}`).join(';'), l.on_hand, l.reserved, l.available, null]);
  }
  return formatCsv(rows);
}

/**
 * Sets on-hand counts from a stock-take file: rows name a SKU by `sku_id` or `barcode` and give
 * the new `on_hand`. Row by row, each its own conditional update: a bad row (unknown SKU,
 * a count below what unpaid orders hold) is reported and the others still apply. That is safe
 * here because each row *sets* a count rather than adding to it: uploading the corrected file
 * again gives the same result, so partial success never needs undoing.
 */
export async function importStockCsv(ctx: Pick<AppContext, 'catalog' | 'inventory'>, storeId: string, text: string, actorId: string): Promise<StockImportResult> {
  const parsed = parseCsv(text);
  if (!parsed.ok) throw invalid('invalid_csv', `line ${parsed.line}: ${parsed.message}`, { line: parsed.line }).zh(`第 ${parsed.line} 行：CSV 格式错误`);
  const [header, ...data] = parsed.records;
  const names = (header?.cells ?? []).map((c) => c.trim().toLowerCase());
  const col = (cells: string[], name: string) => unguardCell(cells[names.indexOf(name)] ?? '').trim();
  if (!names.includes('on_hand') || (!names.includes('sku_id') && !names.includes('barcode'))) {
    throw invalid('missing_columns', 'the file needs an on_hand column and a sku_id or barcode column').zh('文件须包含 on_hand 列，以及 sku_id 或 barcode 列');
  }
  if (data.length > 5000) throw invalid('too_many_rows', 'at most 5000 rows per file').zh('每个文件最多5000行');
  const wanted = data.filter((r) => !col(r.cells, 'sku_id') && col(r.cells, 'barcode')).map((r) => col(r.cells, 'barcode'));
  const byBarcode = await ctx.catalog.skuIdsByBarcode(storeId, [...new Set(wanted)]);
  const result: StockImportResult = { rows: data.length, changed: [], unchanged: 0, errors: [] };
  const error = (line: number, code: string, message: string, message_zh: string) => result.errors.push({ line, product_ref: null, code, message, message_zh });
  for (const rec of data) {
    const onHandText = col(rec.cells, 'on_hand');
    let skuId = col(rec.cells, 'sku_id');
    const barcode = col(rec.cells, 'barcode');
    if (!/^\d{1,8}$/.test(onHandText) || Number(onHandText) > 10_000_000) { error(rec.line, 'invalid_stock', `on_hand must be a whole number 0–10,000,000 (got "${onHandText}")`, '库存须为0至10000000的整数'); continue; }
    if (!skuId && barcode) {
      const ids = byBarcode.get(barcode) ?? [];
      if (ids.length !== 1) { error(rec.line, ids.length ? 'ambiguous_barcode' : 'sku_not_found', ids.length ? `barcode ${barcode} is on ${ids.length} SKUs; use sku_id` : `no SKU with barcode ${barcode}`, ids.length ? '多个规格使用该条码，请填写 sku_id' : '找不到该条码对应的规格'); continue; }
      skuId = ids[0];
    }
    if (!skuId) { error(rec.line, 'missing_sku', 'give sku_id or barcode', '请填写 sku_id 或条码'); continue; }
    try {
      const r = await ctx.inventory.setOnHand(storeId, skuId, Number(onHandText), actorId, col(rec.cells, 'note') || null, 'import');
      if (r.changed) result.changed.push({ line: rec.line, sku_id: skuId, on_hand: r.on_hand });
      else result.unchanged++;
    } catch (err) {
      if (!(err instanceof AppError) || err.kind === 'internal') throw err;
      error(rec.line, err.code, err.message, err.message_zh ?? err.message);
    }
  }
  return result;
}
