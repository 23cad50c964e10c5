import type { AppContext } from './wire.ts';
import { hashPassword } from '../modules/identity/index.ts';
import type { Category } from '../modules/catalog/index.ts';
import { createListing } from '../flows/create-listing.ts';
import { demoResidentId, demoUscc, onboardDemoStore, type DemoStoreSpec } from './seed-stores.ts';
import { seedDemoPromotions } from './seed-promotions.ts';
import { seedDemoAffiliate } from './seed-affiliate.ts';
import { seedDemoCampaign } from './seed-campaigns.ts';
import { seedDemoContent } from './seed-content.ts';

export const DEMO_PASSWORD = 'xiaodian123';

export interface DemoLogin {
  who: string;
  phone: string;
  password: string;
}

type CategorySeed = Omit<Category, 'id' | 'parent_id'> & { children?: CategorySeed[] };

const leaf = (code: string, name_zh: string, name_en: string, fee_rate_bp: number, extra: Partial<CategorySeed> = {}): CategorySeed => ({
  code, name_zh, name_en, is_leaf: true, fee_rate_bp, deposit_minor: 0, required_attributes: [], required_qualifications: [],
  no_reason_return_7d: true, shipping_insurance: true, ...extra,
});
const branch = (code: string, name_zh: string, name_en: string, children: CategorySeed[]): CategorySeed => ({ ...leaf(code, name_zh, name_en, 0), is_leaf: false, children });

const CATEGORIES: CategorySeed[] = [
  branch('digital', '数码', 'Electronics', [
    leaf('digital.phone', '手机', 'Mobile phones', 200, { required_attributes: [{ key: '品牌', label_zh: '品牌', type: 'text' }, { key: '型号', label_zh: '型号', type: 'text' }], deposit_minor: 1_000_000 }),
    leaf('digital.audio', '耳机音箱', 'Audio', 200),
  ]),
  branch('apparel', '服饰', 'Apparel', [
    leaf('apparel.women', '女装', "Women's clothing", 500, { required_attributes: [{ key: '材质', label_zh: '材质', type: 'text' }] }),
    leaf('apparel.shoes', '鞋靴', 'Shoes', 500),
  ]),
  branch('food', '食品', 'Food', [
    leaf('food.tea', '茶叶', 'Tea', 300, { required_qualifications: ['food_license'], no_reason_return_7d: false }),
    leaf('food.fruit', '生鲜水果', 'Fresh fruit', 100, { required_qualifications: ['food_license'], no_reason_return_7d: false, shipping_insurance: false }),
  ]),
  branch('beauty', '美妆', 'Beauty', [leaf('beauty.skincare', '护肤', 'Skincare', 400, { required_qualifications: ['cosmetics_filing'] })]),
];

/** Loads the Chinese demo data once (when there are no accounts yet). Returns the log-ins to print. */
export async function seedDemo(ctx: AppContext): Promise<DemoLogin[] | null> {
  const existing = await ctx.db.kysely.selectFrom('identity_accounts').select('id').limit(1).execute();
  if (existing.length > 0) return null;
  const hash = await hashPassword(DEMO_PASSWORD);
  const logins: DemoLogin[] = [];
  const account = async (who: string, phone: string, name: string, roles: ('buyer' | 'creator' | 'operator')[]) => {
    const id = await ctx.db.transaction((tx) => ctx.identity.createAccount(tx, { phone, display_name: name, password_hash: hash, roles }));
    logins.push({ who, phone, password: DEMO_PASSWORD });
    return id;
  };

  const cats = new Map<string, Category>();
  await ctx.db.transaction(async (tx) => {
    const walk = async (seeds: CategorySeed[], parent: string | null) => {
      for (const { children, ...s } of seeds) {
        const c = await ctx.catalog.createCategory(tx, { ...s, parent_id: parent });
        cats.set(c.code, c);
        if (children) await walk(children, c.id);
      }
    };
    await walk(CATEGORIES, null);
  });
  const cat = (code: string) => cats.get(code)!.id;

  const operator = await account('平台运营 platform operator', '13900000000', '平台小运营', ['operator']);
  const owner1 = await account('商家(星河官方旗舰店 店主) merchant owner', '13800000001', '星河数码-王店长', ['buyer']);
  const owner2 = await account('商家(云裳女装 店主) merchant owner', '13800000002', '云裳-李老板', ['buyer']);
  const owner3 = await account('商家(山野茶铺 个体) merchant owner', '13800000003', '山野茶铺-陈师傅', ['buyer']);
  const cs = await account('客服(星河数码) customer service', '13800000004', '星河客服-小美', ['buyer']);
  await account('买家 buyer', '13700000001', '买家小张', ['buyer']);
  await account('买家 buyer', '13700000002', '买家小刘', ['buyer']);
  for (let i = 1; i <= ctx.config.demoExtraBuyers; i++) {
    const phone = `1371${String(i).padStart(7, '0')}`;
    await ctx.db.transaction((tx) => ctx.identity.createAccount(tx, { phone, display_name: `压测买家${i}`, password_hash: hash, roles: ['buyer'] }));
  }
  const creator = await account('达人 creator', '13600000001', '数码达人阿杰', ['buyer', 'creator']);

  // Stores go through real onboarding (documents, review, deposit in the ledger; see seed-stores.ts).
  // The flagship is named 星河官方旗舰店: a 品牌自营 name is brand + suffix, so 星河数码官方旗舰店 fails the naming rules.
  const store = (owner: string, spec: DemoStoreSpec) => onboardDemoStore(ctx, operator, owner, spec);
  const xinghe = await store(owner1, {
    name: '星河数码', subject_type: 'enterprise', company_name: '深圳市星河数码科技有限公司', trade_name: '星河', main_category_code: 'digital', description: '星河品牌官方旗舰店，正品行货，全国联保。',
    uscc: demoUscc('enterprise', '440300', 'MA5G0XH1'), legal_rep: { name: '王星河', id_number: demoResidentId('44030519800101001') },
    brand: { name: '星河', registration_number: '38291045', nice_class: 9, flagship_name: '星河官方旗舰店' }, linked_channel: '星河数码视频号',
    score_inputs: { orders: 1200, orders_shipped_within_48h: 1180, rating_count: 460, rating_sum: 2231, after_sales_requests: 30, after_sales_answered_within_48h: 29, merchant_fault_refunds: 3, arbitrations_lost: 0 },
  });
  const yunshang = await store(owner2, {
    name: '云裳女装', subject_type: 'enterprise', company_name: '杭州云裳服饰有限公司', trade_name: '云裳', main_category_code: 'apparel', description: '原创设计女装，每周上新。',
    uscc: demoUscc('enterprise', '330100', 'MA2B0YK2'), legal_rep: { name: '李云裳', id_number: demoResidentId('33010619880808002') },
  });
  const shanye = await store(owner3, {
    name: '山野茶铺', subject_type: 'individual', company_name: '武夷山市山野茶铺（个体工商户）', trade_name: '山野', main_category_code: 'food', description: '武夷山自家茶园，产地直发。',
    uscc: demoUscc('individual', '350782', 'L0HY0003'), legal_rep: { name: '陈山野', id_number: demoResidentId('35078219750505003') },
    extra_docs: [{ kind: 'food_license', number: 'JY13507820012345' }],
  });
  await ctx.db.transaction((tx) => ctx.stores.recomputeScores(tx));
  await ctx.identity.addStaff(ctx.db.kysely, xinghe, cs, 'customer_service');

  // Curated demo data: listed without the compliance review (the demo stores hold no brand certificates yet).
  const list = (storeId: string, input: Parameters<typeof createListing>[2]) => createListing(ctx, storeId, input, null, { trusted: true });
  await list(xinghe, {
    category_id: cat('digital.phone'), title: '星河 X5 5G智能手机 8GB+256GB', subtitle: '旗舰影像 · 5000mAh 大电池', brand: '星河', attributes: { 品牌: '星河', 型号: 'X5' },
    skus: [{ spec: { 颜色: '曜石黑', 存储: '8GB+256GB' }, price_minor: 269_900, list_price_minor: 299_900 }, { spec: { 颜色: '冰川白', 存储: '8GB+256GB' }, price_minor: 269_900 }, { spec: { 颜色: '曜石黑', 存储: '12GB+512GB' }, price_minor: 329_900 }],
    stock: [500, 300, 200],
  });
  await list(xinghe, {
    category_id: cat('digital.audio'), title: '星河 Buds Pro 主动降噪蓝牙耳机', brand: '星河',
    skus: [{ spec: { 颜色: '白色' }, price_minor: 49_900 }, { spec: { 颜色: '黑色' }, price_minor: 49_900 }], stock: [1000, 800],
  });
  await list(yunshang, {
    category_id: cat('apparel.women'), title: '法式碎花连衣裙 夏季新款收腰显瘦', attributes: { 材质: '雪纺' },
    skus: ['S', 'M', 'L'].flatMap((size) => ['碎花蓝', '碎花粉'].map((color) => ({ spec: { 颜色: color, 尺码: size }, price_minor: 15_900, list_price_minor: 19_900 }))),
    stock: [30, 30, 50, 50, 40, 40],
  });
  await list(yunshang, {
    category_id: cat('apparel.shoes'), title: '轻便透气运动鞋 女款 Running Shoes',
    skus: ['36', '37', '38', '39'].map((size) => ({ spec: { 尺码: size }, price_minor: 22_900 })), stock: [20, 25, 25, 20],
  });
  await list(shanye, {
    category_id: cat('food.tea'), title: '武夷山大红袍 岩茶 250g 礼盒装',
    skus: [{ spec: { 规格: '250g 礼盒' }, price_minor: 16_800 }, { spec: { 规格: '500g 家庭装' }, price_minor: 29_800 }], stock: [100, 60],
  });
  await seedDemoPromotions(ctx, { operator, xinghe: { store: xinghe, owner: owner1 }, stores: [xinghe, yunshang, shanye] });
  await seedDemoAffiliate(ctx, { creator, stores: [{ store: xinghe, owner: owner1 }, { store: yunshang, owner: owner2 }, { store: shanye, owner: owner3 }] });
  await seedDemoCampaign(ctx, { operator, stores: [{ store: xinghe, owner: owner1 }, { store: yunshang, owner: owner2 }, { store: shanye, owner: owner3 }] });
  await seedDemoContent(ctx, { creator, stores: [{ store: xinghe, owner: owner1 }, { store: yunshang, owner: owner2 }, { store: shanye, owner: owner3 }] });
  return logins;
}
