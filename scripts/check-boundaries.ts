/**
 * Architecture lint (run by `npm run lint`):
 * 1. other code imports a module only through its index.ts;
 * 2. modules never import the HTTP layer, flows, subscribers or the composition root;
 * 3. no import cycles between modules.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(new URL('..', import.meta.url).pathname);
const SRC = join(ROOT, 'src');

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

const moduleOf = (file: string): string | null => {
  const m = /^src\/modules\/([^/]+)\//.exec(relative(ROOT, file));
  return m ? m[1] : null;
};

const problems: string[] = [];
const graph = new Map<string, Set<string>>();
const IMPORT_RE = /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

for (const file of walk(SRC)) {
  const text = readFileSync(file, 'utf8');
  const from = moduleOf(file);
  const isTest = file.endsWith('.test.ts');
  for (const m of text.matchAll(IMPORT_RE)) {
    const spec = m[1] ?? m[2];
    if (!spec.startsWith('.')) continue;
    const target = resolve(dirname(file), spec);
    const rel = relative(ROOT, target);
    const to = moduleOf(target + (target.endsWith('.ts') ? '' : '/x'));
    const where = `${relative(ROOT, file)} → ${spec}`;
    if (to && to !== from && !/^src\/modules\/[^/]+\/index\.ts$/.test(rel)) problems.push(`${where}: import module "${to}" through its index.ts only`);
    if (from && !isTest && /^src\/(http|flows|subscribers|app)\//.test(rel)) problems.push(`${where}: a module must not depend on ${rel.split('/')[1]}/`);
    if (from && to && to !== from) {
      if (!graph.has(from)) graph.set(from, new Set());
      graph.get(from)!.add(to);
    }
  }
}

// cycle detection over the module graph
const state = new Map<string, 'visiting' | 'done'>();
const stack: string[] = [];
function visit(n: string): void {
  if (state.get(n) === 'done') return;
  if (state.get(n) === 'visiting') {
    problems.push(`import cycle between modules: ${[...stack.slice(stack.indexOf(n)), n].join(' → ')}`);
    return;
  }
  state.set(n, 'visiting');
  stack.push(n);
  for (const m of graph.get(n) ?? []) visit(m);
  stack.pop();
  state.set(n, 'done');
}
for (const n of graph.keys()) visit(n);

if (problems.length) {
  process.stderr.write(`architecture check failed:\n  ${problems.join('\n  ')}\n`);
  process.exit(1);
}
process.stdout.write(`architecture check passed (${graph.size} modules with cross-module imports, no cycles)\n`);
