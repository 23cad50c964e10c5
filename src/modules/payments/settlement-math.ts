import { applyRateBp, prorate } from '../../lib/money.ts';
import type { CommissionSplit } from './ports.ts';

/**
 * The money arithmetic of settlement and refunds, pure so it is tested on its own.
 *
 * Settlement, per line: base = paid − refunded so far (refunds before settlement already left
 * escrow); fee = base × the category rate, rounded ONCE per line (lib/money applyRateBp, half
 * up) — the rate applies to what the buyer paid, freight share included; commission = base ×
 * the creator's rate; the platform subsidy (platform-funded discount parts) in proportion to
 * what is still paid. The merchant gets base − fee − commission, plus the subsidy.
 *
 * A refund after settlement takes back fee, commission and subsidy in proportion, computed
 * CUMULATIVELY (target after this refund − already taken back), so refunding a line in parts
 * takes back exactly what settlement gave, to the fen, whatever the split.
 */

// total × part / whole, rounded half up (lib/money: rounding in one place; the campaign report uses it too).
export { prorate };

export interface LineFunds {
  line_id: string;
  paid_minor: number;
  refunded_minor: number;
  fee_rate_bp: number;
  creator_id: string | null;
  subsidy_minor: number;
}

export interface LineSettlement {
  line_id: string;
  base_minor: number;
  fee_minor: number;
  commission_minor: number;
  subsidy_minor: number;
  merchant_minor: number;
}

export interface OrderSettlement {
  lines: LineSettlement[];
  merchant_minor: number;
  fee_minor: number;
  commissions: CommissionSplit[];
  subsidy_minor: number;
  /** What leaves escrow: Σ base. */
  escrow_minor: number;
}

export function settleLines(lines: readonly LineFunds[], commissionRateBp: (l: LineFunds) => number): OrderSettlement {
  const out: LineSettlement[] = [];
  const byCreator = new Map<string, number>();
  for (const l of lines) {
    const base = l.paid_minor - l.refunded_minor;
    if (base < 0) throw new Error(`line ${l.line_id}: refunded ${l.refunded_minor} exceeds paid ${l.paid_minor}`);
    const fee = applyRateBp(base, l.fee_rate_bp);
    const rate = l.creator_id ? commissionRateBp(l) : 0;
    const commission = Math.min(applyRateBp(base, rate), base - fee);
    const subsidy = l.paid_minor === 0 ? (l.refunded_minor === 0 ? l.subsidy_minor : 0) : prorate(l.subsidy_minor, base, l.paid_minor);
    out.push({ line_id: l.line_id, base_minor: base, fee_minor: fee, commission_minor: commission, subsidy_minor: subsidy, merchant_minor: base - fee - commission });
    if (commission > 0) byCreator.set(l.creator_id!, (byCreator.get(l.creator_id!) ?? 0) + commission);
  }
  const sum = (k: keyof LineSettlement) => out.reduce((s, l) => s + (l[k] as number), 0);
  return {
    lines: out,
    merchant_minor: sum('merchant_minor'),
    fee_minor: sum('fee_minor'),
    commissions: [...byCreator].sort(([a], [b]) => (a < b ? -1 : 1)).map(([creator_id, amount_minor]) => ({ creator_id, amount_minor })),
    subsidy_minor: sum('subsidy_minor'),
    escrow_minor: sum('base_minor'),
  };
}

/** What a settled line gave and has taken back so far. */
export interface SettledLine {
  line_id: string;
  creator_id: string | null;
  settled_base_minor: number;
  settled_fee_minor: number;
  settled_commission_minor: number;
  settled_subsidy_minor: number;
  post_refunded_minor: number;
  reversed_fee_minor: number;
  reversed_commission_minor: number;
  reversed_subsidy_minor: number;
}

export interface LineReversal {
  line_id: string;
  amount_minor: number;
  fee_minor: number;
  commission_minor: number;
  subsidy_minor: number;
}

/** The parts a refund of `amount` on a settled line takes back. */
export function reverseSettledLine(l: SettledLine, amount: number): LineReversal {
  const cum = l.post_refunded_minor + amount;
  if (cum > l.settled_base_minor) throw new Error(`line ${l.line_id}: refunds after settlement exceed what was settled`);
  const part = (settled: number, reversed: number) => prorate(settled, cum, l.settled_base_minor) - reversed;
  return {
    line_id: l.line_id,
    amount_minor: amount,
    fee_minor: part(l.settled_fee_minor, l.reversed_fee_minor),
    commission_minor: part(l.settled_commission_minor, l.reversed_commission_minor),
    subsidy_minor: part(l.settled_subsidy_minor, l.reversed_subsidy_minor),
  };
}
