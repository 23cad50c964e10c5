import type { KeyObject } from 'node:crypto';
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../../lib/clock.ts';
import { fail, ok, type Result } from '../../../lib/result.ts';
import { decryptResource, encryptResource } from './aead.ts';
import { epochSeconds, newNonce, type PlatformKeyring } from './keys.ts';
import { AUTH_SCHEME, signBase64, signatureMessage, type Bytes } from './sign.ts';
import { parseRfc3339, toRfc3339Cst } from './time.ts';
import { REFUND_STATUSES, TRADE_STATES, type NotificationEnvelope, type RefundResource, type RefundStatus, type TradeState, type TransactionResource } from './types.ts';
import { H_NONCE, H_SERIAL, H_SIGNATURE, H_TIMESTAMP, verifySignedMessage, type HeaderBag, type VerifyFailure } from './verify.ts';

/**
 * Callback notifications ("回调通知"): WeChat Pay POSTs a JSON envelope to notify_url, signed
 * like a response, its `resource` encrypted with the APIv3 key. The merchant verifies, decrypts,
 * processes, then answers: success = HTTP 200 or 204 with no body needed; failure = 4xx/5xx
 * with {"code":"FAIL","message":"…"}, and WeChat Pay retries (15s/15s/30s/3m/10m/20m/30m/30m/
 * 30m/60m/3h/3h/3h/6h/6h, ~24h). The same notification may arrive more than once, and a
 * refund notification can overtake its payment's: processing must be idempotent and must
 * check amounts against our own records.
 *
 * WeChat Pay also sends signature probes (Wechatpay-Signature starting "WECHATPAY/SIGNTEST/")
 * to check that merchants verify; they fail verification here, as they must.
 */

export type NotificationFailure =
  | VerifyFailure
  | 'malformed_body'
  | 'unsupported_algorithm'
  | 'malformed_ciphertext'
  | 'decrypt_failed'
  | 'malformed_resource'
  | 'mchid_mismatch';

interface Common {
  /** The notification id: the same on every retry and duplicate of one notification. */
  notification_id: string;
  create_time: string;
  summary: string | null;
  mchid: string;
  out_trade_no: string;
  transaction_id: string;
}

export interface TransactionNotification extends Common {
  kind: 'transaction';
  event_type: 'TRANSACTION.SUCCESS' | (string & {});
  trade_state: TradeState;
  trade_state_desc: string;
  trade_type: string;
  appid: string;
  amount: { total: number; payer_total: number; currency: string; payer_currency: string };
  success_time: string | null;
  success_time_ms: number | null;
  payer_openid: string | null;
  attach: string | null;
  resource: TransactionResource;
}

export interface RefundNotification extends Common {
  kind: 'refund';
  event_type: 'REFUND.SUCCESS' | 'REFUND.ABNORMAL' | 'REFUND.CLOSED';
  out_refund_no: string;
  refund_id: string;
  refund_status: RefundStatus;
  amount: { total: number; refund: number; payer_total: number; payer_refund: number };
  success_time: string | null;
  success_time_ms: number | null;
  user_received_account: string | null;
  resource: RefundResource;
}

/** An authentic notification of a kind we do not interpret: acknowledge it so it stops. */
export interface OtherNotification {
  kind: 'other';
  event_type: string;
  notification_id: string;
  create_time: string;
  summary: string | null;
  resource: Record<string, unknown>;
}

export type WechatNotification = TransactionNotification | RefundNotification | OtherNotification;

export interface ParseNotificationInput {
  headers: HeaderBag;
  /** The raw request body exactly as received: the signature covers these bytes. */
  body: Bytes;
  platformKeys: PlatformKeyring;
  apiV3Key: string | Buffer;
  clock: Clock;
  /** When given, a resource for another merchant id is refused. */
  mchid?: string;
}

export function parseNotification(input: ParseNotificationInput): Result<WechatNotification, NotificationFailure> {
  const verified = verifySignedMessage({ headers: input.headers, body: input.body, keys: input.platformKeys, clock: input.clock });
  if (!verified.ok) return verified;
  const env = parseObject(typeof input.body === 'string' ? input.body : input.body.toString('utf8'));
  if (!env || typeof env.id !== 'string' || typeof env.event_type !== 'string' || !isObj(env.resource)) {
    return fail('malformed_body', 'not a notification envelope');
  }
  const plain = decryptResource(input.apiV3Key, env.resource as unknown as NotificationEnvelope['resource']);
  if (!plain.ok) return plain;
  const res = parseObject(plain.value);
  if (!res) return fail('malformed_resource', 'decrypted resource is not a JSON object');
  if (input.mchid !== undefined && res.mchid !== input.mchid) return fail('mchid_mismatch', 'resource is for another merchant', { mchid: res.mchid });
  const common = {
    notification_id: env.id,
    create_time: typeof env.create_time === 'string' ? env.create_time : '',
    summary: typeof env.summary === 'string' ? env.summary : null,
  };
  if (env.event_type.startsWith('TRANSACTION.')) return transaction(env.event_type, common, res);
  if (env.event_type.startsWith('REFUND.')) return refund(env.event_type, common, res);
  return ok({ kind: 'other', event_type: env.event_type, ...common, resource: res });
}

type CommonHead = Pick<Common, 'notification_id' | 'create_time' | 'summary'>;

function transaction(event_type: string, common: CommonHead, r: Record<string, unknown>): Result<TransactionNotification, NotificationFailure> {
  const a = r.amount;
  const successMs = parseRfc3339(r.success_time as string);
  if (
    !str(r.out_trade_no) || !str(r.transaction_id) || !str(r.mchid) ||
    !TRADE_STATES.includes(r.trade_state as TradeState) ||
    !isObj(a) || !fen(a.total) || !fen(a.payer_total) || !str(a.currency) ||
    (r.trade_state === 'SUCCESS' && successMs === null)
  ) {
    return fail('malformed_resource', 'transaction resource lacks required fields');
  }
  const payer = isObj(r.payer) && typeof r.payer.openid === 'string' ? r.payer.openid : null;
  return ok({
    kind: 'transaction',
    event_type,
    ...common,
    mchid: r.mchid as string,
    appid: typeof r.appid === 'string' ? r.appid : '',
    out_trade_no: r.out_trade_no as string,
    transaction_id: r.transaction_id as string,
    trade_state: r.trade_state as TradeState,
    trade_state_desc: typeof r.trade_state_desc === 'string' ? r.trade_state_desc : '',
    trade_type: typeof r.trade_type === 'string' ? r.trade_type : '',
    amount: { total: a.total as number, payer_total: a.payer_total as number, currency: a.currency as string, payer_currency: typeof a.payer_currency === 'string' ? a.payer_currency : (a.currency as string) },
    success_time: successMs === null ? null : (r.success_time as string),
    success_time_ms: successMs,
    payer_openid: payer,
    attach: typeof r.attach === 'string' && r.attach !== '' ? r.attach : null,
    resource: r as unknown as TransactionResource,
  });
}

function refund(event_type: string, common: CommonHead, r: Record<string, unknown>): Result<RefundNotification, NotificationFailure> {
  const a = r.amount;
  if (
    !['REFUND.SUCCESS', 'REFUND.ABNORMAL', 'REFUND.CLOSED'].includes(event_type) ||
    !str(r.out_trade_no) || !str(r.transaction_id) || !str(r.out_refund_no) || !str(r.refund_id) || !str(r.mchid) ||
    !REFUND_STATUSES.includes(r.refund_status as RefundStatus) ||
    !isObj(a) || !fen(a.total) || !fen(a.refund) || !fen(a.payer_total) || !fen(a.payer_refund)
  ) {
    return fail('malformed_resource', 'refund resource lacks required fields');
  }
  const successMs = parseRfc3339(r.success_time as string);
  return ok({
    kind: 'refund',
    event_type: event_type as RefundNotification['event_type'],
    ...common,
    mchid: r.mchid as string,
    out_trade_no: r.out_trade_no as string,
    transaction_id: r.transaction_id as string,
    out_refund_no: r.out_refund_no as string,
    refund_id: r.refund_id as string,
    refund_status: r.refund_status as RefundStatus,
    amount: { total: a.total as number, refund: a.refund as number, payer_total: a.payer_total as number, payer_refund: a.payer_refund as number },
    success_time: successMs === null ? null : (r.success_time as string),
    success_time_ms: successMs,
    user_received_account: typeof r.user_received_account === 'string' ? r.user_received_account : null,
    resource: r as unknown as RefundResource,
  });
}

/** What to answer WeChat Pay. */
export interface NotificationReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Received and processed (or already processed): 204, no body. */
export function notificationAck(): NotificationReply {
  return { status: 204, headers: {}, body: '' };
}

/**
 * Not accepted; WeChat Pay will retry. 401 for what failed verification, 500 for our own
 * failure to process. message is at most 64 characters in the spec.
 */
export function notificationNack(message: string, status: number = 500): NotificationReply {
  if (status < 400 || status > 599) throw new Error('a failure reply is 4xx or 5xx');
  return { status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify({ code: 'FAIL', message: message.slice(0, 64) }) };
}

// ── building (the sandbox's side, and tests that forge notifications) ──────────────────────

export interface BuiltNotification {
  headers: Record<string, string>;
  body: string;
}

/** The envelope with its resource encrypted; sign it per delivery with signNotificationBody. */
export function buildNotificationBody(input: {
  apiV3Key: string | Buffer;
  event_type: string;
  summary: string;
  original_type: 'transaction' | 'refund';
  resource: object;
  clock: Clock;
  id?: string;
}): string {
  const envelope: NotificationEnvelope = {
    id: input.id ?? randomUUID(),
    create_time: toRfc3339Cst(input.clock.now()),
    resource_type: 'encrypt-resource',
    event_type: input.event_type,
    summary: input.summary,
    resource: encryptResource(input.apiV3Key, JSON.stringify(input.resource), input.original_type),
  };
  return JSON.stringify(envelope);
}

/** Fresh Wechatpay-* headers for one delivery of `body`. */
export function signNotificationBody(body: string, key: { privateKey: KeyObject; serial: string }, clock: Clock, nonce: string = newNonce()): BuiltNotification {
  const timestamp = String(epochSeconds(clock.now()));
  return {
    headers: {
      'content-type': 'application/json',
      [H_TIMESTAMP]: timestamp,
      [H_NONCE]: nonce,
      [H_SIGNATURE]: signBase64(signatureMessage(timestamp, nonce, body), key.privateKey),
      [H_SERIAL]: key.serial,
      'Wechatpay-Signature-Type': AUTH_SCHEME,
    },
    body,
  };
}

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(text);
    return isObj(v) ? v : null;
  } catch {
    return null;
  }
}
function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function str(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0;
}
function fen(v: unknown): v is number {
  return Number.isSafeInteger(v) && (v as number) >= 0;
}
