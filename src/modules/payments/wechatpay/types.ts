/**
 * Wire shapes of the WeChat Pay API v3 calls we use (直连商户 / direct merchant mode).
 * Amounts are integer fen; times are RFC 3339 strings with an offset, e.g.
 * "2018-06-08T10:34:56+08:00".
 */

export type WxCurrency = 'CNY';

/** 交易状态. SUCCESS paid · REFUND a refund was made · NOTPAY · CLOSED · REVOKED · USERPAYING · PAYERROR. */
export type TradeState = 'SUCCESS' | 'REFUND' | 'NOTPAY' | 'CLOSED' | 'REVOKED' | 'USERPAYING' | 'PAYERROR';
export const TRADE_STATES: readonly TradeState[] = ['SUCCESS', 'REFUND', 'NOTPAY', 'CLOSED', 'REVOKED', 'USERPAYING', 'PAYERROR'];

/** 退款状态. */
export type RefundStatus = 'SUCCESS' | 'CLOSED' | 'PROCESSING' | 'ABNORMAL';
export const REFUND_STATUSES: readonly RefundStatus[] = ['SUCCESS', 'CLOSED', 'PROCESSING', 'ABNORMAL'];

export type TradeType = 'NATIVE' | 'JSAPI' | 'APP' | 'MWEB' | 'MICROPAY' | 'FACEPAY';

export interface PrepayRequest {
  appid: string;
  mchid: string;
  description: string;
  out_trade_no: string;
  notify_url: string;
  /** RFC 3339; after it the order can no longer be paid. */
  time_expire?: string;
  attach?: string;
  amount: { total: number; currency?: WxCurrency };
  /** JSAPI / mini-program only. */
  payer?: { openid: string };
}

export interface NativePrepayResponse {
  code_url: string;
}
export interface JsapiPrepayResponse {
  prepay_id: string;
}

/** GET /v3/pay/transactions/out-trade-no/{out_trade_no}?mchid=… */
export interface WxTransaction {
  appid: string;
  mchid: string;
  out_trade_no: string;
  transaction_id?: string;
  trade_type?: TradeType;
  trade_state: TradeState;
  trade_state_desc: string;
  bank_type?: string;
  attach?: string;
  success_time?: string;
  payer?: { openid?: string };
  /** total is always there; payer_total / payer_currency once paid. */
  amount?: { total: number; payer_total?: number; currency?: string; payer_currency?: string };
}

export interface RefundRequest {
  transaction_id?: string;
  out_trade_no?: string;
  out_refund_no: string;
  reason?: string;
  notify_url?: string;
  amount: { refund: number; total: number; currency: WxCurrency };
}

/** POST /v3/refund/domestic/refunds and GET /v3/refund/domestic/refunds/{out_refund_no}. */
export interface WxRefund {
  refund_id: string;
  out_refund_no: string;
  transaction_id: string;
  out_trade_no: string;
  channel: 'ORIGINAL' | 'BALANCE' | 'OTHER_BALANCE' | 'OTHER_BANKCARD';
  user_received_account: string;
  success_time?: string;
  create_time: string;
  status: RefundStatus;
  funds_account?: string;
  amount: {
    total: number;
    refund: number;
    payer_total: number;
    payer_refund: number;
    settlement_refund: number;
    settlement_total: number;
    discount_refund: number;
    currency: string;
  };
}

/** The envelope POSTed to notify_url. */
export interface NotificationEnvelope {
  id: string;
  create_time: string;
  event_type: string;
  resource_type: string;
  summary?: string;
  resource: {
    algorithm: string;
    ciphertext: string;
    nonce: string;
    associated_data?: string;
    original_type?: string;
  };
}

/** Decrypted resource of TRANSACTION.SUCCESS. */
export interface TransactionResource {
  appid: string;
  mchid: string;
  out_trade_no: string;
  transaction_id: string;
  trade_type: TradeType;
  trade_state: TradeState;
  trade_state_desc: string;
  bank_type: string;
  attach?: string;
  success_time: string;
  payer?: { openid?: string };
  amount: { total: number; payer_total: number; currency: string; payer_currency: string };
}

/** Decrypted resource of REFUND.SUCCESS / REFUND.ABNORMAL / REFUND.CLOSED. */
export interface RefundResource {
  mchid: string;
  out_trade_no: string;
  transaction_id: string;
  out_refund_no: string;
  refund_id: string;
  refund_status: RefundStatus;
  success_time?: string;
  user_received_account: string;
  amount: { total: number; refund: number; payer_total: number; payer_refund: number };
}

/** Error body of a 4xx/5xx API answer, e.g. {"code":"ORDER_NOT_EXIST","message":"订单不存在"}. */
export interface WxErrorBody {
  code: string;
  message: string;
  detail?: unknown;
}
