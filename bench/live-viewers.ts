/**
 * A live-room viewer swarm for the `live` benchmark, run as a child process (the server and
 * the bench never share its event loop): opens VIEWERS raw HTTP keep-alive connections to the
 * room's SSE stream (in batches, so the server's accept backlog is never overrun), then for every
 * `comment` event records the delivery latency (now − the event's server `ts`) in a 1-ms
 * histogram and counts events per viewer. Parsing is minimal on purpose (find the event name and
 * the `"ts":` field; no JSON.parse): the clients must not be the bottleneck being measured.
 *
 * Protocol (IPC): → { type: 'ready', connected } once every viewer has its snapshot;
 * ← 'report' → { type: 'report', hist, received: number[], disconnects }.
 */
import http from 'node:http';

const url = new URL(process.env.LIVE_URL!);
const viewers = Number(process.env.LIVE_VIEWERS ?? 100);
const BATCH = 100;
const HIST_MS = 30_000;
const hist = new Uint32Array(HIST_MS + 1);
const received = new Array<number>(viewers).fill(0);
let disconnects = 0;
let connected = 0;

function open(i: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path: url.pathname + url.search, agent: false, headers: { accept: 'text/event-stream', connection: 'keep-alive' } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`viewer ${i}: HTTP ${res.statusCode}`));
      let rest = '';
      let ready = false;
      res.on('data', (chunk: Buffer) => {
        const text = rest + chunk.toString('latin1');
        const now = Date.now();
        let start = 0;
        for (;;) {
          const end = text.indexOf('\n\n', start);
          if (end < 0) break;
          if (text.startsWith('event: comment', text.indexOf('\n', start) + 1)) {
            const k = text.indexOf('"ts":', start);
            if (k > 0 && k < end) {
              const ts = Number(text.slice(k + 5, text.indexOf('}', k)));
              hist[Math.min(HIST_MS, Math.max(0, now - ts))]++;
              received[i]++;
            }
          } else if (!ready && text.startsWith('event: snapshot', text.indexOf('\n', start) + 1)) {
            ready = true;
            connected++;
            resolve();
          }
          start = end + 2;
        }
        rest = text.slice(start);
      });
      res.on('close', () => {
        disconnects++;
      });
    });
    req.on('error', reject);
    req.end();
  });
}

async function main(): Promise<void> {
  for (let i = 0; i < viewers; i += BATCH) {
    await Promise.all(Array.from({ length: Math.min(BATCH, viewers - i) }, (_, j) => open(i + j)));
  }
  process.send!({ type: 'ready', connected });
  process.on('message', (m) => {
    if (m === 'report') process.send!({ type: 'report', hist: Array.from(hist), received, disconnects }, () => process.exit(0));
  });
}

main().catch((err) => {
  process.send!({ type: 'error', message: String(err?.message ?? err) });
  process.exit(1);
});
