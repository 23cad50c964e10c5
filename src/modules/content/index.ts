import type { Clock } from '../../lib/clock.ts';
import type { Db } from '../../db/index.ts';
import type { Outbox } from '../../db/outbox.ts';
import type { ObjectStorage } from '../catalog/index.ts';
import { createAttribution, type LiveRoomPort } from './attribution.service.ts';
import { DEFAULT_CONTENT_CONFIG, type ContentConfig } from './content.config.ts';
import { createContentMedia } from './content-media.ts';
import { createContentRepo } from './content.repo.ts';
import { createAuthoring, type ProductFacts } from './content.service.ts';
import { createFeed } from './feed.service.ts';
import { wordFilter } from './moderation.ts';

export type { Content, ContentInput, ContentPatch, Owner, ProductFacts } from './content.service.ts';
export type { ContentKind, ContentStatus } from './content.repo.ts';
export type { FeedItem, ContentDetail, ProductCard, Comment, FeedQuery } from './feed.service.ts';
export type { ShareLink, ResolvedShare, TouchInput, LiveRoomPort } from './attribution.service.ts';
export type { Channel, LineAttribution, Touch } from './attribution-rule.ts';
export type { ContentMedia } from './content-media.ts';
export type { ContentConfig } from './content.config.ts';
export { DEFAULT_CONTENT_CONFIG, MAX_LINKED_PRODUCTS } from './content.config.ts';
export { DEFAULT_COMMENT_BANNED_WORDS } from './moderation.ts';
export { sanitizeHtml, htmlText } from './sanitize-html.ts';

/**
 * Domain events (outbox, aggregate_id = content id):
 * - `content.published`   { content_id, kind, store_id, creator_id, product_ids, published_at }
 * - `content.updated`     { content_id, kind, store_id, creator_id, product_ids }   (edits while published)
 * - `content.unpublished` { content_id, kind, store_id, creator_id }
 * - `content.removed`     { content_id, kind, store_id, creator_id, reason, actor_id }   (by an operator)
 * - `content.shared`      { content_id, code, sharer_id, parent_code, chain }
 */
export interface ContentDeps {
  db: Db;
  clock: Clock;
  outbox: Outbox;
  /** Uploaded videos and covers (the same storage as product images). */
  storage: ObjectStorage;
  config?: Partial<ContentConfig>;
  /** Product facts from catalog (status, store, title, image, price range). */
  products(ids: readonly string[]): Promise<Map<string, ProductFacts>>;
  /**
   * HOOK for the affiliate module: which of these products the creator may link (their
   * selections). Default: any live product.
   */
  creatorMayLink?(creatorId: string, productIds: readonly string[]): Promise<Set<string>>;
  /** PORT for the live module: verifies 'live' claims at checkout. Absent: taken as sent. */
  live?: LiveRoomPort;
}

/**
 * Short videos and articles published by stores or creators, linking products; the buyer feed,
 * views, likes, moderated comments; signed share links; the touches of signed-in buyers and
 * the last-touch attribution checkout asks for. Rules: README.md.
 */
export function createContentModule(deps: ContentDeps) {
  const { db, clock, outbox } = deps;
  const config: ContentConfig = { ...DEFAULT_CONTENT_CONFIG, ...deps.config };
  const repo = createContentRepo(db);
  const words = wordFilter(config.bannedWords);
  const productsLive = async (ids: readonly string[]) => new Set([...(await deps.products(ids)).values()].filter((p) => p.live).map((p) => p.id));
  const creatorMayLink = deps.creatorMayLink ?? ((_creatorId: string, ids: readonly string[]) => productsLive(ids));
  const attribution = createAttribution({ db, repo, clock, outbox, config, live: deps.live, productsLive });
  const feed = createFeed({ db, repo, clock, words, products: deps.products, onOpened: attribution.contentOpened });
  return {
    config,
    ...createAuthoring({ db, repo, clock, outbox, words, products: deps.products, creatorMayLink }),
    ...feed,
    ...createContentMedia({ repo, clock, storage: deps.storage, videoMaxBytes: config.videoMaxBytes, imageMaxBytes: config.imageMaxBytes }),
    createShare: attribution.createShare,
    resolveShare: attribution.resolveShare,
    recordTouch: attribution.recordTouch,
    /** Per product, the buyer's last touch within the attribution window (README: the rule). */
    resolveAttribution: attribution.resolveAttribution,
    /** Trade checkout's attribution port (wired in app/wire.ts). */
    attributeLines: attribution.attributeLines,
  };
}
export type ContentModule = ReturnType<typeof createContentModule>;
