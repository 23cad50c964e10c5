import { randomBytes, randomInt } from 'node:crypto';
import type { Clock } from '../../../lib/clock.ts';
import { fail, ok, type Result } from '../../../lib/result.ts';
import { parseRfc3339, toRfc3339Cst } from '../wechatpay/time.ts';
import type { RefundResource, RefundStatus, TransactionResource, WxRefund, WxTransaction } from '../wechatpay/types.ts';
import type { SandboxRefund, SandboxStore, SandboxTransaction } from './state.ts';

/**
 * What the sandbox provider does with its books, independent of HTTP. Answers follow WeChat
 * Pay's shapes; errors are {status, code, message} as the real API returns them (codes and
 * statuses approximate the published error tables: 400 PARAM_ERROR / INVALID_REQUEST /
 * ORDERPAID / ORDER_CLOSED, 403 APPID_MCHID_NOT_MATCH, 404 ORDER_NOT_EXIST / RESOURCE_NOT_EXISTS).
 */

export interface ApiError {
  status: number;
  code: string;
  message: string;
}
export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };
const err = (status: number, code: string, message: string): ApiResult<never> => ({ ok: false, error: { status, code, message } });
const good = <T>(value: T): ApiResult<T> => ({ ok: true, value });

export interface OperationsDeps {
  store: SandboxStore;
  clock: Clock;
  mchid: string;
  /** When set, prepay with another appid is refused. */
  appid?: string;
  payPageUrl: (outTradeNo: string) => string;
  refundDelay_ms: number;
  refundOutcome: (refund: SandboxRefund) => Exclude<RefundStatus, 'PROCESSING'>;
  notify: (n: { notify_url: string; event_type: string; summary: string; original_type: 'transaction' | 'refund'; resource: object }) => void;
}

const OUT_TRADE_NO = /^[0-9A-Za-z_\-|*]{6,32}$/;
const OUT_REFUND_NO = /^[0-9A-Za-z_\-|*@]{1,64}$/;
const STATE_DESC: Record<string, string> = { SUCCESS: '支付成功', REFUND: '转入退款', NOTPAY: '未支付', CLOSED: '已关闭', REVOKED: '已撤销', USERPAYING: '用户支付中', PAYERROR: '支付失败' };

const digits = (n: number): string => Array.from({ length: n }, () => randomInt(10)).join('');
const isObj = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);
const fen = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0;

function validUrl(v: unknown): v is string {
  if (typeof v !== 'string' || v.length > 255) return false;
  try {
    const u = new URL(v);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.search === ''; // WeChat: no query string; the sandbox also allows http
  } catch {
    return false;
  }
}

export function createOperations(deps: OperationsDeps) {
  const { store, clock } = deps;
  const books = store.books;

  function prepay(kind: 'NATIVE' | 'JSAPI', authMchid: string, body: unknown): ApiResult<{ code_url: string } | { prepay_id: string }> {
    if (!isObj(body)) return err(400, 'PARAM_ERROR', '请求体不是JSON对象');
    if (body.mchid !== authMchid || authMchid !== deps.mchid) return err(400, 'PARAM_ERROR', 'mchid与请求签名的商户号不一致');
    if (typeof body.appid !== 'string' || (deps.appid !== undefined && body.appid !== deps.appid)) return err(403, 'APPID_MCHID_NOT_MATCH', 'appid和mch_id不匹配');
    if (typeof body.description !== 'string' || body.description.length < 1 || body.description.length > 127) return err(400, 'PARAM_ERROR', 'description 长度应为1-127');
    if (typeof body.out_trade_no !== 'string' || !OUT_TRADE_NO.test(body.out_trade_no)) return err(400, 'PARAM_ERROR', 'out_trade_no 格式错误');
    if (!validUrl(body.notify_url)) return err(400, 'PARAM_ERROR', 'notify_url 格式错误');
    if (!isObj(body.amount) || !fen(body.amount.total)) return err(400, 'PARAM_ERROR', 'amount.total 必须为正整数(分)');
    const currency = body.amount.currency ?? 'CNY';
    if (currency !== 'CNY') return err(400, 'PARAM_ERROR', '币种仅支持CNY');
    const openid = isObj(body.payer) && typeof body.payer.openid === 'string' ? body.payer.openid : null;
    if (kind === 'JSAPI' && !openid) return err(400, 'PARAM_ERROR', 'JSAPI下单需要payer.openid');
    const expire = body.time_expire === undefined ? null : parseRfc3339(body.time_expire);
    if (body.time_expire !== undefined && expire === null) return err(400, 'PARAM_ERROR', 'time_expire 格式错误');

    const existing = books.transactions[body.out_trade_no];
    if (existing) {
      if (existing.trade_state === 'SUCCESS' || existing.trade_state === 'REFUND') return err(400, 'ORDERPAID', '该订单已支付');
      if (existing.trade_state === 'CLOSED') return err(400, 'ORDER_CLOSED', '订单已关闭');
      const same = existing.trade_type === kind && existing.total === body.amount.total && existing.description === body.description && existing.notify_url === body.notify_url;
      if (!same) return err(400, 'INVALID_REQUEST', '201 商户订单号重复');
      return good(kind === 'NATIVE' ? { code_url: existing.code_url! } : { prepay_id: existing.prepay_id! });
    }
    const t: SandboxTransaction = {
      appid: body.appid,
      mchid: authMchid,
      out_trade_no: body.out_trade_no,
      description: body.description,
      notify_url: body.notify_url,
      trade_type: kind,
      total: body.amount.total,
      currency,
      attach: typeof body.attach === 'string' ? body.attach : null,
      time_expire_ms: expire,
      payer_openid: openid,
      trade_state: 'NOTPAY',
      transaction_id: null,
      payer_total: null,
      success_time_ms: null,
      created_at_ms: clock.now(),
      prepay_id: kind === 'JSAPI' ? `wx${randomBytes(16).toString('hex')}` : null,
      code_url: kind === 'NATIVE' ? deps.payPageUrl(body.out_trade_no) : null,
    };
    books.transactions[t.out_trade_no] = t;
    store.save();
    return good(kind === 'NATIVE' ? { code_url: t.code_url! } : { prepay_id: t.prepay_id! });
  }

  function query(outTradeNo: string, mchid: string | null, authMchid: string): ApiResult<WxTransaction> {
    if (mchid !== authMchid) return err(400, 'PARAM_ERROR', 'mchid 参数与签名商户号不一致');
    const t = books.transactions[outTradeNo];
    if (!t || t.mchid !== authMchid) return err(404, 'ORDER_NOT_EXIST', '订单不存在');
    return good(presentTransaction(t));
  }

  function close(outTradeNo: string, authMchid: string, body: unknown): ApiResult<null> {
    if (!isObj(body) || body.mchid !== authMchid) return err(400, 'PARAM_ERROR', 'mchid 与签名商户号不一致');
    const t = books.transactions[outTradeNo];
    if (!t || t.mchid !== authMchid) return err(404, 'ORDER_NOT_EXIST', '订单不存在');
    if (t.trade_state === 'SUCCESS' || t.trade_state === 'REFUND') return err(400, 'ORDERPAID', '订单已支付');
    t.trade_state = 'CLOSED';
    store.save();
    return good(null);
  }

  /** The buyer confirms on the pay page (or a test calls it). */
  function pay(outTradeNo: string, opts: { openid?: string; payer_total?: number } = {}): Result<WxTransaction, 'not_found' | 'already_paid' | 'closed' | 'expired' | 'bad_amount'> {
    const t = books.transactions[outTradeNo];
    if (!t) return fail('not_found', 'no such transaction');
    if (t.trade_state === 'SUCCESS' || t.trade_state === 'REFUND') return fail('already_paid', 'already paid');
    if (t.trade_state === 'CLOSED') return fail('closed', 'the merchant closed this order');
    if (t.time_expire_ms !== null && clock.now() > t.time_expire_ms) return fail('expired', 'past time_expire');
    const payerTotal = opts.payer_total ?? t.total;
    if (!Number.isSafeInteger(payerTotal) || payerTotal < 0 || payerTotal > t.total) return fail('bad_amount', 'payer_total must be within 0..total');
    t.trade_state = 'SUCCESS';
    t.transaction_id = `4200${digits(24)}`;
    t.success_time_ms = clock.now();
    t.payer_total = payerTotal;
    t.payer_openid = opts.openid ?? t.payer_openid ?? `o_sandbox_${randomBytes(9).toString('base64url')}`;
    store.save();
    const resource: TransactionResource = {
      appid: t.appid, mchid: t.mchid, out_trade_no: t.out_trade_no, transaction_id: t.transaction_id,
      trade_type: t.trade_type, trade_state: 'SUCCESS', trade_state_desc: STATE_DESC.SUCCESS, bank_type: 'OTHERS',
      ...(t.attach ? { attach: t.attach } : {}),
      success_time: toRfc3339Cst(t.success_time_ms), payer: { openid: t.payer_openid },
      amount: { total: t.total, payer_total: payerTotal, currency: t.currency, payer_currency: t.currency },
    };
    deps.notify({ notify_url: t.notify_url, event_type: 'TRANSACTION.SUCCESS', summary: '支付成功', original_type: 'transaction', resource });
    return ok(presentTransaction(t));
  }

  function refund(authMchid: string, body: unknown): ApiResult<WxRefund> {
    if (!isObj(body)) return err(400, 'PARAM_ERROR', '请求体不是JSON对象');
    if (typeof body.out_refund_no !== 'string' || !OUT_REFUND_NO.test(body.out_refund_no)) return err(400, 'PARAM_ERROR', 'out_refund_no 格式错误');
    if (body.notify_url !== undefined && !validUrl(body.notify_url)) return err(400, 'PARAM_ERROR', 'notify_url 格式错误');
    const a = body.amount;
    if (!isObj(a) || !fen(a.refund) || !fen(a.total) || a.currency !== 'CNY') return err(400, 'PARAM_ERROR', 'amount 参数错误');
    const t = typeof body.out_trade_no === 'string'
      ? books.transactions[body.out_trade_no]
      : Object.values(books.transactions).find((x) => x.transaction_id !== null && x.transaction_id === body.transaction_id);
    if (!t || t.mchid !== authMchid) return err(404, 'RESOURCE_NOT_EXISTS', '订单不存在');
    const prior = books.refunds[body.out_refund_no];
    if (prior) {
      if (prior.out_trade_no !== t.out_trade_no || prior.refund !== a.refund) return err(400, 'INVALID_REQUEST', '退款单号已被使用，且请求参数不一致');
      return good(presentRefund(prior));
    }
    if (t.trade_state !== 'SUCCESS' && t.trade_state !== 'REFUND') return err(400, 'INVALID_REQUEST', '订单未支付，不能退款');
    if (a.total !== t.total) return err(400, 'PARAM_ERROR', '订单金额与原订单不一致');
    const committed = Object.values(books.refunds)
      .filter((r) => r.out_trade_no === t.out_trade_no && (r.status === 'SUCCESS' || r.status === 'PROCESSING'))
      .reduce((s, r) => s + r.refund, 0);
    if (committed + a.refund > t.total) return err(400, 'INVALID_REQUEST', '申请退款金额超过订单可退金额');
    const payerTotal = t.payer_total ?? t.total;
    const r: SandboxRefund = {
      refund_id: `5030${digits(25)}`,
      out_refund_no: body.out_refund_no,
      out_trade_no: t.out_trade_no,
      transaction_id: t.transaction_id!,
      refund: a.refund,
      total: t.total,
      payer_total: payerTotal,
      // the buyer gets back the same share of the refund as they paid of the total
      payer_refund: Math.floor((a.refund * payerTotal) / t.total),
      currency: 'CNY',
      reason: typeof body.reason === 'string' ? body.reason : null,
      notify_url: typeof body.notify_url === 'string' ? body.notify_url : null,
      status: 'PROCESSING',
      created_at_ms: clock.now(),
      complete_at_ms: clock.now() + deps.refundDelay_ms,
      success_time_ms: null,
    };
    books.refunds[r.out_refund_no] = r;
    t.trade_state = 'REFUND';
    store.save();
    return good(presentRefund(r));
  }

  function queryRefund(outRefundNo: string): ApiResult<WxRefund> {
    const r = books.refunds[outRefundNo];
    return r ? good(presentRefund(r)) : err(404, 'RESOURCE_NOT_EXISTS', '退款单不存在');
  }

  /** Refunds whose time has come get their outcome and a REFUND.* notification. */
  function completeDueRefunds(): number {
    let n = 0;
    for (const r of Object.values(books.refunds)) {
      if (r.status !== 'PROCESSING' || r.complete_at_ms > clock.now()) continue;
      r.status = deps.refundOutcome(r);
      if (r.status === 'SUCCESS') r.success_time_ms = clock.now();
      store.save();
      n++;
      const t = books.transactions[r.out_trade_no];
      const resource: RefundResource = {
        mchid: t.mchid, out_trade_no: r.out_trade_no, transaction_id: r.transaction_id, out_refund_no: r.out_refund_no,
        refund_id: r.refund_id, refund_status: r.status,
        ...(r.success_time_ms !== null ? { success_time: toRfc3339Cst(r.success_time_ms) } : {}),
        user_received_account: '支付用户零钱',
        amount: { total: r.total, refund: r.refund, payer_total: r.payer_total, payer_refund: r.payer_refund },
      };
      const summary = r.status === 'SUCCESS' ? '退款成功' : r.status === 'CLOSED' ? '退款关闭' : '退款异常';
      deps.notify({ notify_url: r.notify_url ?? t.notify_url, event_type: `REFUND.${r.status}`, summary, original_type: 'refund', resource });
    }
    return n;
  }

  return { prepay, query, close, pay, refund, queryRefund, completeDueRefunds };
}

export type Operations = ReturnType<typeof createOperations>;

export function presentTransaction(t: SandboxTransaction): WxTransaction {
  const paid = t.transaction_id !== null;
  return {
    appid: t.appid,
    mchid: t.mchid,
    out_trade_no: t.out_trade_no,
    ...(paid ? { transaction_id: t.transaction_id!, trade_type: t.trade_type, bank_type: 'OTHERS', success_time: toRfc3339Cst(t.success_time_ms!), payer: { openid: t.payer_openid ?? '' } } : {}),
    trade_state: t.trade_state,
    trade_state_desc: STATE_DESC[t.trade_state] ?? '',
    ...(t.attach ? { attach: t.attach } : {}),
    amount: paid
      ? { total: t.total, payer_total: t.payer_total ?? t.total, currency: t.currency, payer_currency: t.currency }
      : { total: t.total, currency: t.currency },
  };
}

export function presentRefund(r: SandboxRefund): WxRefund {
  return {
    refund_id: r.refund_id,
    out_refund_no: r.out_refund_no,
    transaction_id: r.transaction_id,
    out_trade_no: r.out_trade_no,
    channel: 'ORIGINAL',
    user_received_account: '支付用户零钱',
    ...(r.success_time_ms !== null ? { success_time: toRfc3339Cst(r.success_time_ms) } : {}),
    create_time: toRfc3339Cst(r.created_at_ms),
    status: r.status,
    funds_account: 'AVAILABLE',
    amount: {
      total: r.total, refund: r.refund, payer_total: r.payer_total, payer_refund: r.payer_refund,
      settlement_refund: r.refund, settlement_total: r.total, discount_refund: r.refund - r.payer_refund, currency: r.currency,
    },
  };
}
