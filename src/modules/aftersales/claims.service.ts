import { AppError, conflict, notFound, rule } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { Executor } from '../../db/index.ts';
import { PLATFORM_OWNER } from '../ledger/index.ts';
import { SYSTEM, type Actor, type ClaimRow, type RequestRow } from './aftersales.repo.ts';
import { lineHistory, orderLine, ruleFail, runQueuedRefunds, type Ctx } from './context.ts';
import { counterfeitCompensation, damageRefund, windowCheck } from './policy.ts';

export const CLAIM_DEADLINE_JOB = 'aftersales.claim_deadline';

export interface ClaimInput {
  order_id: string;
  line_id: string;
  kind: 'counterfeit' | 'damaged';
  quantity?: number;
  /** 假一赔三: what the buyer paid an appraiser (reimbursed up to the configured cap). */
  appraisal_fee_minor?: number;
  description: string;
  evidence: string[];
}

/**
 * Buyer guarantees (保障单), apart from ordinary requests:
 * - counterfeit (假一赔三): decided by a platform operator; the merchant pays the appraisal fee
 *   plus 3 × what the goods cost, from its available balance — or, when that falls short, the
 *   platform advances it and books the merchant's debt;
 * - damaged on arrival (坏损包退): the merchant chooses a damage ratio and that share of what the
 *   units may refund goes back through payments (silent 48 h: approved at 100%);
 * - return-shipping insurance (运费险): paid automatically, by the platform, when an insured
 *   return completes.
 * Compensation is booked as owed to the buyer (buyer_compensation_payable); paying it out is payments' job.
 */
export function createClaimsService(ctx: Ctx) {
  const { db, repo, clock, config, ledger } = ctx;
  const step = (tx: Executor, claimId: string, actor: Actor, action: string, note = '', data: Record<string, unknown> = {}) =>
    ctx.transitions.step(tx, { id: claimId }, { actor, action, note, data });

  async function decidable(tx: Executor, claimId: string, kind: ClaimRow['kind']): Promise<ClaimRow> {
    const c = await repo.claim(claimId, tx);
    if (!c || c.kind !== kind) throw notFound('guarantee_claim', claimId);
    if (c.status !== 'submitted') throw conflict('claim_decided', `this claim is ${c.status}`).zh('该保障单已处理');
    return c;
  }

  /** Damage refund: queue it through payments; the claim is paid when the refund succeeds. */
  async function approveDamage(tx: Executor, c: ClaimRow, ratioBp: number, actor: Actor, note: string): Promise<void> {
    const { line } = await orderLine(ctx, tx, c.order_id, c.line_id);
    const amount = damageRefund(line, (await lineHistory(ctx, tx, c.line_id)).consumed_units, c.quantity, ratioBp);
    if (amount <= 0) throw rule('nothing_to_refund', 'nothing is left to refund on this item').zh('该商品已无可退金额');
    await repo.q(tx).updateTable('aftersales_claims').set({ status: 'refunding', damage_ratio_bp: ratioBp, amount_minor: amount, funding: 'refund', decided_by: actor.id, decision_reason: note, decided_at: clock.now(), deadline_at: null })
      .where('id', '=', c.id).where('status', '=', 'submitted').execute();
    await ctx.scheduler.cancel(tx, `gcl:${c.id}:merchant`);
    await ctx.queue.enqueue(tx, { subject_id: c.id, order_id: c.order_id, line_id: c.line_id, amount_minor: amount, reason: 'guarantee:damaged' });
    await step(tx, c.id, actor, 'damage_ratio', note, { damage_ratio_bp: ratioBp, amount_minor: amount });
  }

  ctx.scheduler.register(CLAIM_DEADLINE_JOB, async (job, tx) => {
    const c = await repo.claim(job.payload.claim_id as string, tx);
    if (c?.status === 'submitted' && c.kind === 'damaged') await approveDamage(tx, c, 10_000, SYSTEM, 'deadline_passed:merchant_response_ms');
  });

  return {
    async fileClaim(buyerId: string, input: ClaimInput): Promise<ClaimRow> {
      const now = clock.now();
      return db.transaction(async (tx) => {
        const { order, line } = await orderLine(ctx, tx, input.order_id, input.line_id);
        if (order.buyer_id !== buyerId) throw new AppError('not_found', 'order_not_found', 'order not found', { id: input.order_id });
        const w = windowCheck(order, now, config, input.kind === 'counterfeit' ? config.guarantee_window_ms : config.window_after_receipt_ms);
        if (!w.ok) throw ruleFail(w);
        if (line.shipped_quantity === 0) throw rule('not_shipped', 'nothing of this item has shipped yet').zh('商品尚未发货');
        const quantity = input.quantity ?? line.shipped_quantity;
        if (quantity > line.shipped_quantity) throw rule('quantity_exceeds', `only ${line.shipped_quantity} unit(s) have shipped`, { max_quantity: line.shipped_quantity }).zh('数量超过已发货数量');
        const earlier = await repo.q(tx).selectFrom('aftersales_claims').select(['id', 'status']).where('line_id', '=', line.id).where('kind', '=', input.kind).execute();
        if (earlier.some((e) => e.status === 'submitted' || e.status === 'refunding' || (input.kind === 'counterfeit' && e.status === 'paid'))) {
          throw conflict('claim_exists', 'this item already has such a claim').zh('该商品已有同类保障单');
        }
        if (input.kind === 'damaged' && (await lineHistory(ctx, tx, line.id)).open) throw conflict('request_already_open', 'this item has an open after-sales request').zh('该商品已有进行中的售后申请');
        const deadline = input.kind === 'damaged' ? now + config.merchant_response_ms : null;
        const row: ClaimRow = {
          id: newId('gcl'), kind: input.kind, order_id: order.id, line_id: line.id, store_id: order.store_id, buyer_id: buyerId, request_id: null, quantity, status: 'submitted',
          description: input.description, evidence: JSON.stringify(input.evidence), appraisal_fee_minor: input.kind === 'counterfeit' ? input.appraisal_fee_minor ?? 0 : 0,
          damage_ratio_bp: null, amount_minor: null, funding: null, decided_by: null, decision_reason: null, deadline_at: deadline, created_at: now, decided_at: null,
        };
        await repo.q(tx).insertInto('aftersales_claims').values(row).execute();
        if (deadline) await ctx.scheduler.schedule(tx, { kind: CLAIM_DEADLINE_JOB, run_at: deadline, payload: { claim_id: row.id }, dedupe_key: `gcl:${row.id}:merchant` });
        await step(tx, row.id, { kind: 'buyer', id: buyerId }, 'create', input.description, { kind: input.kind, quantity, appraisal_fee_minor: row.appraisal_fee_minor, evidence: input.evidence });
        await ctx.outbox.emit(tx, 'aftersales.claim_created', row.id, { claim_id: row.id, kind: row.kind, order_id: row.order_id, store_id: row.store_id, buyer_id: buyerId });
        return row;
      });
    },

    /** The merchant's damage ratio (1–10000 bp) for a damaged-on-arrival claim; the refund runs now. */
    async decideDamage(storeId: string, actor: Actor, claimId: string, ratioBp: number, note: string): Promise<ClaimRow> {
      await db.transaction(async (tx) => {
        const c = await decidable(tx, claimId, 'damaged');
        if (c.store_id !== storeId) throw notFound('guarantee_claim', claimId);
        await approveDamage(tx, c, ratioBp, actor, note);
      });
      await runQueuedRefunds(ctx, claimId);
      return (await repo.claim(claimId))!;
    },

    /**
     * An operator decides a counterfeit claim with a written reason. Approved: the merchant's
     * available balance pays appraisal + 3 × price to what the platform owes the buyer; if the
     * balance is short, the platform advances it and the merchant owes it (merchant_compensation_owed).
     */
    async decideCounterfeit(operatorId: string, claimId: string, input: { approve: boolean; reason: string }): Promise<ClaimRow> {
      const actor: Actor = { kind: 'operator', id: operatorId };
      await db.transaction(async (tx) => {
        const c = await decidable(tx, claimId, 'counterfeit');
        const now = clock.now();
        if (!input.approve) {
          await repo.q(tx).updateTable('aftersales_claims').set({ status: 'rejected', decided_by: operatorId, decision_reason: input.reason, decided_at: now }).where('id', '=', c.id).execute();
          await step(tx, c.id, actor, 'reject', input.reason);
          return;
        }
        const { line } = await orderLine(ctx, tx, c.order_id, c.line_id);
        const comp = counterfeitCompensation(line, c.quantity, c.appraisal_fee_minor, config);
        const payable = await ledger.account(tx, 'buyer_compensation_payable', PLATFORM_OWNER);
        const transfer = { amount_minor: comp.amount_minor, currency: 'CNY' as const, credit_account_id: payable.id, ref: { type: 'guarantee_claim', id: c.id }, memo: `假一赔三 ${c.order_id}`, actor_id: operatorId };
        const available = await ledger.account(tx, 'merchant_available', c.store_id);
        let funding: ClaimRow['funding'] = 'merchant_balance';
        let r = await ledger.post(tx, [{ ...transfer, id: `guarantee:${c.id}`, debit_account_id: available.id, reason: 'guarantee_counterfeit' }]);
        if (!r.ok && r.code === 'exceeds_balance') {
          funding = 'merchant_debt';
          const owed = await ledger.account(tx, 'merchant_compensation_owed', c.store_id);
          r = await ledger.post(tx, [{ ...transfer, id: `guarantee_advance:${c.id}`, debit_account_id: owed.id, reason: 'guarantee_counterfeit_advance' }]);
        }
        if (!r.ok) throw new Error(`posting counterfeit compensation for ${c.id}: ${r.code} ${r.message}`);
        await repo.q(tx).updateTable('aftersales_claims').set({ status: 'paid', amount_minor: comp.amount_minor, appraisal_fee_minor: comp.appraisal_fee_minor, funding, decided_by: operatorId, decision_reason: input.reason, decided_at: now })
          .where('id', '=', c.id).where('status', '=', 'submitted').execute();
        await step(tx, c.id, actor, 'approve', input.reason, { ...comp, funding, transfer_id: r.value[0].id });
        await ctx.outbox.emit(tx, 'aftersales.claim_paid', c.id, { claim_id: c.id, kind: c.kind, order_id: c.order_id, store_id: c.store_id, buyer_id: c.buyer_id, amount_minor: comp.amount_minor, funding });
      });
      return (await repo.claim(claimId))!;
    },

    /** The merchant refuses a damage claim with a reason (the buyer may still ask for a return). */
    async rejectDamage(storeId: string, actor: Actor, claimId: string, reason: string): Promise<ClaimRow> {
      await db.transaction(async (tx) => {
        const c = await decidable(tx, claimId, 'damaged');
        if (c.store_id !== storeId) throw notFound('guarantee_claim', claimId);
        if (c.deadline_at !== null && clock.now() > c.deadline_at) throw conflict('deadline_passed', 'the 48 hours to answer have passed').zh('已超过处理期限');
        await repo.q(tx).updateTable('aftersales_claims').set({ status: 'rejected', decided_by: actor.id, decision_reason: reason, decided_at: clock.now(), deadline_at: null }).where('id', '=', c.id).execute();
        await ctx.scheduler.cancel(tx, `gcl:${c.id}:merchant`);
        await step(tx, c.id, actor, 'reject', reason);
      });
      return (await repo.claim(claimId))!;
    },

    /** The damage refund succeeded (refund hook). */
    async refundSucceeded(tx: Executor, claimId: string): Promise<void> {
      const r = await repo.q(tx).updateTable('aftersales_claims').set({ status: 'paid' }).where('id', '=', claimId).where('status', '=', 'refunding').executeTakeFirst();
      if (Number(r.numUpdatedRows) === 1) await step(tx, claimId, SYSTEM, 'refunded');
    },

    runQueuedRefunds: (claimId: string) => runQueuedRefunds(ctx, claimId),
  };
}

/** 运费险: an insured return completed — the platform pays the buyer's return shipping (once per request). */
export async function payShippingInsurance(ctx: Ctx, tx: Executor, req: RequestRow): Promise<void> {
  const existing = await ctx.repo.q(tx).selectFrom('aftersales_claims').select('id').where('request_id', '=', req.id).executeTakeFirst();
  if (existing) return;
  const now = ctx.clock.now();
  const amount = ctx.config.shipping_insurance_payout_minor;
  const id = newId('gcl');
  await ctx.repo.q(tx).insertInto('aftersales_claims').values({
    id, kind: 'shipping_insurance', order_id: req.order_id, line_id: req.line_id, store_id: req.store_id, buyer_id: req.buyer_id, request_id: req.id, quantity: req.quantity,
    status: 'paid', description: '', evidence: '[]', appraisal_fee_minor: 0, damage_ratio_bp: null, amount_minor: amount, funding: 'platform', decided_by: null,
    decision_reason: 'insured_return_completed', deadline_at: null, created_at: now, decided_at: now,
  }).execute();
  const expense = await ctx.ledger.account(tx, 'platform_shipping_insurance_expense', PLATFORM_OWNER);
  const payable = await ctx.ledger.account(tx, 'buyer_compensation_payable', PLATFORM_OWNER);
  const r = await ctx.ledger.post(tx, [{
    id: `shipping_insurance:${req.id}`, debit_account_id: expense.id, credit_account_id: payable.id, amount_minor: amount, currency: 'CNY', reason: 'shipping_insurance_payout',
    ref: { type: 'aftersales_request', id: req.id }, memo: `运费险 ${req.order_id}`,
  }]);
  if (!r.ok) throw new Error(`posting shipping insurance for ${req.id}: ${r.code} ${r.message}`);
  await ctx.transitions.step(tx, { id }, { actor: SYSTEM, action: 'paid', data: { amount_minor: amount, request_id: req.id } });
  await ctx.transitions.step(tx, req, { actor: SYSTEM, action: 'shipping_insurance_paid', data: { claim_id: id, amount_minor: amount } });
}
