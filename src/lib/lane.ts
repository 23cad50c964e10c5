/**
 * A lane: a bound on how many tasks of one kind do their CPU-bound part at once (a bulkhead),
 * and on how long they may hold one turn of the event loop.
 *
 * During a flash sale every checkout reads and prices synchronously on the embedded engine, so
 * 64 checkouts arriving together would run back to back in one turn of the event loop and a
 * main-venue read that arrived with them would wait behind all of them. In a lane at most
 * `limit` run; the others wait in FIFO order (costing nothing). A finished task hands its slot
 * to the next waiter at once while the current slice (`sliceMs`, counted from the last time the
 * lane resumed from the event loop) lasts, and from a later turn (setImmediate) after that — so
 * the reads and responses that arrived meanwhile are served between slices. Checkout holds its
 * slot only while it reads and prices, not while it waits for the group commit, so the commit
 * batches stay large.
 *
 * A full queue answers 503 `busy` (Retry-After: 1) rather than queueing without bound.
 */
import { AppError } from './errors.ts';

export interface Lane {
  run<T>(fn: () => Promise<T>): Promise<T>;
  readonly stats: { active: number; waiting: number; rejected: number };
}

export function createLane(limit: number, maxWaiting: number, opts: { sliceMs?: number } = {}): Lane {
  const sliceMs = opts.sliceMs ?? 4;
  const waiting: (() => void)[] = [];
  const stats = { active: 0, waiting: 0, rejected: 0 };
  let scheduled = false;
  let sliceStart = performance.now();

  function startWaiters(): void {
    while (stats.active < limit && waiting.length > 0) {
      stats.active++;
      waiting.shift()!();
    }
    stats.waiting = waiting.length;
  }
  function resume(): void {
    scheduled = false;
    sliceStart = performance.now();
    startWaiters();
  }
  function handOn(): void {
    if (waiting.length === 0) return;
    if (performance.now() - sliceStart < sliceMs) startWaiters();
    else if (!scheduled) {
      scheduled = true;
      setImmediate(resume);
    }
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
        });
      }
      try {
        return await fn();
      } finally {
        stats.active--;
        handOn();
      }
    },
  };
}
