import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lastTouchWithin, pickAttribution, type LineAttribution, type Touch } from './attribution-rule.ts';

const none: LineAttribution = { channel: 'direct', content_id: null, creator_id: null, campaign_id: null, share_chain: [] };
const shareTouch: Touch = { channel: 'share', content_id: 'cnt_A', creator_id: 'acc_creator', share_chain: ['acc_a', 'acc_b'], at: 1000 };
const H = 3_600_000;

test('no claim: the last touch decides', () => {
  assert.deepEqual(pickAttribution(none, null, shareTouch), { channel: 'share', content_id: 'cnt_A', creator_id: 'acc_creator', campaign_id: null, share_chain: ['acc_a', 'acc_b'] });
});

test('no claim and no touch: direct', () => {
  assert.deepEqual(pickAttribution(none, null, null), none);
});

test('an unverified claim is ignored; a label channel survives only without a touch', () => {
  const forged: LineAttribution = { channel: 'video', content_id: 'cnt_X', creator_id: 'acc_me', campaign_id: null, share_chain: ['acc_me'] };
  assert.deepEqual(pickAttribution(forged, null, null), none);
  const search: LineAttribution = { ...none, channel: 'search' };
  assert.equal(pickAttribution(search, null, null).channel, 'search');
  assert.equal(pickAttribution(search, null, shareTouch).channel, 'share');
});

test('a verified claim is the newest touch, unless the touch is of the same content (keeps its share chain)', () => {
  const claim: LineAttribution = { channel: 'video', content_id: 'cnt_B', creator_id: null, campaign_id: 'cmp_1', share_chain: [] };
  assert.deepEqual(pickAttribution(claim, claim, shareTouch), claim);
  const same = { ...claim, content_id: 'cnt_A' };
  assert.deepEqual(pickAttribution(same, same, shareTouch), { channel: 'share', content_id: 'cnt_A', creator_id: 'acc_creator', campaign_id: 'cmp_1', share_chain: ['acc_a', 'acc_b'] });
});

test('the window: touches older than it or in the future do not count; the latest wins', () => {
  const ts = [{ ...shareTouch, at: 0 }, { ...shareTouch, at: 10 * H, channel: 'video' as const }, { ...shareTouch, at: 30 * H }];
  assert.equal(lastTouchWithin(ts, 20 * H, 24 * H)?.channel, 'video');
  assert.equal(lastTouchWithin(ts, 35 * H, 24 * H)?.at, 30 * H);
  assert.equal(lastTouchWithin(ts.slice(0, 1), 24 * H + 1, 24 * H), null);
});
