import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BrandIndex, checkBrandCertified, checkBrandMentions, effectiveBrand } from './brand-checks.ts';
import { cleanListing, codes } from './compliance.fixtures.ts';
import type { KnownBrand, ListingInput } from './compliance.types.ts';
import { compileWordList } from './phrase-match.ts';
import { textField } from './text-checks.ts';
import { COUNTERFEIT_CONTEXT_WORDS } from './word-lists.ts';

const KNOWN: KnownBrand[] = [
  { name: 'Nike', aliases: ['耐克'] },
  { name: 'Chanel', aliases: ['香奈儿'] },
  { name: 'Apple', aliases: ['iPhone'] },
];
const CONTEXT = compileWordList(COUNTERFEIT_CONTEXT_WORDS);

function mentions(listing: ListingInput) {
  const index = new BrandIndex(KNOWN, listing.store_certified_brands);
  return checkBrandMentions(listing, textField('title', listing.title), index, CONTEXT);
}

function certified(listing: ListingInput) {
  return checkBrandCertified(listing, new BrandIndex(KNOWN, listing.store_certified_brands));
}

describe('brand certification', () => {
  it('accepts a brand the store is certified for, under any known spelling', () => {
    assert.deepEqual(certified(cleanListing({ brand: '耐克', store_certified_brands: ['NIKE'] })), []);
    assert.deepEqual(certified(cleanListing({ brand: 'ｎｉｋｅ', store_certified_brands: ['Nike'] })), []);
  });

  it('accepts a listing with no brand or a "no brand" placeholder', () => {
    assert.deepEqual(certified(cleanListing({ brand: null })), []);
    assert.deepEqual(certified(cleanListing({ brand: '无品牌' })), []);
    assert.equal(effectiveBrand('  '), null);
  });

  it('blocks a brand the store is not certified for', () => {
    const found = certified(cleanListing({ brand: '香奈儿', store_certified_brands: ['Nike'] }));
    assert.deepEqual(found.map((f) => [f.code, f.severity, f.field, f.details.brand]), [['brand_not_certified', 'block', 'brand', '香奈儿']]);
  });

  it('blocks an unknown brand that is not on the store list', () => {
    assert.deepEqual(codes(certified(cleanListing({ brand: '小店自造', store_certified_brands: ['别家'] }))), ['brand_not_certified']);
  });
});

describe('other brands in the title', () => {
  it('accepts the listing own brand in its title', () => {
    const listing = cleanListing({ title: 'Nike 耐克 正品运动鞋', brand: 'Nike', store_certified_brands: ['Nike'] });
    assert.deepEqual(mentions(listing), []);
  });

  it('accepts 同款 without another brand name ("明星同款")', () => {
    assert.deepEqual(mentions(cleanListing({ title: '明星同款 纯棉短袖T恤' })), []);
  });

  it('blocks another brand next to a counterfeit hint, with offsets of both', () => {
    const [f] = mentions(cleanListing({ title: '香奈儿同款 小香风外套' }));
    assert.deepEqual([f.code, f.severity, f.field, f.details.brand], ['counterfeit_brand_reference', 'block', 'title', '香奈儿']);
    assert.deepEqual(f.details.matches, [{ start: 0, end: 3, text: '香奈儿' }]);
    assert.deepEqual(f.details.hints, [{ word: '同款', start: 3, end: 5, text: '同款' }]);
  });

  it('blocks when the hint names a brand other than the listing own brand', () => {
    const listing = cleanListing({ title: 'Nike 平替 ＣＨＡＮＥＬ风', brand: 'Nike', store_certified_brands: ['Nike'] });
    assert.deepEqual(codes(mentions(listing)), ['counterfeit_brand_reference']);
  });

  it('sends a bare mention of another brand to review', () => {
    assert.deepEqual(codes(mentions(cleanListing({ title: '耐克风格 运动短裤' }))), ['foreign_brand_mention']);
  });

  it('notes an accessory compatibility mention as info only', () => {
    const found = mentions(cleanListing({ title: '手机壳 适用于iPhone 15 防摔' }));
    assert.deepEqual(found.map((f) => [f.code, f.severity]), [['compatibility_brand_mention', 'info']]);
  });

  it('reports a brand once even when named by two spellings', () => {
    assert.equal(mentions(cleanListing({ title: 'Nike耐克风 运动短裤' })).length, 1);
  });

  it('looks for the store certified brands too, without needing a known-brand list', () => {
    const listing = cleanListing({ title: '某某牌同款 保温杯', store_certified_brands: ['某某牌'] });
    const found = checkBrandMentions(listing, textField('title', listing.title), new BrandIndex([], listing.store_certified_brands), CONTEXT);
    assert.deepEqual(codes(found), ['counterfeit_brand_reference']);
  });
});
