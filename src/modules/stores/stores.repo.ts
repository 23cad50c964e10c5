import { tables, type Db, type Executor } from '../../db/index.ts';

export type SubjectType = 'individual' | 'enterprise';
export type StoreStatus = 'draft' | 'in_review' | 'awaiting_deposit' | 'open' | 'restricted' | 'suspended' | 'closed';

export interface StoreRow {
  id: string; name: string; name_key: string; subject_type: SubjectType; status: StoreStatus; company_name: string; trade_name: string | null;
  uscc: string | null; main_category_code: string | null; description: string; logo_url: string | null; score_tenths: number;
  created_at: number; updated_at: number; opened_at: number | null;
}
export interface StoresTables {
  stores_stores: StoreRow;
}

export function createStoresRepo(db: Db) {
  const q = (ex: Executor = db.kysely) => tables<StoresTables>(ex);
  const byId = db.prepared<StoreRow>('select * from stores_stores where id = ?');
  return {
    q,
    byId: (id: string, ex: Executor = db.kysely) => byId.first(ex, [id]),
    byIds: (ids: readonly string[], ex?: Executor) => (ids.length ? q(ex).selectFrom('stores_stores').selectAll().where('id', 'in', ids).execute() : Promise.resolve([])),
  };
}
export type StoresRepo = ReturnType<typeof createStoresRepo>;
