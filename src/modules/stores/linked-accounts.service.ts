import { AppError, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { isUniqueViolation, type Executor } from '../../db/index.ts';
import { linkedAccountLimit } from './rules/store-score.ts';
import { storeOr404, type StoresDeps } from './stores.context.ts';
import { STORE_EVENTS } from './stores.events.ts';
import type { LinkedAccountRow, StoreRow } from './stores.repo.ts';

export type LinkedAccountKind = LinkedAccountRow['kind'];
export const LINKED_ACCOUNT_KINDS: Record<LinkedAccountKind, { label_zh: string }> = { channel: { label_zh: '视频号' }, article: { label_zh: '公众号' } };

const taken = () => new AppError('conflict', 'linked_account_taken', 'this account already sells for a store').zh('该账号已绑定其他店铺。');

/**
 * Content accounts a store sells through (Channels for video and live, official accounts for
 * articles). How many of each kind: rules/store-score.ts linkedAccountLimit — individual
 * businesses 1, enterprises 5, or 10 with a (non-provisional) score of 90.0 or more.
 * An account sells for one store at a time (a partial unique index on active links).
 */
export function createLinkedAccountsService(deps: StoresDeps) {
  const { db, repo, clock, outbox } = deps;

  const limitFor = (store: StoreRow) => linkedAccountLimit(store.subject_type, store.score_provisional === 1 ? null : { score_tenths: store.score_tenths });

  async function emitChanged(tx: Executor, storeId: string, kind: LinkedAccountKind, change: 'linked' | 'unlinked', link: LinkedAccountRow) {
    await outbox.emit(tx, STORE_EVENTS.linkedAccountsChanged, storeId, { store_id: storeId, change, link_id: link.id, kind, external_id: link.external_id });
  }

  return {
    limitFor,

    async link(storeId: string, input: { kind: LinkedAccountKind; external_id: string; display_name: string }, actorId: string): Promise<LinkedAccountRow> {
      return db.transaction(async (tx) => {
        const store = await storeOr404(repo, tx, storeId, true);
        if (store.status === 'closed' || store.status === 'suspended') {
          throw new AppError('business_rule', 'store_not_eligible', `a ${store.status} store cannot link accounts`).zh('店铺当前状态不能绑定账号。');
        }
        const limit = limitFor(store);
        const active = await repo.q(tx).selectFrom('stores_linked_accounts').select('external_id')
          .where('store_id', '=', storeId).where('kind', '=', input.kind).where('status', '=', 'active').execute();
        if (active.some((a) => a.external_id === input.external_id)) throw new AppError('conflict', 'linked_account_exists', 'this account is already linked to the store').zh('该账号已绑定本店铺。');
        if (active.length >= limit) {
          const label = LINKED_ACCOUNT_KINDS[input.kind].label_zh;
          throw new AppError('business_rule', 'linked_account_limit', `this store may link at most ${limit} ${input.kind} account(s)`, { kind: input.kind, limit, subject_type: store.subject_type, score_tenths: store.score_tenths })
            .zh(`本店铺最多可绑定${limit}个${label}${store.subject_type === 'enterprise' && limit < 10 ? '（店铺体验分达到90分后可绑定更多）' : ''}。`);
        }
        const clash = await repo.q(tx).selectFrom('stores_linked_accounts').select('id').where('kind', '=', input.kind).where('external_id', '=', input.external_id).where('status', '=', 'active').executeTakeFirst();
        if (clash) throw taken();
        const row: LinkedAccountRow = {
          id: newId('lnk'), store_id: storeId, kind: input.kind, external_id: input.external_id, display_name: input.display_name.trim(), status: 'active',
          actor_id: actorId, linked_at: clock.now(), unlinked_at: null,
        };
        try {
          await repo.q(tx).insertInto('stores_linked_accounts').values(row).execute();
        } catch (err) {
          if (isUniqueViolation(err)) throw taken();
          throw err;
        }
        await emitChanged(tx, storeId, input.kind, 'linked', row);
        return row;
      });
    },

    async unlink(storeId: string, linkId: string): Promise<void> {
      await db.transaction(async (tx) => {
        const row = await repo.q(tx).selectFrom('stores_linked_accounts').selectAll().where('id', '=', linkId).where('store_id', '=', storeId).where('status', '=', 'active').executeTakeFirst();
        if (!row) throw notFound('linked_account', linkId);
        await repo.q(tx).updateTable('stores_linked_accounts').set({ status: 'unlinked', unlinked_at: clock.now() }).where('id', '=', linkId).execute();
        await emitChanged(tx, storeId, row.kind, 'unlinked', row);
      });
    },

    async unlinkAll(tx: Executor, storeId: string, _actorId: string | null): Promise<void> {
      const rows = await repo.q(tx).selectFrom('stores_linked_accounts').selectAll().where('store_id', '=', storeId).where('status', '=', 'active').execute();
      for (const row of rows) {
        await repo.q(tx).updateTable('stores_linked_accounts').set({ status: 'unlinked', unlinked_at: clock.now() }).where('id', '=', row.id).execute();
        await emitChanged(tx, storeId, row.kind, 'unlinked', row);
      }
    },

    async list(storeId: string): Promise<LinkedAccountRow[]> {
      return repo.q().selectFrom('stores_linked_accounts').selectAll().where('store_id', '=', storeId).where('status', '=', 'active').orderBy('id').execute();
    },

    /** Active links of any stores, for the content module later (which store sells through this account?). */
    async storeOfAccount(kind: LinkedAccountKind, externalId: string): Promise<string | null> {
      const r = await repo.q().selectFrom('stores_linked_accounts').select('store_id').where('kind', '=', kind).where('external_id', '=', externalId).where('status', '=', 'active').executeTakeFirst();
      return r?.store_id ?? null;
    },
  };
}
export type LinkedAccountsService = ReturnType<typeof createLinkedAccountsService>;
