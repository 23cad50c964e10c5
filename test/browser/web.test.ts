/**
 * The web app in a real headless browser (Debian's chromium, driven by playwright-core):
 * a buyer searches, buys with a coupon and 满减, pays in the sandbox cashier and confirms
 * receipt; the merchant ships and sees the GMV; an operator approves a store application; a
 * viewer in a live room sees the host pin a product and set a live price in real time (SSE)
 * and buys it at that price.
 * The server is the real one on a real port (SQLite), with the demo data; screenshots of the
 * key screens go to test-results/web/.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext } from 'playwright-core';
import { browserHarness, DESKTOP, PHONE } from '../support/browser.ts';
import type { PaymentsTestApp } from '../support/payments.ts';
import { signedInUser } from '../support/fixtures.ts';
import { createApplication, uploadBaseDocuments } from '../support/onboarding.ts';

const h = browserHarness('web');
const { context, shot, watch, showingFailures, signIn, login } = h;
let t: PaymentsTestApp;
let orderId = '';
const applicationName = `晨光文具${process.pid % 1000}`;

before(async () => {
  t = await h.start();
});
after(() => h.stop());

// Each scenario takes 5–20 s on an idle machine; the generous limits are for a loaded one.
describe('web app', { timeout: 600_000 }, () => {
  test('a buyer finds a product by search, buys it with a coupon and 满减, pays in the sandbox cashier and sees the order paid', { timeout: 240_000 }, () => showingFailures('buyer', async () => {
    const ctx: BrowserContext = await context(PHONE);
    const page = await ctx.newPage();
    const errors = watch(page);
    const scripts: number[] = [];
    page.on('response', (r) => {
      if (r.request().resourceType() === 'script') scripts.push(Number(r.headers()['content-length'] ?? 0));
    });
    await page.goto(`${t.baseUrl}/`);
    await page.getByRole('heading', { name: '新品上架' }).waitFor();
    await page.getByText('星河 Buds Pro 主动降噪蓝牙耳机').first().waitFor();
    const firstLoadJs = scripts.reduce((a, b) => a + b, 0);
    assert.ok(firstLoadJs > 0 && firstLoadJs < 200 * 1024, `storefront first load JS ${firstLoadJs} B (gzip) must stay under 200 KB`);
    await shot(page, '01-home-phone');
    await page.getByRole('button', { name: 'Switch to English' }).click(); // the English switch
    await page.getByRole('heading', { name: 'New arrivals' }).waitFor();
    await page.getByRole('button', { name: '切换到中文' }).click();

    await page.getByRole('link', { name: '登录' }).click();
    await signIn(page, '13700000001');
    await page.getByRole('heading', { name: '新品上架' }).waitFor();

    await page.getByRole('searchbox', { name: '搜索商品' }).fill('降噪耳机');
    await page.getByRole('searchbox', { name: '搜索商品' }).press('Enter');
    await page.getByText(/共 \d+ 件商品/).waitFor();
    await shot(page, '02-search-phone');
    await page.getByRole('link', { name: /星河 Buds Pro/ }).first().click();

    await page.getByRole('heading', { name: '星河 Buds Pro 主动降噪蓝牙耳机' }).waitFor();
    await page.getByRole('button', { name: '领取 星河数码满199减20' }).click();
    await page.getByText('领取成功').waitFor();
    await page.getByRole('button', { name: '白色' }).click();
    const breakdown = page.getByLabel('价格明细');
    await breakdown.getByText('店铺券').waitFor();
    await breakdown.getByText('平台满减').waitFor();
    await shot(page, '03-product-phone');
    await page.getByRole('button', { name: '立即购买' }).click();

    await page.getByRole('heading', { name: '确认订单' }).waitFor();
    for (const [label, value] of [['收货人', '张小凡'], ['手机号', '13700000001'], ['省份', '广东省'], ['城市', '深圳市'], ['区县', '南山区'], ['详细地址', '科技园南区深南大道10000号腾讯滨海大厦北塔12楼']]) {
      await page.getByLabel(label, { exact: true }).fill(value);
    }
    await page.getByRole('button', { name: '保存地址' }).click();
    await page.getByRole('radio', { name: /张小凡/ }).waitFor();
    // ¥499.00 − 店铺券 ¥20.00 − 平台每满50减5 ¥45.00, free shipping over ¥99
    await page.getByLabel('价格明细').getByText('¥434.00').first().waitFor();
    await shot(page, '04-checkout-phone');
    await page.getByRole('button', { name: /提交订单/ }).click();

    const cashierLink = page.getByRole('link', { name: '打开微信支付收银台（沙箱）' });
    await cashierLink.waitFor();
    const [cashier] = await Promise.all([ctx.waitForEvent('page'), cashierLink.click()]);
    await cashier.waitForLoadState();
    await cashier.locator('#confirm').click();
    await cashier.getByRole('heading', { name: '支付成功' }).waitFor();
    await cashier.close();
    await page.getByTestId('paid').waitFor();
    await shot(page, '05-paid-phone');

    await page.getByRole('link', { name: '查看订单' }).click();
    const card = page.locator('.order-card').first();
    await card.getByText('待发货').waitFor();
    await card.getByText('¥434.00').waitFor();
    orderId = (await card.getByRole('link').getAttribute('aria-label'))!.replace('订单 ', '');
    assert.match(orderId, /^ord_/);
    await shot(page, '06-orders-phone');
    assert.deepEqual(errors, []);
    await ctx.close();
  }));

  test('the merchant logs in, ships the order and sees the GMV on the dashboard; the buyer sees the tracking and confirms receipt', { timeout: 240_000 }, () => showingFailures('merchant', async () => {
    assert.ok(orderId, 'needs the order of the first test');
    const ctx = await context(PHONE);
    const page = await ctx.newPage();
    const errors = watch(page);
    await page.goto(`${t.baseUrl}/merchant`);
    await signIn(page, '13800000001');
    await page.getByRole('heading', { name: '经营概览' }).waitFor();
    await page.getByTestId('gmv-today').getByText('¥434.00').waitFor();

    await page.getByRole('link', { name: '订单', exact: true }).click();
    const order = page.locator(`[data-order="${orderId}"]`);
    await order.getByLabel('快递公司').selectOption('SF');
    await order.getByLabel('运单号').fill('SF140000000001');
    await order.getByRole('button', { name: '发货' }).click();
    await order.getByText('已发货').waitFor();
    await shot(page, '07-merchant-orders-phone');

    await page.getByRole('link', { name: '经营概览' }).click();
    await page.getByTestId('gmv-today').getByText('¥434.00').waitFor();
    await page.locator('.chart canvas').waitFor(); // ECharts, lazily loaded on this page only
    await shot(page, '08-merchant-dashboard-phone');
    await ctx.close();

    const desk = await context(DESKTOP);
    const dpage = await desk.newPage();
    await dpage.goto(`${t.baseUrl}/merchant`);
    await signIn(dpage, '13800000001');
    await dpage.locator('.chart canvas').waitFor();
    await shot(dpage, '09-merchant-dashboard-desktop');
    await desk.close();

    const buyer = await context(PHONE);
    const bpage = await buyer.newPage();
    await bpage.goto(`${t.baseUrl}/orders/${orderId}`);
    await signIn(bpage, '13700000001');
    await bpage.getByRole('heading', { name: '物流跟踪' }).waitFor();
    await bpage.getByText('SF140000000001', { exact: true }).waitFor();
    await bpage.getByRole('button', { name: '确认收货' }).click();
    await bpage.locator('.card .badge').first().filter({ hasText: /已收货|已完成/ }).waitFor(); // completion may follow at once
    await shot(bpage, '10-order-received-phone');
    assert.deepEqual(errors, []);
    await buyer.close();
  }));

  test('an operator approves a store application in the console', { timeout: 240_000 }, () => showingFailures('operator', async () => {
    const applicant = await signedInUser(t);
    const store = await createApplication(t, applicant.token, { name: applicationName, company_name: `上海${applicationName}用品有限公司` });
    await uploadBaseDocuments(t, applicant.token, store);
    const submit = await t.call('POST', `/api/v1/merchant/stores/${store.id}/application/submit`, { token: applicant.token });
    assert.equal(submit.status, 200, JSON.stringify(submit.body));

    const ctx = await context(DESKTOP);
    const page = await ctx.newPage();
    const errors = watch(page);
    await page.goto(`${t.baseUrl}/console`);
    await signIn(page, '13900000000');
    await page.getByRole('heading', { name: '入驻审核' }).waitFor();
    await page.getByRole('link', { name: applicationName }).click();
    await page.getByRole('heading', { name: '资质材料' }).waitFor();
    await shot(page, '11-console-application-desktop');
    await page.getByRole('button', { name: '通过入驻' }).click();
    await page.getByText('已通过，店铺待缴纳保证金').waitFor();
    await page.locator('.badge', { hasText: '待缴保证金' }).first().waitFor();
    const after = await t.call('GET', `/api/v1/merchant/stores/${store.id}`, { token: applicant.token });
    assert.equal(after.body.status, 'awaiting_deposit');
    await shot(page, '12-console-approved-desktop');
    assert.deepEqual(errors, []);
    await ctx.close();
  }));

  test('a viewer in a live room sees a pin and a price change in real time and buys at the live price', { timeout: 240_000 }, () => showingFailures('live', async () => {
    const host = (await login('13800000001')).token;
    const stores = await t.call('GET', '/api/v1/merchant/stores', { token: host });
    const storeId = stores.body.items[0].id as string;
    const products = await t.call('GET', `/api/v1/products?store_id=${storeId}`);
    const buds = products.body.items.find((p: { title: string }) => p.title.includes('Buds'));
    const room = await t.call('POST', `/api/v1/merchant/stores/${storeId}/live/rooms`, {
      token: host, body: { title: '星河新品发布会 · 降噪耳机直播专场', stream_url: 'rtmp://live.example.com/xinghe/launch', scheduled_start: new Date(t.clock.now()).toISOString() },
    });
    assert.equal(room.status, 201, JSON.stringify(room.body));
    const roomId = room.body.id as string;
    const shelf = await t.call('POST', `/api/v1/live/rooms/${roomId}/shelf`, { token: host, body: { product_id: buds.id } });
    assert.equal(shelf.status, 201, JSON.stringify(shelf.body));
    assert.equal((await t.call('POST', `/api/v1/live/rooms/${roomId}/start`, { token: host })).status, 200);

    const ctx = await context(PHONE);
    const page = await ctx.newPage();
    const errors = watch(page);
    await page.goto(`${t.baseUrl}/login?next=${encodeURIComponent(`/live/${roomId}`)}`);
    await signIn(page, '13700000001');
    await page.getByRole('heading', { name: '星河新品发布会 · 降噪耳机直播专场' }).waitFor();
    await page.getByText('主播还没有讲解商品').waitFor();
    await page.getByTestId('viewers').getByText('1 人在看').waitFor();

    // the host pins the product, then gives the white SKU a live price: the page follows over SSE
    const pin = await t.call('PUT', `/api/v1/live/rooms/${roomId}/pinned`, { token: host, body: { item_id: shelf.body.id } });
    assert.equal(pin.status, 200, JSON.stringify(pin.body));
    const pinned = page.getByTestId('pinned');
    await pinned.getByText('星河 Buds Pro 主动降噪蓝牙耳机').waitFor();
    const white = buds.skus.find((s: { spec: Record<string, string> }) => s.spec['颜色'] === '白色');
    const price = await t.call('PUT', `/api/v1/live/rooms/${roomId}/shelf/${shelf.body.id}/live-price`, { token: host, body: { sku_id: white.id, price_minor: 39_900, live_stock: 20 } });
    assert.equal(price.status, 200, JSON.stringify(price.body));
    await pinned.getByText('¥399.00').waitFor();
    await page.getByLabel('说点什么…').fill('白色有现货吗？');
    await page.getByRole('button', { name: '发送' }).click();
    await page.getByText('白色有现货吗？').waitFor();
    await shot(page, '13-live-room-phone');

    await pinned.getByRole('button', { name: /抢购/ }).click();
    const sheet = page.getByRole('dialog');
    await sheet.getByRole('button', { name: /白色/ }).click();
    await sheet.getByLabel('价格明细').getByText('¥399.00').first().waitFor(); // goods at the live price
    await shot(page, '14-live-buy-phone');
    await sheet.getByRole('button', { name: /立即购买/ }).click();
    const cashierLink = page.getByRole('link', { name: '打开微信支付收银台（沙箱）' });
    await cashierLink.waitFor();
    const [cashier] = await Promise.all([ctx.waitForEvent('page'), cashierLink.click()]);
    await cashier.locator('#confirm').click();
    await cashier.getByRole('heading', { name: '支付成功' }).waitFor();
    await cashier.close();
    await page.getByTestId('paid').waitFor();

    const orders = await t.call('GET', `/api/v1/merchant/stores/${storeId}/orders?status=paid`, { token: host });
    const liveOrder = orders.body.items.find((o: { lines: { channel: string }[] }) => o.lines[0].channel === 'live');
    assert.ok(liveOrder, 'the order is attributed to the live channel');
    assert.equal(liveOrder.lines[0].unit_price_minor, 39_900);
    assert.deepEqual(errors, []);
    await ctx.close();
  }));
});
