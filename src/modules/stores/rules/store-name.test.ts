import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DAY_MS } from '../../../lib/clock.ts';
import { renameAllowed, validateStoreName, type StoreNameInput } from './store-name.ts';

const base: StoreNameInput = { name: '星河小铺', certification: null, tradeName: '星河', bannedWords: ['赌博', 'casino'] };
const withName = (name: string, extra: Partial<StoreNameInput> = {}) => validateStoreName({ ...base, ...extra, name });
const owned = { badge: 'brand_owned' as const, brandNames: ['耐克', 'Nike'] };
const authorized = { badge: 'brand_authorized' as const, brandNames: ['耐克'] };
const codeOf = (r: { ok: true } | { ok: false; code: string }) => (r.ok ? 'ok' : r.code);

test('accepts an ordinary name and returns display name and unique key', () => {
  assert.deepEqual(withName('  Star River  星河小铺 '), {
    ok: true,
    value: { display_name: 'Star River 星河小铺', unique_key: 'star river 星河小铺' },
  });
});

test('accepts names of exactly 2 and 30 characters', () => {
  assert.equal(codeOf(withName('星河')), 'ok');
  assert.equal(codeOf(withName('星'.repeat(30))), 'ok');
});

test('rejects names shorter than 2 or longer than 30 characters after trimming', () => {
  const short = withName('  星  ');
  assert.equal(codeOf(short), 'name_length');
  assert.deepEqual(!short.ok && short.details, { length: 1, min: 2, max: 30 });
  assert.equal(codeOf(withName('星'.repeat(31))), 'name_length');
});

test('rejects emoji, including flags and keycaps', () => {
  for (const name of ['星河🔥小铺', '星河🇨🇳', '星河1️⃣店', '星河❤小铺']) {
    assert.equal(codeOf(withName(name)), 'name_has_emoji', name);
  }
});

test('rejects control and invisible characters', () => {
  const zwsp = withName('星河\u200B小铺');
  assert.equal(codeOf(zwsp), 'name_has_control_char');
  assert.deepEqual(!zwsp.ok && zwsp.details, { code_point: 'U+200B' });
  assert.equal(codeOf(withName('星河\n小铺')), 'name_has_control_char');
  assert.equal(codeOf(withName('星河\u202E小铺')), 'name_has_control_char');
});

test('rejects banned words anywhere, ignoring case, spacing and punctuation', () => {
  for (const name of ['星河赌博', '星河 赌 博 小铺', '星河赌-博', 'CASINO星河', 'Ca Si No 星河']) {
    const r = withName(name);
    assert.equal(codeOf(r), 'name_uses_banned_word', name);
  }
  const r = withName('星河 赌 博 小铺');
  assert.deepEqual(!r.ok && r.details, { word: '赌博', matched: '赌 博' });
  assert.equal(!r.ok && r.message_zh, '店铺名称包含禁用词“赌博”。');
});

test('banned words apply to certified stores too', () => {
  assert.equal(codeOf(withName('耐克赌博旗舰店', { certification: owned })), 'name_uses_banned_word');
});

test('rejects reserved words for stores without brand certification', () => {
  for (const [name, word] of [
    ['星河旗舰店', '旗舰'],
    ['星河官 方小铺', '官方'],
    ['星河官方授权店', '官方授权'],
    ['星河特许经营', '特许经营'],
    ['星河专卖', '专卖'],
    ['星河專賣店', '專賣'],
    ['Star Official Shop', 'official'],
  ]) {
    const r = withName(name);
    assert.equal(codeOf(r), 'name_uses_reserved_word', name);
    assert.equal(!r.ok && (r.details as { word: string }).word, word, name);
  }
});

test('rejects a certified brand the store does not hold', () => {
  const r = withName('Nike 潮流小铺', { protectedBrands: ['Nike', '阿迪达斯'] });
  assert.equal(codeOf(r), 'name_uses_protected_brand');
  assert.deepEqual(!r.ok && r.details, { brand: 'Nike', matched: 'nike' });
  assert.equal(codeOf(withName('星河阿迪 达斯小铺', { protectedBrands: ['Nike', '阿迪达斯'] })), 'name_uses_protected_brand');
  // a Latin brand inside a longer word is not that brand
  assert.equal(codeOf(withName('Nikeland 潮玩', { protectedBrands: ['Nike'] })), 'ok');
});

test('brand-owned store: brand alone or brand plus an owned suffix', () => {
  for (const name of ['耐克', '耐克官方旗舰店', '耐克旗舰店', '耐克自营店', 'Nike 官方旗舰店', 'NIKE旗舰店', 'ｎｉｋｅ官方店']) {
    assert.equal(codeOf(withName(name, { certification: owned })), 'ok', name);
  }
});

test('brand-owned store: rejects a suffix outside the list', () => {
  const r = withName('耐克星河专卖店', { certification: owned });
  assert.equal(codeOf(r), 'name_suffix_not_allowed');
  assert.deepEqual(!r.ok && (r.details as { found: string }).found, '星河专卖店');
  assert.equal(codeOf(withName('Nikeland旗舰店', { certification: owned })), 'name_suffix_not_allowed');
});

test('brand-certified store: rejects a name that does not begin with a certified brand', () => {
  const r = withName('阿迪达斯旗舰店', { certification: owned });
  assert.equal(codeOf(r), 'name_brand_missing');
  assert.deepEqual(!r.ok && r.details, { brands: ['耐克', 'Nike'] });
  assert.equal(codeOf(withName('星河耐克专卖店', { certification: authorized })), 'name_brand_missing');
});

test('brand-authorised store: brand + at least 2 adjacent trade-name chars + suffix', () => {
  const cert = { certification: authorized, tradeName: '星河宇宙' };
  for (const name of ['耐克星河专卖店', '耐克河宇专营店', '耐克星河宇宙授权专卖店', '耐克 星河 授权店']) {
    assert.equal(codeOf(withName(name, cert)), 'ok', name);
  }
});

test('brand-authorised store: rejects a missing, too short or non-adjacent trade name', () => {
  const cert = { certification: authorized, tradeName: '星河宇宙' };
  for (const name of ['耐克专卖店', '耐克星专卖店', '耐克星宇专卖店', '耐克银河专卖店']) {
    const r = withName(name, cert);
    assert.equal(codeOf(r), 'name_trade_name_missing', name);
  }
  const r = withName('耐克星专卖店', cert);
  assert.deepEqual(!r.ok && r.details, { trade_name: '星河宇宙', found: '星', min_chars: 2 });
});

test('brand-authorised store: rejects a missing or flagship suffix', () => {
  const cert = { certification: authorized };
  assert.equal(codeOf(withName('耐克星河', cert)), 'name_suffix_not_allowed');
  assert.equal(codeOf(withName('耐克星河旗舰店', cert)), 'name_suffix_not_allowed');
});

const YEAR = 365 * DAY_MS;
const NOW = Date.UTC(2026, 10, 11);

test('allows renames while fewer than 2 happened in the last 365 days', () => {
  assert.deepEqual(renameAllowed([], NOW), { ok: true, value: { remaining: 2 } });
  assert.deepEqual(renameAllowed([NOW - 10 * DAY_MS], NOW), { ok: true, value: { remaining: 1 } });
  // older renames have aged out
  assert.deepEqual(renameAllowed([NOW - YEAR, NOW - 400 * DAY_MS, NOW - 5 * DAY_MS], NOW), { ok: true, value: { remaining: 1 } });
});

test('blocks a third rename and says when the next one is allowed', () => {
  const first = NOW - 200 * DAY_MS;
  const second = NOW - 20 * DAY_MS;
  const r = renameAllowed([second, first], NOW);
  assert.equal(codeOf(r), 'rename_limit_reached');
  assert.deepEqual(!r.ok && r.details, { next_allowed_at_ms: first + YEAR, max_renames: 2, period_ms: YEAR });
  // at that moment the oldest rename has left the window
  assert.equal(renameAllowed([second, first], first + YEAR).ok, true);
  assert.equal(renameAllowed([second, first], first + YEAR - 1).ok, false);
});

test('with more renames than the limit, waits for enough of them to age out', () => {
  const times = [NOW - 300 * DAY_MS, NOW - 100 * DAY_MS, NOW - 1 * DAY_MS];
  const r = renameAllowed(times, NOW);
  assert.deepEqual(!r.ok && (r.details as { next_allowed_at_ms: number }).next_allowed_at_ms, NOW - 100 * DAY_MS + YEAR);
});

test('honours a custom policy', () => {
  assert.equal(renameAllowed([NOW - 2 * DAY_MS], NOW, { maxRenames: 1, periodMs: 30 * DAY_MS }).ok, false);
  assert.equal(renameAllowed([NOW - 31 * DAY_MS], NOW, { maxRenames: 1, periodMs: 30 * DAY_MS }).ok, true);
  assert.throws(() => renameAllowed([], NOW, { maxRenames: 0, periodMs: YEAR }));
});
