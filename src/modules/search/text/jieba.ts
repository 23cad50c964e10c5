/**
 * The one Jieba instance of the process, created on first use.
 *
 * @node-rs/jieba v2: `Jieba.withDict(dict)` where `dict` (a Uint8Array of dict.txt) comes from
 * the separate entry point `@node-rs/jieba/dict`. That entry point reads dict.txt (5 MB) and
 * idf.txt (6 MB) synchronously when it is first loaded, and building the dictionary takes a few
 * hundred milliseconds and ~50 MB, so both are loaded lazily here (createRequire, not a static
 * import) and only once. Call `warmUpJieba()` at start-up to keep that off the first request.
 */
import { createRequire } from 'node:module';
import type { Jieba } from '@node-rs/jieba';

type JiebaModule = typeof import('@node-rs/jieba');
/** The shape of dict.d.ts; its subpath has no `exports` entry, which NodeNext types cannot resolve. */
type DictModule = { dict: Uint8Array };

let instance: Jieba | undefined;

export function getJieba(): Jieba {
  if (instance === undefined) {
    const require = createRequire(import.meta.url);
    const { Jieba: JiebaClass } = require('@node-rs/jieba') as JiebaModule;
    const { dict } = require('@node-rs/jieba/dict') as DictModule;
    instance = JiebaClass.withDict(dict);
  }
  return instance;
}

/** Loads the dictionary now; returns how long it took, for the start-up log. */
export function warmUpJieba(): { load_ms: number } {
  const started = performance.now();
  getJieba().cut('预热', true);
  return { load_ms: Math.round(performance.now() - started) };
}

/** Whether to let Jieba's HMM guess out-of-dictionary words (小度, brand names). */
export const USE_HMM = true;
