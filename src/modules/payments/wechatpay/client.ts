import type { KeyObject } from 'node:crypto';
import type { Clock } from '../../../lib/clock.ts';
import { fail, ok, type Result } from '../../../lib/result.ts';
import type { PlatformKeyring } from './keys.ts';
import { buildAuthorization, jsapiPayParams, merchantSigner, type JsapiPayParams } from './sign.ts';
import type { JsapiPrepayResponse, NativePrepayResponse, PrepayRequest, RefundRequest, WxRefund, WxTransaction } from './types.ts';
import { header, verifySignedMessage } from './verify.ts';

/**
 * A WeChat Pay API v3 client for the calls Xiaodian needs: Native and JSAPI prepay, query by
 * out_trade_no, close, refund and refund query. Every request is signed; every 2xx answer must
 * carry a valid platform signature or it is refused as unverified (the spec's rule). Error
 * answers are verified when signed and reported either way, but never trusted to move money.
 *
 * Expected failures are values:
 *   not_found            404 (ORDER_NOT_EXIST / RESOURCE_NOT_EXISTS)
 *   rejected             another 4xx: the request is wrong for its state (details.provider_code)
 *   unavailable          5xx, 429, network error or timeout: the outcome is UNKNOWN — retry with
 *                        the same out_trade_no / out_refund_no (both are idempotency keys), or query
 *   unverified_response  a 2xx whose signature is missing, stale or wrong: treat as not received
 *   malformed_response   a verified 2xx whose body is not the expected JSON
 */

export const WECHATPAY_API_BASE = 'https://api.mch.weixin.qq.com';

export interface WechatPayClientConfig {
  mchid: string;
  appid: string;
  merchantPrivateKeyPem: string | KeyObject;
  /** Merchant API certificate serial number. */
  merchantSerial: string;
  platformKeys: PlatformKeyring;
  clock: Clock;
  /** https://api.mch.weixin.qq.com for real; the sandbox's url in tests and the demo. */
  baseUrl?: string;
  fetch?: typeof fetch;
  timeout_ms?: number;
  userAgent?: string;
}

export type ClientFailure = 'not_found' | 'rejected' | 'unavailable' | 'unverified_response' | 'malformed_response';

export interface ClientFailDetails {
  status?: number;
  provider_code?: string;
  provider_message?: string;
  /** Whether the error answer carried a valid platform signature. */
  verified?: boolean;
  request_id?: string;
  cause?: string;
}

export type ClientResult<T> = Result<T, ClientFailure>;

export interface RawResponse {
  status: number;
  body: Buffer;
  request_id: string | undefined;
}

const OUT_TRADE_NO = /^[0-9A-Za-z_\-|*]{6,32}$/;
const OUT_REFUND_NO = /^[0-9A-Za-z_\-|*@]{1,64}$/;

function assertAmount(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`${what} must be a positive integer amount of fen, got ${n}`);
}

export type WechatPayClient = ReturnType<typeof createWechatPayClient>;

export function createWechatPayClient(cfg: WechatPayClientConfig) {
  const signer = merchantSigner({ mchid: cfg.mchid, serial_no: cfg.merchantSerial, privateKeyPem: cfg.merchantPrivateKeyPem });
  const base = (cfg.baseUrl ?? WECHATPAY_API_BASE).replace(/\/+$/, '');
  const doFetch = cfg.fetch ?? fetch;
  const timeout_ms = cfg.timeout_ms ?? 10_000;
  const userAgent = cfg.userAgent ?? 'xiaodian-wechatpay/0.1 (node)';

  /** One signed call; `body` undefined means no body (GET). */
  async function send(method: 'GET' | 'POST', path: string, body?: unknown): Promise<ClientResult<RawResponse>> {
    const url = new URL(base + path);
    const payload = body === undefined ? '' : JSON.stringify(body);
    const authorization = buildAuthorization(signer, { method, pathWithQuery: url.pathname + url.search, body: payload, clock: cfg.clock });
    const headers: Record<string, string> = { Authorization: authorization, Accept: 'application/json', 'User-Agent': userAgent };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let res: Response;
    let raw: Buffer;
    try {
      res = await doFetch(url, { method, headers, body: body === undefined ? undefined : payload, signal: AbortSignal.timeout(timeout_ms) });
      raw = Buffer.from(await res.arrayBuffer());
    } catch (e) {
      return fail('unavailable', 'request to WeChat Pay failed', { cause: (e as Error).message } satisfies ClientFailDetails);
    }
    const request_id = header(res.headers, 'Request-ID');
    const verified = verifySignedMessage({ headers: res.headers, body: raw, keys: cfg.platformKeys, clock: cfg.clock });
    if (res.status >= 200 && res.status < 300) {
      if (!verified.ok) {
        return fail('unverified_response', `response signature: ${verified.code}`, { status: res.status, request_id, cause: verified.code } satisfies ClientFailDetails);
      }
      return ok({ status: res.status, body: raw, request_id });
    }
    const err = parseJson(raw) as { code?: unknown; message?: unknown } | undefined;
    const details: ClientFailDetails = {
      status: res.status,
      provider_code: typeof err?.code === 'string' ? err.code : undefined,
      provider_message: typeof err?.message === 'string' ? err.message : undefined,
      verified: verified.ok,
      request_id,
    };
    const code: ClientFailure = res.status === 404 ? 'not_found' : res.status === 429 || res.status >= 500 ? 'unavailable' : 'rejected';
    return fail(code, `WeChat Pay answered ${res.status}${details.provider_code ? ` ${details.provider_code}` : ''}`, details);
  }

  async function call<T>(method: 'GET' | 'POST', path: string, body: unknown, check: (v: unknown) => boolean): Promise<ClientResult<T>> {
    const r = await send(method, path, body);
    if (!r.ok) return r;
    const data = parseJson(r.value.body);
    if (data === undefined || !check(data)) {
      return fail('malformed_response', 'unexpected response body', { status: r.value.status, request_id: r.value.request_id } satisfies ClientFailDetails);
    }
    return ok(data as T);
  }

  function prepayBody(req: PrepayInput): PrepayRequest {
    if (!OUT_TRADE_NO.test(req.out_trade_no)) throw new Error(`out_trade_no must be 6-32 of [0-9A-Za-z_-|*], got "${req.out_trade_no}"`);
    assertAmount(req.amount.total, 'amount.total');
    if (!req.description || Buffer.byteLength(req.description) > 127) throw new Error('description must be 1-127 bytes of UTF-8');
    return {
      appid: cfg.appid,
      mchid: cfg.mchid,
      description: req.description,
      out_trade_no: req.out_trade_no,
      ...(req.time_expire ? { time_expire: req.time_expire } : {}),
      ...(req.attach ? { attach: req.attach } : {}),
      notify_url: req.notify_url,
      amount: { total: req.amount.total, currency: req.amount.currency ?? 'CNY' },
    };
  }

  return {
    mchid: cfg.mchid,
    appid: cfg.appid,

    /** Native (QR code) prepay: the buyer scans code_url. Same out_trade_no + same fields is idempotent. */
    prepayNative(req: PrepayInput): Promise<ClientResult<NativePrepayResponse>> {
      return call('POST', '/v3/pay/transactions/native', prepayBody(req), (v) => isObj(v) && typeof v.code_url === 'string');
    },

    /** JSAPI / in-WeChat prepay for a payer openid; then give the page jsapiPayParams(prepay_id). */
    prepayJsapi(req: PrepayInput & { payer: { openid: string } }): Promise<ClientResult<JsapiPrepayResponse>> {
      if (!req.payer?.openid) throw new Error('JSAPI prepay needs payer.openid');
      return call('POST', '/v3/pay/transactions/jsapi', { ...prepayBody(req), payer: { openid: req.payer.openid } }, (v) => isObj(v) && typeof v.prepay_id === 'string');
    },

    jsapiPayParams(prepayId: string): JsapiPayParams {
      return jsapiPayParams(signer, cfg.appid, prepayId, cfg.clock);
    },

    queryByOutTradeNo(outTradeNo: string): Promise<ClientResult<WxTransaction>> {
      if (!OUT_TRADE_NO.test(outTradeNo)) throw new Error(`bad out_trade_no "${outTradeNo}"`);
      const path = `/v3/pay/transactions/out-trade-no/${encodeURIComponent(outTradeNo)}?mchid=${encodeURIComponent(cfg.mchid)}`;
      return call('GET', path, undefined, (v) => isObj(v) && typeof v.trade_state === 'string' && v.out_trade_no === outTradeNo);
    },

    /** Closes an unpaid order (answer 204). A paid one is refused (rejected, provider_code ORDERPAID). */
    async close(outTradeNo: string): Promise<ClientResult<void>> {
      if (!OUT_TRADE_NO.test(outTradeNo)) throw new Error(`bad out_trade_no "${outTradeNo}"`);
      const r = await send('POST', `/v3/pay/transactions/out-trade-no/${encodeURIComponent(outTradeNo)}/close`, { mchid: cfg.mchid });
      return r.ok ? ok(undefined) : r;
    },

    /** Asks for a refund; the answer is usually PROCESSING, the outcome comes by notification or queryRefund. */
    refund(req: RefundRequest): Promise<ClientResult<WxRefund>> {
      if (!OUT_REFUND_NO.test(req.out_refund_no)) throw new Error(`out_refund_no must be 1-64 of [0-9A-Za-z_-|*@], got "${req.out_refund_no}"`);
      if (!req.out_trade_no && !req.transaction_id) throw new Error('a refund names out_trade_no or transaction_id');
      assertAmount(req.amount.refund, 'amount.refund');
      assertAmount(req.amount.total, 'amount.total');
      if (req.amount.refund > req.amount.total) throw new Error('refund exceeds the order total');
      return call('POST', '/v3/refund/domestic/refunds', req, (v) => isObj(v) && typeof v.status === 'string' && v.out_refund_no === req.out_refund_no);
    },

    queryRefund(outRefundNo: string): Promise<ClientResult<WxRefund>> {
      if (!OUT_REFUND_NO.test(outRefundNo)) throw new Error(`bad out_refund_no "${outRefundNo}"`);
      return call('GET', `/v3/refund/domestic/refunds/${encodeURIComponent(outRefundNo)}`, undefined, (v) => isObj(v) && v.out_refund_no === outRefundNo);
    },

    /** Any other v3 call, signed and verified, for what this client does not wrap. */
    send,
  };
}

export interface PrepayInput {
  description: string;
  out_trade_no: string;
  notify_url: string;
  amount: { total: number; currency?: 'CNY' };
  time_expire?: string;
  attach?: string;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseJson(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
}
