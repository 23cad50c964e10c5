import { X509Certificate, createPrivateKey, createPublicKey, randomBytes, type KeyObject } from 'node:crypto';

/**
 * Key material for WeChat Pay API v3. The merchant signs requests with its private key
 * (the `apiclient_key.pem` from the merchant platform); WeChat Pay signs responses and
 * notifications with its platform key, which the merchant knows either as a platform
 * certificate (serial = the certificate's serial number, hex) or, since 2024, as a
 * "WeChat Pay public key" (serial = its id, `PUB_KEY_ID_…`). Both come in through here.
 */

export function loadPrivateKey(pem: string | KeyObject): KeyObject {
  if (typeof pem !== 'string') {
    if (pem.type !== 'private') throw new Error('expected a private key');
    return pem;
  }
  const key = createPrivateKey(pem); // PKCS#8 ("BEGIN PRIVATE KEY") or PKCS#1 ("BEGIN RSA PRIVATE KEY")
  assertRsa2048(key, 'merchant private key');
  return key;
}

/** A public key PEM, or an X.509 certificate PEM (its public key is used). */
export function loadPublicKey(pem: string | KeyObject): KeyObject {
  if (typeof pem !== 'string') {
    if (pem.type !== 'public') throw new Error('expected a public key');
    return pem;
  }
  const key = pem.includes('BEGIN CERTIFICATE') ? new X509Certificate(pem).publicKey : createPublicKey(pem);
  assertRsa2048(key, 'platform public key');
  return key;
}

function assertRsa2048(key: KeyObject, what: string): void {
  if (key.asymmetricKeyType !== 'rsa') throw new Error(`${what} must be an RSA key, got ${key.asymmetricKeyType}`);
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < 2048) throw new Error(`${what} must be at least 2048 bits, got ${bits}`);
}

/** The serial WeChat Pay puts in `Wechatpay-Serial` for this certificate: its serial number, upper-case hex. */
export function certificateSerial(certPem: string): string {
  return normalizeSerial(new X509Certificate(certPem).serialNumber);
}

/** Hex certificate serials compare case-insensitively; public-key ids (`PUB_KEY_ID_…`) as they are. */
export function normalizeSerial(serial: string): string {
  const s = serial.trim();
  return /^[0-9a-fA-F]+$/.test(s) ? s.toUpperCase() : s;
}

/** Platform keys by serial; a notification or response names the one that signed it. */
export type PlatformKeyring = ReadonlyMap<string, KeyObject>;

/**
 * Builds a keyring from `{ serial: pem }` (public key or certificate). For a certificate the
 * serial may be given as '' or '*' and is then read from the certificate itself.
 */
export function platformKeyring(entries: Record<string, string | KeyObject> | ReadonlyArray<{ serial: string; pem: string | KeyObject }>): PlatformKeyring {
  const list = Array.isArray(entries) ? entries : Object.entries(entries).map(([serial, pem]) => ({ serial, pem }));
  const ring = new Map<string, KeyObject>();
  for (const { serial, pem } of list) {
    const fromCert = (serial === '' || serial === '*') && typeof pem === 'string' && pem.includes('BEGIN CERTIFICATE');
    const id = fromCert ? certificateSerial(pem as string) : normalizeSerial(serial);
    if (!id) throw new Error('a platform key needs a serial');
    ring.set(id, loadPublicKey(pem));
  }
  if (ring.size === 0) throw new Error('at least one platform public key is required');
  return ring;
}

export function lookupPlatformKey(ring: PlatformKeyring, serial: string): KeyObject | undefined {
  return ring.get(normalizeSerial(serial));
}

/** 32 upper-case hex characters: the nonce_str / Wechatpay-Nonce form WeChat's own SDKs send. */
export function newNonce(): string {
  return randomBytes(16).toString('hex').toUpperCase();
}

/** Seconds since the epoch, as the protocol writes timestamps. */
export function epochSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}

/** The APIv3 key is a 32-character string set in the merchant platform, used as the AES-256 key bytes. */
export function apiV3KeyBytes(key: string | Buffer): Buffer {
  const bytes = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
  if (bytes.length !== 32) throw new Error(`the APIv3 key must be 32 bytes, got ${bytes.length}`);
  return bytes;
}
