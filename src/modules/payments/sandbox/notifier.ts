import type { Clock } from '../../../lib/clock.ts';
import { MINUTE_MS, SECOND_MS, HOUR_MS } from '../../../lib/clock.ts';
import type { SandboxDelivery, SandboxStore } from './state.ts';

/**
 * Asynchronous notification delivery, WeChat-Pay-style: the first attempt as soon as the
 * event happens, then retries after each interval of the schedule until the receiver answers
 * 200 or 204 (then it stops) or the schedule runs out (then it gives up, as WeChat Pay does
 * after ~24 h). Time comes from the injected clock; nothing is sent until tick() runs, so a
 * test decides when deliveries happen and moves time between them.
 *
 * Chaos, on request: `duplicate_rate` sends a second copy of a notification (same id, same
 * body), `reorder` delivers the notifications due in one tick newest-first.
 */

/** 15s/15s/30s/3m/10m/20m/30m/30m/30m/60m/3h/3h/3h/6h/6h — WeChat Pay's published retry intervals. */
export const WECHAT_RETRY_SCHEDULE_MS: readonly number[] = [
  15 * SECOND_MS, 15 * SECOND_MS, 30 * SECOND_MS, 3 * MINUTE_MS, 10 * MINUTE_MS, 20 * MINUTE_MS,
  30 * MINUTE_MS, 30 * MINUTE_MS, 30 * MINUTE_MS, 60 * MINUTE_MS, 3 * HOUR_MS, 3 * HOUR_MS, 3 * HOUR_MS, 6 * HOUR_MS, 6 * HOUR_MS,
];

export interface ChaosOptions {
  /** 0..1: chance that a notification is also delivered a second time. 1 = always. */
  duplicate_rate?: number;
  /** Deliver what is due in one tick newest-first, so e.g. a refund notification overtakes its payment's. */
  reorder?: boolean;
  /** Randomness for duplicate_rate (tests pass a deterministic one). */
  random?: () => number;
}

export interface DeliveryAttempt {
  seq: number;
  notification_id: string;
  event_type: string;
  notify_url: string;
  attempt: number;
  http_status: number | null;
  error?: string;
  outcome: 'delivered' | 'retry' | 'gave_up';
}

export interface NotifierDeps {
  store: SandboxStore;
  clock: Clock;
  /** Signs one delivery of `body`: the Wechatpay-* headers. */
  sign: (body: string) => Record<string, string>;
  fetch?: typeof fetch;
  schedule_ms?: readonly number[];
  timeout_ms?: number;
  chaos?: ChaosOptions;
}

export function createNotifier(deps: NotifierDeps) {
  const { store, clock } = deps;
  const doFetch = deps.fetch ?? fetch;
  const schedule = deps.schedule_ms ?? WECHAT_RETRY_SCHEDULE_MS;
  const timeout_ms = deps.timeout_ms ?? 5_000;
  const random = deps.chaos?.random ?? Math.random;
  let running: Promise<DeliveryAttempt[]> = Promise.resolve([]);

  function enqueue(n: { notification_id: string; event_type: string; notify_url: string; body: string }): void {
    const copies = random() < (deps.chaos?.duplicate_rate ?? 0) ? 2 : 1;
    for (let i = 0; i < copies; i++) {
      store.books.deliveries.push({
        seq: store.books.next_seq++,
        ...n,
        status: 'pending',
        attempts: 0,
        next_attempt_at_ms: clock.now(),
        duplicate: i > 0,
        history: [],
      });
    }
    store.save();
  }

  /** A success is 200 or 204; a 200 whose JSON body says code FAIL (the older reply style) is not. */
  async function attempt(d: SandboxDelivery): Promise<{ http_status: number | null; ok: boolean; error?: string }> {
    try {
      const res = await doFetch(d.notify_url, { method: 'POST', headers: deps.sign(d.body), body: d.body, signal: AbortSignal.timeout(timeout_ms) });
      const text = await res.text();
      let saysFail = false;
      try {
        saysFail = (JSON.parse(text) as { code?: unknown })?.code === 'FAIL';
      } catch {
        // no JSON body: fine
      }
      return { http_status: res.status, ok: (res.status === 200 || res.status === 204) && !saysFail };
    } catch (e) {
      return { http_status: null, ok: false, error: (e as Error).message };
    }
  }

  async function run(): Promise<DeliveryAttempt[]> {
    const now = clock.now();
    const due = store.books.deliveries
      .filter((d) => d.status === 'pending' && d.next_attempt_at_ms <= now)
      .sort((a, b) => a.next_attempt_at_ms - b.next_attempt_at_ms || a.seq - b.seq);
    if (deps.chaos?.reorder) due.reverse();
    const report: DeliveryAttempt[] = [];
    for (const d of due) {
      const r = await attempt(d);
      d.attempts++;
      d.history.push({ at_ms: clock.now(), http_status: r.http_status, ...(r.error ? { error: r.error } : {}) });
      let outcome: DeliveryAttempt['outcome'];
      if (r.ok) {
        d.status = 'delivered';
        outcome = 'delivered';
      } else if (d.attempts > schedule.length) {
        d.status = 'gave_up';
        outcome = 'gave_up';
      } else {
        d.next_attempt_at_ms = clock.now() + schedule[d.attempts - 1];
        outcome = 'retry';
      }
      store.save();
      report.push({ seq: d.seq, notification_id: d.notification_id, event_type: d.event_type, notify_url: d.notify_url, attempt: d.attempts, http_status: r.http_status, ...(r.error ? { error: r.error } : {}), outcome });
    }
    return report;
  }

  return {
    enqueue,
    /** Attempts every delivery due at the clock's now. Calls never overlap. */
    tick(): Promise<DeliveryAttempt[]> {
      running = running.then(run, run);
      return running;
    },
    /** When the next pending delivery is due, or null when nothing is pending. */
    nextDueAt(): number | null {
      let min: number | null = null;
      for (const d of store.books.deliveries) if (d.status === 'pending' && (min === null || d.next_attempt_at_ms < min)) min = d.next_attempt_at_ms;
      return min;
    },
    deliveries(): readonly SandboxDelivery[] {
      return store.books.deliveries;
    },
  };
}

export type Notifier = ReturnType<typeof createNotifier>;
