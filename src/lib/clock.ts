/** The one source of time. Modules never call Date.now(); tests move a TestClock. */
export interface Clock {
  now(): number; // epoch milliseconds, UTC
}

export const systemClock: Clock = { now: () => Date.now() };

export class TestClock implements Clock {
  private ms: number;
  constructor(startMs: number = Date.UTC(2026, 10, 11, 0, 0, 0)) {
    this.ms = startMs;
  }
  now(): number {
    return this.ms;
  }
  advance(ms: number): number {
    if (ms < 0) throw new Error('time only moves forward');
    this.ms += ms;
    return this.ms;
  }
  set(ms: number): void {
    if (ms < this.ms) throw new Error('time only moves forward');
    this.ms = ms;
  }
}

export const SECOND_MS = 1000;
export const MINUTE_MS = 60 * SECOND_MS;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

export function toIso(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : new Date(ms).toISOString();
}
