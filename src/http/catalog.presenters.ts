import { Type } from 'typebox';
import { toIso } from '../lib/clock.ts';
import type { AppContext } from '../app/wire.ts';
import type { Media, PricePoint, ProductWithReview, Review } from '../modules/catalog/index.ts';
import type { Movement } from '../modules/inventory/index.ts';
import { presentProduct, ProductSchema } from './presenters.ts';
import { NullableTimestamp, Timestamp } from './schemas.ts';

/** Wire shapes for the catalog's merchant and console routes (ISO times, fen amounts). */
export const FindingSchema = Type.Object({
  code: Type.String({ description: 'stable rule code, e.g. absolute_claim, missing_qualification, fake_strikethrough_price' }),
  severity: Type.Union([Type.Literal('block'), Type.Literal('review'), Type.Literal('info')]),
  field: Type.String({ description: "the input it is about, e.g. 'title', 'attributes.材质', 'skus[0].list_price_minor'" }),
  message: Type.String(),
  message_zh: Type.String(),
  details: Type.Unknown({ description: 'rule-specific facts: the matched word and its offsets, the prices compared …' }),
});

export const ReviewSchema = Type.Object({
  id: Type.String(), product_id: Type.String(), store_id: Type.String(),
  trigger: Type.String({ description: 'create | edit | price | sku_added | relist' }),
  decision: Type.String({ description: 'the automatic outcome: pass | review | reject' }),
  status: Type.String({ description: 'passed | rejected_auto | pending (operator queue) | approved | rejected | superseded | withdrawn' }),
  findings: Type.Array(FindingSchema),
  snapshot: Type.Unknown({ description: 'what was reviewed: title, description, brand, attributes, SKU prices and their 30-day lows' }),
  decided_by: Type.Union([Type.String(), Type.Null()]), decided_at: NullableTimestamp, reason: Type.Union([Type.String(), Type.Null()]), created_at: Timestamp,
});
export const presentReview = (r: Review) => ({ ...r, decided_at: toIso(r.decided_at), created_at: toIso(r.created_at)! });

export const MerchantProductSchema = Type.Intersect([
  ProductSchema,
  Type.Object({
    published_at: NullableTimestamp,
    review: Type.Union([ReviewSchema, Type.Null()], { description: 'the latest compliance review with its findings' }),
    delisted: Type.Union([Type.Object({ reason: Type.String(), note: Type.Union([Type.String(), Type.Null()]), at: Timestamp }), Type.Null()]),
  }),
]);

export async function presentMerchantProducts(ctx: Pick<AppContext, 'inventory'>, products: readonly ProductWithReview[]) {
  const levels = await ctx.inventory.levels(products.flatMap((p) => p.skus.map((s) => s.id)));
  return products.map((p) => ({
    ...presentProduct(p, levels, 'staff'),
    published_at: toIso(p.published_at),
    review: p.review ? presentReview(p.review) : null,
    delisted: p.delisted ? { ...p.delisted, at: toIso(p.delisted.at)! } : null,
  }));
}
export const presentMerchantProduct = async (ctx: Pick<AppContext, 'inventory'>, p: ProductWithReview) => (await presentMerchantProducts(ctx, [p]))[0];

export const MediaSchema = Type.Object({ id: Type.String(), url: Type.String(), content_type: Type.String(), size_bytes: Type.Integer(), sha256: Type.String(), created_at: Timestamp });
export const presentMedia = (m: Media) => ({ id: m.id, url: m.url, content_type: m.content_type, size_bytes: m.size_bytes, sha256: m.sha256, created_at: toIso(m.created_at)! });

export const PricePointSchema = Type.Object({ id: Type.String(), sku_id: Type.String(), price_minor: Type.Integer(), list_price_minor: Type.Union([Type.Integer(), Type.Null()]), actor_id: Type.Union([Type.String(), Type.Null()]), created_at: Timestamp });
export const presentPricePoint = (p: PricePoint) => ({ ...p, created_at: toIso(p.created_at)! });

export const MovementSchema = Type.Object({
  id: Type.String(), sku_id: Type.String(), delta_on_hand: Type.Integer(), delta_reserved: Type.Integer(),
  reason: Type.String({ description: 'initial | adjust | import | reserve | release | sale' }),
  ref: Type.Union([Type.String(), Type.Null()], { description: 'the order (reservation ref) for reserve/release/sale' }),
  actor_id: Type.Union([Type.String(), Type.Null()], { description: 'who: a staff account, or null for the system' }),
  note: Type.Union([Type.String(), Type.Null()]), on_hand_after: Type.Union([Type.Integer(), Type.Null()]), reserved_after: Type.Union([Type.Integer(), Type.Null()]), created_at: Timestamp,
});
export const presentMovement = (m: Movement) => ({
  id: m.id, sku_id: m.sku_id, delta_on_hand: m.delta_on_hand, delta_reserved: m.delta_reserved, reason: m.reason, ref: m.ref, actor_id: m.actor_id, note: m.note,
  on_hand_after: m.on_hand_after, reserved_after: m.reserved_after, created_at: toIso(Number(m.created_at))!,
});

export const StockLevelSchema = Type.Object({ sku_id: Type.String(), on_hand: Type.Integer(), reserved: Type.Integer(), available: Type.Integer() });

export const RowErrorSchema = Type.Object({
  line: Type.Integer({ description: 'line in the uploaded file (1 = header)' }), product_ref: Type.Union([Type.String(), Type.Null()]),
  code: Type.String(), message: Type.String(), message_zh: Type.String(),
});
