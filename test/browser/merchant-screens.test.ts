/**
 * The merchant assistant's screens in a real headless browser (Debian's chromium, driven by
 * playwright-core), against the real server on SQLite with the demo data:
 *  (a) a new account opens a store through the onboarding wizard — a 旗舰店 name without a brand
 *      is refused with the rule shown — an operator approves, the deposit is paid, the store opens;
 *  (b) a merchant lists a product with two SKUs (blocked for 最好, fixed, live), adjusts stock,
 *      imports a CSV with one bad row and sees that row's error, exports the CSV;
 *  (c) a merchant schedules and starts a live room, shelves and pins a product and sets a live
 *      price while a viewer's storefront page follows in real time, and sees the viewer's like
 *      and comment in the console;
 *  (d) campaign registration: a fake discount refused with the rule explained, a real one accepted,
 *      then withdrawn;
 *  (e) after an order settles, the owner withdraws part of the available balance (last: it moves
 *      the clock a week on).
 * Screenshots go to test-results/merchant-screens/.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { browserHarness, DESKTOP, PHONE } from '../support/browser.ts';
import type { PaymentsTestApp } from '../support/payments.ts';
import { PASSWORD, relogin, signedInUser } from '../support/fixtures.ts';
import { DAY_MS, MINUTE_MS } from '../../src/lib/clock.ts';
import { day, openStoreViaApi, residentId, uscc } from '../support/onboarding.ts';

// A 1×1 PNG: the media API sniffs the bytes, so an upload must be a real image.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const image = (name: string) => ({ name, mimeType: 'image/png', buffer: PNG });

const h = browserHarness('merchant-screens');
const { context, shot, watch, showingFailures } = h;
/** The accounts here are made by the fixtures (their password), not the demo ones. */
const signIn = (page: Page, phone: string) => h.signIn(page, phone, PASSWORD);
let t: PaymentsTestApp;
let operator: { token: string };
let seq = 0;
const tag = () => `${process.pid % 1000}${++seq}`;

/** A merchant account owning an open store (onboarded over the API), signed in. */
async function openStore(name: string) {
  const owner = await signedInUser(t);
  const store = await openStoreViaApi(t, owner, operator, { name, company_name: `上海${name}商贸有限公司` });
  return { owner, storeId: store.id };
}

/** A live product with the given SKUs (spec 颜色) in 耳机音箱, created over the API. */
async function productOf(owner: { token: string }, storeId: string, title: string, skus: { color: string; price_minor: number; stock: number }[]) {
  const cats = await t.call('GET', '/api/v1/categories');
  const audio = cats.body.items.find((c: { code: string }) => c.code === 'digital.audio');
  const r = await t.call('POST', `/api/v1/merchant/stores/${storeId}/products`, {
    token: owner.token, body: { category_id: audio.id, title, skus: skus.map((s) => ({ spec: { 颜色: s.color }, price_minor: s.price_minor, stock: s.stock })) },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.status, 'live', JSON.stringify(r.body.review));
  return r.body as { id: string; skus: { id: string; spec: Record<string, string> }[] };
}

before(async () => {
  t = await h.start();
  t.ctx.live.start(); // the room hub's tick: coalesced viewer and like events, as with workers on
  operator = await signedInUser(t, ['operator']);
});
after(() => h.stop());

describe('merchant assistant screens', { timeout: 900_000 }, () => {
  test('a new account opens a store: wizard, a 旗舰店 name refused with its rule, documents, review, deposit, open', { timeout: 240_000 }, () => showingFailures('onboarding', async () => {
    const applicant = await signedInUser(t);
    const name = `晨光文具${tag()}`;
    const code = uscc('enterprise');
    const ctx = await context(PHONE);
    const page = await ctx.newPage();
    const errors = watch(page);
    await page.goto(`${t.baseUrl}/merchant`);
    await signIn(page, applicant.phone);
    await page.getByRole('heading', { name: '开一家小店' }).waitFor();
    await page.getByRole('radio', { name: /^企业/ }).check();
    await page.getByLabel('企业名称（与营业执照一致）').fill(`上海${name}用品有限公司`);
    await page.getByLabel('统一社会信用代码', { exact: true }).fill(code);

    // a reserved word without brand certification: the naming rule that failed is shown
    await page.getByLabel('店铺名称').fill('晨光旗舰店');
    await page.getByRole('button', { name: '检查名称' }).click();
    const verdict = page.locator('.name-check');
    await verdict.getByText('未通过命名规则：保留字规则（品牌认证专用）').waitFor();
    await verdict.getByText('“旗舰”仅限通过品牌认证的店铺使用。').waitFor();
    assert.equal(await page.getByLabel('店铺名称').getAttribute('aria-invalid'), 'true');
    await shot(page, 'a1-wizard-name-refused-phone');
    // submitting anyway is refused before anything is created
    await page.getByRole('button', { name: '保存并继续' }).click();
    await verdict.getByText('“旗舰”仅限通过品牌认证的店铺使用。').waitFor();
    assert.equal((await t.call('GET', '/api/v1/merchant/stores', { token: applicant.token })).body.items.length, 0);

    await page.getByLabel('店铺名称').fill(name);
    await page.getByRole('button', { name: '检查名称' }).click();
    await verdict.getByText(`“${name}”可以使用`).waitFor();
    await page.getByRole('button', { name: '保存并继续' }).click();

    await page.getByRole('heading', { name: '开店进度' }).waitFor();
    await page.getByText('请上传法定代表人/经营者身份证。').waitFor(); // the automatic checks, before submitting
    const id = page.locator('details[data-kind="legal_rep_id"]');
    await id.getByLabel('上传法定代表人/经营者身份证照片').setInputFiles(image('id.png'));
    await id.getByRole('img', { name: '法定代表人/经营者身份证照片' }).waitFor();
    await id.getByLabel('身份证号码').fill(residentId());
    await id.getByLabel('持有人/主体名称').fill('王小明');
    await id.getByLabel('有效期起').fill(day(t, -365));
    await id.getByLabel('有效期至').fill(day(t, 3650));
    await id.getByRole('button', { name: '保存资质' }).click();
    await id.locator('summary .badge', { hasText: '已上传' }).waitFor();

    const licence = page.locator('details[data-kind="business_license"]');
    assert.equal(await licence.getByLabel('统一社会信用代码', { exact: true }).inputValue(), code); // prefilled from the application
    await licence.getByLabel('上传营业执照照片').setInputFiles(image('licence.png'));
    await licence.getByRole('img', { name: '营业执照照片' }).waitFor();
    await licence.getByLabel('有效期起').fill(day(t, -700));
    await licence.getByRole('button', { name: '保存资质' }).click();
    await licence.locator('summary .badge', { hasText: '已上传' }).waitFor();
    await page.getByText('资料齐全，可以提交审核。').waitFor();
    await shot(page, 'a2-documents-phone');
    await page.getByRole('button', { name: '提交审核' }).click();
    await page.getByText(/平台正在审核/).waitFor();
    await page.locator('.badge', { hasText: '审核中' }).first().waitFor();

    const mine = await t.call('GET', '/api/v1/merchant/stores', { token: applicant.token });
    const storeId = mine.body.items[0].id as string;
    assert.equal(mine.body.items[0].status, 'in_review');
    const approve = await t.call('POST', `/api/v1/console/stores/${storeId}/approve`, { token: operator.token, body: {} });
    assert.equal(approve.status, 200, JSON.stringify(approve.body));

    await page.reload();
    await page.getByText('审核已通过，缴纳保证金后店铺即可开业。').waitFor();
    const due = page.locator('.breakdown .total dd');
    assert.match(await due.innerText(), /^¥[\d,]+\.\d\d$/);
    await shot(page, 'a3-deposit-phone');
    await page.getByRole('button', { name: '缴纳保证金（沙箱支付）' }).click();
    await page.getByRole('heading', { name: '店铺已开业' }).waitFor();
    const opened = await t.call('GET', `/api/v1/merchant/stores/${storeId}`, { token: applicant.token });
    assert.equal(opened.body.status, 'open');
    // the full assistant is there now
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '商品', exact: true }).waitFor();
    await shot(page, 'a4-open-phone');
    assert.deepEqual(errors, []);
    await ctx.close();
  }));

  test('a merchant lists a product with two SKUs (blocked for 最好, fixed, live), adjusts stock, imports a CSV with a bad row and exports', { timeout: 240_000 }, () => showingFailures('products', async () => {
    const { owner, storeId } = await openStore(`青禾服饰${tag()}`);
    const ctx = await context(PHONE);
    const page = await ctx.newPage();
    const errors = watch(page);
    await page.goto(`${t.baseUrl}/merchant/products`);
    await signIn(page, owner.phone);
    await page.getByText('没有商品').waitFor(); // a new store's empty state offers the editor too
    await page.locator('.state').getByRole('link', { name: '发布商品' }).click();
    await page.getByRole('heading', { name: '发布商品' }).waitFor();
    await page.getByLabel('商品类目').selectOption({ label: '女装' });
    await page.getByLabel('材质 *').fill('纯棉'); // the attribute 女装 requires
    await page.getByLabel('商品标题').fill('夏季纯棉T恤 最好穿的基础款');
    await page.getByLabel('上传图片').setInputFiles(image('tee.png'));
    await page.getByRole('img', { name: '商品图 1' }).waitFor();
    await page.getByLabel('规格名 1').fill('颜色');
    await page.getByLabel('规格值 1').fill('黑色, 白色');
    await page.getByLabel('价格（元） 黑色').fill('59.9');
    await page.getByLabel('价格（元） 白色').fill('abc');
    await page.getByLabel('库存 黑色').fill('20');
    await page.getByLabel('库存 白色').fill('15');
    await page.getByRole('button', { name: '提交发布' }).click();
    await page.getByText('请填写正确的价格，如 99 或 99.90').waitFor(); // checked per row before sending
    await page.getByLabel('价格（元） 白色').fill('59.90');
    await shot(page, 'b1-new-product-phone');
    await page.getByRole('button', { name: '提交发布' }).click();

    const review = page.getByTestId('review');
    await review.getByText('审核未通过，修改后保存会重新审核：').waitFor();
    await review.locator('[data-code="absolute_claim"]').getByText(/最好/).waitFor();
    await shot(page, 'b2-product-blocked-phone');
    const productId = new URL(page.url()).pathname.split('/').pop()!;
    const created = await t.call('GET', `/api/v1/merchant/stores/${storeId}/products/${productId}`, { token: owner.token });
    assert.equal(created.body.status, 'rejected');
    assert.deepEqual(created.body.skus.map((s: { spec: Record<string, string>; price_minor: number }) => [s.spec['颜色'], s.price_minor]), [['黑色', 5990], ['白色', 5990]]);
    assert.equal(created.body.attributes['材质'], '纯棉');
    assert.equal(created.body.images.length, 1);

    await page.getByLabel('商品标题').fill('夏季纯棉T恤 圆领短袖基础款');
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await review.getByText('审核通过，商品已上架').waitFor();
    await page.locator('.badge', { hasText: '在售' }).first().waitFor();

    const black = page.locator(`[data-sku="${created.body.skus[0].id}"]`);
    await black.getByTestId('stock').getByText('20').first().waitFor();
    await page.getByLabel('调整库存 黑色').fill('+10');
    await black.getByRole('button', { name: '确定' }).click();
    await black.getByTestId('stock').filter({ hasText: /^30 \/ 30$/ }).waitFor();
    await shot(page, 'b3-product-live-phone');

    await page.getByRole('link', { name: '← 商品' }).click();
    await page.getByRole('link', { name: '批量导入' }).click();
    const csv = [
      'product_ref,category,title,subtitle,brand,attributes,spec,price,list_price,barcode,stock',
      'P1,digital.audio,便携蓝牙音箱 防水款,,,,颜色=黑色,129.00,,,50',
      'P1,digital.audio,便携蓝牙音箱 防水款,,,,颜色=白色,129.00,,,30',
      'P2,digital.audio,车载手机支架 磁吸款,,,,,十九块九,,,10',
    ].join('\n');
    await page.getByLabel('选择商品 CSV 文件').setInputFiles({ name: 'products.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByText('共 3 行：成功创建 1 个商品，1 行有错误').waitFor();
    const rowErrors = page.getByTestId('row-errors');
    const bad = rowErrors.getByRole('row').filter({ hasText: 'P2' });
    await bad.getByRole('rowheader', { name: '4' }).waitFor();
    await bad.getByText('售价须为正数金额（元），如 99.90').waitFor();
    await shot(page, 'b4-csv-import-phone');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出 CSV' }).click()]);
    assert.equal(download.suggestedFilename(), 'products.csv');
    const exported = await (async () => {
      const chunks: Buffer[] = [];
      for await (const c of (await download.createReadStream())!) chunks.push(c as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    })();
    assert.match(exported, /夏季纯棉T恤 圆领短袖基础款/);
    assert.match(exported, /便携蓝牙音箱 防水款/);
    assert.doesNotMatch(exported, /车载手机支架/);
    assert.deepEqual(errors, []);
    await ctx.close();
  }));

  test('a live room: schedule, start, shelve, pin and set a live price while a viewer follows; the viewer’s like and comment reach the console', { timeout: 240_000 }, () => showingFailures('live', async () => {
    const { owner, storeId } = await openStore(`声浪数码${tag()}`);
    const title = '声浪 S3 头戴式降噪耳机 超长续航版';
    await productOf(owner, storeId, title, [{ color: '黑色', price_minor: 59_900, stock: 40 }, { color: '银色', price_minor: 62_900, stock: 40 }]);
    const ctx = await context(DESKTOP);
    const page = await ctx.newPage();
    const errors = watch(page);
    await page.goto(`${t.baseUrl}/merchant/live`);
    await signIn(page, owner.phone);
    await page.getByRole('heading', { name: '直播', exact: true }).waitFor();
    await page.getByLabel('直播标题').fill('声浪新品首发 · 降噪耳机专场');
    await page.getByLabel('推流地址').fill('rtmp://push.example.com/live/shenglang');
    await page.getByRole('button', { name: '创建直播' }).click();
    await page.getByRole('heading', { name: '声浪新品首发 · 降噪耳机专场' }).waitFor();
    const roomId = new URL(page.url()).pathname.split('/').pop()!;
    assert.match(roomId, /^lrm_/);
    await page.getByRole('button', { name: '开始直播' }).click();
    await page.locator('.live-badge', { hasText: '直播中' }).waitFor();
    await page.getByLabel('添加商品').selectOption({ label: title });
    await page.getByRole('button', { name: '加入小黄车' }).click();
    const item = page.locator('.shelf-item', { hasText: title });
    await item.waitFor();

    const viewer = await signedInUser(t);
    const vctx = await context(PHONE);
    const vpage = await vctx.newPage();
    const verrors = watch(vpage);
    await vpage.goto(`${t.baseUrl}/login?next=${encodeURIComponent(`/live/${roomId}`)}`);
    await signIn(vpage, viewer.phone);
    await vpage.getByRole('heading', { name: '声浪新品首发 · 降噪耳机专场' }).waitFor();
    await vpage.getByText('主播还没有讲解商品').waitFor();

    await item.getByRole('button', { name: `讲解 ${title}` }).click();
    await item.getByRole('button', { name: `取消讲解 ${title}` }).waitFor();
    const pinned = vpage.getByTestId('pinned');
    await pinned.getByText(title).waitFor();

    await item.getByText(`设置直播价：${title}`).click();
    await item.getByLabel('规格').selectOption({ label: '黑色 · ¥599.00' });
    await item.getByLabel('直播价（元）').fill('499');
    await item.getByLabel('直播库存').fill('20');
    await item.getByRole('button', { name: '设置直播价' }).click();
    await item.getByText(/黑色 · 直播价/).waitFor();
    await item.getByText('剩 20 件').waitFor();
    await pinned.getByText('¥499.00').waitFor(); // the viewer's page follows over SSE

    await vpage.getByRole('button', { name: '点赞' }).click();
    await page.getByTestId('stat-likes').getByText('1', { exact: true }).waitFor();
    await vpage.getByLabel('说点什么…').fill('银色什么时候有直播价？');
    await vpage.getByRole('button', { name: '发送' }).click();
    await page.locator('.comments').getByText('银色什么时候有直播价？').waitFor();
    await shot(page, 'c1-live-console-desktop');
    await shot(vpage, 'c2-live-viewer-phone');

    await item.getByRole('button', { name: `取消讲解 ${title}` }).click();
    await vpage.getByText('主播还没有讲解商品').waitFor();
    const room = await t.call('GET', `/api/v1/live/rooms/${roomId}`);
    assert.equal(room.body.status, 'live');
    assert.equal(room.body.pinned_item_id, null);
    assert.equal(room.body.shelf[0].live_prices[0].price_minor, 49_900);
    assert.deepEqual(errors, []);
    assert.deepEqual(verrors, []);
    await vctx.close();
    await ctx.close();
  }));

  test('campaign registration: a fake discount is refused with the rule explained, a real one is registered and can be withdrawn', { timeout: 240_000 }, () => showingFailures('campaigns', async () => {
    const { owner, storeId } = await openStore(`好物杂货${tag()}`);
    await productOf(owner, storeId, '多功能保温杯 316不锈钢 大容量', [{ color: '白色', price_minor: 10_000, stock: 50 }, { color: '蓝色', price_minor: 10_000, stock: 50 }]);
    const ctx = await context(PHONE);
    const page = await ctx.newPage();
    const errors = watch(page);
    await page.goto(`${t.baseUrl}/merchant/campaigns`);
    await signIn(page, owner.phone);
    const campaign = page.locator('section.campaign', { hasText: '双11好物节' });
    await campaign.getByText('活动价须比近 30 天最低价至少低 5%（真实降价）').waitFor();
    const form = campaign.getByRole('form', { name: '报名双11好物节' });

    await form.getByLabel('规格').selectOption({ label: '多功能保温杯 316不锈钢 大容量 · 白色' });
    await form.getByLabel('活动价（元）').fill('98');
    await form.getByLabel('活动库存').fill('20');
    await form.getByRole('button', { name: '提交报名' }).click();
    await form.getByText('自动检查未通过：').waitFor();
    await form.locator('[data-code="discount_not_real"]').getByText('活动价¥98.00须比近30天最低价¥100.00至少低5%，即不高于¥95.00').waitFor();
    await shot(page, 'd1-campaign-refused-phone');

    await form.getByLabel('规格').selectOption({ label: '多功能保温杯 316不锈钢 大容量 · 蓝色' });
    await form.getByLabel('活动价（元）').fill('79.00');
    await form.getByLabel('活动库存').fill('20');
    await form.getByRole('button', { name: '提交报名' }).click();
    await form.getByText('“多功能保温杯 316不锈钢 大容量”已提交报名，等待平台审核').waitFor();
    const reg = page.locator('li.registration', { hasText: '蓝色' });
    await reg.locator('.badge', { hasText: '待审核' }).waitFor();
    await reg.getByText('¥79.00').waitFor();
    await shot(page, 'd2-campaign-registered-phone');

    const regs = await t.call('GET', `/api/v1/merchant/stores/${storeId}/campaign-registrations`, { token: owner.token });
    assert.equal(regs.body.items.length, 1, 'the refused registration saved nothing');
    assert.equal(regs.body.items[0].campaign_price_minor, 7_900);
    assert.equal(regs.body.items[0].status, 'pending');

    await reg.getByRole('button', { name: /撤回报名/ }).click();
    await reg.locator('.badge', { hasText: '已撤回' }).waitFor();
    const after = await t.call('GET', `/api/v1/merchant/stores/${storeId}/campaign-registrations`, { token: owner.token });
    assert.equal(after.body.items[0].status, 'withdrawn');
    assert.deepEqual(errors, []);
    await ctx.close();
  }));

  test('after an order settles, the owner withdraws part of the available balance', { timeout: 240_000 }, () => showingFailures('withdraw', async () => {
    const opened = await openStore(`晴川百货${tag()}`);
    const storeId = opened.storeId;
    let owner = opened.owner;
    const product = await productOf(owner, storeId, '晴川 手冲咖啡壶 600ml 不锈钢', [{ color: '银色', price_minor: 12_000, stock: 10 }]);
    let buyer = await signedInUser(t);
    const address = await t.call('POST', '/api/v1/me/addresses', { token: buyer.token, body: { recipient: '周小川', phone: '13712345678', province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路 90 号' } });
    const placed = await t.call('POST', '/api/v1/checkouts', { token: buyer.token, body: { items: [{ sku_id: product.skus[0].id, quantity: 1 }], address_id: address.body.id } });
    assert.equal(placed.status, 201, JSON.stringify(placed.body));
    await t.payCheckout(buyer.token, placed.body.checkout_id);
    const orderId = placed.body.order_ids[0] as string;
    const shipped = await t.call('POST', `/api/v1/merchant/stores/${storeId}/orders/${orderId}/shipments`, { token: owner.token, body: { carrier: 'SF', tracking_no: `SF${Date.now()}` } });
    assert.equal(shipped.status, 201, JSON.stringify(shipped.body));
    assert.equal((await t.call('POST', `/api/v1/me/orders/${orderId}/confirm-receipt`, { token: buyer.token })).status, 200);
    t.clock.advance(7 * DAY_MS + MINUTE_MS); // the settlement period
    await t.pump();
    owner = await relogin(t, owner); // access tokens last 2 h
    buyer = await relogin(t, buyer);
    const balance = async () => (await t.call('GET', `/api/v1/merchant/stores/${storeId}/finance/balance`, { token: owner.token })).body;
    const before = await balance();
    assert.ok(before.available_minor > 5_000, JSON.stringify(before));

    const ctx = await context(PHONE);
    const page = await ctx.newPage();
    const errors = watch(page);
    await page.goto(`${t.baseUrl}/merchant/finance`);
    await signIn(page, owner.phone);
    const form = page.getByRole('form', { name: '提现' });
    await form.locator('.price').getByText(/^¥[\d,]+\.\d\d$/).waitFor();
    await form.getByLabel('提现金额（元）').fill('50');
    await form.getByLabel('开户银行').fill('招商银行');
    await form.getByLabel('账户名').fill('上海晴川百货商贸有限公司');
    await form.getByLabel('银行卡号').fill('6225 8801 2345 6789');
    await form.getByRole('button', { name: '申请提现' }).click();
    await form.getByText('已提交提现 ¥50.00').waitFor();
    const row = page.getByRole('row').filter({ hasText: '招商银行' });
    await row.getByText('¥50.00').waitFor();
    await row.getByText('6789').waitFor();
    await shot(page, 'e1-withdrawal-phone');
    const after = await balance();
    assert.equal(after.available_minor, before.available_minor - 5_000);
    assert.deepEqual(errors, []);
    await ctx.close();
  }));
});
