import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DAY_MS } from '../../../lib/clock.ts';
import {
  checkBadgeEligibility,
  decideBrandBadge,
  validateAuthorizationChain,
  validateTrademark,
  type AuthorizationLink,
  type BadgeApplication,
  type TrademarkRecord,
} from './brand-limits.ts';

const NOW = Date.UTC(2026, 10, 11);
const YEAR = 365 * DAY_MS;
const codeOf = (r: { ok: true } | { ok: false; code: string }) => (r.ok ? 'ok' : r.code);

const trademark: TrademarkRecord = { registration_number: '12345678', nice_class: 25, status: 'R', valid_from_ms: NOW - 2 * YEAR, valid_to_ms: NOW + 8 * YEAR };
const link = (licensor_id: string, licensee_id: string, over: Partial<AuthorizationLink> = {}): AuthorizationLink => ({
  licensor_id,
  licensee_id,
  exclusive: false,
  valid_from_ms: NOW - YEAR,
  valid_to_ms: NOW + YEAR,
  ...over,
});
const noneHeld = { brandOwnedStoresForBrand: 0, companyAuthorizedStoresForBrand: 0 };

test('accepts a registered or filed trademark in force', () => {
  assert.deepEqual(validateTrademark(trademark, NOW), { ok: true, value: { expires_at_ms: trademark.valid_to_ms } });
  assert.equal(codeOf(validateTrademark({ ...trademark, status: 'TM', registration_number: '1', nice_class: 45 }, NOW)), 'ok');
  assert.equal(codeOf(validateTrademark({ ...trademark, registration_number: '123456789012', nice_class: 1 }, NOW)), 'ok');
});

test('rejects malformed registration numbers', () => {
  for (const n of ['', '1234567890123', '12a45', ' 123', 'G123']) {
    assert.equal(codeOf(validateTrademark({ ...trademark, registration_number: n }, NOW)), 'trademark_registration_number', n);
  }
});

test('rejects a Nice class outside 1–45', () => {
  for (const c of [0, 46, 2.5, Number.NaN]) {
    assert.equal(codeOf(validateTrademark({ ...trademark, nice_class: c }, NOW)), 'trademark_nice_class', String(c));
  }
});

test('rejects an unknown status', () => {
  assert.equal(codeOf(validateTrademark({ ...trademark, status: 'pending' as never }, NOW)), 'trademark_status');
});

test('rejects a validity window that ends before it starts', () => {
  assert.equal(codeOf(validateTrademark({ ...trademark, valid_from_ms: NOW, valid_to_ms: NOW }, NOW)), 'trademark_validity_window');
});

test('rejects a trademark not yet in force or expired at nowMs', () => {
  assert.equal(codeOf(validateTrademark({ ...trademark, valid_from_ms: NOW + 1 }, NOW)), 'trademark_not_yet_valid');
  assert.equal(codeOf(validateTrademark({ ...trademark, valid_to_ms: NOW }, NOW)), 'trademark_expired');
  assert.equal(codeOf(validateTrademark({ ...trademark, valid_to_ms: NOW + 1 }, NOW)), 'ok');
});

test('an empty chain means the holder is the owner', () => {
  assert.deepEqual(validateAuthorizationChain('owner', [], NOW), {
    ok: true,
    value: { level: 0, holder_id: 'owner', exclusive: true, earliest_expiry_ms: null },
  });
});

test('a valid chain reports its level, holder and earliest expiry', () => {
  const r = validateAuthorizationChain('owner', [link('owner', 'a', { valid_to_ms: NOW + 3 * YEAR }), link('a', 'b', { exclusive: true, valid_to_ms: NOW + 40 * DAY_MS })], NOW);
  assert.deepEqual(r, { ok: true, value: { level: 2, holder_id: 'b', exclusive: true, earliest_expiry_ms: NOW + 40 * DAY_MS } });
});

test('rejects a chain that does not start with the owner', () => {
  assert.equal(codeOf(validateAuthorizationChain('owner', [link('someone', 'a')], NOW)), 'chain_not_from_owner');
});

test('rejects a chain where a licensor is not the previous licensee', () => {
  const r = validateAuthorizationChain('owner', [link('owner', 'a'), link('x', 'b')], NOW);
  assert.equal(codeOf(r), 'chain_broken');
  assert.deepEqual(!r.ok && r.details, { level: 2, expected_licensor_id: 'a', licensor_id: 'x' });
});

test('rejects a chain that loops back', () => {
  assert.equal(codeOf(validateAuthorizationChain('owner', [link('owner', 'a'), link('a', 'owner')], NOW)), 'chain_cycle');
});

test('the chain is valid only if every link is in force', () => {
  assert.equal(codeOf(validateAuthorizationChain('owner', [link('owner', 'a'), link('a', 'b', { valid_to_ms: NOW })], NOW)), 'chain_link_expired');
  assert.equal(codeOf(validateAuthorizationChain('owner', [link('owner', 'a', { valid_from_ms: NOW + 1 }), link('a', 'b')], NOW)), 'chain_link_not_yet_valid');
  assert.equal(codeOf(validateAuthorizationChain('owner', [link('owner', 'a', { valid_from_ms: NOW, valid_to_ms: NOW - 1 })], NOW)), 'chain_link_window');
});

test('brand-owned: the owner and a first-level exclusive licensee qualify', () => {
  assert.equal(codeOf(checkBadgeEligibility('brand_owned', { level: 0, exclusive: true }, noneHeld)), 'ok');
  assert.equal(codeOf(checkBadgeEligibility('brand_owned', { level: 1, exclusive: true }, noneHeld)), 'ok');
});

test('brand-owned: non-exclusive and sub-licensees do not', () => {
  assert.equal(codeOf(checkBadgeEligibility('brand_owned', { level: 1, exclusive: false }, noneHeld)), 'badge_owned_requires_owner_or_exclusive_licensee');
  assert.equal(codeOf(checkBadgeEligibility('brand_owned', { level: 2, exclusive: true }, noneHeld)), 'badge_owned_requires_owner_or_exclusive_licensee');
});

test('brand-owned: at most 5 stores per brand platform-wide', () => {
  const owner = { level: 0, exclusive: true };
  assert.equal(codeOf(checkBadgeEligibility('brand_owned', owner, { ...noneHeld, brandOwnedStoresForBrand: 4 })), 'ok');
  const r = checkBadgeEligibility('brand_owned', owner, { ...noneHeld, brandOwnedStoresForBrand: 5 });
  assert.equal(codeOf(r), 'badge_owned_brand_limit');
  assert.deepEqual(!r.ok && r.details, { current: 5, max: 5 });
});

test('brand-authorised: first-level licensees qualify, exclusive or not', () => {
  assert.equal(codeOf(checkBadgeEligibility('brand_authorized', { level: 1, exclusive: false }, noneHeld)), 'ok');
  assert.equal(codeOf(checkBadgeEligibility('brand_authorized', { level: 1, exclusive: true }, noneHeld)), 'ok');
});

test('brand-authorised: owners and sub-licensees are refused', () => {
  const owner = checkBadgeEligibility('brand_authorized', { level: 0, exclusive: true }, noneHeld);
  assert.equal(codeOf(owner), 'badge_authorized_requires_first_level_licensee');
  assert.match(!owner.ok ? owner.message_zh : '', /品牌自营/);
  assert.equal(codeOf(checkBadgeEligibility('brand_authorized', { level: 2, exclusive: false }, noneHeld)), 'badge_authorized_requires_first_level_licensee');
});

test('brand-authorised: at most 1 store per company per brand', () => {
  const r = checkBadgeEligibility('brand_authorized', { level: 1, exclusive: false }, { ...noneHeld, companyAuthorizedStoresForBrand: 1 });
  assert.equal(codeOf(r), 'badge_authorized_company_limit');
});

const application: BadgeApplication = {
  badge: 'brand_authorized',
  applicantId: 'xinghe',
  trademark,
  trademarkOwnerId: 'nike',
  links: [link('nike', 'xinghe', { valid_to_ms: NOW + 100 * DAY_MS })],
  counts: noneHeld,
  nowMs: NOW,
};

test('decideBrandBadge grants and expires with the earliest of trademark and chain', () => {
  assert.deepEqual(decideBrandBadge(application), { ok: true, value: { level: 1, expires_at_ms: NOW + 100 * DAY_MS } });
  const ownerApp = { ...application, badge: 'brand_owned' as const, applicantId: 'nike', links: [] };
  assert.deepEqual(decideBrandBadge(ownerApp), { ok: true, value: { level: 0, expires_at_ms: trademark.valid_to_ms } });
});

test('decideBrandBadge refuses when the chain ends at another company', () => {
  assert.equal(codeOf(decideBrandBadge({ ...application, applicantId: 'someone_else' })), 'chain_not_to_applicant');
  assert.equal(codeOf(decideBrandBadge({ ...application, links: [] })), 'chain_not_to_applicant');
});

test('decideBrandBadge passes on the first failing check', () => {
  assert.equal(codeOf(decideBrandBadge({ ...application, trademark: { ...trademark, valid_to_ms: NOW } })), 'trademark_expired');
  assert.equal(codeOf(decideBrandBadge({ ...application, links: [link('nike', 'xinghe', { valid_to_ms: NOW - 1 })] })), 'chain_link_expired');
  assert.equal(codeOf(decideBrandBadge({ ...application, counts: { ...noneHeld, companyAuthorizedStoresForBrand: 1 } })), 'badge_authorized_company_limit');
});
