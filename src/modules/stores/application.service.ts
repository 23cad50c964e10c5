import { sql } from 'kysely';
import { AppError } from '../../lib/errors.ts';
import { clampLimit, decodeCursor, toPage, type Page } from '../../lib/page.ts';
import type { Executor } from '../../db/index.ts';
import { checkUsccForSubject } from './rules/qualifications.ts';
import type { StoreAction } from './rules/lifecycle.ts';
import type { BrandsService } from './brands.service.ts';
import type { DepositsService } from './deposits.service.ts';
import type { LinkedAccountsService } from './linked-accounts.service.ts';
import type { NamingService } from './naming.service.ts';
import type { QualificationsService } from './qualifications.service.ts';
import { moveStore, refuse, storeOr404, type StoresDeps } from './stores.context.ts';
import { STORE_EVENTS } from './stores.events.ts';
import type { DecisionRow, StoreRow } from './stores.repo.ts';

/** One reason an application cannot go to review yet, in both languages. */
export interface Finding { code: string; message: string; message_zh: string; details?: unknown }

export interface ApplicationPatch { company_name?: string; trade_name?: string | null; uscc?: string; main_category_code?: string | null }

const incomplete = (findings: Finding[]) =>
  new AppError('business_rule', 'application_incomplete', `the application is not complete: ${findings.map((f) => f.code).join(', ')}`, { findings })
    .zh(`申请资料不完整：${findings.map((f) => f.message_zh).join('；')}`);

/** The application's review: automatic checks at submission, operator decisions, and the operator's status actions. */
export function createApplicationService(deps: StoresDeps & { naming: NamingService; qualifications: QualificationsService; deposits: DepositsService; brands: BrandsService; linked: LinkedAccountsService }) {
  const { db, repo, clock, outbox, naming, qualifications, deposits, brands, linked } = deps;

  async function checks(ex: Executor, store: StoreRow): Promise<Finding[]> {
    const out: Finding[] = [];
    if (!store.uscc) out.push({ code: 'uscc_missing', message: 'The unified social credit code is missing.', message_zh: '缺少统一社会信用代码。' });
    else {
      const u = checkUsccForSubject(store.uscc, store.subject_type);
      if (!u.ok) out.push({ code: u.code, message: u.message, message_zh: u.message_zh, details: u.details });
    }
    for (const item of await qualifications.checklist(ex, store)) {
      if (!item.qualification_id) out.push({ code: 'qualification_missing', message: `Upload the ${item.kind.replace('_', ' ')} document.`, message_zh: `请上传${item.label_zh}。`, details: { kind: item.kind } });
      else if (!item.in_force) out.push({ code: 'qualification_not_in_force', message: `The ${item.kind.replace('_', ' ')} document is not in force.`, message_zh: `${item.label_zh}不在有效期内。`, details: { kind: item.kind } });
    }
    const license = (await qualifications.activeRows(ex, store.id)).find((q) => q.kind === 'business_license');
    if (license && store.uscc && license.number !== store.uscc) {
      out.push({ code: 'license_uscc_mismatch', message: 'The business licence carries a different credit code than the application.', message_zh: '营业执照上的统一社会信用代码与申请信息不一致。' });
    }
    const name = await naming.checkName(ex, store.name, store);
    if (!name.ok) out.push({ code: name.code, message: name.message, message_zh: name.message_zh, details: name.details });
    return out;
  }

  async function operatorMove(storeId: string, action: StoreAction, operatorId: string, reason: string | null, extra: Parameters<typeof moveStore>[5] = {}) {
    return db.transaction(async (tx) => {
      const store = await storeOr404(repo, tx, storeId, true);
      return moveStore(deps, tx, store, action, { actor_role: 'operator', actor_id: operatorId, reason }, extra);
    });
  }

  return {
    checks: async (storeId: string) => checks(db.kysely, await storeOr404(repo, db.kysely, storeId)),

    /** Edits the application's company details (draft or rejected only). */
    async update(storeId: string, patch: ApplicationPatch): Promise<StoreRow> {
      return db.transaction(async (tx) => {
        const store = await storeOr404(repo, tx, storeId, true);
        if (!qualifications.mayEdit(store)) throw new AppError('business_rule', 'application_locked', `the application cannot change while the store is ${store.status}`).zh('当前状态不能修改申请资料。');
        let uscc = store.uscc;
        if (patch.uscc !== undefined) {
          const u = checkUsccForSubject(patch.uscc, store.subject_type);
          if (!u.ok) throw refuse(u);
          uscc = u.value.code;
        }
        const next: StoreRow = {
          ...store, uscc, company_name: patch.company_name?.trim() ?? store.company_name, updated_at: clock.now(),
          trade_name: patch.trade_name === undefined ? store.trade_name : patch.trade_name, main_category_code: patch.main_category_code === undefined ? store.main_category_code : patch.main_category_code,
        };
        await repo.q(tx).updateTable('stores_stores').set({ uscc: next.uscc, company_name: next.company_name, trade_name: next.trade_name, main_category_code: next.main_category_code, updated_at: next.updated_at })
          .where('id', '=', storeId).execute();
        await outbox.emit(tx, STORE_EVENTS.updated, storeId, { store_id: storeId });
        return next;
      });
    },

    /** Merchant submits: the automatic checks run first; any finding keeps the store where it is. */
    async submit(storeId: string, actorId: string): Promise<StoreRow> {
      return db.transaction(async (tx) => {
        const store = await storeOr404(repo, tx, storeId, true);
        if (store.status === 'draft' || store.status === 'rejected') {
          const findings = await checks(tx, store);
          if (findings.length) throw incomplete(findings);
        }
        const now = clock.now();
        const next = await moveStore(deps, tx, store, 'submit', { actor_role: 'merchant', actor_id: actorId }, { submitted_at: now, review_note: null });
        await outbox.emit(tx, STORE_EVENTS.submitted, storeId, { store_id: storeId, submitted_at: now });
        return next;
      });
    },

    /** Approval re-runs the checks (a document may have lapsed in the queue); a store owing no deposit opens at once. */
    async approve(storeId: string, operatorId: string, note: string | null): Promise<StoreRow> {
      return db.transaction(async (tx) => {
        const store = await storeOr404(repo, tx, storeId, true);
        if (store.status === 'in_review') {
          const findings = await checks(tx, store);
          if (findings.length) throw incomplete(findings);
        }
        let next = await moveStore(deps, tx, store, 'approve', { actor_role: 'operator', actor_id: operatorId, reason: note }, { review_note: null });
        if ((await deposits.quote(tx, next)).amount_minor === 0) next = await moveStore(deps, tx, next, 'deposit_settled', { actor_role: 'system', actor_id: null }, { opened_at: clock.now() });
        return next;
      });
    },

    reject: (storeId: string, operatorId: string, reason: string) => operatorMove(storeId, 'reject', operatorId, reason, { review_note: reason }),
    requestMore: (storeId: string, operatorId: string, request: string) => operatorMove(storeId, 'request_more', operatorId, request, { review_note: request }),
    restrict: (storeId: string, operatorId: string, reason: string) => operatorMove(storeId, 'restrict', operatorId, reason, { status_reason: reason }),
    suspend: (storeId: string, operatorId: string, reason: string) => operatorMove(storeId, 'suspend', operatorId, reason, { status_reason: reason }),
    reinstate: (storeId: string, operatorId: string, reason: string) => operatorMove(storeId, 'reinstate', operatorId, reason, { status_reason: null }),

    /** Closing is final: the deposit goes back, brand badges are released, linked accounts unlinked — one transaction. */
    async close(storeId: string, operatorId: string, reason: string): Promise<StoreRow> {
      return db.transaction(async (tx) => {
        const store = await storeOr404(repo, tx, storeId, true);
        const next = await moveStore(deps, tx, store, 'close', { actor_role: 'operator', actor_id: operatorId, reason }, { closed_at: clock.now(), status_reason: reason });
        await deposits.refundAll(tx, next, operatorId);
        await brands.closeAll(tx, next, operatorId);
        await linked.unlinkAll(tx, next.id, operatorId);
        return next;
      });
    },

    async decisions(storeId: string): Promise<DecisionRow[]> {
      return repo.q().selectFrom('stores_review_decisions').selectAll().where('store_id', '=', storeId).orderBy('id', 'desc').execute();
    },

    /** Applications waiting for an operator, oldest submission first. */
    async reviewQueue(opts: { limit?: number; cursor?: string }): Promise<Page<StoreRow>> {
      const limit = clampLimit(opts.limit);
      const after = decodeCursor(opts.cursor);
      let query = repo.q().selectFrom('stores_stores').selectAll().where('status', '=', 'in_review').orderBy('submitted_at').orderBy('id').limit(limit + 1);
      if (after !== undefined) {
        const [at, id] = String(after).split('|');
        if (!/^\d+$/.test(at ?? '') || !id) throw new AppError('validation', 'invalid_cursor', 'cursor is not one this server issued');
        query = query.where(sql<boolean>`(submitted_at > ${Number(at)} or (submitted_at = ${Number(at)} and id > ${id}))`);
      }
      return toPage(await query.execute(), limit, (s) => `${s.submitted_at}|${s.id}`);
    },
  };
}
export type ApplicationService = ReturnType<typeof createApplicationService>;
