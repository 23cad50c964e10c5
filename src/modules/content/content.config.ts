import { DAY_MS, HOUR_MS } from '../../lib/clock.ts';
import { DEFAULT_COMMENT_BANNED_WORDS } from './moderation.ts';

export interface ContentConfig {
  /** Last-touch attribution window (XIAODIAN_ATTRIBUTION_WINDOW_HOURS, default 24 h). */
  attributionWindowMs: number;
  /** How long a share link attributes (XIAODIAN_SHARE_TTL_DAYS, default 7 days). */
  shareTtlMs: number;
  /** HMAC key of share links (XIAODIAN_SHARE_SECRET); null: one generated once and kept in the database. */
  shareSecret: string | null;
  /** Words comments (and content text) may not contain: the built-in list plus XIAODIAN_CONTENT_BANNED_WORDS. */
  bannedWords: readonly string[];
  /** Largest uploaded video (XIAODIAN_CONTENT_VIDEO_MAX_BYTES, default 50 MiB). */
  videoMaxBytes: number;
  /** Largest uploaded cover image. */
  imageMaxBytes: number;
}

export const DEFAULT_CONTENT_CONFIG: ContentConfig = {
  attributionWindowMs: 24 * HOUR_MS,
  shareTtlMs: 7 * DAY_MS,
  shareSecret: null,
  bannedWords: DEFAULT_COMMENT_BANNED_WORDS,
  videoMaxBytes: 50 * 1024 * 1024,
  imageMaxBytes: 5 * 1024 * 1024,
};

export const MAX_LINKED_PRODUCTS = 20;
