import type { Fail, Ok } from '../../../lib/result.ts';

/**
 * A rule rejection as shown to merchants: `Fail` from lib/result plus a Chinese message.
 * Structurally still a `Fail`, so the HTTP edge can map it like any other outcome.
 */
export type RuleFail<C extends string = string> = Fail<C> & { message_zh: string };
export type RuleResult<T, C extends string = string> = Ok<T> | RuleFail<C>;

export function ruleFail<C extends string>(code: C, message: string, message_zh: string, details?: unknown): RuleFail<C> {
  return details === undefined ? { ok: false, code, message, message_zh } : { ok: false, code, message, message_zh, details };
}
