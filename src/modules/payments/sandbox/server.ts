import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPublicKey, randomBytes, type KeyObject } from 'node:crypto';
import type { Clock } from '../../../lib/clock.ts';
import type { Result } from '../../../lib/result.ts';
import { apiV3KeyBytes, epochSeconds, loadPrivateKey, loadPublicKey, newNonce } from '../wechatpay/keys.ts';
import { buildNotificationBody, signNotificationBody } from '../wechatpay/notify.ts';
import { MAX_CLOCK_SKEW_MS, signBase64, signatureMessage, verifyRequestAuthorization } from '../wechatpay/sign.ts';
import type { RefundStatus, WxTransaction } from '../wechatpay/types.ts';
import { H_NONCE, H_SERIAL, H_SIGNATURE, H_TIMESTAMP } from '../wechatpay/verify.ts';
import { generateRsaKeyPair, sandboxPlatformSerial } from './credentials.ts';
import { createNotifier, type ChaosOptions, type DeliveryAttempt } from './notifier.ts';
import { createOperations, type ApiResult } from './operations.ts';
import { payPage, resultPage } from './pay-page.ts';
import { openSandboxStore, type SandboxDelivery, type SandboxRefund, type SandboxTransaction } from './state.ts';

/**
 * A sandbox payment provider that speaks WeChat Pay API v3 on its own port: it checks our
 * request signatures against the merchant public key it is given (401 SIGN_ERROR otherwise),
 * signs every answer with its own platform key, keeps its books in memory (or a JSON file),
 * serves a cashier page, and sends signed, encrypted notifications with WeChat's retry
 * schedule — driven by the injected clock and tick(), so tests move time. Plain node:http so
 * the raw bytes that signatures cover are at hand. Never expose it to the internet: anyone
 * can "pay" through its cashier page.
 */

export interface SandboxOptions {
  clock: Clock;
  /** The merchant's public key: requests not signed by its private key are refused. */
  merchantPublicKeyPem: string | KeyObject;
  apiV3Key: string;
  mchid: string;
  /** When set, prepay with another appid is refused. */
  appid?: string;
  /** When set, requests must name this merchant certificate serial. */
  merchantSerial?: string;
  port?: number;
  host?: string;
  /** The platform key; generated at start when absent. */
  platformPrivateKeyPem?: string;
  platformSerial?: string;
  /** Keep the books in this JSON file across restarts. */
  storePath?: string;
  chaos?: ChaosOptions;
  retrySchedule_ms?: readonly number[];
  notifyTimeout_ms?: number;
  /** How long a refund stays PROCESSING (default 0: it completes at the next tick). */
  refundDelay_ms?: number;
  refundOutcome?: (refund: SandboxRefund) => Exclude<RefundStatus, 'PROCESSING'>;
  /** For the demo on the system clock: run tick() this often. Off by default (tests call tick). */
  autoTick_ms?: number;
  fetch?: typeof fetch;
}

export interface SandboxServer {
  url: string;
  platformPublicKeyPem: string;
  platformSerial: string;
  /** The buyer pays (what the cashier page's 确认支付 does). */
  pay(outTradeNo: string, opts?: { openid?: string; payer_total?: number }): Result<WxTransaction, 'not_found' | 'already_paid' | 'closed' | 'expired' | 'bad_amount'>;
  /** Completes due refunds, then attempts every notification due at the clock's now. */
  tick(): Promise<DeliveryAttempt[]>;
  /** tick() after whatever delivery is in flight, for "everything due now is done". */
  flush(): Promise<DeliveryAttempt[]>;
  /** When the next notification attempt or refund completion is due; null when nothing is pending. */
  nextDueAt(): number | null;
  deliveries(): readonly SandboxDelivery[];
  transaction(outTradeNo: string): SandboxTransaction | undefined;
  refund(outRefundNo: string): SandboxRefund | undefined;
  /** Queue any signed, encrypted notification (for tests of hostile-but-authentic input). */
  injectNotification(n: { notify_url: string; event_type: string; summary?: string; original_type: 'transaction' | 'refund'; resource: object }): void;
  close(): Promise<void>;
}

const MAX_BODY = 1 << 20;

export async function createSandboxServer(opts: SandboxOptions): Promise<SandboxServer> {
  const { clock } = opts;
  apiV3KeyBytes(opts.apiV3Key);
  const merchantKey = loadPublicKey(opts.merchantPublicKeyPem);
  const platformPrivateKeyPem = opts.platformPrivateKeyPem ?? generateRsaKeyPair().privateKeyPem;
  const platformKey = loadPrivateKey(platformPrivateKeyPem);
  const platformPublicKeyPem = createPublicKey(platformKey).export({ type: 'spki', format: 'pem' }) as string;
  const platformSerial = opts.platformSerial ?? sandboxPlatformSerial();
  const store = openSandboxStore(opts.storePath);
  const seenNonces = new Map<string, number>();
  let baseUrl = '';

  const notifier = createNotifier({
    store, clock, fetch: opts.fetch, schedule_ms: opts.retrySchedule_ms, timeout_ms: opts.notifyTimeout_ms, chaos: opts.chaos,
    sign: (body) => signNotificationBody(body, { privateKey: platformKey, serial: platformSerial }, clock).headers,
  });
  const notify = (n: { notify_url: string; event_type: string; summary?: string; original_type: 'transaction' | 'refund'; resource: object }) => {
    const body = buildNotificationBody({ apiV3Key: opts.apiV3Key, event_type: n.event_type, summary: n.summary ?? n.event_type, original_type: n.original_type, resource: n.resource, clock });
    notifier.enqueue({ notification_id: (JSON.parse(body) as { id: string }).id, event_type: n.event_type, notify_url: n.notify_url, body });
  };
  const ops = createOperations({
    store, clock, mchid: opts.mchid, appid: opts.appid, notify,
    payPageUrl: (no) => `${baseUrl}/sandbox/pay/${encodeURIComponent(no)}`,
    refundDelay_ms: opts.refundDelay_ms ?? 0,
    refundOutcome: opts.refundOutcome ?? (() => 'SUCCESS'),
  });

  function signedJson(res: ServerResponse, status: number, payload: unknown): void {
    const body = payload === null ? '' : JSON.stringify(payload);
    const timestamp = String(epochSeconds(clock.now()));
    const nonce = newNonce();
    res.writeHead(status, {
      ...(body ? { 'content-type': 'application/json; charset=utf-8' } : {}),
      'request-id': randomBytes(12).toString('hex'),
      [H_TIMESTAMP]: timestamp,
      [H_NONCE]: nonce,
      [H_SERIAL]: platformSerial,
      [H_SIGNATURE]: signBase64(signatureMessage(timestamp, nonce, body), platformKey),
    });
    res.end(body);
  }

  function reply<T>(res: ServerResponse, r: ApiResult<T>, okStatus = 200): void {
    if (r.ok) signedJson(res, okStatus, okStatus === 204 ? null : r.value);
    else signedJson(res, r.error.status, { code: r.error.code, message: r.error.message });
  }

  /** Replays inside the window are refused: each signed request is usable once. */
  function freshNonce(mchid: string, nonce: string): boolean {
    const now = clock.now();
    for (const [k, exp] of seenNonces) if (exp < now) seenNonces.delete(k);
    const key = `${mchid}:${nonce}`;
    if (seenNonces.has(key)) return false;
    seenNonces.set(key, now + 2 * MAX_CLOCK_SKEW_MS);
    return true;
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL, raw: Buffer): Promise<void> {
    const auth = verifyRequestAuthorization({
      method: req.method ?? 'GET', pathWithQuery: req.url ?? '/', body: raw, authorization: req.headers.authorization,
      merchantPublicKey: merchantKey, clock, expectMchid: opts.mchid, expectSerial: opts.merchantSerial,
    });
    if (!auth.ok || !freshNonce(auth.value.mchid, auth.value.nonce_str)) {
      return signedJson(res, 401, { code: 'SIGN_ERROR', message: `签名错误 (${auth.ok ? 'replayed nonce' : auth.code})` });
    }
    const mchid = auth.value.mchid;
    let body: unknown;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        return signedJson(res, 400, { code: 'PARAM_ERROR', message: '请求体不是合法的JSON' });
      }
    }
    const p = url.pathname;
    let m: RegExpExecArray | null;
    if (req.method === 'POST' && p === '/v3/pay/transactions/native') return reply(res, ops.prepay('NATIVE', mchid, body));
    if (req.method === 'POST' && p === '/v3/pay/transactions/jsapi') return reply(res, ops.prepay('JSAPI', mchid, body));
    if (req.method === 'GET' && (m = /^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)$/.exec(p))) {
      return reply(res, ops.query(decodeURIComponent(m[1]), url.searchParams.get('mchid'), mchid));
    }
    if (req.method === 'POST' && (m = /^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)\/close$/.exec(p))) {
      return reply(res, ops.close(decodeURIComponent(m[1]), mchid, body), 204);
    }
    if (req.method === 'POST' && p === '/v3/refund/domestic/refunds') return reply(res, ops.refund(mchid, body));
    if (req.method === 'GET' && (m = /^\/v3\/refund\/domestic\/refunds\/([^/]+)$/.exec(p))) return reply(res, ops.queryRefund(decodeURIComponent(m[1])));
    return signedJson(res, 404, { code: 'NOT_FOUND', message: '接口不存在' });
  }

  function handleCashier(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const html = (status: number, text: string) => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
      res.end(text);
    };
    const p = url.pathname;
    let m: RegExpExecArray | null;
    if (req.method === 'GET' && p === '/sandbox/platform-key') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ serial: platformSerial, public_key_pem: platformPublicKeyPem }));
    }
    if (req.method === 'GET' && (m = /^\/sandbox\/pay\/([^/]+)$/.exec(p))) {
      const t = store.books.transactions[decodeURIComponent(m[1])];
      return html(t ? 200 : 404, payPage(t, `${p}/confirm`));
    }
    if (req.method === 'POST' && (m = /^\/sandbox\/pay\/([^/]+)\/confirm$/.exec(p))) {
      const no = decodeURIComponent(m[1]);
      const r = ops.pay(no);
      if ((req.headers.accept ?? '').includes('application/json')) {
        res.writeHead(r.ok ? 200 : 409, { 'content-type': 'application/json' });
        return void res.end(JSON.stringify(r.ok ? { ok: true, transaction: r.value } : { ok: false, code: r.code, message: r.message }));
      }
      return html(r.ok ? 200 : 409, resultPage(r.ok, r.ok ? '商户将收到支付结果通知' : r.message, store.books.transactions[no]));
    }
    html(404, resultPage(false, 'Not found', undefined));
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) req.destroy();
      else chunks.push(c);
    });
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://sandbox');
      const raw = Buffer.concat(chunks);
      const done = url.pathname.startsWith('/v3/') ? handleApi(req, res, url, raw) : Promise.resolve(handleCashier(req, res, url));
      done.catch((e: Error) => {
        if (!res.headersSent) signedJson(res, 500, { code: 'SYSTEM_ERROR', message: e.message.slice(0, 64) });
        else res.destroy();
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  baseUrl = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${addr.port}`;

  let tickChain: Promise<DeliveryAttempt[]> = Promise.resolve([]);
  const tick = (): Promise<DeliveryAttempt[]> => {
    tickChain = tickChain.catch(() => []).then(() => {
      ops.completeDueRefunds();
      return notifier.tick();
    });
    return tickChain;
  };
  const timer = opts.autoTick_ms ? setInterval(() => void tick().catch(() => undefined), opts.autoTick_ms) : null;
  timer?.unref();

  return {
    url: baseUrl,
    platformPublicKeyPem,
    platformSerial,
    pay: (no, o) => ops.pay(no, o),
    tick,
    flush: async () => {
      await tickChain.catch(() => []);
      return tick();
    },
    nextDueAt: () => {
      const times = Object.values(store.books.refunds).filter((r) => r.status === 'PROCESSING').map((r) => r.complete_at_ms);
      const next = notifier.nextDueAt();
      if (next !== null) times.push(next);
      return times.length ? Math.min(...times) : null;
    },
    deliveries: () => notifier.deliveries(),
    transaction: (no) => store.books.transactions[no],
    refund: (no) => store.books.refunds[no],
    injectNotification: notify,
    close: () =>
      new Promise<void>((resolve) => {
        if (timer) clearInterval(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
