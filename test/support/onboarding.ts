import assert from 'node:assert/strict';
import { DAY_MS } from '../../src/lib/clock.ts';
import { buildUscc } from '../../src/modules/stores/rules/uscc.ts';
import { buildResidentId } from '../../src/modules/stores/rules/resident-id.ts';
import type { TestApp } from './app.ts';
import { PASSWORD } from './fixtures.ts';

/** Helpers for onboarding tests: valid codes, documents, and the whole path to an open store over HTTP. */
let seq = 0;
const tag = () => `${String(process.pid % 1000).padStart(3, '0')}${String(++seq).padStart(5, '0')}`;

/** A fresh valid credit code: 91… for enterprises, 92… for individual businesses. */
export const uscc = (subject: 'enterprise' | 'individual' = 'enterprise') => buildUscc('9', subject === 'enterprise' ? '1' : '2', '440300', tag());
export const residentId = () => buildResidentId(`44030519900101${String(++seq % 1000).padStart(3, '0')}`);

/** YYYY-MM-DD in Beijing time, `days` from the test clock's now. */
export const day = (t: TestApp, days: number) => new Date(t.clock.now() + days * DAY_MS + 8 * 3600_000).toISOString().slice(0, 10);

let ref = 0;
export const paymentRef = () => `pay_${process.pid}_${++ref}_${Math.random().toString(36).slice(2, 8)}`;

export interface AppInput { name: string; subject_type?: 'enterprise' | 'individual'; company_name?: string; trade_name?: string; uscc?: string; main_category_code?: string }

export async function createApplication(t: TestApp, token: string, input: AppInput) {
  const subject = input.subject_type ?? 'enterprise';
  const body = { subject_type: subject, company_name: input.company_name ?? `${input.name}有限公司`, uscc: input.uscc ?? uscc(subject), ...input };
  const r = await t.call('POST', '/api/v1/merchant/stores', { token, body });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body as { id: string; uscc: string; name: string; status: string };
}

export async function uploadBaseDocuments(t: TestApp, token: string, store: { id: string; uscc: string }, extra: { kind: string; number: string; valid_until: string }[] = []) {
  const docs = [
    { kind: 'legal_rep_id', number: residentId(), holder_name: '王小明', valid_from: day(t, -365), valid_until: day(t, 3650), file_url: 'https://files.example/id.jpg' },
    { kind: 'business_license', number: store.uscc, holder_name: '公司', valid_from: day(t, -365), valid_until: null, file_url: 'https://files.example/license.jpg' },
    ...extra.map((e) => ({ ...e, holder_name: '公司', valid_from: day(t, -30), file_url: 'https://files.example/extra.jpg' })),
  ];
  for (const d of docs) {
    const r = await t.call('POST', `/api/v1/merchant/stores/${store.id}/qualifications`, { token, body: d });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
}

/** Application → documents → submit → approve → sandbox deposit payment: an open store. */
export async function openStoreViaApi(t: TestApp, owner: { token: string }, operator: { token: string }, input: AppInput & { extraDocs?: { kind: string; number: string; valid_until: string }[] }) {
  const store = await createApplication(t, owner.token, input);
  await uploadBaseDocuments(t, owner.token, store, input.extraDocs);
  const submit = await t.call('POST', `/api/v1/merchant/stores/${store.id}/application/submit`, { token: owner.token });
  assert.equal(submit.status, 200, JSON.stringify(submit.body));
  const approve = await t.call('POST', `/api/v1/console/stores/${store.id}/approve`, { token: operator.token, body: {} });
  assert.equal(approve.status, 200, JSON.stringify(approve.body));
  const pay = await t.call('POST', `/api/v1/merchant/stores/${store.id}/deposit/sandbox-payments`, { token: owner.token, body: { payment_ref: paymentRef() } });
  assert.equal(pay.status, 200, JSON.stringify(pay.body));
  assert.equal(pay.body.store_status, 'open');
  return store;
}

/** A brand application body; `authorizations` empty means the store's company owns the trademark. */
export function brandBody(t: TestApp, o: { brand: string; badge: 'brand_owned' | 'brand_authorized'; ownerUscc: string; chain?: { from: string; to: string; exclusive?: boolean; untilDays?: number }[]; tmUntilDays?: number; niceClass?: number }) {
  return {
    brand_name: o.brand, badge: o.badge,
    trademark: {
      registration_number: '12345678', nice_class: o.niceClass ?? 9, status: 'R', owner_name: `${o.brand}品牌管理有限公司`, owner_uscc: o.ownerUscc,
      valid_from: day(t, -700), valid_until: day(t, o.tmUntilDays ?? 3000), file_url: 'https://files.example/tm.jpg',
    },
    authorizations: (o.chain ?? []).map((c) => ({
      licensor_name: '授权方有限公司', licensor_uscc: c.from, licensee_name: '被授权方有限公司', licensee_uscc: c.to, exclusive: c.exclusive ?? false,
      valid_from: day(t, -30), valid_until: day(t, c.untilDays ?? 365), file_url: 'https://files.example/auth.jpg',
    })),
  };
}

export async function certifyBrand(t: TestApp, owner: { token: string }, operator: { token: string }, storeId: string, body: ReturnType<typeof brandBody>) {
  const applied = await t.call('POST', `/api/v1/merchant/stores/${storeId}/brands`, { token: owner.token, body });
  assert.equal(applied.status, 201, JSON.stringify(applied.body));
  const approved = await t.call('POST', `/api/v1/console/brand-applications/${applied.body.id}/approve`, { token: operator.token, body: {} });
  assert.equal(approved.status, 200, JSON.stringify(approved.body));
  return approved.body as { id: string; status: string; expires_at: string };
}

export async function assertBooksBalance(t: TestApp): Promise<void> {
  const r = await t.ctx.ledger.reconcile();
  assert.equal(r.ok, true, JSON.stringify(r.problems));
}

/** Signs an existing test user in again (after the test clock passed the access token's TTL). */
export async function relogin(t: TestApp, user: { phone: string; token: string }): Promise<void> {
  const r = await t.call('POST', '/api/v1/auth/login', { body: { phone: user.phone, password: PASSWORD } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  user.token = r.body.access_token;
}
