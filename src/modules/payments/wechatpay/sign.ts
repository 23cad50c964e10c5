import { sign as rsaSign, verify as rsaVerify, type KeyObject } from 'node:crypto';
import type { Clock } from '../../../lib/clock.ts';
import { fail, ok, type Result } from '../../../lib/result.ts';
import { epochSeconds, loadPrivateKey, newNonce, normalizeSerial } from './keys.ts';

/**
 * WeChat Pay API v3 request signatures ("签名生成").
 *
 * The message is five lines, each ending in "\n" (the last one too):
 *   HTTP method \n  URL path with query \n  timestamp (s) \n  nonce_str \n  body \n
 * where the body is the exact bytes sent (empty for GET). It is signed with SHA256-RSA
 * (RSASSA-PKCS1-v1_5 over SHA-256) by the merchant private key, base64-encoded, and sent as
 *   Authorization: WECHATPAY2-SHA256-RSA2048 mchid="…",nonce_str="…",signature="…",timestamp="…",serial_no="…"
 * serial_no being the merchant API certificate's serial. WeChat Pay answers 401 SIGN_ERROR to
 * a missing or bad signature.
 */

export const AUTH_SCHEME = 'WECHATPAY2-SHA256-RSA2048';
/** The replay window the protocol uses for both directions. */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

export type Bytes = string | Buffer;

function toBuffer(b: Bytes): Buffer {
  return typeof b === 'string' ? Buffer.from(b, 'utf8') : b;
}

/** Joins lines into a signature message, each followed by "\n". Bytes, so a body is never re-encoded. */
export function signatureMessage(...lines: Bytes[]): Buffer {
  const parts: Buffer[] = [];
  for (const line of lines) parts.push(toBuffer(line), Buffer.from('\n'));
  return Buffer.concat(parts);
}

export function requestMessage(method: string, pathWithQuery: string, timestamp: number | string, nonce: string, body: Bytes): Buffer {
  return signatureMessage(method.toUpperCase(), pathWithQuery, String(timestamp), nonce, body);
}

/** SHA256-RSA (PKCS#1 v1.5), base64. */
export function signBase64(message: Bytes, privateKey: KeyObject): string {
  return rsaSign('sha256', toBuffer(message), privateKey).toString('base64');
}

/** False for a wrong signature and for anything that is not a well-formed base64 signature. */
export function verifyBase64(message: Bytes, signatureB64: string, publicKey: KeyObject): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(signatureB64)) return false;
  const sig = Buffer.from(signatureB64, 'base64');
  const bytes = (publicKey.asymmetricKeyDetails?.modulusLength ?? 0) / 8;
  if (sig.length !== bytes) return false;
  try {
    return rsaVerify('sha256', toBuffer(message), publicKey, sig);
  } catch {
    return false;
  }
}

export interface AuthorizationParams {
  mchid: string;
  nonce_str: string;
  signature: string;
  timestamp: string;
  serial_no: string;
}

export function formatAuthorization(p: AuthorizationParams): string {
  for (const [k, v] of Object.entries(p)) {
    if (v.includes('"') || v.includes(',')) throw new Error(`authorization ${k} must not contain quotes or commas`);
  }
  return `${AUTH_SCHEME} mchid="${p.mchid}",nonce_str="${p.nonce_str}",signature="${p.signature}",timestamp="${p.timestamp}",serial_no="${p.serial_no}"`;
}

const AUTH_FIELDS = ['mchid', 'nonce_str', 'signature', 'timestamp', 'serial_no'] as const;

/** Parses an Authorization header; null unless it has the scheme and exactly the five fields once each. */
export function parseAuthorization(header: string | undefined | null): AuthorizationParams | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (!trimmed.startsWith(AUTH_SCHEME + ' ')) return null;
  const rest = trimmed.slice(AUTH_SCHEME.length + 1).trim();
  const seen = new Map<string, string>();
  const re = /\s*([a-z_]+)="([^"]*)"\s*(?:,|$)/gy;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = re.exec(rest)) !== null) {
    if (seen.has(m[1])) return null;
    seen.set(m[1], m[2]);
    consumed = re.lastIndex;
    if (consumed >= rest.length) break;
  }
  if (consumed !== rest.length) return null;
  const out: Partial<AuthorizationParams> = {};
  for (const f of AUTH_FIELDS) {
    const v = seen.get(f);
    if (!v) return null;
    out[f] = v;
  }
  return seen.size === AUTH_FIELDS.length ? (out as AuthorizationParams) : null;
}

export interface MerchantSigner {
  mchid: string;
  /** The merchant API certificate serial number (商户API证书序列号). */
  serial_no: string;
  privateKey: KeyObject;
}

export function merchantSigner(input: { mchid: string; serial_no: string; privateKeyPem: string | KeyObject }): MerchantSigner {
  if (!input.mchid) throw new Error('mchid is required');
  if (!input.serial_no) throw new Error('the merchant certificate serial is required');
  return { mchid: input.mchid, serial_no: normalizeSerial(input.serial_no), privateKey: loadPrivateKey(input.privateKeyPem) };
}

/** The Authorization header for one request. `timestamp`/`nonce` are for tests and vectors. */
export function buildAuthorization(
  signer: MerchantSigner,
  req: { method: string; pathWithQuery: string; body: Bytes; clock: Clock; timestamp?: number; nonce?: string },
): string {
  const timestamp = req.timestamp ?? epochSeconds(req.clock.now());
  const nonce = req.nonce ?? newNonce();
  const signature = signBase64(requestMessage(req.method, req.pathWithQuery, timestamp, nonce, req.body), signer.privateKey);
  return formatAuthorization({ mchid: signer.mchid, nonce_str: nonce, signature, timestamp: String(timestamp), serial_no: signer.serial_no });
}

export type RequestAuthFailure = 'missing_authorization' | 'malformed_authorization' | 'wrong_mchid' | 'wrong_serial' | 'stale_timestamp' | 'bad_signature';

/**
 * The payment side's check of a merchant request (the sandbox uses it). `pathWithQuery` must
 * be the request target exactly as received, `body` the raw bytes.
 */
export function verifyRequestAuthorization(input: {
  method: string;
  pathWithQuery: string;
  body: Bytes;
  authorization: string | undefined;
  merchantPublicKey: KeyObject;
  clock: Clock;
  expectMchid?: string;
  expectSerial?: string;
  maxSkew_ms?: number;
}): Result<AuthorizationParams, RequestAuthFailure> {
  if (!input.authorization) return fail('missing_authorization', 'no Authorization header');
  const auth = parseAuthorization(input.authorization);
  if (!auth) return fail('malformed_authorization', `Authorization is not a ${AUTH_SCHEME} header`);
  if (input.expectMchid !== undefined && auth.mchid !== input.expectMchid) return fail('wrong_mchid', 'mchid does not match');
  if (input.expectSerial !== undefined && normalizeSerial(auth.serial_no) !== normalizeSerial(input.expectSerial)) {
    return fail('wrong_serial', 'serial_no is not the configured merchant certificate');
  }
  if (!withinSkew(auth.timestamp, input.clock, input.maxSkew_ms)) return fail('stale_timestamp', 'timestamp outside the allowed window');
  const message = requestMessage(input.method, input.pathWithQuery, auth.timestamp, auth.nonce_str, input.body);
  if (!verifyBase64(message, auth.signature, input.merchantPublicKey)) return fail('bad_signature', 'signature does not verify');
  return ok(auth);
}

/** True when `timestamp` is decimal seconds no further than the window from the clock. */
export function withinSkew(timestamp: string, clock: Clock, maxSkew_ms: number = MAX_CLOCK_SKEW_MS): boolean {
  if (!/^\d{1,12}$/.test(timestamp)) return false;
  return Math.abs(Number(timestamp) * 1000 - clock.now()) <= maxSkew_ms;
}

/**
 * Parameters for `WeixinJSBridge.invoke('getBrandWCPayRequest', …)` / `wx.requestPayment` after a
 * JSAPI or mini-program prepay: paySign signs "appId\ntimeStamp\nnonceStr\npackage\n" with the
 * merchant key (signType "RSA").
 */
export interface JsapiPayParams {
  appId: string;
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: 'RSA';
  paySign: string;
}

export function jsapiPayParams(signer: MerchantSigner, appId: string, prepayId: string, clock: Clock, nonce: string = newNonce()): JsapiPayParams {
  const timeStamp = String(epochSeconds(clock.now()));
  const pkg = `prepay_id=${prepayId}`;
  const paySign = signBase64(signatureMessage(appId, timeStamp, nonce, pkg), signer.privateKey);
  return { appId, timeStamp, nonceStr: nonce, package: pkg, signType: 'RSA', paySign };
}
