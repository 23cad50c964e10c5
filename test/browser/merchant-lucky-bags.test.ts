/**
 * 福袋 in the merchant's live console, in a real headless browser (Debian's chromium, driven by
 * playwright-core), against the real server on SQLite with the demo data. The server's clock
 * moves only when the test moves it, so a bag's draw time comes when the test says so.
 *  (a) the owner of 星河数码, on a phone, gives out a comment bag: zero winners is refused by the
 *      form and creates nothing; two buyers comment; the owner draws by hand; the console shows the
 *      winner's display name (not a phone number), the number of entrants and the seed, checked
 *      against the commitment published at creation;
 *  (b) a watch-time bag is drawn by its job when the clock passes the draw time: the console
 *      follows the room's stream and shows the draw without a reload;
 *  (c) the store's customer service sees the bags and their proof, but no form and no 开奖.
 * Screenshots go to test-results/merchant-lucky-bags/.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { Locator, Page } from 'playwright-core';
import { browserHarness, PHONE } from '../support/browser.ts';
import type { PaymentsTestApp } from '../support/payments.ts';
import { HOUR_MS, MINUTE_MS } from '../../src/lib/clock.ts';

const h = browserHarness('merchant-lucky-bags');
const { context, shot, watch, showingFailures, signIn, login, until } = h;
let t: PaymentsTestApp;
let owner: { token: string; account: string };
let storeId: string;
let roomId: string;
const ROOM = '星河新品直播 · 福袋专场';

const ok = (r: { status: number; body: any }, status = 200) => {
  assert.equal(r.status, status, JSON.stringify(r.body));
  return r.body;
};
const bags = async () => ok(await t.call('GET', `/api/v1/live/rooms/${roomId}/lucky-bags`)).items as any[];
const panelOf = (page: Page) => page.locator('section', { has: page.getByRole('heading', { name: '福袋', exact: true }) });
const bagIn = (panel: Locator, title: string) => panel.locator('li[data-bag]', { has: panel.page().getByText(title, { exact: true }) });

/** No sideways scrolling on a phone: the 64-character seed and commitment wrap. */
async function fitsWidth(page: Page): Promise<void> {
  const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  assert.ok(scroll <= client, `the page scrolls sideways: ${scroll} > ${client}`);
}

async function openConsole(phone: string): Promise<{ page: Page; errors: string[]; close: () => Promise<void> }> {
  const ctx = await context(PHONE);
  const page = await ctx.newPage();
  const errors = watch(page);
  await page.goto(`${t.baseUrl}/merchant/live/${roomId}`);
  await signIn(page, phone);
  await page.getByRole('heading', { name: ROOM }).waitFor();
  await page.locator('.live-badge', { hasText: '直播中' }).waitFor();
  return { page, errors, close: () => ctx.close() };
}

/** Fills the new-bag form (open while the room is live). */
async function fillBag(panel: Locator, f: { title: string; prize: string; condition?: string; watch?: string; winners: string; drawIn: string }) {
  await panel.getByLabel('福袋名称').fill(f.title);
  await panel.getByLabel('奖品').fill(f.prize);
  if (f.condition) await panel.getByRole('radio', { name: f.condition }).check();
  if (f.watch !== undefined) await panel.getByLabel('观看时长（分钟）').fill(f.watch);
  await panel.getByLabel('中奖人数').fill(f.winners);
  await panel.getByLabel('几分钟后开奖').fill(f.drawIn);
}

before(async () => {
  t = await h.start();
  owner = await login('13800000001');
  storeId = ok(await t.call('GET', '/api/v1/merchant/stores', { token: owner.token })).items[0].id;
  const room = ok(await t.call('POST', `/api/v1/merchant/stores/${storeId}/live/rooms`, {
    token: owner.token, body: { title: ROOM, stream_url: 'rtmp://push.example.com/live/xinghe', scheduled_start: new Date(t.clock.now() + HOUR_MS).toISOString() },
  }), 201);
  roomId = room.id;
  ok(await t.call('POST', `/api/v1/live/rooms/${roomId}/start`, { token: owner.token, body: {} }));
});
after(() => h.stop());

describe('lucky bags in the live console', { timeout: 600_000 }, () => {
  test('a comment bag: zero winners refused by the form, then created, drawn by hand, the winner named and the seed shown against its commitment', { timeout: 240_000 }, () => showingFailures('comment-bag', async () => {
    const { page, errors, close } = await openConsole('13800000001');
    const panel = panelOf(page);
    await panel.getByText('还没有福袋').waitFor();

    await fillBag(panel, { title: '评论福袋', prize: '星河 Buds Pro 降噪耳机一副', winners: '0', drawIn: '10' });
    await panel.getByRole('button', { name: '发布福袋' }).click();
    await panel.getByRole('alert').getByText('中奖人数须为 1–1000 的整数').waitFor();
    assert.equal(await panel.getByLabel('中奖人数').getAttribute('aria-invalid'), 'true');
    await shot(page, 'a1-zero-winners-phone');
    assert.deepEqual(await bags(), []); // nothing was created
    assert.equal(await panel.getByText('还没有福袋').count(), 1);

    await panel.getByLabel('中奖人数').fill('1');
    await panel.getByRole('button', { name: '发布福袋' }).click();
    const bag = bagIn(panel, '评论福袋');
    await bag.getByText('待开奖').waitFor();
    assert.equal(await panel.getByRole('alert').count(), 0);
    const [created] = await bags();
    assert.equal(created.title, '评论福袋');
    assert.equal(created.prize, '星河 Buds Pro 降噪耳机一副');
    assert.equal(created.condition, 'commented');
    assert.equal(created.winners, 1);
    assert.equal(created.status, 'open');
    assert.equal(Date.parse(created.draw_at), t.clock.now() + 10 * MINUTE_MS);
    await bag.getByText('在直播间发评论').waitFor();
    await bag.getByText('开奖凭证').click();
    assert.equal(await bag.getByTestId('commitment').innerText(), created.seed_commitment);
    assert.equal(await bag.getByTestId('seed').count(), 0); // the seed stays secret until the draw

    // two buyers meet the condition; the console sees their comments (and so their names)
    const zhang = await login('13700000001');
    const liu = await login('13700000002');
    ok(await t.call('POST', `/api/v1/live/rooms/${roomId}/comments`, { token: zhang.token, body: { text: '想要福袋！' } }), 201);
    ok(await t.call('POST', `/api/v1/live/rooms/${roomId}/comments`, { token: liu.token, body: { text: '主播看看我' } }), 201);
    await page.locator('.comments').getByText('主播看看我').waitFor();

    await bag.getByRole('button', { name: '开奖 评论福袋' }).click();
    await bag.getByRole('button', { name: '确认立即开奖' }).click();
    await bag.getByText('已开奖').waitFor();
    const [drawn] = await bags();
    assert.equal(drawn.status, 'drawn');
    assert.deepEqual(drawn.eligible_ids, [zhang.account, liu.account].sort());
    assert.equal(drawn.winner_ids.length, 1);
    assert.equal(createHash('sha256').update(drawn.seed).digest('hex'), created.seed_commitment);
    const [winner, loser] = drawn.winner_ids[0] === zhang.account ? ['买家小张', '买家小刘'] : ['买家小刘', '买家小张'];
    const winners = bag.getByRole('list', { name: '中奖名单 评论福袋' });
    assert.equal((await winners.innerText()).trim(), winner);
    assert.equal(await winners.getByText(loser).count(), 0);
    assert.equal(await bag.getByTestId('eligible').innerText(), '2');
    assert.equal(await bag.getByTestId('seed').innerText(), drawn.seed);
    assert.equal(await bag.getByTestId('commitment').innerText(), created.seed_commitment);
    await bag.getByText('已核对：随机种子的 SHA-256 与开奖前公布的承诺一致').waitFor();
    assert.equal(await bag.getByRole('button', { name: /^(开奖 |确认立即开奖)/ }).count(), 0); // drawn once
    const text = await page.locator('main').innerText();
    for (const phone of ['13700000001', '13700000002']) assert.ok(!text.includes(phone), `a phone number is shown: ${phone}`);
    await fitsWidth(page);
    await shot(page, 'a2-drawn-phone');
    assert.deepEqual(errors, []);
    await close();
  }));

  test('a watch-time bag is drawn when the clock passes its draw time, and the console follows the draw over the stream', { timeout: 240_000 }, () => showingFailures('watch-bag', async () => {
    const { page, errors, close } = await openConsole('13800000001');
    const panel = panelOf(page);
    await bagIn(panel, '评论福袋').getByText('已开奖').waitFor();

    // a signed-in viewer follows the room's stream (what makes watch time)
    const viewer = await login('13600000001');
    const ac = new AbortController();
    const stream = await fetch(`${t.baseUrl}/api/v1/live/rooms/${roomId}/events?access_token=${encodeURIComponent(viewer.token)}`, { signal: ac.signal });
    assert.equal(stream.status, 200);
    const reading = (async () => { for await (const _ of stream.body!) { /* keep the stream flowing */ } })().catch(() => {});
    await until('the viewer is watching', async () => t.ctx.live.hub.openSessions(roomId).has(viewer.account));

    await fillBag(panel, { title: '观看福袋', prize: '星河充电宝', condition: '观看满指定时长', watch: '0', winners: '3', drawIn: '1' });
    await panel.getByRole('button', { name: '发布福袋' }).click();
    await panel.getByRole('alert').getByText('观看时长须为 1–600 的整数（分钟）').waitFor();
    assert.equal((await bags()).length, 1);
    await panel.getByLabel('观看时长（分钟）').fill('2');
    await panel.getByRole('button', { name: '发布福袋' }).click();
    const bag = bagIn(panel, '观看福袋');
    await bag.getByText('待开奖').waitFor();
    await bag.getByText('观看满 2 分钟').waitFor();
    const created = (await bags()).find((b) => b.title === '观看福袋');
    assert.equal(created.watch_minutes, 2);

    t.clock.advance(3 * MINUTE_MS); // past the draw time and past two minutes of watching: the job draws
    await bag.getByText('已开奖').waitFor(); // no reload: the stream's lucky_bag_drawn
    const drawn = (await bags()).find((b) => b.title === '观看福袋');
    assert.deepEqual(drawn.winner_ids, [viewer.account]); // the commenters did not watch
    assert.equal(await bag.getByTestId('eligible').innerText(), '1');
    // the console never saw this viewer comment: the name comes with the drawn bag (never a phone number)
    assert.deepEqual(drawn.winner_names.map((w: { account_id: string }) => w.account_id), [viewer.account]);
    const named = drawn.winner_names[0].display_name;
    assert.ok(named && !named.includes('尾号'), `a display name, got ${named}`);
    await bag.getByRole('list', { name: '中奖名单 观看福袋' }).getByText(named, { exact: true }).waitFor();
    assert.equal(await bag.getByTestId('seed').innerText(), drawn.seed);
    assert.ok(!(await page.locator('main').innerText()).includes('13600000001'));
    await shot(page, 'b1-drawn-by-clock-phone');
    ac.abort();
    await reading;
    assert.deepEqual(errors, []);
    await close();
  }));

  test('customer service sees the bags and their proof but cannot give out or draw one', { timeout: 240_000 }, () => showingFailures('cs', async () => {
    ok(await t.call('POST', `/api/v1/live/rooms/${roomId}/lucky-bags`, {
      token: owner.token, body: { title: '预约福袋', prize: '星河手机壳', winners: 2, condition: 'reserved', draw_in_seconds: 600 },
    }), 201);
    // the owner gets 开奖 for an open bag…
    const host = await openConsole('13800000001');
    await bagIn(panelOf(host.page), '预约福袋').getByRole('button', { name: '开奖 预约福袋' }).waitFor();
    await host.close();

    // …customer service does not, nor the form
    const { page, errors, close } = await openConsole('13800000004');
    const panel = panelOf(page);
    await panel.getByText('客服账号只能查看福袋。').waitFor();
    const open = bagIn(panel, '预约福袋');
    await open.getByText('待开奖').waitFor();
    await open.getByText('预约了本场直播').waitFor();
    const drawn = bagIn(panel, '评论福袋');
    await drawn.getByText('已开奖').waitFor();
    const [first] = await bags();
    assert.equal(await drawn.getByTestId('seed').innerText(), first.seed);
    assert.equal(await panel.getByRole('button', { name: /^(开奖 |确认立即开奖)/ }).count(), 0);
    assert.equal(await panel.getByLabel('福袋名称').count(), 0);
    assert.equal(await panel.getByRole('button', { name: '发布福袋' }).count(), 0);
    // …nor any other host control in the console: the room is theirs to watch
    await page.getByText('客服账号只能查看直播间').waitFor();
    for (const name of ['结束直播', '加入小黄车', '设为直播券', /^讲解 /, /^移出小黄车 /]) {
      assert.equal(await page.getByRole('button', { name }).count(), 0, `customer service sees "${name}"`);
    }
    assert.equal(await page.getByText('新建直播券').count(), 0);
    await shot(page, 'c1-customer-service-phone');
    assert.deepEqual(errors, []);
    await close();
  }));
});
