import { DAY_MS, HOUR_MS } from '../../lib/clock.ts';

/**
 * Reports count days in China time (Asia/Shanghai, UTC+8 all year: no daylight saving), so a
 * merchant's "today" starts at 00:00 Beijing time whatever the server's zone.
 */
const OFFSET_MS = 8 * HOUR_MS;

/** 'YYYY-MM-DD' of an instant in Asia/Shanghai. */
export const shanghaiDay = (ms: number): string => new Date(ms + OFFSET_MS).toISOString().slice(0, 10);

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
export const isDay = (s: string): boolean => DAY_RE.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);

/** Every day from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`), end = Date.parse(`${to}T00:00:00Z`); t <= end; t += DAY_MS) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/** The instant a Shanghai day starts. */
export const dayStartMs = (day: string): number => Date.parse(`${day}T00:00:00Z`) - OFFSET_MS;

/** The default report window: the last `n` days up to today (Shanghai), both included. */
export function lastDays(now: number, n: number): { from: string; to: string } {
  return { from: shanghaiDay(now - (n - 1) * DAY_MS), to: shanghaiDay(now) };
}
