import type { Clock } from '../../lib/clock.ts';
import type { Logger } from '../../lib/logger.ts';
import type { Db } from '../../db/index.ts';
import type { Outbox } from '../../db/outbox.ts';
import type { Scheduler } from '../../db/scheduler.ts';
import { createEngagement } from './engagement.service.ts';
import { createHub } from './hub.ts';
import { createLiveRepo } from './live.repo.ts';
import { createRooms, type LivePriceHooks } from './rooms.service.ts';
import { createShelf, type RoomLivePrices, type ShelfProductLookup } from './shelf.service.ts';
import { createStats } from './stats.service.ts';

export type { Room, RoomInput, RoomOwner, LivePriceHooks } from './rooms.service.ts';
export type { ShelfItem, ShelfProduct, ShelfProductLookup, LivePriceView, RoomLivePrices } from './shelf.service.ts';
export type { LuckyBagInput } from './engagement.service.ts';
export type { LiveSale, RoomStats, ProductStats } from './stats.service.ts';
export type { RoomStatus, LuckyCondition, NotificationRow as LiveNotification } from './live.repo.ts';
export type { Hub, HubCounters, Sink } from './hub.ts';
export { presentItem, presentPrice } from './shelf.service.ts';
export { presentBag, LUCKY_DRAW_JOB } from './engagement.service.ts';
export { drawWinners, seedCommitment, sortedEligible, eligibleHash } from './lucky-draw.ts';

export interface LiveDeps {
  db: Db;
  clock: Clock;
  outbox: Outbox;
  scheduler: Scheduler;
  log: Logger;
  /** Products for the shelf (catalog). */
  products: ShelfProductLookup;
  /** The room's live prices (promotions), shown on the shelf. */
  livePrices: RoomLivePrices;
  /** Promotions' live-price validity, moved in the room's start/end transaction. */
  prices: LivePriceHooks;
  bannedWords?: readonly string[];
  /** Affiliate: may this creator sell the product (selected from the pool, offer active)? Absent: any product on sale. */
  creatorMaySell?(creatorId: string, productId: string): Promise<boolean>;
  hub?: { ringSize?: number; maxBufferedBytes?: number; heartbeatMs?: number; tickMs?: number; flushMs?: number };
}

/**
 * Livestream rooms (直播间): scheduling and reservations with a start notification, start / end
 * / replay, the product shelf (小黄车) with one pinned product, live prices (kept by promotions),
 * live coupons, lucky bags with an auditable seed, real-time room events over SSE (the hub), and
 * the merchant's live statistics. Rules: README.md here.
 *
 * Events (outbox, same transaction): `live_room.scheduled|started|ended` { room_id, store_id,
 * creator_id, … }, `live_lucky_bag.drawn` { lucky_bag_id, room_id, winner_ids, eligible_count }.
 */
export function createLiveModule(deps: LiveDeps) {
  const repo = createLiveRepo(deps.db);
  const hub = createHub({
    ...deps.hub, now: () => deps.clock.now(),
    // Called only once viewers leave, long after `engagement` below exists.
    onLeave: (roomId, accountId, ms) => void engagement.viewerLeft(roomId, accountId, ms).catch((err) => deps.log.warn({ err, roomId }, 'live: watch time not recorded')),
  });
  const engagement = createEngagement({ db: deps.db, clock: deps.clock, outbox: deps.outbox, scheduler: deps.scheduler, repo, hub, bannedWords: deps.bannedWords });
  const rooms = createRooms({ db: deps.db, clock: deps.clock, outbox: deps.outbox, repo, hub, prices: deps.prices });
  const shelf = createShelf({ db: deps.db, clock: deps.clock, repo, hub, products: deps.products, livePrices: deps.livePrices, prices: deps.prices, creatorMaySell: deps.creatorMaySell });
  const stats = createStats({ clock: deps.clock, repo, hub });
  return {
    hub,
    ...rooms,
    ...shelf,
    ...engagement,
    ...stats,
    /**
     * A checkout's claim "bought in room R": true only while R is live with the product on its
     * shelf; answers the room's creator (content's attribution rule asks this).
     */
    async verifyRoomProduct(roomId: string, productId: string): Promise<{ creator_id: string | null } | null> {
      const r = await repo.liveRoomSelling(roomId, productId);
      return r ? { creator_id: r.creator_id } : null;
    },
    /** Coalesced viewer counts, likes, heartbeats (workers). */
    start: () => hub.start(),
    stop: () => hub.stop(),
  };
}
export type LiveModule = ReturnType<typeof createLiveModule>;
