/**
 * Builds the web app (web/dist) when it is missing — `npm start` runs this first (prestart),
 * so a fresh clone serves the storefront without a separate step. `--if-stale` also rebuilds
 * when a file under web/src is newer than the build (the browser tests use that).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const DIST_INDEX = join(ROOT, 'web', 'dist', 'index.html');

function newest(dir: string): number {
  let t = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    t = Math.max(t, st.isDirectory() ? newest(p) : st.mtimeMs);
  }
  return t;
}

export function webIsStale(): boolean {
  if (!existsSync(DIST_INDEX)) return true;
  const built = statSync(DIST_INDEX).mtimeMs;
  const sources = Math.max(newest(join(ROOT, 'web', 'src')), ...['index.html', 'vite.config.ts'].map((f) => statSync(join(ROOT, 'web', f)).mtimeMs));
  return sources > built;
}

/** Runs `vite build` when web/dist is missing (or, with ifStale, older than its sources). */
export function ensureWebBuilt(opts: { ifStale?: boolean; quiet?: boolean } = {}): boolean {
  const need = opts.ifStale ? webIsStale() : !existsSync(DIST_INDEX);
  if (!need) return false;
  if (!opts.quiet) process.stdout.write('building the web app (vite build → web/dist)…\n');
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', join(ROOT, 'web', 'vite.config.ts'), '--logLevel', opts.quiet ? 'error' : 'info'], {
    cwd: ROOT, stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error(`vite build failed (exit ${r.status})`);
  return true;
}

if (import.meta.url === `file://${process.argv[1]}`) ensureWebBuilt({ ifStale: process.argv.includes('--if-stale') });
