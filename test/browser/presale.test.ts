/**
 * The storefront's pre-sale (预售) and reservation (预约领券) screens in a real headless browser
 * (Debian's chromium via playwright-core), on the real server (SQLite) with the demo data and a
 * test clock: an operator's campaign with a platform 满减 and two reservation coupons, a
 * merchant's pre-sale offer (定金¥20抵¥50) set up through the API. In warm-up a buyer on a phone
 * reserves a coupon (the other is all reserved), reads the pre-sale's terms and rules, agrees to
 * them and pays the deposit in the sandbox cashier; the clock moves into the balance window, the
 * buyer sees the balance after the 满减 and the reserved coupon, pays it and sees the order paid.
 * Screenshots go to test-results/presale/.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { createListing } from '../../src/flows/create-listing.ts';
import { DAY_MS, MINUTE_MS } from '../../src/lib/clock.ts';
import { yuan } from '../../web/src/lib/format.ts';
import { browserHarness } from '../support/browser.ts';
import type { PaymentsTestApp } from '../support/payments.ts';
import { leafCategory, signedInUser } from '../support/fixtures.ts';

const TITLE = '云感 预售限定 智能手表 S3';

const h = browserHarness('presale');
const { context, shot, watch, showingFailures, signIn, login, until } = h;
let t: PaymentsTestApp;
let buyerCtx: BrowserContext;
let page: Page;
let errors: string[] = [];
let T0 = 0;
let campaignId = '';
let offer: { id: string; product_id: string; balance_from: string; rules: { zh: string } };
let reserveOpen = '', reserveFull = '';
let orderId = '';

const ok = (r: { status: number; body: any }, status = 200) => {
  assert.equal(r.status, status, JSON.stringify(r.body));
  return r.body;
};

async function phaseIs(phase: string): Promise<void> {
  const { token } = await login('13900000000');
  await until(`phase ${phase}`, async () => ok(await t.call('GET', `/api/v1/console/campaigns/${campaignId}`, { token })).phase === phase);
}

/** Pays in the sandbox cashier the payment page opens (a second tab), then waits for the page to see it. */
async function payInCashier(p: Page): Promise<void> {
  const link = p.getByRole('link', { name: '打开微信支付收银台（沙箱）' });
  await link.waitFor();
  const [cashier] = await Promise.all([buyerCtx.waitForEvent('page'), link.click()]);
  await cashier.waitForLoadState();
  await cashier.locator('#confirm').click();
  await cashier.getByRole('heading', { name: '支付成功' }).waitFor();
  await cashier.close();
  await p.getByTestId('paid').waitFor();
}

before(async () => {
  t = await h.start(); // the server's clock starts at the real time; the test moves it on

  // The campaign (operator): warm-up in 2 minutes, selling in 2 days, a 24 h balance window, 每满50减5.
  T0 = t.clock.now();
  const operator = (await login('13900000000')).token;
  const iso = (ms: number) => new Date(ms).toISOString();
  campaignId = ok(await t.call('POST', '/api/v1/console/campaigns', {
    token: operator,
    body: {
      name: '云感双12预售节', registration_start: iso(T0), review_start: iso(T0 + MINUTE_MS), warmup_start: iso(T0 + 2 * MINUTE_MS), selling_start: iso(T0 + 2 * DAY_MS), selling_end: iso(T0 + 9 * DAY_MS),
      rules: {}, fee_rate_bp: 100, threshold: { name: '预售节每满50减5', rule: { kind: 'every', step_minor: 5000, off_minor: 500 }, funder: 'platform', stacks_with: ['*'] }, presale_balance_hours: 24,
    },
  }), 201).id;
  const reservation = async (name: string, coupon: object, budget: number) => ok(await t.call('POST', `/api/v1/console/campaigns/${campaignId}/reservation-offers`, {
    token: operator, body: { name, coupon, budget, per_buyer_limit: 1 },
  }), 201).id as string;
  reserveOpen = await reservation('预售节预约券 满60减6', { kind: 'threshold', threshold_minor: 6000, off_minor: 600 }, 100);
  reserveFull = await reservation('预售节预约券 无门槛5元', { kind: 'fixed', off_minor: 500 }, 1);
  await phaseIs('registration');

  // The merchant (星河数码): a ¥159 watch registered at ¥129, on pre-sale with a ¥20 deposit counting as ¥50.
  const merchant = await login('13800000001');
  const storeId = ok(await t.call('GET', '/api/v1/merchant/stores', { token: merchant.token })).items[0].id as string;
  const product = await createListing(t.ctx, storeId, { category_id: await leafCategory(t), title: TITLE, skus: [{ spec: { 颜色: '曜石黑' }, price_minor: 15_900 }], stock: [50] }, merchant.account, { trusted: true });
  const reg = ok(await t.call('POST', `/api/v1/merchant/stores/${storeId}/campaigns/${campaignId}/registrations`, {
    token: merchant.token, body: { sku_id: product.skus[0].id, campaign_price_minor: 12_900, campaign_stock: 30 },
  }), 201).id as string;
  offer = ok(await t.call('PUT', `/api/v1/merchant/stores/${storeId}/campaign-registrations/${reg}/presale`, {
    token: merchant.token, body: { price_minor: 12_900, deposit_minor: 2_000, deposit_value_minor: 5_000, stock: 20, per_buyer_limit: 2 },
  }));
  ok(await t.call('PATCH', `/api/v1/console/campaigns/${campaignId}`, { token: operator, body: { sections: [{ key: 'presale', title: '预售爆款', kind: 'theme', product_ids: [product.id] }] } }));

  t.clock.set(T0 + MINUTE_MS + 1000);
  await phaseIs('review');
  const reviewed = ok(await t.call('POST', `/api/v1/console/campaigns/${campaignId}/registrations/review`, {
    token: (await login('13900000000')).token, body: { decisions: [{ registration_id: reg, decision: 'approve' }] },
  }));
  assert.equal(reviewed.results[0].status, 'approved');

  t.clock.set(T0 + 2 * MINUTE_MS + 1000);
  await phaseIs('warmup');
  // somebody else takes the only coupon of the second reservation offer
  const early = await signedInUser(t);
  ok(await t.call('POST', `/api/v1/campaigns/${campaignId}/reservation-offers/${reserveFull}/reserve`, { token: early.token }), 201);
});

after(async () => {
  await buyerCtx?.close();
  await h.stop();
});

describe('storefront pre-sale and reservations', { timeout: 600_000 }, () => {
  test('in warm-up a buyer reserves a coupon, reads the pre-sale terms and rules, agrees and pays the deposit in the sandbox cashier', { timeout: 300_000 }, () => showingFailures('deposit', async () => {
    buyerCtx = await context();
    page = await buyerCtx.newPage();
    errors = watch(page);
    await page.goto(`${t.baseUrl}/login?next=${encodeURIComponent(`/campaigns/${campaignId}`)}`);
    await signIn(page, '13700000001');
    await page.getByRole('heading', { name: '云感双12预售节' }).waitFor();

    // 预约领券: one offer open, the other all reserved; reserving shows the new state
    const full = page.locator(`[data-reservation="${reserveFull}"]`);
    await full.getByText('已约满').waitFor();
    assert.equal(await full.getByRole('button').count(), 0, 'an exhausted offer cannot be reserved');
    const open = page.locator(`[data-reservation="${reserveOpen}"]`);
    await open.getByText('满¥60.00减¥6.00').waitFor();
    await open.getByRole('button', { name: '预约 预售节预约券 满60减6' }).click();
    await open.getByText('已预约').waitFor();
    await open.getByText('预约成功，开抢时发放').waitFor();
    assert.equal(await open.getByRole('button').count(), 0, 'the limit (1 per buyer) is reached');
    const buyer = (await login('13700000001')).token;
    const mine = ok(await t.call('GET', `/api/v1/campaigns/${campaignId}/my-reservations`, { token: buyer })).items;
    assert.deepEqual(mine.map((r: any) => [r.offer_id, r.status]), [[reserveOpen, 'reserved']]);

    // the pre-sale offer in the venue: deposit and what it counts for, final price, balance, window, rules
    const card = page.locator(`[data-offer="${offer.id}"]`);
    await card.getByText('定金¥20.00抵¥50.00').waitFor();
    const term = (label: string) => card.locator('.presale-terms > div', { has: page.getByText(label, { exact: true }) }).locator('dd');
    assert.equal(await term('定金').textContent(), '¥20.00');
    assert.equal(await term('可抵').textContent(), '¥50.00');
    assert.equal(await term('预售价').textContent(), '¥129.00');
    assert.equal(await term('尾款').textContent(), '¥79.00'); // ¥129 − ¥50
    assert.match((await term('尾款支付时间').textContent())!, /.+ 至 .+/);
    await card.getByText('尾款未在规定时间内支付的，定金不予退还').waitFor();
    await page.getByRole('region', { name: '预售爆款' }).locator('.pcard', { hasText: TITLE }).getByText('预售 定金¥20.00').waitFor(); // marked in its venue section
    await card.getByText('预售规则').click();
    await card.getByTestId('presale-rules').getByText(offer.rules.zh).waitFor();
    await shot(page, '01-venue-warmup-phone');

    // the product page shows the same offer; 付定金 leads to the confirmation
    await card.getByRole('link', { name: TITLE, exact: true }).click();
    await page.getByRole('heading', { name: TITLE, level: 1 }).waitFor();
    await page.locator(`[data-offer="${offer.id}"]`).getByText('定金¥20.00抵¥50.00').waitFor();
    await shot(page, '02-product-presale-phone');
    await page.getByRole('link', { name: `付定金 ${TITLE}` }).click();

    await page.getByRole('heading', { name: '支付定金' }).waitFor();
    await page.getByTestId('presale-rules').getByText(offer.rules.zh).waitFor(); // the rules, open, before committing
    for (const [label, value] of [['收货人', '张小凡'], ['手机号', '13700000001'], ['省份', '广东省'], ['城市', '深圳市'], ['区县', '南山区'], ['详细地址', '科技园南区深南大道10000号']]) {
      await page.getByLabel(label, { exact: true }).fill(value);
    }
    await page.getByRole('button', { name: '保存地址' }).click();
    await page.getByRole('radio', { name: /张小凡/ }).waitFor();
    const pay = page.getByRole('button', { name: '付定金 ¥20.00' });
    assert.equal(await pay.isDisabled(), true, 'no deposit before agreeing to the rules');
    await page.getByText('请先阅读并同意预售规则').waitFor();
    await page.getByRole('checkbox', { name: /我已阅读并同意预售规则/ }).check();
    await shot(page, '03-deposit-confirm-phone');
    await pay.click();

    await page.getByRole('heading', { name: '支付订单' }).waitFor();
    await page.locator('.pay .amount').getByText('¥20.00').waitFor();
    await payInCashier(page);
    await page.getByRole('link', { name: '查看订单' }).click();
    await page.getByRole('heading', { name: '预售订单' }).waitFor();
    orderId = page.url().split('/').pop()!;
    assert.match(orderId, /^ord_/);
    const order = page.locator(`[data-presale="${orderId}"]`);
    await order.locator('.badge', { hasText: '已付定金 · 待付尾款' }).waitFor();
    await order.getByRole('timer', { name: /距尾款支付开始 1天/ }).waitFor();
    await shot(page, '04-deposit-paid-phone');

    const p = ok(await t.call('GET', `/api/v1/presale-orders/${orderId}`, { token: buyer }));
    assert.deepEqual([p.stage, p.deposit_total_minor, p.quantity], ['deposit_paid', 2000, 1]);
    assert.deepEqual(errors, []);
  }));

  test('in the balance window the buyer sees the balance after the 满减 and the reserved coupon, pays it and sees the order paid', { timeout: 300_000 }, () => showingFailures('balance', async () => {
    assert.ok(orderId, 'needs the deposit order of the first test');
    t.clock.set(Date.parse(offer.balance_from) + MINUTE_MS);
    await phaseIs('selling');
    const buyer = (await login('13700000001')).token;
    // the reserved coupon is issued into the wallet at selling start
    await until('the reserved coupon to be issued', async () => ok(await t.call('GET', `/api/v1/campaigns/${campaignId}/my-reservations`, { token: buyer })).items[0].status === 'issued');
    const preview = ok(await t.call('POST', `/api/v1/presale-orders/${orderId}/balance/preview`, { token: buyer, body: { auto_coupons: true } }));
    const kinds = preview.pricing.explanation.steps.filter((s: any) => s.amount_minor > 0).map((s: any) => s.source_kind);
    assert.ok(kinds.includes('platform_threshold') && kinds.includes('platform_coupon'), JSON.stringify(kinds));
    assert.ok(preview.balance_minor < 7900, 'the 满减 and the coupon come off the ¥79.00 balance');
    const balance = yuan(preview.balance_minor);

    await page.goto(`${t.baseUrl}/presale`);
    await page.getByRole('heading', { name: '我的预售' }).waitFor();
    const card = page.locator(`[data-presale="${orderId}"]`);
    await card.locator('.badge', { hasText: '待付尾款' }).waitFor();
    await card.getByText(balance, { exact: true }).first().waitFor();
    await card.getByRole('timer', { name: /距尾款支付截止 0天 23:/ }).waitFor();
    await shot(page, '05-my-presales-balance-due-phone');

    await card.getByRole('link', { name: TITLE, exact: true }).click();
    await page.getByRole('heading', { name: '预售订单' }).waitFor();
    const breakdown = page.getByLabel('价格明细');
    await breakdown.getByText('平台满减').first().waitFor();
    await breakdown.getByText('平台券').waitFor();
    await breakdown.getByText(balance).first().waitFor();
    await shot(page, '06-balance-breakdown-phone');
    await page.getByRole('button', { name: `付尾款 ${balance}` }).click();

    await page.getByRole('heading', { name: '支付订单' }).waitFor();
    await page.locator('.pay .amount').getByText(balance).waitFor();
    await payInCashier(page);
    await page.getByRole('link', { name: '查看订单' }).click();
    const paid = page.locator(`[data-presale="${orderId}"]`);
    await paid.locator('.badge', { hasText: '已付尾款' }).waitFor();
    await paid.locator('.badge', { hasText: '待发货' }).waitFor(); // the order is paid: the merchant ships next
    await paid.getByText(yuan(2000 + preview.balance_minor)).waitFor();
    await shot(page, '07-balance-paid-phone');

    const order = ok(await t.call('GET', `/api/v1/me/orders/${orderId}`, { token: buyer }));
    assert.deepEqual([order.status, order.kind, order.total_minor], ['paid', 'presale', 2000 + preview.balance_minor]);
    await page.goto(`${t.baseUrl}/orders`);
    await page.locator('.order-card', { hasText: TITLE }).getByText('待发货').waitFor();
    assert.deepEqual(errors, []);
  }));
});
