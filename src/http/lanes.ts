/**
 * Lanes: a bound on how many requests of one kind run their handlers at once (a bulkhead).
 *
 * During a flash sale every checkout does its reads and pricing synchronously on the embedded
 * engine, so 64 checkouts arriving together run back to back in one turn of the event loop
 * and a main-venue read that arrived with them waits behind all of them. With a lane, at most
 * `limit` checkouts are in their handler; the others wait in FIFO order (costing nothing), and
 * waiters are started from later turns of the event loop (setImmediate), one per turn, so the
 * reads and responses that arrived in between are served first. Throughput is unchanged (the work is the same; group commit
 * still batches what is in flight), latency is fairer and reads keep theirs.
 *
 * A full queue answers 503 `busy` (Retry-After: 1) rather than queueing without bound.
 */
import type { RouteOptions } from 'fastify';
import { AppError } from '../lib/errors.ts';

export interface Lane {
  run<T>(fn: () => Promise<T>): Promise<T>;
  readonly stats: { active: number; waiting: number; rejected: number };
}

export function createLane(limit: number, maxWaiting: number): Lane {
  const waiting: (() => void)[] = [];
  const stats = { active: 0, waiting: 0, rejected: 0 };
  let scheduled = false;

  // A freed slot is handed on from a later turn of the event loop, one waiter per turn: a batch
  // of checkouts finishing together (one group commit) must not start the next batch's
  // synchronous work all in one go, ahead of every read that arrived meanwhile.
  function startNext(): void {
    scheduled = false;
    if (stats.active < limit && waiting.length > 0) {
      stats.active++;
      waiting.shift()!();
      stats.waiting = waiting.length;
    }
    if (stats.active < limit && waiting.length > 0) schedule();
  }
  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    setImmediate(startNext);
  }

  return {
    stats,
    async run<T>(fn: () => Promise<T>): Promise<T> {
      if (limit <= 0) return fn();
      if (stats.active < limit && waiting.length === 0) stats.active++;
      else {
        if (waiting.length >= maxWaiting) {
          stats.rejected++;
          throw new AppError('unavailable', 'busy', 'too many requests of this kind are waiting; retry in a moment', undefined, { 'retry-after': '1' }).zh('当前排队人数过多，请稍后重试');
        }
        await new Promise<void>((resolve) => {
          waiting.push(resolve);
          stats.waiting = waiting.length;
          schedule();
        });
      }
      try {
        return await fn();
      } finally {
        stats.active--;
        if (waiting.length > 0) schedule();
      }
    },
  };
}

/** Wraps the handler of every route whose config names a lane. Add before the routes are registered. */
export function laneHook(lanes: Record<string, Lane>) {
  return (route: RouteOptions): void => {
    const name = (route.config as { lane?: string } | undefined)?.lane;
    if (!name) return;
    const lane = lanes[name];
    if (!lane) throw new Error(`route ${route.method} ${route.url}: unknown lane ${name}`);
    const handler = route.handler;
    route.handler = function laned(this: unknown, request, reply) {
      return lane.run(() => Promise.resolve(handler.call(this as never, request, reply)));
    };
  };
}
