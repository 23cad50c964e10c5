import { AppError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { isUniqueViolation, type Executor } from '../../db/index.ts';
import type { RuleResult } from './rules/rule-result.ts';
import { normalizeStoreName, renameAllowed, validateStoreName, type BrandBadge, type StoreNameFailCode, type ValidStoreName } from './rules/store-name.ts';
import { refuse, storeOr404, type StoresDeps } from './stores.context.ts';
import { STORE_EVENTS } from './stores.events.ts';
import type { NameHistoryRow, StoreRow } from './stores.repo.ts';

export const nameTaken = (name: string) =>
  new AppError('conflict', 'store_name_taken', `the store name "${name}" is already taken`).zh(`店铺名称“${name}”已被使用。`);

/**
 * Store names: rules/store-name.ts decides, this supplies what it needs from the tables —
 * the store's certified brands (grouped by badge), the brands certified anywhere on the
 * platform (off-limits to everyone else) — and keeps names unique by `name_key`.
 */
export function createNamingService(deps: StoresDeps) {
  const { db, repo, clock, outbox, config } = deps;

  async function checkName(ex: Executor, name: string, store: Pick<StoreRow, 'id' | 'trade_name'> | null): Promise<RuleResult<ValidStoreName, StoreNameFailCode>> {
    const certs = store ? await repo.certifiedCerts(store.id, ex) : [];
    const own = new Set(certs.map((c) => c.brand_key));
    const certified = await repo.q(ex).selectFrom('stores_brand_certs').select(['brand_name', 'brand_key']).distinct().where('status', '=', 'certified').execute();
    const base = {
      name, tradeName: store?.trade_name ?? '', bannedWords: config.bannedWords,
      protectedBrands: certified.filter((c) => !own.has(c.brand_key)).map((c) => c.brand_name),
    };
    const plain = validateStoreName({ ...base, certification: null }, config.namePolicy);
    if (certs.length === 0 || plain.ok) return plain;
    let certFailure: RuleResult<ValidStoreName, StoreNameFailCode> | null = null;
    for (const badge of ['brand_owned', 'brand_authorized'] as BrandBadge[]) {
      const brandNames = certs.filter((c) => c.badge === badge).map((c) => c.brand_name);
      if (brandNames.length === 0) continue;
      const r = validateStoreName({ ...base, certification: { badge, brandNames } }, config.namePolicy);
      if (r.ok) return r;
      certFailure ??= r;
    }
    // A name with 旗舰/专卖… was meant as a brand name: explain the brand rule, not the reserved word.
    return plain.code === 'name_uses_reserved_word' && certFailure ? certFailure : plain;
  }

  async function assertNameFree(ex: Executor, nameKey: string, name: string, exceptStoreId: string | null): Promise<void> {
    let query = repo.q(ex).selectFrom('stores_stores').select('id').where('name_key', '=', nameKey);
    if (exceptStoreId) query = query.where('id', '<>', exceptStoreId);
    if (await query.executeTakeFirst()) throw nameTaken(name);
  }

  return {
    checkName,
    assertNameFree,

    /** Renames a store: naming rules, uniqueness and — once the store has opened — the rename limit. */
    async rename(storeId: string, name: string, actorId: string | null): Promise<StoreRow> {
      return db.transaction(async (tx) => {
        const store = await storeOr404(repo, tx, storeId, true);
        if (store.status === 'closed') throw new AppError('business_rule', 'store_closed', 'a closed store cannot be renamed').zh('店铺已关闭，不能修改名称。');
        const v = await checkName(tx, name, store);
        if (!v.ok) throw refuse(v);
        if (v.value.display_name === store.name) throw new AppError('business_rule', 'name_unchanged', 'the new name is the current name').zh('新名称与当前名称相同。');
        const now = clock.now();
        // Names may be corrected freely during onboarding; renames of an opened store are limited.
        const counted = store.opened_at !== null;
        if (counted) {
          const history = await repo.q(tx).selectFrom('stores_name_history').select('changed_at').where('store_id', '=', storeId).where('counted', '=', 1).execute();
          const allowed = renameAllowed(history.map((h) => Number(h.changed_at)), now, config.renamePolicy);
          if (!allowed.ok) throw refuse(allowed);
        }
        await assertNameFree(tx, v.value.unique_key, v.value.display_name, storeId);
        try {
          await repo.q(tx).updateTable('stores_stores').set({ name: v.value.display_name, name_key: v.value.unique_key, updated_at: now }).where('id', '=', storeId).execute();
        } catch (err) {
          if (isUniqueViolation(err)) throw nameTaken(v.value.display_name);
          throw err;
        }
        const row: NameHistoryRow = { id: newId('snh'), store_id: storeId, old_name: store.name, new_name: v.value.display_name, counted: counted ? 1 : 0, actor_id: actorId, changed_at: now };
        await repo.q(tx).insertInto('stores_name_history').values(row).execute();
        await outbox.emit(tx, STORE_EVENTS.renamed, storeId, { store_id: storeId, from: store.name, to: v.value.display_name, actor_id: actorId });
        return { ...store, name: v.value.display_name, name_key: v.value.unique_key, updated_at: now };
      });
    },

    async nameHistory(storeId: string): Promise<NameHistoryRow[]> {
      return repo.q().selectFrom('stores_name_history').selectAll().where('store_id', '=', storeId).orderBy('changed_at', 'desc').orderBy('id', 'desc').execute();
    },

    /** How many renames are left in the current window (null before the store opens: unlimited). */
    async renamesRemaining(store: StoreRow): Promise<number | null> {
      if (store.opened_at === null) return null;
      const history = await repo.q().selectFrom('stores_name_history').select('changed_at').where('store_id', '=', store.id).where('counted', '=', 1).execute();
      const r = renameAllowed(history.map((h) => Number(h.changed_at)), clock.now(), config.renamePolicy);
      return r.ok ? r.value.remaining : 0;
    },
  };
}
export type NamingService = ReturnType<typeof createNamingService>;
export { normalizeStoreName };
