import { randomBytes } from 'node:crypto';

/**
 * Prefixed, sortable, unguessable ids: `ord_01JD3Q…` — a ULID (48-bit ms time +
 * 80 random bits, Crockford base32) behind a kind prefix. Monotonic within one
 * millisecond in one process so ids created in a loop keep their order.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export type Id<P extends string> = `${P}_${string}` & { readonly __id?: P };

let lastMs = -1;
let lastRand: Uint8Array = new Uint8Array(10);

function encodeTime(ms: number): string {
  let out = '';
  let t = ms;
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[t % 32] + out;
    t = Math.floor(t / 32);
  }
  return out;
}

function encodeRandom(bytes: Uint8Array): string {
  // 80 bits -> 16 base32 chars, as two 40-bit halves (exact in a double; no BigInt on the hot path)
  let out = '';
  for (const offset of [0, 5]) {
    let v = 0;
    for (let i = 0; i < 5; i++) v = v * 256 + bytes[offset + i];
    let half = '';
    for (let i = 0; i < 8; i++) {
      half = ALPHABET[v % 32] + half;
      v = Math.floor(v / 32);
    }
    out += half;
  }
  return out;
}

function increment(bytes: Uint8Array): Uint8Array {
  const next = Uint8Array.from(bytes);
  for (let i = next.length - 1; i >= 0; i--) {
    if (next[i] === 255) {
      next[i] = 0;
    } else {
      next[i]++;
      return next;
    }
  }
  return Uint8Array.from(randomBytes(10)); // overflow: astronomically unlikely
}

export function ulid(nowMs: number = Date.now()): string {
  if (nowMs <= lastMs) {
    lastRand = increment(lastRand);
    return encodeTime(lastMs) + encodeRandom(lastRand);
  }
  lastMs = nowMs;
  lastRand = Uint8Array.from(randomBytes(10));
  return encodeTime(nowMs) + encodeRandom(lastRand);
}

export function newId<P extends string>(prefix: P): Id<P> {
  return `${prefix}_${ulid()}` as Id<P>;
}

const ID_RE = /^[a-z]{2,6}_[0-9A-HJKMNP-TV-Z]{26}$/;
export function isId(value: string, prefix?: string): boolean {
  if (!ID_RE.test(value)) return false;
  return prefix === undefined || value.startsWith(prefix + '_');
}
