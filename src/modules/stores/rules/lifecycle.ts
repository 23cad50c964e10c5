import { ok } from '../../../lib/result.ts';
import { ruleFail, type RuleResult } from './rule-result.ts';

/**
 * The store's life as data: which action moves a store from which statuses to which.
 *
 *   draft ──submit──▶ in_review ──approve──▶ awaiting_deposit ──deposit_settled──▶ open
 *     ▲                  │  │                                                    │  ▲
 *     └──request_more────┘  └──reject──▶ rejected ──submit──▶ in_review     restrict/suspend
 *                                                                          reinstate ┘
 *   any status but closed ──close──▶ closed (the deposit is refunded)
 *
 * Guards that need data (automatic checks at submit, the deposit balance) live in the services;
 * this table only says what is possible at all, and who may do it.
 */
export type StoreStatus = 'draft' | 'in_review' | 'rejected' | 'awaiting_deposit' | 'open' | 'restricted' | 'suspended' | 'closed';
export type StoreAction = 'submit' | 'approve' | 'reject' | 'request_more' | 'deposit_settled' | 'restrict' | 'suspend' | 'reinstate' | 'close';

export const TRANSITIONS: Readonly<Record<StoreAction, { from: readonly StoreStatus[]; to: StoreStatus; by: 'merchant' | 'operator' | 'system' }>> = {
  submit: { from: ['draft', 'rejected'], to: 'in_review', by: 'merchant' },
  approve: { from: ['in_review'], to: 'awaiting_deposit', by: 'operator' },
  reject: { from: ['in_review'], to: 'rejected', by: 'operator' },
  request_more: { from: ['in_review'], to: 'draft', by: 'operator' },
  deposit_settled: { from: ['awaiting_deposit'], to: 'open', by: 'system' },
  restrict: { from: ['open'], to: 'restricted', by: 'operator' },
  suspend: { from: ['open', 'restricted'], to: 'suspended', by: 'operator' },
  reinstate: { from: ['restricted', 'suspended'], to: 'open', by: 'operator' },
  close: { from: ['draft', 'in_review', 'rejected', 'awaiting_deposit', 'open', 'restricted', 'suspended'], to: 'closed', by: 'operator' },
};

const STATUS_ZH: Record<StoreStatus, string> = {
  draft: '草稿', in_review: '审核中', rejected: '已驳回', awaiting_deposit: '待缴保证金', open: '营业中', restricted: '限制经营', suspended: '暂停营业', closed: '已关闭',
};
const ACTION_ZH: Record<StoreAction, string> = {
  submit: '提交审核', approve: '审核通过', reject: '驳回', request_more: '要求补充资料', deposit_settled: '保证金到账', restrict: '限制经营', suspend: '暂停营业', reinstate: '恢复营业', close: '关闭店铺',
};

export function transition(from: StoreStatus, action: StoreAction): RuleResult<StoreStatus, 'invalid_transition'> {
  const t = TRANSITIONS[action];
  if (t.from.includes(from)) return ok(t.to);
  return ruleFail('invalid_transition', `A store that is ${from} cannot ${action.replace('_', ' ')}.`, `店铺当前状态为“${STATUS_ZH[from]}”，不能${ACTION_ZH[action]}。`, {
    status: from, action, allowed_from: t.from,
  });
}

/** What a status lets the store do. Restricted stores keep selling but may not list new products. */
export function capabilities(status: StoreStatus): { visible_to_buyers: boolean; may_sell: boolean; may_list_products: boolean; may_edit_application: boolean } {
  return {
    visible_to_buyers: status === 'open' || status === 'restricted',
    may_sell: status === 'open' || status === 'restricted',
    may_list_products: status === 'open',
    may_edit_application: status === 'draft' || status === 'rejected',
  };
}
