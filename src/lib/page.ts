import { invalid } from './errors.ts';

/**
 * Cursor pagination: lists are ordered by a unique sortable key (usually the ULID id);
 * the cursor is the opaque last key of the previous page. Fetch `limit + 1` rows and pass
 * them to `toPage`, which trims and produces `next_cursor`.
 */
export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;

export function encodeCursor(key: string | number): string {
  return Buffer.from(JSON.stringify({ k: key }), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined): string | number | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { k?: unknown };
    if (typeof parsed.k === 'string' || typeof parsed.k === 'number') return parsed.k;
  } catch {
    /* fall through */
  }
  throw invalid('invalid_cursor', 'cursor is not one this server issued');
}

export function clampLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_LIMIT;
  return Math.max(1, Math.min(MAX_LIMIT, Math.trunc(limit)));
}

export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => string | number): Page<T> {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  return { items, next_cursor: more && items.length > 0 ? encodeCursor(keyOf(items[items.length - 1])) : null };
}
