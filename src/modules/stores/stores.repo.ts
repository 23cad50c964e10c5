import { sql } from 'kysely';
import { preparedIn, tables, type Db, type Executor } from '../../db/index.ts';
import type { StoreStatus } from './rules/lifecycle.ts';

export type { StoreStatus } from './rules/lifecycle.ts';
export type SubjectType = 'individual' | 'enterprise';

export interface StoreRow {
  id: string; name: string; name_key: string; subject_type: SubjectType; status: StoreStatus; company_name: string; trade_name: string | null;
  uscc: string | null; main_category_code: string | null; description: string; logo_url: string | null; score_tenths: number;
  created_at: number; updated_at: number; opened_at: number | null;
  submitted_at: number | null; review_note: string | null; status_reason: string | null; closed_at: number | null;
  score_provisional: number; score_computed_at: number | null;
}
export interface QualificationRow {
  id: string; store_id: string; kind: string; number: string; holder_name: string; valid_from_ms: number; valid_to_ms: number | null;
  file_url: string; status: 'active' | 'superseded' | 'expired'; created_at: number; updated_at: number;
}
export interface DecisionRow {
  id: string; store_id: string; subject: 'store' | 'brand' | 'deposit'; subject_id: string; decision: string; from_status: string | null; to_status: string | null;
  reason: string | null; actor_role: 'merchant' | 'operator' | 'system'; actor_id: string | null; created_at: number;
}
export interface NameHistoryRow { id: string; store_id: string; old_name: string; new_name: string; counted: number; actor_id: string | null; changed_at: number }
export interface BrandCertRow {
  id: string; store_id: string; company_key: string; brand_name: string; brand_key: string; badge: 'brand_owned' | 'brand_authorized';
  tm_registration_number: string; tm_nice_class: number; tm_status: 'R' | 'TM'; tm_owner_name: string; tm_owner_id: string;
  tm_valid_from_ms: number; tm_valid_to_ms: number; tm_file_url: string; chain: string; level: number;
  status: 'pending_review' | 'certified' | 'rejected' | 'revoked'; status_reason: string | null; expires_at_ms: number | null;
  decided_by: string | null; decided_at: number | null; created_at: number; updated_at: number;
}
export interface LinkedAccountRow {
  id: string; store_id: string; kind: 'channel' | 'article'; external_id: string; display_name: string; status: 'active' | 'unlinked';
  actor_id: string | null; linked_at: number; unlinked_at: number | null;
}
export interface ScoreInputsRow {
  store_id: string; orders: number; orders_shipped_within_48h: number; rating_count: number; rating_sum: number; after_sales_requests: number;
  after_sales_answered_within_48h: number; merchant_fault_refunds: number; arbitrations_lost: number; updated_at: number;
}
export interface StoresTables {
  stores_stores: StoreRow;
  stores_qualifications: QualificationRow;
  stores_review_decisions: DecisionRow;
  stores_name_history: NameHistoryRow;
  stores_brand_certs: BrandCertRow;
  stores_brand_quota: { brand_key: string; scope: string; used: number };
  stores_linked_accounts: LinkedAccountRow;
  stores_score_inputs: ScoreInputsRow;
}

/** The only code that touches stores_* tables. */
export function createStoresRepo(db: Db) {
  const q = (ex: Executor = db.kysely) => tables<StoresTables>(ex);
  // Every checkout reads its stores' status: a prepared statement, not a query built per call.
  const storesByIds = preparedIn<StoreRow>(db, 'select * from stores_stores where id in (?*)');
  const byId = db.prepared<StoreRow>('select * from stores_stores where id = ?');
  return {
    q,
    byId: (id: string, ex: Executor = db.kysely) => byId.first(ex, [id]),
    byIds: (ids: readonly string[], ex?: Executor) => storesByIds(ex ?? db.kysely, ids),
    /**
     * Reads the store for a check-then-act change (rename, link an account, a status move),
     * first taking its row lock on PostgreSQL with a no-op update; the embedded engine
     * serialises writers anyway. Concurrent changes to one store then queue instead of racing.
     */
    async lockStore(tx: Executor, id: string): Promise<StoreRow | undefined> {
      await sql`update stores_stores set updated_at = updated_at where id = ${id}`.execute(tx);
      return byId.first(tx, [id]);
    },
    certifiedCerts: (storeId: string, ex?: Executor) =>
      q(ex).selectFrom('stores_brand_certs').selectAll().where('store_id', '=', storeId).where('status', '=', 'certified').orderBy('id').execute(),
  };
}
export type StoresRepo = ReturnType<typeof createStoresRepo>;
