import { Type } from 'typebox';
import type { AppContext } from '../../app/wire.ts';
import { AppError } from '../../lib/errors.ts';
import { errors, IdParam, Page, PageQuery } from '../schemas.ts';
import type { App } from '../types.ts';
import {
  BrandApplicationBody, BrandCertSchema, brandInput, CreateStoreBody, dayAfterMs, dayStartMs, DecisionSchema, DepositMovementSchema, DepositSchema, FindingSchema,
  LinkedAccountSchema, NameChangeSchema, presentBrandCert, presentDecision, presentLinkedAccount, presentNameChange, presentQualification, presentStatementLine,
  presentStoreDetail, QualificationBody, QualificationSchema, RequiredQualificationSchema, StatementLineSchema, StoreDetailSchema,
} from './stores.schemas.ts';

const StoreParams = IdParam('storeId', 'sto');
const tags = ['merchant onboarding'];
const ApplicationSchema = Type.Object({
  store: StoreDetailSchema,
  checklist: Type.Array(RequiredQualificationSchema, { description: 'the documents this subject type and main category need' }),
  checks: Type.Array(FindingSchema, { description: 'what the automatic checks would refuse now; empty = ready to submit' }),
  decisions: Type.Array(DecisionSchema),
  deposit: DepositSchema,
  brands: Type.Array(BrandCertSchema),
  renames_remaining: Type.Union([Type.Integer(), Type.Null()], { description: 'null until the store opens (renames during onboarding are free)' }),
});

/**
 * Merchant onboarding under /api/v1/merchant: the application, its documents and review
 * history, the deposit (sandbox payment until the payments module exists), brand
 * certification, renames and linked content accounts. Store-scoped routes check membership
 * (404 for other stores) and the role's permission (403).
 */
export const storesRoutes = (ctx: AppContext) => async (app: App) => {
  const s = ctx.stores;

  app.post('/stores', {
    schema: { tags, summary: 'Start a store application (draft); you become its owner', body: CreateStoreBody, response: { 201: StoreDetailSchema, ...errors(400, 401, 409, 422) } },
  }, async (req, reply) => {
    const { subject_type, ...rest } = req.body;
    if (subject_type === 'personal') {
      throw new AppError('business_rule', 'personal_subject_not_allowed', 'a private person must first register as an individual business (个体工商户)')
        .zh('个人须先办理个体工商户营业执照，再以个体工商户身份开店。');
    }
    const store = await s.createStore({ ...rest, subject_type }, req.principal!.account_id);
    return reply.status(201).send(presentStoreDetail(await s.getStoreDetail(store.id)));
  });

  const NameCheck = Type.Object({
    ok: Type.Boolean(), name: Type.Optional(Type.String({ description: 'the name as it would be stored (trimmed, NFKC)' })),
    code: Type.Optional(Type.String({ description: 'the failed rule: name_length, name_uses_reserved_word, name_uses_protected_brand, store_name_taken …' })),
    message: Type.Optional(Type.String()), message_zh: Type.Optional(Type.String()), details: Type.Optional(Type.Unknown()),
  });
  const NameQuery = Type.Object({ name: Type.String({ minLength: 1, maxLength: 60 }) });
  app.get('/store-names/check', {
    schema: { tags, summary: 'Check a new store name against the naming rules and the names in use (saves nothing; the failed rule is explained)', querystring: NameQuery, response: { 200: NameCheck, ...errors(400, 401) } },
  }, async (req) => s.checkStoreName(req.query.name, null));
  app.get('/stores/:storeId/name-check', {
    config: { permission: 'store.read' },
    schema: { tags, summary: "Check a rename: the store's certified brands count and its own name is not taken", params: StoreParams, querystring: NameQuery, response: { 200: NameCheck, ...errors(400, 401, 404) } },
  }, async (req) => s.checkStoreName(req.query.name, req.params.storeId));

  app.get('/stores/:storeId/application', {
    config: { permission: 'store.read' }, schema: { tags, params: StoreParams, response: { 200: ApplicationSchema, ...errors(401, 404) } },
  }, async (req) => {
    const id = req.params.storeId;
    const [store, checklist, checks, decisions, deposit, brands, renames] = await Promise.all([
      s.getStoreDetail(id), s.qualificationChecklist(id), s.applicationChecks(id), s.decisions(id), s.depositView(id), s.listBrandCerts(id), s.renamesRemaining(id),
    ]);
    return { store: presentStoreDetail(store), checklist, checks, decisions: decisions.map(presentDecision), deposit, brands: brands.map(presentBrandCert), renames_remaining: renames };
  });

  app.patch('/stores/:storeId/application', {
    config: { permission: 'store.manage' },
    schema: {
      tags, summary: 'Edit the company details (draft or rejected applications)', params: StoreParams,
      body: Type.Object({
        company_name: Type.Optional(Type.String({ minLength: 2, maxLength: 100 })), trade_name: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 20 }), Type.Null()])),
        uscc: Type.Optional(Type.String({ minLength: 18, maxLength: 40 })), main_category_code: Type.Optional(Type.Union([Type.String({ pattern: '^[a-z0-9_]+(\\.[a-z0-9_]+)*$', maxLength: 60 }), Type.Null()])),
      }, { additionalProperties: false }),
      response: { 200: StoreDetailSchema, ...errors(400, 401, 403, 404, 422) },
    },
  }, async (req) => presentStoreDetail(await s.updateApplication(req.params.storeId, req.body)));

  app.post('/stores/:storeId/qualifications', {
    config: { permission: 'store.manage' },
    schema: { tags, summary: 'Add or replace a qualification document', params: StoreParams, body: QualificationBody, response: { 201: QualificationSchema, ...errors(400, 401, 403, 404, 422) } },
  }, async (req, reply) => {
    const b = req.body;
    const q = await s.uploadQualification(req.params.storeId, {
      kind: b.kind, number: b.number, holder_name: b.holder_name, file_url: b.file_url,
      valid_from_ms: dayStartMs(b.valid_from), valid_to_ms: b.valid_until === null ? null : dayAfterMs(b.valid_until),
    });
    return reply.status(201).send(presentQualification(q));
  });

  app.get('/stores/:storeId/qualifications', {
    config: { permission: 'store.read' }, schema: { tags, params: StoreParams, response: { 200: Type.Object({ items: Type.Array(QualificationSchema) }), ...errors(401, 404) } },
  }, async (req) => ({ items: (await s.listQualifications(req.params.storeId)).map(presentQualification) }));

  app.post('/stores/:storeId/application/submit', {
    config: { permission: 'store.manage' },
    schema: { tags, summary: 'Submit for review (automatic checks first: 422 application_incomplete lists the findings)', params: StoreParams, response: { 200: StoreDetailSchema, ...errors(401, 403, 404, 409, 422) } },
  }, async (req) => presentStoreDetail(await s.submitApplication(req.params.storeId, req.principal!.account_id)));

  app.get('/stores/:storeId/review-decisions', {
    config: { permission: 'store.read' },
    schema: { tags, summary: 'Every review decision and status change: who, when, what, why', params: StoreParams, response: { 200: Type.Object({ items: Type.Array(DecisionSchema) }), ...errors(401, 404) } },
  }, async (req) => ({ items: (await s.decisions(req.params.storeId)).map(presentDecision) }));

  app.get('/stores/:storeId/deposit', {
    config: { permission: 'finance.read' }, schema: { tags, params: StoreParams, response: { 200: DepositSchema, ...errors(401, 403, 404) } },
  }, async (req) => s.depositView(req.params.storeId));

  app.get('/stores/:storeId/deposit/statement', {
    config: { permission: 'finance.read' },
    schema: { tags, summary: 'Deposit movements, newest first, with the balance after each', params: StoreParams, querystring: PageQuery, response: { 200: Page(StatementLineSchema), ...errors(400, 401, 403, 404) } },
  }, async (req) => {
    const page = await s.depositStatement(req.params.storeId, req.query);
    return { items: page.items.map(presentStatementLine), next_cursor: page.next_cursor };
  });

  app.post('/stores/:storeId/deposit/sandbox-payments', {
    config: { permission: 'store.manage' },
    schema: {
      tags, params: StoreParams,
      summary: 'SANDBOX: pay or top up the deposit as if a payment provider had confirmed it (replaced by the payments module)',
      description: 'Posts the ledger transfer merchant_payment_clearing → store_deposit_held. `payment_ref` stands for the provider\'s transaction id: the same ref again moves nothing (outcome "exists"); with a different amount it is 409. Without `amount_minor`, pays the current shortfall.',
      body: Type.Object({ amount_minor: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000_000_00 })), payment_ref: Type.String({ pattern: '^[A-Za-z0-9_-]{8,64}$' }) }, { additionalProperties: false }),
      response: { 200: DepositMovementSchema, ...errors(400, 401, 403, 404, 409, 422) },
    },
  }, async (req) => {
    const r = await s.payDepositSandbox(req.params.storeId, { ...req.body, actor_id: req.principal!.account_id });
    return { transfer: { id: r.transfer.id, reason: r.transfer.reason, amount_minor: r.transfer.amount_minor, outcome: r.transfer.outcome }, deposit: r.deposit, store_status: r.store.status };
  });

  app.post('/stores/:storeId/brands', {
    config: { permission: 'store.manage' },
    schema: { tags, summary: 'Apply for 品牌自营 / 品牌授权 (checked at once; an operator decides)', params: StoreParams, body: BrandApplicationBody, response: { 201: BrandCertSchema, ...errors(400, 401, 403, 404, 409, 422) } },
  }, async (req, reply) => reply.status(201).send(presentBrandCert(await s.applyForBrand(req.params.storeId, brandInput(req.body), req.principal!.account_id))));

  app.get('/stores/:storeId/brands', {
    config: { permission: 'store.read' }, schema: { tags, params: StoreParams, response: { 200: Type.Object({ items: Type.Array(BrandCertSchema) }), ...errors(401, 404) } },
  }, async (req) => ({ items: (await s.listBrandCerts(req.params.storeId)).map(presentBrandCert) }));

  app.post('/stores/:storeId/rename', {
    config: { permission: 'store.manage' },
    schema: { tags, summary: 'Rename the store (naming rules; limited renames once open)', params: StoreParams, body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 60 }) }, { additionalProperties: false }), response: { 200: StoreDetailSchema, ...errors(400, 401, 403, 404, 409, 422) } },
  }, async (req) => presentStoreDetail(await s.renameStore(req.params.storeId, req.body.name, req.principal!.account_id)));

  app.get('/stores/:storeId/name-history', {
    config: { permission: 'store.read' },
    schema: { tags, params: StoreParams, response: { 200: Type.Object({ items: Type.Array(NameChangeSchema), renames_remaining: Type.Union([Type.Integer(), Type.Null()]) }), ...errors(401, 404) } },
  }, async (req) => ({ items: (await s.nameHistory(req.params.storeId)).map(presentNameChange), renames_remaining: await s.renamesRemaining(req.params.storeId) }));

  app.get('/stores/:storeId/linked-accounts', {
    config: { permission: 'store.read' },
    schema: { tags, params: StoreParams, response: { 200: Type.Object({ items: Type.Array(LinkedAccountSchema), limit_per_kind: Type.Integer() }), ...errors(401, 404) } },
  }, async (req) => ({ items: (await s.listLinkedAccounts(req.params.storeId)).map(presentLinkedAccount), limit_per_kind: await s.linkedAccountLimit(req.params.storeId) }));

  app.post('/stores/:storeId/linked-accounts', {
    config: { permission: 'store.manage' },
    schema: {
      tags, summary: 'Link a content account the store sells through (视频号 channel / 公众号 article)', params: StoreParams,
      body: Type.Object({ kind: Type.Union([Type.Literal('channel'), Type.Literal('article')]), external_id: Type.String({ minLength: 1, maxLength: 64 }), display_name: Type.String({ minLength: 1, maxLength: 40 }) }, { additionalProperties: false }),
      response: { 201: LinkedAccountSchema, ...errors(400, 401, 403, 404, 409, 422) },
    },
  }, async (req, reply) => reply.status(201).send(presentLinkedAccount(await s.linkAccount(req.params.storeId, req.body, req.principal!.account_id))));

  app.delete('/stores/:storeId/linked-accounts/:linkId', {
    config: { permission: 'store.manage' }, schema: { tags, params: Type.Intersect([StoreParams, IdParam('linkId', 'lnk')]), response: { 204: Type.Null(), ...errors(401, 403, 404) } },
  }, async (req, reply) => {
    await s.unlinkAccount(req.params.storeId, req.params.linkId);
    return reply.status(204).send(null);
  });
};
