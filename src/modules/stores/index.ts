import type { Clock } from '../../lib/clock.ts';
import { AppError } from '../../lib/errors.ts';
import type { Db, Executor } from '../../db/index.ts';
import type { Outbox } from '../../db/outbox.ts';
import type { Scheduler } from '../../db/scheduler.ts';
import type { IdentityModule } from '../identity/index.ts';
import type { LedgerModule } from '../ledger/index.ts';
import { createApplicationService } from './application.service.ts';
import { BRAND_EXPIRY_JOB, createBrandsService } from './brands.service.ts';
import { createDepositsService } from './deposits.service.ts';
import { createLinkedAccountsService } from './linked-accounts.service.ts';
import { createNamingService } from './naming.service.ts';
import { createQualificationsService, QUALIFICATION_EXPIRY_JOB } from './qualifications.service.ts';
import { createScoreService, SCORE_JOB } from './score.service.ts';
import { DEFAULT_STORES_CONFIG, storeOr404, type StoresConfig } from './stores.context.ts';
import { createStoresRepo } from './stores.repo.ts';
import { createStoresService, toStoreDetail } from './stores.service.ts';

export type { Store, StoreDetail, CreateStoreInput } from './stores.service.ts';
export type { SubjectType, StoreStatus, DecisionRow as ReviewDecision, LinkedAccountRow as LinkedAccount, NameHistoryRow as NameChange } from './stores.repo.ts';
export type { Finding, ApplicationPatch } from './application.service.ts';
export type { Qualification, RequiredQualification } from './qualifications.service.ts';
export type { BrandApplicationInput, BrandCert, CertifiedBrand, TrademarkInput, AuthorizationInput } from './brands.service.ts';
export type { DepositView } from './deposits.service.ts';
export type { LinkedAccountKind } from './linked-accounts.service.ts';
export type { QualificationKind, QualificationInput } from './rules/qualifications.ts';
export type { ScoreInputs } from './rules/store-score.ts';
export type { StoresConfig } from './stores.context.ts';
export { QUALIFICATION_KINDS } from './rules/qualifications.ts';
export { LINKED_ACCOUNT_KINDS } from './linked-accounts.service.ts';
export { capabilities } from './rules/lifecycle.ts';
/** Valid codes with their check characters, for fixtures and demo data. */
export { buildUscc, validateUscc } from './rules/uscc.ts';
export { buildResidentId } from './rules/resident-id.ts';
/**
 * Events (outbox; aggregate_id = store id) — payload shapes in stores.events.ts:
 *   store.created, store.submitted, store.status_changed {store_id, from, to, action, reason, actor_id},
 *   store.opened, store.updated, store.renamed {store_id, from, to, actor_id},
 *   store.deposit_changed {store_id, transfer_id, reason, amount_minor, balance_minor, currency},
 *   store.brand_applied, store.brand_certified {store_id, cert_id, brand_name, badge, expires_at},
 *   store.brand_rejected,
 *   store.brand_revoked {store_id, cert_id, brand_name, badge, reason, revoked_at}
 *       → catalog delists the store's products of brand_name (reason: trademark_expired |
 *         authorization_expired | store_closed | an operator's text),
 *   store.qualification_expired {store_id, qualification_id, kind, expired_at}
 *       → catalog delists the store's products in categories requiring `kind` (e.g. food_license),
 *   store.linked_accounts_changed {store_id, change: linked|unlinked, link_id, kind, external_id}.
 */
export { STORE_EVENTS } from './stores.events.ts';
export type * from './stores.events.ts';

/**
 * Merchant stores: onboarding (application, qualifications, review), deposits (through the
 * ledger), brand certification, naming rules, linked content accounts and the store score.
 * Rules are pure functions in ./rules; see README.md for the lifecycle and the limits.
 * Registers its scheduler jobs (document and brand expiry, the daily score) on creation.
 */
export function createStoresModule(deps: { db: Db; clock: Clock; outbox: Outbox; identity: IdentityModule; ledger: LedgerModule; scheduler: Scheduler; config?: Partial<StoresConfig> }) {
  const repo = createStoresRepo(deps.db);
  const base = { ...deps, repo, config: { ...DEFAULT_STORES_CONFIG, ...deps.config } };
  const naming = createNamingService(base);
  const qualifications = createQualificationsService(base);
  const deposits = createDepositsService(base);
  const brands = createBrandsService(base);
  const linked = createLinkedAccountsService(base);
  const score = createScoreService(base);
  const application = createApplicationService({ ...base, naming, qualifications, deposits, brands, linked });
  const core = createStoresService({ ...base, naming });

  deps.scheduler.register(QUALIFICATION_EXPIRY_JOB, (job, tx) => qualifications.expireDue(tx, job.payload.qualification_id));
  deps.scheduler.register(BRAND_EXPIRY_JOB, (job, tx) => brands.expireDue(tx, job.payload.cert_id));
  deps.scheduler.register(SCORE_JOB, async (_job, tx) => {
    await score.recomputeAll(tx);
    await score.scheduleNext(tx);
  });

  const detail = async (storeId: string, ex: Executor = deps.db.kysely) => toStoreDetail(await storeOr404(repo, ex, storeId));

  return {
    ...core,
    // --- application and review ---------------------------------------------------------
    updateApplication: async (storeId: string, patch: Parameters<typeof application.update>[1]) => toStoreDetail(await application.update(storeId, patch)),
    applicationChecks: application.checks,
    submitApplication: async (storeId: string, actorId: string) => toStoreDetail(await application.submit(storeId, actorId)),
    approveApplication: async (storeId: string, operatorId: string, note: string | null = null) => toStoreDetail(await application.approve(storeId, operatorId, note)),
    rejectApplication: async (storeId: string, operatorId: string, reason: string) => toStoreDetail(await application.reject(storeId, operatorId, reason)),
    requestMoreInfo: async (storeId: string, operatorId: string, request: string) => toStoreDetail(await application.requestMore(storeId, operatorId, request)),
    restrictStore: async (storeId: string, operatorId: string, reason: string) => toStoreDetail(await application.restrict(storeId, operatorId, reason)),
    suspendStore: async (storeId: string, operatorId: string, reason: string) => toStoreDetail(await application.suspend(storeId, operatorId, reason)),
    reinstateStore: async (storeId: string, operatorId: string, reason: string) => toStoreDetail(await application.reinstate(storeId, operatorId, reason)),
    closeStore: async (storeId: string, operatorId: string, reason: string) => toStoreDetail(await application.close(storeId, operatorId, reason)),
    reviewQueue: async (opts: { limit?: number; cursor?: string }) => {
      const page = await application.reviewQueue(opts);
      return { items: page.items.map(toStoreDetail), next_cursor: page.next_cursor };
    },
    decisions: application.decisions,
    // --- qualifications ----------------------------------------------------------------------
    uploadQualification: qualifications.upload,
    listQualifications: qualifications.list,
    /** Qualification kinds the store holds in force now (catalog: categories that require e.g. food_license). */
    heldQualifications: qualifications.heldKinds,
    qualificationChecklist: async (storeId: string) => qualifications.checklist(deps.db.kysely, await storeOr404(repo, deps.db.kysely, storeId)),
    // --- naming ------------------------------------------------------------------------------
    renameStore: async (storeId: string, name: string, actorId: string | null) => toStoreDetail(await naming.rename(storeId, name, actorId)),
    nameHistory: naming.nameHistory,
    renamesRemaining: async (storeId: string) => naming.renamesRemaining(await storeOr404(repo, deps.db.kysely, storeId)),
    /**
     * A proposed name against the naming rules and the names in use, saving nothing: the
     * onboarding form shows the failed rule before the merchant submits. `storeId`: the store
     * being renamed (its certified brands count, its own name is not "taken").
     */
    async checkStoreName(name: string, storeId: string | null): Promise<{ ok: true; name: string } | { ok: false; code: string; message: string; message_zh: string; details?: unknown }> {
      const ex = deps.db.kysely;
      const store = storeId ? await storeOr404(repo, ex, storeId) : null;
      const v = await naming.checkName(ex, name, store);
      if (!v.ok) return v;
      try {
        await naming.assertNameFree(ex, v.value.unique_key, v.value.display_name, storeId);
      } catch (err) {
        if (!(err instanceof AppError) || err.kind !== 'conflict') throw err;
        return { ok: false, code: err.code, message: err.message, message_zh: err.message_zh ?? err.message };
      }
      return { ok: true, name: v.value.display_name };
    },
    // --- deposits (ledger) -------------------------------------------------------------------
    depositView: deposits.view,
    /** For the payments module: a confirmed deposit payment, `transfer_id` being the payment's id. */
    recordDepositPayment: deposits.recordPayment,
    /**
     * SANDBOX ONLY — stands in for a real payment until the payments module exists: posts the
     * deposit transfer as if the provider had confirmed `payment_ref`. Replaced by payments →
     * recordDepositPayment. Pays the current shortfall when no amount is given.
     */
    async payDepositSandbox(storeId: string, input: { amount_minor?: number; payment_ref: string; actor_id: string }) {
      const amount = input.amount_minor ?? (await deposits.view(storeId)).shortfall_minor;
      if (amount <= 0) throw new AppError('business_rule', 'nothing_to_pay', 'the deposit is already covered').zh('保证金已足额，无需缴纳。');
      return deposits.recordPayment(storeId, { transfer_id: `sandbox_pay:${input.payment_ref}`, amount_minor: amount, actor_id: input.actor_id, memo: 'sandbox payment' });
    },
    deductDepositPenalty: deposits.deductPenalty,
    depositStatement: deposits.statement,
    // --- brands ------------------------------------------------------------------------------
    applyForBrand: brands.apply,
    approveBrand: brands.approve,
    rejectBrand: brands.reject,
    revokeBrand: brands.revokeByOperator,
    brandQueue: brands.queue,
    listBrandCerts: brands.listForStore,
    /** Names of the brands `storeId` may list now: catalog checks a listing's brand against these. */
    certifiedBrands: brands.certifiedBrandNames,
    /** The same with badge, chain level and expiry. */
    certifiedBrandDetails: brands.certifiedBrands,
    // --- linked content accounts -------------------------------------------------------------
    linkAccount: linked.link,
    unlinkAccount: linked.unlink,
    listLinkedAccounts: linked.list,
    linkedAccountLimit: async (storeId: string) => linked.limitFor(await storeOr404(repo, deps.db.kysely, storeId)),
    storeOfLinkedAccount: linked.storeOfAccount,
    // --- store score ---------------------------------------------------------------------------
    /** Sets a store's score inputs (see score.service.ts: fed by tests/seed now, by other modules later). */
    setScoreInputs: score.setScoreInputs,
    recomputeScores: (ex: Executor) => score.recomputeAll(ex),
    detail,
    /** Schedules the recurring jobs (idempotent; wire.ts calls it at start). */
    scheduleRecurringJobs: (ex: Executor) => score.scheduleNext(ex),
  };
}
export type StoresModule = ReturnType<typeof createStoresModule>;
