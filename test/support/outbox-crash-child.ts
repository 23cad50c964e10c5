/**
 * Child process for the outbox crash test: writes three events in one transaction, then
 * starts dispatching and is killed (SIGKILL, no cleanup) inside the first handler.
 */
import { createDb } from '../../src/db/index.ts';
import { Outbox } from '../../src/db/outbox.ts';
import { TestClock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/logger.ts';

const db = await createDb({ url: process.env.CHILD_DB_URL!, schema: process.env.CHILD_DB_SCHEMA || undefined });
const clock = new TestClock(Number(process.env.CHILD_CLOCK_MS));
const outbox = new Outbox(db, clock, silentLogger);
outbox.subscribe('crashy', ['order.paid'], async () => {
  process.kill(process.pid, 'SIGKILL');
  await new Promise(() => {}); // never returns
});
await db.transaction(async (tx) => {
  for (const n of [1, 2, 3]) await outbox.emit(tx, 'order.paid', `ord_${n}`, { n });
});
process.stdout.write('emitted\n');
await outbox.dispatchBatch();
