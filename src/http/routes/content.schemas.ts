import { Type } from 'typebox';
import { toIso } from '../../lib/clock.ts';
import type { Comment, Content, ContentDetail, ContentMedia, FeedItem, ShareLink } from '../../modules/content/index.ts';
import { MAX_LINKED_PRODUCTS } from '../../modules/content/index.ts';
import { MoneyMinor, NullableTimestamp, Timestamp } from '../schemas.ts';

const ProductId = Type.String({ pattern: '^prd_[0-9A-HJKMNP-TV-Z]{26}$' });
const MediaUrl = Type.String({ maxLength: 2000, description: 'an https URL, or the url of an upload (POST …/content-media)' });
const Title = Type.String({ minLength: 1, maxLength: 60 });
const Caption = Type.String({ maxLength: 1000 });
const BodyHtml = Type.String({ maxLength: 100_000, description: 'article HTML; sanitised with an allow-list (p, br, hr, strong, b, em, i, u, s, del, sub, sup, h2–h4, blockquote, ul, ol, li, pre, code, span, figure, figcaption, a[href,title,data-product-id], img[src,alt,width,height]); everything else is dropped' });
const DurationMs = Type.Integer({ minimum: 1000, maximum: 60 * 60 * 1000, description: 'video length in milliseconds' });
const ProductIds = Type.Array(ProductId, { maxItems: MAX_LINKED_PRODUCTS, description: 'linked products, in display order: live products of the store (or, for creators, products they may sell)' });

export const ContentBody = Type.Object({
  kind: Type.Union([Type.Literal('video'), Type.Literal('article')]),
  title: Title,
  caption: Type.Optional(Caption),
  body_html: Type.Optional(BodyHtml),
  video_url: Type.Optional(Type.Union([MediaUrl, Type.Null()])),
  cover_url: Type.Optional(Type.Union([MediaUrl, Type.Null()])),
  duration_ms: Type.Optional(Type.Union([DurationMs, Type.Null()])),
  product_ids: Type.Optional(ProductIds),
}, { additionalProperties: false });

export const ContentPatchBody = Type.Object({
  title: Type.Optional(Title),
  caption: Type.Optional(Caption),
  body_html: Type.Optional(BodyHtml),
  video_url: Type.Optional(Type.Union([MediaUrl, Type.Null()])),
  cover_url: Type.Optional(Type.Union([MediaUrl, Type.Null()])),
  duration_ms: Type.Optional(Type.Union([DurationMs, Type.Null()])),
  product_ids: Type.Optional(ProductIds),
}, { additionalProperties: false, minProperties: 1 });

export const StatusQuery = Type.Optional(Type.Union([Type.Literal('draft'), Type.Literal('published'), Type.Literal('removed')]));

const counts = {
  view_count: Type.Integer(), like_count: Type.Integer(), comment_count: Type.Integer(), share_count: Type.Integer(),
};
const base = {
  id: Type.String(), kind: Type.String(), store_id: Type.Union([Type.String(), Type.Null()]), creator_id: Type.Union([Type.String(), Type.Null()]),
  title: Type.String(), caption: Type.String(), video_url: Type.Union([Type.String(), Type.Null()]), cover_url: Type.Union([Type.String(), Type.Null()]),
  duration_ms: Type.Union([Type.Integer(), Type.Null()]), product_ids: Type.Array(Type.String()), status: Type.String(), ...counts,
  created_at: Timestamp, updated_at: Timestamp, published_at: NullableTimestamp,
};
export const ContentSchema = Type.Object({
  ...base, author_id: Type.String(), body_html: Type.String(),
  removed: Type.Union([Type.Object({ at: Timestamp, by: Type.Union([Type.String(), Type.Null()]), reason: Type.Union([Type.String(), Type.Null()]) }), Type.Null()]),
});
export const ProductCardSchema = Type.Object({
  product_id: Type.String(), store_id: Type.String(), title: Type.String(), image: Type.Union([Type.String(), Type.Null()]),
  price_min_minor: MoneyMinor, price_max_minor: MoneyMinor, currency: Type.Literal('CNY'),
});
export const FeedItemSchema = Type.Object({ ...base, summary: Type.String(), products: Type.Array(ProductCardSchema) });
export const ContentDetailSchema = Type.Object({
  ...base, body_html: Type.String(), products: Type.Array(ProductCardSchema, { description: 'live linked products only, with prices from the catalog' }), liked_by_me: Type.Boolean(),
});
export const CommentSchema = Type.Object({ id: Type.String(), content_id: Type.String(), author_id: Type.String(), body: Type.String(), created_at: Timestamp });
export const ShareSchema = Type.Object({
  token: Type.String(), path: Type.String({ description: 'the short link on this server: GET it to open the content' }), content_id: Type.String(),
  chain: Type.Array(Type.String(), { description: 'sharers from the first to you (account ids)' }), expires_at: Timestamp,
});
export const ResolvedShareSchema = Type.Object({
  content_id: Type.Union([Type.String(), Type.Null()], { description: 'null: unknown or forged link' }),
  attributed: Type.Boolean({ description: 'a share touch was recorded for you (signed in, link genuine and not expired)' }),
  share_chain: Type.Array(Type.String()),
});
export const ContentMediaSchema = Type.Object({ id: Type.String(), url: Type.String(), content_type: Type.String(), size_bytes: Type.Integer(), kind: Type.String() });

const times = (c: { created_at: number; updated_at: number; published_at: number | null }) => ({ created_at: toIso(c.created_at)!, updated_at: toIso(c.updated_at)!, published_at: toIso(c.published_at) });

export const presentContent = (c: Content) => ({ ...c, ...times(c), removed: c.removed ? { ...c.removed, at: toIso(c.removed.at)! } : null });
export const presentFeedItem = ({ author_id: _a, removed: _r, ...c }: FeedItem) => ({ ...c, ...times(c) });
export const presentDetail = ({ author_id: _a, removed: _r, ...c }: ContentDetail) => ({ ...c, ...times(c) });
export const presentComment = (c: Comment) => ({ ...c, created_at: toIso(c.created_at)! });
export const presentShare = (s: ShareLink) => ({ ...s, expires_at: toIso(s.expires_at)! });
export const presentMedia = (m: ContentMedia) => m;
