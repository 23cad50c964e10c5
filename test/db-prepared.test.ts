import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { createDb, type Db } from '../src/db/index.ts';
import { freshDatabase, TEST_ENGINE, type TestDatabase } from './support/engine.ts';

// db.prepared: the same rows on both engines; on PostgreSQL a named statement, parsed and
// planned once per connection (one connection here, so the test can look at it).
let database: TestDatabase;
let db: Db;
before(async () => {
  database = freshDatabase();
  db = await createDb({ url: database.url, schema: database.schema, poolSize: 1 });
  await db.kysely.schema.createTable('p').addColumn('id', 'integer', (c) => c.primaryKey()).addColumn('v', 'text').execute();
  await db.kysely.insertInto('p').values([{ id: 1, v: 'a' }, { id: 2, v: 'b' }]).execute();
});
after(async () => {
  await db.close();
  await database.drop();
});

test('a prepared statement gives the same rows every call, inside and outside a transaction', async () => {
  const byId = db.prepared<{ v: string }>('select v from p where id = ?');
  assert.equal((await byId.first(db.kysely, [1]))?.v, 'a');
  assert.equal((await byId.first(db.kysely, [2]))?.v, 'b');
  assert.equal(await db.transaction(async (tx) => (await byId.first(tx, [2]))?.v), 'b');
  const rename = db.prepared('update p set v = ? where id = ?');
  assert.equal(await rename.run(db.kysely, ['c', 1]), 1);
  assert.equal((await byId.first(db.kysely, [1]))?.v, 'c');
});

test('on PostgreSQL a prepared text is a named statement of the connection, prepared once', { skip: TEST_ENGINE !== 'postgres' && 'PostgreSQL only' }, async () => {
  const count = db.prepared<{ n: number }>('select count(*)::int as n from p where id >= ?');
  for (let i = 0; i < 3; i++) assert.equal((await count.first(db.kysely, [1]))?.n, 2);
  const named = await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements`.execute(db.kysely);
  const mine = named.rows.filter((r) => r.statement === 'select count(*)::int as n from p where id >= $1');
  assert.equal(mine.length, 1, `prepared once on the connection: ${JSON.stringify(named.rows)}`);
  assert.match(mine[0].name, /^xd_/);
});
