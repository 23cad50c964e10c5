import type { KeyObject } from 'node:crypto';
import type { Clock } from '../../lib/clock.ts';
import type { Money } from '../../lib/money.ts';
import { ok, type Result } from '../../lib/result.ts';
import { createWechatPayClient, type ClientFailure, type WechatPayClient } from './wechatpay/client.ts';
import { apiV3KeyBytes, platformKeyring } from './wechatpay/keys.ts';
import { notificationAck, notificationNack, parseNotification, type NotificationFailure, type NotificationReply } from './wechatpay/notify.ts';
import type { JsapiPayParams } from './wechatpay/sign.ts';
import { parseRfc3339, toRfc3339Cst } from './wechatpay/time.ts';
import type { RefundStatus, TradeState, WxRefund, WxTransaction } from './wechatpay/types.ts';
import type { HeaderBag } from './wechatpay/verify.ts';

/**
 * The payment provider port the payments service uses. A second implementation is real
 * (another PSP, or a provider double in unit tests), so this is an interface; the WeChat Pay v3
 * implementation below serves both the real WeChat Pay and the bundled sandbox — only the
 * base URL and the keys differ.
 *
 * Identifiers the caller owns and reuses: out_trade_no (our payment id, 6–32 of
 * [0-9A-Za-z_-|*]) and out_refund_no (our refund id, 1–64 chars). Both are idempotency keys
 * at the provider: after an `unavailable` failure, retry with the SAME id, or query it.
 */

export type PaymentChannel = 'native' | 'jsapi';

export interface CreatePaymentInput {
  out_trade_no: string;
  amount: Money;
  description: string;
  notify_url: string;
  /** The provider refuses payment after this (WeChat time_expire); set it to the order's pay-by time. */
  expires_at_ms?: number;
  /** Inside WeChat: the buyer's openid for our appid → JSAPI. Without it: Native (QR code). */
  payer_openid?: string;
  attach?: string;
}

export type CreatePaymentOutput =
  | { channel: 'native'; code_url: string }
  | { channel: 'jsapi'; prepay_id: string; pay_params: JsapiPayParams };

/** unpaid · paying (user is paying) · paid · refunded (paid, then refunded in part or whole) · closed · failed */
export type ProviderTradeState = 'unpaid' | 'paying' | 'paid' | 'refunded' | 'closed' | 'failed';

export interface ProviderTransaction {
  out_trade_no: string;
  transaction_id: string | null;
  state: ProviderTradeState;
  trade_state: TradeState;
  /** The order amount as the provider reports it (compare with our record); null when it omits it for an unpaid order. */
  amount_minor: number | null;
  currency: string;
  /** What the buyer's own money covered (the rest was a WeChat-side discount); null until paid. */
  payer_total_minor: number | null;
  paid_at_ms: number | null;
}

export interface RefundInput {
  out_refund_no: string;
  out_trade_no: string;
  refund: Money;
  /** The original payment's total (the provider checks it). */
  total: Money;
  reason?: string;
  notify_url?: string;
}

export type ProviderRefundState = 'processing' | 'succeeded' | 'closed' | 'abnormal';

export interface ProviderRefund {
  out_refund_no: string;
  refund_id: string;
  out_trade_no: string;
  transaction_id: string;
  state: ProviderRefundState;
  status: RefundStatus;
  refund_minor: number;
  total_minor: number;
  currency: string;
  payer_refund_minor: number;
  created_at_ms: number | null;
  succeeded_at_ms: number | null;
}

/**
 * A verified, decrypted notification. Amount and currency are as the provider reported them:
 * the caller must compare them with its own record and refuse a mismatch.
 */
export type PaymentEvent =
  | {
      type: 'payment.succeeded';
      provider: string;
      /** Stable across retries and duplicates of one notification. */
      notification_id: string;
      event_type: string;
      out_trade_no: string;
      transaction_id: string;
      trade_state: TradeState;
      amount_minor: number;
      payer_total_minor: number;
      currency: string;
      paid_at_ms: number;
    }
  | {
      type: 'refund.succeeded' | 'refund.closed' | 'refund.abnormal';
      provider: string;
      notification_id: string;
      event_type: string;
      out_refund_no: string;
      refund_id: string;
      out_trade_no: string;
      transaction_id: string;
      refund_minor: number;
      total_minor: number;
      payer_refund_minor: number;
      refunded_at_ms: number | null;
    }
  | {
      /** Authentic, but nothing for us to do (an event type we do not handle): acknowledge it. */
      type: 'ignored';
      provider: string;
      notification_id: string;
      event_type: string;
    };

export type ProviderFailure = ClientFailure | NotificationFailure;

export interface PaymentProvider {
  readonly name: string;
  createPayment(input: CreatePaymentInput): Promise<Result<CreatePaymentOutput, ProviderFailure>>;
  query(out_trade_no: string): Promise<Result<ProviderTransaction, ProviderFailure>>;
  close(out_trade_no: string): Promise<Result<void, ProviderFailure>>;
  refund(input: RefundInput): Promise<Result<ProviderRefund, ProviderFailure>>;
  queryRefund(out_refund_no: string): Promise<Result<ProviderRefund, ProviderFailure>>;
  /** headers as received, rawBody the exact bytes (do not re-serialize parsed JSON). */
  parseNotification(headers: HeaderBag, rawBody: string | Buffer): Result<PaymentEvent, ProviderFailure>;
  /** The answer once the event is durably processed (or was already). */
  ackNotification(): NotificationReply;
  /** The answer when verification or processing failed: the provider retries later. */
  nackNotification(message: string, status?: number): NotificationReply;
}

export interface WechatPayProviderConfig {
  mchid: string;
  appid: string;
  /** The merchant API private key (apiclient_key.pem). */
  merchantPrivateKeyPem: string | KeyObject;
  /** The merchant API certificate serial number. */
  merchantSerial: string;
  /** The 32-character APIv3 key. */
  apiV3Key: string;
  /** Platform keys by serial: public key PEM (serial PUB_KEY_ID_…) or platform certificate PEM. */
  platformPublicKeys: Record<string, string | KeyObject>;
  /** https://api.mch.weixin.qq.com by default; the sandbox's url for tests and the demo. */
  baseUrl?: string;
  clock: Clock;
  fetch?: typeof fetch;
  timeout_ms?: number;
}

export interface WechatPayProvider extends PaymentProvider {
  readonly client: WechatPayClient;
}

const TRADE_STATE: Record<TradeState, ProviderTradeState> = {
  SUCCESS: 'paid', REFUND: 'refunded', NOTPAY: 'unpaid', USERPAYING: 'paying', CLOSED: 'closed', REVOKED: 'closed', PAYERROR: 'failed',
};
const REFUND_STATE: Record<RefundStatus, ProviderRefundState> = { SUCCESS: 'succeeded', PROCESSING: 'processing', CLOSED: 'closed', ABNORMAL: 'abnormal' };

export function createWechatPayProvider(cfg: WechatPayProviderConfig): WechatPayProvider {
  apiV3KeyBytes(cfg.apiV3Key); // fail at start on a bad key, not at the first notification
  const platformKeys = platformKeyring(cfg.platformPublicKeys);
  const client = createWechatPayClient({ ...cfg, platformKeys });

  return {
    name: 'wechatpay',
    client,

    async createPayment(input) {
      const req = {
        description: fitUtf8(input.description, 127),
        out_trade_no: input.out_trade_no,
        notify_url: input.notify_url,
        amount: { total: input.amount.amount_minor, currency: input.amount.currency },
        ...(input.expires_at_ms !== undefined ? { time_expire: toRfc3339Cst(input.expires_at_ms) } : {}),
        ...(input.attach ? { attach: fitUtf8(input.attach, 128) } : {}),
      };
      if (input.payer_openid) {
        const r = await client.prepayJsapi({ ...req, payer: { openid: input.payer_openid } });
        if (!r.ok) return r;
        return ok({ channel: 'jsapi' as const, prepay_id: r.value.prepay_id, pay_params: client.jsapiPayParams(r.value.prepay_id) });
      }
      const r = await client.prepayNative(req);
      return r.ok ? ok({ channel: 'native' as const, code_url: r.value.code_url }) : r;
    },

    async query(outTradeNo) {
      const r = await client.queryByOutTradeNo(outTradeNo);
      return r.ok ? ok(toTransaction(r.value)) : r;
    },

    close: (outTradeNo) => client.close(outTradeNo),

    async refund(input) {
      const r = await client.refund({
        out_trade_no: input.out_trade_no,
        out_refund_no: input.out_refund_no,
        ...(input.reason ? { reason: fitUtf8(input.reason, 80) } : {}),
        ...(input.notify_url ? { notify_url: input.notify_url } : {}),
        amount: { refund: input.refund.amount_minor, total: input.total.amount_minor, currency: input.refund.currency },
      });
      return r.ok ? ok(toRefund(r.value)) : r;
    },

    async queryRefund(outRefundNo) {
      const r = await client.queryRefund(outRefundNo);
      return r.ok ? ok(toRefund(r.value)) : r;
    },

    parseNotification(headers, rawBody) {
      const n = parseNotification({ headers, body: rawBody, platformKeys, apiV3Key: cfg.apiV3Key, clock: cfg.clock, mchid: cfg.mchid });
      if (!n.ok) return n;
      const e = n.value;
      const ignored = { type: 'ignored' as const, provider: 'wechatpay', notification_id: e.notification_id, event_type: e.event_type };
      if (e.kind === 'other') return ok(ignored);
      if (e.kind === 'transaction') {
        // Only a successful payment is ever notified for ordinary orders; anything else is not a payment.
        if (e.event_type !== 'TRANSACTION.SUCCESS' || e.trade_state !== 'SUCCESS' || e.success_time_ms === null) return ok(ignored);
        return ok({
          type: 'payment.succeeded' as const,
          provider: 'wechatpay',
          notification_id: e.notification_id,
          event_type: e.event_type,
          out_trade_no: e.out_trade_no,
          transaction_id: e.transaction_id,
          trade_state: e.trade_state,
          amount_minor: e.amount.total,
          payer_total_minor: e.amount.payer_total,
          currency: e.amount.currency,
          paid_at_ms: e.success_time_ms,
        });
      }
      return ok({
        type: `refund.${REFUND_STATE[e.refund_status]}` as 'refund.succeeded' | 'refund.closed' | 'refund.abnormal',
        provider: 'wechatpay',
        notification_id: e.notification_id,
        event_type: e.event_type,
        out_refund_no: e.out_refund_no,
        refund_id: e.refund_id,
        out_trade_no: e.out_trade_no,
        transaction_id: e.transaction_id,
        refund_minor: e.amount.refund,
        total_minor: e.amount.total,
        payer_refund_minor: e.amount.payer_refund,
        refunded_at_ms: e.success_time_ms,
      });
    },

    ackNotification: notificationAck,
    nackNotification: notificationNack,
  };
}

/** Cuts text to the protocol's length limit, counted in UTF-8 bytes (the safe reading), on a character boundary. */
function fitUtf8(text: string, maxBytes: number): string {
  let out = '';
  let n = 0;
  for (const ch of text) {
    n += Buffer.byteLength(ch);
    if (n > maxBytes) break;
    out += ch;
  }
  return out;
}

function toTransaction(t: WxTransaction): ProviderTransaction {
  return {
    out_trade_no: t.out_trade_no,
    transaction_id: t.transaction_id ?? null,
    state: TRADE_STATE[t.trade_state] ?? 'failed',
    trade_state: t.trade_state,
    amount_minor: t.amount?.total ?? null,
    currency: t.amount?.currency ?? 'CNY',
    payer_total_minor: t.amount?.payer_total ?? null,
    paid_at_ms: parseRfc3339(t.success_time),
  };
}

function toRefund(r: WxRefund): ProviderRefund {
  return {
    out_refund_no: r.out_refund_no,
    refund_id: r.refund_id,
    out_trade_no: r.out_trade_no,
    transaction_id: r.transaction_id,
    state: REFUND_STATE[r.status] ?? 'abnormal',
    status: r.status,
    refund_minor: r.amount.refund,
    total_minor: r.amount.total,
    currency: r.amount.currency ?? 'CNY',
    payer_refund_minor: r.amount.payer_refund,
    created_at_ms: parseRfc3339(r.create_time),
    succeeded_at_ms: parseRfc3339(r.success_time),
  };
}
