import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DAY_MS } from '../../lib/clock.ts';
import { categoryProblems, feeRateFor, NEW_STORE_GMV_CAP_MINOR } from './category-rules.ts';

const opened = Date.UTC(2026, 10, 1);
const leaf = (over: Record<string, unknown> = {}) => ({ code: 'apparel.women', is_leaf: true, fee_rate_bp: 500, deposit_minor: 0, required_attributes: [], required_qualifications: [], ...over });

describe('feeRateFor', () => {
  it('charges a new store 1% during its first 30 days while its GMV is under ¥1,000,000', () => {
    assert.equal(feeRateFor({ opened_at_ms: opened, gmv_minor: 0 }, { fee_rate_bp: 500 }, opened), 100);
    assert.equal(feeRateFor({ opened_at_ms: opened, gmv_minor: NEW_STORE_GMV_CAP_MINOR - 1 }, { fee_rate_bp: 500 }, opened + 30 * DAY_MS - 1), 100);
  });
  it('charges the category rate from day 30, or once GMV reaches ¥1,000,000', () => {
    assert.equal(feeRateFor({ opened_at_ms: opened, gmv_minor: 0 }, { fee_rate_bp: 500 }, opened + 30 * DAY_MS), 500);
    assert.equal(feeRateFor({ opened_at_ms: opened, gmv_minor: NEW_STORE_GMV_CAP_MINOR }, { fee_rate_bp: 250 }, opened + DAY_MS), 250);
  });
  it('never raises a category rate below 1%, and a store not yet open pays the category rate', () => {
    assert.equal(feeRateFor({ opened_at_ms: opened, gmv_minor: 0 }, { fee_rate_bp: 60 }, opened + DAY_MS), 60);
    assert.equal(feeRateFor({ opened_at_ms: null, gmv_minor: 0 }, { fee_rate_bp: 300 }, opened), 300);
  });
});

describe('categoryProblems', () => {
  it('accepts a leaf on a fee tier with well-formed attributes and qualifications', () => {
    for (const fee of [100, 200, 250, 300, 400, 500]) assert.deepEqual(categoryProblems(leaf({ fee_rate_bp: fee })), []);
    assert.deepEqual(categoryProblems(leaf({ required_attributes: [{ key: '材质', label_zh: '材质', type: 'enum', options: ['棉', '麻'] }], required_qualifications: ['food_license'] })), []);
  });
  it('rejects a leaf fee off the tiers, but a branch carries no fee rule', () => {
    assert.deepEqual(categoryProblems(leaf({ fee_rate_bp: 350 })).map((p) => p.code), ['invalid_fee_rate']);
    assert.deepEqual(categoryProblems(leaf({ is_leaf: false, fee_rate_bp: 0 })), []);
  });
  it('rejects duplicate attributes, enums without options, bad qualification codes and negative deposits', () => {
    const codes = categoryProblems(leaf({
      deposit_minor: -1,
      required_attributes: [{ key: 'a', label_zh: 'A', type: 'text' }, { key: 'a', label_zh: 'A', type: 'enum', options: [] }],
      required_qualifications: ['Food License'],
    })).map((p) => p.code);
    assert.deepEqual(codes, ['invalid_deposit', 'duplicate_attribute', 'invalid_enum_options', 'invalid_qualification_code']);
  });
});
