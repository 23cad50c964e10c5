import { Type } from 'typebox';
import { toIso } from '../lib/clock.ts';
import type { Product, Sku } from '../modules/catalog/index.ts';
import type { StockLevel } from '../modules/inventory/index.ts';
import type { Store } from '../modules/stores/index.ts';
import type { Address } from '../modules/identity/index.ts';
import { MoneyMinor, NullableTimestamp, Timestamp } from './schemas.ts';

/** Wire shapes: ISO timestamps, money as integer fen + currency. */
export const StoreSchema = Type.Object({
  id: Type.String(), name: Type.String(), subject_type: Type.String(), status: Type.String(), company_name: Type.String(), description: Type.String(),
  logo_url: Type.Union([Type.String(), Type.Null()]), score: Type.Number(), created_at: Timestamp, opened_at: NullableTimestamp,
});
export const presentStore = (s: Store) => ({ ...s, created_at: toIso(s.created_at)!, opened_at: toIso(s.opened_at) });

export const SkuSchema = Type.Object({
  id: Type.String(), spec: Type.Record(Type.String(), Type.String()), price_minor: MoneyMinor, list_price_minor: Type.Union([MoneyMinor, Type.Null()]), currency: Type.Literal('CNY'),
  barcode: Type.Union([Type.String(), Type.Null()]), status: Type.String(),
  stock: Type.Optional(Type.Object({ on_hand: Type.Integer(), reserved: Type.Integer(), available: Type.Integer() })),
  in_stock: Type.Optional(Type.Boolean()),
});
export const ProductSchema = Type.Object({
  id: Type.String(), store_id: Type.String(), category_id: Type.String(), title: Type.String(), subtitle: Type.String(), description: Type.String(),
  brand: Type.Union([Type.String(), Type.Null()]), attributes: Type.Record(Type.String(), Type.String()), images: Type.Array(Type.String()), status: Type.String(),
  sales: Type.Integer(), created_at: Timestamp, updated_at: Timestamp, skus: Type.Array(SkuSchema),
});

/** Staff see exact stock; buyers only whether a SKU is in stock. */
export function presentProduct(p: Product, levels: Map<string, StockLevel>, audience: 'staff' | 'buyer') {
  return {
    ...p,
    created_at: toIso(p.created_at)!,
    updated_at: toIso(p.updated_at)!,
    skus: p.skus.map((s: Sku) => {
      const l = levels.get(s.id) ?? { on_hand: 0, reserved: 0, available: 0 };
      const { product_id: _omit, ...rest } = s;
      return audience === 'staff' ? { ...rest, stock: { on_hand: l.on_hand, reserved: l.reserved, available: l.available } } : { ...rest, in_stock: l.available > 0 };
    }),
  };
}

export const AddressSchema = Type.Object({
  id: Type.String(), recipient: Type.String(), phone: Type.String(), province: Type.String(), city: Type.String(), district: Type.String(), detail: Type.String(),
  postal_code: Type.Union([Type.String(), Type.Null()]), is_default: Type.Boolean(), created_at: Timestamp, updated_at: Timestamp,
});
export const presentAddress = (a: Address) => {
  const { account_id: _omit, ...rest } = a;
  return { ...rest, created_at: toIso(a.created_at)!, updated_at: toIso(a.updated_at)! };
};
