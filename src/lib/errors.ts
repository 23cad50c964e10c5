/**
 * Unexpected or request-ending failures carry a kind; src/http/errors.ts is the one
 * place that maps kinds to HTTP status and the `{error:{code,message,details}}` body.
 * Expected business outcomes inside modules are values (see result.ts) and are turned
 * into AppErrors at the edge.
 */
export type ErrorKind =
  | 'validation' // 400
  | 'unauthenticated' // 401
  | 'forbidden' // 403
  | 'not_found' // 404
  | 'conflict' // 409
  | 'business_rule' // 422
  | 'throttled' // 429
  | 'unavailable' // 503
  | 'internal'; // 500

export class AppError extends Error {
  readonly kind: ErrorKind;
  readonly code: string;
  readonly details: unknown;
  readonly headers: Record<string, string> | undefined;
  /** Chinese message for the UI (the product is zh-CN first); optional. */
  message_zh: string | undefined;
  constructor(kind: ErrorKind, code: string, message: string, details?: unknown, headers?: Record<string, string>) {
    super(message);
    this.name = 'AppError';
    this.kind = kind;
    this.code = code;
    this.details = details;
    this.headers = headers;
  }
  zh(message_zh: string): this {
    this.message_zh = message_zh;
    return this;
  }
}

/** Turns a module's expected failure (a Result value) into an AppError of the given kind. */
export function fromFail(kind: ErrorKind, f: { code: string; message: string; details?: unknown; message_zh?: string }): AppError {
  const e = new AppError(kind, f.code, f.message, f.details);
  if (f.message_zh) e.zh(f.message_zh);
  return e;
}

export const notFound = (what: string, id?: string) =>
  new AppError('not_found', `${what}_not_found`, `${what.replace(/_/g, ' ')} not found`, id ? { id } : undefined);
export const conflict = (code: string, message: string, details?: unknown) => new AppError('conflict', code, message, details);
export const rule = (code: string, message: string, details?: unknown) => new AppError('business_rule', code, message, details);
export const invalid = (code: string, message: string, details?: unknown) => new AppError('validation', code, message, details);
export const forbidden = (code: string, message: string) => new AppError('forbidden', code, message);
export const unauthenticated = (code = 'unauthenticated', message = 'sign in required') => new AppError('unauthenticated', code, message);
