import type { Clock } from '../../lib/clock.ts';
import { notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { Logger } from '../../lib/logger.ts';
import { clampLimit, decodeCursor, toPage, type Page } from '../../lib/page.ts';
import type { Executor } from '../../db/index.ts';
import type { FlagRow, PaymentsRepo } from './payments.repo.ts';

/**
 * Flags: things an operator must look at, recorded durably in the transaction that saw them
 * (an amount mismatch, a payment or refund we never asked for, a refund the provider could
 * not pay out). One flag per dedupe key, so a notification retried for 24 h raises one flag.
 */
export type FlagKind =
  | 'amount_mismatch' | 'unknown_payment' | 'unknown_refund' | 'refund_amount_mismatch' | 'refund_abnormal' | 'refund_closed'
  | 'second_transaction' | 'paid_twice' | 'refund_rejected';

export interface Flag {
  id: string;
  kind: FlagKind;
  ref: string;
  details: Record<string, unknown>;
  status: 'open' | 'resolved';
  created_at: number;
  resolved_at: number | null;
  resolved_by: string | null;
  note: string | null;
}

const toFlag = (r: FlagRow): Flag => ({
  id: r.id, kind: r.kind as FlagKind, ref: r.ref, details: JSON.parse(r.details), status: r.status, created_at: Number(r.created_at),
  resolved_at: r.resolved_at === null ? null : Number(r.resolved_at), resolved_by: r.resolved_by, note: r.note,
});

export function createFlags(deps: { repo: PaymentsRepo; clock: Clock; log: Logger }) {
  const { repo, clock, log } = deps;
  return {
    /** Records the flag once per dedupe key (in the caller's transaction). */
    async raise(tx: Executor, f: { kind: FlagKind; ref: string; dedupe_key: string; details: Record<string, unknown> }): Promise<void> {
      const r = await repo.q(tx).insertInto('payments_flags').values({
        id: newId('pfl'), kind: f.kind, ref: f.ref, dedupe_key: f.dedupe_key, details: JSON.stringify(f.details), status: 'open', created_at: clock.now(),
        resolved_at: null, resolved_by: null, note: null,
      }).onConflict((oc) => oc.column('dedupe_key').doNothing()).executeTakeFirst();
      if (Number(r.numInsertedOrUpdatedRows ?? 0n) === 1) log.warn({ flag: f.kind, ref: f.ref, details: f.details }, 'payments flag raised');
    },

    async listFlags(opts: { status?: 'open' | 'resolved'; limit?: number; cursor?: string }): Promise<Page<Flag>> {
      const limit = clampLimit(opts.limit);
      const after = decodeCursor(opts.cursor);
      let s = repo.q().selectFrom('payments_flags').selectAll().orderBy('id', 'desc').limit(limit + 1);
      if (opts.status) s = s.where('status', '=', opts.status);
      if (after !== undefined) s = s.where('id', '<', String(after));
      return toPage((await s.execute()).map(toFlag), limit, (f) => f.id);
    },

    async resolveFlag(id: string, actorId: string, note: string): Promise<Flag> {
      await repo.q().updateTable('payments_flags').set({ status: 'resolved', resolved_at: clock.now(), resolved_by: actorId, note })
        .where('id', '=', id).where('status', '=', 'open').execute();
      const r = await repo.q().selectFrom('payments_flags').selectAll().where('id', '=', id).executeTakeFirst();
      if (!r) throw notFound('payment_flag', id);
      return toFlag(r);
    },
  };
}
export type Flags = ReturnType<typeof createFlags>;
