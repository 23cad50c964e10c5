/**
 * Payments configuration (environment variables; the table is in src/modules/payments/README.md).
 * The bundled sandbox is the default: it runs in-process on its own port, bound to 127.0.0.1 —
 * anyone who reaches its cashier page can "pay", so it must never be exposed publicly.
 * A real merchant sets XIAODIAN_PAYMENTS_PROVIDER=wechatpay and the merchant's keys.
 */
export interface PaymentsSettings {
  provider: 'sandbox' | 'wechatpay';
  /** Where the provider posts notifications (must be public https for real WeChat Pay); null: this server's own address. */
  notifyUrl: string | null;
  sandbox: {
    host: string;
    /** 0: an ephemeral port. */
    port: number;
    /** Keys (merchant.json, platform.json) and books (books.json) survive restarts here; null: in memory. */
    dir: string | null;
    duplicateRate: number;
    reorder: boolean;
  };
  wechatpay: {
    mchid: string;
    appid: string;
    privateKeyPath: string;
    merchantSerial: string;
    apiV3Key: string;
    /** WeChat Pay public key (PUB_KEY_ID_… serial) or platform certificate PEM. */
    platformKeyPath: string;
    /** The public key's id; '*' (or empty) for a platform certificate, whose serial is read from it. */
    platformSerial: string;
    baseUrl: string;
  } | null;
}

function need(env: NodeJS.ProcessEnv, name: string): string {
  const v = env[name];
  if (!v) throw new Error(`${name} is required when XIAODIAN_PAYMENTS_PROVIDER=wechatpay`);
  return v;
}

function intIn(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const v = env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be an integer in ${min}..${max}, got "${v}"`);
  return n;
}

export function loadPaymentsSettings(env: NodeJS.ProcessEnv): PaymentsSettings {
  const provider = env.XIAODIAN_PAYMENTS_PROVIDER || 'sandbox';
  if (provider !== 'sandbox' && provider !== 'wechatpay') throw new Error('XIAODIAN_PAYMENTS_PROVIDER must be sandbox or wechatpay');
  const notifyUrl = env.XIAODIAN_PAYMENTS_NOTIFY_URL || null;
  if (notifyUrl) {
    const u = new URL(notifyUrl);
    if (u.search) throw new Error('XIAODIAN_PAYMENTS_NOTIFY_URL must have no query string');
    if (provider === 'wechatpay' && u.protocol !== 'https:') throw new Error('XIAODIAN_PAYMENTS_NOTIFY_URL must be https for WeChat Pay');
  }
  const duplicateRate = Number(env.XIAODIAN_PAYSANDBOX_DUPLICATE_RATE || 0);
  if (!(duplicateRate >= 0 && duplicateRate <= 1)) throw new Error('XIAODIAN_PAYSANDBOX_DUPLICATE_RATE must be between 0 and 1');
  return {
    provider,
    notifyUrl,
    sandbox: {
      host: env.XIAODIAN_PAYSANDBOX_HOST || '127.0.0.1',
      port: intIn(env, 'XIAODIAN_PAYSANDBOX_PORT', 8090, 0, 65535),
      dir: env.XIAODIAN_PAYSANDBOX_DIR === 'memory' ? null : env.XIAODIAN_PAYSANDBOX_DIR || './data/payments-sandbox',
      duplicateRate,
      reorder: /^(1|true|yes|on)$/i.test(env.XIAODIAN_PAYSANDBOX_REORDER ?? ''),
    },
    wechatpay: provider !== 'wechatpay' ? null : {
      mchid: need(env, 'XIAODIAN_WECHATPAY_MCHID'),
      appid: need(env, 'XIAODIAN_WECHATPAY_APPID'),
      privateKeyPath: need(env, 'XIAODIAN_WECHATPAY_PRIVATE_KEY_PATH'),
      merchantSerial: need(env, 'XIAODIAN_WECHATPAY_MERCHANT_SERIAL'),
      apiV3Key: need(env, 'XIAODIAN_WECHATPAY_APIV3_KEY'),
      platformKeyPath: need(env, 'XIAODIAN_WECHATPAY_PLATFORM_KEY_PATH'),
      platformSerial: env.XIAODIAN_WECHATPAY_PLATFORM_SERIAL || '*',
      baseUrl: env.XIAODIAN_WECHATPAY_BASE_URL || 'https://api.mch.weixin.qq.com',
    },
  };
}
