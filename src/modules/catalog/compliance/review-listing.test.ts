import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cleanListing, codes, only } from './compliance.fixtures.ts';
import { decide, reviewListing } from './review-listing.ts';
import type { Finding } from './compliance.types.ts';

const f = (severity: Finding['severity']): Finding => ({
  code: 'absolute_claim', severity, field: 'title', message: '', message_zh: '', details: {},
});

describe('decide', () => {
  it('passes with no findings or only info findings', () => {
    assert.equal(decide([]), 'pass');
    assert.equal(decide([f('info')]), 'pass');
  });

  it('queues for review when the worst finding is review', () => {
    assert.equal(decide([f('info'), f('review')]), 'review');
  });

  it('rejects when any finding blocks', () => {
    assert.equal(decide([f('review'), f('block'), f('info')]), 'reject');
  });
});

describe('reviewListing', () => {
  it('passes a clean listing', () => {
    assert.deepEqual(reviewListing(cleanListing()), { decision: 'pass', findings: [] });
  });

  it('rejects a listing with an absolute claim in the description HTML, pointing into the HTML', () => {
    const description = '<p>全网<b>最低</b>价</p>';
    const result = reviewListing(cleanListing({ description }));
    assert.equal(result.decision, 'reject');
    const [claim] = only(result.findings, 'absolute_claim');
    assert.equal(claim.field, 'description');
    assert.deepEqual(claim.details, { word: '全网最低', matches: [{ start: 3, end: 10, text: '全网<b>最低' }] });
  });

  it('checks attribute and SKU spec values too', () => {
    const result = reviewListing(cleanListing({
      attributes: { material: '顶级纯棉', weight_g: '180' },
      skus: [{ spec: { 颜色: '加V看实拍' }, price_minor: 5900 }],
    }));
    assert.deepEqual(result.findings.map((x) => [x.code, x.field]), [
      ['absolute_claim', 'attributes.material'],
      ['contact_info', 'skus[0].spec.颜色'],
    ]);
  });

  it('queues medical claims for review in an ordinary category', () => {
    const result = reviewListing(cleanListing({ subtitle: '穿上改善睡眠 消炎止痛' }));
    assert.equal(result.decision, 'review');
    assert.deepEqual(codes(result.findings), ['medical_claim', 'medical_claim']);
  });

  it('allows efficacy wording where the category permits it', () => {
    const listing = cleanListing({ subtitle: '消炎止痛' });
    const result = reviewListing({ ...listing, category: { ...listing.category, allows_efficacy_claims: true } });
    assert.equal(result.decision, 'pass');
  });

  it('rejects a prohibited item and a missing food licence together', () => {
    const listing = cleanListing({ title: '正宗熊胆粉 养生佳品' });
    const result = reviewListing({
      ...listing,
      category: { ...listing.category, required_qualifications: ['food_business_licence'] },
    });
    assert.equal(result.decision, 'reject');
    assert.deepEqual(codes(result.findings), ['prohibited_item', 'missing_qualification']);
  });

  it('lists blocking findings before review and info ones', () => {
    const result = reviewListing(cleanListing({
      title: '连衣裙 连衣裙 连衣裙',
      skus: [{ spec: {}, price_minor: 5900, list_price_minor: 5900 }, { spec: {}, price_minor: -1 }],
    }));
    assert.deepEqual(result.findings.map((x) => x.severity), ['block', 'review', 'info']);
    assert.deepEqual(codes(result.findings), ['non_positive_price', 'keyword_stuffing', 'strikethrough_equals_price']);
  });

  it('adds deployment words through rules.extraBannedWords', () => {
    const listing = cleanListing({ subtitle: '爆款神器 透气舒适' });
    assert.equal(reviewListing(listing).decision, 'pass');
    const result = reviewListing(listing, { extraBannedWords: { absolute_claim: ['神器'] } });
    assert.equal(result.decision, 'reject');
    assert.deepEqual(only(result.findings, 'absolute_claim')[0].details.word, '神器');
  });

  it('lifts a default word through rules.extraAllowedPhrases', () => {
    const listing = cleanListing({ subtitle: '极致简约 透气舒适' });
    assert.equal(reviewListing(listing).decision, 'reject');
    assert.equal(reviewListing(listing, { extraAllowedPhrases: { absolute_claim: ['极致'] } }).decision, 'pass');
  });

  it('uses rules.knownBrands to catch another brand in the title', () => {
    const listing = cleanListing({ title: '耐克同款 透气运动短裤' });
    assert.equal(reviewListing(listing).decision, 'pass');
    const result = reviewListing(listing, { knownBrands: [{ name: 'Nike', aliases: ['耐克'] }] });
    assert.deepEqual([result.decision, ...codes(result.findings)], ['reject', 'counterfeit_brand_reference']);
  });

  it('carries English and Chinese messages on every finding', () => {
    const result = reviewListing(cleanListing({ title: '最', brand: 'X', attributes: {}, skus: [] }));
    assert.ok(result.findings.length >= 5);
    for (const x of result.findings) {
      assert.ok(x.message.length > 0 && /[\u4e00-\u9fff]/.test(x.message_zh), x.code);
    }
  });
});
