import { PostgresAdapter, type Kysely } from 'kysely';

/** For the few places (migrations) where the two engines need different SQL. */
export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
