import { notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { clampLimit, decodeCursor, toPage, type Page } from '../../lib/page.ts';
import { isUniqueViolation, type Executor } from '../../db/index.ts';
import { checkUsccForSubject } from './rules/qualifications.ts';
import { nameTaken, type NamingService } from './naming.service.ts';
import { refuse, type StoresDeps } from './stores.context.ts';
import { STORE_EVENTS } from './stores.events.ts';
import type { StoreRow, SubjectType } from './stores.repo.ts';

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

/** The store as its staff and the platform's operators see it, application state included. */
export interface StoreDetail extends Store {
  trade_name: string | null; uscc: string | null; main_category_code: string | null; score_provisional: boolean;
  submitted_at: number | null; closed_at: number | null;
  /** the operator's latest request (ask-more) or rejection reason, shown to the merchant */
  review_note: string | null;
  /** why the store is restricted, suspended or closed */
  status_reason: string | null;
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
export const toStoreDetail = (r: StoreRow): StoreDetail => ({
  ...toStore(r), trade_name: r.trade_name, uscc: r.uscc, main_category_code: r.main_category_code, score_provisional: r.score_provisional === 1,
  submitted_at: r.submitted_at, closed_at: r.closed_at, review_note: r.review_note, status_reason: r.status_reason,
});

const BUYER_VISIBLE: StoreRow['status'][] = ['open', 'restricted'];

export function createStoresService(deps: StoresDeps & { naming: NamingService }) {
  const { db, repo, clock, outbox, identity, naming } = deps;
  return {
    /**
     * Creates a store application (draft) owned by `ownerAccountId` — owner membership in the same
     * transaction. The name must pass the naming rules and be free; a credit code, when given,
     * must be valid and of the subject type.
     */
    async createStore(input: CreateStoreInput, ownerAccountId: string, outer?: Executor): Promise<Store> {
      const now = clock.now();
      return db.transaction(async (tx) => {
        const uscc = input.uscc ? checkUsccForSubject(input.uscc, input.subject_type) : null;
        if (uscc && !uscc.ok) throw refuse(uscc);
        const name = await naming.checkName(tx, input.name, null);
        if (!name.ok) throw refuse(name);
        await naming.assertNameFree(tx, name.value.unique_key, name.value.display_name, null);
        const row: StoreRow = {
          id: newId('sto'), name: name.value.display_name, name_key: name.value.unique_key, subject_type: input.subject_type, status: 'draft',
          company_name: input.company_name.trim(), trade_name: input.trade_name ?? null, uscc: uscc?.ok ? uscc.value.code : null, main_category_code: input.main_category_code ?? null,
          description: input.description ?? '', logo_url: null, score_tenths: 800, created_at: now, updated_at: now, opened_at: null,
          submitted_at: null, review_note: null, status_reason: null, closed_at: null, score_provisional: 1, score_computed_at: null,
        };
        try {
          await repo.q(tx).insertInto('stores_stores').values(row).execute();
        } catch (err) {
          if (isUniqueViolation(err)) throw nameTaken(row.name);
          throw err;
        }
        await identity.addStaff(tx, row.id, ownerAccountId, 'owner');
        await outbox.emit(tx, STORE_EVENTS.created, row.id, { store_id: row.id, name: row.name, subject_type: row.subject_type });
        return toStore(row);
      }, outer);
    },

    /** Demo seeding and operator tooling: open a store without the onboarding review. */
    async forceOpen(tx: Executor, storeId: string): Promise<void> {
      const now = clock.now();
      await repo.q(tx).updateTable('stores_stores').set({ status: 'open', opened_at: now, updated_at: now }).where('id', '=', storeId).execute();
      await outbox.emit(tx, STORE_EVENTS.opened, storeId, { store_id: storeId });
    },

    async getStore(id: string): Promise<Store> {
      const r = await repo.byId(id);
      if (!r) throw notFound('store', id);
      return toStore(r);
    },

    async getStoreDetail(id: string): Promise<StoreDetail> {
      const r = await repo.byId(id);
      if (!r) throw notFound('store', id);
      return toStoreDetail(r);
    },

    async getStores(ids: readonly string[]): Promise<Map<string, Store>> {
      return new Map((await repo.byIds(ids)).map((r) => [r.id, toStore(r)]));
    },

    /** Stores buyers may browse: open, or restricted (still selling, not listing). */
    async getOpenStore(id: string): Promise<Store> {
      const r = await repo.byId(id);
      if (!r || !BUYER_VISIBLE.includes(r.status)) throw notFound('store', id);
      return toStore(r);
    },

    async listOpenStores(opts: { limit?: number; cursor?: string }): Promise<Page<Store>> {
      const limit = clampLimit(opts.limit);
      const after = decodeCursor(opts.cursor);
      let query = repo.q().selectFrom('stores_stores').selectAll().where('status', 'in', BUYER_VISIBLE).orderBy('id').limit(limit + 1);
      if (after !== undefined) query = query.where('id', '>', String(after));
      return toPage((await query.execute()).map(toStore), limit, (s) => s.id);
    },

    async updateProfile(storeId: string, patch: { description?: string; logo_url?: string | null }): Promise<Store> {
      return db.transaction(async (tx) => {
        const current = await repo.byId(storeId, tx);
        if (!current) throw notFound('store', storeId);
        const next = { ...current, ...patch, updated_at: clock.now() };
        await repo.q(tx).updateTable('stores_stores').set({ description: next.description, logo_url: next.logo_url, updated_at: next.updated_at }).where('id', '=', storeId).execute();
        await outbox.emit(tx, STORE_EVENTS.updated, storeId, { store_id: storeId });
        return toStore(next);
      });
    },
  };
}
