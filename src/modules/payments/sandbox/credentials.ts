import { generateKeyPairSync, randomBytes, randomInt, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Throwaway key material for the sandbox, tests and the demo. A real merchant gets its keys
 * from the WeChat Pay merchant platform instead (API证书 + APIv3密钥 + 微信支付公钥).
 */

export interface RsaKeyPairPem {
  privateKeyPem: string;
  publicKeyPem: string;
}

export function generateRsaKeyPair(): RsaKeyPairPem {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKeyPem: pem(privateKey, 'private'), publicKeyPem: pem(publicKey, 'public') };
}

function pem(key: KeyObject, kind: 'private' | 'public'): string {
  return kind === 'private'
    ? (key.export({ type: 'pkcs8', format: 'pem' }) as string)
    : (key.export({ type: 'spki', format: 'pem' }) as string);
}

export interface MerchantCredentials extends RsaKeyPairPem {
  mchid: string;
  appid: string;
  /** Looks like a merchant API certificate serial: 40 upper-case hex digits. */
  merchantSerial: string;
  /** 32 characters, like the APIv3 key set in the merchant platform. */
  apiV3Key: string;
}

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function randomApiV3Key(): string {
  let s = '';
  for (let i = 0; i < 32; i++) s += KEY_ALPHABET[randomInt(KEY_ALPHABET.length)];
  return s;
}

export function generateMerchantCredentials(over: Partial<Pick<MerchantCredentials, 'mchid' | 'appid'>> = {}): MerchantCredentials {
  return {
    mchid: over.mchid ?? '1900000109',
    appid: over.appid ?? 'wxd678efh567hg6787',
    merchantSerial: randomBytes(20).toString('hex').toUpperCase(),
    apiV3Key: randomApiV3Key(),
    ...generateRsaKeyPair(),
  };
}

/** A WeChat-Pay-public-key style id for the sandbox's platform key. */
export function sandboxPlatformSerial(): string {
  return `PUB_KEY_ID_${randomBytes(12).toString('hex').toUpperCase()}`;
}

export interface SandboxKeys {
  merchant: MerchantCredentials;
  platform: RsaKeyPairPem & { serial: string };
}

/**
 * The demo's keys, made once and kept in `dir` (merchant.json, platform.json) so the app and
 * a sandbox on its own port — or a restarted one — agree on them.
 */
export function loadOrCreateSandboxKeys(dir: string): SandboxKeys {
  mkdirSync(dir, { recursive: true });
  const read = <T>(name: string, make: () => T): T => {
    const p = join(dir, name);
    if (existsSync(p)) return JSON.parse(readFileSync(p, 'utf8')) as T;
    const v = make();
    writeFileSync(p, JSON.stringify(v, null, 2), { mode: 0o600 });
    return v;
  };
  return {
    merchant: read('merchant.json', () => generateMerchantCredentials()),
    platform: read('platform.json', () => ({ serial: sandboxPlatformSerial(), ...generateRsaKeyPair() })),
  };
}
