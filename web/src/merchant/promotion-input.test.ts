import { test } from 'node:test';
import assert from 'node:assert/strict';
import { couponBody, couponDraft, flashBody, flashDraft, fromLocalInput, parseZhe, thresholdBody, thresholdDraft, toLocalInput } from './promotion-input.ts';

const NOW = Date.parse('2025-06-01T10:00:00Z');

test('折 is what the buyer pays, in basis points; anything else is not a rate', () => {
  assert.equal(parseZhe('8.5'), 8500);
  assert.equal(parseZhe('8'), 8000);
  assert.equal(parseZhe('9.99折'), 9990);
  for (const s of ['0', '10', '8.555', '', 'abc', '-1']) assert.equal(parseZhe(s), null, s);
});

test('a datetime-local round-trips to the minute in the person\'s own time', () => {
  const v = toLocalInput(NOW + 42_000);
  assert.match(v, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
  assert.equal(fromLocalInput(v), NOW);
  assert.equal(fromLocalInput(''), null);
});

test('a 满减 coupon typed in yuan goes out in fen with its validity; a missing threshold is caught before sending', () => {
  const d = { ...couponDraft(NOW), name: ' 店庆券 ', threshold: '100', off: '9.9', total: '200', limit: '2' };
  assert.deepEqual(couponBody(d), {
    name: '店庆券', kind: 'threshold', off_minor: 990, threshold_minor: 10_000, valid_from: new Date(NOW).toISOString(), valid_to: new Date(NOW + 7 * 86_400_000).toISOString(),
    total_quantity: 200, per_buyer_limit: 2,
  });
  assert.deepEqual(couponBody({ ...d, threshold: '' }), { bad: 'm.cpn.badThreshold' });
  const fixed = couponBody({ ...d, kind: 'fixed', threshold: '' });
  assert.ok(!('bad' in fixed) && fixed.kind === 'fixed' && fixed.off_minor === 990 && !('threshold_minor' in fixed));
  assert.deepEqual(couponBody({ ...d, off: '1.234' }), { bad: 'm.cpn.badOff' });
  assert.deepEqual(couponBody({ ...d, to: d.from }), { bad: 'm.promo.badWindow' });
});

test('a 折扣券 sends its rate and optional threshold and cap, never an amount off', () => {
  const body = couponBody({ ...couponDraft(NOW), name: '夏日8折', kind: 'percent', rate: '8', cap: '50', off: '10' });
  assert.ok(!('bad' in body));
  assert.equal(body.pay_rate_bp, 8000);
  assert.equal(body.cap_minor, 5000);
  assert.equal(body.off_minor, undefined);
  assert.equal(body.threshold_minor, undefined);
});

test('满减 tiers and 每满 go out in fen; a saved rule comes back as typed', () => {
  const tiers = { ...thresholdDraft(NOW), name: '满减', tiers: [{ threshold: '200', off: '20' }, { threshold: '400', off: '50.5' }] };
  const body = thresholdBody(tiers);
  assert.ok(!('bad' in body));
  assert.deepEqual(body.rule, { kind: 'tiers', tiers: [{ threshold_minor: 20_000, off_minor: 2_000 }, { threshold_minor: 40_000, off_minor: 5_050 }] });
  assert.deepEqual(thresholdDraft(NOW, { ...body, name: '满减' }).tiers, [{ threshold: '200', off: '20' }, { threshold: '400', off: '50.50' }]);
  assert.deepEqual(thresholdBody({ ...tiers, tiers: [{ threshold: '200', off: '' }] }), { bad: 'm.thr.badTier' });
  const every = thresholdBody({ ...tiers, kind: 'every', step: '100', off: '10', cap: '' });
  assert.ok(!('bad' in every));
  assert.deepEqual(every.rule, { kind: 'every', step_minor: 10_000, off_minor: 1_000 });
});

test('a flash sale sends price, stock, an optional limit and its window; the price band is left to the server', () => {
  const d = { ...flashDraft(NOW), price: '399', stock: '50', limit: '' };
  assert.deepEqual(flashBody(d), { price_minor: 39_900, flash_stock: 50, limit_per_buyer: null, starts_at: new Date(NOW).toISOString(), ends_at: new Date(NOW + 7_200_000).toISOString() });
  assert.equal((flashBody({ ...d, price: '498' }) as { price_minor: number }).price_minor, 49_800);
  assert.deepEqual(flashBody({ ...d, stock: '0' }), { bad: 'm.fls.badStock' });
  assert.deepEqual(flashBody({ ...d, limit: '1.5' }), { bad: 'm.fls.badLimit' });
});
