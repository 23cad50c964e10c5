import { Type } from 'typebox';
import type { AppContext } from '../../app/wire.ts';
import { errors, IdParam, Page, PageQuery } from '../schemas.ts';
import type { App } from '../types.ts';
import {
  BrandCertSchema, DecisionSchema, DepositMovementSchema, DepositSchema, presentBrandCert, presentDecision, presentQualification, presentStatementLine, presentStoreDetail,
  QualificationSchema, ReasonBody, StatementLineSchema, StoreDetailSchema,
} from './stores.schemas.ts';

const StoreParams = IdParam('storeId', 'sto');
const CertParams = IdParam('certId', 'bcr');
const tags = ['console: stores'];
const op = { auth: 'operator' as const };

/**
 * The platform console under /api/v1/console (operators only): the application review queue
 * and decisions, brand reviews, restrict / suspend / reinstate / close, and deposit penalties.
 * Every decision is recorded with the operator and shown to the merchant.
 */
export const consoleStoresRoutes = (ctx: AppContext) => async (app: App) => {
  const s = ctx.stores;
  const operatorId = (req: { principal: { account_id: string } | null }) => req.principal!.account_id;

  app.get('/stores/review-queue', {
    config: op, schema: { tags, summary: 'Applications waiting for review, oldest submission first', querystring: PageQuery, response: { 200: Page(StoreDetailSchema), ...errors(400, 401, 403) } },
  }, async (req) => {
    const page = await s.reviewQueue(req.query);
    return { items: page.items.map(presentStoreDetail), next_cursor: page.next_cursor };
  });

  app.get('/stores/:storeId', {
    config: op,
    schema: {
      tags, summary: 'An application as the reviewer sees it: unmasked documents included', params: StoreParams,
      response: { 200: Type.Object({ store: StoreDetailSchema, qualifications: Type.Array(QualificationSchema), decisions: Type.Array(DecisionSchema), deposit: DepositSchema, brands: Type.Array(BrandCertSchema) }), ...errors(401, 403, 404) },
    },
  }, async (req) => {
    const id = req.params.storeId;
    const [store, quals, decisions, deposit, brands] = await Promise.all([s.getStoreDetail(id), s.listQualifications(id, { all: true, unmasked: true }), s.decisions(id), s.depositView(id), s.listBrandCerts(id)]);
    return { store: presentStoreDetail(store), qualifications: quals.map(presentQualification), decisions: decisions.map(presentDecision), deposit, brands: brands.map(presentBrandCert) };
  });

  const decision = (path: string, summary: string, run: (storeId: string, operator: string, text: string) => Promise<Parameters<typeof presentStoreDetail>[0]>, body = ReasonBody) =>
    app.post(`/stores/:storeId/${path}`, {
      config: op, schema: { tags, summary, params: StoreParams, body, response: { 200: StoreDetailSchema, ...errors(400, 401, 403, 404, 409, 422) } },
    }, async (req) => presentStoreDetail(await run(req.params.storeId, operatorId(req), (req.body as { reason?: string }).reason ?? '')));

  decision('approve', 'Approve an application (the checks run again); the store then owes its deposit',
    (id, o, note) => s.approveApplication(id, o, note || null), Type.Object({ reason: Type.Optional(Type.String({ maxLength: 500, description: 'an optional note' })) }, { additionalProperties: false }));
  decision('reject', 'Reject an application with the reason shown to the merchant', s.rejectApplication);
  decision('request-more', 'Send an application back to draft asking for more (the request is shown to the merchant)', s.requestMoreInfo);
  decision('restrict', 'Restrict an open store (still sells, cannot list)', s.restrictStore);
  decision('suspend', 'Suspend a store (hidden from buyers)', s.suspendStore);
  decision('reinstate', 'Lift a restriction or suspension', s.reinstateStore);
  decision('close', 'Close a store for good: deposit refunded, brand badges released, linked accounts unlinked', s.closeStore);

  app.post('/stores/:storeId/deposit/penalties', {
    config: op,
    schema: {
      tags, summary: 'Deduct a penalty from the deposit (ledger: store_deposit_held → platform_penalty_income)', params: StoreParams,
      body: Type.Object({
        amount_minor: Type.Integer({ minimum: 1, maximum: 100_000_000_00 }), reason: Type.String({ minLength: 2, maxLength: 500 }),
        penalty_ref: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{4,64}$', description: 'the violation case number; the same ref deducts once' })),
      }, { additionalProperties: false }),
      response: { 200: DepositMovementSchema, ...errors(400, 401, 403, 404, 409, 422) },
    },
  }, async (req) => {
    const r = await s.deductDepositPenalty(req.params.storeId, { ...req.body, operator_id: operatorId(req) });
    const store = await s.getStore(req.params.storeId);
    return { transfer: { id: r.transfer.id, reason: r.transfer.reason, amount_minor: r.transfer.amount_minor, outcome: r.transfer.outcome }, deposit: r.deposit, store_status: store.status };
  });

  app.get('/stores/:storeId/deposit/statement', {
    config: op, schema: { tags, params: StoreParams, querystring: PageQuery, response: { 200: Page(StatementLineSchema), ...errors(400, 401, 403, 404) } },
  }, async (req) => {
    const page = await s.depositStatement(req.params.storeId, req.query);
    return { items: page.items.map(presentStatementLine), next_cursor: page.next_cursor };
  });

  app.get('/brand-applications', {
    config: op,
    schema: {
      tags, summary: 'Brand applications by status (default pending_review), oldest first',
      querystring: Type.Intersect([PageQuery, Type.Object({ status: Type.Optional(Type.Union([Type.Literal('pending_review'), Type.Literal('certified'), Type.Literal('rejected'), Type.Literal('revoked')])) })]),
      response: { 200: Page(BrandCertSchema), ...errors(400, 401, 403) },
    },
  }, async (req) => {
    const page = await s.brandQueue(req.query as { status?: 'pending_review'; limit?: number; cursor?: string });
    return { items: page.items.map(presentBrandCert), next_cursor: page.next_cursor };
  });

  const brandDecision = (path: string, summary: string, run: (certId: string, operator: string, reason: string) => ReturnType<typeof s.approveBrand>, body: typeof ReasonBody | ReturnType<typeof Type.Object> = ReasonBody) =>
    app.post(`/brand-applications/:certId/${path}`, {
      config: op, schema: { tags, summary, params: CertParams, body, response: { 200: BrandCertSchema, ...errors(400, 401, 403, 404, 409, 422) } },
    }, async (req) => presentBrandCert(await run(req.params.certId, operatorId(req), (req.body as { reason?: string }).reason ?? '')));

  brandDecision('approve', 'Certify (limits are checked again and taken atomically)', (id, o) => s.approveBrand(id, o), Type.Object({}, { additionalProperties: false }));
  brandDecision('reject', 'Reject a brand application with a reason', s.rejectBrand);
  brandDecision('revoke', 'Revoke a certification (catalog delists the brand)', s.revokeBrand);

  app.get('/ledger/reconciliation', {
    config: op,
    schema: {
      tags: ['console: ledger'], summary: 'Recompute every balance from the entries and prove the books balance',
      response: { 200: Type.Object({ ok: Type.Boolean(), transfers: Type.Integer(), entries: Type.Integer(), accounts: Type.Integer(), problems: Type.Array(Type.Record(Type.String(), Type.Unknown())) }), ...errors(401, 403) },
    },
  }, async () => ctx.ledger.reconcile());
};
