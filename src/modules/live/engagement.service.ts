import { randomBytes } from 'node:crypto';
import type { Clock } from '../../lib/clock.ts';
import { MINUTE_MS } from '../../lib/clock.ts';
import { conflict, notFound, rule } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { Db, Executor } from '../../db/index.ts';
import type { Outbox } from '../../db/outbox.ts';
import type { Scheduler } from '../../db/scheduler.ts';
import type { Hub } from './hub.ts';
import type { LiveRepo, LuckyBagRow, LuckyCondition, RoomRow } from './live.repo.ts';
import { drawWinners, eligibleHash, seedCommitment, sortedEligible } from './lucky-draw.ts';
import { createModerator } from './moderation.ts';

export const LUCKY_DRAW_JOB = 'live.lucky_bag_draw';

export interface LuckyBagInput {
  title: string;
  prize: string;
  winners: number;
  condition: LuckyCondition;
  /** For `watched`: minutes watched in this room (closed sessions + the open one). */
  watch_minutes?: number | null;
  /** When it is drawn (a durable job); at least now. */
  draw_at_ms: number;
}

/** What anyone may see of a bag: the seed only after the draw. */
export function presentBag(b: LuckyBagRow) {
  const drawn = b.status === 'drawn';
  const eligible: string[] = drawn ? JSON.parse(b.eligible_ids ?? '[]') : [];
  return {
    id: b.id, room_id: b.room_id, title: b.title, prize: b.prize, winners: b.winners, condition: b.condition, watch_minutes: b.watch_minutes, status: b.status,
    seed_commitment: b.seed_commitment, seed: drawn ? b.seed : null, draw_at_ms: b.draw_at_ms, drawn_at: b.drawn_at,
    eligible_count: eligible.length, eligible_hash: drawn ? eligibleHash(eligible) : null, eligible_ids: eligible, winner_ids: drawn ? (JSON.parse(b.winner_ids ?? '[]') as string[]) : [],
  };
}

/** Viewers (join/leave, watch time), comments, likes, live coupons, lucky bags (福袋). */
export function createEngagement(deps: { db: Db; clock: Clock; outbox: Outbox; scheduler: Scheduler; repo: LiveRepo; hub: Hub; bannedWords?: readonly string[] }) {
  const { db, clock, outbox, scheduler, repo, hub } = deps;
  const moderate = createModerator(deps.bannedWords);

  const mustBeLive = (room: RoomRow) => {
    if (room.status !== 'live') throw conflict('room_not_live', 'the room is not live').zh('直播未开始或已结束');
  };

  async function bag(roomId: string, bagId: string, ex?: Executor): Promise<LuckyBagRow> {
    const b = await repo.q(ex).selectFrom('live_lucky_bags').selectAll().where('id', '=', bagId).where('room_id', '=', roomId).executeTakeFirst();
    if (!b) throw notFound('lucky_bag', bagId);
    return b;
  }

  /** Accounts that met the bag's condition at `now`, sorted (the draw's input). */
  async function eligible(b: LuckyBagRow, tx: Executor, now: number): Promise<string[]> {
    if (b.condition === 'reserved') {
      return sortedEligible((await repo.q(tx).selectFrom('live_reservations').select('account_id').where('room_id', '=', b.room_id).execute()).map((r) => r.account_id));
    }
    if (b.condition === 'commented') {
      return sortedEligible((await repo.q(tx).selectFrom('live_viewers').select('account_id').where('room_id', '=', b.room_id).where('commented', '=', 1).execute()).map((r) => r.account_id));
    }
    const need = (b.watch_minutes ?? 1) * MINUTE_MS;
    const open = hub.openSessions(b.room_id);
    const rows = await repo.q(tx).selectFrom('live_viewers').select(['account_id', 'watch_ms']).where('room_id', '=', b.room_id).execute();
    const watched = new Map(rows.map((r) => [r.account_id, Number(r.watch_ms)]));
    for (const [a, since] of open) watched.set(a, (watched.get(a) ?? 0) + (now - since));
    return sortedEligible([...watched].filter(([, ms]) => ms >= need).map(([a]) => a));
  }

  async function draw(roomId: string, bagId: string, tx: Executor): Promise<LuckyBagRow> {
    const now = clock.now();
    const b = await bag(roomId, bagId, tx);
    if (b.status === 'drawn') return b;
    const ids = await eligible(b, tx, now);
    const winners = drawWinners(b.seed, ids, b.winners);
    const r = await repo.q(tx).updateTable('live_lucky_bags').set({ status: 'drawn', eligible_ids: JSON.stringify(ids), winner_ids: JSON.stringify(winners), drawn_at: now })
      .where('id', '=', bagId).where('status', '=', 'open').executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return bag(roomId, bagId, tx);
    if (winners.length) {
      await repo.q(tx).insertInto('live_notifications').values(winners.map((account_id) => ({
        id: newId('ntf'), account_id, kind: 'lucky_bag_won' as const, room_id: roomId, title: `恭喜抽中福袋「${b.title}」`, body: `奖品：${b.prize}`, created_at: now, read_at: null,
      }))).execute();
    }
    await outbox.emit(tx, 'live_lucky_bag.drawn', bagId, { lucky_bag_id: bagId, room_id: roomId, winner_ids: winners, eligible_count: ids.length });
    return bag(roomId, bagId, tx);
  }

  scheduler.register(LUCKY_DRAW_JOB, async (job, tx) => {
    const d = await draw(job.payload.room_id as string, job.payload.lucky_bag_id as string, tx);
    // Viewers hear of the draw once it is committed: a client that reads the bag then sees it drawn.
    return () => hub.publish(d.room_id, 'lucky_bag_drawn', presentBag(d));
  });

  return {
    /** A signed-in viewer opened the stream (a view in the stats; watch time starts). */
    viewerJoined: (roomId: string, accountId: string) => repo.viewerSeen(roomId, accountId, clock.now()),
    /** …and left after `ms` (called by the hub). */
    viewerLeft: (roomId: string, accountId: string, ms: number) => repo.watched(roomId, accountId, ms),

    async comment(room: RoomRow, account: { id: string; display_name: string }, text: string): Promise<{ id: string; status: 'visible' | 'blocked' }> {
      mustBeLive(room);
      const verdict = moderate(text);
      const c = { id: newId('lcm'), room_id: room.id, account_id: account.id, display_name: account.display_name, text: text.trim(), status: verdict.ok ? 'visible' as const : 'blocked' as const, created_at: clock.now() };
      await db.transaction(async (tx) => {
        await repo.q(tx).insertInto('live_comments').values(c).execute();
        if (verdict.ok) await repo.commented(tx, room.id, account.id, c.created_at);
      });
      if (verdict.ok) hub.publish(room.id, 'comment', { id: c.id, account_id: c.account_id, name: c.display_name, text: c.text });
      return { id: c.id, status: c.status };
    },

    async like(room: RoomRow, count: number): Promise<number> {
      mustBeLive(room);
      await repo.like(room.id, count);
      const likes = Number((await repo.room(room.id))?.likes ?? 0);
      hub.setLikes(room.id, likes); // coalesced: at most one likes event per tick
      return likes;
    },

    async attachCoupon(tx: Executor, room: RoomRow, storeId: string, templateId: string): Promise<void> {
      if (room.status === 'ended') throw conflict('room_status', 'the live has ended').zh('直播已结束');
      await repo.q(tx).insertInto('live_coupons').values({ room_id: room.id, template_id: templateId, store_id: storeId, added_at: clock.now() })
        .onConflict((oc) => oc.columns(['room_id', 'template_id']).doNothing()).execute();
    },
    roomCoupons: (roomId: string) => repo.q().selectFrom('live_coupons').selectAll().where('room_id', '=', roomId).orderBy('added_at').execute(),
    /** A live coupon is claimed only while the room is live and only if it is the room's. */
    async assertClaimable(room: RoomRow, templateId: string): Promise<void> {
      mustBeLive(room);
      const c = await repo.q().selectFrom('live_coupons').select('template_id').where('room_id', '=', room.id).where('template_id', '=', templateId).executeTakeFirst();
      if (!c) throw notFound('live_coupon', templateId);
    },

    async createLuckyBag(room: RoomRow, input: LuckyBagInput): Promise<ReturnType<typeof presentBag>> {
      mustBeLive(room);
      const now = clock.now();
      if (input.condition === 'watched' && !input.watch_minutes) throw rule('watch_minutes_required', 'give watch_minutes for a watched condition').zh('观看时长条件须填写分钟数');
      const seed = randomBytes(32).toString('hex');
      const row: LuckyBagRow = {
        id: newId('lbg'), room_id: room.id, title: input.title, prize: input.prize, winners: input.winners, condition: input.condition, watch_minutes: input.watch_minutes ?? null,
        status: 'open', seed_commitment: seedCommitment(seed), seed, draw_at_ms: Math.max(now, input.draw_at_ms), eligible_ids: null, winner_ids: null, created_at: now, drawn_at: null,
      };
      await db.transaction(async (tx) => {
        await repo.q(tx).insertInto('live_lucky_bags').values(row).execute();
        await scheduler.schedule(tx, { kind: LUCKY_DRAW_JOB, run_at: row.draw_at_ms, payload: { room_id: room.id, lucky_bag_id: row.id }, dedupe_key: `lucky_bag:${row.id}:draw` });
      });
      const out = presentBag(row);
      hub.publish(room.id, 'lucky_bag', out); // the commitment is public before the draw
      return out;
    },

    /** Draws now (the host's button); the scheduled job finds it drawn and does nothing. */
    async drawLuckyBag(roomId: string, bagId: string): Promise<ReturnType<typeof presentBag>> {
      const d = presentBag(await db.transaction((tx) => draw(roomId, bagId, tx)));
      hub.publish(roomId, 'lucky_bag_drawn', d);
      return d;
    },

    /** A room's bags; an open bag's `eligible_count` is how many qualify so far (who, only after the draw). */
    async luckyBags(roomId: string) {
      const rows = await repo.q().selectFrom('live_lucky_bags').selectAll().where('room_id', '=', roomId).orderBy('id').execute();
      const now = clock.now();
      return Promise.all(rows.map(async (b) => (b.status === 'open' ? { ...presentBag(b), eligible_count: (await eligible(b, db.kysely, now)).length } : presentBag(b))));
    },
    luckyBag: async (roomId: string, bagId: string) => presentBag(await bag(roomId, bagId)),
  };
}
