/**
 * Campaign: the main venue (主会场) and rankings read from memory while a campaign flash sale runs.
 * Setup (not measured): the trade scenario's products and 64 buyers; an operator creates a
 * campaign whose phases the server's own scheduler moves (registration in 1 s, selling ~17 s
 * later), the demo merchant registers the flash SKU (campaign price ¥199 vs ¥299, campaign stock
 * = its 10,000 units) and the 3 checkout SKUs, the operator approves them in one bulk review.
 * Measured: for the run's duration, 64 connections buy the campaign SKU (campaign price and
 * campaign stock taken in the checkout transaction) while 16 other connections read the venue
 * and 8 the rankings. Afterwards campaign units sold are read back: oversold must be 0.
 */
import autocannon, { type Result } from 'autocannon';
import { bearer, expectStatus, login, DEMO_OPERATOR } from '../lib/api.ts';
import type { ServerHandle } from '../lib/processes.ts';
import { isolatedAutocannon } from '../lib/isolated-load.ts';
import type { BenchContext, EngineInfo, Row, Scenario } from '../lib/types.ts';
import { setup } from './trade.ts';

const BUYERS = 64;
const CAMPAIGN_UNITS = 10_000;
const VENUE_P99_TARGET_MS = 50;
/** During the sale the reads come at a fixed rate (a busy festival page), the buyers as fast as they can. */
const VENUE_RATE = 300;
const RANKINGS_RATE = 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Buyer { token: string; addressId: string }

function buyLoad(server: ServerHandle, buyers: readonly Buyer[], sku: string, durationS: number) {
  let next = 0;
  const options = {
    url: `${server.baseUrl}/api/v1/checkouts`, connections: BUYERS, timeout: 30, duration: durationS,
    requests: [{
      method: 'POST',
      setupRequest: (req: Record<string, unknown>, context: Record<string, unknown>) => {
        if (context.buyer === undefined) context.buyer = buyers[next++ % buyers.length];
        const b = context.buyer as Buyer;
        return { ...req, headers: { ...bearer(b.token), 'content-type': 'application/json' }, body: JSON.stringify({ items: [{ sku_id: sku, quantity: 1 }], address_id: b.addressId }) };
      },
    }],
  };
  return autocannon(options as unknown as Parameters<typeof autocannon>[0]);
}

/** Reads; with `rate`, a fixed total rate (req/s) rather than as fast as possible, so they do not starve the sale. */
/** Reads run in worker threads: their latency is the server's, not the checkout load generator's event loop. */
const readLoad = (server: ServerHandle, path: string, connections: number, durationS: number, rate?: number) =>
  isolatedAutocannon({ url: `${server.baseUrl}${path}`, connections, duration: durationS, timeout: 30, ...(rate ? { overallRate: rate } : {}) });

async function waitForPhase(base: string, token: string, id: string, phase: string, maxMs: number): Promise<void> {
  const until = Date.now() + maxMs;
  for (;;) {
    const c = await expectStatus<{ phase: string }>(200, base, 'GET', `/api/v1/console/campaigns/${id}`, { token });
    if (c.phase === phase) return;
    if (Date.now() > until) throw new Error(`campaign still ${c.phase}, waiting for ${phase}`);
    await sleep(250);
  }
}

async function engineRows(ctx: BenchContext, engine: EngineInfo): Promise<Row[]> {
  const server = await ctx.startXiaodian(engine.name, { env: { XIAODIAN_DEMO_EXTRA_BUYERS: String(BUYERS) } });
  try {
    const s = await setup(server);
    const base = server.baseUrl;
    const op = await login(base, DEMO_OPERATOR);
    const product = await expectStatus<{ category_id: string }>(200, base, 'GET', `/api/v1/merchant/stores/${s.storeId}/products/${s.flashProduct}`, { token: s.ownerToken });
    const t0 = Date.now();
    const iso = (ms: number) => new Date(t0 + ms).toISOString();
    const campaign = await expectStatus<{ id: string }>(201, base, 'POST', '/api/v1/console/campaigns', {
      token: op.token,
      body: {
        name: '压测好物节', registration_start: iso(1_000), review_start: iso(15_000), warmup_start: iso(16_000), selling_start: iso(17_000), selling_end: iso(3_600_000),
        rules: { min_discount_bp: 500 }, fee_rate_bp: 100, threshold: { rule: { kind: 'every', step_minor: 5_000, off_minor: 500 }, funder: 'platform' },
        sections: [{ key: 'audio', title: '耳机音箱', kind: 'category', category_ids: [product.category_id] }, { key: 'flash', title: '限量抢购', kind: 'theme', product_ids: [s.flashProduct] }],
      },
    });
    await waitForPhase(base, op.token, campaign.id, 'registration', 10_000);
    const reg = (sku: string, price: number, stock: number) => expectStatus<{ id: string }>(201, base, 'POST', `/api/v1/merchant/stores/${s.storeId}/campaigns/${campaign.id}/registrations`, {
      token: s.ownerToken, body: { sku_id: sku, campaign_price_minor: price, campaign_stock: stock },
    });
    const regs = [await reg(s.flashSku, 19_900, CAMPAIGN_UNITS), ...(await Promise.all(s.checkoutSkus.map((sku, i) => reg(sku, 15_900 + i * 1000, 100_000))))];
    await expectStatus(200, base, 'POST', `/api/v1/console/campaigns/${campaign.id}/registrations/review`, {
      token: op.token, body: { decisions: regs.map((r) => ({ registration_id: r.id, decision: 'approve' })) },
    });
    await waitForPhase(base, op.token, campaign.id, 'selling', 30_000);
    const venuePath = `/api/v1/campaigns/${campaign.id}/venue`;
    const rankPath = `/api/v1/campaigns/${campaign.id}/rankings?kind=best_sellers`;
    ctx.log(`  ${engine.name}: venue warm-up`);
    await readLoad(server, venuePath, 16, ctx.settings.warmupS || 1);
    ctx.log(`  ${engine.name}: venue alone ${ctx.settings.durationS} s × 16 connections`);
    const alone = await readLoad(server, venuePath, 16, ctx.settings.durationS);
    ctx.log(`  ${engine.name}: campaign flash sale (64 conn) + venue (16 conn) + rankings (8 conn), ${ctx.settings.durationS} s`);
    const [buy, venue, ranks] = await Promise.all([
      buyLoad(server, s.buyers, s.flashSku, ctx.settings.durationS),
      readLoad(server, venuePath, 16, ctx.settings.durationS, VENUE_RATE),
      readLoad(server, rankPath, 8, ctx.settings.durationS, RANKINGS_RATE),
    ]);
    const approved = await expectStatus<{ items: { sku_id: string; sold: number; campaign_stock: number }[] }>(200, base, 'GET', `/api/v1/console/campaigns/${campaign.id}/registrations?status=approved`, { token: op.token });
    const flashReg = approved.items.find((r) => r.sku_id === s.flashSku)!;
    const oversold = Math.max(0, flashReg.sold - flashReg.campaign_stock, buy['2xx'] - CAMPAIGN_UNITS);
    const verdict = (p99: number) => (p99 < VENUE_P99_TARGET_MS ? `p99 target <${VENUE_P99_TARGET_MS} ms: PASS` : `p99 target <${VENUE_P99_TARGET_MS} ms: FAIL`);
    const failed = (r: Result) => r.non2xx + r.errors;
    return [
      { engine: engine.name, what: 'GET venue, alone (16 conn)', rps: alone['2xx'] / alone.duration, p50: alone.latency.p50, p99: alone.latency.p99, note: `${failed(alone) ? `${failed(alone)} failed; ` : ''}${verdict(alone.latency.p99)}` },
      { engine: engine.name, what: `GET venue during the sale (${VENUE_RATE}/s offered)`, rps: venue['2xx'] / venue.duration, p50: venue.latency.p50, p99: venue.latency.p99, note: `${failed(venue) ? `${failed(venue)} failed; ` : ''}${verdict(venue.latency.p99)}` },
      { engine: engine.name, what: `GET rankings during the sale (${RANKINGS_RATE}/s offered)`, rps: ranks['2xx'] / ranks.duration, p50: ranks.latency.p50, p99: ranks.latency.p99, note: `${failed(ranks) ? `${failed(ranks)} failed; ` : ''}${verdict(ranks.latency.p99)}` },
      {
        engine: engine.name, what: 'POST checkouts, campaign SKU (64 conn)', rps: buy.requests.total / buy.duration, p50: buy.latency.p50, p99: buy.latency.p99,
        note: `orders ${buy['2xx']}, campaign units sold ${flashReg.sold} of ${flashReg.campaign_stock}, refused ${buy.non2xx}, errors ${buy.errors}, **oversold ${oversold}**; RSS ${(server.rssBytes() / 1024 / 1024).toFixed(0)} MiB`,
      },
    ];
  } finally {
    await server.stop();
  }
}

export const campaign: Scenario = {
  name: 'campaign',
  title: 'Campaign: main venue and rankings during a campaign flash sale',
  method: [
    'Each engine: one Xiaodian server on a fresh database with the demo data and 64 extra buyers. Setup (not measured): the trade scenario\'s products;',
    'an operator creates a campaign (phases moved by the server\'s scheduler), the merchant registers the 10,000-unit flash SKU at ¥199 (vs ¥299) with',
    'campaign stock 10,000 and the 3 checkout SKUs, the operator approves them in bulk, and the bench waits for selling to start.',
    '**Venue alone**: `GET /api/v1/campaigns/:id/venue` from 16 connections. **During the sale**: for the same duration, 64 connections buy the campaign',
    'SKU (`POST /api/v1/checkouts`, campaign price + campaign stock taken in the checkout transaction, 201 or 409/422 once sold out) while the venue is',
    `read at ${VENUE_RATE}/s (16 connections) and the rankings at ${RANKINGS_RATE}/s (8) — both served from the in-memory structure (each read load generated from its own process, so the checkout load's event loop does not delay them); reads at full speed`,
    'left the sale ~1 checkout/s on PostgreSQL in a first run (2,000+ reads/s took the event loop). Oversold = campaign units beyond the campaign stock (must be 0).',
  ].join('\n'),
  columns: [
    { key: 'engine', label: 'engine', align: 'left' },
    { key: 'what', label: 'what', align: 'left' },
    { key: 'rps', label: 'req/s' },
    { key: 'p50', label: 'p50 ms' },
    { key: 'p99', label: 'p99 ms' },
    { key: 'note', label: 'notes', align: 'left' },
  ],
  async run(ctx) {
    const rows: Row[] = [];
    for (const engine of ctx.engines) rows.push(...(await engineRows(ctx, engine)));
    return rows;
  },
};
