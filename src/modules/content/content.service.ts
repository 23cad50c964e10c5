import type { Clock } from '../../lib/clock.ts';
import { conflict, invalid, notFound, rule } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { clampLimit, decodeCursor, toPage, type Page } from '../../lib/page.ts';
import type { Db, Executor } from '../../db/index.ts';
import type { Outbox } from '../../db/outbox.ts';
import { MAX_LINKED_PRODUCTS } from './content.config.ts';
import { toNum, type ContentKind, type ContentRepo, type ContentRow, type ContentStatus } from './content.repo.ts';
import type { WordFilter } from './moderation.ts';
import { htmlText, safeUrl, sanitizeHtml } from './sanitize-html.ts';

/** Who publishes: a store (its staff write) or a creator (their own account). */
export type Owner = { kind: 'store'; store_id: string } | { kind: 'creator'; creator_id: string };

export interface ContentInput {
  kind: ContentKind;
  title: string;
  caption?: string;
  body_html?: string;
  video_url?: string | null;
  cover_url?: string | null;
  duration_ms?: number | null;
  product_ids?: string[];
}
export type ContentPatch = Partial<Omit<ContentInput, 'kind'>>;

export interface Content {
  id: string; kind: ContentKind; store_id: string | null; creator_id: string | null; author_id: string; title: string; caption: string; body_html: string;
  video_url: string | null; cover_url: string | null; duration_ms: number | null; product_ids: string[]; status: ContentStatus;
  view_count: number; like_count: number; comment_count: number; share_count: number;
  created_at: number; updated_at: number; published_at: number | null;
  removed: { at: number; by: string | null; reason: string | null } | null;
}

/** What content needs to know about a product (from catalog). */
export interface ProductFacts {
  id: string; store_id: string; title: string; image: string | null; price_min_minor: number; price_max_minor: number; live: boolean;
}

export interface AuthoringDeps {
  db: Db;
  repo: ContentRepo;
  clock: Clock;
  outbox: Outbox;
  words: WordFilter;
  products(ids: readonly string[]): Promise<Map<string, ProductFacts>>;
  /**
   * Which of these products a creator may link. Default: any live product. The affiliate
   * module restricts this to the creator's selections (wire it in app/wire.ts).
   */
  creatorMayLink(creatorId: string, productIds: readonly string[]): Promise<Set<string>>;
}

export const toContent = (r: ContentRow): Content => ({
  id: r.id, kind: r.kind, store_id: r.store_id, creator_id: r.creator_id, author_id: r.author_id, title: r.title, caption: r.caption, body_html: r.body_html,
  video_url: r.video_url, cover_url: r.cover_url, duration_ms: toNum(r.duration_ms), product_ids: JSON.parse(r.product_ids), status: r.status,
  view_count: Number(r.view_count), like_count: Number(r.like_count), comment_count: Number(r.comment_count), share_count: Number(r.share_count),
  created_at: Number(r.created_at), updated_at: Number(r.updated_at), published_at: toNum(r.published_at),
  removed: r.status === 'removed' ? { at: Number(r.removed_at), by: r.removed_by, reason: r.removed_reason } : null,
});

const ownerMatches = (r: ContentRow, o: Owner) => (o.kind === 'store' ? r.store_id === o.store_id : r.creator_id === o.creator_id && r.store_id === null);

function mediaUrl(v: string | null | undefined, field: string): string | null {
  if (v === undefined || v === null || v === '') return null;
  const url = safeUrl(v, 'src');
  if (url === null) throw invalid('invalid_media_url', `${field} must be an https URL or an uploaded file's /media/… path`, { field }).zh('地址须为 https 链接或上传后的 /media/ 路径');
  return url;
}

/** Creating, editing, publishing and removing content; reads for its owners and operators. */
export function createAuthoring(deps: AuthoringDeps) {
  const { db, repo, clock, outbox } = deps;

  async function checkLinks(owner: Owner, productIds: readonly string[]): Promise<string[]> {
    const ids = [...new Set(productIds)];
    if (ids.length !== productIds.length) throw invalid('duplicate_product', 'each product may be linked once');
    if (ids.length > MAX_LINKED_PRODUCTS) throw invalid('too_many_products', `link at most ${MAX_LINKED_PRODUCTS} products`).zh(`最多关联 ${MAX_LINKED_PRODUCTS} 个商品`);
    if (!ids.length) return ids;
    const facts = await deps.products(ids);
    const allowed = owner.kind === 'creator' ? await deps.creatorMayLink(owner.creator_id, ids) : null;
    for (const id of ids) {
      const p = facts.get(id);
      const ok = p && p.live && (owner.kind === 'store' ? p.store_id === owner.store_id : allowed!.has(id));
      if (!ok) {
        throw rule('product_not_linkable', owner.kind === 'store' ? 'only live products of this store can be linked' : 'only live products you may sell can be linked', { product_id: id })
          .zh(owner.kind === 'store' ? '只能关联本店在售商品' : '只能关联可带货的在售商品');
      }
    }
    return ids;
  }

  function checkWords(title: string, caption: string, bodyText: string): void {
    const word = deps.words.find(`${title} ${caption} ${bodyText}`);
    if (word) throw rule('content_banned_word', `the text contains a prohibited word: ${word}`, { word }).zh(`内容包含违禁词“${word}”`);
  }

  function checkPublishable(r: ContentRow): void {
    if (r.kind === 'video' && !r.video_url) throw rule('video_missing', 'a video needs its video file or URL before publishing').zh('请先上传视频');
    if (r.kind === 'article' && !htmlText(r.body_html)) throw rule('article_empty', 'an article needs a body before publishing').zh('文章正文不能为空');
  }

  async function owned(owner: Owner, id: string, ex?: Executor): Promise<ContentRow> {
    const r = await repo.content(id, ex);
    if (!r || !ownerMatches(r, owner)) throw notFound('content', id);
    return r;
  }

  async function list(filter: { store_id?: string; creator_id?: string; status?: ContentStatus }, opts: { limit?: number; cursor?: string }): Promise<Page<Content>> {
    const limit = clampLimit(opts.limit);
    const after = decodeCursor(opts.cursor);
    let query = repo.q().selectFrom('content_items').selectAll().orderBy('id', 'desc').limit(limit + 1);
    if (filter.store_id) query = query.where('store_id', '=', filter.store_id);
    if (filter.creator_id) query = query.where('creator_id', '=', filter.creator_id).where('store_id', 'is', null);
    if (filter.status) query = query.where('status', '=', filter.status);
    if (after !== undefined) query = query.where('id', '<', String(after));
    const page = toPage(await query.execute(), limit, (r) => r.id);
    return { items: page.items.map(toContent), next_cursor: page.next_cursor };
  }

  async function move(id: string, from: readonly ContentStatus[], set: Partial<ContentRow>, event: string, payload: (r: ContentRow) => Record<string, unknown>, owner: Owner | null): Promise<Content> {
    return db.transaction(async (tx) => {
      const r = owner ? await owned(owner, id, tx) : await repo.content(id, tx);
      if (!r) throw notFound('content', id);
      if (!from.includes(r.status)) throw conflict('content_status', `content is ${r.status}`, { status: r.status }).zh('内容状态不允许此操作');
      if (set.status === 'published') checkPublishable(r);
      const moved = await repo.q(tx).updateTable('content_items').set({ ...set, updated_at: clock.now() }).where('id', '=', id).where('status', '=', r.status).executeTakeFirst();
      if (Number(moved.numUpdatedRows) !== 1) throw conflict('content_status', 'content changed meanwhile; try again');
      const after = (await repo.content(id, tx))!;
      await outbox.emit(tx, event, id, { content_id: id, kind: r.kind, store_id: r.store_id, creator_id: r.creator_id, ...payload(after) });
      return toContent(after);
    });
  }

  return {
    async createContent(owner: Owner, input: ContentInput, authorId: string): Promise<Content> {
      const productIds = await checkLinks(owner, input.product_ids ?? []);
      const body = input.kind === 'article' ? sanitizeHtml(input.body_html ?? '') : '';
      checkWords(input.title, input.caption ?? '', htmlText(body));
      const now = clock.now();
      const row: ContentRow = {
        id: newId('cnt'), kind: input.kind, store_id: owner.kind === 'store' ? owner.store_id : null, creator_id: owner.kind === 'creator' ? owner.creator_id : null, author_id: authorId,
        title: input.title.trim(), caption: (input.caption ?? '').trim(), body_html: body,
        video_url: input.kind === 'video' ? mediaUrl(input.video_url, 'video_url') : null, cover_url: mediaUrl(input.cover_url, 'cover_url'),
        duration_ms: input.kind === 'video' ? input.duration_ms ?? null : null, product_ids: JSON.stringify(productIds), status: 'draft',
        view_count: 0, like_count: 0, comment_count: 0, share_count: 0, created_at: now, updated_at: now, published_at: null, removed_at: null, removed_by: null, removed_reason: null,
      };
      await db.transaction(async (tx) => {
        await repo.q(tx).insertInto('content_items').values(row).execute();
        await repo.setProducts(tx, row.id, productIds);
      });
      return toContent(row);
    },

    async editContent(owner: Owner, id: string, patch: ContentPatch): Promise<Content> {
      const current = await owned(owner, id);
      if (current.status === 'removed') throw conflict('content_status', 'removed content cannot be edited', { status: current.status }).zh('内容已被下架，不能编辑');
      const productIds = patch.product_ids !== undefined ? await checkLinks(owner, patch.product_ids) : undefined;
      const set: Partial<ContentRow> = {};
      if (patch.title !== undefined) set.title = patch.title.trim();
      if (patch.caption !== undefined) set.caption = patch.caption.trim();
      if (patch.body_html !== undefined && current.kind === 'article') set.body_html = sanitizeHtml(patch.body_html);
      if (patch.video_url !== undefined && current.kind === 'video') set.video_url = mediaUrl(patch.video_url, 'video_url');
      if (patch.cover_url !== undefined) set.cover_url = mediaUrl(patch.cover_url, 'cover_url');
      if (patch.duration_ms !== undefined && current.kind === 'video') set.duration_ms = patch.duration_ms;
      if (productIds) set.product_ids = JSON.stringify(productIds);
      checkWords(set.title ?? current.title, set.caption ?? current.caption, htmlText(set.body_html ?? current.body_html));
      return db.transaction(async (tx) => {
        const next = { ...current, ...set };
        if (current.status === 'published') checkPublishable(next);
        await repo.q(tx).updateTable('content_items').set({ ...set, updated_at: clock.now() }).where('id', '=', id).where('status', '=', current.status).execute();
        if (productIds) await repo.setProducts(tx, id, productIds);
        const after = (await repo.content(id, tx))!;
        if (after.status === 'published') await outbox.emit(tx, 'content.updated', id, { content_id: id, kind: after.kind, store_id: after.store_id, creator_id: after.creator_id, product_ids: JSON.parse(after.product_ids) });
        return toContent(after);
      });
    },

    publishContent: (owner: Owner, id: string) =>
      move(id, ['draft'], { status: 'published', published_at: clock.now() }, 'content.published', (r) => ({ product_ids: JSON.parse(r.product_ids), published_at: r.published_at }), owner),
    unpublishContent: (owner: Owner, id: string) => move(id, ['published'], { status: 'draft' }, 'content.unpublished', () => ({}), owner),
    /** Operators take content down (terminal); the reason is shown to its owner. */
    removeContent: (id: string, operatorId: string, reason: string) =>
      move(id, ['draft', 'published'], { status: 'removed', removed_at: clock.now(), removed_by: operatorId, removed_reason: reason }, 'content.removed', () => ({ reason, actor_id: operatorId }), null),

    getOwnedContent: async (owner: Owner, id: string) => toContent(await owned(owner, id)),
    listOwnedContent: (owner: Owner, opts: { limit?: number; cursor?: string; status?: ContentStatus }) =>
      list(owner.kind === 'store' ? { store_id: owner.store_id, status: opts.status } : { creator_id: owner.creator_id, status: opts.status }, opts),
    listAllContent: (opts: { limit?: number; cursor?: string; status?: ContentStatus; store_id?: string }) => list({ status: opts.status, store_id: opts.store_id }, opts),
    async getContent(id: string): Promise<Content> {
      const r = await repo.content(id);
      if (!r) throw notFound('content', id);
      return toContent(r);
    },
  };
}
