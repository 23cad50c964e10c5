import type { Clock } from '../../lib/clock.ts';
import { MINUTE_MS } from '../../lib/clock.ts';
import { conflict, invalid, notFound, rule } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { clampLimit, decodeCursor, toPage, type Page } from '../../lib/page.ts';
import type { Db, Executor } from '../../db/index.ts';
import type { Outbox } from '../../db/outbox.ts';
import type { Hub } from './hub.ts';
import type { LiveRepo, NotificationRow, RoomRow, RoomStatus } from './live.repo.ts';

/** What promotions does when a room starts and ends (its live prices' validity), in the room's transaction. */
export interface LivePriceHooks {
  open(tx: Executor, roomId: string, at: number): Promise<void>;
  close(tx: Executor, roomId: string, at: number): Promise<void>;
  stopProduct(tx: Executor, roomId: string, productId: string): Promise<unknown>;
}

export type RoomOwner = { kind: 'store'; store_id: string } | { kind: 'creator'; creator_id: string };
export interface RoomInput {
  title: string;
  cover_url?: string | null;
  stream_url: string;
  scheduled_start_ms: number;
}
export type Room = RoomRow;

const STREAM_URL = /^(rtmps?|https?):\/\/[^\s]+$/i;
const CHUNK = 500;

/** Scheduling, reservations with the start notification, start / end / replay. */
export function createRooms(deps: { db: Db; clock: Clock; outbox: Outbox; repo: LiveRepo; hub: Hub; prices: LivePriceHooks }) {
  const { db, clock, outbox, repo, hub } = deps;

  async function get(roomId: string, ex?: Executor): Promise<RoomRow> {
    const r = await repo.room(roomId, ex);
    if (!r) throw notFound('live_room', roomId);
    return r;
  }

  function checkInput(i: Partial<RoomInput>, now: number): void {
    if (i.stream_url !== undefined && !STREAM_URL.test(i.stream_url)) throw invalid('invalid_stream_url', 'the stream URL must be an rtmp(s):// or http(s):// (HLS) address').zh('推流/播放地址须为 rtmp(s):// 或 http(s)://（HLS）地址');
    if (i.scheduled_start_ms !== undefined && i.scheduled_start_ms < now - 5 * MINUTE_MS) throw rule('start_in_past', 'the scheduled start is in the past').zh('开播时间不能早于现在');
  }

  async function transition(roomId: string, from: RoomStatus, to: RoomStatus, set: Partial<RoomRow>, tx: Executor): Promise<RoomRow> {
    const r = await repo.q(tx).updateTable('live_rooms').set({ ...set, status: to, updated_at: clock.now() }).where('id', '=', roomId).where('status', '=', from).executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) {
      const cur = await get(roomId, tx);
      throw conflict('room_status', `the room is ${cur.status}, not ${from}`, { status: cur.status }).zh(cur.status === 'ended' ? '直播已结束' : cur.status === 'live' ? '直播进行中' : '直播尚未开始');
    }
    return get(roomId, tx);
  }

  return {
    getRoom: get,

    async createRoom(owner: RoomOwner, input: RoomInput, actorId: string): Promise<Room> {
      const now = clock.now();
      checkInput(input, now);
      const row: RoomRow = {
        id: newId('lrm'), owner_kind: owner.kind, store_id: owner.kind === 'store' ? owner.store_id : null, creator_id: owner.kind === 'creator' ? owner.creator_id : null,
        title: input.title.trim(), cover_url: input.cover_url ?? null, stream_url: input.stream_url, replay_url: null, scheduled_start_ms: input.scheduled_start_ms, status: 'scheduled',
        started_at: null, ended_at: null, pinned_item_id: null, reservations: 0, total_views: 0, peak_viewers: 0, likes: 0, created_by: actorId, created_at: now, updated_at: now,
      };
      return db.transaction(async (tx) => {
        await repo.q(tx).insertInto('live_rooms').values(row).execute();
        await outbox.emit(tx, 'live_room.scheduled', row.id, { room_id: row.id, store_id: row.store_id, creator_id: row.creator_id, scheduled_start_ms: row.scheduled_start_ms });
        return row;
      });
    },

    async updateRoom(roomId: string, patch: Partial<RoomInput>): Promise<Room> {
      checkInput(patch, clock.now());
      const cur = await get(roomId);
      if (cur.status === 'ended') throw conflict('room_status', 'the room has ended', { status: cur.status }).zh('直播已结束');
      await repo.q().updateTable('live_rooms').set({ ...patch, updated_at: clock.now() }).where('id', '=', roomId).execute();
      return get(roomId);
    },

    async listRooms(f: { store_id?: string; creator_id?: string; status?: RoomStatus; limit?: number; cursor?: string }): Promise<Page<Room>> {
      const limit = clampLimit(f.limit);
      const after = decodeCursor(f.cursor);
      let q = repo.q().selectFrom('live_rooms').selectAll().orderBy('id', 'desc').limit(limit + 1);
      if (f.store_id) q = q.where('store_id', '=', f.store_id);
      if (f.creator_id) q = q.where('creator_id', '=', f.creator_id);
      if (f.status) q = q.where('status', '=', f.status);
      if (after !== undefined) q = q.where('id', '<', String(after));
      return toPage(await q.execute(), limit, (r) => r.id);
    },

    /** 预约: idempotent; a second reservation of the same room changes nothing. */
    async reserve(roomId: string, accountId: string): Promise<{ reserved: true; reservations: number }> {
      return db.transaction(async (tx) => {
        const room = await get(roomId, tx);
        if (room.status === 'ended') throw rule('room_ended', 'the live has ended').zh('直播已结束');
        const r = await repo.q(tx).insertInto('live_reservations').values({ room_id: roomId, account_id: accountId, created_at: clock.now(), notified_at: null })
          .onConflict((oc) => oc.columns(['room_id', 'account_id']).doNothing()).executeTakeFirst();
        if (Number(r.numInsertedOrUpdatedRows ?? 0n) === 1) await repo.q(tx).updateTable('live_rooms').set((eb) => ({ reservations: eb('reservations', '+', 1) })).where('id', '=', roomId).execute();
        return { reserved: true as const, reservations: (await get(roomId, tx)).reservations };
      });
    },

    async cancelReservation(roomId: string, accountId: string): Promise<void> {
      await db.transaction(async (tx) => {
        const r = await repo.q(tx).deleteFrom('live_reservations').where('room_id', '=', roomId).where('account_id', '=', accountId).executeTakeFirst();
        if (Number(r.numDeletedRows) === 1) await repo.q(tx).updateTable('live_rooms').set((eb) => ({ reservations: eb('reservations', '-', 1) })).where('id', '=', roomId).execute();
      });
    },

    isReserved: async (roomId: string, accountId: string) =>
      !!(await repo.q().selectFrom('live_reservations').select('room_id').where('room_id', '=', roomId).where('account_id', '=', accountId).executeTakeFirst()),

    /**
     * 开播: scheduled → live; every reserver gets a notification in their inbox (same
     * transaction), the room's live prices become valid, `live_room.started` is written.
     */
    async startRoom(roomId: string): Promise<Room> {
      const now = clock.now();
      const room = await db.transaction(async (tx) => {
        const r = await transition(roomId, 'scheduled', 'live', { started_at: now }, tx);
        const who = (await repo.q(tx).selectFrom('live_reservations').select('account_id').where('room_id', '=', roomId).where('notified_at', 'is', null).orderBy('account_id').execute()).map((x) => x.account_id);
        for (let i = 0; i < who.length; i += CHUNK) {
          await repo.q(tx).insertInto('live_notifications').values(who.slice(i, i + CHUNK).map((account_id): NotificationRow => ({
            id: newId('ntf'), account_id, kind: 'room_started', room_id: roomId, title: `${r.title} 开播啦`, body: '你预约的直播开始了，快来直播间看看吧', created_at: now, read_at: null,
          }))).execute();
        }
        await repo.q(tx).updateTable('live_reservations').set({ notified_at: now }).where('room_id', '=', roomId).where('notified_at', 'is', null).execute();
        await deps.prices.open(tx, roomId, now);
        await outbox.emit(tx, 'live_room.started', roomId, { room_id: roomId, store_id: r.store_id, creator_id: r.creator_id, started_at: now, notified: who.length });
        return r;
      });
      hub.publish(roomId, 'status', { status: 'live', started_at: now });
      return room;
    },

    /** 下播: live → ended; live prices stop at once; views and the peak are written to the room. */
    async endRoom(roomId: string, replayUrl: string | null): Promise<Room> {
      const now = clock.now();
      if (replayUrl !== null && !STREAM_URL.test(replayUrl)) throw invalid('invalid_replay_url', 'the replay URL must be an http(s):// address');
      const room = await db.transaction(async (tx) => {
        const r = await transition(roomId, 'live', 'ended', { ended_at: now, pinned_item_id: null, replay_url: replayUrl }, tx);
        await repo.addViews(roomId, hub.takeViews(roomId), hub.peak(roomId), tx);
        await deps.prices.close(tx, roomId, now);
        await outbox.emit(tx, 'live_room.ended', roomId, { room_id: roomId, store_id: r.store_id, creator_id: r.creator_id, ended_at: now });
        return get(roomId, tx);
      });
      hub.publish(roomId, 'status', { status: 'ended', ended_at: now, replay_url: replayUrl });
      return room;
    },

    /** 回放: the replay can be set (or replaced) once the room has ended. */
    async setReplay(roomId: string, replayUrl: string): Promise<Room> {
      if (!STREAM_URL.test(replayUrl)) throw invalid('invalid_replay_url', 'the replay URL must be an http(s):// address');
      const r = await repo.q().updateTable('live_rooms').set({ replay_url: replayUrl, updated_at: clock.now() }).where('id', '=', roomId).where('status', '=', 'ended').executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) throw conflict('room_status', 'a replay is set after the live ends').zh('直播结束后才能设置回放');
      return get(roomId);
    },

    async notifications(accountId: string, f: { unread?: boolean; limit?: number; cursor?: string }): Promise<Page<NotificationRow>> {
      const limit = clampLimit(f.limit);
      const after = decodeCursor(f.cursor);
      let q = repo.q().selectFrom('live_notifications').selectAll().where('account_id', '=', accountId).orderBy('id', 'desc').limit(limit + 1);
      if (f.unread) q = q.where('read_at', 'is', null);
      if (after !== undefined) q = q.where('id', '<', String(after));
      return toPage(await q.execute(), limit, (n) => n.id);
    },

    async markRead(accountId: string, id: string): Promise<void> {
      const r = await repo.q().updateTable('live_notifications').set({ read_at: clock.now() }).where('id', '=', id).where('account_id', '=', accountId).where('read_at', 'is', null).executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) {
        const n = await repo.q().selectFrom('live_notifications').select('id').where('id', '=', id).where('account_id', '=', accountId).executeTakeFirst();
        if (!n) throw notFound('notification', id);
      }
    },
  };
}
