import { createCipheriv, createDecipheriv, randomInt } from 'node:crypto';
import { fail, ok, type Result } from '../../../lib/result.ts';
import { apiV3KeyBytes } from './keys.ts';

/**
 * AEAD_AES_256_GCM as WeChat Pay uses it for notification resources and downloaded platform
 * certificates ("证书和回调报文解密"): key = the 32-byte APIv3 key, IV = the `nonce` string's
 * bytes (12 characters in practice), AAD = the `associated_data` string's bytes (may be empty),
 * and `ciphertext` = base64(encrypted bytes ‖ 16-byte GCM tag).
 */

export const AEAD_ALGORITHM = 'AEAD_AES_256_GCM';
const TAG_BYTES = 16;

export interface EncryptedResource {
  algorithm: string;
  ciphertext: string;
  nonce: string;
  associated_data?: string;
  original_type?: string;
}

export type AeadFailure = 'unsupported_algorithm' | 'malformed_ciphertext' | 'decrypt_failed';

/** Decrypts to UTF-8 text; a wrong key, nonce, AAD or any changed byte fails the tag check. */
export function aeadDecrypt(apiV3Key: string | Buffer, nonce: string, associatedData: string, ciphertextB64: string): Result<string, AeadFailure> {
  return gcmOpen(apiV3KeyBytes(apiV3Key), nonce, associatedData, ciphertextB64);
}

/**
 * The GCM open itself, for any AES key length (AES-128 when given 16 bytes). Only
 * aeadDecrypt, which insists on the 32-byte APIv3 key, is the protocol's; this one exists so
 * the layout can be checked against published vectors made with other key sizes.
 */
export function gcmOpen(key: Buffer, nonce: string, associatedData: string, ciphertextB64: string): Result<string, AeadFailure> {
  if (![16, 24, 32].includes(key.length)) throw new Error(`AES key must be 16, 24 or 32 bytes, got ${key.length}`);
  if (!nonce) return fail('malformed_ciphertext', 'empty nonce');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(ciphertextB64)) return fail('malformed_ciphertext', 'ciphertext is not base64');
  const data = Buffer.from(ciphertextB64, 'base64');
  if (data.length < TAG_BYTES) return fail('malformed_ciphertext', 'ciphertext shorter than the GCM tag');
  try {
    const decipher = createDecipheriv(`aes-${key.length * 8}-gcm` as 'aes-256-gcm', key, Buffer.from(nonce, 'utf8'), { authTagLength: TAG_BYTES });
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const plain = Buffer.concat([decipher.update(data.subarray(0, data.length - TAG_BYTES)), decipher.final()]);
    return ok(plain.toString('utf8'));
  } catch {
    return fail('decrypt_failed', 'authentication tag mismatch');
  }
}

/** Encrypts UTF-8 text the same way (what the sandbox does before notifying). */
export function aeadEncrypt(apiV3Key: string | Buffer, nonce: string, associatedData: string, plaintext: string): string {
  const key = apiV3KeyBytes(apiV3Key);
  if (!nonce) throw new Error('empty nonce');
  const cipher = createCipheriv('aes-256-gcm', key, Buffer.from(nonce, 'utf8'), { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const out = Buffer.concat([cipher.update(Buffer.from(plaintext, 'utf8')), cipher.final(), cipher.getAuthTag()]);
  return out.toString('base64');
}

export function decryptResource(apiV3Key: string | Buffer, resource: EncryptedResource): Result<string, AeadFailure> {
  if (resource.algorithm !== AEAD_ALGORITHM) return fail('unsupported_algorithm', `unsupported algorithm ${String(resource.algorithm)}`);
  if (typeof resource.ciphertext !== 'string' || typeof resource.nonce !== 'string') return fail('malformed_ciphertext', 'resource lacks ciphertext or nonce');
  return aeadDecrypt(apiV3Key, resource.nonce, resource.associated_data ?? '', resource.ciphertext);
}

const NONCE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A 12-character alphanumeric nonce, the form WeChat Pay sends in `resource.nonce`. */
export function resourceNonce(): string {
  let s = '';
  for (let i = 0; i < 12; i++) s += NONCE_ALPHABET[randomInt(NONCE_ALPHABET.length)];
  return s;
}

export function encryptResource(apiV3Key: string | Buffer, plaintext: string, originalType: string, associatedData: string = originalType): Required<EncryptedResource> {
  const nonce = resourceNonce();
  return {
    original_type: originalType,
    algorithm: AEAD_ALGORITHM,
    ciphertext: aeadEncrypt(apiV3Key, nonce, associatedData, plaintext),
    associated_data: associatedData,
    nonce,
  };
}
