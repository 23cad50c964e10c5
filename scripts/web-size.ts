/**
 * `npm run web:size`: the compressed JavaScript a phone downloads to show the storefront's
 * first page — the entry chunk, the storefront chunk and everything they import statically
 * (what the browser fetches before the home page renders) — gzipped at level 9 as the server
 * sends it. `--write` records the numbers in docs/benchmarks.md (section web-size).
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ensureWebBuilt } from './ensure-web.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const DIST = join(ROOT, 'web', 'dist');
const BUDGET = 200 * 1024;

interface Chunk { file: string; src?: string; isEntry?: boolean; imports?: string[]; dynamicImports?: string[]; css?: string[] }

ensureWebBuilt({ ifStale: true });
const manifest = JSON.parse(readFileSync(join(DIST, '.vite', 'manifest.json'), 'utf8')) as Record<string, Chunk>;

/** A chunk and its static imports, transitively. */
function closure(keys: string[], out = new Set<string>()): Set<string> {
  for (const k of keys) {
    if (out.has(k)) continue;
    out.add(k);
    closure(manifest[k]?.imports ?? [], out);
  }
  return out;
}

const gz = (file: string) => gzipSync(readFileSync(join(DIST, file)), { level: 9 }).length;
const raw = (file: string) => statSync(join(DIST, file)).size;

function face(name: string, module: string) {
  const keys = closure(['index.html', module]);
  const files = [...keys].map((k) => manifest[k].file);
  const css = [...new Set([...keys].flatMap((k) => manifest[k].css ?? []))];
  return { name, js: files.reduce((s, f) => s + gz(f), 0), jsRaw: files.reduce((s, f) => s + raw(f), 0), css: css.reduce((s, f) => s + gz(f), 0), files };
}

const rows = [face('storefront (/)', 'src/storefront/app.tsx'), face('merchant (/merchant)', 'src/merchant/app.tsx'), face('console (/console)', 'src/console/app.tsx')];
const charts = Object.values(manifest).find((c) => c.src === 'src/merchant/charts.tsx');
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const lines = [
  '| first load of | JS gzip | JS raw | CSS gzip | chunks |',
  '|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.name} | **${kb(r.js)}** | ${kb(r.jsRaw)} | ${kb(r.css)} | ${r.files.length} |`),
];
if (charts) lines.push('', `The merchant dashboard's charts (ECharts) load lazily on that page only: ${kb(gz(charts.file))} gzip more.`);
const storefront = rows[0];
const verdict = storefront.js <= BUDGET ? `within the ${kb(BUDGET)} budget` : `OVER the ${kb(BUDGET)} budget`;
process.stdout.write(`${lines.join('\n')}\n\nstorefront first load: ${kb(storefront.js)} of compressed JavaScript — ${verdict}\n`);

if (process.argv.includes('--write')) {
  const doc = join(ROOT, 'docs', 'benchmarks.md');
  const section = [
    '<!-- bench:web-size -->',
    '## Web app: first-load JavaScript',
    '',
    `Measured by \`npm run web:size\` (scripts/web-size.ts) on the production build: the entry chunk plus the face's chunk and their static imports, gzip level 9 as the server sends them. Budget for the storefront: ${kb(BUDGET)}.`,
    '',
    ...lines,
    '<!-- /bench:web-size -->',
  ].join('\n');
  const text = existsSync(doc) ? readFileSync(doc, 'utf8') : '# Benchmarks\n';
  const re = /<!-- bench:web-size -->[\s\S]*?<!-- \/bench:web-size -->/;
  writeFileSync(doc, re.test(text) ? text.replace(re, section) : `${text.trimEnd()}\n\n${section}\n`);
  process.stdout.write('docs/benchmarks.md updated (section web-size)\n');
}
if (storefront.js > BUDGET) process.exit(1);
