import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHub, type Sink } from './hub.ts';

class FakeRes implements Sink {
  chunks: Buffer[] = [];
  writableLength = 0;
  destroyed = false;
  private onClose: (() => void) | undefined;
  writeHead() {}
  write(b: Buffer) {
    this.chunks.push(b);
    return true;
  }
  destroy() {
    this.destroyed = true;
    this.onClose?.();
  }
  on(_e: 'close', fn: () => void) {
    this.onClose = fn;
  }
  text() {
    return Buffer.concat(this.chunks).toString();
  }
}
const flush = () => new Promise((r) => setImmediate(r));

test('an event is serialised once and the same buffer goes to every viewer', async () => {
  const hub = createHub({ now: () => 1000 });
  const rs = [new FakeRes(), new FakeRes(), new FakeRes()];
  for (const r of rs) hub.connect('room', r, { accountId: null, snapshot: {} });
  hub.publish('room', 'pin', { item: 'a' });
  await flush();
  const last = rs.map((r) => r.chunks.at(-1));
  assert.ok(last.every((b) => b === last[0]), 'the very same Buffer object');
  assert.match(last[0]!.toString(), /^id: [0-9a-f]+-1\nevent: pin\ndata: \{"item":"a","ts":1000\}\n\n$/);
});

test('resume from Last-Event-ID replays only what was missed; an id older than the ring gets a snapshot', async () => {
  const hub = createHub({ now: () => 1, ringSize: 4 });
  const ids = [1, 2, 3].map((i) => hub.publish('room', 'like', { n: i }));
  const r = new FakeRes();
  hub.connect('room', r, { lastEventId: ids[0], accountId: null });
  assert.ok(!r.text().includes('event: snapshot'));
  assert.deepEqual([...r.text().matchAll(/"n":(\d)/g)].map((m) => m[1]), ['2', '3']);
  for (let i = 4; i <= 9; i++) hub.publish('room', 'like', { n: i });
  assert.equal(hub.canResume('room', ids[0]), false);
  const late = new FakeRes();
  hub.connect('room', late, { lastEventId: ids[0], accountId: null, snapshot: { state: 'now' }, asOf: hub.position('room') });
  assert.match(late.text(), /event: snapshot\ndata: \{"state":"now"/);
  assert.equal(hub.canResume('room', 'ffffff-1'), false); // another process start
});

test('a slow client is dropped after the bound and counted; the others keep receiving', async () => {
  const hub = createHub({ now: () => 1, maxBufferedBytes: 100 });
  const fast = new FakeRes();
  const slow = new FakeRes();
  hub.connect('room', fast, { accountId: null, snapshot: {} });
  hub.connect('room', slow, { accountId: null, snapshot: {} });
  slow.writableLength = 1000;
  hub.publish('room', 'comment', { text: 'hi' });
  await flush();
  assert.equal(slow.destroyed, true);
  assert.equal(hub.counters.dropped_clients, 1);
  assert.equal(hub.viewers('room'), 1);
  hub.publish('room', 'comment', { text: 'again' });
  await flush();
  assert.match(fast.text(), /again/);
});

test('viewer counts are coalesced into one event per tick; leaving reports watch time', async () => {
  let now = 0;
  const left: [string, number][] = [];
  const hub = createHub({ now: () => now, onLeave: (_room, a, ms) => left.push([a, ms]) });
  const rs = Array.from({ length: 50 }, () => new FakeRes());
  for (const r of rs) hub.connect('room', r, { accountId: 'acc_1', snapshot: {} });
  hub.tick();
  await flush();
  assert.equal((rs[0].text().match(/event: viewers/g) ?? []).length, 1);
  assert.match(rs[0].text(), /"viewers":50,"peak":50/);
  now = 5000;
  rs[0].destroy();
  assert.deepEqual(left, [['acc_1', 5000]]);
});

test('a viewer connecting between a publish and its flush gets each event exactly once', async () => {
  const hub = createHub({ now: () => 1 });
  const early = new FakeRes();
  hub.connect('room', early, { accountId: null, snapshot: {} });
  const first = hub.publish('room', 'pin', { item: 'a' });
  hub.publish('room', 'comment', { text: 'pending' }); // not flushed yet
  const resumed = new FakeRes();
  hub.connect('room', resumed, { lastEventId: first, accountId: null });
  const fresh = new FakeRes();
  hub.connect('room', fresh, { accountId: null, snapshot: {}, asOf: 0 });
  await flush();
  const ids = (r: FakeRes) => [...r.text().matchAll(/^id: \S+-(\d+)$/gm)].map((m) => Number(m[1]));
  assert.deepEqual(ids(early), [0, 1, 2]);
  assert.deepEqual(ids(resumed), [2]);
  assert.deepEqual(ids(fresh), [0, 1, 2]);
});

test("the host's own connection gets every event but is not a viewer", async () => {
  const left: string[] = [];
  const hub = createHub({ now: () => 1, onLeave: (_room, a) => left.push(a) });
  const host = new FakeRes();
  hub.connect('room', host, { accountId: 'acc_host', snapshot: {}, host: true });
  const viewer = new FakeRes();
  hub.connect('room', viewer, { accountId: 'acc_viewer', snapshot: {} });
  assert.match(viewer.text(), /"viewers":1/);
  hub.tick();
  hub.publish('room', 'pin', { item: 'a' });
  await flush();
  assert.match(host.text(), /event: pin/);
  assert.match(host.text(), /"viewers":1,"peak":1/);
  assert.equal(hub.viewers('room'), 1);
  assert.equal(hub.peak('room'), 1);
  assert.equal(hub.takeViews('room'), 1);
  assert.deepEqual([...hub.openSessions('room').keys()], ['acc_viewer']);
  host.destroy();
  viewer.destroy();
  assert.deepEqual(left, ['acc_viewer']);
});
