import type { Clock } from '../../lib/clock.ts';
import { MINUTE_MS } from '../../lib/clock.ts';
import type { Executor } from '../../db/index.ts';
import { tables } from '../../db/index.ts';
import type { IdentityTables } from './identity.repo.ts';

/**
 * Failed-attempt throttling stored in the database (so it holds across processes):
 * a fixed window per key; at `max` failures the key is locked for `lock_ms`.
 */
export interface ThrottlePolicy {
  max: number;
  window_ms: number;
  lock_ms: number;
}

export const LOGIN_PER_ACCOUNT: ThrottlePolicy = { max: 5, window_ms: 15 * MINUTE_MS, lock_ms: 15 * MINUTE_MS };
export const LOGIN_PER_IP: ThrottlePolicy = { max: 50, window_ms: 15 * MINUTE_MS, lock_ms: 15 * MINUTE_MS };

export function createThrottle(clock: Clock, ex: () => Executor) {
  const q = () => tables<IdentityTables>(ex());
  return {
    /** ms until the key may try again, or 0. */
    async retryAfterMs(key: string): Promise<number> {
      const row = await q().selectFrom('identity_throttle').select('locked_until').where('key', '=', key).executeTakeFirst();
      const now = clock.now();
      return row?.locked_until && row.locked_until > now ? Number(row.locked_until) - now : 0;
    },
    async fail(key: string, policy: ThrottlePolicy): Promise<void> {
      const now = clock.now();
      const row = await q().selectFrom('identity_throttle').selectAll().where('key', '=', key).executeTakeFirst();
      if (!row) {
        await q()
          .insertInto('identity_throttle')
          .values({ key, window_start: now, failures: 1, locked_until: policy.max <= 1 ? now + policy.lock_ms : null })
          .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({ failures: eb('identity_throttle.failures', '+', 1) })))
          .execute();
        return;
      }
      const inWindow = now - Number(row.window_start) < policy.window_ms;
      const failures = inWindow ? Number(row.failures) + 1 : 1;
      await q()
        .updateTable('identity_throttle')
        .set({ failures, window_start: inWindow ? row.window_start : now, locked_until: failures >= policy.max ? now + policy.lock_ms : row.locked_until })
        .where('key', '=', key)
        .execute();
    },
    async reset(key: string): Promise<void> {
      await q().deleteFrom('identity_throttle').where('key', '=', key).execute();
    },
  };
}
export type Throttle = ReturnType<typeof createThrottle>;
