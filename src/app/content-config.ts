import { DAY_MS, HOUR_MS } from '../lib/clock.ts';
import { DEFAULT_CONTENT_CONFIG, type ContentConfig } from '../modules/content/index.ts';

/** Content settings from the environment (documented in src/modules/content/README.md). */
export function loadContentSettings(env: NodeJS.ProcessEnv): ContentConfig {
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const v = env[name];
    if (v === undefined || v === '') return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be an integer in ${min}..${max}, got "${v}"`);
    return n;
  };
  const secret = env.XIAODIAN_SHARE_SECRET || null;
  if (secret !== null && secret.length < 16) throw new Error('XIAODIAN_SHARE_SECRET must be at least 16 characters');
  const extra = (env.XIAODIAN_CONTENT_BANNED_WORDS ?? '').split(/[,，\n]/).map((w) => w.trim()).filter(Boolean);
  return {
    ...DEFAULT_CONTENT_CONFIG,
    attributionWindowMs: int('XIAODIAN_ATTRIBUTION_WINDOW_HOURS', DEFAULT_CONTENT_CONFIG.attributionWindowMs / HOUR_MS, 1, 24 * 90) * HOUR_MS,
    shareTtlMs: int('XIAODIAN_SHARE_TTL_DAYS', DEFAULT_CONTENT_CONFIG.shareTtlMs / DAY_MS, 1, 365) * DAY_MS,
    shareSecret: secret,
    bannedWords: [...DEFAULT_CONTENT_CONFIG.bannedWords, ...extra],
    videoMaxBytes: int('XIAODIAN_CONTENT_VIDEO_MAX_BYTES', DEFAULT_CONTENT_CONFIG.videoMaxBytes, 1024, 1024 * 1024 * 1024),
  };
}
