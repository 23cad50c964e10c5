/**
 * What every browser test file needs: the real server on a real port (SQLite, demo data, the
 * payments sandbox) with its outbox, jobs and sandbox notifications pumped in the background,
 * Debian's Chromium driven by playwright-core, screenshots under test-results/<name>/, and
 * helpers for signing in and waiting. One harness per test file:
 *
 *   const h = browserHarness('web');
 *   let t: PaymentsTestApp;
 *   before(async () => { t = await h.start(); });
 *   after(() => h.stop());
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ensureWebBuilt } from '../../scripts/ensure-web.ts';
import { seedDemo, DEMO_PASSWORD } from '../../src/app/seed-demo.ts';
import { startPaymentsApp, type PaymentsTestApp } from './payments.ts';

export { DEMO_PASSWORD };
const CHROMIUM = process.env.XIAODIAN_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'];
export const PHONE = { viewport: { width: 375, height: 812 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true, locale: 'zh-CN' };
export const DESKTOP = { viewport: { width: 1280, height: 900 }, locale: 'zh-CN' };
export type Viewport = typeof PHONE | typeof DESKTOP;

/** Bars that are fixed on screen; laid out in the flow for full-page screenshots so they don't cover content. */
const FIXED_BARS = '.tabbar,.topbar,.buy-bar,.bulk-bar{position:static!important}';

export interface BrowserHarness {
  readonly t: PaymentsTestApp;
  readonly browser: Browser;
  /** Starts the server (demo data loaded, the clock at the real time) and the browser; gives the server. */
  start(): Promise<PaymentsTestApp>;
  stop(): Promise<void>;
  /** A browser context whose waits tolerate a busy 2-core machine. */
  context(viewport?: Viewport): Promise<BrowserContext>;
  /** A full-page screenshot under test-results/<name>/. */
  shot(page: Page, name: string): Promise<void>;
  /** Collects uncaught errors in the page (tests assert there are none). */
  watch(page: Page): string[];
  /** On failure, a screenshot of every open page says what the browser showed. */
  showingFailures(name: string, fn: () => Promise<void>): Promise<void>;
  /** Fills the sign-in form of the page: a demo account, or another one with its password. */
  signIn(page: Page, phone: string, password?: string): Promise<void>;
  /** Signs a demo account in through the API. */
  login(phone: string): Promise<{ token: string; account: string }>;
  /** Polls until `fn` gives something (the background pump runs jobs and events meanwhile). */
  until<T>(what: string, fn: () => Promise<T | undefined | false>): Promise<T>;
}

/**
 * `followWallClock`: the server's clock keeps up with the real time as the pump runs (times a
 * user types in the browser come due); without it the clock moves only when the test moves it.
 */
export function browserHarness(name: string, opts: { followWallClock?: boolean } = {}): BrowserHarness {
  const shots = join(new URL('../..', import.meta.url).pathname, 'test-results', name);
  let t: PaymentsTestApp | undefined;
  let browser: Browser | undefined;
  let pumping: ReturnType<typeof setInterval> | undefined;

  const h: BrowserHarness = {
    get t() {
      if (!t) throw new Error('browserHarness: start() first');
      return t;
    },
    get browser() {
      if (!browser) throw new Error('browserHarness: start() first');
      return browser;
    },

    async start() {
      ensureWebBuilt({ ifStale: true, quiet: true });
      mkdirSync(shots, { recursive: true });
      const app = await startPaymentsApp();
      t = app;
      app.clock.set(Date.now()); // the browser's "today" is the real one
      await seedDemo(app.ctx);
      await app.pump(); // search index, coupons …
      // outbox, jobs and sandbox notifications keep flowing while the browser works
      let busy = false;
      pumping = setInterval(() => {
        if (busy) return;
        busy = true;
        if (opts.followWallClock) app.clock.set(Math.max(Date.now(), app.clock.now()));
        app.pump().catch(() => {}).finally(() => (busy = false));
      }, 100);
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
      return app;
    },

    async stop() {
      clearInterval(pumping);
      await browser?.close();
      await t?.close();
    },

    async context(viewport = PHONE) {
      const c = await h.browser.newContext(viewport);
      c.setDefaultTimeout(60_000);
      return c;
    },

    async shot(page, shotName) {
      const style = await page.addStyleTag({ content: FIXED_BARS });
      await page.screenshot({ path: join(shots, `${shotName}.png`), fullPage: true });
      await style.evaluate((el: any) => el.remove()); // a DOM node; the DOM types are not in this tsconfig
    },

    watch(page) {
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      return errors;
    },

    async showingFailures(failName, fn) {
      try {
        await fn();
      } catch (err) {
        let i = 0;
        for (const c of h.browser.contexts()) for (const p of c.pages()) await h.shot(p, `FAILED-${failName}-${++i}`).catch(() => {});
        throw err;
      }
    },

    async signIn(page, phone, password = DEMO_PASSWORD) {
      await page.getByLabel('手机号').fill(phone);
      await page.getByLabel('密码').fill(password);
      await page.getByRole('button', { name: '登录' }).click();
    },

    async login(phone) {
      const r = await h.t.call('POST', '/api/v1/auth/login', { body: { phone, password: DEMO_PASSWORD } });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return { token: r.body.access_token as string, account: r.body.account_id as string };
    },

    async until(what, fn) {
      for (let i = 0; i < 600; i++) {
        const v = await fn();
        if (v) return v;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`timed out waiting for ${what}`);
    },
  };
  return h;
}
