import { DAY_MS } from '../lib/clock.ts';
import { buildResidentId, buildUscc, type CreateStoreInput, type QualificationKind, type ScoreInputs } from '../modules/stores/index.ts';
import type { AppContext } from './wire.ts';

const YEAR_MS = 365 * DAY_MS;
const FILES = 'https://demo.xiaodian.local/docs';

export interface DemoStoreSpec extends CreateStoreInput {
  uscc: string;
  legal_rep: { name: string; id_number: string };
  extra_docs?: { kind: QualificationKind; number: string }[];
  /** 品牌自营 for a trademark the company owns; the store then takes `flagship_name` */
  brand?: { name: string; registration_number: string; nice_class: number; flagship_name: string };
  linked_channel?: string;
  score_inputs?: ScoreInputs;
}

/** Demo credit codes and ID numbers with correct check characters. */
export const demoUscc = (subject: 'enterprise' | 'individual', division: string, body8: string) => buildUscc('9', subject === 'enterprise' ? '1' : '2', division, body8);
export const demoResidentId = (first17: string) => buildResidentId(first17);

/**
 * Takes a demo store through real onboarding with module calls: application, documents,
 * brand certification and the flagship name, review, the deposit (a sandbox payment, so the
 * ledger holds it), linked account and score inputs. Returns the store id.
 */
export async function onboardDemoStore(ctx: AppContext, operatorId: string, ownerId: string, spec: DemoStoreSpec): Promise<string> {
  const s = ctx.stores;
  const now = ctx.clock.now();
  const { legal_rep, extra_docs, brand, linked_channel, score_inputs, ...input } = spec;
  const store = await s.createStore(input, ownerId);
  const doc = (kind: QualificationKind, number: string, holder: string, longTerm = false) =>
    s.uploadQualification(store.id, { kind, number, holder_name: holder, valid_from_ms: now - 2 * YEAR_MS, valid_to_ms: longTerm ? null : now + 5 * YEAR_MS, file_url: `${FILES}/${store.id}/${kind}.jpg` });
  await doc('legal_rep_id', legal_rep.id_number, legal_rep.name);
  await doc('business_license', spec.uscc, spec.company_name, true);
  for (const d of extra_docs ?? []) await doc(d.kind, d.number, spec.company_name);
  if (brand) {
    const cert = await s.applyForBrand(store.id, {
      brand_name: brand.name, badge: 'brand_owned', authorizations: [],
      trademark: {
        registration_number: brand.registration_number, nice_class: brand.nice_class, status: 'R', owner_name: spec.company_name, owner_uscc: spec.uscc,
        valid_from_ms: now - 3 * YEAR_MS, valid_to_ms: now + 7 * YEAR_MS, file_url: `${FILES}/${store.id}/trademark.jpg`,
      },
    }, ownerId);
    await s.approveBrand(cert.id, operatorId);
    await s.renameStore(store.id, brand.flagship_name, ownerId);
  }
  await s.submitApplication(store.id, ownerId);
  await s.approveApplication(store.id, operatorId, '演示数据：资料齐全');
  await s.payDepositSandbox(store.id, { payment_ref: `demo_${store.id.slice(4)}`, actor_id: ownerId });
  if (linked_channel) await s.linkAccount(store.id, { kind: 'channel', external_id: `demo_${linked_channel}`, display_name: linked_channel }, ownerId);
  if (score_inputs) await s.setScoreInputs(store.id, score_inputs);
  return store.id;
}
