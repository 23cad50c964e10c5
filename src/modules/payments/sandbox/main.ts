/**
 * The sandbox payment provider on its own port, for the demo:
 *
 *   tsx src/modules/payments/sandbox/main.ts
 *
 * XIAODIAN_PAYSANDBOX_PORT (8090), XIAODIAN_PAYSANDBOX_HOST (127.0.0.1),
 * XIAODIAN_PAYSANDBOX_DIR (./data/payments-sandbox: keys and books),
 * XIAODIAN_PAYSANDBOX_DUPLICATE_RATE (0..1), XIAODIAN_PAYSANDBOX_REORDER (true/false).
 *
 * The merchant side configures WeChat Pay with the printed base URL, the mchid/appid/serial and
 * keys in merchant.json, and the platform key in platform.json (or GET /sandbox/platform-key).
 */
import { join } from 'node:path';
import { systemClock } from '../../../lib/clock.ts';
import { loadOrCreateSandboxKeys } from './credentials.ts';
import { createSandboxServer } from './server.ts';

const dir = process.env.XIAODIAN_PAYSANDBOX_DIR || './data/payments-sandbox';
const keys = loadOrCreateSandboxKeys(dir);
const duplicate = Number(process.env.XIAODIAN_PAYSANDBOX_DUPLICATE_RATE || 0);
if (!(duplicate >= 0 && duplicate <= 1)) throw new Error('XIAODIAN_PAYSANDBOX_DUPLICATE_RATE must be between 0 and 1');

const sandbox = await createSandboxServer({
  clock: systemClock,
  port: Number(process.env.XIAODIAN_PAYSANDBOX_PORT || 8090),
  host: process.env.XIAODIAN_PAYSANDBOX_HOST || '127.0.0.1',
  mchid: keys.merchant.mchid,
  appid: keys.merchant.appid,
  merchantSerial: keys.merchant.merchantSerial,
  merchantPublicKeyPem: keys.merchant.publicKeyPem,
  apiV3Key: keys.merchant.apiV3Key,
  platformPrivateKeyPem: keys.platform.privateKeyPem,
  platformSerial: keys.platform.serial,
  storePath: join(dir, 'books.json'),
  chaos: { duplicate_rate: duplicate, reorder: /^(1|true|yes|on)$/i.test(process.env.XIAODIAN_PAYSANDBOX_REORDER ?? '') },
  autoTick_ms: 1000,
});

console.log(`sandbox WeChat Pay v3 provider at ${sandbox.url} (mchid ${keys.merchant.mchid}, platform key ${sandbox.platformSerial}); keys in ${dir}`);
const stop = () => void sandbox.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
