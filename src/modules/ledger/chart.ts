/**
 * The chart of accounts: every kind of ledger account the platform keeps, with the side its
 * balance grows on and whether it may ever go negative. Accounts are opened lazily per
 * (code, owner, currency) — `owner_id` is a store id for per-store accounts and
 * `PLATFORM_OWNER` for the platform's own. The trade issue adds escrow, merchant balances,
 * fees and commissions here.
 *
 * normal_side 'credit': a liability or income — the platform owes it (deposits held, payables).
 * normal_side 'debit':  an asset or expense — money the platform has or is owed (clearing).
 * must_not_go_negative: a transfer that would take the balance below zero is refused by the
 * balance update itself (TigerBeetle's debits_must_not_exceed_credits and its mirror).
 */
export type NormalSide = 'debit' | 'credit';

export interface AccountKind {
  normal_side: NormalSide;
  must_not_go_negative: boolean;
  owner: 'store' | 'platform';
  description: string;
}

export const PLATFORM_OWNER = 'platform';

export const CHART = {
  merchant_payment_clearing: {
    normal_side: 'debit',
    must_not_go_negative: false,
    owner: 'store',
    description: "money a merchant paid in (or is paid back) through a payment provider: the platform's side of the merchant's payments",
  },
  store_deposit_held: {
    normal_side: 'credit',
    must_not_go_negative: true,
    owner: 'store',
    description: "the store's deposit (保证金) the platform holds; owed back to the merchant on closure",
  },
  platform_penalty_income: {
    normal_side: 'credit',
    must_not_go_negative: false,
    owner: 'platform',
    description: 'deposit deductions for rule violations (违规扣除保证金)',
  },
  // After-sales guarantees (保障单); settlement credits merchant_available.
  merchant_available: {
    normal_side: 'credit',
    must_not_go_negative: true,
    owner: 'store',
    description: "the merchant's settled, withdrawable balance (可用余额); guarantee compensation the merchant owes is taken from it",
  },
  merchant_compensation_owed: {
    normal_side: 'debit',
    must_not_go_negative: true,
    owner: 'store',
    description: "compensation the platform advanced because the merchant's available balance fell short (商家欠款); collected from later settlements",
  },
  buyer_compensation_payable: {
    normal_side: 'credit',
    must_not_go_negative: true,
    owner: 'platform',
    description: 'guarantee compensation owed to buyers (假一赔三, 运费险) until it is paid out to them',
  },
  platform_shipping_insurance_expense: {
    normal_side: 'debit',
    must_not_go_negative: false,
    owner: 'platform',
    description: 'return-shipping insurance (运费险) the platform pays for insured returns',
  },
} as const satisfies Record<string, AccountKind>;

export type AccountCode = keyof typeof CHART;

/**
 * Reason codes: why money moved. Every transfer carries one; statements show `label_zh`.
 * Add codes here (never rename one in use: stored transfers keep it).
 */
export const REASONS = {
  deposit_payment: { label_zh: '缴纳保证金', label_en: 'deposit paid' },
  deposit_top_up: { label_zh: '补缴保证金', label_en: 'deposit topped up' },
  deposit_penalty: { label_zh: '违规扣除保证金', label_en: 'deposit deducted for a penalty' },
  deposit_refund: { label_zh: '退还保证金', label_en: 'deposit refunded' },
  reversal: { label_zh: '冲正', label_en: 'reversal' },
  guarantee_counterfeit: { label_zh: '假一赔三赔付', label_en: 'counterfeit compensation (3× the price plus appraisal)' },
  guarantee_counterfeit_advance: { label_zh: '假一赔三平台垫付（商家欠款）', label_en: 'counterfeit compensation advanced for the merchant' },
  shipping_insurance_payout: { label_zh: '运费险赔付', label_en: 'return-shipping insurance payout' },
} as const satisfies Record<string, { label_zh: string; label_en: string }>;

export type TransferReason = keyof typeof REASONS;

export const isAccountCode = (code: string): code is AccountCode => Object.hasOwn(CHART, code);
export const isReason = (code: string): code is TransferReason => Object.hasOwn(REASONS, code);
