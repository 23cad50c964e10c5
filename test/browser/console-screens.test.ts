/**
 * The console's brand and campaign screens and customer service, in a real headless browser
 * (Debian's chromium via playwright-core), on the real server (SQLite) with the demo data:
 * an operator certifies a brand; creates a campaign in the console, bulk-approves merchant
 * registrations (made through the API), and once selling starts and a buyer pays, reads the sale
 * in the live report; a buyer asks the store a
 * question from a product page, the merchant answers in the inbox, and the buyer sees the answer
 * (the chat polls) with the read receipt. Screenshots go to test-results/console-screens/.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { browserHarness, DESKTOP, PHONE } from '../support/browser.ts';
import { payAtCashier, type PaymentsTestApp } from '../support/payments.ts';
import { yuan } from '../../web/src/lib/format.ts';
import { signedInUser } from '../support/fixtures.ts';
import { brandBody, createApplication } from '../support/onboarding.ts';

// The server's clock follows the wall clock here, so campaign times typed in the browser come due.
const h = browserHarness('console-screens', { followWallClock: true });
const { context, shot, watch, showingFailures, signIn, until } = h;
const login = async (phone: string): Promise<string> => (await h.login(phone)).token;
let t: PaymentsTestApp;

before(async () => {
  t = await h.start();
});
after(() => h.stop());

describe('console screens and customer service', { timeout: 600_000 }, () => {
  test('an operator certifies a brand application in the console', { timeout: 240_000 }, () => showingFailures('brand', async () => {
    const applicant = await signedInUser(t);
    const store = await createApplication(t, applicant.token, { name: `禾木生活馆${process.pid % 1000}`, company_name: '杭州禾木品牌管理有限公司' });
    const applied = await t.call('POST', `/api/v1/merchant/stores/${store.id}/brands`, { token: applicant.token, body: brandBody(t, { brand: '青禾', badge: 'brand_owned', ownerUscc: store.uscc }) });
    assert.equal(applied.status, 201, JSON.stringify(applied.body));

    const ctx = await context(DESKTOP);
    const page = await ctx.newPage();
    const errors = watch(page);
    await page.goto(`${t.baseUrl}/console`);
    await signIn(page, '13900000000');
    await page.getByRole('link', { name: '品牌审核' }).click();
    const card = page.locator(`[data-cert="${applied.body.id}"]`);
    await card.getByRole('heading', { name: /青禾/ }).waitFor();
    await card.getByText('品牌自营').waitFor();
    await card.getByText('12345678').waitFor();
    await shot(page, '01-console-brands-desktop');
    await card.getByRole('button', { name: '通过认证' }).click();
    await page.getByText('已认证「青禾」').waitFor();
    const after = await t.call('GET', `/api/v1/merchant/stores/${store.id}/brands`, { token: applicant.token });
    assert.equal(after.body.items[0].status, 'certified');
    assert.deepEqual(errors, []);
    await ctx.close();
  }));

  test('an operator creates a campaign, bulk-approves registrations made through the API and reads the live report', { timeout: 300_000 }, () => showingFailures('campaign', async () => {
    const name = `年货节${process.pid % 1000}`;
    const ctx = await context(DESKTOP);
    const page = await ctx.newPage();
    const errors = watch(page);
    await page.goto(`${t.baseUrl}/console`);
    await signIn(page, '13900000000');
    await page.getByRole('link', { name: '活动管理' }).click();
    await page.getByRole('heading', { name: '活动管理' }).waitFor();
    await page.getByRole('link', { name: '新建活动' }).click();
    await page.getByRole('heading', { name: '新建活动' }).waitFor();
    await page.getByLabel('活动名称').fill(name);
    await page.getByLabel('活动说明').fill('年货直降，跨店满300减30');
    // the default times: registration opens now, selling a week later for three days
    await page.getByLabel('最低折扣（%）').fill('5');
    await page.getByLabel('活动技术服务费率（%）').fill('1');
    await page.getByLabel('满（元）').fill('300');
    await page.getByLabel('减（元）').fill('30');
    await page.getByLabel('出资方').selectOption('platform');
    await page.getByRole('button', { name: '添加分区' }).click();
    const section = page.locator('.section-row');
    await section.getByLabel('分区标题').fill('数码焕新');
    await section.getByLabel('耳机音箱').check();
    await shot(page, '02-console-campaign-new-desktop');
    await page.getByRole('button', { name: '创建活动' }).click();
    await page.getByRole('heading', { name: new RegExp(name) }).waitFor();
    const campaignId = page.url().split('/').pop()!;
    assert.match(campaignId, /^cmp_/);

    const operator = await login('13900000000');
    const created = (await t.call('GET', `/api/v1/console/campaigns/${campaignId}`, { token: operator })).body;
    assert.equal(created.fee_rate_bp, 100);
    assert.deepEqual(created.threshold.rule, { kind: 'tiers', tiers: [{ threshold_minor: 30_000, off_minor: 3_000 }] });
    assert.equal(created.threshold.funder, 'platform');
    assert.equal(created.rules.min_discount_bp, 500);
    assert.deepEqual(created.sections.map((s: { title: string; category_ids: string[] }) => [s.title, s.category_ids.length]), [['数码焕新', 1]]);
    await until('registration to open', async () => (await t.call('GET', `/api/v1/console/campaigns/${campaignId}`, { token: operator })).body.phase === 'registration');

    // two SKUs of 星河 registered by the merchant through the API, 20% below today's price
    const merchant = await login('13800000001');
    const storeId = (await t.call('GET', '/api/v1/merchant/stores', { token: merchant })).body.items[0].id as string;
    const products = (await t.call('GET', `/api/v1/products?store_id=${storeId}&limit=50`)).body.items as { title: string; skus: { id: string; price_minor: number }[] }[];
    const registered: string[] = [];
    for (const p of products.slice(0, 2)) {
      const sku = p.skus[0];
      const r = await t.call('POST', `/api/v1/merchant/stores/${storeId}/campaigns/${campaignId}/registrations`, {
        token: merchant, body: { sku_id: sku.id, campaign_price_minor: Math.floor(sku.price_minor * 0.8), campaign_stock: 20 },
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      registered.push(r.body.id);
    }

    await page.reload();
    await page.getByRole('heading', { name: new RegExp(name) }).getByText('报名中').waitFor();
    for (const id of registered) await page.locator(`[data-registration="${id}"]`).waitFor();
    await page.getByLabel('全选待审核').check();
    await page.getByLabel('审核备注（驳回必填）').fill('价格力度达标');
    await shot(page, '03-console-registrations-desktop');
    await page.getByRole('button', { name: '通过所选（2）' }).click();
    const results = page.getByTestId('review-results');
    await results.getByText('审核完成：2 项成功，0 项失败').waitFor();
    await page.getByText('没有报名记录').waitFor(); // nothing pending any more
    await shot(page, '04-console-registrations-approved-desktop');
    const approved = await t.call('GET', `/api/v1/console/campaigns/${campaignId}/registrations?status=approved`, { token: operator });
    assert.deepEqual(approved.body.items.map((r: { id: string }) => r.id).sort(), [...registered].sort());
    assert.ok(approved.body.items.every((r: { review_note: string | null }) => r.review_note === '价格力度达标'));

    await page.getByRole('link', { name: '实时数据' }).click();
    await page.getByTestId('report-gmv').getByText('¥0.00').waitFor();
    await page.getByText('还没有成交').waitFor();

    // selling starts (the server's clock jumps there); a buyer pays for one approved SKU at its campaign price
    t.clock.set(Date.parse(created.selling_start) + 60_000);
    const operator2 = await login('13900000000');
    await until('selling to start', async () => (await t.call('GET', `/api/v1/console/campaigns/${campaignId}`, { token: operator2 })).body.phase === 'selling');
    const buyer = await login('13700000001');
    const address = await t.call('POST', '/api/v1/me/addresses', { token: buyer, body: { recipient: '张小凡', phone: '13700000001', province: '广东省', city: '深圳市', district: '南山区', detail: '科技园南区1号' } });
    assert.equal(address.status, 201, JSON.stringify(address.body));
    const reg = approved.body.items[0] as { sku_id: string; title: string; campaign_price_minor: number };
    const checkout = await t.call('POST', '/api/v1/checkouts', { token: buyer, body: { items: [{ sku_id: reg.sku_id, quantity: 1 }], address_id: address.body.id } });
    assert.equal(checkout.status, 201, JSON.stringify(checkout.body));
    assert.equal(checkout.body.pricing.lines[0].unit_price_minor, reg.campaign_price_minor, 'sold at the campaign price');
    const pay = await t.call('POST', `/api/v1/checkouts/${checkout.body.checkout_id}/pay`, { token: buyer, body: {} });
    assert.equal(pay.status, 200, JSON.stringify(pay.body));
    await payAtCashier(pay.body.pay_page_url);
    const report = await until('the sale in the report', async () => {
      const r = await t.call('GET', `/api/v1/console/campaigns/${campaignId}/report`, { token: operator2 });
      return r.body.orders === 1 ? r.body : undefined;
    });
    assert.equal(report.gmv_minor, checkout.body.total_minor, 'GMV is what the buyer paid');
    assert.ok(report.discount.platform_minor >= 3_000, 'the platform-funded 满300减30 (and any other platform offer on the line)');
    await page.getByRole('button', { name: '刷新' }).click();
    await page.getByRole('heading', { name: new RegExp(name) }).getByText('正式售卖').waitFor();
    await page.getByTestId('report-gmv').getByText(yuan(report.gmv_minor)).waitFor();
    await page.getByTestId('report-orders').getByText('1', { exact: true }).waitFor();
    await page.getByTestId('report-fee').getByText(yuan(report.fee_income_minor)).waitFor();
    await page.getByRole('heading', { name: '优惠成本（按出资方）' }).waitFor();
    await page.getByRole('row', { name: /平台出资/ }).getByText(yuan(report.discount.platform_minor)).waitFor();
    await page.getByRole('row', { name: new RegExp(reg.title.slice(0, 8)) }).waitFor(); // the top item
    await shot(page, '05-console-campaign-report-desktop');
    await page.getByRole('link', { name: '活动管理', exact: true }).click();
    await page.getByRole('row', { name: new RegExp(name) }).getByText('正式售卖').waitFor();
    assert.deepEqual(errors, []);
    await ctx.close();
  }));

  test('a buyer asks from a product page, the merchant answers in the inbox, the buyer sees the answer', { timeout: 300_000 }, () => showingFailures('chat', async () => {
    const products = (await t.call('GET', '/api/v1/products?limit=50')).body.items as { id: string; title: string }[];
    const buds = products.find((p) => p.title.includes('星河 Buds Pro'))!;
    assert.ok(buds, 'the demo earbuds');

    const buyerCtx = await context(PHONE);
    const buyer = await buyerCtx.newPage();
    const buyerErrors = watch(buyer);
    await buyer.goto(`${t.baseUrl}/login?next=${encodeURIComponent(`/product/${buds.id}`)}`);
    await signIn(buyer, '13700000001');
    await buyer.getByRole('heading', { name: buds.title }).waitFor();
    await buyer.getByRole('link', { name: '联系客服' }).click();
    await buyer.getByRole('heading', { name: /客服/ }).waitFor();
    await buyer.locator('.chat-card').getByText(buds.title).waitFor(); // the product travels with the question
    await buyer.getByLabel('输入消息').fill('白色什么时候补货？');
    await buyer.getByRole('button', { name: '发送' }).click();
    const question = buyer.locator('.bubble-row.mine', { hasText: '白色什么时候补货？' });
    await question.getByText('未读').waitFor();
    await shot(buyer, '06-buyer-chat-asked-phone');

    const storeCtx = await context(DESKTOP);
    const merchant = await storeCtx.newPage();
    const merchantErrors = watch(merchant);
    await merchant.goto(`${t.baseUrl}/merchant`);
    await signIn(merchant, '13800000001');
    await merchant.getByRole('link', { name: '客服消息' }).click();
    await merchant.getByRole('heading', { name: /客服消息/ }).waitFor();
    const row = merchant.locator('[data-conversation]', { hasText: '白色什么时候补货？' });
    await row.locator('.count-badge').waitFor();
    await row.click();
    await merchant.locator('.bubble-row.theirs', { hasText: '白色什么时候补货？' }).waitFor();
    await merchant.locator('.chat-card').getByText(buds.title).waitFor();
    await merchant.getByLabel('输入消息').fill('您好，白色明天补货，付款后48小时内发货～');
    await merchant.getByRole('button', { name: '发送' }).click();
    await merchant.locator('.bubble-row.mine', { hasText: '白色明天补货' }).waitFor();
    await shot(merchant, '07-merchant-inbox-desktop');

    // the buyer's chat polls: the answer appears, and their question shows as read
    await buyer.locator('.bubble-row.theirs', { hasText: '您好，白色明天补货，付款后48小时内发货～' }).waitFor();
    await question.getByText('已读').waitFor();
    await shot(buyer, '08-buyer-chat-answered-phone');
    // …and the merchant's answer shows as read once the buyer has seen it
    await merchant.locator('.bubble-row.mine', { hasText: '白色明天补货' }).getByText('已读').waitFor();

    // the inbox on the merchant's phone: the list first, then the conversation with a way back
    const phoneCtx = await context(PHONE);
    const phone = await phoneCtx.newPage();
    await phone.goto(`${t.baseUrl}/merchant/inbox`);
    await signIn(phone, '13800000001');
    await phone.locator('[data-conversation]', { hasText: '白色明天补货' }).click();
    await phone.locator('.bubble-row.theirs', { hasText: '白色什么时候补货？' }).waitFor();
    await phone.getByRole('link', { name: /返回会话列表/ }).waitFor();
    await shot(phone, '09-merchant-inbox-phone');
    await phoneCtx.close();

    const token = await login('13700000001');
    const mine = await t.call('GET', '/api/v1/me/conversations/unread', { token });
    assert.deepEqual(mine.body, { conversations: 0, messages: 0 }, 'the buyer has read the answer');
    assert.deepEqual(buyerErrors, []);
    assert.deepEqual(merchantErrors, []);
    await buyerCtx.close();
    await storeCtx.close();
  }));
});
