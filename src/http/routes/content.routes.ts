import type { FastifyContextConfig } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../app/wire.ts';
import { notFound } from '../../lib/errors.ts';
import type { ContentStatus, Owner } from '../../modules/content/index.ts';
import { errors, IdParam, Page, PageQuery } from '../schemas.ts';
import type { App } from '../types.ts';
import {
  CommentSchema, ContentBody, ContentDetailSchema, ContentMediaSchema, ContentPatchBody, ContentSchema, FeedItemSchema, presentComment, presentContent, presentDetail,
  presentFeedItem, presentShare, ResolvedShareSchema, ShareSchema, StatusQuery,
} from './content.schemas.ts';

const ContentParams = IdParam('contentId', 'cnt');
const CommentParams = Type.Intersect([ContentParams, IdParam('commentId', 'cmt')]);
const StoreParams = IdParam('storeId', 'sto');
const StoreContentParams = Type.Intersect([StoreParams, ContentParams]);
const ShareToken = Type.String({ maxLength: 200, description: 'the token of a share link (the part after /s/)' });
const MEDIA_TYPES = ['video/mp4', 'video/quicktime', 'video/webm', 'image/jpeg', 'image/png', 'image/webp', 'application/octet-stream'];
const LikeSchema = Type.Object({ liked: Type.Boolean(), like_count: Type.Integer() });
const TouchBody = Type.Object({
  product_id: Type.String({ pattern: '^prd_[0-9A-HJKMNP-TV-Z]{26}$' }),
  channel: Type.Union(['video', 'article', 'share', 'search', 'feed', 'store'].map((c) => Type.Literal(c))),
  content_id: Type.Optional(Type.Union([Type.String({ pattern: '^cnt_[0-9A-HJKMNP-TV-Z]{26}$' }), Type.Null()])),
  share_token: Type.Optional(Type.Union([ShareToken, Type.Null()])),
}, { additionalProperties: false });
const TouchSchema = Type.Object({
  product_id: Type.String(), channel: Type.String(), content_id: Type.Union([Type.String(), Type.Null()]), creator_id: Type.Union([Type.String(), Type.Null()]),
  share_chain: Type.Array(Type.String()), at: Type.String({ format: 'date-time' }),
});

/**
 * The buyer side of content: the feed, content detail with product cards (views counted,
 * touches recorded for signed-in viewers), likes, moderated comments, share links and the
 * touches that attribution reads. Rules: src/modules/content/README.md.
 */
export const buyerContentRoutes = (ctx: AppContext) => async (app: App) => {
  const tags = ['content'];
  app.get('/contents', {
    config: { auth: 'public' },
    schema: {
      tags, summary: 'The content feed: published videos and articles, newest or most popular first', querystring: Type.Intersect([PageQuery, Type.Object({
        sort: Type.Optional(Type.Union([Type.Literal('newest'), Type.Literal('popular')], { default: 'newest' })), kind: Type.Optional(Type.Union([Type.Literal('video'), Type.Literal('article')])),
        store_id: Type.Optional(Type.String({ pattern: '^sto_' })), creator_id: Type.Optional(Type.String({ pattern: '^acc_' })),
      })]), response: { 200: Page(FeedItemSchema), ...errors(400) },
    },
  }, async (req) => {
    const page = await ctx.content.feed(req.query as never);
    return { items: page.items.map(presentFeedItem), next_cursor: page.next_cursor };
  });

  app.get('/contents/:contentId', {
    config: { auth: 'public' },
    schema: { tags, summary: 'Open content: counts a view; for a signed-in viewer records a touch of each linked product', params: ContentParams, response: { 200: ContentDetailSchema, ...errors(404) } },
  }, async (req) => presentDetail(await ctx.content.openContent(req.params.contentId, req.principal?.account_id ?? null)));

  app.post('/contents/:contentId/like', {
    schema: { tags, summary: 'Like (idempotent)', params: ContentParams, response: { 200: LikeSchema, ...errors(401, 404) } },
  }, async (req) => ctx.content.like(req.params.contentId, req.principal!.account_id, true));
  app.delete('/contents/:contentId/like', {
    schema: { tags, summary: 'Unlike (idempotent)', params: ContentParams, response: { 200: LikeSchema, ...errors(401, 404) } },
  }, async (req) => ctx.content.like(req.params.contentId, req.principal!.account_id, false));

  app.get('/contents/:contentId/comments', {
    config: { auth: 'public' },
    schema: { tags, params: ContentParams, querystring: PageQuery, response: { 200: Page(CommentSchema), ...errors(400, 404) } },
  }, async (req) => {
    const page = await ctx.content.listComments(req.params.contentId, req.query);
    return { items: page.items.map(presentComment), next_cursor: page.next_cursor };
  });
  app.post('/contents/:contentId/comments', {
    schema: {
      tags, summary: 'Comment; a comment with a banned word is refused with 422 comment_rejected (details.word) and not stored', params: ContentParams,
      body: Type.Object({ body: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false }), response: { 201: CommentSchema, ...errors(400, 401, 404, 422) },
    },
  }, async (req, reply) => reply.status(201).send(presentComment(await ctx.content.addComment(req.params.contentId, req.principal!.account_id, req.body.body))));
  app.delete('/contents/:contentId/comments/:commentId', {
    schema: { tags, summary: 'Remove a comment (its author, or a platform operator)', params: CommentParams, response: { 204: Type.Null(), ...errors(401, 403, 404) } },
  }, async (req, reply) => {
    await ctx.content.removeComment(req.params.contentId, req.params.commentId, { account_id: req.principal!.account_id, operator: req.principal!.roles.has('operator') });
    return reply.status(204).send(null);
  });

  app.post('/contents/:contentId/shares', {
    schema: {
      tags, summary: 'Create a signed short link to share; it extends the share chain of the link you arrived by (parent_token, or your last share touch of this content)',
      params: ContentParams, body: Type.Optional(Type.Object({ parent_token: Type.Optional(ShareToken) }, { additionalProperties: false })), response: { 201: ShareSchema, ...errors(401, 404) },
    },
  }, async (req, reply) => reply.status(201).send(presentShare(await ctx.content.createShare(req.params.contentId, req.principal!.account_id, req.body?.parent_token ?? null))));

  app.post('/shares/resolve', {
    config: { auth: 'public' },
    schema: {
      tags, summary: 'Open a share link (for apps): never an error — forged or unknown links give content_id null, expired ones no attribution',
      body: Type.Object({ token: ShareToken }, { additionalProperties: false }), response: { 200: ResolvedShareSchema, ...errors(400) },
    },
  }, async (req) => ctx.content.resolveShare(req.body.token, req.principal?.account_id ?? null));

  app.post('/me/touches', {
    schema: {
      tags, summary: 'Record that you opened a product from content, a share link, a store page, search or the feed (attribution: last touch)',
      body: TouchBody, response: { 200: Type.Object({ recorded: Type.Boolean() }), ...errors(400, 401, 404, 422) },
    },
  }, async (req) => ctx.content.recordTouch(req.principal!.account_id, req.body as never));

  app.get('/me/attribution', {
    schema: {
      tags, summary: 'Per product, your last touch within the attribution window (what checkout would record now)',
      querystring: Type.Object({ product_ids: Type.Array(Type.String({ pattern: '^prd_' }), { minItems: 1, maxItems: 50 }) }), response: { 200: Type.Object({ items: Type.Array(TouchSchema) }), ...errors(400, 401) },
    },
  }, async (req) => {
    const touches = await ctx.content.resolveAttribution(req.principal!.account_id, req.query.product_ids);
    return { items: [...touches].map(([product_id, t]) => ({ product_id, channel: t.channel, content_id: t.content_id, creator_id: t.creator_id, share_chain: t.share_chain, at: new Date(t.at).toISOString() })) };
  });
};

/** Authoring routes shared by stores (/merchant/stores/:storeId/…) and creators (/creator/…). */
function authoringRoutes(ctx: AppContext, app: App, prefix: string, owner: (req: { params: unknown; principal: { account_id: string } | null }) => Owner, perm: { read?: 'store.read'; write?: 'content.write' }) {
  const tags = [prefix.startsWith('/stores') ? 'merchant content' : 'creator content'];
  const params = prefix.startsWith('/stores') ? StoreParams : undefined;
  const itemParams = prefix.startsWith('/stores') ? StoreContentParams : ContentParams;
  const cfg = (p?: 'store.read' | 'content.write'): FastifyContextConfig => (p ? { permission: p } : { auth: 'creator' });
  app.addContentTypeParser(MEDIA_TYPES, { parseAs: 'buffer', bodyLimit: ctx.content.config.videoMaxBytes }, (_req, body, done) => done(null, body));

  app.get(`${prefix}/contents`, {
    config: cfg(perm.read), schema: { tags, ...(params ? { params } : {}), querystring: Type.Intersect([PageQuery, Type.Object({ status: StatusQuery })]), response: { 200: Page(ContentSchema), ...errors(400, 401, 403, 404) } },
  }, async (req) => {
    const q = req.query as { limit?: number; cursor?: string; status?: ContentStatus };
    const page = await ctx.content.listOwnedContent(owner(req), q);
    return { items: page.items.map(presentContent), next_cursor: page.next_cursor };
  });
  app.post(`${prefix}/contents`, {
    config: cfg(perm.write), schema: { tags, summary: 'Create a draft video or article (article HTML is sanitised; linked products must be live)', ...(params ? { params } : {}), body: ContentBody, response: { 201: ContentSchema, ...errors(400, 401, 403, 404, 422) } },
  }, async (req, reply) => reply.status(201).send(presentContent(await ctx.content.createContent(owner(req), req.body as never, req.principal!.account_id))));
  app.get(`${prefix}/contents/:contentId`, {
    config: cfg(perm.read), schema: { tags, params: itemParams, response: { 200: ContentSchema, ...errors(401, 403, 404) } },
  }, async (req) => presentContent(await ctx.content.getOwnedContent(owner(req), (req.params as { contentId: string }).contentId)));
  app.patch(`${prefix}/contents/:contentId`, {
    config: cfg(perm.write), schema: { tags, params: itemParams, body: ContentPatchBody, response: { 200: ContentSchema, ...errors(400, 401, 403, 404, 409, 422) } },
  }, async (req) => presentContent(await ctx.content.editContent(owner(req), (req.params as { contentId: string }).contentId, req.body as never)));
  app.post(`${prefix}/contents/:contentId/publish`, {
    config: cfg(perm.write), schema: { tags, summary: 'Publish a draft to the feed', params: itemParams, response: { 200: ContentSchema, ...errors(401, 403, 404, 409, 422) } },
  }, async (req) => presentContent(await ctx.content.publishContent(owner(req), (req.params as { contentId: string }).contentId)));
  app.post(`${prefix}/contents/:contentId/unpublish`, {
    config: cfg(perm.write), schema: { tags, summary: 'Take published content back to draft', params: itemParams, response: { 200: ContentSchema, ...errors(401, 403, 404, 409) } },
  }, async (req) => presentContent(await ctx.content.unpublishContent(owner(req), (req.params as { contentId: string }).contentId)));
  app.post(`${prefix}/content-media`, {
    config: cfg(perm.write),
    schema: {
      tags, summary: `Upload a video (MP4, MOV, WebM; at most ${ctx.content.config.videoMaxBytes} bytes) or a cover image (JPEG, PNG, WebP): the raw bytes as the body. The same file twice gives the same URL (200).`,
      ...(params ? { params } : {}), consumes: MEDIA_TYPES, response: { 200: ContentMediaSchema, 201: ContentMediaSchema, ...errors(400, 401, 403, 404) },
    },
  }, async (req, reply) => {
    const o = owner(req);
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const { media, created } = await ctx.content.uploadContentMedia(o.kind === 'store' ? o.store_id : o.creator_id, body, req.principal!.account_id);
    return reply.status(created ? 201 : 200).send(media);
  });
}

export const merchantContentRoutes = (ctx: AppContext) => async (app: App) => {
  authoringRoutes(ctx, app, '/stores/:storeId', (req) => ({ kind: 'store', store_id: (req.params as { storeId: string }).storeId }), { read: 'store.read', write: 'content.write' });
};

export const creatorContentRoutes = (ctx: AppContext) => async (app: App) => {
  authoringRoutes(ctx, app, '', (req) => ({ kind: 'creator', creator_id: req.principal!.account_id }), {});
};

export const consoleContentRoutes = (ctx: AppContext) => async (app: App) => {
  const tags = ['console content'];
  app.get('/contents', {
    config: { auth: 'operator' },
    schema: { tags, querystring: Type.Intersect([PageQuery, Type.Object({ status: StatusQuery, store_id: Type.Optional(Type.String({ pattern: '^sto_' })) })]), response: { 200: Page(ContentSchema), ...errors(400, 401, 403) } },
  }, async (req) => {
    const page = await ctx.content.listAllContent(req.query as never);
    return { items: page.items.map(presentContent), next_cursor: page.next_cursor };
  });
  app.post('/contents/:contentId/remove', {
    config: { auth: 'operator' },
    schema: { tags, summary: 'Take content down (final); the reason is shown to its owner', params: ContentParams, body: Type.Object({ reason: Type.String({ minLength: 2, maxLength: 200 }) }, { additionalProperties: false }), response: { 200: ContentSchema, ...errors(400, 401, 403, 404, 409) } },
  }, async (req) => presentContent(await ctx.content.removeContent(req.params.contentId, req.principal!.account_id, req.body.reason)));
};

/**
 * Outside /api/v1: uploaded content files at /media/content/… and short links at /s/<token>.
 * A short link always redirects: to the content (recording a share touch when the request
 * is signed in) or, for a forged/unknown link, to the feed — never an error page.
 */
export const contentLinkRoutes = (ctx: AppContext) => async (app: App) => {
  app.get('/media/content/*', { config: { auth: 'public' }, schema: { hide: true } }, async (req, reply) => {
    const key = `content/${(req.params as Record<string, string>)['*'] ?? ''}`;
    const media = await ctx.content.readContentMedia(key);
    if (!media) throw notFound('media');
    return reply.type(media.content_type).header('cache-control', 'public, max-age=31536000, immutable').header('x-content-type-options', 'nosniff').send(media.bytes);
  });
  app.get('/s/:token', {
    config: { auth: 'public' },
    schema: { tags: ['content'], summary: 'Open a share link: 302 to the content page (/contents/<id>?share=<token>) or to / for an unknown link', params: Type.Object({ token: Type.String({ maxLength: 200 }) }) },
  }, async (req, reply) => {
    const r = await ctx.content.resolveShare(req.params.token, req.principal?.account_id ?? null);
    return reply.redirect(r.content_id ? `/contents/${r.content_id}?share=${encodeURIComponent(req.params.token)}` : '/', 302);
  });
};
