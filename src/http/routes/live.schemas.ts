import { Type } from 'typebox';
import { toIso } from '../../lib/clock.ts';
import type { LiveNotification, Room, RoomStats } from '../../modules/live/index.ts';
import { MoneyMinor, NullableTimestamp, Timestamp } from '../schemas.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const iso = (ms: number) => new Date(ms).toISOString();

export const RoomSchema = Type.Object({
  id: Type.String(), owner_kind: Type.Union([Type.Literal('store'), Type.Literal('creator')]), store_id: Nullable(Type.String()), creator_id: Nullable(Type.String()),
  title: Type.String(), cover_url: Nullable(Type.String()), stream_url: Type.String(), replay_url: Nullable(Type.String()), scheduled_start: Timestamp,
  status: Type.Union([Type.Literal('scheduled'), Type.Literal('live'), Type.Literal('ended')]), started_at: NullableTimestamp, ended_at: NullableTimestamp,
  pinned_item_id: Nullable(Type.String()), reservations: Type.Integer(), likes: Type.Integer(), created_at: Timestamp,
});
export const presentRoom = (r: Room) => ({
  id: r.id, owner_kind: r.owner_kind, store_id: r.store_id, creator_id: r.creator_id, title: r.title, cover_url: r.cover_url, stream_url: r.stream_url, replay_url: r.replay_url,
  scheduled_start: iso(r.scheduled_start_ms), status: r.status, started_at: toIso(r.started_at), ended_at: toIso(r.ended_at), pinned_item_id: r.pinned_item_id,
  reservations: r.reservations, likes: Number(r.likes), created_at: iso(r.created_at),
});

export const RoomBody = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 60 }),
  cover_url: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  stream_url: Type.String({ minLength: 8, maxLength: 500, description: 'RTMP push/pull or HLS (.m3u8) address from any streaming service; stored, not proxied' }),
  scheduled_start: Timestamp,
}, { additionalProperties: false });
export const RoomPatch = Type.Partial(RoomBody, { additionalProperties: false });

const LivePriceItem = Type.Object({ sku_id: Type.String(), price_minor: MoneyMinor, stock_left: Type.Integer(), limit_per_buyer: Nullable(Type.Integer()) });
export const ShelfItemSchema = Type.Object({
  id: Type.String(), product_id: Type.String(), store_id: Type.String(), title: Type.String(), image: Nullable(Type.String()), price_minor: MoneyMinor, position: Type.Integer(),
  pinned: Type.Boolean(), live_prices: Type.Array(LivePriceItem),
});
export const RoomDetail = Type.Intersect([RoomSchema, Type.Object({ shelf: Type.Array(ShelfItemSchema), viewers: Type.Integer(), reserved_by_me: Type.Boolean() })]);

export const LivePriceBody = Type.Object({
  sku_id: Type.String({ pattern: '^sku_' }), price_minor: Type.Integer({ minimum: 1, maximum: 100_000_000_00 }), live_stock: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
  limit_per_buyer: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 1000 }))),
}, { additionalProperties: false });
export const LivePriceSchema = Type.Object({
  id: Type.String(), room_id: Type.String(), store_id: Type.String(), product_id: Type.String(), sku_id: Type.String(), price_minor: MoneyMinor, live_stock: Type.Integer(), sold: Type.Integer(),
  stock_left: Type.Integer(), limit_per_buyer: Nullable(Type.Integer()), status: Type.String(), live_from: NullableTimestamp, live_to: NullableTimestamp,
});
export const presentLivePrice = (p: { id: string; room_id: string; store_id: string; product_id: string; sku_id: string; price_minor: number; live_stock: number; sold: number; stock_left: number; limit_per_buyer: number | null; status: string; live_from_ms: number | null; live_to_ms: number | null }) => ({
  id: p.id, room_id: p.room_id, store_id: p.store_id, product_id: p.product_id, sku_id: p.sku_id, price_minor: p.price_minor, live_stock: p.live_stock, sold: p.sold, stock_left: p.stock_left,
  limit_per_buyer: p.limit_per_buyer, status: p.status, live_from: toIso(p.live_from_ms), live_to: toIso(p.live_to_ms),
});

export const NotificationSchema = Type.Object({
  id: Type.String(), kind: Type.String(), room_id: Type.String(), title: Type.String(), body: Type.String(), created_at: Timestamp, read_at: NullableTimestamp,
});
export const presentNotification = (n: LiveNotification) => ({ id: n.id, kind: n.kind, room_id: n.room_id, title: n.title, body: n.body, created_at: iso(n.created_at), read_at: toIso(n.read_at) });

export const LuckyBagBody = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 40 }), prize: Type.String({ minLength: 1, maxLength: 100 }), winners: Type.Integer({ minimum: 1, maximum: 1000 }),
  condition: Type.Union([Type.Literal('commented'), Type.Literal('reserved'), Type.Literal('watched')]),
  watch_minutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 600 })),
  draw_in_seconds: Type.Integer({ minimum: 0, maximum: 3600, description: 'drawn automatically this long after creation (or earlier with /draw)' }),
}, { additionalProperties: false });
export const LuckyBagSchema = Type.Object({
  id: Type.String(), room_id: Type.String(), title: Type.String(), prize: Type.String(), winners: Type.Integer(), condition: Type.String(), watch_minutes: Nullable(Type.Integer()),
  status: Type.String(), seed_commitment: Type.String({ description: 'sha256(seed hex), published before the draw' }), seed: Nullable(Type.String({ description: 'revealed after the draw' })),
  draw_at: Timestamp, drawn_at: NullableTimestamp, eligible_count: Type.Integer({ description: 'drawn: how many qualified; open (in the list): how many qualify so far' }), eligible_hash: Nullable(Type.String()), eligible_ids: Type.Array(Type.String()), winner_ids: Type.Array(Type.String()),
  winner_names: Type.Optional(Type.Array(Type.Object({ account_id: Type.String(), display_name: Type.String() }), { description: 'the winners\' display names (never phone numbers), in winner_ids order' })),
});
export const presentLuckyBag = <B extends { draw_at_ms: number; drawn_at: number | null }>({ draw_at_ms, drawn_at, ...b }: B) => ({ ...b, draw_at: iso(draw_at_ms), drawn_at: toIso(drawn_at) });

const ProductStats = Type.Object({ product_id: Type.String(), title: Type.String(), clicks: Type.Integer(), orders: Type.Integer(), units: Type.Integer(), gmv_minor: MoneyMinor });
export const StatsSchema = Type.Object({
  room_id: Type.String(), status: Type.String(), concurrent_viewers: Type.Integer(), peak_viewers: Type.Integer(), total_views: Type.Integer(), unique_viewers: Type.Integer(),
  avg_watch_ms: Type.Integer(), likes: Type.Integer(), reservations: Type.Integer(), product_clicks: Type.Integer(), orders: Type.Integer(), buyers: Type.Integer(), units: Type.Integer(),
  gmv_minor: MoneyMinor, currency: Type.Literal('CNY'), conversion_bp: Type.Integer(), products: Type.Array(ProductStats),
});
export const presentStats = (s: RoomStats) => s;

export const LiveCheckoutBody = Type.Object({
  items: Type.Array(Type.Object({ sku_id: Type.String({ pattern: '^sku_' }), quantity: Type.Integer({ minimum: 1, maximum: 999 }) }, { additionalProperties: false }), { minItems: 1, maxItems: 50 }),
  address_id: Type.String({ pattern: '^adr_' }),
  coupon_ids: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 10 })),
  expected_total_minor: Type.Optional(MoneyMinor),
}, { additionalProperties: false });
