import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TestClock } from '../../../lib/clock.ts';
import { createWechatPayProvider, type PaymentEvent, type WechatPayProvider } from '../provider.ts';
import { generateMerchantCredentials, type MerchantCredentials } from './credentials.ts';
import { createSandboxServer, type SandboxOptions, type SandboxServer } from './server.ts';

/**
 * Test wiring: a sandbox on an ephemeral port, a WechatPayProvider pointed at it, and a
 * merchant notification receiver on another port that verifies with the provider and answers
 * as told. Shared by the sandbox tests; the integrator's tests may use it too.
 */

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  event: PaymentEvent | null;
  failure: string | null;
  answered: number;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Verified events, in arrival order. */
  events(): PaymentEvent[];
  /** Decides the HTTP status for each verified event (default 204 via provider.ackNotification). */
  answer: (event: PaymentEvent, index: number) => number;
  close(): Promise<void>;
}

export async function startReceiver(provider: WechatPayProvider): Promise<Receiver> {
  const received: Received[] = [];
  const self: Receiver = {
    url: '',
    received,
    events: () => received.filter((r) => r.event).map((r) => r.event!),
    answer: () => 204,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const parsed = provider.parseNotification(req.headers, raw);
      let reply;
      if (!parsed.ok) reply = provider.nackNotification(parsed.code, 401);
      else {
        const status = self.answer(parsed.value, received.filter((r) => r.event).length);
        reply = status === 200 || status === 204 ? provider.ackNotification() : provider.nackNotification('processing failed', status);
      }
      received.push({ headers: req.headers, body: raw.toString('utf8'), event: parsed.ok ? parsed.value : null, failure: parsed.ok ? null : parsed.code, answered: reply.status });
      res.writeHead(reply.status, reply.headers);
      res.end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  self.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/payments/wechatpay/notify`;
  return self;
}

export interface Harness {
  clock: TestClock;
  creds: MerchantCredentials;
  sandbox: SandboxServer;
  provider: WechatPayProvider;
  receiver: Receiver;
  /** Moves the test clock to each due time and ticks, until nothing is pending or `limit_ms` passes. */
  runUntilIdle(limit_ms?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(over: Partial<SandboxOptions> = {}): Promise<Harness> {
  const clock = new TestClock();
  const creds = generateMerchantCredentials();
  const sandbox = await createSandboxServer({
    clock, mchid: creds.mchid, appid: creds.appid, merchantSerial: creds.merchantSerial,
    merchantPublicKeyPem: creds.publicKeyPem, apiV3Key: creds.apiV3Key, ...over,
  });
  const provider = createWechatPayProvider({
    clock, mchid: creds.mchid, appid: creds.appid, merchantSerial: creds.merchantSerial,
    merchantPrivateKeyPem: creds.privateKeyPem, apiV3Key: creds.apiV3Key,
    platformPublicKeys: { [sandbox.platformSerial]: sandbox.platformPublicKeyPem }, baseUrl: sandbox.url,
  });
  const receiver = await startReceiver(provider);
  return {
    clock, creds, sandbox, provider, receiver,
    async runUntilIdle(limit_ms = 2 * 24 * 3600 * 1000) {
      const end = clock.now() + limit_ms;
      await sandbox.tick();
      for (let next = sandbox.nextDueAt(); next !== null && next <= end; next = sandbox.nextDueAt()) {
        if (next > clock.now()) clock.set(next);
        await sandbox.tick();
      }
    },
    async close() {
      await receiver.close();
      await sandbox.close();
    },
  };
}
