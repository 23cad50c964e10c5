import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { notFoundHandler } from './errors.ts';
import type { App } from './types.ts';

/** Where `npm run build:web` writes the web app. */
export const WEB_DIST = fileURLToPath(new URL('../../web/dist', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.json': 'application/json',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg', '.webp': 'image/webp', '.ico': 'image/x-icon', '.woff2': 'font/woff2', '.txt': 'text/plain; charset=utf-8',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.json', '.svg', '.txt']);

interface Asset { body: Buffer; gz: Buffer | null; type: string; mtimeMs: number }

/**
 * Serves the built web app (web/dist): hashed files under /assets/ cached for a year, and
 * index.html for every other browser path (the app routes on the client: /, /product/…,
 * /merchant/…, /console/…). API paths keep their JSON 404s. Files are read once, gzipped
 * once, and re-read when a rebuild changes them.
 */
export function webApp(dir = WEB_DIST) {
  const cache = new Map<string, Asset>();
  function load(rel: string): Asset | null {
    const file = normalize(join(dir, rel));
    if (!file.startsWith(dir + sep) || rel.split('/').some((p) => p.startsWith('.'))) return null;
    let st;
    try {
      st = statSync(file);
    } catch {
      return null;
    }
    if (!st.isFile()) return null;
    const hit = cache.get(file);
    if (hit && hit.mtimeMs === st.mtimeMs) return hit;
    const body = readFileSync(file);
    const ext = extname(file);
    const a: Asset = { body, gz: COMPRESSIBLE.has(ext) && body.length > 512 ? gzipSync(body, { level: 9 }) : null, type: TYPES[ext] ?? 'application/octet-stream', mtimeMs: st.mtimeMs };
    cache.set(file, a);
    return a;
  }
  function send(req: FastifyRequest, reply: FastifyReply, a: Asset, cacheControl: string) {
    void reply.header('content-type', a.type).header('cache-control', cacheControl).header('x-content-type-options', 'nosniff').header('vary', 'accept-encoding');
    if (a.gz && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) return reply.header('content-encoding', 'gzip').send(a.gz);
    return reply.send(a.body);
  }
  const isApi = (url: string) => url.startsWith('/api/') || url === '/api' || url.startsWith('/media/') || url === '/healthz' || url === '/readyz';

  return async (app: App) => {
    app.get('/*', { config: { auth: 'public' }, schema: { hide: true } }, async (req, reply) => {
      const path = decodeURIComponent(req.url.split('?')[0]);
      if (isApi(path)) {
        notFoundHandler(req, reply);
        return reply;
      }
      if (path.startsWith('/assets/') || /\.[a-z0-9]+$/i.test(path)) {
        const a = load(path.slice(1));
        if (a) return send(req, reply, a, path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'public, max-age=300');
        return reply.status(404).type('text/plain; charset=utf-8').send('not found');
      }
      const index = load('index.html');
      if (!index) {
        return reply.status(503).type('text/html; charset=utf-8')
          .send('<!doctype html><meta charset="utf-8"><title>小店</title><p>The web app is not built yet: run <code>npm run build:web</code> (npm start does it when web/dist is missing). The API is at <a href="/api/docs">/api/docs</a>.</p>');
      }
      return send(req, reply, index, 'no-cache');
    });
  };
}

export const webBuilt = (dir = WEB_DIST) => existsSync(join(dir, 'index.html'));
