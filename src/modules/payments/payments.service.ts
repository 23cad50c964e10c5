import { sql } from 'kysely';
import { AppError, conflict, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { money } from '../../lib/money.ts';
import type { Executor } from '../../db/index.ts';
import type { NotificationReply } from './wechatpay/notify.ts';
import type { JsapiPayParams } from './wechatpay/sign.ts';
import type { HeaderBag } from './wechatpay/verify.ts';
import { retryDelayMs, type Ctx } from './context.ts';
import type { PaymentEvents } from './payment-events.ts';
import type { PaymentRow } from './payments.repo.ts';
import type { PaymentEvent, ProviderTransaction } from './provider.ts';

export interface PaymentView {
  payment_id: string;
  checkout_id: string;
  out_trade_no: string;
  status: PaymentRow['status'];
  /** paid: the orders are paid · refunding/refunded: it landed on a cancelled checkout and goes back */
  outcome: PaymentRow['outcome'];
  amount_minor: number;
  currency: 'CNY';
  channel: PaymentRow['channel'];
  /** Native: the QR-code content (the sandbox's cashier page URL). */
  code_url: string | null;
  /** A page the buyer can open in a browser to pay (the sandbox cashier); null for real WeChat Pay (show code_url as a QR code). */
  pay_page_url: string | null;
  jsapi_params: JsapiPayParams | null;
  expires_at: number;
  paid_at: number | null;
  transaction_id: string | null;
}

const view = (p: PaymentRow, jsapi: JsapiPayParams | null = null): PaymentView => ({
  payment_id: p.id, checkout_id: p.checkout_id, out_trade_no: p.out_trade_no, status: p.status, outcome: p.outcome, amount_minor: p.amount_minor, currency: p.currency,
  channel: p.channel, code_url: p.code_url, pay_page_url: p.code_url && /^https?:\/\//.test(p.code_url) ? p.code_url : null, jsapi_params: jsapi,
  expires_at: p.expires_at, paid_at: p.paid_at, transaction_id: p.transaction_id,
});

const LEASE_MS = 60_000;

/** Paying a checkout, the provider's notifications, status checks and closing unpaid payments. */
export function createPaymentsService(ctx: Ctx, events: PaymentEvents) {
  const { db, repo, clock, log, trade, source } = ctx;

  /** Asks the provider and applies a payment it reports (the path for a lost or late notification). */
  async function sync(p: PaymentRow): Promise<ProviderTransaction | null> {
    const r = await (await source.provider()).query(p.out_trade_no);
    if (!r.ok) return null;
    const t = r.value;
    if ((t.state === 'paid' || t.state === 'refunded') && t.transaction_id && t.amount_minor !== null) {
      await db.transaction((tx) => events.applyPaid(tx, {
        out_trade_no: p.out_trade_no, transaction_id: t.transaction_id!, amount_minor: t.amount_minor!, currency: t.currency, payer_total_minor: t.payer_total_minor,
        paid_at_ms: t.paid_at_ms ?? clock.now(), source: 'query',
      }));
    }
    return t;
  }

  async function ownPayment(buyerId: string, checkoutId: string) {
    const c = await trade.checkout(checkoutId);
    if (!c || c.buyer_id !== buyerId) throw notFound('checkout', checkoutId);
    return { c, p: await repo.payment({ out_trade_no: checkoutId }) };
  }

  async function logNotification(tx: Executor, e: PaymentEvent, outcome: string): Promise<void> {
    const now = clock.now();
    const ref = e.type === 'ignored' ? null : e.type === 'payment.succeeded' ? e.out_trade_no : e.out_refund_no;
    await repo.q(tx).insertInto('payments_notifications')
      .values({ notification_id: e.notification_id, event_type: e.event_type, ref, outcome, times_received: 1, first_at: now, last_at: now })
      .onConflict((oc) => oc.column('notification_id').doUpdateSet({ times_received: sql`payments_notifications.times_received + 1`, last_at: now }))
      .execute();
  }

  return {
    sync,

    /** Starts (or resumes) paying a checkout: one payment per checkout, out_trade_no = the checkout id. */
    async pay(buyerId: string, checkoutId: string, opts: { payer_openid?: string } = {}): Promise<PaymentView> {
      const { c } = await ownPayment(buyerId, checkoutId);
      if (c.status === 'paid') throw conflict('checkout_already_paid', 'this checkout is paid').zh('订单已支付');
      if (c.status === 'cancelled') throw conflict('checkout_cancelled', 'this checkout was cancelled').zh('订单已取消');
      const now = clock.now();
      if (now >= Number(c.pay_by)) throw conflict('payment_expired', 'the time to pay has passed').zh('订单已超时');
      await repo.q().insertInto('payments_payments').values({
        id: newId('pay'), out_trade_no: c.id, checkout_id: c.id, buyer_id: buyerId, provider: (await source.provider()).name, amount_minor: Number(c.total_minor), currency: 'CNY',
        status: 'pending', outcome: null, channel: null, code_url: null, prepay_id: null, notify_url: source.notifyUrl(), expires_at: Number(c.pay_by), transaction_id: null,
        payer_total_minor: null, paid_at: null, close_state: null, close_attempts: 0, close_next_at: null, last_error: null, created_at: now, updated_at: now,
      }).onConflict((oc) => oc.column('out_trade_no').doNothing()).execute();
      const p = (await repo.payment({ out_trade_no: c.id }))!;
      if (p.status !== 'pending') return view(p);
      if (p.code_url && !opts.payer_openid) return view(p);
      const r = await (await source.provider()).createPayment({
        out_trade_no: p.out_trade_no, amount: money(p.amount_minor), description: `小店订单 ${p.checkout_id}`, notify_url: p.notify_url ?? source.notifyUrl(),
        expires_at_ms: p.expires_at, ...(opts.payer_openid ? { payer_openid: opts.payer_openid } : {}),
      });
      if (!r.ok) {
        const code = (r.details as { provider_code?: string } | undefined)?.provider_code;
        if (code === 'ORDERPAID') {
          await sync(p);
          return view((await repo.payment({ id: p.id }))!);
        }
        throw new AppError('unavailable', r.code === 'unavailable' ? 'payment_provider_unavailable' : 'payment_provider_refused', `the payment provider did not take the payment (${r.code}${code ? ` ${code}` : ''}); try again`, { provider_code: code ?? null })
          .zh('支付渠道暂时不可用，请稍后重试');
      }
      const patch = r.value.channel === 'native' ? { channel: 'native' as const, code_url: r.value.code_url } : { channel: 'jsapi' as const, prepay_id: r.value.prepay_id };
      await repo.q().updateTable('payments_payments').set({ ...patch, updated_at: clock.now() }).where('id', '=', p.id).execute();
      return view({ ...p, ...patch }, r.value.channel === 'jsapi' ? r.value.pay_params : null);
    },

    /** The buyer's view of paying a checkout; `refresh` asks the provider when we have heard nothing yet. */
    async paymentOf(buyerId: string, checkoutId: string, opts: { refresh?: boolean } = {}): Promise<{ checkout_status: string; payment: PaymentView | null }> {
      let { c, p } = await ownPayment(buyerId, checkoutId);
      if (p && p.status === 'pending' && opts.refresh) {
        await sync(p);
        ({ c, p } = await ownPayment(buyerId, checkoutId));
      }
      return { checkout_status: c.status, payment: p ? view(p) : null };
    },

    /**
     * A notification from the provider, raw bytes as received. Verified (401 otherwise), then
     * processed in one transaction; acknowledged only after commit — also for duplicates and
     * for what we ignore; 500 when our processing fails, so the provider retries.
     */
    async handleNotification(headers: HeaderBag, rawBody: Buffer | string): Promise<NotificationReply> {
      const provider = await source.provider();
      const parsed = provider.parseNotification(headers, rawBody);
      if (!parsed.ok) {
        log.warn({ code: parsed.code }, 'payment notification refused');
        return provider.nackNotification(parsed.code, 401);
      }
      const e = parsed.value;
      try {
        const outcome = await db.transaction(async (tx) => {
          const o = await events.apply(tx, e);
          await logNotification(tx, e, o);
          return o;
        });
        log.info({ notification_id: e.notification_id, event_type: e.event_type, outcome }, 'payment notification processed');
      } catch (err) {
        log.error({ err, notification_id: e.notification_id, event_type: e.event_type }, 'payment notification processing failed');
        return provider.nackNotification('processing failed', 500);
      }
      ctx.kick();
      return provider.ackNotification();
    },

    /** The checkout was cancelled (trade's order.cancelled): close the provider's order after commit, so a late payment is refused. */
    async requestClose(tx: Executor, checkoutId: string): Promise<void> {
      const r = await repo.q(tx).updateTable('payments_payments').set({ close_state: 'requested', close_next_at: clock.now(), updated_at: clock.now() })
        .where('out_trade_no', '=', checkoutId).where('status', '=', 'pending').where('close_state', 'is', null).executeTakeFirst();
      if (Number(r.numUpdatedRows) === 1) ctx.kick();
    },

    /** Worker: closes what was asked to close; ORDERPAID means the buyer paid after all: apply it (it gets refunded). */
    async closeDue(limit = 20): Promise<number> {
      const now = clock.now();
      const due = await repo.q().selectFrom('payments_payments').selectAll().where('close_state', '=', 'requested').where('close_next_at', '<=', now).orderBy('close_next_at').limit(limit).execute();
      let done = 0;
      for (const row of due) {
        const claim = await repo.q().updateTable('payments_payments').set({ close_next_at: now + LEASE_MS, close_attempts: Number(row.close_attempts) + 1 })
          .where('id', '=', row.id).where('close_state', '=', 'requested').where('close_next_at', '=', row.close_next_at).executeTakeFirst();
        if (Number(claim.numUpdatedRows) !== 1) continue;
        const p = (await repo.payment({ id: row.id }))!;
        const r = await (await source.provider()).close(p.out_trade_no);
        const code = r.ok ? null : (r.details as { provider_code?: string } | undefined)?.provider_code;
        if (r.ok || r.code === 'not_found' || code === 'ORDER_CLOSED') {
          await db.transaction((tx) => repo.movePayment(tx, p.id, ['pending'], { status: 'closed', close_state: 'closed', updated_at: clock.now(), last_error: null }));
          done++;
        } else if (code === 'ORDERPAID') {
          await sync(p);
          await repo.q().updateTable('payments_payments').set({ close_state: 'paid' }).where('id', '=', p.id).where('close_state', '=', 'requested').execute();
          done++;
        } else {
          await repo.q().updateTable('payments_payments').set({ close_next_at: clock.now() + retryDelayMs(p.close_attempts), last_error: `${r.code}${code ? ` ${code}` : ''}` })
            .where('id', '=', p.id).where('close_state', '=', 'requested').execute();
        }
      }
      return done;
    },

    async payment(where: { id?: string; out_trade_no?: string }): Promise<PaymentView | null> {
      const p = await repo.payment(where);
      return p ? view(p) : null;
    },
  };
}
export type PaymentsService = ReturnType<typeof createPaymentsService>;
