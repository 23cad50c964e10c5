import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLane } from './lane.ts';
import { AppError } from './errors.ts';

const tick = () => new Promise((r) => setImmediate(r));

test('a lane runs at most `limit` handlers at once, starts the others in arrival order, and frees slots on failure', async () => {
  const lane = createLane(2, 100);
  let running = 0;
  let peak = 0;
  const started: number[] = [];
  const gates: (() => void)[] = [];
  const runs = [0, 1, 2, 3, 4].map((i) => lane.run(async () => {
    started.push(i);
    running++;
    peak = Math.max(peak, running);
    await new Promise<void>((r) => gates.push(r));
    running--;
    if (i === 1) throw new Error('handler failed');
    return i;
  }));
  const settled = Promise.allSettled(runs);
  await tick();
  assert.deepEqual(started, [0, 1]);
  assert.deepEqual(lane.stats, { active: 2, waiting: 3, rejected: 0 });
  while (started.length < 5 || gates.length) {
    gates.shift()?.();
    await tick();
    await tick();
  }
  const outcomes = await settled;
  assert.deepEqual(started, [0, 1, 2, 3, 4]);
  assert.equal(peak, 2);
  assert.deepEqual(outcomes.map((o) => o.status), ['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
  assert.deepEqual(lane.stats, { active: 0, waiting: 0, rejected: 0 });
});

test('once the slice is used up, a waiting task starts in a later turn of the event loop: work queued before it runs first', async () => {
  const lane = createLane(1, 100, { sliceMs: 0 });
  const order: string[] = [];
  let open!: () => void;
  const first = lane.run(() => new Promise<void>((r) => (open = r)));
  const second = lane.run(async () => void order.push('second handler'));
  await tick();
  // A read arrives while the first handler runs; then the first finishes. Handing the slot over
  // at once (in the same chain of microtasks) would run the second handler before the read.
  setImmediate(() => order.push('a read queued meanwhile'));
  open();
  await first;
  await second;
  assert.deepEqual(order, ['a read queued meanwhile', 'second handler']);
});

test('within the slice, a finished task hands its slot on at once', async () => {
  const lane = createLane(1, 100, { sliceMs: 60_000 });
  const order: string[] = [];
  let open!: () => void;
  const first = lane.run(() => new Promise<void>((r) => (open = r)));
  const second = lane.run(async () => void order.push('second task'));
  await tick();
  setImmediate(() => order.push('a read queued meanwhile'));
  open();
  await first;
  await second;
  await tick();
  assert.deepEqual(order, ['second task', 'a read queued meanwhile']);
});

test('a full queue is refused with 503 busy; nothing runs for it', async () => {
  const lane = createLane(1, 1);
  let open!: () => void;
  const first = lane.run(() => new Promise<void>((r) => (open = r)));
  const queued = lane.run(async () => 'queued');
  let ran = false;
  await assert.rejects(lane.run(async () => void (ran = true)), (e: AppError) => e.code === 'busy' && e.kind === 'unavailable');
  assert.equal(ran, false);
  assert.equal(lane.stats.rejected, 1);
  open();
  await first;
  assert.equal(await queued, 'queued');
});
