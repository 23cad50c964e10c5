/** A scheduler worker in its own process (a second server), for the run-once test. */
import { createDb } from '../../src/db/index.ts';
import { Scheduler } from '../../src/db/scheduler.ts';
import { TestClock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/logger.ts';

const db = await createDb({ url: process.env.CHILD_DB_URL!, schema: process.env.CHILD_DB_SCHEMA || undefined });
const clock = new TestClock(Number(process.env.CHILD_CLOCK_MS));
const worker = new Scheduler(db, clock, silentLogger, process.env.CHILD_WORKER_ID);
worker.register('test.once', async (job, tx) => {
  await tx.insertInto('test_job_runs').values({ job_id: job.id, worker: worker.workerId }).execute();
});
let total = 0;
for (let round = 0; round < 50; round++) {
  const n = await worker.runDue(5);
  total += n;
  const left = await db.kysely.selectFrom('scheduler_jobs').select('id').where('status', '=', 'pending').where('kind', '=', 'test.once').limit(1).execute();
  if (left.length === 0) break;
}
process.stdout.write(JSON.stringify({ worker: worker.workerId, completed: total }) + '\n');
await db.close();
