import type { Clock } from '../../lib/clock.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { clampLimit, decodeCursor, toPage, type Page } from '../../lib/page.ts';
import type { Db, Executor } from '../../db/index.ts';
import type { AccountRole, AddressRow, IdentityRepo, StaffRole } from './identity.repo.ts';
import { maskPhone, normalizePhone } from './phone.ts';

export interface AddressInput {
  recipient: string;
  phone: string;
  province: string;
  city: string;
  district: string;
  detail: string;
  postal_code?: string | null;
  is_default?: boolean;
}

export interface Address extends Omit<AddressRow, 'is_default'> {
  is_default: boolean;
}

export interface StaffMember {
  account_id: string;
  display_name: string;
  phone_masked: string;
  role: StaffRole;
  created_at: number;
}

const MAX_ADDRESSES = 20;

const toAddress = (r: AddressRow): Address => ({ ...r, is_default: r.is_default === 1 });

/** Accounts, roles, store staff membership and the buyer's address book. */
export function createPeopleService(deps: { db: Db; repo: IdentityRepo; clock: Clock; onMembershipChange: (accountId: string) => void }) {
  const { db, repo, clock, onMembershipChange } = deps;

  async function unsetDefault(accountId: string, tx: Executor): Promise<void> {
    await repo.q(tx).updateTable('identity_addresses').set({ is_default: 0 }).where('account_id', '=', accountId).where('is_default', '=', 1).execute();
  }

  function checkAddressPhone(input: AddressInput): string {
    const phone = normalizePhone(input.phone);
    if (!phone) throw new AppError('validation', 'invalid_phone', 'recipient phone must be a mainland China mobile number');
    return phone;
  }

  return {
    /** Creates an account directly (seeding, operator tooling); sign-up goes through auth. */
    async createAccount(tx: Executor, input: { phone: string; display_name: string; password_hash: string | null; roles: AccountRole[] }): Promise<string> {
      const now = clock.now();
      const phone = normalizePhone(input.phone);
      if (!phone) throw new AppError('validation', 'invalid_phone', 'invalid phone');
      const id = newId('acc');
      await repo.insertAccount({ id, phone, password_hash: input.password_hash, display_name: input.display_name, status: 'active', created_at: now, updated_at: now }, tx);
      for (const role of input.roles) await repo.grantRole(id, role, now, tx);
      return id;
    },

    async grantRole(tx: Executor, accountId: string, role: AccountRole): Promise<void> {
      await repo.grantRole(accountId, role, clock.now(), tx);
      onMembershipChange(accountId);
    },

    /** The account row alone (the caller already holds roles and memberships in its principal). */
    async getAccountBasics(id: string) {
      const a = await repo.accountById(id);
      if (!a) throw notFound('account', id);
      return { id: a.id, phone: a.phone, display_name: a.display_name, status: a.status, created_at: a.created_at };
    },

    async getAccount(id: string) {
      const a = await repo.accountById(id);
      if (!a) throw notFound('account', id);
      const roles = (await repo.rolesOf(id)).map((r) => r.role);
      const staff = await repo.staffOf(id);
      return { id: a.id, phone: a.phone, display_name: a.display_name, status: a.status, created_at: a.created_at, roles, stores: staff };
    },

    /** Public profile of accounts (no phone numbers): for merchant/creator views. */
    async profiles(ids: readonly string[]): Promise<Map<string, { display_name: string; phone_masked: string }>> {
      const rows = await repo.accountsByIds(ids);
      return new Map(rows.map((r) => [r.id, { display_name: r.display_name, phone_masked: maskPhone(r.phone) }]));
    },

    async accountIdByPhone(phone: string): Promise<string | null> {
      const p = normalizePhone(phone);
      return p ? ((await repo.accountByPhone(p))?.id ?? null) : null;
    },

    // --- store staff -------------------------------------------------------------------
    async addStaff(tx: Executor, storeId: string, accountId: string, role: StaffRole): Promise<void> {
      await repo.q(tx).insertInto('identity_store_staff').values({ store_id: storeId, account_id: accountId, role, created_at: clock.now() })
        .onConflict((oc) => oc.columns(['store_id', 'account_id']).doUpdateSet({ role })).execute();
      onMembershipChange(accountId);
    },

    async removeStaff(storeId: string, accountId: string): Promise<void> {
      await db.transaction(async (tx) => {
        const owners = await repo.q(tx).selectFrom('identity_store_staff').select('account_id').where('store_id', '=', storeId).where('role', '=', 'owner').execute();
        if (owners.length === 1 && owners[0].account_id === accountId) {
          throw new AppError('business_rule', 'last_owner', 'a store must keep at least one owner');
        }
        const r = await repo.q(tx).deleteFrom('identity_store_staff').where('store_id', '=', storeId).where('account_id', '=', accountId).executeTakeFirst();
        if (Number(r.numDeletedRows) !== 1) throw notFound('staff_member', accountId);
      });
      onMembershipChange(accountId);
    },

    async listStaff(storeId: string): Promise<StaffMember[]> {
      const staff = await repo.q().selectFrom('identity_store_staff').selectAll().where('store_id', '=', storeId).orderBy('created_at').execute();
      const people = await repo.accountsByIds(staff.map((s) => s.account_id));
      const byId = new Map(people.map((p) => [p.id, p]));
      return staff.map((s) => ({
        account_id: s.account_id,
        display_name: byId.get(s.account_id)?.display_name ?? '',
        phone_masked: maskPhone(byId.get(s.account_id)?.phone ?? ''),
        role: s.role,
        created_at: s.created_at,
      }));
    },

    // --- address book ------------------------------------------------------------------
    async listAddresses(accountId: string, opts: { limit?: number; cursor?: string }): Promise<Page<Address>> {
      const limit = clampLimit(opts.limit);
      const after = decodeCursor(opts.cursor);
      let query = repo.q().selectFrom('identity_addresses').selectAll().where('account_id', '=', accountId).orderBy('id').limit(limit + 1);
      if (after !== undefined) query = query.where('id', '>', String(after));
      return toPage((await query.execute()).map(toAddress), limit, (a) => a.id);
    },

    /** A buyer's own address; another buyer's id is simply not found. */
    async getAddress(accountId: string, id: string): Promise<Address> {
      const row = await repo.q().selectFrom('identity_addresses').selectAll().where('id', '=', id).where('account_id', '=', accountId).executeTakeFirst();
      if (!row) throw notFound('address', id);
      return toAddress(row);
    },

    async createAddress(accountId: string, input: AddressInput): Promise<Address> {
      const phone = checkAddressPhone(input);
      const now = clock.now();
      return db.transaction(async (tx) => {
        const count = await repo.q(tx).selectFrom('identity_addresses').select((eb) => eb.fn.countAll<number>().as('n')).where('account_id', '=', accountId).executeTakeFirstOrThrow();
        if (Number(count.n) >= MAX_ADDRESSES) throw new AppError('business_rule', 'address_limit', `at most ${MAX_ADDRESSES} addresses per account`);
        const isDefault = input.is_default === true || Number(count.n) === 0;
        if (isDefault) await unsetDefault(accountId, tx);
        const row: AddressRow = {
          id: newId('adr'), account_id: accountId, recipient: input.recipient.trim(), phone, province: input.province.trim(), city: input.city.trim(),
          district: input.district.trim(), detail: input.detail.trim(), postal_code: input.postal_code ?? null, is_default: isDefault ? 1 : 0, created_at: now, updated_at: now,
        };
        await repo.q(tx).insertInto('identity_addresses').values(row).execute();
        return toAddress(row);
      });
    },

    async updateAddress(accountId: string, id: string, input: Partial<AddressInput>): Promise<Address> {
      return db.transaction(async (tx) => {
        const current = await repo.q(tx).selectFrom('identity_addresses').selectAll().where('id', '=', id).where('account_id', '=', accountId).executeTakeFirst();
        if (!current) throw notFound('address', id);
        const merged = { ...current, ...input, is_default: input.is_default === undefined ? current.is_default === 1 : input.is_default } as AddressInput;
        const phone = checkAddressPhone(merged);
        if (merged.is_default) await unsetDefault(accountId, tx);
        const row: AddressRow = {
          ...current, recipient: merged.recipient.trim(), phone, province: merged.province.trim(), city: merged.city.trim(), district: merged.district.trim(),
          detail: merged.detail.trim(), postal_code: merged.postal_code ?? null, is_default: merged.is_default ? 1 : 0, updated_at: clock.now(),
        };
        await repo.q(tx).updateTable('identity_addresses').set(row).where('id', '=', id).execute();
        return toAddress(row);
      });
    },

    async deleteAddress(accountId: string, id: string): Promise<void> {
      const r = await repo.q().deleteFrom('identity_addresses').where('id', '=', id).where('account_id', '=', accountId).executeTakeFirst();
      if (Number(r.numDeletedRows) !== 1) throw notFound('address', id);
    },
  };
}
export type PeopleService = ReturnType<typeof createPeopleService>;
