import assert from 'node:assert/strict';
import { createListing } from '../../src/flows/create-listing.ts';
import type { SandboxOptions, SandboxServer } from '../../src/modules/payments/index.ts';
import { startTestApp, type TestApp } from './app.ts';
import { leafCategory } from './fixtures.ts';

/**
 * The whole server with the payment sandbox in-process on an ephemeral port, in memory, on the
 * test clock (nothing ticks by itself: `pump` moves everything that is due). Every delivery
 * the sandbox makes is recorded with its exact headers and body, so a test can replay one.
 */
export interface PaymentsTestApp extends TestApp {
  sandbox: SandboxServer;
  delivered: { url: string; headers: Record<string, string>; body: string; status: number }[];
  /** Outbox, scheduler, payments worker and sandbox deliveries until nothing is due now. */
  pump(): Promise<void>;
  /** The buyer pays a checkout through the API and the sandbox cashier page, then everything settles. */
  payCheckout(token: string, checkoutId: string): Promise<{ code_url: string }>;
  /** Posts a notification to our endpoint as the provider would. */
  notify(headers: Record<string, string>, body: string): Promise<{ status: number; body: string }>;
}

export async function startPaymentsApp(sandbox: Partial<Pick<SandboxOptions, 'chaos' | 'refundOutcome' | 'refundDelay_ms' | 'retrySchedule_ms'>> = {}): Promise<PaymentsTestApp> {
  const t = await startTestApp();
  const delivered: PaymentsTestApp['delivered'] = [];
  const recordingFetch: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    delivered.push({ url: String(input), headers: { ...(init?.headers as Record<string, string>) }, body: String(init?.body ?? ''), status: res.status });
    return res;
  };
  t.ctx.paymentGateway.configureSandbox({ port: 0, dir: null, fetch: recordingFetch, ...sandbox });
  const sb = (await t.ctx.paymentGateway.sandbox())!;
  const self = Object.assign(t, {
    sandbox: sb,
    delivered,
    async pump() {
      for (let round = 0; round < 30; round++) {
        const events = await t.ctx.outbox.drain();
        const jobs = await t.ctx.scheduler.runDue();
        const work = await t.ctx.payments.runDue();
        const sent = (await sb.flush()).length;
        if (events + jobs + work.refunds + work.closes + work.reconciliations + sent === 0) return;
      }
      throw new Error('pump: still busy after 30 rounds');
    },
    async payCheckout(token: string, checkoutId: string) {
      const pay = await t.call('POST', `/api/v1/checkouts/${checkoutId}/pay`, { token, body: {} });
      assert.equal(pay.status, 200, JSON.stringify(pay.body));
      await payAtCashier(pay.body.pay_page_url);
      await self.pump();
      return { code_url: pay.body.code_url as string };
    },
    async notify(headers: Record<string, string>, body: string) {
      const res = await fetch(`${t.baseUrl}/api/v1/payments/wechatpay/notify`, { method: 'POST', headers, body });
      return { status: res.status, body: await res.text() };
    },
  });
  return self;
}

/** What the 确认支付 button on the sandbox cashier page does. */
export async function payAtCashier(payPageUrl: string): Promise<void> {
  const res = await fetch(`${payPageUrl}/confirm`, { method: 'POST', headers: { accept: 'application/json' } });
  assert.equal(res.status, 200, await res.text());
}

/** An open store selling one product (one SKU) in a leaf category with the given fee rate. */
export async function storeSelling(t: TestApp, ownerId: string, name: string, o: { fee_rate_bp: number; price_minor: number; stock?: number }) {
  const store = await t.ctx.stores.createStore({ name, subject_type: 'enterprise', company_name: `${name}有限公司` }, ownerId);
  await t.ctx.db.transaction((tx) => t.ctx.stores.forceOpen(tx, store.id));
  const categoryId = await leafCategory(t, { fee_rate_bp: o.fee_rate_bp });
  const product = await createListing(t.ctx, store.id, { category_id: categoryId, title: `${name} 测试商品`, skus: [{ spec: { 规格: '标准' }, price_minor: o.price_minor }], stock: [o.stock ?? 100] }, ownerId);
  return { store, product, sku: product.skus[0].id as string, categoryId };
}

/** A store account's balance, by chart code (0 when never opened). */
export async function balanceOf(t: TestApp, code: Parameters<TestApp['ctx']['ledger']['findAccount']>[1], ownerId: string): Promise<number> {
  return (await t.ctx.ledger.findAccount(t.ctx.db.kysely, code, ownerId))?.balance_minor ?? 0;
}
