/**
 * The merchant's promotions (营销工具) in a real headless browser (Debian's chromium, driven by
 * playwright-core), against the real server on SQLite with the demo data (the server's clock
 * follows the real one, so the times typed in the browser are "now"):
 *  (a) the owner of 星河数码, on a phone, creates a store coupon (满100减10), a 满减 ladder
 *      (满200减20, 满400减50, then edited to 满500减60) and a flash sale for the Buds Pro (¥499): a flash price only ¥4 below
 *      the original is refused with the rules shown and nothing created, ¥399 is accepted; each
 *      offer is listed as buyers will get it, and the flash sale is ended after a confirmation;
 *  (b) the store's customer service sees the same offers but no way to create or change one;
 *  (c) the live console's 新建直播券 (the same coupon form) creates a store coupon and attaches it to the room.
 * Screenshots go to test-results/merchant-promotions/.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { browserHarness, PHONE } from '../support/browser.ts';
import type { PaymentsTestApp } from '../support/payments.ts';

const h = browserHarness('merchant-promotions', { followWallClock: true });
const { context, shot, watch, showingFailures, signIn, login } = h;
let t: PaymentsTestApp;
let owner: { token: string };
let storeId: string;
const BUDS_WHITE = '星河 Buds Pro 主动降噪蓝牙耳机 · 白色';

const ok = (r: { status: number; body: any }, status = 200) => {
  assert.equal(r.status, status, JSON.stringify(r.body));
  return r.body;
};
const offers = async (kind: 'coupons' | 'threshold-promotions' | 'flash-sales') => ok(await t.call('GET', `/api/v1/merchant/stores/${storeId}/${kind}`, { token: owner.token })).items as any[];

/** No sideways scrolling on a phone: long Chinese names wrap or clamp. */
async function fitsWidth(page: Page): Promise<void> {
  const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  assert.ok(scroll <= client, `the page scrolls sideways: ${scroll} > ${client}`);
}

const tab = (page: Page, name: string) => page.getByRole('navigation', { name: '营销工具类型' }).getByRole('link', { name, exact: true }).click();
/** Opens a "new …" panel (it starts open when the list is empty). */
async function openNew(page: Page, title: string): Promise<void> {
  const panel = page.locator('details', { has: page.locator('summary', { hasText: title }) });
  if (!(await panel.evaluate((d: any) => d.open))) await panel.locator('summary').click();
}

before(async () => {
  t = await h.start();
  owner = await login('13800000001');
  storeId = ok(await t.call('GET', '/api/v1/merchant/stores', { token: owner.token })).items[0].id;
});
after(() => h.stop());

describe('merchant promotions', { timeout: 600_000 }, () => {
  test('a merchant creates a coupon, a 满减 ladder and a flash sale (a price too close to the original refused with the rule), sees them listed and ends the flash sale', { timeout: 240_000 }, () => showingFailures('owner', async () => {
    const ctx = await context(PHONE);
    const page = await ctx.newPage();
    const errors = watch(page);
    await page.goto(`${t.baseUrl}/merchant`);
    await signIn(page, '13800000001');
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '营销' }).click();
    await page.getByRole('heading', { name: '营销工具' }).waitFor();

    // ── 店铺优惠券: the demo coupon is listed with its claims; a new 满100减10 joins it ──
    const demo = page.locator('li.offer', { hasText: '星河数码满199减20' });
    await demo.getByText('满¥199减¥20').waitFor();
    await demo.getByText('0 / 1000').waitFor();
    await openNew(page, '新建店铺券');
    await page.getByLabel('券名称').fill('店庆满100减10');
    await page.getByLabel('满（元）', { exact: true }).fill('100');
    await page.getByLabel('减（元）', { exact: true }).fill('10');
    await page.getByLabel('发放总量（张）').fill('200');
    await page.getByLabel('每人限领（张）').fill('2');
    await page.getByRole('button', { name: '创建优惠券' }).click();
    const coupon = page.locator('li.offer', { hasText: '店庆满100减10' });
    await coupon.getByText('满¥100减¥10').waitFor();
    await coupon.getByText('0 / 200').waitFor();
    await coupon.locator('.badge', { hasText: '发放中' }).waitFor();
    const [created] = (await offers('coupons')).filter((c) => c.name === '店庆满100减10');
    assert.deepEqual([created.kind, created.threshold_minor, created.off_minor, created.total_quantity, created.per_buyer_limit, created.status], ['threshold', 10_000, 1_000, 200, 2, 'active']);
    await fitsWidth(page);
    await shot(page, 'a1-coupons-phone');

    // ── 满减: a two-tier ladder ──
    await tab(page, '满减');
    await page.getByText('还没有满减活动').waitFor();
    await openNew(page, '新建满减');
    await page.getByLabel('活动名称').fill('夏日满减');
    await page.getByLabel('第 1 档 满（元）').fill('200');
    await page.getByLabel('第 1 档 减（元）').fill('20');
    await page.getByRole('button', { name: '添加一档' }).click();
    await page.getByLabel('第 2 档 满（元）').fill('400');
    await page.getByLabel('第 2 档 减（元）').fill('50');
    await page.getByRole('button', { name: '创建满减' }).click();
    const ladder = page.locator('li.offer', { hasText: '夏日满减' });
    await ladder.getByText('满¥200减¥20，满¥400减¥50').waitFor();
    await ladder.locator('.badge', { hasText: '进行中' }).waitFor();
    const [promotion] = await offers('threshold-promotions');
    assert.deepEqual(promotion.rule, { kind: 'tiers', tiers: [{ threshold_minor: 20_000, off_minor: 2_000 }, { threshold_minor: 40_000, off_minor: 5_000 }] });
    // a 满减 may be edited (checked again): the second tier becomes 满500减60
    await ladder.getByRole('button', { name: '修改' }).click();
    await ladder.getByLabel('第 2 档 满（元）').fill('500');
    await ladder.getByLabel('第 2 档 减（元）').fill('60');
    await ladder.getByRole('button', { name: '保存' }).click();
    await ladder.getByText('满¥200减¥20，满¥500减¥60').waitFor();
    assert.deepEqual((await offers('threshold-promotions'))[0].rule.tiers[1], { threshold_minor: 50_000, off_minor: 6_000 });
    await shot(page, 'a2-threshold-phone');

    // ── 限时抢购: ¥495 for a ¥499 SKU is refused with the rules that failed; ¥399 is accepted ──
    await tab(page, '限时抢购');
    await page.getByText('还没有限时抢购').waitFor();
    await openNew(page, '新建限时抢购');
    await page.getByLabel('商品规格').selectOption({ label: BUDS_WHITE });
    await page.getByText('现价 ¥499.00，可售 1000 件').waitFor();
    await page.getByLabel('抢购价（元）').fill('495');
    await page.getByLabel('活动库存（件）').fill('50');
    await page.getByLabel('每人限购（件，选填）').fill('2');
    await page.getByRole('button', { name: '创建限时抢购' }).click();
    const refusal = page.getByRole('alert');
    await refusal.getByText('活动价须比原价至少低¥10').waitFor();
    await refusal.getByText('活动价不能高于原价的85%').waitFor();
    await page.getByText('未保存，原因：').waitFor();
    await shot(page, 'a3-flash-refused-phone');
    assert.deepEqual(await offers('flash-sales'), []);
    await page.getByText('还没有限时抢购').waitFor(); // and the list says so

    await page.getByLabel('抢购价（元）').fill('399');
    await page.getByRole('button', { name: '创建限时抢购' }).click();
    const sale = page.locator('li.offer', { hasText: BUDS_WHITE });
    await sale.getByText('¥399.00').waitFor();
    await sale.getByText('50 / 50').waitFor();
    await sale.locator('.badge', { hasText: '抢购中' }).waitFor();
    assert.equal(await page.getByText('未保存，原因：').count(), 0);
    const [flash] = await offers('flash-sales');
    assert.deepEqual([flash.price_minor, flash.flash_stock, flash.limit_per_buyer, flash.phase], [39_900, 50, 2, 'running']);
    await fitsWidth(page);
    await shot(page, 'a4-flash-created-phone');

    // ── ending asks first, then the sale is over: the SKU sells at its own price again ──
    await sale.getByRole('button', { name: '结束抢购' }).click();
    await sale.getByText('结束后按原价销售；已下单的买家不受影响。').waitFor();
    await sale.getByRole('button', { name: '确认结束抢购' }).click();
    await sale.locator('.badge', { hasText: '已取消' }).waitFor();
    assert.equal(await sale.getByRole('button', { name: '结束抢购' }).count(), 0);
    assert.equal((await offers('flash-sales'))[0].status, 'stopped');
    await shot(page, 'a5-flash-ended-phone');

    // what was saved is what the page shows after a reload
    await page.reload();
    await page.locator('li.offer', { hasText: BUDS_WHITE }).locator('.badge', { hasText: '已取消' }).waitFor();
    assert.deepEqual(errors, []);
    await ctx.close();
  }));

  test('customer service sees the store\'s promotions but cannot create, edit or end one', { timeout: 120_000 }, () => showingFailures('customer-service', async () => {
    const ctx = await context(PHONE);
    const page = await ctx.newPage();
    const errors = watch(page);
    await page.goto(`${t.baseUrl}/merchant/promotions`);
    await signIn(page, '13800000004');
    await page.getByText('你的角色只能查看营销活动，不能新建或修改。').waitFor();
    await page.locator('li.offer', { hasText: '星河数码满199减20' }).getByText('满¥199减¥20').waitFor();
    assert.equal(await page.locator('summary', { hasText: '新建店铺券' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: '停止发放' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: '修改' }).count(), 0);
    await tab(page, '满减');
    await page.locator('.state.empty, li.offer').first().waitFor();
    assert.equal(await page.locator('summary', { hasText: '新建满减' }).count(), 0);
    await tab(page, '限时抢购');
    await page.locator('.state.empty, li.offer').first().waitFor();
    assert.equal(await page.locator('summary', { hasText: '新建限时抢购' }).count(), 0);
    await shot(page, 'b1-customer-service-phone');
    assert.deepEqual(errors, []);
    await ctx.close();
  }));

  test('a live room\'s new live coupon is a store coupon made with the same form and attached to the room', { timeout: 120_000 }, () => showingFailures('live-coupon', async () => {
    const room = ok(await t.call('POST', `/api/v1/merchant/stores/${storeId}/live/rooms`, {
      token: owner.token, body: { title: '星河耳机直播专场', stream_url: 'rtmp://live.example.com/xinghe/buds', scheduled_start: new Date(t.clock.now() + 3_600_000).toISOString() },
    }), 201);
    const ctx = await context(PHONE);
    const page = await ctx.newPage();
    const errors = watch(page);
    await page.goto(`${t.baseUrl}/merchant/live/${room.id}`);
    await signIn(page, '13800000001');
    await page.getByText('还没有直播专享券').waitFor();
    await page.locator('summary', { hasText: '新建直播券' }).click();
    await page.getByLabel('券名称').fill('直播间专享满300减30');
    await page.getByLabel('满（元）', { exact: true }).fill('300');
    await page.getByLabel('减（元）', { exact: true }).fill('30');
    await page.getByRole('button', { name: '创建并设为直播券' }).click();
    await page.locator('.coupon-list li', { hasText: '直播间专享满300减30 · 满¥300减¥30' }).getByText('剩 100 张').waitFor();
    const attached = ok(await t.call('GET', `/api/v1/live/rooms/${room.id}/coupons`)).items as { template_id: string }[];
    const [made] = (await offers('coupons')).filter((c) => c.name === '直播间专享满300减30');
    assert.deepEqual(attached.map((c) => c.template_id), [made.id]);
    await shot(page, 'c1-live-coupon-phone');
    assert.deepEqual(errors, []);
    await ctx.close();
  }));
});
