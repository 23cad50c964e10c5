import { fork } from 'node:child_process';
import type { Result } from 'autocannon';

/**
 * autocannon in a child process. Used for the latency-sensitive side of a mixed load (reads
 * measured while a write load runs): two autocannon instances on one event loop delay each
 * other's requests and responses, which would be counted as the server's latency.
 */
export function isolatedAutocannon(options: Record<string, unknown>): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = fork(new URL('./autocannon-worker.mjs', import.meta.url), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result: Result | undefined;
    child.once('message', (r) => (result = r as Result));
    child.once('error', reject);
    child.once('exit', (code) => (result ? resolve(result) : reject(new Error(`autocannon child exited with ${code} and no result`))));
    child.send(options);
  });
}
