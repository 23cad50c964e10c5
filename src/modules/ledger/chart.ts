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
  owner: 'store' | 'platform' | 'creator';
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
  // Trade money (payments module; postings in src/flows/money-postings.ts).
  buyer_payments_clearing: {
    normal_side: 'debit',
    must_not_go_negative: false,
    owner: 'platform',
    description: 'buyer money at the payment provider: up when a payment lands, down when a refund is paid out (应收支付渠道款)',
  },
  platform_escrow: {
    normal_side: 'credit',
    must_not_go_negative: true,
    owner: 'store',
    description: "paid, not yet settled orders of a store (平台担保交易待结算): money the platform holds until settlement",
  },
  platform_fee_revenue: {
    normal_side: 'credit',
    must_not_go_negative: false,
    owner: 'platform',
    description: 'technical service fees (技术服务费): category rate × what the buyer paid, freight included',
  },
  platform_subsidy_expense: {
    normal_side: 'debit',
    must_not_go_negative: false,
    owner: 'platform',
    description: 'platform-funded discounts (平台补贴) paid to merchants at settlement',
  },
  creator_commission_payable: {
    normal_side: 'credit',
    must_not_go_negative: true,
    owner: 'creator',
    description: "creator commissions (达人佣金) earned on settled orders, owed until paid out; owner_id is the creator's account id",
  },
  buyer_refunds_payable: {
    normal_side: 'credit',
    must_not_go_negative: true,
    owner: 'platform',
    description: 'refunds owed to buyers, from the refund request until the payment provider confirms it (退款中)',
  },
  merchant_payouts: {
    normal_side: 'credit',
    must_not_go_negative: true,
    owner: 'store',
    description: "withdrawals paid out to the merchant's bank account (提现), cumulative",
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
  payment_received: { label_zh: '买家支付', label_en: 'buyer payment received into escrow' },
  payment_to_refund: { label_zh: '订单已取消，支付款待退回', label_en: 'payment for a cancelled checkout, to be refunded' },
  settlement: { label_zh: '订单结算', label_en: 'order settled to the merchant' },
  settlement_fee: { label_zh: '技术服务费', label_en: 'technical service fee' },
  settlement_commission: { label_zh: '达人佣金', label_en: 'creator commission' },
  settlement_subsidy: { label_zh: '平台补贴', label_en: 'platform-funded discount paid to the merchant' },
  presale_deposit_forfeited: { label_zh: '预售尾款未付，定金归商家', label_en: 'pre-sale deposit forfeited to the merchant (balance not paid)' },
  refund_requested: { label_zh: '退款', label_en: 'refund to the buyer requested' },
  refund_fee_reversal: { label_zh: '退款退回技术服务费', label_en: 'technical service fee reversed by a refund' },
  refund_commission_reversal: { label_zh: '退款退回达人佣金', label_en: 'creator commission reversed by a refund' },
  refund_subsidy_reversal: { label_zh: '退款退回平台补贴', label_en: 'platform subsidy returned on a refund' },
  refund_advance: { label_zh: '退款平台垫付（商家欠款）', label_en: "refund advanced by the platform: the merchant's balance fell short" },
  refund_paid: { label_zh: '退款到账', label_en: 'refund paid out by the payment provider' },
  payout: { label_zh: '提现', label_en: 'withdrawal to the bank account' },
} as const satisfies Record<string, { label_zh: string; label_en: string }>;

export type TransferReason = keyof typeof REASONS;

export const isAccountCode = (code: string): code is AccountCode => Object.hasOwn(CHART, code);
export const isReason = (code: string): code is TransferReason => Object.hasOwn(REASONS, code);
