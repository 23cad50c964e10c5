/** Expected business outcomes are values, not exceptions. */
export type Ok<T> = { ok: true; value: T };
export type Fail<C extends string = string> = { ok: false; code: C; message: string; details?: unknown };
export type Result<T, C extends string = string> = Ok<T> | Fail<C>;

export const ok = <T>(value: T): Ok<T> => ({ ok: true, value });
export const fail = <C extends string>(code: C, message: string, details?: unknown): Fail<C> => ({ ok: false, code, message, details });
