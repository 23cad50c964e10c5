import type { Db, Executor } from '../../db/index.ts';
import { tables } from '../../db/index.ts';

export type AccountRole = 'buyer' | 'creator' | 'operator';
export type StaffRole = 'owner' | 'operator' | 'customer_service';

export interface IdentityTables {
  identity_accounts: { id: string; phone: string; password_hash: string | null; display_name: string; status: string; created_at: number; updated_at: number };
  identity_account_roles: { account_id: string; role: AccountRole; granted_at: number };
  identity_store_staff: { store_id: string; account_id: string; role: StaffRole; created_at: number };
  identity_sessions: {
    id: string; account_id: string; token_hash: string; refresh_hash: string; expires_at: number; refresh_expires_at: number;
    created_at: number; revoked_at: number | null; ip: string | null; user_agent: string | null;
  };
  identity_sms_codes: { id: string; phone: string; purpose: string; code_hash: string; attempts: number; expires_at: number; consumed_at: number | null; created_at: number };
  identity_throttle: { key: string; window_start: number; failures: number; locked_until: number | null };
  identity_addresses: {
    id: string; account_id: string; recipient: string; phone: string; province: string; city: string; district: string; detail: string;
    postal_code: string | null; is_default: number; created_at: number; updated_at: number;
  };
}

export type AccountRow = IdentityTables['identity_accounts'];
export type AddressRow = IdentityTables['identity_addresses'];

/** The only code that touches identity_* tables. */
export function createIdentityRepo(db: Db) {
  const q = (ex: Executor = db.kysely) => tables<IdentityTables>(ex);
  // Hot path: every authenticated request resolves its token with this one statement
  // (session, account status, roles and store memberships; aggregates as JSON text on both engines).
  const agg = db.engine === 'postgres'
    ? { roles: "coalesce(json_agg(r.role), '[]')::text", staff: "coalesce(json_agg(json_build_array(t.store_id, t.role)), '[]')::text" }
    : { roles: 'json_group_array(r.role)', staff: 'json_group_array(json_array(t.store_id, t.role))' };
  const principalByToken = db.prepared<{ session_id: string; account_id: string; expires_at: number; status: string; roles: string; staff: string }>(
    `select s.id as session_id, s.account_id, s.expires_at, a.status,
       (select ${agg.roles} from identity_account_roles r where r.account_id = s.account_id) as roles,
       (select ${agg.staff} from identity_store_staff t where t.account_id = s.account_id) as staff
     from identity_sessions s join identity_accounts a on a.id = s.account_id
     where s.token_hash = ? and s.revoked_at is null`,
  );
  const rolesOf = db.prepared<{ role: AccountRole }>('select role from identity_account_roles where account_id = ?');
  const staffOf = db.prepared<{ store_id: string; role: StaffRole }>('select store_id, role from identity_store_staff where account_id = ?');
  const accountById = db.prepared<AccountRow>('select * from identity_accounts where id = ?');

  return {
    q,
    principalByToken: (tokenHash: string) => principalByToken.first(db.kysely, [tokenHash]),
    rolesOf: (accountId: string, ex: Executor = db.kysely) => rolesOf.all(ex, [accountId]),
    staffOf: (accountId: string, ex: Executor = db.kysely) => staffOf.all(ex, [accountId]),
    accountByPhone: (phone: string, ex?: Executor) => q(ex).selectFrom('identity_accounts').selectAll().where('phone', '=', phone).executeTakeFirst(),
    accountById: (id: string, ex: Executor = db.kysely) => accountById.first(ex, [id]),
    accountsByIds: (ids: readonly string[], ex?: Executor) =>
      ids.length === 0 ? Promise.resolve([]) : q(ex).selectFrom('identity_accounts').selectAll().where('id', 'in', ids).execute(),
    insertAccount: (row: AccountRow, ex?: Executor) => q(ex).insertInto('identity_accounts').values(row).execute(),
    updatePassword: (id: string, hash: string, now: number, ex?: Executor) =>
      q(ex).updateTable('identity_accounts').set({ password_hash: hash, updated_at: now }).where('id', '=', id).execute(),
    grantRole: (accountId: string, role: AccountRole, now: number, ex?: Executor) =>
      q(ex).insertInto('identity_account_roles').values({ account_id: accountId, role, granted_at: now }).onConflict((oc) => oc.doNothing()).execute(),
  };
}

export type IdentityRepo = ReturnType<typeof createIdentityRepo>;
