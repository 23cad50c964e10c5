import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { RefundStatus, TradeState } from '../wechatpay/types.ts';

/** The sandbox provider's books: what WeChat Pay would hold for one merchant. */

export interface SandboxTransaction {
  appid: string;
  mchid: string;
  out_trade_no: string;
  description: string;
  notify_url: string;
  trade_type: 'NATIVE' | 'JSAPI';
  total: number;
  currency: string;
  attach: string | null;
  time_expire_ms: number | null;
  payer_openid: string | null;
  trade_state: TradeState;
  transaction_id: string | null;
  /** What the buyer's own money paid (total unless the test pays with a "discount"). */
  payer_total: number | null;
  success_time_ms: number | null;
  created_at_ms: number;
  prepay_id: string | null;
  code_url: string | null;
}

export interface SandboxRefund {
  refund_id: string;
  out_refund_no: string;
  out_trade_no: string;
  transaction_id: string;
  refund: number;
  total: number;
  payer_refund: number;
  payer_total: number;
  currency: string;
  reason: string | null;
  notify_url: string | null;
  status: RefundStatus;
  created_at_ms: number;
  complete_at_ms: number;
  success_time_ms: number | null;
}

export interface SandboxDelivery {
  seq: number;
  notification_id: string;
  event_type: string;
  notify_url: string;
  /** The envelope, fixed for the notification; headers are signed afresh per attempt. */
  body: string;
  status: 'pending' | 'delivered' | 'gave_up';
  attempts: number;
  next_attempt_at_ms: number;
  /** A copy made on purpose (the duplicate-delivery chaos option). */
  duplicate: boolean;
  history: { at_ms: number; http_status: number | null; error?: string }[];
}

export interface SandboxBooks {
  transactions: Record<string, SandboxTransaction>;
  refunds: Record<string, SandboxRefund>;
  deliveries: SandboxDelivery[];
  next_seq: number;
}

export interface SandboxStore {
  books: SandboxBooks;
  /** Writes the books to the JSON file when one is configured; call after each change. */
  save(): void;
}

const empty = (): SandboxBooks => ({ transactions: {}, refunds: {}, deliveries: [], next_seq: 1 });

export function openSandboxStore(path?: string): SandboxStore {
  let books = empty();
  if (path && existsSync(path)) books = { ...empty(), ...(JSON.parse(readFileSync(path, 'utf8')) as Partial<SandboxBooks>) };
  return {
    books,
    save() {
      if (!path) return;
      mkdirSync(dirname(path), { recursive: true });
      const tmp = `${path}.tmp`;
      writeFileSync(tmp, JSON.stringify(books));
      renameSync(tmp, path);
    },
  };
}
