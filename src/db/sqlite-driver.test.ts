import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDb } from './index.ts';

const dir = mkdtempSync(join(tmpdir(), 'xd-sqlite-driver-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a prepared read outside a transaction never sees another transaction\'s uncommitted writes: it waits for the connection', async () => {
  const db = await createDb({ url: join(dir, 'read-now.db') });
  await db.kysely.schema.createTable('t').addColumn('id', 'integer', (c) => c.primaryKey()).addColumn('v', 'text').execute();
  const byId = db.prepared<{ v: string }>('select v from t where id = ?');
  let open!: () => void;
  const opened = new Promise<void>((r) => { open = r; });
  let finish!: () => void;
  const gate = new Promise<void>((r) => { finish = r; });
  const tx = db.transaction(async (t) => {
    await t.insertInto('t').values({ id: 1, v: 'pending' }).execute();
    open();
    await gate;
  });
  await opened;
  let seen: string | undefined | null = null;
  const read = byId.first(db.kysely, [1]).then((r) => { seen = r?.v; });
  await new Promise((r) => setImmediate(r));
  assert.equal(seen, null, 'the read waits while the transaction holds the connection');
  finish();
  await tx;
  await read;
  assert.equal(seen, 'pending', 'and then sees the committed row');
  // With the connection free, the shortcut answers; a prepared write still takes the ordinary (durable) path.
  const write = db.prepared('update t set v = ? where id = ?');
  assert.equal(await write.run(db.kysely, ['done', 1]), 1);
  assert.equal((await byId.first(db.kysely, [1]))?.v, 'done');
  await db.close();
});
