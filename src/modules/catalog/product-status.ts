/**
 * The product lifecycle as data. Every automatic review decides the status (except for a
 * delisted product, which stays delisted until relisted); operators decide products that
 * wait in review.
 *
 *   (new) ─review→ live | in_review | rejected
 *   live | in_review | rejected ─edit/price/sku→ (review again)
 *   in_review ─operator approve→ live      in_review ─operator reject→ rejected
 *   live | in_review | rejected | draft ─delist→ delisted     delisted ─relist→ (review again)
 */
import type { Decision } from './compliance/index.ts';
import type { ProductStatus, ReviewStatus } from './catalog.repo.ts';

export type ProductAction = 'edit' | 'delist' | 'relist' | 'approve' | 'reject';

const ALLOWED_FROM: Readonly<Record<ProductAction, readonly ProductStatus[]>> = {
  edit: ['draft', 'in_review', 'live', 'rejected', 'delisted'],
  delist: ['draft', 'in_review', 'live', 'rejected'],
  relist: ['delisted'],
  approve: ['in_review'],
  reject: ['in_review'],
};

const WHY_NOT: Readonly<Record<ProductAction, { message: string; message_zh: string }>> = {
  edit: { message: 'this product cannot be edited', message_zh: '该商品不可编辑' },
  delist: { message: 'the product is already delisted', message_zh: '商品已下架' },
  relist: { message: 'only a delisted product can be relisted', message_zh: '只有已下架的商品可以重新上架' },
  approve: { message: 'the product is not waiting for review', message_zh: '商品不在待审核状态' },
  reject: { message: 'the product is not waiting for review', message_zh: '商品不在待审核状态' },
};

export type Guard = { ok: true } | { ok: false; code: string; message: string; message_zh: string; details: { status: ProductStatus; action: ProductAction } };

export function guard(action: ProductAction, status: ProductStatus): Guard {
  if (ALLOWED_FROM[action].includes(status)) return { ok: true };
  return { ok: false, code: `cannot_${action}`, ...WHY_NOT[action], details: { status, action } };
}

/** The status a review decision leads to. A delisted product stays delisted (relisting decides). */
export function statusAfterReview(current: ProductStatus | 'new' | 'relisting', decision: Decision): ProductStatus {
  if (current === 'delisted') return 'delisted';
  return decision === 'pass' ? 'live' : decision === 'review' ? 'in_review' : 'rejected';
}

/** How a review record starts: automatic outcomes are final, doubtful ones wait for an operator. */
export function reviewStatusFor(decision: Decision, resultingStatus: ProductStatus): ReviewStatus {
  if (decision === 'pass') return 'passed';
  if (decision === 'reject') return 'rejected_auto';
  // A delisted product's doubtful edit waits for relisting (which reviews again), not for an operator.
  return resultingStatus === 'in_review' ? 'pending' : 'withdrawn';
}
