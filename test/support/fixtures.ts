import { hashPassword } from '../../src/modules/identity/index.ts';
import { createListing } from '../../src/flows/create-listing.ts';
import type { TestApp } from './app.ts';

export const PASSWORD = 'secret123';
let phoneSeq = 0;
let cachedHash: Promise<string> | undefined;

/** A unique, valid mainland mobile number per call. */
export function nextPhone(): string {
  phoneSeq++;
  return `139${String(process.pid % 10000).padStart(4, '0')}${String(phoneSeq).padStart(4, '0')}`;
}

/** Creates an account directly and signs it in over HTTP; returns its id and token. */
export async function signedInUser(t: TestApp, roles: ('buyer' | 'creator' | 'operator')[] = ['buyer']): Promise<{ id: string; phone: string; token: string }> {
  const phone = nextPhone();
  cachedHash ??= hashPassword(PASSWORD);
  const hash = await cachedHash;
  const id = await t.ctx.db.transaction((tx) => t.ctx.identity.createAccount(tx, { phone, display_name: `测试${phone.slice(-4)}`, password_hash: hash, roles }));
  const res = await t.call('POST', '/api/v1/auth/login', { body: { phone, password: PASSWORD } });
  if (res.status !== 200) throw new Error(`login failed: ${JSON.stringify(res.body)}`);
  return { id, phone, token: res.body.access_token };
}

let catSeq = 0;
/** A leaf category (with a parent) for listing test products. */
export async function leafCategory(t: TestApp, overrides: Record<string, unknown> = {}): Promise<string> {
  catSeq++;
  return t.ctx.db.transaction(async (tx) => {
    const parent = await t.ctx.catalog.createCategory(tx, {
      parent_id: null, code: `root${catSeq}_${process.pid}`, name_zh: '测试', name_en: 'Test', is_leaf: false, fee_rate_bp: 0, deposit_minor: 0,
      required_attributes: [], required_qualifications: [], no_reason_return_7d: true, shipping_insurance: false,
    });
    const c = await t.ctx.catalog.createCategory(tx, {
      parent_id: parent.id, code: `leaf${catSeq}_${process.pid}`, name_zh: '测试叶子', name_en: 'Test leaf', is_leaf: true, fee_rate_bp: 200, deposit_minor: 0,
      required_attributes: [], required_qualifications: [], no_reason_return_7d: true, shipping_insurance: false, ...overrides,
    });
    return c.id;
  });
}

/** An open store owned by `ownerId`, with one live product of two SKUs. */
export async function openStoreWithProduct(t: TestApp, ownerId: string, name: string) {
  const store = await t.ctx.stores.createStore({ name, subject_type: 'enterprise', company_name: `${name}有限公司` }, ownerId);
  await t.ctx.db.transaction((tx) => t.ctx.stores.forceOpen(tx, store.id));
  const categoryId = await leafCategory(t);
  const product = await createListing(t.ctx, store.id, {
    category_id: categoryId, title: `${name} 测试商品`, skus: [{ spec: { 颜色: '黑' }, price_minor: 9900 }, { spec: { 颜色: '白' }, price_minor: 10900 }], stock: [10, 5],
  }, ownerId);
  return { store, product, categoryId };
}

/** Access tokens live 2 h: tests that move the clock further sign in again. */
export async function relogin<U extends { phone: string; token: string }>(t: TestApp, u: U): Promise<U> {
  const res = await t.call('POST', '/api/v1/auth/login', { body: { phone: u.phone, password: PASSWORD } });
  if (res.status !== 200) throw new Error(`re-login failed: ${JSON.stringify(res.body)}`);
  return { ...u, token: res.body.access_token };
}
