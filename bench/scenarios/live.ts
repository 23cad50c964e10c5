/**
 * Live-room fan-out: one Xiaodian server, VIEWERS concurrent SSE viewers of one live room (in
 * separate client processes, raw node:http connections), and a burst of RATE comments/s for
 * SECONDS s posted through the API. Every comment is one event every viewer must receive.
 */
import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import os from 'node:os';
import { join } from 'node:path';
import { DEMO_BUYER, DEMO_OWNER, expectStatus, login } from '../lib/api.ts';
import { ROOT, type ServerHandle } from '../lib/processes.ts';
import type { BenchContext, EngineInfo, Row, Scenario } from '../lib/types.ts';

const VIEWERS = Number(process.env.BENCH_LIVE_VIEWERS ?? 5000);
const RATE = Number(process.env.BENCH_LIVE_RATE ?? 100);
const SECONDS = Number(process.env.BENCH_LIVE_SECONDS ?? 30);
const CLIENT_PROCS = Number(process.env.BENCH_LIVE_CLIENTS ?? 2);
const TARGET_P99_MS = 500;
const MiB = 1024 * 1024;

interface Swarm {
  child: ChildProcess;
  ready: Promise<number>;
  report(): Promise<{ hist: number[]; received: number[]; disconnects: number }>;
}

function swarm(url: string, viewers: number): Swarm {
  const child = fork(join(ROOT, 'bench', 'live-viewers.ts'), [], { execArgv: ['--import', 'tsx'], env: { ...process.env, LIVE_URL: url, LIVE_VIEWERS: String(viewers) }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let onReport: ((r: { hist: number[]; received: number[]; disconnects: number }) => void) | undefined;
  const ready = new Promise<number>((resolve, reject) => {
    child.on('message', (m: any) => {
      if (m.type === 'ready') resolve(m.connected);
      else if (m.type === 'report') onReport?.(m);
      else if (m.type === 'error') reject(new Error(m.message));
    });
    child.on('exit', (code) => code && reject(new Error(`viewer swarm exited with ${code}`)));
  });
  return {
    child, ready,
    report: () => new Promise((resolve) => {
      onReport = resolve;
      child.send('report');
    }),
  };
}

function percentile(hist: readonly number[], total: number, q: number): number {
  const want = Math.ceil(total * q);
  let seen = 0;
  for (let ms = 0; ms < hist.length; ms++) {
    seen += hist[ms];
    if (seen >= want) return ms;
  }
  return hist.length - 1;
}

/** The comment posts reuse a few keep-alive connections (no connect storm while the server is busy). */
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
function post(url: string, token: string, body: unknown): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = http.request(url, { method: 'POST', agent, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text || 'null') }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

/** RATE comments/s for SECONDS s, evenly spaced, fire-and-forget; returns how many were broadcast. */
async function burst(server: ServerHandle, roomId: string, tokens: string[]): Promise<{ sent: number; failed: number; why: string }> {
  let sent = 0;
  let failed = 0;
  const why = new Map<string, number>();
  const fail = (reason: string) => {
    failed++;
    why.set(reason, (why.get(reason) ?? 0) + 1);
  };
  const total = RATE * SECONDS;
  const started = Date.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / RATE;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    inflight.push(post(`${server.baseUrl}/api/v1/live/rooms/${roomId}/comments`, tokens[i % tokens.length], { text: `第${i}条弹幕：这个颜色好看` }).then((r) => {
      const b = r.body as { status?: string; error?: { code: string } };
      if (r.status === 201 && b.status === 'visible') sent++;
      else fail(`${r.status} ${b.error?.code ?? b.status}`);
    }, (err: Error) => fail(err.message)));
  }
  await Promise.all(inflight);
  return { sent, failed, why: [...why].map(([k, n]) => `${n}× ${k}`).join(', ') };
}

async function measure(ctx: BenchContext, engine: EngineInfo): Promise<Row> {
  const server = await ctx.startXiaodian(engine.name);
  const swarms: Swarm[] = [];
  try {
    const owner = await login(server.baseUrl, DEMO_OWNER);
    const me = await expectStatus<{ stores: { store_id: string; role: string }[] }>(200, server.baseUrl, 'GET', '/api/v1/me', { token: owner.token });
    const storeId = me.stores.find((s) => s.role === 'owner')!.store_id;
    const room = await expectStatus<{ id: string }>(201, server.baseUrl, 'POST', `/api/v1/merchant/stores/${storeId}/live/rooms`, {
      token: owner.token, body: { title: '压测直播间', stream_url: 'rtmp://push.example.com/live/bench', scheduled_start: new Date(Date.now() + 60_000).toISOString() },
    });
    await expectStatus(200, server.baseUrl, 'POST', `/api/v1/live/rooms/${room.id}/start`, { token: owner.token });
    const buyer = await login(server.baseUrl, DEMO_BUYER);

    const rssBefore = server.rssBytes();
    ctx.log(`  ${engine.name}: connecting ${VIEWERS} SSE viewers from ${CLIENT_PROCS} client processes`);
    const per = Math.ceil(VIEWERS / CLIENT_PROCS);
    for (let i = 0; i < CLIENT_PROCS; i++) swarms.push(swarm(`${server.baseUrl}/api/v1/live/rooms/${room.id}/events`, Math.min(per, VIEWERS - i * per)));
    const connected = (await Promise.all(swarms.map((s) => s.ready))).reduce((a, b) => a + b, 0);
    await new Promise((r) => setTimeout(r, 2000)); // let viewer-count events and allocations settle
    const rssAfter = server.rssBytes();
    const load1 = os.loadavg()[0];

    ctx.log(`  ${engine.name}: ${connected} connected; ${RATE} comments/s for ${SECONDS} s`);
    const { sent, failed, why } = await burst(server, room.id, [buyer.token]);
    if (failed) ctx.log(`  ${engine.name}: ${failed} comment POSTs failed: ${why}`);
    await new Promise((r) => setTimeout(r, 3000)); // stragglers
    const reports = await Promise.all(swarms.map((s) => s.report()));
    const hist = new Array<number>(reports[0].hist.length).fill(0);
    for (const r of reports) r.hist.forEach((n, i) => (hist[i] += n));
    const delivered = hist.reduce((a, b) => a + b, 0);
    const received = reports.flatMap((r) => r.received);
    const dropped = received.reduce((s, n) => s + Math.max(0, sent - n), 0);
    const disconnects = reports.reduce((s, r) => s + r.disconnects, 0);
    const p99 = percentile(hist, delivered, 0.99);
    return {
      engine: engine.name, viewers: connected, rate: RATE, seconds: SECONDS, events: sent, post_failures: failed, deliveries: delivered,
      p50: percentile(hist, delivered, 0.5), p99, max: percentile(hist, delivered, 1), dropped, disconnects,
      kib_per_viewer: (rssAfter - rssBefore) / 1024 / Math.max(1, connected), rss: server.rssBytes() / MiB, load: `${load1.toFixed(1)} → ${os.loadavg()[0].toFixed(1)}`,
      target: delivered === 0 ? 'INVALID' : p99 < TARGET_P99_MS && dropped === 0 && disconnects === 0 ? 'PASS' : 'FAIL',
    };
  } finally {
    for (const s of swarms) s.child.kill('SIGKILL');
    await server.stop();
  }
}

export const live: Scenario = {
  name: 'live',
  title: 'Live room: SSE fan-out to 5,000 viewers',
  method: [
    `One Xiaodian server (demo data) with one live room. ${VIEWERS.toLocaleString('en')} viewers connect to \`GET /api/v1/live/rooms/:id/events\``,
    `from ${CLIENT_PROCS} separate client processes (raw \`node:http\` keep-alive connections, one socket each, opened in batches of 100),`,
    `and each waits for its \`snapshot\` event. Then the bench posts ${RATE} comments/s for ${SECONDS} s through \`POST /api/v1/live/rooms/:id/comments\``,
    '(moderated, stored, then published); every comment is one SSE event that every viewer must receive. Latency = the viewer\'s',
    'clock when the event arrives − the server\'s `ts` in the event (same machine, same clock), over every delivery.',
    '"dropped" = events a viewer should have received and did not (Σ over viewers of sent − received); "disconnects" =',
    'streams that closed (the hub closes a client whose unsent bytes pass 1 MiB). Memory per viewer = server RSS after',
    'connecting − before, ÷ viewers. The hub batches events per flush window (`XIAODIAN_LIVE_FLUSH_MS`, default 50 ms).',
    `Target: p99 < ${TARGET_P99_MS} ms, none dropped. Fan-out does not touch the database, so one engine is run.`,
    'The machine is shared with other engineers\' work: the load average (start → end of the burst) says how shared.',
  ].join('\n'),
  columns: [
    { key: 'engine', label: 'engine', align: 'left' },
    { key: 'viewers', label: 'viewers' },
    { key: 'rate', label: 'events/s' },
    { key: 'seconds', label: 's' },
    { key: 'events', label: 'events sent' },
    { key: 'deliveries', label: 'deliveries' },
    { key: 'p50', label: 'p50 ms' },
    { key: 'p99', label: 'p99 ms' },
    { key: 'max', label: 'max ms' },
    { key: 'dropped', label: 'dropped' },
    { key: 'disconnects', label: 'disconnects' },
    { key: 'post_failures', label: 'POST failures' },
    { key: 'kib_per_viewer', label: 'KiB/viewer', decimals: 1 },
    { key: 'rss', label: 'RSS MiB' },
    { key: 'load', label: 'load avg', align: 'left' },
    { key: 'target', label: 'target', align: 'left' },
  ],
  async run(ctx) {
    const engine = ctx.engines[0];
    if (!engine) return [];
    return [await measure(ctx, engine)];
  },
  summarize(rows) {
    return rows.map((r) => `- ${r.engine}: ${r.viewers} viewers, p50 ${r.p50} ms / p99 ${r.p99} ms, ${r.dropped} dropped, ${r.disconnects} disconnects, ${Number(r.kib_per_viewer).toFixed(1)} KiB per viewer — ${r.target}.`);
  },
};
