import { Type } from 'typebox';
import type { AppContext } from '../../app/wire.ts';
import { toIso } from '../../lib/clock.ts';
import { AppError } from '../../lib/errors.ts';
import type { Flag } from '../../modules/payments/index.ts';
import { errors, IdParam, Page, PageQuery, Timestamp, NullableTimestamp } from '../schemas.ts';
import type { App } from '../types.ts';

const op = { auth: 'operator' as const };
const FlagSchema = Type.Object({
  id: Type.String(), kind: Type.String(), ref: Type.String(), details: Type.Record(Type.String(), Type.Unknown()), status: Type.String(),
  created_at: Timestamp, resolved_at: NullableTimestamp, resolved_by: Type.Union([Type.String(), Type.Null()]), note: Type.Union([Type.String(), Type.Null()]),
});
const presentFlag = (f: Flag) => ({ ...f, created_at: toIso(f.created_at)!, resolved_at: toIso(f.resolved_at) });
const ReportSchema = Type.Object({ run_id: Type.String(), ok: Type.Boolean(), at: Timestamp }, { additionalProperties: true });
const RefundOutcomeSchema = Type.Object({
  status: Type.String(), refund_id: Type.Optional(Type.Union([Type.String(), Type.Null()])), code: Type.Optional(Type.String()), message: Type.Optional(Type.String()),
  retryable: Type.Optional(Type.Boolean()), amount_minor: Type.Optional(Type.Integer()), order_id: Type.Optional(Type.Union([Type.String(), Type.Null()])),
});
const OutRefundNo = Type.String({ pattern: '^[0-9A-Za-z_\\-|*@]{1,64}$' });

/** The platform console's view of payments (operators only): flags, reconciliation reports, manual refunds. Under /console. */
export const consolePaymentRoutes = (ctx: AppContext) => async (app: App) => {
  app.get('/payments/flags', {
    config: op,
    schema: { tags: ['console'], summary: 'Payment flags to look at (amount mismatches, unknown payments, failed refunds …), newest first', querystring: Type.Intersect([PageQuery, Type.Object({ status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('resolved')])) })]), response: { 200: Page(FlagSchema), ...errors(400, 401, 403) } },
  }, async (req) => {
    const page = await ctx.payments.listFlags(req.query as { status?: 'open' | 'resolved'; limit?: number; cursor?: string });
    return { items: page.items.map(presentFlag), next_cursor: page.next_cursor };
  });
  app.post('/payments/flags/:flagId/resolve', {
    config: op,
    schema: { tags: ['console'], params: IdParam('flagId', 'pfl'), body: Type.Object({ note: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false }), response: { 200: FlagSchema, ...errors(400, 401, 403, 404) } },
  }, async (req) => presentFlag(await ctx.payments.resolveFlag(req.params.flagId, req.principal!.account_id, req.body.note)));

  app.get('/payments/reconciliation/latest', {
    config: op,
    schema: { tags: ['console'], summary: 'The latest reconciliation report: ledger invariants, escrow per store, provider vs our records', response: { 200: ReportSchema, ...errors(401, 403, 404) } },
  }, async () => {
    const r = await ctx.payments.latestReconciliation();
    if (!r) throw new AppError('not_found', 'no_reconciliation_yet', 'no reconciliation has run yet');
    return { ...r, at: toIso(r.at)! };
  });
  app.post('/payments/reconciliation', {
    config: op,
    schema: { tags: ['console'], summary: 'Run reconciliation now', response: { 200: ReportSchema, ...errors(401, 403) } },
  }, async () => {
    const r = await ctx.payments.reconcileNow();
    return { ...r, at: toIso(r.at)! };
  });

  app.post('/payments/refunds', {
    config: op,
    schema: {
      tags: ['console'], summary: 'Refund lines of an order (the refund API after-sales uses); never above what a line paid; idempotent by out_refund_no',
      body: Type.Object({
        order_id: Type.String({ pattern: '^ord_' }), reason: Type.String({ minLength: 1, maxLength: 80 }), out_refund_no: OutRefundNo,
        lines: Type.Array(Type.Object({ line_id: Type.String({ pattern: '^oli_' }), amount_minor: Type.Integer({ minimum: 1, maximum: 100_000_000_00 }) }, { additionalProperties: false }), { minItems: 1, maxItems: 100 }),
      }, { additionalProperties: false }),
      response: { 200: RefundOutcomeSchema, ...errors(400, 401, 403, 422) },
    },
  }, async (req) => {
    const r = await ctx.payments.refund(req.body);
    if (r.status === 'failed' && !r.retryable) throw new AppError('business_rule', r.code, r.message).zh(r.code === 'refund_exceeds_paid' ? '退款金额超过实付金额' : '退款失败');
    return r;
  });
  app.get('/payments/refunds/:outRefundNo', {
    config: op,
    schema: { tags: ['console'], params: Type.Object({ outRefundNo: OutRefundNo }), response: { 200: RefundOutcomeSchema, ...errors(401, 403, 404) } },
  }, async (req) => {
    const r = await ctx.payments.refundStatus(req.params.outRefundNo);
    if (!r) throw new AppError('not_found', 'refund_not_found', 'refund not found');
    return r;
  });
};
