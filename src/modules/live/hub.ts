/**
 * The in-process fan-out of room events to viewers over Server-Sent Events.
 *
 * - Each event is serialised ONCE into a Buffer (`id:`, `event:`, `data:` lines) and the same
 *   Buffer is written to every connection of the room. Events published within one flush
 *   window (`flushMs`; 0 = the same turn of the event loop) go out together as one Buffer.
 * - Each room keeps a bounded ring of its last `ringSize` events. A client reconnecting with
 *   `Last-Event-ID` gets the events after that id from the ring; when the id is older than the
 *   ring (or from another process start), it gets a `snapshot` event of the room's state
 *   instead, then the live stream — it never silently misses state, only intermediate events.
 * - Backpressure: a connection whose unsent bytes exceed `maxBufferedBytes` is a slow client;
 *   it is closed (the browser's EventSource reconnects and resumes) and counted in
 *   `dropped_clients`. Nothing else waits for it.
 * - Viewer counts and likes are coalesced: at most one `viewers` / `likes` event per room per
 *   `tickMs`, however many joins or likes happen. Heartbeats (`:` comment lines) every
 *   `heartbeatMs` keep proxies from closing idle streams.
 *
 * One process holds the room's connections; with several API processes the events would go
 * through the event backbone (NATS, see DESIGN.md) to every process's hub.
 */
import { randomBytes } from 'node:crypto';

export interface Sink {
  write(chunk: Buffer): boolean;
  readonly writableLength: number;
  /** Ends the connection (slow client, shutdown). */
  destroy(): void;
}

/** What connect() needs of an http.ServerResponse. */
export interface HttpSink extends Sink {
  useChunkedEncodingByDefault?: boolean;
  readonly socket?: Sink | null;
  writeHead(status: number, headers: Record<string, string>): unknown;
  on(event: 'close', fn: () => void): unknown;
}

export interface HubOptions {
  ringSize?: number;
  maxBufferedBytes?: number;
  heartbeatMs?: number;
  tickMs?: number;
  /**
   * Events are written in batches at most this often (ms); 0 = at the end of the current turn
   * of the event loop. A window of a few tens of ms turns 100 events/s × N viewers into far
   * fewer socket writes (each write is a system call) for an added delay of at most the window.
   */
  flushMs?: number;
  now: () => number;
  /** A viewer with an account left: how long it watched (recorded for lucky bags and stats). */
  onLeave?: (roomId: string, accountId: string, watchedMs: number) => void;
}

export interface HubCounters {
  rooms: number;
  connections: number;
  published: number;
  flushes: number;
  writes: number;
  dropped_clients: number;
}

interface Client {
  sink: Sink;
  account_id: string | null;
  since: number;
  /** false for the room's host (store staff, the creator): not a viewer, not counted. */
  audience: boolean;
}

interface Entry {
  seq: number;
  buf: Buffer;
}

class Room {
  seq = 0;
  readonly ring: (Entry | undefined)[];
  head = 0; // next slot to write
  size = 0;
  readonly clients = new Set<Client>();
  /** Clients that are viewers (the host's own consoles are connected but not counted). */
  audience = 0;
  pending: Buffer[] = [];
  peak = 0;
  views = 0;
  viewersDirty = false;
  likes = 0;
  likesDirty = false;
  constructor(readonly id: string, ringSize: number) {
    this.ring = new Array(ringSize);
  }
  oldestSeq(): number {
    return this.size === 0 ? this.seq + 1 : this.seq - this.size + 1;
  }
}

const HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' };
const HEARTBEAT = Buffer.from(':hb\n\n');

export function createHub(opts: HubOptions) {
  const ringSize = opts.ringSize ?? 1024;
  const maxBuffered = opts.maxBufferedBytes ?? 1024 * 1024;
  const flushMs = opts.flushMs ?? 0;
  const boot = randomBytes(3).toString('hex');
  const rooms = new Map<string, Room>();
  const counters: HubCounters = { rooms: 0, connections: 0, published: 0, flushes: 0, writes: 0, dropped_clients: 0 };
  let flushScheduled = false;
  const dirty = new Set<Room>();
  let tickTimer: NodeJS.Timeout | undefined;
  let heartbeatTimer: NodeJS.Timeout | undefined;

  const room = (id: string): Room => {
    let r = rooms.get(id);
    if (!r) {
      r = new Room(id, ringSize);
      rooms.set(id, r);
      counters.rooms = rooms.size;
    }
    return r;
  };

  function frame(seq: number, type: string, data: Record<string, unknown>): Buffer {
    return Buffer.from(`id: ${boot}-${seq}\nevent: ${type}\ndata: ${JSON.stringify({ ...data, ts: opts.now() })}\n\n`);
  }

  function drop(r: Room, c: Client): void {
    if (!r.clients.delete(c)) return;
    counters.connections--;
    if (!c.audience) return;
    r.audience--;
    r.viewersDirty = true;
    if (c.account_id) opts.onLeave?.(r.id, c.account_id, Math.max(0, opts.now() - c.since));
  }

  function writeTo(r: Room, c: Client, buf: Buffer): void {
    if (c.sink.writableLength > maxBuffered) {
      counters.dropped_clients++;
      drop(r, c);
      c.sink.destroy();
      return;
    }
    c.sink.write(buf);
    counters.writes++;
  }

  function flushRoom(r: Room): void {
    if (r.pending.length === 0) return;
    const buf = r.pending.length === 1 ? r.pending[0] : Buffer.concat(r.pending);
    r.pending = [];
    counters.flushes++;
    for (const c of r.clients) writeTo(r, c, buf);
  }

  function flush(): void {
    flushScheduled = false;
    for (const r of dirty) flushRoom(r);
    dirty.clear();
  }

  function publish(roomId: string, type: string, data: Record<string, unknown>): string {
    const r = room(roomId);
    const seq = ++r.seq;
    const buf = frame(seq, type, data);
    r.ring[r.head] = { seq, buf };
    r.head = (r.head + 1) % ringSize;
    r.size = Math.min(ringSize, r.size + 1);
    counters.published++;
    r.pending.push(buf);
    dirty.add(r);
    if (!flushScheduled) {
      flushScheduled = true;
      if (flushMs > 0) setTimeout(flush, flushMs);
      else setImmediate(flush);
    }
    return `${boot}-${seq}`;
  }

  /** The ring's events after `seq`, or null when some of them already left the ring. */
  function since(r: Room, seq: number): Buffer[] | null {
    if (seq > r.seq || seq < r.oldestSeq() - 1) return null;
    const out: Buffer[] = [];
    for (let i = 0; i < r.size; i++) {
      const e = r.ring[(r.head - r.size + i + ringSize) % ringSize]!;
      if (e.seq > seq) out.push(e.buf);
    }
    return out;
  }

  function tick(): void {
    for (const [id, r] of rooms) {
      if (r.viewersDirty) {
        r.viewersDirty = false;
        publish(id, 'viewers', { viewers: r.audience, peak: r.peak });
      }
      if (r.likesDirty) {
        r.likesDirty = false;
        publish(id, 'likes', { likes: r.likes });
      }
    }
  }

  return {
    boot,
    counters,
    publish,

    /** The sequence a snapshot taken now is "as of": connect() replays what comes after it. */
    position: (roomId: string): number => room(roomId).seq,

    /**
     * Whether `lastEventId` can be resumed from the ring (then no snapshot is needed):
     * same process start, and not older than the ring.
     */
    canResume(roomId: string, lastEventId: string | undefined): boolean {
      const seq = parseId(lastEventId);
      return seq !== null && since(room(roomId), seq) !== null;
    },

    /**
     * Starts the stream on `res` (a raw http.ServerResponse). With a resumable Last-Event-ID
     * the missed events are replayed; otherwise `snapshot` (taken at `asOf` = position()) is
     * sent, followed by every event published after asOf. `host`: the room's own staff or creator
     * (the live console): gets every event but is not a viewer (counts, peak, views, watch time,
     * lucky bags).
     */
    connect(roomId: string, res: HttpSink, o: { lastEventId?: string; accountId: string | null; snapshot?: Record<string, unknown>; asOf?: number; host?: boolean }): void {
      const r = room(roomId);
      const audience = !o.host;
      // Events waiting for the next flush go to the current viewers now: the newcomer gets them
      // from the ring below, and must not get them a second time from that flush.
      flushRoom(r);
      // The stream ends only with the connection, so it needs no chunked framing: after the
      // headers, events go straight to the socket (one write of the shared Buffer per viewer).
      res.useChunkedEncodingByDefault = false;
      res.writeHead(200, HEADERS);
      let replay = parseId(o.lastEventId) === null ? null : since(r, parseId(o.lastEventId)!);
      if (!replay) {
        const asOf = o.asOf ?? r.seq;
        const snap = Buffer.from(`id: ${boot}-${asOf}\nevent: snapshot\ndata: ${JSON.stringify({ ...o.snapshot, viewers: r.audience + (audience ? 1 : 0), ts: opts.now() })}\n\n`);
        replay = [snap, ...(since(r, asOf) ?? [])];
      }
      res.write(Buffer.concat([Buffer.from('retry: 2000\n\n'), ...replay]));
      const c: Client = { sink: res.socket ?? res, account_id: o.accountId, since: opts.now(), audience };
      r.clients.add(c);
      counters.connections++;
      if (audience) {
        r.audience++;
        r.views++;
        r.peak = Math.max(r.peak, r.audience);
        r.viewersDirty = true;
      }
      res.on('close', () => drop(r, c));
    },

    /** Open connections of signed-in viewers of a room: account → since (for watch time). */
    openSessions(roomId: string): Map<string, number> {
      const out = new Map<string, number>();
      for (const c of rooms.get(roomId)?.clients ?? []) if (c.account_id && c.audience) out.set(c.account_id, Math.min(out.get(c.account_id) ?? Infinity, c.since));
      return out;
    },

    viewers: (roomId: string) => rooms.get(roomId)?.audience ?? 0,
    peak: (roomId: string) => rooms.get(roomId)?.peak ?? 0,
    /** Views (connections opened) since the last call; the caller adds them to the stored total. */
    takeViews(roomId: string): number {
      const r = rooms.get(roomId);
      const n = r?.views ?? 0;
      if (r) r.views = 0;
      return n;
    },
    setLikes(roomId: string, total: number): void {
      const r = room(roomId);
      r.likes = total;
      r.likesDirty = true;
    },

    start(o: { tickMs?: number; heartbeatMs?: number } = {}): void {
      tickTimer ??= setInterval(tick, o.tickMs ?? opts.tickMs ?? 1000).unref();
      heartbeatTimer ??= setInterval(() => {
        for (const [, r] of rooms) for (const c of r.clients) writeTo(r, c, HEARTBEAT);
      }, o.heartbeatMs ?? opts.heartbeatMs ?? 15_000).unref();
    },
    /** Runs the coalescing step now (tests). */
    tick,
    /** Stops the timers and closes every stream (shutdown). */
    stop(): void {
      clearInterval(tickTimer);
      clearInterval(heartbeatTimer);
      tickTimer = heartbeatTimer = undefined;
      for (const [, r] of rooms) for (const c of [...r.clients]) {
        drop(r, c);
        c.sink.destroy();
      }
    },
  };

  function parseId(id: string | undefined): number | null {
    if (!id) return null;
    const m = /^([0-9a-f]+)-(\d+)$/.exec(id.trim());
    if (!m || m[1] !== boot) return null;
    return Number(m[2]);
  }
}
export type Hub = ReturnType<typeof createHub>;
