/**
 * The lucky-bag (福袋) draw: auditable and reproducible.
 *
 * When a bag is created the server picks a random 32-byte seed and publishes only its
 * commitment, sha256(seed hex). At the draw it publishes the seed and the sorted list of
 * eligible account ids; anyone can check sha256(seed) against the commitment and recompute the
 * winners with `drawWinners(seed, eligible, k)`:
 *   - ids are de-duplicated and sorted (byte order), so the input order does not matter;
 *   - a deterministic stream of 32-bit numbers comes from HMAC-SHA256(seed, "<list hash>:<n>"),
 *     so the same seed with a different eligible list gives an unrelated draw;
 *   - a partial Fisher–Yates shuffle picks k winners; each index is drawn uniformly by
 *     rejection sampling (no modulo bias).
 */
import { createHash, createHmac } from 'node:crypto';

export const seedCommitment = (seedHex: string): string => createHash('sha256').update(seedHex).digest('hex');

export const eligibleHash = (sortedIds: readonly string[]): string => createHash('sha256').update(sortedIds.join('\n')).digest('hex');

export function sortedEligible(ids: Iterable<string>): string[] {
  return [...new Set(ids)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export function drawWinners(seedHex: string, eligible: Iterable<string>, k: number): string[] {
  const ids = sortedEligible(eligible);
  const n = ids.length;
  const take = Math.min(Math.max(0, Math.floor(k)), n);
  const listHash = eligibleHash(ids);
  let block = 0;
  let words: number[] = [];
  const next32 = (): number => {
    if (!words.length) {
      const d = createHmac('sha256', Buffer.from(seedHex, 'hex')).update(`${listHash}:${block++}`).digest();
      words = Array.from({ length: 8 }, (_, i) => d.readUInt32BE(i * 4));
    }
    return words.shift()!;
  };
  /** Uniform in [0, bound) without modulo bias. */
  const below = (bound: number): number => {
    const limit = Math.floor(0x1_0000_0000 / bound) * bound;
    for (;;) {
      const x = next32();
      if (x < limit) return x % bound;
    }
  };
  const pool = ids.slice();
  for (let i = 0; i < take; i++) {
    const j = i + below(n - i);
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, take);
}
