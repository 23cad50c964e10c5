import { Type, type Static } from 'typebox';
import { DAY_MS, HOUR_MS, toIso } from '../../lib/clock.ts';
import type { BrandCert, DepositView, Finding, LinkedAccount, NameChange, Qualification, RequiredQualification, ReviewDecision, StoreDetail } from '../../modules/stores/index.ts';
import type { StatementLine } from '../../modules/ledger/index.ts';
import { NullableTimestamp, Timestamp } from '../schemas.ts';

/**
 * Wire shapes of onboarding. Document validity is by calendar day in Beijing time (the dates
 * printed on a licence): `valid_from` is the first day in force, `valid_until` the last
 * (null: long-term, 长期). Stored as epoch ms: the start of the first day, and the end
 * (exclusive) of the last.
 */
const BEIJING_MS = 8 * HOUR_MS;
export const dayStartMs = (date: string) => Date.parse(`${date}T00:00:00+08:00`);
export const dayAfterMs = (date: string) => dayStartMs(date) + DAY_MS;
const dateOf = (ms: number) => new Date(ms + BEIJING_MS).toISOString().slice(0, 10);
const lastDayOf = (exclusiveEndMs: number) => dateOf(exclusiveEndMs - 1);

export const DateOnly = Type.String({ format: 'date', description: 'YYYY-MM-DD (Beijing time)' });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const NString = Nullable(Type.String());
const Url = Type.String({ minLength: 8, maxLength: 500, pattern: '^https?://\\S+$', description: 'an uploaded file (upload handling is the media API\'s)' });
const Uscc = Type.String({ minLength: 18, maxLength: 40, description: '统一社会信用代码 (checked: GB 32100 check characters)' });

export const StoreDetailSchema = Type.Object({
  id: Type.String(), name: Type.String(), subject_type: Type.String(), status: Type.String(), company_name: Type.String(), trade_name: NString, uscc: NString,
  main_category_code: NString, description: Type.String(), logo_url: NString, score: Type.Number(), score_provisional: Type.Boolean(),
  created_at: Timestamp, submitted_at: NullableTimestamp, opened_at: NullableTimestamp, closed_at: NullableTimestamp,
  review_note: Type.Union([Type.String(), Type.Null()], { description: "the operator's latest request or rejection reason" }), status_reason: NString,
});
export const presentStoreDetail = (s: StoreDetail) => ({
  ...s, created_at: toIso(s.created_at)!, submitted_at: toIso(s.submitted_at), opened_at: toIso(s.opened_at), closed_at: toIso(s.closed_at),
});

export const QualificationSchema = Type.Object({
  id: Type.String(), kind: Type.String(), label_zh: Type.String(), number: Type.String({ description: 'ID numbers are masked' }), holder_name: Type.String(),
  valid_from: DateOnly, valid_until: Type.Union([DateOnly, Type.Null()]), file_url: Type.String(), status: Type.String(), in_force: Type.Boolean(), created_at: Timestamp,
});
export const presentQualification = (q: Qualification) => ({
  id: q.id, kind: q.kind, label_zh: q.label_zh, number: q.number, holder_name: q.holder_name, valid_from: dateOf(q.valid_from_ms),
  valid_until: q.valid_to_ms === null ? null : lastDayOf(q.valid_to_ms), file_url: q.file_url, status: q.status, in_force: q.in_force, created_at: toIso(q.created_at)!,
});
export const RequiredQualificationSchema = Type.Object({ kind: Type.String(), label_zh: Type.String(), qualification_id: NString, in_force: Type.Boolean() });
export const FindingSchema = Type.Object({ code: Type.String(), message: Type.String(), message_zh: Type.String(), details: Type.Optional(Type.Unknown()) });
export const presentRequired = (r: RequiredQualification) => r;
export const presentFinding = (f: Finding) => f;

export const DecisionSchema = Type.Object({
  id: Type.String(), subject: Type.String({ description: 'store | brand | deposit' }), subject_id: Type.String(), decision: Type.String(), from_status: NString, to_status: NString,
  reason: NString, actor_role: Type.String({ description: 'merchant | operator | system' }), actor_id: NString, created_at: Timestamp,
});
export const presentDecision = (d: ReviewDecision) => {
  const { store_id: _s, ...rest } = d;
  return { ...rest, created_at: toIso(d.created_at)! };
};

export const DepositSchema = Type.Object({
  currency: Type.Literal('CNY'), required_minor: Type.Integer(), required_source: Type.String({ description: 'category | default | brand' }), required_category_code: NString,
  balance_minor: Type.Integer(), shortfall_minor: Type.Integer(),
});
export const presentDeposit = (d: DepositView) => d;
export const StatementLineSchema = Type.Object({
  entry_id: Type.String(), transfer_id: Type.String(), reason: Type.String(), reason_zh: Type.String(), memo: Type.String(),
  amount_minor: Type.Integer({ description: 'signed: positive raised the deposit' }), balance_after_minor: Type.Integer(), currency: Type.String(), reverses_id: NString, created_at: Timestamp,
});
export const presentStatementLine = (l: StatementLine) => ({
  entry_id: l.entry_id, transfer_id: l.transfer_id, reason: l.reason, reason_zh: l.reason_zh, memo: l.memo, amount_minor: l.amount_minor,
  balance_after_minor: l.balance_after_minor, currency: l.currency, reverses_id: l.reverses_id, created_at: toIso(l.created_at)!,
});
export const DepositMovementSchema = Type.Object({
  transfer: Type.Object({ id: Type.String(), reason: Type.String(), amount_minor: Type.Integer(), outcome: Type.String({ description: 'created | exists (a replay: nothing moved)' }) }),
  deposit: DepositSchema,
  store_status: Type.String(),
});

const TrademarkShape = {
  registration_number: Type.String({ minLength: 1, maxLength: 20 }), nice_class: Type.Integer({ description: 'Nice class 1–45' }), status: Type.Union([Type.Literal('R'), Type.Literal('TM')]),
  owner_name: Type.String({ minLength: 2, maxLength: 100 }), owner_uscc: Uscc, valid_from: DateOnly, valid_until: DateOnly, file_url: Url,
};
const AuthorizationShape = {
  licensor_name: Type.String({ minLength: 2, maxLength: 100 }), licensor_uscc: Uscc, licensee_name: Type.String({ minLength: 2, maxLength: 100 }), licensee_uscc: Uscc,
  exclusive: Type.Boolean(), valid_from: DateOnly, valid_until: DateOnly, file_url: Url,
};
export const BrandApplicationBody = Type.Object({
  brand_name: Type.String({ minLength: 1, maxLength: 30 }),
  badge: Type.Union([Type.Literal('brand_owned'), Type.Literal('brand_authorized')], { description: 'brand_owned 品牌自营 | brand_authorized 品牌授权' }),
  trademark: Type.Object(TrademarkShape, { additionalProperties: false }),
  authorizations: Type.Array(Type.Object(AuthorizationShape, { additionalProperties: false }), { maxItems: 5, description: "owner's grant first; empty when the store's company owns the trademark" }),
}, { additionalProperties: false });
export const BrandCertSchema = Type.Object({
  id: Type.String(), store_id: Type.String(), brand_name: Type.String(), badge: Type.String(), status: Type.String({ description: 'pending_review | certified | rejected | revoked' }),
  status_reason: NString, level: Type.Integer(), trademark: Type.Object({ ...TrademarkShape, file_url: Type.String(), owner_uscc: Type.String() }),
  authorizations: Type.Array(Type.Object({ ...AuthorizationShape, file_url: Type.String(), licensor_uscc: Type.String(), licensee_uscc: Type.String() })),
  expires_at: NullableTimestamp, decided_at: NullableTimestamp, created_at: Timestamp,
});
const days = <T extends { valid_from_ms: number; valid_to_ms: number }>({ valid_from_ms, valid_to_ms, ...rest }: T) =>
  ({ ...rest, valid_from: dateOf(valid_from_ms), valid_until: lastDayOf(valid_to_ms) });
export const presentBrandCert = (c: BrandCert) => ({
  id: c.id, store_id: c.store_id, brand_name: c.brand_name, badge: c.badge, status: c.status, status_reason: c.status_reason, level: c.level,
  trademark: days(c.trademark), authorizations: c.authorizations.map(days),
  expires_at: toIso(c.expires_at), decided_at: toIso(c.decided_at), created_at: toIso(c.created_at)!,
});
/** Wire body → module input (dates to epoch ms). */
export function brandInput(b: Static<typeof BrandApplicationBody>) {
  return {
    brand_name: b.brand_name, badge: b.badge,
    trademark: { ...b.trademark, valid_from_ms: dayStartMs(b.trademark.valid_from), valid_to_ms: dayAfterMs(b.trademark.valid_until) },
    authorizations: b.authorizations.map((a) => ({ ...a, valid_from_ms: dayStartMs(a.valid_from), valid_to_ms: dayAfterMs(a.valid_until) })),
  };
}

export const LinkedAccountSchema = Type.Object({ id: Type.String(), kind: Type.String(), external_id: Type.String(), display_name: Type.String(), linked_at: Timestamp });
export const presentLinkedAccount = (l: LinkedAccount) => ({ id: l.id, kind: l.kind, external_id: l.external_id, display_name: l.display_name, linked_at: toIso(l.linked_at)! });
export const NameChangeSchema = Type.Object({ id: Type.String(), old_name: Type.String(), new_name: Type.String(), counted: Type.Boolean(), changed_at: Timestamp });
export const presentNameChange = (n: NameChange) => ({ id: n.id, old_name: n.old_name, new_name: n.new_name, counted: n.counted === 1, changed_at: toIso(n.changed_at)! });

export const QualificationBody = Type.Object({
  kind: Type.Union([Type.Literal('legal_rep_id'), Type.Literal('business_license'), Type.Literal('food_license'), Type.Literal('cosmetics_filing')]),
  number: Type.String({ minLength: 1, maxLength: 64 }), holder_name: Type.String({ minLength: 1, maxLength: 100 }),
  valid_from: DateOnly, valid_until: Type.Union([DateOnly, Type.Null()], { description: 'last day in force; null = long-term (business licences only)' }), file_url: Url,
}, { additionalProperties: false });
export const CreateStoreBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 60 }),
  subject_type: Type.Union([Type.Literal('individual'), Type.Literal('enterprise'), Type.Literal('personal')], {
    description: 'individual 个体工商户 | enterprise 企业. `personal` is refused (422 personal_subject_not_allowed): a private person registers as an individual business first.',
  }),
  company_name: Type.String({ minLength: 2, maxLength: 100 }), trade_name: Type.Optional(Type.String({ minLength: 1, maxLength: 20, description: '字号, e.g. 星河 in 深圳市星河数码科技有限公司' })),
  uscc: Uscc, main_category_code: Type.Optional(Type.String({ pattern: '^[a-z0-9_]+(\\.[a-z0-9_]+)*$', maxLength: 60 })), description: Type.Optional(Type.String({ maxLength: 500 })),
}, { additionalProperties: false });
export const ReasonBody = Type.Object({ reason: Type.String({ minLength: 2, maxLength: 500 }) }, { additionalProperties: false });
