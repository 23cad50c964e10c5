import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maxCampaignPrice, registrationProblems, type RegistrationFacts } from './eligibility.ts';

const facts = (o: Partial<RegistrationFacts> = {}): RegistrationFacts => ({
  store: { subject_type: 'enterprise', score: 90, may_sell: true },
  sku: { on_sale: true, category_id: 'cat_leaf', parent_category_id: 'cat_root', price_minor: 10000 },
  low_30d_minor: 9000, available: 50, campaign_price_minor: 8000, campaign_stock: 20, ...o,
});
const rules = { store_types: ['enterprise' as const], min_store_score: 80, category_ids: ['cat_root'], min_discount_bp: 1000, min_stock: 10 };

test('a SKU 10% below its 30-day low passes every rule (a parent category counts)', () => {
  assert.equal(maxCampaignPrice(9000, 1000), 8100);
  assert.deepEqual(registrationProblems(rules, facts()), []);
});

test('a fake discount (price raised then "cut") is refused against the 30-day low, explained in Chinese', () => {
  // list price raised to ¥120 two days ago, "campaign price" ¥99 — but it sold at ¥90 within 30 days
  const p = registrationProblems(rules, facts({ sku: { on_sale: true, category_id: 'cat_leaf', parent_category_id: null, price_minor: 12000 }, campaign_price_minor: 9900 }));
  assert.deepEqual(p.map((x) => x.code), ['category_not_allowed', 'discount_not_real']);
  assert.match(p[1].message_zh, /近30天最低价¥90\.00至少低10%，即不高于¥81\.00/);
  assert.equal(p[1].details!.max_campaign_price_minor, 8100);
});

test('every failed rule at once: store type, score, stock minimum and stock over available', () => {
  const p = registrationProblems(rules, facts({ store: { subject_type: 'individual', score: 70, may_sell: true }, campaign_stock: 60 }));
  assert.deepEqual(p.map((x) => x.code), ['store_type_not_allowed', 'store_score_too_low', 'stock_exceeds_available']);
  assert.deepEqual(registrationProblems(rules, facts({ campaign_stock: 5 })).map((x) => x.code), ['stock_below_minimum']);
});

test('a per-buyer limit at the campaign price is a whole number of units, at least 1', () => {
  assert.deepEqual(registrationProblems(rules, facts({ limit_per_buyer: 2 })), []);
  assert.deepEqual(registrationProblems(rules, facts({ limit_per_buyer: null })), []);
  assert.deepEqual(registrationProblems(rules, facts({ limit_per_buyer: 0 })).map((x) => x.code), ['invalid_limit_per_buyer']);
  assert.deepEqual(registrationProblems(rules, facts({ limit_per_buyer: 1.5 })).map((x) => x.code), ['invalid_limit_per_buyer']);
});
