import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from './support/app.ts';
import { nextPhone, signedInUser } from './support/fixtures.ts';
import { assertBooksBalance, brandBody, certifyBrand, createApplication, paymentRef, uploadBaseDocuments, uscc } from './support/onboarding.ts';

/**
 * Merchant onboarding through the HTTP API: application, documents, review, deposit, brand
 * certification and naming. Deposit movements, brand limits, expiry and linked accounts are
 * in stores-*.test.ts.
 */
let t: TestApp;
let operator: Awaited<ReturnType<typeof signedInUser>>;
before(async () => {
  t = await startTestApp();
  operator = await signedInUser(t, ['operator']);
});
after(() => t?.close());

const merchant = (token: string) => ({
  get: (path: string) => t.call('GET', `/api/v1/merchant${path}`, { token }),
  post: (path: string, body: unknown = {}) => t.call('POST', `/api/v1/merchant${path}`, { token, body }),
});
const console_ = {
  get: (path: string) => t.call('GET', `/api/v1/console${path}`, { token: operator.token }),
  post: (path: string, body: unknown = {}) => t.call('POST', `/api/v1/console${path}`, { token: operator.token, body }),
};

describe('from sign-up to an open brand flagship store, through the API alone', () => {
  test('sign up, apply, certify the brand, take the flagship name, pass review, pay the deposit, open', async () => {
    const phone = nextPhone();
    assert.equal((await t.call('POST', '/api/v1/auth/sms-codes', { body: { phone, purpose: 'signup' } })).status, 202);
    const signup = await t.call('POST', '/api/v1/auth/signup', { body: { phone, code: t.sms.last.get(phone), password: 'goodpass1', display_name: '王店长' } });
    assert.equal(signup.status, 201);
    const m = merchant(signup.body.access_token);
    const companyCode = uscc('enterprise');

    const created = await m.post('/stores', { name: '星河数码', subject_type: 'enterprise', company_name: '深圳市星河数码科技有限公司', trade_name: '星河', uscc: companyCode, main_category_code: 'digital' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.status, 'draft');
    const id = created.body.id;

    // the automatic checks say what is missing, and submission is refused until it is there
    const before = await m.get(`/stores/${id}/application`);
    assert.deepEqual(before.body.checklist.map((c: any) => c.kind), ['legal_rep_id', 'business_license']);
    assert.deepEqual(before.body.checks.map((c: any) => c.code), ['qualification_missing', 'qualification_missing']);
    const early = await m.post(`/stores/${id}/application/submit`);
    assert.equal(early.status, 422);
    assert.equal(early.body.error.code, 'application_incomplete');
    assert.match(early.body.error.message_zh, /营业执照/);

    await uploadBaseDocuments(t, signup.body.access_token, { id, uscc: companyCode });
    assert.deepEqual((await m.get(`/stores/${id}/application`)).body.checks, []);

    // the company owns the 星河 trademark: 品牌自营
    const brand = await certifyBrand(t, { token: signup.body.access_token }, operator, id, brandBody(t, { brand: '星河', badge: 'brand_owned', ownerUscc: companyCode }));
    assert.equal(brand.status, 'certified');
    const renamed = await m.post(`/stores/${id}/rename`, { name: '星河官方旗舰店' });
    assert.equal(renamed.status, 200, JSON.stringify(renamed.body));

    const submitted = await m.post(`/stores/${id}/application/submit`);
    assert.equal(submitted.body.status, 'in_review');
    const queue = await console_.get('/stores/review-queue');
    assert.ok(queue.body.items.some((s: any) => s.id === id));
    const approved = await console_.post(`/stores/${id}/approve`, { reason: '资料齐全' });
    assert.equal(approved.body.status, 'awaiting_deposit');

    // an enterprise with a brand badge owes the brand deposit (¥20,000)
    const owed = await m.get(`/stores/${id}/deposit`);
    assert.deepEqual(owed.body, { currency: 'CNY', required_minor: 2_000_000, required_source: 'brand', required_category_code: null, balance_minor: 0, shortfall_minor: 2_000_000 });
    const paid = await m.post(`/stores/${id}/deposit/sandbox-payments`, { payment_ref: paymentRef() });
    assert.equal(paid.status, 200, JSON.stringify(paid.body));
    assert.equal(paid.body.store_status, 'open');
    assert.equal(paid.body.transfer.reason, 'deposit_payment');
    assert.equal(paid.body.deposit.balance_minor, 2_000_000);

    const pub = await t.call('GET', `/api/v1/stores/${id}`);
    assert.equal(pub.status, 200);
    assert.equal(pub.body.name, '星河官方旗舰店');
    assert.deepEqual(await t.ctx.stores.certifiedBrands(id), ['星河']);

    const decisions = (await m.get(`/stores/${id}/review-decisions`)).body.items;
    const timeline = decisions.map((d: any) => `${d.subject}:${d.decision}:${d.actor_role}`).reverse();
    assert.deepEqual(timeline, ['brand:approve:operator', 'store:submit:merchant', 'store:approve:operator', 'store:deposit_settled:system']);
    const approval = decisions.find((d: any) => d.decision === 'approve' && d.subject === 'store');
    assert.equal(approval.actor_id, operator.id);
    assert.equal(approval.reason, '资料齐全');
    await assertBooksBalance(t);
  });
});

/** A draft application with its documents uploaded, owned by a fresh merchant. */
async function readyApplication(name: string) {
  const owner = await signedInUser(t);
  const store = await createApplication(t, owner.token, { name });
  await uploadBaseDocuments(t, owner.token, store);
  return { owner, store, m: merchant(owner.token) };
}

describe('review decisions', () => {
  test('an operator rejects with a reason; the merchant sees who and why, fixes it and resubmits', async () => {
    const { owner, store, m } = await readyApplication('青禾杂货');
    await m.post(`/stores/${store.id}/application/submit`);
    const rejected = await console_.post(`/stores/${store.id}/reject`, { reason: '营业执照照片模糊，请重新上传' });
    assert.equal(rejected.status, 200);
    assert.equal(rejected.body.status, 'rejected');
    const app = (await m.get(`/stores/${store.id}/application`)).body;
    assert.equal(app.store.review_note, '营业执照照片模糊，请重新上传');
    const d = app.decisions[0];
    assert.deepEqual([d.decision, d.from_status, d.to_status, d.reason, d.actor_role, d.actor_id], ['reject', 'in_review', 'rejected', '营业执照照片模糊，请重新上传', 'operator', operator.id]);
    assert.ok(Date.parse(d.created_at) === t.clock.now());

    await uploadBaseDocuments(t, owner.token, store); // re-uploaded documents replace the old ones
    const again = await m.post(`/stores/${store.id}/application/submit`);
    assert.equal(again.body.status, 'in_review');
    assert.equal(again.body.review_note, null);
  });

  test('ask for more: back to draft with the request; documents locked during review; the loop ends in approval', async () => {
    const { owner, store, m } = await readyApplication('松间文具');
    await m.post(`/stores/${store.id}/application/submit`);
    const locked = await m.post(`/stores/${store.id}/qualifications`, { kind: 'legal_rep_id', number: '11010519491231002X', holder_name: '王', valid_from: '2020-01-01', valid_until: '2040-01-01', file_url: 'https://f.example/a.jpg' });
    assert.equal(locked.status, 422);
    assert.equal(locked.body.error.code, 'application_locked');
    const more = await console_.post(`/stores/${store.id}/request-more`, { reason: '请补充法定代表人身份证反面' });
    assert.equal(more.body.status, 'draft');
    assert.equal((await m.get(`/stores/${store.id}/application`)).body.store.review_note, '请补充法定代表人身份证反面');
    const renewed = await m.post(`/stores/${store.id}/qualifications`, { kind: 'legal_rep_id', number: '11010519491231002X', holder_name: '王', valid_from: '2020-01-01', valid_until: '2040-01-01', file_url: 'https://f.example/b.jpg' });
    assert.equal(renewed.status, 201);
    assert.equal(renewed.body.number, '110105********002X'); // masked for the merchant's staff
    const review = await console_.get(`/stores/${store.id}`);
    assert.ok(review.body.qualifications.some((q: any) => q.number === '11010519491231002X' && q.status === 'active')); // the reviewer sees it whole
    assert.ok(review.body.qualifications.some((q: any) => q.kind === 'legal_rep_id' && q.status === 'superseded'));
    assert.equal((await m.post(`/stores/${store.id}/application/submit`)).body.status, 'in_review');
    assert.equal((await console_.post(`/stores/${store.id}/approve`)).body.status, 'awaiting_deposit');
    const decisions = (await m.get(`/stores/${store.id}/review-decisions`)).body.items.map((d: any) => d.decision).reverse();
    assert.deepEqual(decisions, ['submit', 'request_more', 'submit', 'approve']);
    assert.equal((await t.call('GET', `/api/v1/merchant/stores/${store.id}/qualifications`, { token: owner.token })).body.items.filter((q: any) => q.kind === 'legal_rep_id').length, 1);
  });

  test('decisions that make no sense for the status are refused; merchants cannot use the console', async () => {
    const { owner, store } = await readyApplication('竹影茶舍');
    const early = await console_.post(`/stores/${store.id}/approve`);
    assert.equal(early.status, 422);
    assert.equal(early.body.error.code, 'invalid_transition');
    assert.match(early.body.error.message_zh, /草稿/);
    const noReason = await console_.post(`/stores/${store.id}/reject`, {});
    assert.equal(noReason.status, 400);
    const asMerchant = await t.call('POST', `/api/v1/console/stores/${store.id}/approve`, { token: owner.token, body: {} });
    assert.equal(asMerchant.status, 403);
    assert.equal((await t.call('GET', '/api/v1/console/stores/review-queue', { token: owner.token })).status, 403);
  });

  test('the review queue pages oldest submission first', async () => {
    const ids: string[] = [];
    for (const name of ['排队一号店', '排队二号店', '排队三号店']) {
      const { store, m } = await readyApplication(name);
      t.clock.advance(1000);
      await m.post(`/stores/${store.id}/application/submit`);
      ids.push(store.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await console_.get(`/stores/review-queue?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(page.status, 200);
      seen.push(...page.body.items.map((s: any) => s.id));
      cursor = page.body.next_cursor;
    } while (cursor);
    const mine = seen.filter((id) => ids.includes(id));
    assert.deepEqual(mine, ids);
  });
});

describe('subject types and credit codes', () => {
  test('a private person is told to register as an individual business first', async () => {
    const u = await signedInUser(t);
    const r = await merchant(u.token).post('/stores', { name: '张三的小店', subject_type: 'personal', company_name: '张三', uscc: uscc('individual') });
    assert.equal(r.status, 422);
    assert.equal(r.body.error.code, 'personal_subject_not_allowed');
    assert.match(r.body.error.message_zh, /个体工商户/);
  });

  test('an individual business opens with a 92… code; the checksum and the subject type are checked', async () => {
    const u = await signedInUser(t);
    const m = merchant(u.token);
    const ok = await m.post('/stores', { name: '李记烧饼', subject_type: 'individual', company_name: '李记烧饼店（个体工商户）', uscc: uscc('individual') });
    assert.equal(ok.status, 201);
    assert.equal(ok.body.subject_type, 'individual');
    const good = uscc('enterprise');
    const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    const checksum = await m.post('/stores', { name: '校验失败店', subject_type: 'enterprise', company_name: '某某有限公司', uscc: bad });
    assert.equal(checksum.status, 422);
    assert.equal(checksum.body.error.code, 'uscc_check_digit');
    assert.ok(checksum.body.error.message_zh);
    const wrongType = await m.post('/stores', { name: '类型不符店', subject_type: 'enterprise', company_name: '某某有限公司', uscc: uscc('individual') });
    assert.equal(wrongType.body.error.code, 'uscc_subject_mismatch');
  });

  test('a food store must hold a food licence in force before it can submit', async () => {
    const u = await signedInUser(t);
    const store = await createApplication(t, u.token, { name: '山野茶铺', subject_type: 'individual', main_category_code: 'food.tea' });
    await uploadBaseDocuments(t, u.token, store);
    const r = await merchant(u.token).post(`/stores/${store.id}/application/submit`);
    assert.equal(r.status, 422);
    assert.deepEqual(r.body.error.details.findings.map((f: any) => [f.code, f.details.kind]), [['qualification_missing', 'food_license']]);
    const badNumber = await merchant(u.token).post(`/stores/${store.id}/qualifications`, { kind: 'food_license', number: 'SC1234', holder_name: '山野', valid_from: '2025-01-01', valid_until: '2030-01-01', file_url: 'https://f.example/f.jpg' });
    assert.equal(badNumber.body.error.code, 'qualification_number_invalid');
    const expired = await merchant(u.token).post(`/stores/${store.id}/qualifications`, { kind: 'food_license', number: 'JY13507820012345', holder_name: '山野', valid_from: '2020-01-01', valid_until: '2025-01-01', file_url: 'https://f.example/f.jpg' });
    assert.equal(expired.body.error.code, 'qualification_expired');
    const ok = await merchant(u.token).post(`/stores/${store.id}/qualifications`, { kind: 'food_license', number: 'JY13507820012345', holder_name: '山野', valid_from: '2025-01-01', valid_until: '2030-01-01', file_url: 'https://f.example/f.jpg' });
    assert.equal(ok.status, 201);
    assert.equal((await merchant(u.token).post(`/stores/${store.id}/application/submit`)).body.status, 'in_review');
  });
});

describe('operator status actions', () => {
  test('restrict keeps the store visible, suspend hides it, reinstate reopens; each with its reason', async () => {
    const { store, m } = await readyApplication('晨光书屋');
    await m.post(`/stores/${store.id}/application/submit`);
    await console_.post(`/stores/${store.id}/approve`);
    await m.post(`/stores/${store.id}/deposit/sandbox-payments`, { payment_ref: paymentRef() });
    const restricted = await console_.post(`/stores/${store.id}/restrict`, { reason: '虚假宣传，限制上新7天' });
    assert.equal(restricted.body.status, 'restricted');
    assert.equal(restricted.body.status_reason, '虚假宣传，限制上新7天');
    assert.equal((await t.call('GET', `/api/v1/stores/${store.id}`)).status, 200);
    assert.equal((await console_.post(`/stores/${store.id}/suspend`, { reason: '售假投诉核实' })).body.status, 'suspended');
    assert.equal((await t.call('GET', `/api/v1/stores/${store.id}`)).status, 404);
    assert.equal((await console_.post(`/stores/${store.id}/reinstate`, { reason: '整改完成' })).body.status, 'open');
    assert.equal((await t.call('GET', `/api/v1/stores/${store.id}`)).status, 200);
    const reinstateOpen = await console_.post(`/stores/${store.id}/reinstate`, { reason: '再次恢复' });
    assert.equal(reinstateOpen.body.error.code, 'invalid_transition');
  });
});

describe('tenancy', () => {
  test("another merchant gets 404 for every onboarding route of a store that isn't theirs; customer service may read but not act", async () => {
    const { owner, store } = await readyApplication('甲方小店');
    const other = await signedInUser(t);
    const reads = ['application', 'qualifications', 'review-decisions', 'deposit', 'deposit/statement', 'brands', 'name-history', 'linked-accounts'];
    for (const p of reads) {
      const r = await t.call('GET', `/api/v1/merchant/stores/${store.id}/${p}`, { token: other.token });
      assert.equal(r.status, 404, p);
      assert.equal(r.body.error.code, 'store_not_found');
    }
    const writes: [string, unknown][] = [
      ['application/submit', {}], ['rename', { name: '抢注店名' }], ['deposit/sandbox-payments', { payment_ref: paymentRef() }],
      ['linked-accounts', { kind: 'channel', external_id: 'x', display_name: 'x' }],
      ['qualifications', { kind: 'legal_rep_id', number: '11010519491231002X', holder_name: '王', valid_from: '2020-01-01', valid_until: '2040-01-01', file_url: 'https://f.example/a.jpg' }],
    ];
    for (const [p, body] of writes) assert.equal((await t.call('POST', `/api/v1/merchant/stores/${store.id}/${p}`, { token: other.token, body })).status, 404, p);
    assert.equal((await t.call('GET', `/api/v1/merchant/stores/${store.id}/application`, { token: owner.token })).body.store.name, '甲方小店');

    const cs = await signedInUser(t);
    await t.call('POST', `/api/v1/merchant/stores/${store.id}/staff`, { token: owner.token, body: { phone: cs.phone, role: 'customer_service' } });
    assert.equal((await t.call('GET', `/api/v1/merchant/stores/${store.id}/application`, { token: cs.token })).status, 200);
    assert.equal((await t.call('GET', `/api/v1/merchant/stores/${store.id}/deposit`, { token: cs.token })).status, 403);
    assert.equal((await t.call('POST', `/api/v1/merchant/stores/${store.id}/rename`, { token: cs.token, body: { name: '客服改名' } })).status, 403);
  });
});
