import type { Outbox } from '../db/outbox.ts';
import type { AftersalesModule } from '../modules/aftersales/index.ts';

export const AFTERSALES_REFUND_OUTCOMES_SUBSCRIBER = 'aftersales.refund_outcomes';

/**
 * A refund's outcome that payments learned later (the provider's notification, or a query by
 * the payments worker) reaches after-sales at once, instead of at its next retry. Idempotent:
 * after-sales applies an outcome only to a refund still open, by out_refund_no (refunds it did
 * not ask for, e.g. the automatic refund of a cancelled checkout, are not found and ignored).
 */
export function subscribeAftersalesRefundOutcomes(outbox: Outbox, aftersales: Pick<AftersalesModule, 'refundSettled'>): void {
  outbox.subscribe(AFTERSALES_REFUND_OUTCOMES_SUBSCRIBER, ['payment.refund_succeeded', 'payment.refund_failed'], async (event, tx) => {
    const p = event.payload as { out_refund_no: string; status: string; provider_refund_id: string | null };
    const outcome = event.type === 'payment.refund_succeeded'
      ? { status: 'succeeded' as const, refund_id: p.provider_refund_id }
      : { status: 'failed' as const, code: `refund_${p.status}`, message: `the payment provider ${p.status} the refund`, retryable: false };
    await aftersales.refundSettled(tx, p.out_refund_no, outcome);
  });
}
