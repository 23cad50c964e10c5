/**
 * `--ref=<commit>`: run the servers from a clean export of a commit instead of the working
 * tree, to compare commits or to measure while the working tree is mid-change. The export
 * borrows the working tree's node_modules, so a commit with other dependencies is measured
 * with today's.
 */
import { execFileSync, execSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './processes.ts';

export interface Checkout {
  dir: string;
  /** Short commit id. */
  commit: string;
  remove(): void;
}

export function exportRef(ref: string): Checkout {
  const commit = execFileSync('git', ['rev-parse', '--short', `${ref}^{commit}`], { cwd: ROOT, encoding: 'utf8' }).trim();
  const dir = mkdtempSync(join(tmpdir(), `xd-bench-ref-${commit}-`));
  execSync(`git archive ${commit} | tar -x -C '${dir}'`, { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return { dir, commit, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
