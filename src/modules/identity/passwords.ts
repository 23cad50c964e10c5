import { hash, verify } from '@node-rs/argon2';

// Argon2id (algorithm 2) with OWASP's second recommended profile: 19 MiB, t=2, p=1.
const OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS as never);
}

export function verifyPassword(stored: string, password: string): Promise<boolean> {
  return verify(stored, password).catch(() => false);
}

/** 8–64 characters with at least one letter and one digit. Returns a reason or null. */
export function passwordProblem(password: string): string | null {
  if (password.length < 8) return 'password must be at least 8 characters';
  if (password.length > 64) return 'password must be at most 64 characters';
  if (!/[A-Za-z]/.test(password) || !/\d/.test(password)) return 'password must contain letters and digits';
  return null;
}

// A real hash of a random string, verified against when the account doesn't exist so
// that "no such phone" and "wrong password" take the same time.
let dummyHash: Promise<string> | undefined;
export function dummyVerify(password: string): Promise<boolean> {
  dummyHash ??= hashPassword('xd-dummy-password-for-timing-1');
  return dummyHash.then((h) => verifyPassword(h, password)).then(() => false);
}
