import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { webApp } from './web.ts';
import type { App } from './types.ts';

async function serve(build: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'xiaodian-web-'));
  if (build) {
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), `<!doctype html><title>小店</title>${'<!-- padding -->'.repeat(60)}`);
    writeFileSync(join(dir, 'assets', 'app-abc123.js'), `console.log(${JSON.stringify('小店'.repeat(400))});`);
  }
  const app = Fastify() as unknown as App;
  await app.register(webApp(dir));
  app.get('/api/v1/ping', async () => ({ ok: true }));
  return { app, close: async () => { await app.close(); rmSync(dir, { recursive: true, force: true }); } };
}

test('browser paths of every face get index.html; hashed assets are cached for a year and gzipped', async () => {
  const { app, close } = await serve(true);
  try {
    for (const url of ['/', '/product/prd_1', '/merchant', '/merchant/orders?status=paid', '/console/stores/sto_1', '/contents/cnt_1?share=x']) {
      const r = await app.inject({ url });
      assert.equal(r.statusCode, 200, url);
      assert.match(r.headers['content-type'] as string, /text\/html/);
      assert.equal(r.headers['cache-control'], 'no-cache');
      assert.match(r.body, /<title>小店<\/title>/);
    }
    const js = await app.inject({ url: '/assets/app-abc123.js', headers: { 'accept-encoding': 'gzip, br' } });
    assert.equal(js.statusCode, 200);
    assert.equal(js.headers['content-encoding'], 'gzip');
    assert.equal(js.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.match(gunzipSync(js.rawPayload).toString(), /^console\.log/);
    const plain = await app.inject({ url: '/assets/app-abc123.js' });
    assert.equal(plain.headers['content-encoding'], undefined);
  } finally {
    await close();
  }
});

test('API paths keep JSON 404s; missing assets and paths outside the build are 404', async () => {
  const { app, close } = await serve(true);
  try {
    const api = await app.inject({ url: '/api/v1/nope' });
    assert.equal(api.statusCode, 404);
    assert.equal(api.json().error.code, 'route_not_found');
    assert.equal((await app.inject({ url: '/api/v1/ping' })).json().ok, true);
    assert.equal((await app.inject({ url: '/assets/missing.js' })).statusCode, 404);
    assert.equal((await app.inject({ url: '/assets/..%2F..%2Fpackage.json' })).statusCode, 404);
    assert.equal((await app.inject({ url: '/.vite/manifest.json' })).statusCode, 404);
  } finally {
    await close();
  }
});

test('without a build the pages say how to build it (503), the API still answers', async () => {
  const { app, close } = await serve(false);
  try {
    const r = await app.inject({ url: '/merchant' });
    assert.equal(r.statusCode, 503);
    assert.match(r.body, /npm run build:web/);
    assert.equal((await app.inject({ url: '/api/v1/ping' })).statusCode, 200);
  } finally {
    await close();
  }
});
