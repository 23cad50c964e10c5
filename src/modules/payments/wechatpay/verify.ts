import type { Clock } from '../../../lib/clock.ts';
import { fail, ok, type Result } from '../../../lib/result.ts';
import { lookupPlatformKey, type PlatformKeyring } from './keys.ts';
import { MAX_CLOCK_SKEW_MS, signatureMessage, verifyBase64, withinSkew, type Bytes } from './sign.ts';

/**
 * Verification of what WeChat Pay signs: API responses and callback notifications ("签名验证").
 *
 * Headers: Wechatpay-Timestamp, Wechatpay-Nonce, Wechatpay-Signature, Wechatpay-Serial.
 * Message: "timestamp\nnonce\nbody\n" over the raw body bytes (empty for a 204), verified with
 * SHA256-RSA by the platform key that Wechatpay-Serial names. A timestamp more than five
 * minutes from our clock is refused (the replay window). A 2xx response without a valid
 * signature must be treated as forged.
 *
 * Nothing here compares a secret: the only check that depends on key material is
 * crypto.verify, and serial lookup is over public data, so there is no timing side channel to
 * close. Failure codes are distinct for our logs; what goes back over the wire is generic.
 */

export type HeaderBag =
  | { get(name: string): string | null }
  | Readonly<Record<string, string | string[] | number | undefined>>;

/** Case-insensitive header read over fetch Headers or Node's IncomingHttpHeaders / a plain object. */
export function header(headers: HeaderBag, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(n: string): string | null }).get(name) ?? undefined;
  }
  const bag = headers as Record<string, string | string[] | number | undefined>;
  const lower = name.toLowerCase();
  let v = bag[lower];
  if (v === undefined) {
    for (const k of Object.keys(bag)) if (k.toLowerCase() === lower) v = bag[k];
  }
  if (Array.isArray(v)) return v.length === 1 ? v[0] : undefined; // a repeated signature header is not one we trust
  return v === undefined ? undefined : String(v);
}

export const H_TIMESTAMP = 'Wechatpay-Timestamp';
export const H_NONCE = 'Wechatpay-Nonce';
export const H_SIGNATURE = 'Wechatpay-Signature';
export const H_SERIAL = 'Wechatpay-Serial';

export interface WechatpaySignatureHeaders {
  timestamp: string;
  nonce: string;
  signature: string;
  serial: string;
}

export function readSignatureHeaders(headers: HeaderBag): WechatpaySignatureHeaders | null {
  const timestamp = header(headers, H_TIMESTAMP)?.trim();
  const nonce = header(headers, H_NONCE)?.trim();
  const signature = header(headers, H_SIGNATURE)?.trim();
  const serial = header(headers, H_SERIAL)?.trim();
  if (!timestamp || !nonce || !signature || !serial) return null;
  return { timestamp, nonce, signature, serial };
}

export type VerifyFailure = 'missing_signature_headers' | 'stale_timestamp' | 'unknown_serial' | 'bad_signature';

export interface VerifiedMessage {
  serial: string;
  timestamp_s: number;
  nonce: string;
}

export function verifySignedMessage(input: {
  headers: HeaderBag;
  body: Bytes;
  keys: PlatformKeyring;
  clock: Clock;
  maxSkew_ms?: number;
}): Result<VerifiedMessage, VerifyFailure> {
  const h = readSignatureHeaders(input.headers);
  if (!h) return fail('missing_signature_headers', 'Wechatpay-Timestamp/Nonce/Signature/Serial missing');
  if (!withinSkew(h.timestamp, input.clock, input.maxSkew_ms ?? MAX_CLOCK_SKEW_MS)) {
    return fail('stale_timestamp', 'Wechatpay-Timestamp outside the allowed window', { timestamp: h.timestamp });
  }
  const key = lookupPlatformKey(input.keys, h.serial);
  if (!key) return fail('unknown_serial', 'no platform key with this serial', { serial: h.serial });
  if (!verifyBase64(signatureMessage(h.timestamp, h.nonce, input.body), h.signature, key)) {
    return fail('bad_signature', 'Wechatpay-Signature does not verify', { serial: h.serial });
  }
  return ok({ serial: h.serial, timestamp_s: Number(h.timestamp), nonce: h.nonce });
}
