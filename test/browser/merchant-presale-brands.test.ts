/**
 * The merchant assistant's pre-sale setup and brand certification in a real headless browser
 * (Debian's chromium, driven by playwright-core), against the real server on SQLite with the
 * demo data and a test clock:
 *  (a) in warm-up, a merchant with an approved campaign registration sets a pre-sale on a phone:
 *      a deposit above 20% of the price is refused with the rule shown under the deposit, a valid
 *      offer (定金¥20抵¥50) is saved and the storefront venue (a second page) shows it; a buyer pays
 *      a deposit, the merchant sees the order as deposit-paid in 预售订单, cancels it after the
 *      confirmation that says the deposit is refunded, and the order is refunded;
 *  (b) a merchant applies for 品牌授权 with the trademark certificate and the owner's letter
 *      uploaded (a missing letter is caught first), an operator certifies it over the API, the
 *      merchant sees the 品牌授权 badge, and renames the store (renames left go from 2 to 1).
 * Screenshots go to test-results/merchant-presale-brands/.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { createListing } from '../../src/flows/create-listing.ts';
import { DAY_MS, MINUTE_MS } from '../../src/lib/clock.ts';
import { payAtCashier, type PaymentsTestApp } from '../support/payments.ts';
import { leafCategory, PASSWORD, signedInUser } from '../support/fixtures.ts';
import { day, openStoreViaApi, uscc } from '../support/onboarding.ts';
import { browserHarness, DEMO_PASSWORD, DESKTOP, PHONE } from '../support/browser.ts';

// A 1×1 PNG: the media API sniffs the bytes, so an upload must be a real image.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const image = (name: string) => ({ name, mimeType: 'image/png', buffer: PNG });
const TITLE = '云感 预售限定 智能手表 S3 旗舰版 全天候血氧心率监测 十四天超长续航 五十米防水 蓝牙通话 曜石黑';

const h = browserHarness('merchant-presale-brands');
const { context, shot, watch, showingFailures, signIn, login, until } = h;
let t: PaymentsTestApp;
let operator: { token: string };
let seq = 0;
const tag = () => `${process.pid % 1000}${++seq}`;

const ok = (r: { status: number; body: any }, status = 200) => {
  assert.equal(r.status, status, JSON.stringify(r.body));
  return r.body;
};

/** No sideways scrolling on a phone: long Chinese names wrap or clamp. */
async function fitsWidth(page: Page): Promise<void> {
  const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  assert.ok(scroll <= client, `the page scrolls sideways: ${scroll} > ${client}`);
}

before(async () => {
  t = await h.start(); // the browser's "today" is the real one; the test moves the server's clock on by minutes
  operator = await signedInUser(t, ['operator']);
});

after(() => h.stop());

describe('merchant pre-sale setup and brand certification', { timeout: 900_000 }, () => {
  test('a merchant sets a pre-sale on an approved registration: a deposit over 20% refused with the rule, a valid one saved and shown in the venue; a paid deposit order cancelled and refunded', { timeout: 300_000 }, () => showingFailures('presale', async () => {
    // The campaign (operator, API): warm-up in 2 minutes, selling in 2 days, a 24 h balance window.
    const T0 = t.clock.now();
    const iso = (ms: number) => new Date(ms).toISOString();
    const campaignId = ok(await t.call('POST', '/api/v1/console/campaigns', {
      token: operator.token,
      body: {
        name: '云感双12预售节', registration_start: iso(T0), review_start: iso(T0 + MINUTE_MS), warmup_start: iso(T0 + 2 * MINUTE_MS), selling_start: iso(T0 + 2 * DAY_MS),
        selling_end: iso(T0 + 9 * DAY_MS), rules: {}, fee_rate_bp: 100, presale_balance_hours: 24,
      },
    }), 201).id as string;
    const phaseIs = (phase: string) => until(`phase ${phase}`, async () => ok(await t.call('GET', `/api/v1/console/campaigns/${campaignId}`, { token: operator.token })).phase === phase);
    await phaseIs('registration');

    // The demo merchant (星河数码) registers a ¥159 watch at ¥129 (API); the operator approves it in review.
    const demo = await login('13800000001');
    let merchant = demo.token;
    const storeId = ok(await t.call('GET', '/api/v1/merchant/stores', { token: merchant })).items[0].id as string;
    const product = await createListing(t.ctx, storeId, { category_id: await leafCategory(t), title: TITLE, skus: [{ spec: { 颜色: '曜石黑' }, price_minor: 15_900 }], stock: [50] }, demo.account, { trusted: true });
    const regId = ok(await t.call('POST', `/api/v1/merchant/stores/${storeId}/campaigns/${campaignId}/registrations`, {
      token: merchant, body: { sku_id: product.skus[0].id, campaign_price_minor: 12_900, campaign_stock: 30 },
    }), 201).id as string;
    t.clock.set(T0 + MINUTE_MS + 1000);
    await phaseIs('review');
    const reviewed = ok(await t.call('POST', `/api/v1/console/campaigns/${campaignId}/registrations/review`, { token: operator.token, body: { decisions: [{ registration_id: regId, decision: 'approve' }] } }));
    assert.equal(reviewed.results[0].status, 'approved');
    t.clock.set(T0 + 2 * MINUTE_MS + 1000);
    await phaseIs('warmup');

    const ctx = await context(PHONE);
    const page = await ctx.newPage();
    const errors = watch(page);
    await page.goto(`${t.baseUrl}/merchant/campaigns`);
    await signIn(page, '13800000001', DEMO_PASSWORD);
    await page.getByRole('heading', { name: '活动报名' }).waitFor();
    const row = page.locator(`[data-registration="${regId}"]`);
    await row.getByText('云感双12预售节').waitFor();
    await row.locator('summary', { hasText: '预售设置' }).click();
    const form = row.getByRole('form', { name: `${TITLE} 的预售设置` });
    assert.equal(await form.getByLabel('预售价（元）').inputValue(), '129.00'); // starts at the campaign price
    await form.getByLabel('定金（元）').fill('30');
    await form.getByLabel('定金可抵（元，选填）').fill('50');
    await form.getByLabel('预售库存（件）').fill('20');
    await form.getByLabel('每人限购（件）').fill('2');
    await form.getByTestId('presale-preview').getByText('定金¥30.00抵¥50.00').waitFor(); // the preview follows the typing

    // ¥30 is over 20% of ¥129: refused, the rule shown under the deposit, nothing saved
    await form.getByRole('button', { name: '保存预售' }).click();
    const deposit = row.locator('[data-field="deposit"]'); // by the row: the form's name follows the language
    await deposit.getByText('定金不得超过预售价的20%（《民法典》第586条），即不高于¥25.80').waitFor();
    await form.getByRole('alert').getByText('预售设置未通过，请按提示修改：').waitFor();
    assert.equal(await form.getByLabel('定金（元）').getAttribute('aria-invalid'), 'true');
    assert.equal(await form.getByLabel('预售价（元）').getAttribute('aria-invalid'), null, 'only the deposit is at fault');
    assert.equal(ok(await t.call('GET', `/api/v1/merchant/stores/${storeId}/campaigns/${campaignId}/presale-offers`, { token: merchant })).items.length, 0);
    await shot(page, 'a1-deposit-over-cap-refused-phone');

    // in English the same refusal reads in English
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await deposit.getByText(/the deposit may be at most 20% of the pre-sale price \(Civil Code art\. 586\): at most ¥25\.80/).waitFor();
    await page.getByRole('button', { name: '切换到中文' }).click();

    await form.getByLabel('定金（元）').fill('20');
    await form.getByRole('button', { name: '保存预售' }).click();
    await form.getByText('预售已保存，预热期买家即可在会场付定金').waitFor();
    await row.locator('summary .presale-badge', { hasText: '定金¥20.00抵¥50.00' }).waitFor();
    const term = (label: string) => form.locator('.presale-terms > div', { has: page.getByText(label, { exact: true }) }).locator('dd');
    assert.equal(await term('尾款').textContent(), '¥79.00'); // ¥129 − ¥50
    assert.match((await term('尾款支付时间').textContent())!, /.+ 至 .+/);
    assert.equal(await form.getByLabel('定金（元）').getAttribute('aria-invalid'), null);
    const offers = ok(await t.call('GET', `/api/v1/merchant/stores/${storeId}/campaigns/${campaignId}/presale-offers`, { token: merchant })).items;
    assert.deepEqual(offers.map((o: any) => [o.registration_id, o.price_minor, o.deposit_minor, o.deposit_value_minor, o.stock, o.per_buyer_limit]), [[regId, 12_900, 2_000, 5_000, 20, 2]]);
    await page.getByRole('heading', { name: '预售订单' }).waitFor();
    await page.getByText('还没有预售订单').waitFor();
    await fitsWidth(page);
    await shot(page, 'a2-presale-saved-phone');

    // the storefront venue, in a second page: the offer with its deposit and what it counts for
    const shopper = await context(PHONE);
    const venue = await shopper.newPage();
    const venueErrors = watch(venue);
    await venue.goto(`${t.baseUrl}/campaigns/${campaignId}`);
    await venue.getByRole('heading', { name: '云感双12预售节' }).waitFor();
    const card = venue.locator(`[data-offer="${offers[0].id}"]`);
    await card.getByText('定金¥20.00抵¥50.00').waitFor();
    await card.getByText('已订 0/20').waitFor();
    await shot(venue, 'a3-venue-shows-presale-phone');
    assert.deepEqual(venueErrors, []);
    await shopper.close();

    // a buyer pays a deposit (API); the merchant sees the order deposit-paid and cancels it
    const buyer = await signedInUser(t);
    const address = ok(await t.call('POST', '/api/v1/me/addresses', {
      token: buyer.token, body: { recipient: '王五', phone: '13812345678', province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路2号' },
    }), 201).id as string;
    const orderId = ok(await t.call('POST', '/api/v1/presale-orders', { token: buyer.token, body: { offer_id: offers[0].id, quantity: 1, address_id: address } }), 201).order_id as string;
    const pay = ok(await t.call('POST', `/api/v1/presale-orders/${orderId}/deposit/pay`, { token: buyer.token, body: {} }));
    await payAtCashier(pay.payment.pay_page_url);
    await until('the deposit to be paid', async () => ok(await t.call('GET', `/api/v1/presale-orders/${orderId}`, { token: buyer.token })).stage === 'deposit_paid');

    await page.reload();
    const order = page.locator(`[data-presale-order="${orderId}"]`);
    await order.locator('.badge', { hasText: '已付定金 · 待付尾款' }).waitFor();
    await order.getByText(TITLE).waitFor();
    await order.getByRole('button', { name: `取消订单 ${TITLE}` }).click();
    const confirm = order.getByRole('group', { name: '确定取消这笔预售订单？' });
    await confirm.getByText('买家已付的定金 ¥20.00 将全额原路退回').waitFor();
    // keyboard: the confirmation takes the focus, Escape backs out without cancelling
    assert.equal(await confirm.getByRole('button', { name: '确认取消并退还定金' }).evaluate((el) => el === document.activeElement), true);
    await page.keyboard.press('Escape');
    await order.getByRole('button', { name: `取消订单 ${TITLE}` }).waitFor();
    assert.equal(ok(await t.call('GET', `/api/v1/presale-orders/${orderId}`, { token: buyer.token })).stage, 'deposit_paid');
    await order.getByRole('button', { name: `取消订单 ${TITLE}` }).click();
    await shot(page, 'a4-cancel-confirm-phone');
    await confirm.getByRole('button', { name: '确认取消并退还定金' }).click();
    await page.getByText('订单已取消，定金 ¥20.00 正在全额原路退还买家').waitFor();
    await order.locator('.badge', { hasText: '已取消 · 定金全额退还' }).waitFor();
    assert.equal(await order.getByRole('button', { name: `取消订单 ${TITLE}` }).count(), 0);
    await row.getByText('30 · 已抢 1 件').waitFor({ state: 'detached' }); // the units went back to the campaign stock
    const after = ok(await t.call('GET', `/api/v1/presale-orders/${orderId}`, { token: buyer.token }));
    assert.deepEqual([after.stage, after.order_status], ['refunded', 'closed']);
    merchant = (await login('13800000001')).token;
    const listed = ok(await t.call('GET', `/api/v1/merchant/stores/${storeId}/campaigns/${campaignId}/presale-orders`, { token: merchant })).items;
    assert.deepEqual(listed.map((o: any) => [o.order_id, o.stage]), [[orderId, 'refunded']]);
    await fitsWidth(page);
    await shot(page, 'a5-cancelled-refunded-phone');
    assert.deepEqual(errors, []);
    await ctx.close();
  }));

  test('a merchant applies for 品牌授权 with the owner\'s letter uploaded, the operator certifies it, the merchant sees the badge and renames the store', { timeout: 300_000 }, () => showingFailures('brand', async () => {
    const applicant = await signedInUser(t);
    const name = `晴川家居${tag()}`;
    const company = `上海${name}商贸有限公司`;
    const store = await openStoreViaApi(t, applicant, operator, { name, company_name: company });
    const ownerUscc = uscc('enterprise');

    const ctx = await context(PHONE);
    const page = await ctx.newPage();
    const errors = watch(page);
    await page.goto(`${t.baseUrl}/merchant`);
    await signIn(page, applicant.phone, PASSWORD);
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '店铺与品牌' }).click();
    await page.getByRole('heading', { name: '店铺与品牌', level: 1 }).waitFor();
    await page.getByText('还没有品牌认证标识').waitFor();
    await page.getByText('还没有品牌认证申请').waitFor();
    await page.getByTestId('renames-left').getByText('还可改 2 次').waitFor();

    await page.locator('summary', { hasText: '申请品牌认证' }).click();
    const form = page.getByRole('form', { name: '申请品牌认证' });
    await form.getByLabel('品牌名称').fill('禾风');
    await form.getByRole('radio', { name: /^品牌授权/ }).check();
    const tm = form.getByRole('group', { name: '商标信息' });
    await tm.getByLabel('商标注册号').fill('12345678');
    await tm.getByLabel('商标类别（尼斯分类 1–45）').fill('20');
    await tm.getByLabel('商标权利人名称').fill('禾风品牌管理有限公司');
    await tm.getByLabel('权利人统一社会信用代码').fill(ownerUscc);
    await tm.getByLabel('有效期起').fill(day(t, -700));
    await tm.getByLabel('有效期至').fill(day(t, 3000));
    await tm.getByLabel('上传商标注册证').setInputFiles(image('tm.png'));
    await tm.getByRole('img', { name: '商标注册证照片' }).waitFor();

    // the first grant is the owner's to this store's company: both prefilled
    const link = form.getByRole('group', { name: '第 1 级授权' });
    assert.equal(await link.getByLabel('授权方名称', { exact: true }).inputValue(), '禾风品牌管理有限公司');
    assert.equal(await link.getByLabel('授权方统一社会信用代码', { exact: true }).inputValue(), ownerUscc);
    assert.equal(await link.getByLabel('被授权方名称').inputValue(), company);
    assert.equal(await link.getByLabel('被授权方统一社会信用代码').inputValue(), store.uscc);
    await link.getByLabel('有效期起').fill(day(t, -30));
    await link.getByLabel('有效期至').fill(day(t, 365));
    // the letter is missing: caught before anything is sent
    await form.getByRole('button', { name: '提交认证申请' }).click();
    await form.getByRole('alert').getByText('请上传第 1 级授权书照片').waitFor();
    assert.equal(ok(await t.call('GET', `/api/v1/merchant/stores/${store.id}/brands`, { token: applicant.token })).items.length, 0);
    await link.getByLabel('上传第 1 级授权书').setInputFiles(image('letter.png'));
    await link.getByRole('img', { name: '第 1 级授权书照片' }).waitFor();
    await shot(page, 'b1-brand-application-phone');
    await form.getByRole('button', { name: '提交认证申请' }).click();
    await page.getByText('已提交“禾风”的品牌认证申请，等待平台审核').waitFor();

    const applied = ok(await t.call('GET', `/api/v1/merchant/stores/${store.id}/brands`, { token: applicant.token })).items;
    assert.equal(applied.length, 1);
    assert.deepEqual([applied[0].brand_name, applied[0].badge, applied[0].status, applied[0].level], ['禾风', 'brand_authorized', 'pending_review', 1]);
    assert.match(applied[0].authorizations[0].file_url, /^https?:\/\/.+\/media\//, 'the letter is the uploaded file');
    assert.match(applied[0].trademark.file_url, /^https?:\/\/.+\/media\//);
    const cert = page.locator(`[data-cert="${applied[0].id}"]`);
    await cert.locator('.badge', { hasText: '待审核' }).waitFor();
    await page.getByText('还没有品牌认证标识').waitFor(); // no badge before the operator decides

    // the operator certifies it (API); the merchant sees the badge and the decision
    ok(await t.call('POST', `/api/v1/console/brand-applications/${applied[0].id}/approve`, { token: operator.token, body: {} }));
    await page.reload();
    const badge = page.getByRole('list', { name: '认证标识' }).locator('li[data-badge="brand_authorized"]');
    await badge.getByText('品牌授权').waitFor();
    await badge.getByText('禾风').waitFor();
    await cert.locator('.badge', { hasText: '已认证' }).waitFor();
    await cert.getByRole('list', { name: '审核记录' }).getByText('审核通过').waitFor();
    await fitsWidth(page);
    await shot(page, 'b2-brand-certified-phone');

    // renamed once open: the name is checked, the count goes down, the history shows it
    const renamed = `${name}生活馆`;
    const rename = page.getByRole('form', { name: '修改店铺名称' });
    await rename.getByLabel('新店铺名称').fill(renamed);
    await rename.getByRole('button', { name: '检查名称' }).click();
    await rename.getByText(`“${renamed}”可以使用`).waitFor();
    await rename.getByRole('button', { name: '保存新名称' }).click();
    await page.getByText(`店铺名称已改为“${renamed}”`).waitFor();
    await page.getByTestId('renames-left').getByText('还可改 1 次').waitFor();
    await page.getByText(`${name} → ${renamed}`).waitFor();
    await until('the store picker to follow', async () => (await page.locator('#store-pick option').allTextContents()).some((x) => x.startsWith(renamed)));
    assert.equal(ok(await t.call('GET', `/api/v1/merchant/stores/${store.id}`, { token: applicant.token })).name, renamed);
    await shot(page, 'b3-renamed-phone');
    assert.deepEqual(errors, []);
    await ctx.close();

    const desk = await context(DESKTOP);
    const wide = await desk.newPage();
    await wide.goto(`${t.baseUrl}/merchant/store`);
    await signIn(wide, applicant.phone, PASSWORD);
    await wide.getByRole('list', { name: '认证标识' }).getByText('品牌授权').waitFor();
    await shot(wide, 'b4-store-and-brands-desktop');
    await desk.close();
  }));
});
