import type { Clock } from '../../lib/clock.ts';
import { AppError, fromFail, notFound, type ErrorKind } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { Db, Executor } from '../../db/index.ts';
import type { Outbox } from '../../db/outbox.ts';
import type { Scheduler } from '../../db/scheduler.ts';
import type { IdentityModule } from '../identity/index.ts';
import type { LedgerModule } from '../ledger/index.ts';
import { DEFAULT_BRAND_LIMITS, type BrandLimits } from './rules/brand-limits.ts';
import { DEFAULT_DEPOSIT_TABLE, type DepositTable } from './rules/deposits.ts';
import { transition, type StoreAction } from './rules/lifecycle.ts';
import { DEFAULT_CATEGORY_QUALIFICATIONS, type CategoryQualificationTable } from './rules/qualifications.ts';
import { DEFAULT_RENAME_POLICY, DEFAULT_STORE_NAME_POLICY, type RenamePolicy, type StoreNamePolicy } from './rules/store-name.ts';
import { STORE_EVENTS } from './stores.events.ts';
import type { DecisionRow, StoreRow, StoresRepo } from './stores.repo.ts';

/** Platform configuration of the onboarding rules; every field has a default. */
export interface StoresConfig {
  depositTable: DepositTable;
  categoryQualifications: CategoryQualificationTable;
  brandLimits: BrandLimits;
  namePolicy: StoreNamePolicy;
  renamePolicy: RenamePolicy;
  /** words no store name may contain (besides the reserved words, which need a brand badge) */
  bannedWords: readonly string[];
}

export const DEFAULT_BANNED_WORDS: readonly string[] = [
  '国家级', '中央', '央视', '国务院', '政府', '人民', '军队', '部队', '特供', '专供', '国宾', '高仿', '仿牌', 'A货', '原单', '赌场', '博彩', '毒品', '色情',
];

export const DEFAULT_STORES_CONFIG: StoresConfig = {
  depositTable: DEFAULT_DEPOSIT_TABLE,
  categoryQualifications: DEFAULT_CATEGORY_QUALIFICATIONS,
  brandLimits: DEFAULT_BRAND_LIMITS,
  namePolicy: DEFAULT_STORE_NAME_POLICY,
  renamePolicy: DEFAULT_RENAME_POLICY,
  bannedWords: DEFAULT_BANNED_WORDS,
};

export interface StoresDeps {
  db: Db;
  repo: StoresRepo;
  clock: Clock;
  outbox: Outbox;
  scheduler: Scheduler;
  identity: IdentityModule;
  ledger: LedgerModule;
  config: StoresConfig;
}

/** A rule's refusal (a RuleFail value) as the error the HTTP edge shows: code, message, message_zh. */
export function refuse(f: { ok: false; code: string; message: string; message_zh?: string; details?: unknown }, kind: ErrorKind = 'business_rule'): AppError {
  return fromFail(kind, f);
}

export async function storeOr404(repo: StoresRepo, ex: Executor, id: string, lock = false): Promise<StoreRow> {
  const s = lock ? await repo.lockStore(ex, id) : await repo.byId(id, ex);
  if (!s) throw notFound('store', id);
  return s;
}

export async function recordDecision(deps: Pick<StoresDeps, 'repo' | 'clock'>, tx: Executor, d: Omit<DecisionRow, 'id' | 'created_at'>): Promise<DecisionRow> {
  const row: DecisionRow = { id: newId('rvd'), created_at: deps.clock.now(), ...d };
  await deps.repo.q(tx).insertInto('stores_review_decisions').values(row).execute();
  return row;
}

/**
 * Moves a store along the lifecycle table in the caller's transaction: a conditional update on the
 * status it was read in (a concurrent move makes this one fail with 409), the decision record
 * (who, when, why) and the `store.status_changed` event — plus `store.opened` when it opens.
 */
export async function moveStore(
  deps: Pick<StoresDeps, 'repo' | 'clock' | 'outbox'>,
  tx: Executor,
  store: StoreRow,
  action: StoreAction,
  by: { actor_role: DecisionRow['actor_role']; actor_id: string | null; reason?: string | null },
  extra: Partial<Pick<StoreRow, 'submitted_at' | 'review_note' | 'opened_at' | 'closed_at' | 'status_reason'>> = {},
): Promise<StoreRow> {
  const t = transition(store.status, action);
  if (!t.ok) throw refuse(t);
  const now = deps.clock.now();
  const next: StoreRow = { ...store, ...extra, status: t.value, updated_at: now };
  const r = await deps.repo.q(tx).updateTable('stores_stores')
    .set({ status: next.status, updated_at: now, submitted_at: next.submitted_at, review_note: next.review_note, opened_at: next.opened_at, closed_at: next.closed_at, status_reason: next.status_reason })
    .where('id', '=', store.id).where('status', '=', store.status).executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw new AppError('conflict', 'store_status_changed', 'the store changed status meanwhile; reload and try again').zh('店铺状态已变化，请刷新后重试。');
  await recordDecision(deps, tx, {
    store_id: store.id, subject: 'store', subject_id: store.id, decision: action, from_status: store.status, to_status: next.status,
    reason: by.reason ?? null, actor_role: by.actor_role, actor_id: by.actor_id,
  });
  await deps.outbox.emit(tx, STORE_EVENTS.statusChanged, store.id, { store_id: store.id, from: store.status, to: next.status, action, reason: by.reason ?? null, actor_id: by.actor_id });
  if (next.status === 'open' && store.status === 'awaiting_deposit') await deps.outbox.emit(tx, STORE_EVENTS.opened, store.id, { store_id: store.id });
  return next;
}
