import type { Clock } from '../lib/clock.ts';
import { newId } from '../lib/ids.ts';
import type { Logger } from '../lib/logger.ts';
import type { Db, Executor } from './index.ts';

/**
 * Transactional outbox. A module writes its domain event with `emit(tx, …)` in the same
 * transaction as the change; after commit the dispatcher delivers it to every subscriber
 * of its type, at least once. A subscriber's handler runs in a transaction together
 * with the row recording its delivery, so handlers that only touch the database are
 * effectively exactly-once; handlers with outside effects must be idempotent by event id.
 * A crashed dispatcher's claim expires after CLAIM_MS and the event is delivered again.
 */
export interface DomainEvent<P = Record<string, unknown>> {
  id: string;
  type: string;
  aggregate_id: string;
  payload: P;
  occurred_at: number;
}

export type EventHandler = (event: DomainEvent<any>, tx: Executor) => Promise<void>;

interface Subscription {
  name: string;
  types: ReadonlySet<string> | '*';
  handler: EventHandler;
}

const CLAIM_MS = 30_000;
const BATCH = 100;
const backoffMs = (attempts: number) => Math.min(60_000 * 10, 1000 * 2 ** Math.min(attempts, 10));

export class Outbox {
  private readonly subs: Subscription[] = [];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private kickPending = false;
  private readonly insert;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {
    this.insert = db.prepared(
      'insert into outbox_events (id, type, aggregate_id, payload, occurred_at, available_at, attempts) values (?, ?, ?, ?, ?, ?, 0)',
    );
  }

  /** Writes an event in the caller's transaction. */
  async emit(tx: Executor, type: string, aggregateId: string, payload: Record<string, unknown>): Promise<string> {
    const id = newId('evt');
    const now = this.clock.now();
    await this.insert.run(tx, [id, type, aggregateId, JSON.stringify(payload), now, now]);
    this.kickSoon();
    return id;
  }

  subscribe(name: string, types: readonly string[] | '*', handler: EventHandler): void {
    if (this.subs.some((s) => s.name === name)) throw new Error(`duplicate subscriber ${name}`);
    this.subs.push({ name, types: types === '*' ? '*' : new Set(types), handler });
  }

  start(pollMs = 250): void {
    this.timer = setInterval(() => void this.tick(), pollMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private kickSoon(): void {
    if (!this.timer || this.kickPending) return;
    this.kickPending = true;
    setTimeout(() => {
      this.kickPending = false;
      void this.tick();
    }, 5).unref();
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    try {
      this.running = this.dispatchBatch();
      await this.running;
    } catch (err) {
      this.log.error({ err }, 'outbox dispatch failed');
    } finally {
      this.running = undefined;
    }
  }

  /** Delivers every due event; returns how many events were completed. Tests call this. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.dispatchBatch();
      total += n;
      if (n === 0) return total;
    }
  }

  /** Claims due events one by one (a conditional update, so two dispatchers never share one). */
  async dispatchBatch(): Promise<number> {
    const now = this.clock.now();
    const k = this.db.kysely;
    const due = await k
      .selectFrom('outbox_events')
      .select(['id'])
      .where('dispatched_at', 'is', null)
      .where('available_at', '<=', now)
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
      .orderBy('occurred_at')
      .orderBy('id')
      .limit(BATCH)
      .execute();
    let completed = 0;
    for (const { id } of due) {
      const claimed = await k
        .updateTable('outbox_events')
        .set({ claimed_until: now + CLAIM_MS })
        .where('id', '=', id)
        .where('dispatched_at', 'is', null)
        .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) continue;
      if (await this.deliver(id)) completed++;
    }
    return completed;
  }

  private async deliver(id: string): Promise<boolean> {
    const k = this.db.kysely;
    const row = await k.selectFrom('outbox_events').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const event: DomainEvent = { id: row.id, type: row.type, aggregate_id: row.aggregate_id, payload: JSON.parse(row.payload), occurred_at: Number(row.occurred_at) };
    const done = new Set(
      (await k.selectFrom('outbox_deliveries').select('subscriber').where('event_id', '=', id).execute()).map((r) => r.subscriber as string),
    );
    let failure: unknown;
    for (const sub of this.subs) {
      if (done.has(sub.name)) continue;
      if (sub.types !== '*' && !sub.types.has(event.type)) continue;
      try {
        await this.db.transaction(async (tx) => {
          await sub.handler(event, tx);
          await tx.insertInto('outbox_deliveries').values({ event_id: id, subscriber: sub.name, delivered_at: this.clock.now() }).execute();
        });
      } catch (err) {
        failure = err;
        this.log.warn({ err, event_id: id, type: event.type, subscriber: sub.name }, 'event handler failed; will retry');
      }
    }
    const now = this.clock.now();
    if (failure === undefined) {
      await k.updateTable('outbox_events').set({ dispatched_at: now, claimed_until: null, last_error: null }).where('id', '=', id).execute();
      return true;
    }
    const attempts = Number(row.attempts) + 1;
    await k
      .updateTable('outbox_events')
      .set({ attempts, available_at: now + backoffMs(attempts), claimed_until: null, last_error: String((failure as Error)?.message ?? failure).slice(0, 1000) })
      .where('id', '=', id)
      .execute();
    return false;
  }

  /** Events not yet delivered to every subscriber: the operator's view of a stuck consumer. */
  async pending(): Promise<number> {
    const r = await this.db.kysely.selectFrom('outbox_events').select((eb) => eb.fn.countAll().as('n')).where('dispatched_at', 'is', null).executeTakeFirst();
    return Number(r?.n ?? 0);
  }
}
