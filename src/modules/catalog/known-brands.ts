import type { KnownBrand } from './compliance/index.ts';

/**
 * Well-known brands whose names in a title need the listing to be of that brand (or an
 * accessory "适用于 …"). Certified brands of the store itself are added per review. A
 * deployment extends this through `createCatalogModule({ reviewRules })`.
 */
export const DEFAULT_KNOWN_BRANDS: readonly KnownBrand[] = [
  { name: 'Apple', aliases: ['苹果', 'iPhone', 'iPad', 'MacBook', 'AirPods'] },
  { name: '华为', aliases: ['Huawei', 'HUAWEI'] },
  { name: '小米', aliases: ['Xiaomi', 'MI'] },
  { name: 'OPPO' },
  { name: 'vivo' },
  { name: '耐克', aliases: ['Nike'] },
  { name: '阿迪达斯', aliases: ['Adidas'] },
  { name: '李宁', aliases: ['Li-Ning', 'LINING'] },
  { name: '安踏', aliases: ['ANTA'] },
  { name: '香奈儿', aliases: ['Chanel'] },
  { name: '迪奥', aliases: ['Dior'] },
  { name: '古驰', aliases: ['Gucci'] },
  { name: '路易威登', aliases: ['LV', 'Louis Vuitton'] },
  { name: '雅诗兰黛', aliases: ['Estee Lauder'] },
  { name: '兰蔻', aliases: ['Lancome', 'Lancôme'] },
  { name: '戴森', aliases: ['Dyson'] },
  { name: '茅台', aliases: ['Moutai'] },
  { name: '五粮液' },
];
