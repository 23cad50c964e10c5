import { AppError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { Executor } from '../../db/index.ts';
import { inForce, QUALIFICATION_KINDS, requiredQualifications, validateQualification, type QualificationInput, type QualificationKind } from './rules/qualifications.ts';
import { maskResidentId } from './rules/resident-id.ts';
import { capabilities } from './rules/lifecycle.ts';
import { refuse, storeOr404, type StoresDeps } from './stores.context.ts';
import { STORE_EVENTS } from './stores.events.ts';
import type { QualificationRow, StoreRow } from './stores.repo.ts';

export interface Qualification {
  id: string; store_id: string; kind: QualificationKind; label_zh: string;
  /** ID numbers are masked; licence numbers are public on the licence itself */
  number: string; holder_name: string; valid_from_ms: number; valid_to_ms: number | null; file_url: string;
  status: QualificationRow['status']; in_force: boolean; created_at: number;
}
export interface RequiredQualification { kind: QualificationKind; label_zh: string; qualification_id: string | null; in_force: boolean }

export const QUALIFICATION_EXPIRY_JOB = 'stores.qualification_expiry';

/** Qualification documents: validated on upload, one active per kind (a new upload supersedes), expired on schedule. */
export function createQualificationsService(deps: StoresDeps) {
  const { db, repo, clock, outbox, scheduler, config } = deps;

  const toQualification = (r: QualificationRow, unmasked = false): Qualification => ({
    id: r.id, store_id: r.store_id, kind: r.kind as QualificationKind, label_zh: QUALIFICATION_KINDS[r.kind as QualificationKind]?.label_zh ?? r.kind,
    number: r.kind === 'legal_rep_id' && !unmasked ? maskResidentId(r.number) : r.number, holder_name: r.holder_name,
    valid_from_ms: Number(r.valid_from_ms), valid_to_ms: r.valid_to_ms === null ? null : Number(r.valid_to_ms), file_url: r.file_url,
    status: r.status, in_force: r.status === 'active' && inForce({ valid_from_ms: Number(r.valid_from_ms), valid_to_ms: r.valid_to_ms === null ? null : Number(r.valid_to_ms) }, clock.now()),
    created_at: r.created_at,
  });

  const activeRows = (ex: Executor, storeId: string) =>
    repo.q(ex).selectFrom('stores_qualifications').selectAll().where('store_id', '=', storeId).where('status', '=', 'active').orderBy('id').execute();

  return {
    toQualification,
    activeRows,

    /**
     * Adds a document (or replaces the active one of its kind). Allowed while the application is
     * editable, and on a live store for renewals; locked while an operator reviews it.
     */
    async upload(storeId: string, input: QualificationInput): Promise<Qualification> {
      return db.transaction(async (tx) => {
        const store = await storeOr404(repo, tx, storeId, true);
        if (store.status === 'in_review' || store.status === 'closed') {
          throw new AppError('business_rule', 'application_locked', `documents cannot change while the store is ${store.status}`).zh(store.status === 'in_review' ? '审核期间不能修改资质。' : '店铺已关闭。');
        }
        const now = clock.now();
        const v = validateQualification(input, { subject: store.subject_type, storeUscc: store.uscc, nowMs: now });
        if (!v.ok) throw refuse(v);
        await repo.q(tx).updateTable('stores_qualifications').set({ status: 'superseded', updated_at: now })
          .where('store_id', '=', storeId).where('kind', '=', input.kind).where('status', '=', 'active').execute();
        const row: QualificationRow = {
          id: newId('qul'), store_id: storeId, kind: input.kind, number: v.value.number, holder_name: input.holder_name.trim(), valid_from_ms: input.valid_from_ms,
          valid_to_ms: input.valid_to_ms, file_url: input.file_url, status: 'active', created_at: now, updated_at: now,
        };
        await repo.q(tx).insertInto('stores_qualifications').values(row).execute();
        if (input.kind === 'business_license' && store.uscc === null) {
          await repo.q(tx).updateTable('stores_stores').set({ uscc: v.value.number, updated_at: now }).where('id', '=', storeId).execute();
        }
        if (row.valid_to_ms !== null) {
          await scheduler.schedule(tx, { kind: QUALIFICATION_EXPIRY_JOB, run_at: row.valid_to_ms, payload: { qualification_id: row.id }, dedupe_key: `stores:qualification_expiry:${row.id}` });
        }
        return toQualification(row);
      });
    },

    /** The store's documents, newest first; `all` includes superseded ones; `unmasked` is for reviewers only. */
    async list(storeId: string, opts: { all?: boolean; unmasked?: boolean } = {}): Promise<Qualification[]> {
      let query = repo.q().selectFrom('stores_qualifications').selectAll().where('store_id', '=', storeId).orderBy('id', 'desc');
      if (!opts.all) query = query.where('status', '<>', 'superseded');
      return (await query.execute()).map((r) => toQualification(r, opts.unmasked));
    },

    /** The checklist the merchant sees: each required kind and whether a document in force covers it. */
    async checklist(ex: Executor, store: StoreRow): Promise<RequiredQualification[]> {
      const active = await activeRows(ex, store.id);
      const now = clock.now();
      return requiredQualifications(store.subject_type, store.main_category_code, config.categoryQualifications).map((kind) => {
        const doc = active.find((q) => q.kind === kind);
        return {
          kind, label_zh: QUALIFICATION_KINDS[kind].label_zh, qualification_id: doc?.id ?? null,
          in_force: !!doc && inForce({ valid_from_ms: Number(doc.valid_from_ms), valid_to_ms: doc.valid_to_ms === null ? null : Number(doc.valid_to_ms) }, now),
        };
      });
    },

    /** Kinds of the store's documents in force now (e.g. ['legal_rep_id', 'business_license', 'food_license']). */
    async heldKinds(storeId: string, ex: Executor = db.kysely): Promise<string[]> {
      const now = clock.now();
      return (await activeRows(ex, storeId))
        .filter((q) => inForce({ valid_from_ms: Number(q.valid_from_ms), valid_to_ms: q.valid_to_ms === null ? null : Number(q.valid_to_ms) }, now))
        .map((q) => q.kind);
    },

    /** The expiry job: an active document past its end becomes expired; catalog is told to delist. */
    async expireDue(tx: Executor, qualificationId: string): Promise<void> {
      const now = clock.now();
      const row = await repo.q(tx).selectFrom('stores_qualifications').selectAll().where('id', '=', qualificationId).executeTakeFirst();
      if (!row || row.status !== 'active' || row.valid_to_ms === null || Number(row.valid_to_ms) > now) return;
      await repo.q(tx).updateTable('stores_qualifications').set({ status: 'expired', updated_at: now }).where('id', '=', row.id).where('status', '=', 'active').execute();
      await outbox.emit(tx, STORE_EVENTS.qualificationExpired, row.store_id, { store_id: row.store_id, qualification_id: row.id, kind: row.kind, expired_at: Number(row.valid_to_ms) });
    },

    mayEdit: (store: StoreRow) => capabilities(store.status).may_edit_application,
  };
}
export type QualificationsService = ReturnType<typeof createQualificationsService>;
