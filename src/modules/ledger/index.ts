import type { Clock } from '../../lib/clock.ts';
import type { Db, Executor } from '../../db/index.ts';
import { createLedgerRepo } from './ledger.repo.ts';
import { createLedgerService } from './ledger.service.ts';
import { reconcile } from './reconcile.ts';

export { CHART, REASONS, PLATFORM_OWNER, isAccountCode, isReason, type AccountCode, type AccountKind, type NormalSide, type TransferReason } from './chart.ts';
export type { Account, Transfer, TransferInput, Posted, StatementLine, LedgerFail, LedgerFailCode, LedgerResult } from './ledger.service.ts';
export type { ReconcileReport, ReconcileProblem } from './reconcile.ts';

/**
 * Double-entry ledger, after TigerBeetle: accounts (chart.ts) hold cached posted totals;
 * transfers are append-only, each moving an amount from one account's debit side to another's
 * credit side, written with its two entries and both balance updates in one transaction.
 * Every method takes an Executor, so a flow passes its transaction and the money moves
 * together with whatever else it changes — or not at all. See README.md.
 */
export function createLedgerModule(deps: { db: Db; clock: Clock }) {
  const repo = createLedgerRepo(deps.db);
  const service = createLedgerService({ ...deps, repo });
  return {
    ...service,
    /** Proves the books balance; see reconcile.ts. */
    reconcile: (ex: Executor = deps.db.kysely) => reconcile(ex),
  };
}
export type LedgerModule = ReturnType<typeof createLedgerModule>;
