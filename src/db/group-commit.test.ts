import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createDb, type Db } from './index.ts';
import { createGroupCommitter } from './group-commit.ts';
import { freshDatabase, type TestDatabase } from '../../test/support/engine.ts';

let database: TestDatabase;
let db: Db;
before(async () => {
  database = freshDatabase();
  db = await createDb({ url: database.url, schema: database.schema });
  await db.kysely.schema.createTable('gc_test').addColumn('id', 'integer', (c) => c.primaryKey()).addColumn('v', 'text').execute();
});
after(async () => {
  await db.close();
  await database.drop();
});

test('concurrent jobs commit; a failing job is rolled back alone and only its caller sees the error', async () => {
  const gc = createGroupCommitter(db);
  const results = await Promise.allSettled(
    Array.from({ length: 50 }, (_, i) =>
      gc.run(async (tx) => {
        await tx.insertInto('gc_test').values({ id: i, v: `job${i}` }).execute();
        if (i % 10 === 3) throw new Error(`job ${i} refused`);
        return i;
      }),
    ),
  );
  const rows = await db.kysely.selectFrom('gc_test').select('id').orderBy('id').execute();
  const expected = Array.from({ length: 50 }, (_, i) => i).filter((i) => i % 10 !== 3);
  assert.deepEqual(rows.map((r) => r.id), expected);
  results.forEach((r, i) => assert.equal(r.status, i % 10 === 3 ? 'rejected' : 'fulfilled', `job ${i}`));
});

test('a job sees its own writes and those of jobs committed before it', async () => {
  const gc = createGroupCommitter(db);
  await gc.run((tx) => tx.insertInto('gc_test').values({ id: 1000, v: 'a' }).execute());
  const seen = await gc.run(async (tx) => (await tx.selectFrom('gc_test').select('v').where('id', '=', 1000).executeTakeFirst())?.v);
  assert.equal(seen, 'a');
});

test('a job failing inside the database (a duplicate key) is rolled back alone; the batch still commits', async () => {
  const gc = createGroupCommitter(db);
  await gc.run((tx) => tx.insertInto('gc_test').values({ id: 2000, v: 'first' }).execute());
  const results = await Promise.allSettled([
    gc.run((tx) => tx.insertInto('gc_test').values({ id: 2001, v: 'before' }).execute()),
    gc.run((tx) => tx.insertInto('gc_test').values({ id: 2000, v: 'duplicate' }).execute()),
    gc.run((tx) => tx.insertInto('gc_test').values({ id: 2002, v: 'after' }).execute()),
  ]);
  assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
  const rows = await db.kysely.selectFrom('gc_test').select(['id', 'v']).where('id', '>=', 2000).orderBy('id').execute();
  assert.deepEqual(rows, [{ id: 2000, v: 'first' }, { id: 2001, v: 'before' }, { id: 2002, v: 'after' }]);
});
