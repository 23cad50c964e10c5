/**
 * The product CSV, pure: one row per SKU; rows sharing a `product_ref` form one product.
 * Prices are yuan with up to two decimals ("99.90"), as merchants write them; stock is a
 * count. `attributes` and `spec` are `name=value` pairs joined by `;` (材质=纯棉;产地=杭州).
 * A product is created only if every one of its rows is valid; other products are not
 * affected by a bad row (see flows/catalog-csv.ts for why).
 */
import { unguardCell, type CsvRecord } from '../../lib/csv.ts';
import { parseYuan } from '../../lib/money.ts';
import type { Product, ProductInput } from './catalog.types.ts';

export const PRODUCT_CSV_COLUMNS = ['product_ref', 'product_id', 'category', 'title', 'subtitle', 'brand', 'attributes', 'spec', 'price', 'list_price', 'barcode', 'stock', 'status'] as const;
const REQUIRED = ['product_ref', 'category', 'title', 'price'] as const;
const PRODUCT_LEVEL = ['category', 'title', 'subtitle', 'brand', 'attributes'] as const;
export const MAX_CSV_ROWS = 5000;

export interface RowError {
  line: number;
  product_ref: string | null;
  code: string;
  message: string;
  message_zh: string;
}

export interface ProductGroup {
  ref: string;
  lines: number[];
  /** A category id (cat_…) or code, as written. */
  category: string;
  input: Omit<ProductInput, 'category_id'>;
  stock: number[];
}

type Row = Record<(typeof PRODUCT_CSV_COLUMNS)[number], string>;

class RowProblem extends Error {
  constructor(readonly code: string, message: string, readonly message_zh: string) {
    super(message);
  }
}

/** `a=1;b=2` → { a: '1', b: '2' }; blank → {}. */
export function parsePairs(text: string, what: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (text.trim() === '') return out;
  for (const part of text.split(';')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    const key = eq < 0 ? '' : part.slice(0, eq).trim();
    const value = eq < 0 ? '' : part.slice(eq + 1).trim();
    if (!key || !value) throw new RowProblem(`invalid_${what}`, `${what} must be name=value pairs separated by ";" (got "${part}")`, `${what === 'spec' ? '规格' : '属性'}须写成「名称=值」，多个用英文分号分隔`);
    if (key in out) throw new RowProblem(`invalid_${what}`, `${what} "${key}" appears twice`, `「${key}」重复`);
    out[key] = value;
  }
  return out;
}

export const formatPairs = (pairs: Record<string, string>) => Object.entries(pairs).map(([k, v]) => `${k}=${v}`).join(';');
export const formatYuan = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;

function price(text: string, column: string, required: boolean): number | null {
  if (text.trim() === '' && !required) return null;
  const fen = parseYuan(text);
  if (fen === null || fen <= 0 || fen > 100_000_000_00) throw new RowProblem('invalid_price', `${column} must be a positive amount in yuan such as 99.90 (got "${text}")`, `${column === 'price' ? '售价' : '划线价'}须为正数金额（元），如 99.90`);
  return fen;
}

function parseRow(r: Row): { spec: Record<string, string>; price_minor: number; list_price_minor: number | null; barcode: string | null; stock: number; attributes: Record<string, string> } {
  if (r.product_id.trim() !== '') throw new RowProblem('product_exists', 'rows with a product_id are existing products; the import only creates new ones (change stock with the stock CSV)', '该行为已有商品（含 product_id），导入只新建商品；改库存请用库存表');
  if (r.barcode.trim() !== '' && !/^\d{8,14}$/.test(r.barcode.trim())) throw new RowProblem('invalid_barcode', 'barcode must be 8–14 digits', '条码须为8至14位数字');
  const stockText = r.stock.trim();
  if (stockText !== '' && !/^\d{1,8}$/.test(stockText)) throw new RowProblem('invalid_stock', `stock must be a whole number (got "${r.stock}")`, '库存须为非负整数');
  const stock = stockText === '' ? 0 : Number(stockText);
  if (stock > 10_000_000) throw new RowProblem('invalid_stock', 'stock is at most 10,000,000', '库存最多10000000');
  return {
    spec: parsePairs(r.spec, 'spec'), attributes: parsePairs(r.attributes, 'attributes'), price_minor: price(r.price, 'price', true)!, list_price_minor: price(r.list_price, 'list_price', false),
    barcode: r.barcode.trim() || null, stock,
  };
}

/** Groups data rows into products; `errors` lists every bad row and every row held back with it. */
export function readProductCsv(records: readonly CsvRecord[]): { groups: ProductGroup[]; errors: RowError[] } {
  const errors: RowError[] = [];
  const err = (line: number, ref: string | null, code: string, message: string, message_zh: string) => errors.push({ line, product_ref: ref, code, message, message_zh });
  const [header, ...data] = records;
  if (!header) return { groups: [], errors: [{ line: 1, product_ref: null, code: 'empty_file', message: 'the file is empty', message_zh: '文件为空' }] };
  const names = header.cells.map((c) => c.trim().toLowerCase());
  const missing = REQUIRED.filter((c) => !names.includes(c));
  if (missing.length) return { groups: [], errors: [{ line: header.line, product_ref: null, code: 'missing_columns', message: `missing columns: ${missing.join(', ')}`, message_zh: `缺少列：${missing.join('、')}` }] };
  if (data.length > MAX_CSV_ROWS) return { groups: [], errors: [{ line: header.line, product_ref: null, code: 'too_many_rows', message: `at most ${MAX_CSV_ROWS} rows per file`, message_zh: `每个文件最多 ${MAX_CSV_ROWS} 行` }] };

  const groups = new Map<string, ProductGroup & { first: Row; failed: boolean }>();
  for (const rec of data) {
    const row = Object.fromEntries(PRODUCT_CSV_COLUMNS.map((c) => [c, unguardCell(rec.cells[names.indexOf(c)] ?? '').trim()])) as Row;
    const ref = row.product_ref;
    if (!ref) { err(rec.line, null, 'missing_product_ref', 'product_ref is empty', 'product_ref 不能为空'); continue; }
    let g = groups.get(ref);
    try {
      if (!g && (!row.category || row.title.length < 2 || row.title.length > 60)) throw new RowProblem('missing_product_fields', 'the first row of a product needs category and a 2–60 character title', '商品的第一行须填写类目和2至60字的标题');
      if (g) for (const c of PRODUCT_LEVEL) if (row[c] !== '' && row[c] !== g.first[c]) throw new RowProblem('conflicting_product_fields', `${c} differs from the product's first row (line ${g.lines[0]})`, `「${c}」与该商品第一行（第 ${g.lines[0]} 行）不一致`);
      const parsed = parseRow(row);
      if (!g) {
        g = { ref, lines: [], category: row.category, first: row, failed: false, stock: [],
          input: { title: row.title, subtitle: row.subtitle || undefined, brand: row.brand || null, attributes: parsed.attributes, skus: [] } };
        groups.set(ref, g);
      }
      g.lines.push(rec.line);
      g.input.skus.push({ spec: parsed.spec, price_minor: parsed.price_minor, list_price_minor: parsed.list_price_minor, barcode: parsed.barcode });
      g.stock.push(parsed.stock);
    } catch (e) {
      if (!(e instanceof RowProblem)) throw e;
      err(rec.line, ref, e.code, e.message, e.message_zh);
      if (g) g.failed = true;
      else groups.set(ref, { ref, lines: [], category: '', first: row, failed: true, stock: [], input: { title: '', skus: [] } });
    }
  }
  const ok: ProductGroup[] = [];
  for (const g of groups.values()) {
    if (!g.failed) { ok.push({ ref: g.ref, lines: g.lines, category: g.category, input: g.input, stock: g.stock }); continue; }
    for (const line of g.lines) err(line, g.ref, 'product_not_created', 'not created: another row of this product has errors', '未创建：该商品的其他行有错误');
  }
  errors.sort((a, b) => a.line - b.line);
  return { groups: ok, errors };
}

/** Export rows (header first) in the same format; `product_ref` is the product id. */
export function productCsvRows(items: readonly { product: Product; sku_index: number }[], categoryCode: (id: string) => string, onHand: (skuId: string) => number): (string | number | null)[][] {
  const rows: (string | number | null)[][] = [[...PRODUCT_CSV_COLUMNS]];
  for (const { product: p, sku_index } of items) {
    const s = p.skus[sku_index];
    rows.push([p.id, p.id, categoryCode(p.category_id), p.title, p.subtitle, p.brand, formatPairs(p.attributes), formatPairs(s.spec), formatYuan(s.price_minor),
      s.list_price_minor === null ? null : formatYuan(s.list_price_minor), s.barcode, onHand(s.id), s.status === 'active' ? p.status : `${p.status}/sku_disabled`]);
  }
  return rows;
}
