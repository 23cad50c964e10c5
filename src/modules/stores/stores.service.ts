import type { Clock } from '../../lib/clock.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { clampLimit, decodeCursor, toPage, type Page } from '../../lib/page.ts';
import { isUniqueViolation, type Db, type Executor } from '../../db/index.ts';
import type { Outbox } from '../../db/outbox.ts';
import type { IdentityModule } from '../identity/index.ts';
import type { StoreRow, StoresRepo, SubjectType } from './stores.repo.ts';

export interface Store {
  id: string;
  name: string;
  subject_type: SubjectType;
  status: StoreRow['status'];
  company_name: string;
  description: string;
  logo_url: string | null;
  score: number; // 0–100 with one decimal
  created_at: number;
  opened_at: number | null;
}

export interface CreateStoreInput {
  name: string;
  subject_type: SubjectType;
  company_name: string;
  trade_name?: string | null;
  uscc?: string | null;
  main_category_code?: string | null;
  description?: string;
}

export const toStore = (r: StoreRow): Store => ({
  id: r.id, name: r.name, subject_type: r.subject_type, status: r.status, company_name: r.company_name, description: r.description,
  logo_url: r.logo_url, score: r.score_tenths / 10, created_at: r.created_at, opened_at: r.opened_at,
});

/** Unique key for names: NFKC, no spaces, Latin lower-cased (so 小店 A and 小店a collide). */
export function nameKey(name: string): string {
  return name.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
}

export function createStoresService(deps: { db: Db; repo: StoresRepo; clock: Clock; outbox: Outbox; identity: IdentityModule }) {
  const { db, repo, clock, outbox, identity } = deps;
  return {
    /** Creates a draft store owned by `ownerAccountId` (owner staff membership in the same transaction). */
    async createStore(input: CreateStoreInput, ownerAccountId: string, outer?: Executor): Promise<Store> {
      const now = clock.now();
      const row: StoreRow = {
        id: newId('sto'), name: input.name.trim(), name_key: nameKey(input.name), subject_type: input.subject_type, status: 'draft',
        company_name: input.company_name.trim(), trade_name: input.trade_name ?? null, uscc: input.uscc ?? null, main_category_code: input.main_category_code ?? null,
        description: input.description ?? '', logo_url: null, score_tenths: 800, created_at: now, updated_at: now, opened_at: null,
      };
      try {
        await db.transaction(async (tx) => {
          await repo.q(tx).insertInto('stores_stores').values(row).execute();
          await identity.addStaff(tx, row.id, ownerAccountId, 'owner');
          await outbox.emit(tx, 'store.created', row.id, { store_id: row.id, name: row.name, subject_type: row.subject_type });
        }, outer);
      } catch (err) {
        if (isUniqueViolation(err)) throw new AppError('conflict', 'store_name_taken', `the store name "${row.name}" is already taken`);
        throw err;
      }
      return toStore(row);
    },

    /** Demo seeding and operator tooling: open a store without the onboarding review. */
    async forceOpen(tx: Executor, storeId: string): Promise<void> {
      const now = clock.now();
      await repo.q(tx).updateTable('stores_stores').set({ status: 'open', opened_at: now, updated_at: now }).where('id', '=', storeId).execute();
      await outbox.emit(tx, 'store.opened', storeId, { store_id: storeId });
    },

    async getStore(id: string): Promise<Store> {
      const r = await repo.byId(id);
      if (!r) throw notFound('store', id);
      return toStore(r);
    },

    async getStores(ids: readonly string[]): Promise<Map<string, Store>> {
      return new Map((await repo.byIds(ids)).map((r) => [r.id, toStore(r)]));
    },

    /** Open stores only: what buyers may browse. */
    async getOpenStore(id: string): Promise<Store> {
      const r = await repo.byId(id);
      if (!r || r.status !== 'open') throw notFound('store', id);
      return toStore(r);
    },

    async listOpenStores(opts: { limit?: number; cursor?: string }): Promise<Page<Store>> {
      const limit = clampLimit(opts.limit);
      const after = decodeCursor(opts.cursor);
      let query = repo.q().selectFrom('stores_stores').selectAll().where('status', '=', 'open').orderBy('id').limit(limit + 1);
      if (after !== undefined) query = query.where('id', '>', String(after));
      return toPage((await query.execute()).map(toStore), limit, (s) => s.id);
    },

    async updateProfile(storeId: string, patch: { description?: string; logo_url?: string | null }): Promise<Store> {
      return db.transaction(async (tx) => {
        const current = await repo.byId(storeId, tx);
        if (!current) throw notFound('store', storeId);
        const next = { ...current, ...patch, updated_at: clock.now() };
        await repo.q(tx).updateTable('stores_stores').set({ description: next.description, logo_url: next.logo_url, updated_at: next.updated_at }).where('id', '=', storeId).execute();
        await outbox.emit(tx, 'store.updated', storeId, { store_id: storeId });
        return toStore(next);
      });
    },
  };
}
