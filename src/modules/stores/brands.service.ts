import { AppError, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { clampLimit, decodeCursor, toPage, type Page } from '../../lib/page.ts';
import type { Executor } from '../../db/index.ts';
import { checkBadgeEligibility, decideBrandBadge, type AuthorizationLink, type BadgeCounts } from './rules/brand-limits.ts';
import { normalizeStoreName, type BrandBadge } from './rules/store-name.ts';
import { displayForm } from './rules/name-text.ts';
import { validateUscc } from './rules/uscc.ts';
import { ruleFail } from './rules/rule-result.ts';
import { recordDecision, refuse, storeOr404, type StoresDeps } from './stores.context.ts';
import { STORE_EVENTS } from './stores.events.ts';
import type { BrandCertRow, StoreRow } from './stores.repo.ts';

export interface TrademarkInput {
  registration_number: string; nice_class: number; status: 'R' | 'TM'; owner_name: string; owner_uscc: string;
  valid_from_ms: number; valid_to_ms: number; file_url: string;
}
/** One authorisation letter: `licensor` grants `licensee` the right to sell the brand. */
export interface AuthorizationInput {
  licensor_name: string; licensor_uscc: string; licensee_name: string; licensee_uscc: string; exclusive: boolean;
  valid_from_ms: number; valid_to_ms: number; file_url: string;
}
export interface BrandApplicationInput {
  brand_name: string;
  badge: BrandBadge;
  trademark: TrademarkInput;
  /** the chain from the trademark owner to the applying company, owner's grant first; empty when the applicant owns the trademark */
  authorizations: AuthorizationInput[];
}
export interface BrandCert {
  id: string; store_id: string; brand_name: string; badge: BrandBadge; status: BrandCertRow['status']; status_reason: string | null; level: number;
  trademark: TrademarkInput; authorizations: AuthorizationInput[]; expires_at: number | null; decided_by: string | null; decided_at: number | null; created_at: number;
}
/** What catalog asks when a listing names a brand: the store may sell these. */
export interface CertifiedBrand { cert_id: string; brand_name: string; badge: BrandBadge; level: number; expires_at: number }

export const toBrandCert = (r: BrandCertRow): BrandCert => ({
  id: r.id, store_id: r.store_id, brand_name: r.brand_name, badge: r.badge, status: r.status, status_reason: r.status_reason, level: r.level,
  trademark: {
    registration_number: r.tm_registration_number, nice_class: r.tm_nice_class, status: r.tm_status, owner_name: r.tm_owner_name, owner_uscc: r.tm_owner_id,
    valid_from_ms: Number(r.tm_valid_from_ms), valid_to_ms: Number(r.tm_valid_to_ms), file_url: r.tm_file_url,
  },
  authorizations: JSON.parse(r.chain), expires_at: r.expires_at_ms === null ? null : Number(r.expires_at_ms), decided_by: r.decided_by, decided_at: r.decided_at, created_at: r.created_at,
});

export const BRAND_EXPIRY_JOB = 'stores.brand_cert_expiry';
const URL_RE = /^https?:\/\/\S+$/;

export function createBrandsService(deps: StoresDeps) {
  const { db, repo, clock, outbox, scheduler, config } = deps;
  const limits = config.brandLimits;
  const scopeOf = (badge: BrandBadge, companyKey: string) => (badge === 'brand_owned' ? 'owned' : `authorized:${companyKey}`);

  async function counts(ex: Executor, brandKey: string, companyKey: string): Promise<BadgeCounts> {
    const rows = await repo.q(ex).selectFrom('stores_brand_quota').select(['scope', 'used']).where('brand_key', '=', brandKey).where('scope', 'in', ['owned', `authorized:${companyKey}`]).execute();
    const used = (scope: string) => Number(rows.find((r) => r.scope === scope)?.used ?? 0);
    return { brandOwnedStoresForBrand: used('owned'), companyAuthorizedStoresForBrand: used(`authorized:${companyKey}`) };
  }

  function decide(row: BrandCertRow, c: BadgeCounts) {
    const links: AuthorizationLink[] = (JSON.parse(row.chain) as AuthorizationInput[]).map((a) => ({
      licensor_id: a.licensor_uscc, licensee_id: a.licensee_uscc, exclusive: a.exclusive, valid_from_ms: a.valid_from_ms, valid_to_ms: a.valid_to_ms,
    }));
    return decideBrandBadge({
      badge: row.badge, applicantId: row.company_key, trademarkOwnerId: row.tm_owner_id, links, counts: c, nowMs: clock.now(),
      trademark: { registration_number: row.tm_registration_number, nice_class: row.tm_nice_class, status: row.tm_status, valid_from_ms: Number(row.tm_valid_from_ms), valid_to_ms: Number(row.tm_valid_to_ms) },
    }, limits);
  }

  function normaliseCode(code: string, field: string) {
    const v = validateUscc(code);
    if (!v.ok) throw refuse({ ...v, details: { field, ...(v.details as object | undefined) } });
    return v.value.code;
  }

  async function certOr404(ex: Executor, id: string): Promise<BrandCertRow> {
    const row = await repo.q(ex).selectFrom('stores_brand_certs').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('brand_application', id);
    return row;
  }

  /** Certified → revoked: frees the badge quota, records why, and tells catalog to delist. */
  async function revoke(tx: Executor, cert: BrandCertRow, reason: string, actor: { role: 'operator' | 'system'; id: string | null }): Promise<void> {
    const now = clock.now();
    const r = await repo.q(tx).updateTable('stores_brand_certs').set({ status: 'revoked', status_reason: reason, updated_at: now }).where('id', '=', cert.id).where('status', '=', 'certified').executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return;
    await repo.q(tx).updateTable('stores_brand_quota').set((eb) => ({ used: eb('used', '-', 1) }))
      .where('brand_key', '=', cert.brand_key).where('scope', '=', scopeOf(cert.badge, cert.company_key)).where('used', '>', 0).execute();
    await recordDecision(deps, tx, { store_id: cert.store_id, subject: 'brand', subject_id: cert.id, decision: 'revoke', from_status: 'certified', to_status: 'revoked', reason, actor_role: actor.role, actor_id: actor.id });
    await outbox.emit(tx, STORE_EVENTS.brandRevoked, cert.store_id, { store_id: cert.store_id, cert_id: cert.id, brand_name: cert.brand_name, badge: cert.badge, reason, revoked_at: now });
  }

  return {
    /** A store applies for a badge; the rules run at once (automatic check), an operator decides. */
    async apply(storeId: string, input: BrandApplicationInput, actorId: string): Promise<BrandCert> {
      return db.transaction(async (tx) => {
        const store = await storeOr404(repo, tx, storeId, true);
        if (store.status === 'closed' || store.status === 'suspended') {
          throw new AppError('business_rule', 'store_not_eligible', `a ${store.status} store cannot apply for brand certification`).zh('店铺当前状态不能申请品牌认证。');
        }
        if (!store.uscc) throw refuse(ruleFail('brand_requires_credit_code', 'Add the business licence (credit code) before applying for a brand.', '请先提交营业执照（统一社会信用代码）再申请品牌认证。'));
        const brandName = displayForm(input.brand_name);
        const brandKey = normalizeStoreName(brandName);
        const urls = [input.trademark.file_url, ...input.authorizations.map((a) => a.file_url)];
        if (urls.some((u) => !URL_RE.test(u))) throw refuse(ruleFail('qualification_file_url', 'Every certificate must be an uploaded file (an http(s) URL).', '请上传商标证书与授权书文件（http/https 链接）。'));
        const chain = input.authorizations.map((a, i) => ({ ...a, licensor_uscc: normaliseCode(a.licensor_uscc, `authorizations[${i}].licensor_uscc`), licensee_uscc: normaliseCode(a.licensee_uscc, `authorizations[${i}].licensee_uscc`) }));
        const open = await repo.q(tx).selectFrom('stores_brand_certs').select(['status']).where('store_id', '=', storeId).where('brand_key', '=', brandKey).where('status', 'in', ['pending_review', 'certified']).executeTakeFirst();
        if (open) {
          throw open.status === 'certified'
            ? new AppError('conflict', 'brand_already_certified', `the store is already certified for ${brandName}`).zh(`店铺已获得品牌“${brandName}”认证。`)
            : new AppError('conflict', 'brand_application_pending', `an application for ${brandName} is waiting for review`).zh(`品牌“${brandName}”的认证申请正在审核中。`);
        }
        const now = clock.now();
        const row: BrandCertRow = {
          id: newId('bcr'), store_id: storeId, company_key: store.uscc, brand_name: brandName, brand_key: brandKey, badge: input.badge,
          tm_registration_number: input.trademark.registration_number.trim(), tm_nice_class: input.trademark.nice_class, tm_status: input.trademark.status,
          tm_owner_name: input.trademark.owner_name.trim(), tm_owner_id: normaliseCode(input.trademark.owner_uscc, 'trademark.owner_uscc'),
          tm_valid_from_ms: input.trademark.valid_from_ms, tm_valid_to_ms: input.trademark.valid_to_ms, tm_file_url: input.trademark.file_url,
          chain: JSON.stringify(chain), level: chain.length, status: 'pending_review', status_reason: null, expires_at_ms: null, decided_by: null, decided_at: null, created_at: now, updated_at: now,
        };
        const decision = decide(row, await counts(tx, brandKey, store.uscc));
        if (!decision.ok) throw refuse(decision);
        await repo.q(tx).insertInto('stores_brand_certs').values(row).execute();
        await outbox.emit(tx, STORE_EVENTS.brandApplied, storeId, { store_id: storeId, cert_id: row.id, brand_name: brandName, badge: row.badge, actor_id: actorId });
        return toBrandCert(row);
      });
    },

    /** Operator approval: the rules run again now, and the badge limit is taken by a conditional update. */
    async approve(certId: string, operatorId: string): Promise<BrandCert> {
      return db.transaction(async (tx) => {
        const cert = await certOr404(tx, certId);
        const store = await storeOr404(repo, tx, cert.store_id, true);
        if (cert.status !== 'pending_review') throw new AppError('business_rule', 'brand_application_not_pending', `the application is ${cert.status}`).zh('该品牌申请不在待审核状态。');
        if (store.status === 'closed') throw new AppError('business_rule', 'store_closed', 'the store is closed').zh('店铺已关闭。');
        const decision = decide(cert, await counts(tx, cert.brand_key, cert.company_key));
        if (!decision.ok) throw refuse(decision);
        const scope = scopeOf(cert.badge, cert.company_key);
        const max = cert.badge === 'brand_owned' ? limits.maxBrandOwnedStoresPerBrand : limits.maxAuthorizedStoresPerCompanyPerBrand;
        await repo.q(tx).insertInto('stores_brand_quota').values({ brand_key: cert.brand_key, scope, used: 0 }).onConflict((oc) => oc.columns(['brand_key', 'scope']).doNothing()).execute();
        const took = await repo.q(tx).updateTable('stores_brand_quota').set((eb) => ({ used: eb('used', '+', 1) }))
          .where('brand_key', '=', cert.brand_key).where('scope', '=', scope).where('used', '<', max).executeTakeFirst();
        if (Number(took.numUpdatedRows) !== 1) {
          const full = checkBadgeEligibility(cert.badge, { level: decision.value.level, exclusive: true }, await counts(tx, cert.brand_key, cert.company_key), limits);
          throw refuse(full.ok ? ruleFail('badge_limit', 'The badge limit for this brand is reached.', '该品牌认证名额已满。') : full);
        }
        const now = clock.now();
        await repo.q(tx).updateTable('stores_brand_certs').set({ status: 'certified', level: decision.value.level, expires_at_ms: decision.value.expires_at_ms, decided_by: operatorId, decided_at: now, updated_at: now })
          .where('id', '=', certId).where('status', '=', 'pending_review').execute();
        await scheduler.schedule(tx, { kind: BRAND_EXPIRY_JOB, run_at: decision.value.expires_at_ms, payload: { cert_id: certId }, dedupe_key: `stores:brand_expiry:${certId}` });
        await recordDecision(deps, tx, { store_id: cert.store_id, subject: 'brand', subject_id: certId, decision: 'approve', from_status: 'pending_review', to_status: 'certified', reason: null, actor_role: 'operator', actor_id: operatorId });
        await outbox.emit(tx, STORE_EVENTS.brandCertified, cert.store_id, { store_id: cert.store_id, cert_id: certId, brand_name: cert.brand_name, badge: cert.badge, expires_at: decision.value.expires_at_ms });
        return toBrandCert({ ...cert, status: 'certified', level: decision.value.level, expires_at_ms: decision.value.expires_at_ms, decided_by: operatorId, decided_at: now, updated_at: now });
      });
    },

    async reject(certId: string, operatorId: string, reason: string): Promise<BrandCert> {
      return db.transaction(async (tx) => {
        const cert = await certOr404(tx, certId);
        const now = clock.now();
        const r = await repo.q(tx).updateTable('stores_brand_certs').set({ status: 'rejected', status_reason: reason, decided_by: operatorId, decided_at: now, updated_at: now })
          .where('id', '=', certId).where('status', '=', 'pending_review').executeTakeFirst();
        if (Number(r.numUpdatedRows) !== 1) throw new AppError('business_rule', 'brand_application_not_pending', `the application is ${cert.status}`).zh('该品牌申请不在待审核状态。');
        await recordDecision(deps, tx, { store_id: cert.store_id, subject: 'brand', subject_id: certId, decision: 'reject', from_status: 'pending_review', to_status: 'rejected', reason, actor_role: 'operator', actor_id: operatorId });
        await outbox.emit(tx, STORE_EVENTS.brandRejected, cert.store_id, { store_id: cert.store_id, cert_id: certId, brand_name: cert.brand_name, reason });
        return toBrandCert({ ...cert, status: 'rejected', status_reason: reason, decided_by: operatorId, decided_at: now, updated_at: now });
      });
    },

    async revokeByOperator(certId: string, operatorId: string, reason: string): Promise<BrandCert> {
      return db.transaction(async (tx) => {
        const cert = await certOr404(tx, certId);
        if (cert.status !== 'certified') throw new AppError('business_rule', 'brand_not_certified', `the certification is ${cert.status}`).zh('该品牌未处于认证状态。');
        await revoke(tx, cert, reason, { role: 'operator', id: operatorId });
        return toBrandCert(await certOr404(tx, certId));
      });
    },

    /** The expiry job: revokes a certification whose trademark or authorisation has run out. */
    async expireDue(tx: Executor, certId: string): Promise<void> {
      const cert = await repo.q(tx).selectFrom('stores_brand_certs').selectAll().where('id', '=', certId).executeTakeFirst();
      const now = clock.now();
      if (!cert || cert.status !== 'certified' || cert.expires_at_ms === null || Number(cert.expires_at_ms) > now) return;
      await revoke(tx, cert, Number(cert.tm_valid_to_ms) <= now ? 'trademark_expired' : 'authorization_expired', { role: 'system', id: null });
    },

    /** On closure: certified badges are revoked (freeing the brand's quota), pending applications rejected. */
    async closeAll(tx: Executor, store: StoreRow, operatorId: string): Promise<void> {
      for (const cert of await repo.certifiedCerts(store.id, tx)) await revoke(tx, cert, 'store_closed', { role: 'operator', id: operatorId });
      await repo.q(tx).updateTable('stores_brand_certs').set({ status: 'rejected', status_reason: 'store_closed', decided_by: operatorId, decided_at: clock.now(), updated_at: clock.now() })
        .where('store_id', '=', store.id).where('status', '=', 'pending_review').execute();
    },

    /** Names of the brands the store may sell now — what catalog checks a listing's brand against. */
    async certifiedBrandNames(storeId: string, ex: Executor = db.kysely): Promise<string[]> {
      return (await repo.certifiedCerts(storeId, ex)).map((c) => c.brand_name);
    },

    async certifiedBrands(storeId: string, ex: Executor = db.kysely): Promise<CertifiedBrand[]> {
      return (await repo.certifiedCerts(storeId, ex)).map((c) => ({ cert_id: c.id, brand_name: c.brand_name, badge: c.badge, level: c.level, expires_at: Number(c.expires_at_ms) }));
    },

    async listForStore(storeId: string): Promise<BrandCert[]> {
      return (await repo.q().selectFrom('stores_brand_certs').selectAll().where('store_id', '=', storeId).orderBy('id', 'desc').execute()).map(toBrandCert);
    },

    /** The operators' queue, oldest first. */
    async queue(opts: { status?: BrandCertRow['status']; limit?: number; cursor?: string }): Promise<Page<BrandCert>> {
      const limit = clampLimit(opts.limit);
      const after = decodeCursor(opts.cursor);
      let query = repo.q().selectFrom('stores_brand_certs').selectAll().where('status', '=', opts.status ?? 'pending_review').orderBy('id').limit(limit + 1);
      if (after !== undefined) query = query.where('id', '>', String(after));
      return toPage((await query.execute()).map(toBrandCert), limit, (c) => c.id);
    },
  };
}
export type BrandsService = ReturnType<typeof createBrandsService>;
