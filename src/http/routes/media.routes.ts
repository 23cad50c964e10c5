import type { AppContext } from '../../app/wire.ts';
import { notFound } from '../../lib/errors.ts';
import type { App } from '../types.ts';

/**
 * Uploaded product images at /media/<key>. Keys are content-addressed, so a URL's bytes never
 * change: cache them forever. (With S3-compatible storage, images would be served by the
 * bucket/CDN instead and this route would only be a fallback.)
 */
export const mediaRoutes = (ctx: AppContext) => async (app: App) => {
  app.get('/media/*', { config: { auth: 'public' }, schema: { hide: true } }, async (req, reply) => {
    const key = (req.params as Record<string, string>)['*'] ?? '';
    const media = await ctx.catalog.readMedia(key);
    if (!media) throw notFound('media');
    return reply
      .type(media.content_type)
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('x-content-type-options', 'nosniff')
      .send(media.bytes);
  });
};
