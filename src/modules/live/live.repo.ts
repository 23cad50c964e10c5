import { tables, type Db, type Executor } from '../../db/index.ts';

export type RoomStatus = 'scheduled' | 'live' | 'ended';
export type LuckyCondition = 'commented' | 'reserved' | 'watched';

export interface RoomRow {
  id: string; owner_kind: 'store' | 'creator'; store_id: string | null; creator_id: string | null; title: string; cover_url: string | null; stream_url: string;
  replay_url: string | null; scheduled_start_ms: number; status: RoomStatus; started_at: number | null; ended_at: number | null; pinned_item_id: string | null;
  reservations: number; total_views: number; peak_viewers: number; likes: number; created_by: string; created_at: number; updated_at: number;
}
export interface ShelfItemRow {
  id: string; room_id: string; product_id: string; store_id: string; title: string; image: string | null; price_minor: number; position: number;
  status: 'on_shelf' | 'removed'; clicks: number; added_at: number; updated_at: number;
}
export interface NotificationRow {
  id: string; account_id: string; kind: 'room_started' | 'lucky_bag_won'; room_id: string; title: string; body: string; created_at: number; read_at: number | null;
}
export interface LuckyBagRow {
  id: string; room_id: string; title: string; prize: string; winners: number; condition: LuckyCondition; watch_minutes: number | null; status: 'open' | 'drawn';
  seed_commitment: string; seed: string; draw_at_ms: number; eligible_ids: string | null; winner_ids: string | null; created_at: number; drawn_at: number | null;
}
export interface LiveTables {
  live_rooms: RoomRow;
  live_reservations: { room_id: string; account_id: string; created_at: number; notified_at: number | null };
  live_notifications: NotificationRow;
  live_shelf_items: ShelfItemRow;
  live_viewers: { room_id: string; account_id: string; views: number; watch_ms: number; commented: number; first_seen_at: number };
  live_comments: { id: string; room_id: string; account_id: string; display_name: string; text: string; status: 'visible' | 'blocked'; created_at: number };
  live_coupons: { room_id: string; template_id: string; store_id: string; added_at: number };
  live_lucky_bags: LuckyBagRow;
  live_sales: { order_id: string; product_id: string; room_id: string; buyer_id: string; quantity: number; paid_minor: number; paid_at: number };
}

/** The only code that touches live_* tables. */
export function createLiveRepo(db: Db) {
  const q = (ex: Executor = db.kysely) => tables<LiveTables>(ex);
  const stmt = {
    viewerSeen: db.prepared(`insert into live_viewers (room_id, account_id, views, watch_ms, commented, first_seen_at) values (?, ?, 1, 0, 0, ?)
      on conflict (room_id, account_id) do update set views = live_viewers.views + 1`),
    watched: db.prepared('update live_viewers set watch_ms = watch_ms + ? where room_id = ? and account_id = ?'),
    commented: db.prepared(`insert into live_viewers (room_id, account_id, views, watch_ms, commented, first_seen_at) values (?, ?, 0, 0, 1, ?)
      on conflict (room_id, account_id) do update set commented = 1`),
    addViews: db.prepared('update live_rooms set total_views = total_views + ?, peak_viewers = case when peak_viewers < ? then ? else peak_viewers end where id = ?'),
    click: db.prepared(`update live_shelf_items set clicks = clicks + 1 where id = ? and room_id = ? and status = 'on_shelf'`),
    like: db.prepared('update live_rooms set likes = likes + ? where id = ? and status = \'live\''),
    liveRoomSelling: db.prepared<{ creator_id: string | null }>(`select r.creator_id from live_rooms r join live_shelf_items i on i.room_id = r.id
      where r.id = ? and r.status = 'live' and i.product_id = ? and i.status = 'on_shelf'`),
  };
  return {
    q,
    room: (id: string, ex?: Executor) => q(ex).selectFrom('live_rooms').selectAll().where('id', '=', id).executeTakeFirst(),
    viewerSeen: (roomId: string, accountId: string, now: number, ex: Executor = db.kysely) => stmt.viewerSeen.run(ex, [roomId, accountId, now]),
    watched: (roomId: string, accountId: string, ms: number, ex: Executor = db.kysely) => stmt.watched.run(ex, [ms, roomId, accountId]),
    commented: (tx: Executor, roomId: string, accountId: string, now: number) => stmt.commented.run(tx, [roomId, accountId, now]),
    addViews: (roomId: string, views: number, peak: number, ex: Executor = db.kysely) => stmt.addViews.run(ex, [views, peak, peak, roomId]),
    click: (roomId: string, itemId: string) => stmt.click.run(db.kysely, [itemId, roomId]),
    like: (roomId: string, n: number) => stmt.like.run(db.kysely, [n, roomId]),
    liveRoomSelling: (roomId: string, productId: string) => stmt.liveRoomSelling.first(db.kysely, [roomId, productId]),
  };
}
export type LiveRepo = ReturnType<typeof createLiveRepo>;
