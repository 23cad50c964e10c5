/** Test helpers: a listing that passes every check, to be changed one field at a time. */
import type { Finding, FindingCode, ListingInput } from './compliance.types.ts';

export function cleanListing(overrides: Partial<ListingInput> = {}): ListingInput {
  return {
    title: '夏季纯棉短袖T恤 男士圆领',
    subtitle: '透气舒适 多色可选',
    description: '<p>精选纯棉面料，柔软亲肤。</p><p>尺码：S M L XL</p>',
    attributes: { material: '纯棉', weight_g: '180' },
    brand: null,
    category: {
      required_attributes: [
        { key: 'material', label_zh: '材质', type: 'text' },
        { key: 'weight_g', label_zh: '克重', type: 'number' },
      ],
      required_qualifications: [],
    },
    store_qualifications: [],
    store_certified_brands: [],
    skus: [
      { spec: { 颜色: '白色', 尺码: 'M' }, price_minor: 5900 },
      { spec: { 颜色: '黑色', 尺码: 'L' }, price_minor: 6900 },
    ],
    ...overrides,
  };
}

export function codes(findings: readonly Finding[]): FindingCode[] {
  return findings.map((f) => f.code);
}

export function only(findings: readonly Finding[], code: FindingCode): Finding[] {
  return findings.filter((f) => f.code === code);
}
