import type { PresaleOrder } from './presale-data.ts';

/** Where a pre-sale order stands for the buyer: its stage, and for a paid deposit whether the balance window is open. */
export type PresaleView = 'awaiting_deposit' | 'waiting_balance' | 'balance_due' | 'balance_late' | 'balance_paid' | 'cancelled' | 'forfeited' | 'refunded';

/** The window is [balance_from, balance_to), as the server enforces it; `now` is the server's time. */
export function viewOf(p: Pick<PresaleOrder, 'stage' | 'balance_from' | 'balance_to'>, now: number): PresaleView {
  if (p.stage !== 'deposit_paid') return p.stage;
  if (now < Date.parse(p.balance_from)) return 'waiting_balance';
  return now < Date.parse(p.balance_to) ? 'balance_due' : 'balance_late';
}

/** What is left until `to`, in whole days, hours, minutes and seconds (never negative). */
export function timeLeft(to: string, now: number): { d: number; h: number; m: number; s: number } {
  const left = Math.max(0, Math.floor((Date.parse(to) - now) / 1000));
  return { d: Math.floor(left / 86_400), h: Math.floor((left % 86_400) / 3600), m: Math.floor((left % 3600) / 60), s: left % 60 };
}
