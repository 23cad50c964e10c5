import { Type } from 'typebox';
import { toIso } from '../../lib/clock.ts';
import { REQUEST_REASONS, REQUEST_STATUSES, REQUEST_TYPES, type ClaimView, type DisputeRow, type RequestDetail, type RequestView, type StepView } from '../../modules/aftersales/index.ts';
import { MoneyMinor, NullableTimestamp, PageQuery, Timestamp } from '../schemas.ts';

/** After-sales HTTP shapes and presenters (times ISO-8601, money integer fen). */
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
export const Url = Type.String({ minLength: 8, maxLength: 500, pattern: '^https?://\\S+$', description: 'an uploaded picture or document (upload through the media API)' });
export const Evidence = Type.Array(Url, { maxItems: 9 });
const Note = (max = 500) => Type.String({ minLength: 1, maxLength: max });
export const RequestTypeSchema = Type.Union(REQUEST_TYPES.map((t) => Type.Literal(t)));
export const StatusQuery = Type.Intersect([PageQuery, Type.Object({ status: Type.Optional(Type.Union(REQUEST_STATUSES.map((s) => Type.Literal(s)))) })]);

export const CreateBody = Type.Object({
  order_id: Type.String({ pattern: '^ord_' }), line_id: Type.String({ pattern: '^oli_' }), type: RequestTypeSchema,
  reason: Type.Union(REQUEST_REASONS.map((r) => Type.Literal(r)), { description: 'no_reason_7d = 七天无理由 (lines flagged for it, within 7 days of receipt)' }),
  quantity: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000, description: 'units of the line; default: all not yet refunded' })),
  amount_minor: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000_000_00, description: 'default: the most these units may refund' })),
  description: Type.Optional(Type.String({ maxLength: 500 })), evidence: Type.Optional(Evidence),
}, { additionalProperties: false });
export const NoteBody = Type.Object({ note: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false });
export const ProofBody = Type.Object({ note: Type.String({ maxLength: 500 }), evidence: Type.Array(Url, { minItems: 1, maxItems: 9 }) }, { additionalProperties: false });
export const MessageBody = Type.Object({ note: Note(), evidence: Type.Optional(Evidence) }, { additionalProperties: false });
export const TrackingBody = Type.Object({ carrier: Type.String({ minLength: 2, maxLength: 10 }), tracking_no: Type.String({ minLength: 6, maxLength: 40 }) }, { additionalProperties: false });
export const StatementBody = Type.Object({ statement: Note(1000) }, { additionalProperties: false });
export const ReasonBody = Type.Object({ reason: Note() }, { additionalProperties: false });
export const ProposeBody = Type.Object({
  kind: Type.Union([Type.Literal('amount'), Type.Literal('type'), Type.Literal('proof')], { description: 'another amount, another type, or ask the buyer for proof' }),
  type: Type.Optional(RequestTypeSchema), amount_minor: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000_000_00 })), note: Note(),
}, { additionalProperties: false });
export const ConfirmReturnBody = Type.Object({
  replacement: Type.Optional(TrackingBody),
  restock: Type.Optional(Type.Boolean({ description: 'a return: put the returned units back into stock (default true; false for damaged goods)' })),
}, { additionalProperties: false, description: 'an exchange ships its replacement: give its carrier and tracking number' });
export const DecideBody = Type.Object({
  decision: Type.Union([Type.Literal('buyer'), Type.Literal('merchant')]), reason: Note(1000),
  refund_amount_minor: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000_000_00 })),
}, { additionalProperties: false });
export const ClaimBody = Type.Object({
  order_id: Type.String({ pattern: '^ord_' }), line_id: Type.String({ pattern: '^oli_' }), kind: Type.Union([Type.Literal('counterfeit'), Type.Literal('damaged')]),
  quantity: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })), appraisal_fee_minor: Type.Optional(MoneyMinor), description: Note(1000), evidence: Type.Array(Url, { minItems: 1, maxItems: 9 }),
}, { additionalProperties: false });
export const DamageBody = Type.Object({ damage_ratio_bp: Type.Integer({ minimum: 1, maximum: 10000, description: 'share of what the units may refund, in basis points (10000 = all)' }), note: Type.String({ maxLength: 500 }) }, { additionalProperties: false });
export const CounterfeitDecisionBody = Type.Object({ approve: Type.Boolean(), reason: Note(1000) }, { additionalProperties: false });

export const RequestSchema = Type.Object({
  id: Type.String(), order_id: Type.String(), line_id: Type.String(), store_id: Type.String(), type: Type.String(), reason: Type.String(), description: Type.String(),
  evidence: Type.Array(Type.String()), quantity: Type.Integer(), amount_minor: MoneyMinor, refund_amount_minor: Nullable(MoneyMinor), status: Type.String(), open: Type.Boolean(),
  waiting_on: Nullable(Type.String()), deadline_at: NullableTimestamp, deadline_action: Nullable(Type.String()), instant: Type.Boolean(), shipping_insurance: Type.Boolean(),
  proposal: Nullable(Type.Object({ kind: Type.String(), type: Type.Optional(Type.String()), amount_minor: Type.Optional(MoneyMinor), note: Type.String() })),
  merchant_reason: Nullable(Type.String()), return_shipment_id: Nullable(Type.String()), return_delivered_at: NullableTimestamp, replacement_shipment_id: Nullable(Type.String()),
  close_reason: Nullable(Type.String()), created_at: Timestamp, updated_at: Timestamp, finished_at: NullableTimestamp,
});
const StepSchema = Type.Object({
  actor: Type.String(), actor_id: Type.Optional(Nullable(Type.String())), action: Type.String(), from: Nullable(Type.String()), to: Nullable(Type.String()),
  note: Type.String(), data: Type.Record(Type.String(), Type.Unknown()), at: Timestamp,
});
export const DisputeSchema = Type.Object({
  id: Type.String(), request_id: Type.String(), order_id: Type.String(), store_id: Type.String(), status: Type.String(), buyer_statement: Type.String(),
  decision: Nullable(Type.String()), decision_reason: Nullable(Type.String()), refund_amount_minor: Nullable(MoneyMinor), opened_at: Timestamp, decided_at: NullableTimestamp,
});
export const DetailSchema = Type.Object({
  request: RequestSchema,
  line: Nullable(Type.Object({ title: Type.String(), spec: Type.Record(Type.String(), Type.String()), quantity: Type.Integer(), unit_price_minor: MoneyMinor, paid_minor: MoneyMinor, refunded_minor: MoneyMinor })),
  history: Type.Array(StepSchema), disputes: Type.Array(DisputeSchema),
  refunds: Type.Array(Type.Object({ id: Type.String(), amount_minor: MoneyMinor, status: Type.String(), created_at: Timestamp, finished_at: NullableTimestamp })),
});
export const ClaimSchema = Type.Object({
  id: Type.String(), kind: Type.String(), order_id: Type.String(), line_id: Type.String(), store_id: Type.String(), request_id: Nullable(Type.String()), quantity: Type.Integer(),
  status: Type.String(), description: Type.String(), evidence: Type.Array(Type.String()), appraisal_fee_minor: MoneyMinor, damage_ratio_bp: Nullable(Type.Integer()),
  amount_minor: Nullable(MoneyMinor), funding: Nullable(Type.String()), decision_reason: Nullable(Type.String()), deadline_at: NullableTimestamp, created_at: Timestamp, decided_at: NullableTimestamp,
});
export const ClaimDetailSchema = Type.Object({ claim: ClaimSchema, history: Type.Array(StepSchema) });

export const presentRequest = (r: RequestView) => ({
  id: r.id, order_id: r.order_id, line_id: r.line_id, store_id: r.store_id, type: r.type, reason: r.reason, description: r.description, evidence: r.evidence, quantity: r.quantity,
  amount_minor: r.amount_minor, refund_amount_minor: r.refund_amount_minor, status: r.status, open: r.open, waiting_on: r.waiting_on, deadline_at: toIso(r.deadline_at),
  deadline_action: r.deadline_action, instant: r.instant, shipping_insurance: r.shipping_insurance, proposal: r.proposal, merchant_reason: r.merchant_reason,
  return_shipment_id: r.return_shipment_id, return_delivered_at: toIso(r.return_delivered_at), replacement_shipment_id: r.replacement_shipment_id, close_reason: r.close_reason,
  created_at: toIso(r.created_at)!, updated_at: toIso(r.updated_at)!, finished_at: toIso(r.finished_at),
});
/** Buyers see which side acted; merchants and operators also see which account. */
const presentStep = (withIds: boolean) => (s: StepView) => ({
  actor: s.actor_kind, ...(withIds ? { actor_id: s.actor_id } : {}), action: s.action, from: s.from_status, to: s.to_status, note: s.note, data: s.data, at: toIso(s.at)!,
});
export const presentDispute = (d: DisputeRow) => ({
  id: d.id, request_id: d.request_id, order_id: d.order_id, store_id: d.store_id, status: d.status, buyer_statement: d.buyer_statement, decision: d.decision,
  decision_reason: d.decision_reason, refund_amount_minor: d.refund_amount_minor, opened_at: toIso(d.opened_at)!, decided_at: toIso(d.decided_at),
});
export const presentDetail = (d: RequestDetail, withIds: boolean) => ({
  request: presentRequest(d.request), line: d.line, history: d.steps.map(presentStep(withIds)), disputes: d.disputes.map(presentDispute),
  refunds: d.refunds.map((r) => ({ ...r, created_at: toIso(r.created_at)!, finished_at: toIso(r.finished_at) })),
});
export const presentClaim = (c: ClaimView) => ({
  id: c.id, kind: c.kind, order_id: c.order_id, line_id: c.line_id, store_id: c.store_id, request_id: c.request_id, quantity: c.quantity, status: c.status, description: c.description,
  evidence: c.evidence, appraisal_fee_minor: c.appraisal_fee_minor, damage_ratio_bp: c.damage_ratio_bp, amount_minor: c.amount_minor, funding: c.funding,
  decision_reason: c.decision_reason, deadline_at: toIso(c.deadline_at), created_at: toIso(c.created_at)!, decided_at: toIso(c.decided_at),
});
export const presentClaimDetail = (d: { claim: ClaimView; steps: StepView[] }, withIds: boolean) => ({ claim: presentClaim(d.claim), history: d.steps.map(presentStep(withIds)) });
