import { sql } from 'kysely';
import type { Clock } from '../../lib/clock.ts';
import { invalid, notFound, rule, forbidden } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { clampLimit, decodeCursor, toPage, type Page } from '../../lib/page.ts';
import type { Db } from '../../db/index.ts';
import { POPULARITY_SQL, type ContentKind, type ContentRepo, type ContentRow, type CommentRow } from './content.repo.ts';
import { toContent, type Content, type ProductFacts } from './content.service.ts';
import type { WordFilter } from './moderation.ts';
import { htmlText } from './sanitize-html.ts';

export interface ProductCard {
  product_id: string; store_id: string; title: string; image: string | null; price_min_minor: number; price_max_minor: number; currency: 'CNY';
}
export interface FeedItem extends Omit<Content, 'body_html'> {
  summary: string;
  products: ProductCard[];
}
export interface ContentDetail extends Content {
  products: ProductCard[];
  liked_by_me: boolean;
}
export interface Comment { id: string; content_id: string; author_id: string; body: string; created_at: number }
export interface FeedQuery { sort?: 'newest' | 'popular'; kind?: ContentKind; store_id?: string; creator_id?: string; limit?: number; cursor?: string }

const FEED_CARDS = 3;
const COMMENT_MAX_CHARS = 500;

const toComment = (r: CommentRow): Comment => ({ id: r.id, content_id: r.content_id, author_id: r.author_id, body: r.body, created_at: Number(r.created_at) });

/** Buyer-facing reads (feed, detail with product cards), views, likes and moderated comments. */
export function createFeed(deps: {
  db: Db; repo: ContentRepo; clock: Clock; words: WordFilter;
  products(ids: readonly string[]): Promise<Map<string, ProductFacts>>;
  /** Records what a signed-in viewer saw (attribution touches); called after the view counts. */
  onOpened(viewerId: string, content: ContentRow): Promise<void>;
}) {
  const { db, repo, clock } = deps;

  async function cards(productIds: readonly string[]): Promise<Map<string, ProductCard>> {
    const facts = await deps.products([...new Set(productIds)]);
    return new Map([...facts.values()].filter((p) => p.live).map((p) => [p.id, {
      product_id: p.id, store_id: p.store_id, title: p.title, image: p.image, price_min_minor: p.price_min_minor, price_max_minor: p.price_max_minor, currency: 'CNY' as const,
    }]));
  }
  const cardsOf = (c: Content, all: Map<string, ProductCard>, max = Infinity) => c.product_ids.map((id) => all.get(id)).filter((x): x is ProductCard => !!x).slice(0, max);

  async function published(id: string): Promise<ContentRow> {
    const r = await repo.content(id);
    if (!r || r.status !== 'published') throw notFound('content', id);
    return r;
  }

  return {
    /** Published content, newest first or most popular first, cursor-paged. */
    async feed(q: FeedQuery): Promise<Page<FeedItem>> {
      const limit = clampLimit(q.limit);
      const after = decodeCursor(q.cursor);
      const popular = q.sort === 'popular';
      const keyExpr = popular ? sql<number>`(${sql.raw(POPULARITY_SQL)})` : sql<number>`published_at`;
      let query = repo.q().selectFrom('content_items').selectAll().select(keyExpr.as('sort_key')).where('status', '=', 'published')
        .orderBy(keyExpr, 'desc').orderBy('id', 'desc').limit(limit + 1);
      if (q.kind) query = query.where('kind', '=', q.kind);
      if (q.store_id) query = query.where('store_id', '=', q.store_id);
      if (q.creator_id) query = query.where('creator_id', '=', q.creator_id);
      if (after !== undefined) {
        const m = /^(-?\d+)\|(cnt_[0-9A-Z]{26})$/.exec(String(after));
        if (!m) throw invalid('invalid_cursor', 'cursor is not one this server issued');
        const [k, id] = [Number(m[1]), m[2]];
        query = query.where((eb) => eb.or([eb(keyExpr, '<', k), eb.and([eb(keyExpr, '=', k), eb('id', '<', id)])]));
      }
      const page = toPage(await query.execute(), limit, (r) => `${Number(r.sort_key)}|${r.id}`);
      const items = page.items.map(toContent);
      const all = await cards(items.flatMap((c) => c.product_ids.slice(0, FEED_CARDS * 2)));
      return {
        items: items.map(({ body_html, ...c }) => ({ ...c, summary: c.kind === 'article' ? htmlText(body_html).slice(0, 120) : c.caption.slice(0, 120), products: cardsOf({ ...c, body_html }, all, FEED_CARDS) })),
        next_cursor: page.next_cursor,
      };
    },

    /** Opening content: counts a view; for a signed-in viewer records the touches attribution reads. */
    async openContent(id: string, viewerId: string | null): Promise<ContentDetail> {
      const r = await published(id);
      await db.transaction((tx) => repo.bump(tx, id, 'view_count', 1));
      if (viewerId) await deps.onOpened(viewerId, r);
      const fresh = (await repo.content(id))!;
      const liked = viewerId ? !!(await repo.q().selectFrom('content_likes').select('account_id').where('content_id', '=', id).where('account_id', '=', viewerId).executeTakeFirst()) : false;
      const c = toContent(fresh);
      return { ...c, products: cardsOf(c, await cards(c.product_ids)), liked_by_me: liked };
    },

    /** Idempotent: liking twice is one like; the count moves only when the like row does. */
    async like(id: string, accountId: string, on: boolean): Promise<{ liked: boolean; like_count: number }> {
      await published(id);
      return db.transaction(async (tx) => {
        if (on) {
          const ins = await repo.q(tx).insertInto('content_likes').values({ content_id: id, account_id: accountId, created_at: clock.now() })
            .onConflict((oc) => oc.columns(['content_id', 'account_id']).doNothing()).executeTakeFirst();
          if (Number(ins.numInsertedOrUpdatedRows ?? 0n) === 1) await repo.bump(tx, id, 'like_count', 1);
        } else {
          const del = await repo.q(tx).deleteFrom('content_likes').where('content_id', '=', id).where('account_id', '=', accountId).executeTakeFirst();
          if (Number(del.numDeletedRows) === 1) await repo.bump(tx, id, 'like_count', -1);
        }
        const row = (await repo.content(id, tx))!;
        return { liked: on, like_count: Number(row.like_count) };
      });
    },

    /** Comments are checked against the banned-word list; a rejected one is not stored. */
    async addComment(id: string, authorId: string, text: string): Promise<Comment> {
      await published(id);
      const body = text.trim();
      if (!body) throw invalid('comment_empty', 'write something first').zh('评论不能为空');
      if ([...body].length > COMMENT_MAX_CHARS) throw invalid('comment_too_long', `comments are at most ${COMMENT_MAX_CHARS} characters`).zh(`评论最多 ${COMMENT_MAX_CHARS} 字`);
      const word = deps.words.find(body);
      if (word) throw rule('comment_rejected', 'the comment contains a prohibited word', { word }).zh(`评论包含违禁词“${word}”，未发布`);
      const row: CommentRow = { id: newId('cmt'), content_id: id, author_id: authorId, body, status: 'visible', created_at: clock.now() };
      await db.transaction(async (tx) => {
        await repo.q(tx).insertInto('content_comments').values(row).execute();
        await repo.bump(tx, id, 'comment_count', 1);
      });
      return toComment(row);
    },

    async listComments(id: string, opts: { limit?: number; cursor?: string }): Promise<Page<Comment>> {
      await published(id);
      const limit = clampLimit(opts.limit);
      const after = decodeCursor(opts.cursor);
      let query = repo.q().selectFrom('content_comments').selectAll().where('content_id', '=', id).where('status', '=', 'visible').orderBy('id', 'desc').limit(limit + 1);
      if (after !== undefined) query = query.where('id', '<', String(after));
      const page = toPage(await query.execute(), limit, (r) => r.id);
      return { items: page.items.map(toComment), next_cursor: page.next_cursor };
    },

    /** Its author or a platform operator takes a comment down. */
    async removeComment(id: string, commentId: string, actor: { account_id: string; operator: boolean }): Promise<void> {
      await db.transaction(async (tx) => {
        const c = await repo.q(tx).selectFrom('content_comments').selectAll().where('id', '=', commentId).where('content_id', '=', id).executeTakeFirst();
        if (!c || c.status !== 'visible') throw notFound('comment', commentId);
        if (c.author_id !== actor.account_id && !actor.operator) throw forbidden('not_comment_author', 'only its author or an operator may remove a comment');
        const moved = await repo.q(tx).updateTable('content_comments').set({ status: 'removed' }).where('id', '=', commentId).where('status', '=', 'visible').executeTakeFirst();
        if (Number(moved.numUpdatedRows) === 1) await repo.bump(tx, id, 'comment_count', -1);
      });
    },
  };
}
