import { sql } from 'kysely';
import { tables, type Db, type Executor } from '../../db/index.ts';
import type { Channel } from './attribution-rule.ts';

export type ContentKind = 'video' | 'article';
export type ContentStatus = 'draft' | 'published' | 'removed';

export interface ContentRow {
  id: string; kind: ContentKind; store_id: string | null; creator_id: string | null; author_id: string; title: string; caption: string; body_html: string;
  video_url: string | null; cover_url: string | null; duration_ms: number | null; product_ids: string; status: ContentStatus;
  view_count: number; like_count: number; comment_count: number; share_count: number;
  created_at: number; updated_at: number; published_at: number | null; removed_at: number | null; removed_by: string | null; removed_reason: string | null;
}
export interface ContentProductRow { content_id: string; product_id: string; position: number }
export interface LikeRow { content_id: string; account_id: string; created_at: number }
export interface CommentRow { id: string; content_id: string; author_id: string; body: string; status: 'visible' | 'removed'; created_at: number }
export interface ShareRow { code: string; content_id: string; sharer_id: string; parent_code: string | null; chain: string; created_at: number; expires_at: number }
export interface TouchRow {
  id: string; buyer_id: string; product_id: string; channel: Channel; content_id: string | null; creator_id: string | null; share_code: string | null; share_chain: string; at: number;
}
export interface MediaRow { id: string; owner: string; storage_key: string; content_type: string; size_bytes: number; sha256: string; uploaded_by: string; created_at: number }
export interface SecretRow { name: string; value: string; created_at: number }

export interface ContentTables {
  content_items: ContentRow;
  content_products: ContentProductRow;
  content_likes: LikeRow;
  content_comments: CommentRow;
  content_shares: ShareRow;
  content_touches: TouchRow;
  content_media: MediaRow;
  content_secrets: SecretRow;
}

export type Counter = 'view_count' | 'like_count' | 'comment_count' | 'share_count';

/** Popularity: the feed's "popular" order. Integers only, so both engines sort alike. */
export const POPULARITY_SQL = 'like_count * 3 + comment_count * 4 + share_count * 5 + view_count';

/** The only code that touches content_* tables. */
export function createContentRepo(db: Db) {
  const q = (ex: Executor = db.kysely) => tables<ContentTables>(ex);
  const lastTouches = db.prepared<TouchRow>('select * from content_touches where buyer_id = ? and product_id = ? and at >= ? and at <= ? order by at desc, id desc limit 1');
  return {
    q,
    async content(id: string, ex?: Executor): Promise<ContentRow | undefined> {
      return q(ex).selectFrom('content_items').selectAll().where('id', '=', id).executeTakeFirst();
    },
    async contents(ids: readonly string[], ex?: Executor): Promise<ContentRow[]> {
      return ids.length ? q(ex).selectFrom('content_items').selectAll().where('id', 'in', ids).execute() : [];
    },
    async setProducts(tx: Executor, contentId: string, productIds: readonly string[]): Promise<void> {
      await q(tx).deleteFrom('content_products').where('content_id', '=', contentId).execute();
      if (productIds.length) await q(tx).insertInto('content_products').values(productIds.map((p, i) => ({ content_id: contentId, product_id: p, position: i }))).execute();
    },
    /** (content, product) pairs that exist among the given ones. */
    async links(pairs: readonly { content_id: string; product_id: string }[], ex?: Executor): Promise<Set<string>> {
      if (!pairs.length) return new Set();
      const rows = await q(ex).selectFrom('content_products').select(['content_id', 'product_id'])
        .where('content_id', 'in', [...new Set(pairs.map((p) => p.content_id))]).where('product_id', 'in', [...new Set(pairs.map((p) => p.product_id))]).execute();
      return new Set(rows.map((r) => `${r.content_id}|${r.product_id}`));
    },
    async bump(tx: Executor, id: string, counter: Counter, by: number): Promise<void> {
      await q(tx).updateTable('content_items').set({ [counter]: sql`${sql.ref(counter)} + ${by}` } as never).where('id', '=', id).execute();
    },
    /** The buyer's last touch of each product in [from, to] (checkout's hot path: one indexed statement). */
    async lastTouches(buyerId: string, productIds: readonly string[], from: number, to: number, ex: Executor = db.kysely): Promise<Map<string, TouchRow>> {
      const out = new Map<string, TouchRow>();
      const ids = [...new Set(productIds)];
      if (ids.length === 1) {
        const row = await lastTouches.first(ex, [buyerId, ids[0], from, to]);
        if (row) out.set(ids[0], { ...row, at: Number(row.at) });
        return out;
      }
      if (!ids.length) return out;
      const rows = await q(ex).selectFrom('content_touches').selectAll().where('buyer_id', '=', buyerId).where('product_id', 'in', ids)
        .where('at', '>=', from).where('at', '<=', to).orderBy('at', 'desc').orderBy('id', 'desc').execute();
      for (const r of rows) if (!out.has(r.product_id)) out.set(r.product_id, { ...r, at: Number(r.at) });
      return out;
    },
    async insertTouches(tx: Executor, rows: TouchRow[]): Promise<void> {
      if (rows.length) await q(tx).insertInto('content_touches').values(rows).execute();
    },
    async share(code: string, ex?: Executor): Promise<ShareRow | undefined> {
      return q(ex).selectFrom('content_shares').selectAll().where('code', '=', code).executeTakeFirst();
    },
  };
}
export type ContentRepo = ReturnType<typeof createContentRepo>;

export const toNum = (v: number | null): number | null => (v === null ? null : Number(v));
