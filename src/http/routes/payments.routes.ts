import { Type } from 'typebox';
import type { AppContext } from '../../app/wire.ts';
import { toIso } from '../../lib/clock.ts';
import type { PaymentView } from '../../modules/payments/index.ts';
import { errors, IdParam, MoneyMinor, NullableTimestamp, Timestamp } from '../schemas.ts';
import type { App } from '../types.ts';

export const PaymentSchema = Type.Object({
  payment_id: Type.String(), checkout_id: Type.String(), out_trade_no: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('paid'), Type.Literal('closed')]),
  outcome: Type.Union([Type.Literal('paid'), Type.Literal('refunding'), Type.Literal('refunded'), Type.Null()], { description: 'refunding/refunded: it landed on a cancelled checkout and is paid back' }),
  amount_minor: MoneyMinor, currency: Type.Literal('CNY'), channel: Type.Union([Type.Literal('native'), Type.Literal('jsapi'), Type.Null()]),
  code_url: Type.Union([Type.String(), Type.Null()], { description: 'Native: show as a QR code (WeChat Pay) — with the sandbox it is the cashier page' }),
  pay_page_url: Type.Union([Type.String(), Type.Null()], { description: 'a page to open in a browser to pay (the sandbox cashier); null with real WeChat Pay' }),
  jsapi_params: Type.Union([Type.Record(Type.String(), Type.String()), Type.Null()], { description: 'JSAPI: pass to WeixinJSBridge getBrandWCPayRequest' }),
  expires_at: Timestamp, paid_at: NullableTimestamp, transaction_id: Type.Union([Type.String(), Type.Null()]),
});
export const presentPayment = (p: PaymentView) => ({
  ...p, jsapi_params: p.jsapi_params as Record<string, string> | null, expires_at: toIso(p.expires_at)!, paid_at: toIso(p.paid_at),
});
const CheckoutParams = IdParam('checkoutId', 'chk');

/** Buyers pay a checkout (one payment for all its orders) and follow the payment. */
export const buyerPaymentRoutes = (ctx: AppContext) => async (app: App) => {
  app.post('/checkouts/:checkoutId/pay', {
    schema: {
      tags: ['payments'], summary: 'Pay a checkout: the QR code / cashier page (Native) or JSAPI parameters (with payer_openid); calling again resumes the same payment',
      params: CheckoutParams, body: Type.Optional(Type.Object({ payer_openid: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })) }, { additionalProperties: false })),
      response: { 200: PaymentSchema, ...errors(400, 401, 404, 409) },
    },
  }, async (req) => presentPayment(await ctx.payments.pay(req.principal!.account_id, req.params.checkoutId, { payer_openid: req.body?.payer_openid })));

  app.get('/checkouts/:checkoutId/payment', {
    schema: {
      tags: ['payments'], summary: 'Where paying this checkout stands; refresh=true asks the provider when no notification has arrived yet',
      params: CheckoutParams, querystring: Type.Object({ refresh: Type.Optional(Type.Boolean()) }),
      response: { 200: Type.Object({ checkout_status: Type.String(), payment: Type.Union([PaymentSchema, Type.Null()]) }), ...errors(400, 401, 404) },
    },
  }, async (req) => {
    const r = await ctx.payments.paymentOf(req.principal!.account_id, req.params.checkoutId, { refresh: req.query.refresh === true });
    return { checkout_status: r.checkout_status, payment: r.payment ? presentPayment(r.payment) : null };
  });
};

/**
 * The provider's notifications (WeChat Pay v3 回调通知), public. Its own plugin: the signature
 * covers the exact bytes, so the body is kept raw (a Buffer), never parsed and re-serialized.
 * 204 once processed and committed (duplicates and ignored events too), 401 for a bad
 * signature, 500 when our processing failed (the provider retries).
 */
export const paymentNotifyRoutes = (ctx: AppContext) => async (app: App) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 64 * 1024 }, (_req, body, done) => done(null, body));
  app.post('/payments/wechatpay/notify', {
    config: { auth: 'public' },
    schema: { tags: ['payments'], summary: 'Payment provider notifications (signed; raw body)', response: { 204: Type.Null(), 401: Type.Object({ code: Type.String(), message: Type.String() }), 500: Type.Object({ code: Type.String(), message: Type.String() }) } },
  }, async (req, reply) => {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const r = await ctx.payments.handleNotification(req.headers, body);
    void reply.status(r.status as 204 | 401 | 500).headers(r.headers);
    // the provider's reply as built (already JSON text, or empty for 204)
    return reply.send((r.body || null) as never);
  });
};
