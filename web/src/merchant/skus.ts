import { parseYuan } from '../lib/format.ts';

/** The product editor's SKU matrix, pure: spec dimensions → combinations → SKUs for the API. */
/** A spec dimension as typed: a name (颜色) and its values (黑色, 白色). */
export interface Dim { name: string; values: string }
export interface RowVals { price: string; list: string; stock: string }

export const splitValues = (s: string) => [...new Set(s.split(/[,，、;；\n]+/).map((x) => x.trim()).filter(Boolean))];

/** Every combination of the dimensions' values: the SKUs. No dimension → one SKU without a spec. */
export function combos(dims: Dim[]): Record<string, string>[] {
  let out: Record<string, string>[] = [{}];
  for (const d of dims) {
    const name = d.name.trim();
    const values = splitValues(d.values);
    if (!name || values.length === 0) continue;
    out = out.flatMap((spec) => values.map((v) => ({ ...spec, [name]: v })));
  }
  return out;
}
export const keyOf = (spec: Record<string, string>) => JSON.stringify(Object.entries(spec));

/** Checks the matrix; returns the SKUs for the API, or the error of each bad row. */
export function skusOf(specs: Record<string, string>[], rows: Record<string, RowVals>) {
  const errors: Record<string, string> = {};
  const skus = specs.map((spec) => {
    const r = rows[keyOf(spec)] ?? { price: '', list: '', stock: '' };
    const price = parseYuan(r.price);
    const list = r.list.trim() ? parseYuan(r.list) : null;
    const stock = Number(r.stock);
    if (price === null || price <= 0) errors[keyOf(spec)] = 'm.p.badPrice';
    else if (r.list.trim() && (list === null || list < price)) errors[keyOf(spec)] = 'm.p.badListPrice';
    else if (!/^\d+$/.test(r.stock.trim()) || stock > 10_000_000) errors[keyOf(spec)] = 'm.p.badStock';
    return { spec, price_minor: price ?? 0, ...(list !== null ? { list_price_minor: list } : {}), stock };
  });
  return { skus, errors };
}
