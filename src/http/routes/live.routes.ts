import { Type } from 'typebox';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/wire.ts';
import { attachLiveCoupon, claimLiveCoupon, placeLiveCheckout, previewLiveCheckout, setLivePrice, stopLivePrice } from '../../flows/live-room.ts';
import { AppError, forbidden, notFound } from '../../lib/errors.ts';
import { presentItem, type Room, type RoomStatus } from '../../modules/live/index.ts';
import type { Principal } from '../../modules/identity/index.ts';
import { roleAllows } from '../auth.ts';
import { errors, IdParam, MoneyMinor, Page, PageQuery, Timestamp } from '../schemas.ts';
import type { App, Permission } from '../types.ts';
import { presentWallet, WalletCouponSchema } from './promotions.schemas.ts';
import {
  LiveCheckoutBody, LivePriceBody, LivePriceSchema, LuckyBagBody, LuckyBagSchema, NotificationSchema, presentLivePrice, presentLuckyBag, presentNotification, presentRoom, RoomBody,
  RoomDetail, RoomPatch, RoomSchema, ShelfItemSchema, StatsSchema,
} from './live.schemas.ts';

const tags = ['live'];
const RoomParams = IdParam('roomId', 'lrm');
const ItemParams = Type.Intersect([RoomParams, IdParam('itemId', 'lsi')]);
const StoreParams = IdParam('storeId', 'sto');
const ms = (iso: string) => Date.parse(iso);
const Ok = Type.Object({ ok: Type.Literal(true) });
const StatusQuery = Type.Intersect([PageQuery, Type.Object({ status: Type.Optional(Type.Union([Type.Literal('scheduled'), Type.Literal('live'), Type.Literal('ended')])) })]);
const page = <T, U>(p: { items: T[]; next_cursor: string | null }, f: (x: T) => U) => ({ items: p.items.map(f), next_cursor: p.next_cursor });
const CheckoutResult = Type.Object({ checkout_id: Type.String(), order_ids: Type.Array(Type.String()), total_minor: MoneyMinor, currency: Type.Literal('CNY'), pay_by: Timestamp, pricing: Type.Unknown() });

/** Staff of the store with the permission; a member without it gets 403, anyone else 404. */
function assertStaff(p: Principal, storeId: string, permission: Permission, what: string, id: string): void {
  const role = p.staff.get(storeId);
  if (!role) throw notFound(what, id);
  if (!roleAllows(role, permission)) throw forbidden('permission_denied', `your role (${role}) may not do this (${permission})`);
}

/**
 * Livestream rooms under /api/v1:
 * - scheduling: `POST /merchant/stores/:storeId/live/rooms` (store staff with catalog.write) and
 *   `POST /creator/live/rooms` (creators); the room's host (that store's staff with price.write,
 *   or the creator) starts, ends, shelves, pins, runs coupons and lucky bags under /live/rooms/:id;
 * - live prices are set by staff (price.write) of the product's store, also in a creator's room;
 * - viewers: room list and detail (public), reservation, comments, likes, clicks, live coupons,
 *   checkout from the room, their notification inbox, and `GET /live/rooms/:id/events` (SSE).
 */
export const liveRoutes = (ctx: AppContext) => async (app: App) => {
  const live = ctx.live;
  const me = (req: FastifyRequest) => req.principal!.account_id;
  /** Lucky bags as the API shows them, with the winners' display names. */
  async function withWinnerNames<B extends { draw_at_ms: number; drawn_at: number | null; winner_ids: string[] }>(bags: B[]) {
    const people = await ctx.identity.profiles([...new Set(bags.flatMap((b) => b.winner_ids))]);
    return bags.map((b) => ({ ...presentLuckyBag(b), winner_names: b.winner_ids.map((id) => ({ account_id: id, display_name: people.get(id)?.display_name ?? '用户' })) }));
  }

  async function hosted(req: FastifyRequest, roomId: string): Promise<Room> {
    const room = await live.getRoom(roomId);
    const p = req.principal!;
    if (room.owner_kind === 'store') assertStaff(p, room.store_id!, 'price.write', 'live_room', roomId);
    else if (room.creator_id !== p.account_id) throw notFound('live_room', roomId);
    return room;
  }

  async function detail(room: Room, accountId: string | null) {
    const shelf = await live.shelf(room);
    return { ...presentRoom(room), shelf: shelf.map(presentItem), viewers: live.hub.viewers(room.id), reserved_by_me: accountId ? await live.isReserved(room.id, accountId) : false };
  }

  app.addHook('preClose', (done) => {
    live.stop(); // SSE streams never end by themselves: close them so the server can
    done();
  });

  // ── scheduling ──
  app.post('/merchant/stores/:storeId/live/rooms', {
    config: { permission: 'catalog.write' },
    schema: { tags, summary: 'Schedule a store live room (title, cover, start time, stream URL)', params: StoreParams, body: RoomBody, response: { 201: RoomSchema, ...errors(400, 401, 403, 404, 422) } },
  }, async (req, reply) => reply.status(201).send(presentRoom(await live.createRoom({ kind: 'store', store_id: req.params.storeId }, { ...req.body, scheduled_start_ms: ms(req.body.scheduled_start) }, me(req)))));
  app.get('/merchant/stores/:storeId/live/rooms', {
    config: { permission: 'store.read' }, schema: { tags, params: StoreParams, querystring: StatusQuery, response: { 200: Page(RoomSchema), ...errors(400, 401, 404) } },
  }, async (req) => page(await live.listRooms({ ...(req.query as { status?: RoomStatus; limit?: number; cursor?: string }), store_id: req.params.storeId }), presentRoom));
  app.post('/creator/live/rooms', {
    config: { auth: 'creator' }, schema: { tags, summary: "Schedule a creator's live room", body: RoomBody, response: { 201: RoomSchema, ...errors(400, 401, 403, 422) } },
  }, async (req, reply) => reply.status(201).send(presentRoom(await live.createRoom({ kind: 'creator', creator_id: me(req) }, { ...req.body, scheduled_start_ms: ms(req.body.scheduled_start) }, me(req)))));
  app.get('/creator/live/rooms', {
    config: { auth: 'creator' }, schema: { tags, querystring: StatusQuery, response: { 200: Page(RoomSchema), ...errors(400, 401, 403) } },
  }, async (req) => page(await live.listRooms({ ...(req.query as { status?: RoomStatus; limit?: number; cursor?: string }), creator_id: me(req) }), presentRoom));
  app.patch('/live/rooms/:roomId', {
    schema: { tags, summary: 'Edit a room before it ends', params: RoomParams, body: RoomPatch, response: { 200: RoomSchema, ...errors(400, 401, 403, 404, 409, 422) } },
  }, async (req) => {
    await hosted(req, req.params.roomId);
    const { scheduled_start, ...rest } = req.body;
    return presentRoom(await live.updateRoom(req.params.roomId, { ...rest, ...(scheduled_start ? { scheduled_start_ms: ms(scheduled_start) } : {}) }));
  });
  app.post('/live/rooms/:roomId/start', {
    schema: { tags, summary: '开播: reservers are notified; live prices become valid', params: RoomParams, response: { 200: RoomSchema, ...errors(400, 401, 403, 404, 409) } },
  }, async (req) => presentRoom(await live.startRoom((await hosted(req, req.params.roomId)).id)));
  app.post('/live/rooms/:roomId/end', {
    schema: { tags, summary: '下播: live prices stop at once; optionally the replay URL', params: RoomParams, body: Type.Object({ replay_url: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }), response: { 200: RoomSchema, ...errors(400, 401, 403, 404, 409) } },
  }, async (req) => presentRoom(await live.endRoom((await hosted(req, req.params.roomId)).id, req.body.replay_url ?? null)));
  app.put('/live/rooms/:roomId/replay', {
    schema: { tags, summary: 'Set the replay (回放) URL after the live', params: RoomParams, body: Type.Object({ replay_url: Type.String({ maxLength: 500 }) }, { additionalProperties: false }), response: { 200: RoomSchema, ...errors(400, 401, 403, 404, 409) } },
  }, async (req) => presentRoom(await live.setReplay((await hosted(req, req.params.roomId)).id, req.body.replay_url)));

  // ── shelf (小黄车) ──
  app.post('/live/rooms/:roomId/shelf', {
    schema: { tags, summary: 'Put a product on the shelf', params: RoomParams, body: Type.Object({ product_id: Type.String({ pattern: '^prd_' }) }, { additionalProperties: false }), response: { 201: ShelfItemSchema, ...errors(400, 401, 403, 404, 409, 422) } },
  }, async (req, reply) => reply.status(201).send(presentItem(await live.addToShelf(await hosted(req, req.params.roomId), req.body.product_id))));
  app.delete('/live/rooms/:roomId/shelf/:itemId', {
    schema: { tags, summary: 'Take a product off the shelf (unpinned, its live prices stop)', params: ItemParams, response: { 200: Ok, ...errors(400, 401, 403, 404) } },
  }, async (req) => {
    await live.removeFromShelf(await hosted(req, req.params.roomId), req.params.itemId);
    return { ok: true as const };
  });
  app.put('/live/rooms/:roomId/pinned', {
    schema: { tags, summary: '讲解中: pin one shelf product (null unpins); only while live', params: RoomParams, body: Type.Object({ item_id: Type.Union([Type.String({ pattern: '^lsi_' }), Type.Null()]) }, { additionalProperties: false }), response: { 200: Type.Object({ item: Type.Union([ShelfItemSchema, Type.Null()]) }), ...errors(400, 401, 403, 404, 409) } },
  }, async (req) => {
    const item = await live.pin(await hosted(req, req.params.roomId), req.body.item_id);
    return { item: item && presentItem(item) };
  });
  app.put('/live/rooms/:roomId/shelf/:itemId/live-price', {
    schema: { tags, summary: '直播专享价 for one SKU with its own stock: valid only while live and only for orders from the room (staff of the product’s store with price.write)', params: ItemParams, body: LivePriceBody, response: { 200: LivePriceSchema, ...errors(400, 401, 403, 404, 409, 422) } },
  }, async (req) => {
    const room = await live.getRoom(req.params.roomId);
    const item = await live.shelfItem(room.id, req.params.itemId);
    assertStaff(req.principal!, item.store_id, 'price.write', 'shelf_item', item.id);
    return presentLivePrice(await setLivePrice(ctx, room, item.id, req.body, me(req)));
  });
  app.delete('/live/rooms/:roomId/shelf/:itemId/live-price/:skuId', {
    schema: { tags, summary: 'Stop a live price', params: Type.Intersect([ItemParams, IdParam('skuId', 'sku')]), response: { 200: Ok, ...errors(400, 401, 403, 404) } },
  }, async (req) => {
    const room = await live.getRoom(req.params.roomId);
    const item = await live.shelfItem(room.id, req.params.itemId);
    assertStaff(req.principal!, item.store_id, 'price.write', 'shelf_item', item.id);
    await stopLivePrice(ctx, room, item.id, req.params.skuId);
    return { ok: true as const };
  });

  // ── viewers ──
  app.get('/live/rooms', {
    config: { auth: 'public' }, schema: { tags, summary: 'Rooms, newest first (e.g. ?status=live)', querystring: StatusQuery, response: { 200: Page(RoomSchema), ...errors(400) } },
  }, async (req) => page(await live.listRooms(req.query as { status?: RoomStatus }), presentRoom));
  app.get('/live/rooms/:roomId', {
    config: { auth: 'public' }, schema: { tags, summary: 'A room with its shelf, live prices and viewer count', params: RoomParams, response: { 200: RoomDetail, ...errors(400, 404) } },
  }, async (req) => detail(await live.getRoom(req.params.roomId), req.principal?.account_id ?? null));
  app.put('/live/rooms/:roomId/reservation', {
    schema: { tags, summary: '预约 (idempotent): notified in the inbox when the room starts', params: RoomParams, response: { 200: Type.Object({ reserved: Type.Literal(true), reservations: Type.Integer() }), ...errors(400, 401, 404, 422) } },
  }, async (req) => live.reserve(req.params.roomId, me(req)));
  app.delete('/live/rooms/:roomId/reservation', {
    schema: { tags, params: RoomParams, response: { 200: Ok, ...errors(400, 401) } },
  }, async (req) => {
    await live.cancelReservation(req.params.roomId, me(req));
    return { ok: true as const };
  });
  app.get('/live/notifications', {
    schema: { tags, summary: 'My live notifications (room started, lucky bag won), newest first', querystring: Type.Intersect([PageQuery, Type.Object({ unread: Type.Optional(Type.Boolean()) })]), response: { 200: Page(NotificationSchema), ...errors(400, 401) } },
  }, async (req) => page(await live.notifications(me(req), req.query as { unread?: boolean }), presentNotification));
  app.post('/live/notifications/:id/read', {
    schema: { tags, params: IdParam('id', 'ntf'), response: { 200: Ok, ...errors(400, 401, 404) } },
  }, async (req) => {
    await live.markRead(me(req), req.params.id);
    return { ok: true as const };
  });
  app.post('/live/rooms/:roomId/comments', {
    schema: { tags, summary: 'Comment (moderated: a banned word blocks it from everyone else)', params: RoomParams, body: Type.Object({ text: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }), response: { 201: Type.Object({ id: Type.String(), status: Type.Union([Type.Literal('visible'), Type.Literal('blocked')]) }), ...errors(400, 401, 404, 409) } },
  }, async (req, reply) => {
    const name = (await ctx.identity.profiles([me(req)])).get(me(req))?.display_name ?? '用户';
    return reply.status(201).send(await live.comment(await live.getRoom(req.params.roomId), { id: me(req), display_name: name }, req.body.text));
  });
  app.post('/live/rooms/:roomId/likes', {
    schema: { tags, summary: 'Likes (点赞), batched by the client', params: RoomParams, body: Type.Object({ count: Type.Integer({ minimum: 1, maximum: 100 }) }, { additionalProperties: false }), response: { 200: Type.Object({ likes: Type.Integer() }), ...errors(400, 401, 404, 409) } },
  }, async (req) => ({ likes: await live.like(await live.getRoom(req.params.roomId), req.body.count) }));
  app.post('/live/rooms/:roomId/shelf/:itemId/clicks', {
    config: { auth: 'public' }, schema: { tags, summary: 'A viewer opened a shelf product', params: ItemParams, response: { 200: Ok, ...errors(400, 404) } },
  }, async (req) => {
    await live.click(req.params.roomId, req.params.itemId);
    return { ok: true as const };
  });
  app.post('/live/rooms/:roomId/checkout-preview', {
    schema: { tags, summary: 'Price items bought from the room (live prices apply while live)', params: RoomParams, body: Type.Omit(LiveCheckoutBody, ['address_id']), response: { 200: Type.Unknown(), ...errors(400, 401, 404, 422) } },
  }, async (req) => previewLiveCheckout(ctx, me(req), req.params.roomId, req.body));
  app.post('/live/rooms/:roomId/checkouts', {
    schema: { tags, summary: 'Buy from the room: lines carry channel live, the room and its creator', params: RoomParams, body: LiveCheckoutBody, response: { 201: CheckoutResult, ...errors(400, 401, 404, 409, 422) } },
  }, async (req, reply) => {
    const c = await placeLiveCheckout(ctx, me(req), req.params.roomId, req.body);
    return reply.status(201).send({ ...c, pay_by: new Date(c.pay_by).toISOString() });
  });

  // ── coupons and lucky bags ──
  app.post('/live/rooms/:roomId/coupons', {
    schema: {
      tags, summary: "Make a store coupon the room's (claimed only in the room while live); staff of that store with price.write", params: RoomParams,
      body: Type.Object({ template_id: Type.String({ pattern: '^cpt_' }), store_id: Type.Optional(Type.String({ pattern: '^sto_' })) }, { additionalProperties: false }), response: { 200: Ok, ...errors(400, 401, 403, 404, 409) },
    },
  }, async (req) => {
    const room = await live.getRoom(req.params.roomId);
    const storeId = room.store_id ?? req.body.store_id;
    if (!storeId) throw new AppError('validation', 'store_id_required', "give the coupon's store_id in a creator's room");
    assertStaff(req.principal!, storeId, 'price.write', 'live_room', room.id);
    await attachLiveCoupon(ctx, room, storeId, req.body.template_id);
    return { ok: true as const };
  });
  app.get('/live/rooms/:roomId/coupons', {
    config: { auth: 'public' }, schema: { tags, params: RoomParams, response: { 200: Type.Object({ items: Type.Array(Type.Object({ template_id: Type.String(), store_id: Type.String() })) }), ...errors(400, 404) } },
  }, async (req) => ({ items: (await live.roomCoupons(req.params.roomId)).map((c) => ({ template_id: c.template_id, store_id: c.store_id })) }));
  app.post('/live/rooms/:roomId/coupons/:templateId/claim', {
    schema: { tags, summary: 'Claim a live coupon (only while live)', params: Type.Intersect([RoomParams, IdParam('templateId', 'cpt')]), response: { 201: WalletCouponSchema, ...errors(400, 401, 404, 409, 422) } },
  }, async (req, reply) => reply.status(201).send(presentWallet(await claimLiveCoupon(ctx, await live.getRoom(req.params.roomId), me(req), req.params.templateId))));
  app.post('/live/rooms/:roomId/lucky-bags', {
    schema: { tags, summary: '福袋: the seed commitment is published now, the seed after the draw', params: RoomParams, body: LuckyBagBody, response: { 201: LuckyBagSchema, ...errors(400, 401, 403, 404, 409, 422) } },
  }, async (req, reply) => {
    const room = await hosted(req, req.params.roomId);
    const { draw_in_seconds, ...rest } = req.body;
    return reply.status(201).send((await withWinnerNames([await live.createLuckyBag(room, { ...rest, draw_at_ms: ctx.clock.now() + draw_in_seconds * 1000 })]))[0]);
  });
  app.post('/live/rooms/:roomId/lucky-bags/:bagId/draw', {
    schema: { tags, summary: 'Draw now', params: Type.Intersect([RoomParams, IdParam('bagId', 'lbg')]), response: { 200: LuckyBagSchema, ...errors(400, 401, 403, 404) } },
  }, async (req) => (await withWinnerNames([await live.drawLuckyBag((await hosted(req, req.params.roomId)).id, req.params.bagId)]))[0]);
  app.get('/live/rooms/:roomId/lucky-bags', {
    config: { auth: 'public' }, schema: { tags, summary: 'Bags with commitments; drawn ones with seed, eligible ids and winners (verify with drawWinners)', params: RoomParams, response: { 200: Type.Object({ items: Type.Array(LuckyBagSchema) }), ...errors(400, 404) } },
  }, async (req) => ({ items: await withWinnerNames(await live.luckyBags(req.params.roomId)) }));

  // ── statistics ──
  app.get('/live/rooms/:roomId/stats', {
    schema: { tags, summary: 'Live statistics (while live and after): viewers, peak, 场观, watch time, clicks, orders, GMV, conversion, per product', params: RoomParams, response: { 200: StatsSchema, ...errors(400, 401, 403, 404) } },
  }, async (req) => {
    const room = await live.getRoom(req.params.roomId);
    const p = req.principal!;
    if (room.owner_kind === 'store') assertStaff(p, room.store_id!, 'store.read', 'live_room', room.id);
    else if (room.creator_id !== p.account_id) throw notFound('live_room', room.id);
    return live.roomStats(room);
  });

  // ── real-time events (SSE) ──
  app.get('/live/rooms/:roomId/events', {
    config: { auth: 'public' },
    schema: {
      tags, summary: 'Room events over Server-Sent Events (text/event-stream); resume with Last-Event-ID',
      description: 'Events: snapshot, status, viewers, likes, pin, price, shelf, comment, purchase, coupon, lucky_bag, lucky_bag_drawn; each with `id:` and a server `ts` (epoch ms). ' +
        'EventSource cannot send headers: pass `?access_token=` to be counted as a signed-in viewer (watch time, lucky bags). A Last-Event-ID older than the ring gets a fresh snapshot.',
      params: RoomParams, querystring: Type.Object({ access_token: Type.Optional(Type.String({ maxLength: 200 })), last_event_id: Type.Optional(Type.String({ maxLength: 40 })) }),
      response: { 200: Type.String({ description: 'text/event-stream' }), ...errors(400, 404) },
    },
  }, async (req, reply) => {
    const room = await live.getRoom(req.params.roomId);
    const principal = req.principal ?? (req.query.access_token ? await ctx.identity.authenticate(req.query.access_token) : null);
    const accountId = principal?.account_id ?? null;
    // The host's console follows the room too, but is not one of its viewers.
    const host = principal !== null && (room.owner_kind === 'store' ? principal.staff.has(room.store_id!) : room.creator_id === principal.account_id);
    if (accountId && !host) await live.viewerJoined(room.id, accountId);
    const header = req.headers['last-event-id'];
    const lastEventId = (Array.isArray(header) ? header[0] : header) ?? req.query.last_event_id;
    let snapshot: Record<string, unknown> | undefined;
    let asOf: number | undefined;
    if (!live.hub.canResume(room.id, lastEventId)) {
      asOf = live.hub.position(room.id);
      const fresh = await live.getRoom(room.id);
      const d = await detail(fresh, accountId);
      snapshot = { room: d, pinned: d.shelf.find((i) => i.pinned) ?? null };
    }
    reply.hijack();
    req.raw.socket.setNoDelay(true);
    req.raw.socket.setTimeout(0);
    live.hub.connect(room.id, reply.raw, { lastEventId, accountId, snapshot, asOf, host });
  });
};
