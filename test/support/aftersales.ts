import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createListing } from '../../src/flows/create-listing.ts';
import type { RefundInput, RefundOutcome, RefundPort } from '../../src/modules/aftersales/index.ts';
import type { TestApp } from './app.ts';
import { leafCategory, relogin, signedInUser } from './fixtures.ts';

export type User = Awaited<ReturnType<typeof signedInUser>>;

/**
 * Payments' refund API as a test double: answers by mode, records every call. Refunds are
 * idempotent by out_refund_no at the provider, so `moneyMoved` counts each number once.
 */
export class FakeRefunds implements RefundPort {
  calls: RefundInput[] = [];
  mode: 'succeed' | 'processing' | 'down' | 'refuse' = 'succeed';
  private readonly succeeded = new Map<string, number>();

  async refund(input: RefundInput): Promise<RefundOutcome> {
    this.calls.push(input);
    if (this.mode === 'down') return { status: 'failed', code: 'provider_unavailable', message: 'provider down', retryable: true };
    if (this.mode === 'refuse') return { status: 'failed', code: 'not_enough_balance', message: 'the provider refused the refund', retryable: false };
    if (this.mode === 'processing') return { status: 'processing', refund_id: `wx_${input.out_refund_no}` };
    this.succeeded.set(input.out_refund_no, input.lines.reduce((s, l) => s + l.amount_minor, 0));
    return { status: 'succeeded', refund_id: `wx_${input.out_refund_no}` };
  }

  moneyMoved(orderId: string): number {
    const nos = new Set(this.calls.filter((c) => c.order_id === orderId).map((c) => c.out_refund_no));
    return [...nos].reduce((s, no) => s + (this.succeeded.get(no) ?? 0), 0);
  }
}

export const trackingNo = () => `SBX${randomBytes(6).toString('hex').toUpperCase()}`;
const address = { recipient: '孙七', phone: '13812345678', province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路90号' };

/** An open store with a product of two SKUs (9900 and 10900, 100 of each) in a category with the given flags. */
export async function shopWithStock(t: TestApp, owner: User, name: string, category: { no_reason_return_7d?: boolean; shipping_insurance?: boolean } = {}) {
  const store = await t.ctx.stores.createStore({ name, subject_type: 'enterprise', company_name: `${name}有限公司` }, owner.id);
  await t.ctx.db.transaction((tx) => t.ctx.stores.forceOpen(tx, store.id));
  const categoryId = await leafCategory(t, category);
  const product = await createListing(t.ctx, store.id, {
    category_id: categoryId, title: `${name} 商品`, skus: [{ spec: { 颜色: '黑' }, price_minor: 9900 }, { spec: { 颜色: '白' }, price_minor: 10900 }], stock: [100, 100],
  }, owner.id);
  return { store, product, owner };
}
export type Shop = Awaited<ReturnType<typeof shopWithStock>>;

export async function addressOf(t: TestApp, buyer: User): Promise<string> {
  const r = await t.call('POST', '/api/v1/me/addresses', { token: buyer.token, body: address });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id;
}

/** A paid order (payments marks the checkout paid after a verified notification; here directly). */
export async function paidOrder(t: TestApp, buyer: User, addressId: string, items: { sku_id: string; quantity: number }[]): Promise<{ id: string; lines: any[]; total_minor: number }> {
  const c = await t.call('POST', '/api/v1/checkouts', { token: buyer.token, body: { items, address_id: addressId } });
  assert.equal(c.status, 201, JSON.stringify(c.body));
  const outcome = await t.ctx.db.transaction((tx) => t.ctx.trade.markCheckoutPaid(tx, c.body.checkout_id, c.body.total_minor));
  assert.equal(outcome.kind, 'paid');
  const order = (await t.call('GET', `/api/v1/me/orders/${c.body.order_ids[0]}`, { token: buyer.token })).body;
  return { id: order.id, lines: order.lines, total_minor: order.total_minor };
}

export async function shipAll(t: TestApp, shop: Shop, orderId: string): Promise<void> {
  const r = await t.call('POST', `/api/v1/merchant/stores/${shop.store.id}/orders/${orderId}/shipments`, { token: shop.owner.token, body: { carrier: 'SANDBOX', tracking_no: trackingNo() } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
}

export async function receive(t: TestApp, buyer: User, orderId: string): Promise<void> {
  const r = await t.call('POST', `/api/v1/me/orders/${orderId}/confirm-receipt`, { token: buyer.token });
  assert.equal(r.status, 200, JSON.stringify(r.body));
}

/** Everything time-driven that is due: scheduler jobs, then events, then queued refunds. */
export async function settle(t: TestApp): Promise<void> {
  for (let i = 0; i < 5; i++) {
    const jobs = await t.ctx.scheduler.runDue();
    const events = await t.ctx.outbox.drain();
    const refunds = await t.ctx.aftersales.runDueRefunds();
    if (jobs + events + refunds === 0) return;
  }
}

/** Moves the clock, runs what fell due, and signs the users in again (access tokens last 2 h). */
export async function advance(t: TestApp, ms: number, users: User[], opts: { settle?: boolean } = {}): Promise<void> {
  t.clock.advance(ms);
  if (opts.settle !== false) await settle(t);
  for (const u of users) u.token = (await relogin(t, u)).token;
}

/** The client's view of requests. */
export function api(t: TestApp) {
  return {
    create: (buyer: User, body: Record<string, unknown>) => t.call('POST', '/api/v1/me/aftersales', { token: buyer.token, body }),
    mine: (buyer: User, id: string) => t.call('GET', `/api/v1/me/aftersales/${id}`, { token: buyer.token }),
    buyer: (buyer: User, id: string, action: string, body: unknown = {}) => t.call('POST', `/api/v1/me/aftersales/${id}/${action}`, { token: buyer.token, body }),
    merchant: (shop: Shop, id: string, action: string, body: unknown = {}, token = shop.owner.token) =>
      t.call('POST', `/api/v1/merchant/stores/${shop.store.id}/aftersales/${id}/${action}`, { token, body }),
    store: (shop: Shop, id: string, token = shop.owner.token) => t.call('GET', `/api/v1/merchant/stores/${shop.store.id}/aftersales/${id}`, { token }),
    order: (buyer: User, orderId: string) => t.call('GET', `/api/v1/me/orders/${orderId}`, { token: buyer.token }),
  };
}

/**
 * The cast of an after-sales test file, on an app started with `startTestApp({ refunds })`
 * (payments' refund API faked): a store (owner + customer-service staff), a buyer with an
 * address, another buyer, an operator.
 */
export async function aftersalesWorld(t: TestApp, refunds: FakeRefunds) {
  const a = api(t);
  const [buyer, other, operator, cs] = [await signedInUser(t), await signedInUser(t), await signedInUser(t, ['operator']), await signedInUser(t)];
  const shop = await shopWithStock(t, await signedInUser(t), '售后测试店');
  const staff = await t.call('POST', `/api/v1/merchant/stores/${shop.store.id}/staff`, { token: shop.owner.token, body: { phone: cs.phone, role: 'customer_service' } });
  assert.equal(staff.status, 201, JSON.stringify(staff.body));
  const addressId = await addressOf(t, buyer);
  const users = [buyer, other, operator, cs, shop.owner];

  /** A paid order of `quantity` black units (9900 each), optionally shipped and received. */
  async function order(quantity = 1, stage: 'paid' | 'shipped' | 'received' = 'paid', from: Shop = shop) {
    const o = await paidOrder(t, buyer, addressId, [{ sku_id: from.product.skus[0].id, quantity }]);
    if (stage !== 'paid') await shipAll(t, from, o.id);
    if (stage === 'received') await receive(t, buyer, o.id);
    return { ...o, line: o.lines[0] };
  }
  async function created(body: Record<string, unknown>, who = buyer) {
    const r = await a.create(who, body);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.request;
  }
  return { t, a, refunds, buyer, other, operator, cs, shop, addressId, users, order, created };
}

/** The request of a 200 detail response. */
export function ok200(r: { status: number; body: any }) {
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.request ?? r.body;
}
