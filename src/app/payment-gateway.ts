import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import {
  createSandboxServer, createWechatPayProvider, generateMerchantCredentials, generateRsaKeyPair, loadOrCreateSandboxKeys, sandboxPlatformSerial,
  type PaymentProvider, type ProviderSource, type SandboxKeys, type SandboxOptions, type SandboxServer,
} from '../modules/payments/index.ts';
import type { PaymentsSettings } from './payments-config.ts';

export const NOTIFY_PATH = '/api/v1/payments/wechatpay/notify';

export interface PaymentGateway extends ProviderSource {
  /** The in-process sandbox (started on first use); null with real WeChat Pay. */
  sandbox(): Promise<SandboxServer | null>;
  /** Before first use only (tests, the reconcile command): other sandbox options, e.g. `{ port: 0, dir: null, chaos }`. */
  configureSandbox(over: Partial<Omit<SandboxOptions, 'clock' | 'merchantPublicKeyPem' | 'apiV3Key' | 'mchid'>> & { dir?: string | null }): void;
  /** The HTTP server's address, for the default notification URL. */
  listening(host: string, port: number): void;
  /** Ticks the sandbox on a timer (the demo on the system clock); tests tick it themselves. */
  startAutoTick(ms: number): void;
  close(): Promise<void>;
}

/**
 * The payment provider the payments module uses, built lazily from configuration: loading
 * keys and starting the sandbox cost seconds, and most processes (tests of other modules)
 * never pay. Sandbox (default): an in-process WeChat-Pay-v3-speaking server on its own port,
 * bound to 127.0.0.1, with the demo's keys and books in ./data/payments-sandbox. wechatpay:
 * the real API with the merchant's keys. Nothing else differs.
 */
export function createPaymentGateway(settings: PaymentsSettings, clock: Clock, log: Logger): PaymentGateway {
  let over: Parameters<PaymentGateway['configureSandbox']>[0] = {};
  let built: Promise<{ provider: PaymentProvider; sandbox: SandboxServer | null }> | undefined;
  let listenUrl: string | null = null;
  let timer: NodeJS.Timeout | undefined;

  async function buildSandbox() {
    const s = settings.sandbox;
    const dir = over.dir !== undefined ? over.dir : s.dir;
    const keys: SandboxKeys = dir ? loadOrCreateSandboxKeys(dir) : { merchant: generateMerchantCredentials(), platform: { serial: sandboxPlatformSerial(), ...generateRsaKeyPair() } };
    const { dir: _d, ...rest } = over;
    const sandbox = await createSandboxServer({
      clock, host: s.host, port: s.port, mchid: keys.merchant.mchid, appid: keys.merchant.appid, merchantSerial: keys.merchant.merchantSerial,
      merchantPublicKeyPem: keys.merchant.publicKeyPem, apiV3Key: keys.merchant.apiV3Key, platformPrivateKeyPem: keys.platform.privateKeyPem, platformSerial: keys.platform.serial,
      ...(dir ? { storePath: join(dir, 'books.json') } : {}), chaos: { duplicate_rate: s.duplicateRate, reorder: s.reorder }, ...rest,
    });
    if (!/^(127\.|localhost|\[::1\])/.test(new URL(sandbox.url).hostname)) log.warn({ url: sandbox.url }, 'the payment sandbox listens beyond localhost: anyone reaching its cashier page can pay');
    log.info({ url: sandbox.url, cashier: `${sandbox.url}/sandbox/pay/{out_trade_no}` }, 'payment sandbox (WeChat Pay v3) started');
    const provider = createWechatPayProvider({
      clock, mchid: keys.merchant.mchid, appid: keys.merchant.appid, merchantSerial: keys.merchant.merchantSerial, merchantPrivateKeyPem: keys.merchant.privateKeyPem,
      apiV3Key: keys.merchant.apiV3Key, platformPublicKeys: { [sandbox.platformSerial]: sandbox.platformPublicKeyPem }, baseUrl: sandbox.url,
    });
    return { provider, sandbox };
  }

  async function build() {
    const w = settings.wechatpay;
    if (settings.provider === 'sandbox' || !w) return buildSandbox();
    const provider = createWechatPayProvider({
      clock, mchid: w.mchid, appid: w.appid, merchantSerial: w.merchantSerial, merchantPrivateKeyPem: readFileSync(w.privateKeyPath, 'utf8'), apiV3Key: w.apiV3Key,
      platformPublicKeys: { [w.platformSerial]: readFileSync(w.platformKeyPath, 'utf8') }, baseUrl: w.baseUrl,
    });
    return { provider, sandbox: null };
  }
  const get = () => (built ??= build().catch((err) => {
    built = undefined; // a failed start (port taken, bad key) is retried on the next use
    throw err;
  }));

  return {
    provider: async () => (await get()).provider,
    sandbox: async () => (await get()).sandbox,
    notifyUrl() {
      const url = settings.notifyUrl ?? listenUrl;
      if (!url) throw new Error('no notification URL: set XIAODIAN_PAYMENTS_NOTIFY_URL (or start the HTTP server first)');
      return url;
    },
    configureSandbox(o) {
      if (built) throw new Error('the payment provider is already built; configure the sandbox before first use');
      over = { ...over, ...o };
    },
    listening(host, port) {
      const h = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
      listenUrl = `http://${h}:${port}${NOTIFY_PATH}`;
    },
    startAutoTick(ms) {
      if (settings.provider !== 'sandbox' || timer) return;
      void get().catch((err) => log.error({ err }, 'payment sandbox failed to start')); // warm up: the cashier is ready before the first buyer
      timer = setInterval(() => {
        if (built) void built.then((b) => b.sandbox?.tick()).catch((err) => log.warn({ err }, 'payment sandbox tick failed'));
      }, ms);
      timer.unref();
    },
    async close() {
      if (timer) clearInterval(timer);
      timer = undefined;
      const b = built;
      built = undefined;
      if (b) await (await b.catch(() => null))?.sandbox?.close();
    },
  };
}
