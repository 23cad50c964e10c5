/**
 * Search over 100,000 generated products with Chinese titles (brands × product nouns ×
 * attributes), on each engine: index build time, queries/s and p50/p99 in-process and over
 * HTTP, and memory. Products are created through the catalog and inventory modules (the bulk
 * path, not HTTP) in the bench process, on a database this scenario provisions; then a
 * Xiaodian server child is started on that database for the HTTP rows.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig } from '../../src/app/config.ts';
import { shutdown, wire, type AppContext } from '../../src/app/wire.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { DEFAULT_PG_URL, withDefaultUser } from '../lib/engines.ts';
import { runLoad, waitForQuiet } from '../lib/load.ts';
import type { BenchContext, EngineName, Row, Scenario } from '../lib/types.ts';

const PRODUCTS = Number(process.env.BENCH_SEARCH_PRODUCTS ?? 100_000);
const TARGET_P99_MS = 20;
const MiB = 1024 * 1024;

type Leaf = [zh: string, en: string, brands: string[], nouns: string[], attrs: string[], priceYuan: [number, number]];
const TREE: [string, string, Leaf[]][] = [
  ['数码', 'Digital', [
    ['手机', 'Phones', ['华为', '小米', 'Apple', 'OPPO', 'vivo', '荣耀', '三星', '一加', 'realme', '魅族'], ['智能手机', '5G手机', '手机', '折叠屏手机', '拍照手机'], ['12GB+256GB', '8GB+128GB', '曜石黑', '雅川青', '星空蓝', '全网通', '旗舰', '长续航', '快充', '官方正品'], [999, 8999]],
    ['耳机', 'Audio', ['华为', '小米', 'Apple', 'Sony', '漫步者', 'JBL', 'Bose', 'OPPO'], ['蓝牙耳机', '降噪耳机', '无线耳机', '头戴式耳机', '运动耳机'], ['主动降噪', '超长续航', '入耳式', '半入耳', '白色', '黑色', 'HiFi音质'], [99, 2999]],
    ['笔记本电脑', 'Laptops', ['联想', 'ThinkPad', '华为', '小米', '戴尔', '惠普', '华硕', 'Apple'], ['笔记本电脑', '轻薄本', '游戏本', '商务笔记本'], ['16GB', '512GB', 'i7', 'i5', '14英寸', '16英寸', '高色域', '独显'], [2999, 14999]],
    ['平板电脑', 'Tablets', ['Apple', '华为', '小米', '荣耀', '联想'], ['平板电脑', '平板', '学习平板'], ['11英寸', 'WiFi版', '128GB', '256GB', '护眼', '二合一'], [999, 6999]],
    ['充电宝', 'Power banks', ['Anker', '小米', '罗马仕', '倍思', '绿联'], ['充电宝', '移动电源', '磁吸充电宝'], ['20000毫安', '10000毫安', '快充', '超薄', '便携', '大容量'], [59, 299]],
  ]],
  ['女装', 'Women', [
    ['连衣裙', 'Dresses', ['优衣库', 'ZARA', '太平鸟', '伊芙丽', '欧时力', 'ONLY'], ['连衣裙', '碎花连衣裙', '雪纺连衣裙', '长裙', '吊带裙', '衬衫裙'], ['夏季', '新款', '法式', '复古', '显瘦', '收腰', '气质', '宽松', '小个子'], [69, 899]],
    ['T恤', 'T-shirts', ['优衣库', '李宁', '安踏', '森马', '海澜之家', 'GAP'], ['短袖T恤', '纯棉T恤', '圆领T恤', '打底衫', 'T恤'], ['宽松', '纯棉', '印花', '男女同款', '白色', 'oversize'], [29, 299]],
    ['羽绒服', 'Down jackets', ['波司登', '鸭鸭', '雪中飞', '高梵', '优衣库'], ['羽绒服', '短款羽绒服', '长款羽绒服', '轻薄羽绒服'], ['加厚', '连帽', '白鸭绒', '90绒', '冬季', '保暖'], [299, 2999]],
  ]],
  ['鞋靴', 'Shoes', [
    ['运动鞋', 'Sneakers', ['Nike', 'adidas', '李宁', '安踏', '特步', '361度', '新百伦'], ['跑步鞋', '运动鞋', '篮球鞋', '板鞋', '休闲鞋'], ['男', '女', '透气', '减震', '轻便', '防滑', '白色'], [199, 1599]],
  ]],
  ['美妆', 'Beauty', [
    ['口红', 'Lipstick', ['迪奥', '圣罗兰', '雅诗兰黛', '完美日记', '花西子', 'MAC'], ['口红', '唇釉', '唇膏', '唇泥'], ['哑光', '滋润', '正红色', '豆沙色', '显白', '礼盒'], [59, 499]],
    ['护肤', 'Skincare', ['兰蔻', '欧莱雅', '自然堂', '百雀羚', '珀莱雅', '雅诗兰黛'], ['面霜', '精华液', '爽肤水', '眼霜', '面膜'], ['补水', '保湿', '修护', '抗皱', '50ml', '敏感肌'], [69, 1299]],
  ]],
  ['食品', 'Food', [
    ['茶叶', 'Tea', ['八马', '天福', '竹叶青', '大益', '张一元'], ['西湖龙井', '铁观音', '普洱茶', '大红袍', '绿茶', '红茶'], ['明前', '礼盒装', '500g', '250g', '浓香型', '特级'], [49, 999]],
    ['零食', 'Snacks', ['三只松鼠', '良品铺子', '百草味', '洽洽', '旺旺'], ['每日坚果', '零食大礼包', '牛肉干', '夏威夷果', '薯片'], ['休闲', '办公室', '整箱', '混合装', '原味'], [19, 199]],
  ]],
  ['家居', 'Home', [
    ['床品', 'Bedding', ['罗莱', '富安娜', '水星家纺', '梦洁', '无印良品'], ['四件套', '被子', '枕头', '蚕丝被', '床单'], ['纯棉', '全棉', '1.8m床', '1.5m床', '磨毛', '简约'], [99, 1999]],
    ['厨具', 'Kitchen', ['苏泊尔', '九阳', '美的', '小熊', '双立人'], ['电饭煲', '炒锅', '空气炸锅', '不粘锅', '电水壶'], ['家用', '4L', '大容量', '智能', '不锈钢'], [79, 1299]],
  ]],
];

/** mulberry32: the same catalog on every run. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pick = <T>(rng: () => number, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
function pickDistinct<T>(rng: () => number, xs: readonly T[], n: number): T[] {
  const pool = [...xs];
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(rng() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, n);
}

interface Generated {
  roots: Map<string, string>;
  leaves: Map<string, string>;
  ms: number;
}

export async function generate(ctx: AppContext, n: number, log: (m: string) => void): Promise<Generated> {
  const started = performance.now();
  const rng = prng(20261125);
  const owner = await ctx.db.transaction((tx) => ctx.identity.createAccount(tx, { phone: '13912345678', display_name: '压测商家', password_hash: 'x', roles: ['buyer'] }));
  const stores: { id: string; lc: Awaited<ReturnType<AppContext['catalog']['listingContext']>> }[] = [];
  for (let i = 0; i < 100; i++) {
    const s = await ctx.stores.createStore({ name: `压测小店${i}号`, subject_type: 'enterprise', company_name: `压测商贸${i}有限公司` }, owner);
    await ctx.db.transaction((tx) => ctx.stores.forceOpen(tx, s.id));
    stores.push({ id: s.id, lc: await ctx.catalog.listingContext(s.id) });
  }
  const roots = new Map<string, string>();
  const leaves = new Map<string, string>();
  const plan: { leaf: Leaf; id: string }[] = [];
  await ctx.db.transaction(async (tx) => {
    const rules = { fee_rate_bp: 200, deposit_minor: 0, required_attributes: [], required_qualifications: [], no_reason_return_7d: true, shipping_insurance: false };
    for (const [zh, en, children] of TREE) {
      const root = await ctx.catalog.createCategory(tx, { parent_id: null, code: `b_${en.toLowerCase()}`, name_zh: zh, name_en: en, is_leaf: false, ...rules, fee_rate_bp: 0 });
      roots.set(zh, root.id);
      for (const leaf of children) {
        const c = await ctx.catalog.createCategory(tx, { parent_id: root.id, code: `b_${en.toLowerCase()}_${leaf[1].toLowerCase().replace(/\W/g, '')}`, name_zh: leaf[0], name_en: leaf[1], is_leaf: true, ...rules });
        leaves.set(leaf[0], c.id);
        plan.push({ leaf, id: c.id });
      }
    }
  });
  const one = (i: number) => {
    const { leaf, id } = pick(rng, plan);
    const [, , brands, nouns, attrs, [lo, hi]] = leaf;
    const [a1, a2, a3] = pickDistinct(rng, attrs, 3);
    const brand = rng() < 0.9 ? pick(rng, brands) : null;
    const model = rng() < 0.4 ? ` ${String.fromCharCode(65 + Math.floor(rng() * 26))}${Math.floor(rng() * 90 + 10)}` : '';
    const title = `${brand ?? ''}${model} ${rng() < 0.5 ? a1 : ''}${pick(rng, nouns)} ${a2} ${rng() < 0.3 ? a3 : ''}`.replace(/\s+/g, ' ').trim();
    const price = (Math.floor((lo + rng() * (hi - lo)) / 10) * 10 + 9) * 100; // ¥…9, in fen
    return {
      store: stores[i % stores.length],
      input: { category_id: id, title, brand, attributes: { 规格: a1 }, skus: [{ spec: { 规格: '标准' }, price_minor: price }, { spec: { 规格: '加大' }, price_minor: price + 2000 }], stock: rng() < 0.9 ? [50, 20] : [0, 0] },
    };
  };
  const items = Array.from({ length: n }, (_, i) => one(i));
  const lanes = ctx.db.engine === 'postgres' ? 8 : 1;
  const BATCH = 500;
  let next = 0;
  let done = 0;
  await Promise.all(Array.from({ length: lanes }, async () => {
    for (;;) {
      const from = next;
      next += BATCH;
      if (from >= items.length) return;
      await ctx.db.transaction(async (tx) => {
        for (const { store, input } of items.slice(from, from + BATCH)) {
          const p = await ctx.catalog.createProduct(tx, store.lc, input, owner, { trusted: true });
          for (const [k, sku] of p.skus.entries()) await ctx.inventory.initStock(tx, { store_id: store.id, product_id: p.id, sku_id: sku.id, quantity: input.stock[k] }, owner);
        }
      });
      done += Math.min(BATCH, items.length - from);
      if (done % 20_000 === 0) log(`    ${done} products`);
    }
  }));
  // The bulk rebuild below is the index build being measured; the creation events would make
  // the server re-index every product once more in the background, so they count as delivered.
  await ctx.db.kysely.updateTable('outbox_events').set({ dispatched_at: systemClock.now() }).where('dispatched_at', 'is', null).execute();
  return { roots, leaves, ms: performance.now() - started };
}

/** In-process query mix: common and rare words, several words, English, a relaxed query, filters and sorts. */
export function queryMix(g: Generated): Record<string, unknown>[] {
  const texts = ['手机', '华为 手机', '小米 充电宝', '连衣裙 夏季', '裙子 连衣', '蓝牙耳机', '降噪耳机 sony', 'apple 手机', 'apple 平板', '笔记本电脑 16GB', '跑步鞋 男', 'nike', '口红 哑光', '面霜 保湿',
    '西湖龙井', '每日坚果', '四件套 纯棉', '空气炸锅', '羽绒服 长款', 'T恤 纯棉', '华为 口红', '雪纺', '礼盒', '旗舰'];
  return [
    ...texts.map((q) => ({ q })),
    { q: '手机', sort: 'price_asc' }, { q: '手机', in_stock: true, brand: ['华为', '小米'] }, { q: '耳机', category_id: g.roots.get('数码'), price_max: 50_000 },
    { q: '连衣裙', sort: 'newest', limit: 40 }, { category_id: g.roots.get('女装'), sort: 'price_desc' }, { category_id: g.leaves.get('口红') },
  ];
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Wall and CPU milliseconds of each query: the first round (cold caches) apart from the rest. */
async function inProcess(ctx: AppContext, mix: Record<string, unknown>[], rounds: number) {
  const cold: number[] = [];
  const warm: number[] = [];
  const warmCpu: number[] = [];
  const total = new Map<number, number>();
  for (let r = 0; r <= rounds; r++) {
    for (const [i, q] of mix.entries()) {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      const res = await ctx.search.search(q);
      const cpu = process.cpuUsage(c0);
      (r === 0 ? cold : warm).push(performance.now() - t0);
      if (r > 0) warmCpu.push((cpu.user + cpu.system) / 1000);
      total.set(i, res.total);
    }
  }
  const sort = (xs: number[]) => xs.sort((a, b) => a - b);
  return { cold: sort(cold), warm: sort(warm), warmCpu: sort(warmCpu), total };
}

async function provision(engine: EngineName): Promise<{ url: string; drop(): Promise<void> }> {
  const tag = `${Date.now()}_${randomBytes(3).toString('hex')}`;
  if (engine === 'sqlite') {
    const file = join(tmpdir(), `xd-bench-search-${tag}.db`);
    return { url: file, drop: async () => ['', '-wal', '-shm'].forEach((s) => rmSync(file + s, { force: true })) };
  }
  const base = new URL(withDefaultUser(process.env.XIAODIAN_BENCH_PG_URL || DEFAULT_PG_URL));
  const admin = new URL(base);
  admin.pathname = '/postgres';
  const name = `xd_bench_search_${tag}`;
  const run = async (sqlText: string) => {
    const c = new pg.Client({ connectionString: admin.toString() });
    await c.connect();
    try {
      await c.query(sqlText);
    } finally {
      await c.end();
    }
  };
  await run(`create database ${name}`);
  base.pathname = `/${name}`;
  return { url: base.toString(), drop: () => run(`drop database if exists ${name} with (force)`) };
}

async function runEngine(bench: BenchContext, engine: EngineName): Promise<Row[]> {
  const db = await provision(engine);
  const rows: Row[] = [];
  try {
    // In-process rows measure the engine: the answer cache is off (the mix repeats every query 20 times).
    const config = { ...loadConfig({}), databaseUrl: db.url, seedDemo: false, workers: false, sqliteSynchronous: 'NORMAL' as const, searchAnswerCache: 0 };
    const app = await wire({ config, clock: systemClock, log: silentLogger });
    let g: Generated;
    try {
      bench.log(`  ${engine}: generating ${PRODUCTS} products`);
      g = await generate(app, PRODUCTS, bench.log);
      bench.log(`  ${engine}: generated in ${(g.ms / 1000).toFixed(1)} s; building the index`);
      const rss0 = process.memoryUsage().rss;
      const built = await app.search.rebuild();
      const buildRssDelta = (process.memoryUsage().rss - rss0) / MiB;
      const rowsPostings = Number((await app.db.kysely.selectFrom('search_postings').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
      rows.push({ engine, what: `index build: ${built.products.toLocaleString('en-US')} products, ${rowsPostings.toLocaleString('en-US')} posting rows`, qps: (built.products / built.ms) * 1000, p50: null, p99: null, ms: built.ms, rss: buildRssDelta, note: 'products/s; RSS = bench process growth' });
      const mix = queryMix(g);
      const m = await inProcess(app, mix, 20);
      const sum = m.warm.reduce((a, b) => a + b, 0);
      rows.push({ engine, what: `in-process, first run of each query (${mix.length} queries, cold cache)`, qps: null, p50: pct(m.cold, 50), p99: pct(m.cold, 99), ms: null, rss: null, note: null });
      const matches = Math.round([...m.total.values()].reduce((a, b) => a + b, 0) / m.total.size);
      rows.push({ engine, what: `in-process, ${m.warm.length} queries sequential (warm)`, qps: (m.warm.length / sum) * 1000, p50: pct(m.warm, 50), p99: pct(m.warm, 99), ms: null, rss: null, cpu_ms: pct(m.warmCpu, 50), note: `mean matches ${matches}; CPU p99 ${pct(m.warmCpu, 99).toFixed(1)} ms` });
    } finally {
      await shutdown(app);
    }
    const endpoints: [string, string][] = [
      ['q=手机', `q=${encodeURIComponent('手机')}`],
      ['q=华为 蓝牙耳机, in stock', `q=${encodeURIComponent('华为 蓝牙耳机')}&in_stock=true`],
      ['q=连衣裙, 女装, ≤ ¥300, price ↑', `q=${encodeURIComponent('连衣裙')}&category_id=${g.roots.get('女装')}&price_max=30000&sort=price_asc`],
      ['no words: 数码, newest', `category_id=${g.roots.get('数码')}&sort=newest`],
    ];
    // Twice: as configured by default (a repeated query is answered from the answer cache), and
    // with the answer cache off (every request runs the whole query: the engine's own latency).
    for (const answerCache of [true, false]) {
      const server = await bench.startXiaodian(engine, { env: { DATABASE_URL: db.url, XIAODIAN_SEED_DEMO: 'false', XIAODIAN_SEARCH_ANSWER_CACHE: answerCache ? '1000' : '0' } });
      try {
        const idle = server.rssBytes() / MiB;
        for (const [name, qs] of endpoints) {
          const first = await fetch(`${server.baseUrl}/api/v1/search/products?${qs}`);
          const body = (await first.json()) as { total?: number; items?: unknown[] };
          if (first.status !== 200 || !body.items?.length) throw new Error(`search ${qs}: ${first.status} ${JSON.stringify(body).slice(0, 300)}`);
          const label = `${name} (${body.total!.toLocaleString('en-US')} matches)${answerCache ? '' : ', answer cache off'}`;
          for (const connections of answerCache ? [8, bench.settings.connections] : [8]) {
            bench.log(`  ${engine}: ${label}, ${connections} connections`);
            if (bench.settings.quietWaitS > 0) await waitForQuiet(bench.settings.quietWaitS, bench.log);
            const r = await runLoad(server, { path: `/api/v1/search/products?${qs}` }, { ...bench.settings, connections });
            const verdict = engine === 'sqlite' && connections === 8 ? (r.failures ? 'INVALID (errors)' : `${r.p99Ms < TARGET_P99_MS ? 'PASS' : 'FAIL'} (p99 < ${TARGET_P99_MS} ms)`) : null;
            rows.push({
              engine, what: `HTTP ${label}, ${connections} conn.`, qps: r.rps, p50: r.p50Ms, p99: r.p99Ms, ms: null, rss: server.rssBytes() / MiB,
              cpu_ms: r.rps > 0 ? (r.cpu.server * 1000) / r.rps : null, other: r.cpu.other, note: r.failures ? r.failureDetail : verdict,
            });
          }
        }
        if (answerCache) rows.push({ engine, what: 'server RSS: idle after start / peak', qps: null, p50: null, p99: null, ms: null, rss: server.peakRssBytes() / MiB, note: `idle ${idle.toFixed(0)} MiB` });
      } finally {
        await server.stop();
      }
    }
  } finally {
    await db.drop();
  }
  return rows;
}

export const search: Scenario = {
  name: 'search',
  title: `Search: ${PRODUCTS.toLocaleString('en-US')} products with Chinese titles`,
  method: [
    `A seeded generator lists ${PRODUCTS.toLocaleString('en-US')} products (100 stores, 17 leaf categories under 6 roots, brands × product nouns × attributes,`,
    'e.g. 「华为 K42 雅川青智能手机 全网通」; 2 SKUs each, 10% sold out) through the catalog and inventory modules in the bench process',
    'on a fresh database (their outbox events are then marked delivered: the index is built once, by the module\'s rebuild —',
    '`npm run search:rebuild` — and "index build" is that time). In-process rows call `search()` directly, one query at a time:',
    'a mix of 30 queries (one to three words, English, synonyms, a relaxed query, filters, sorts, listings without words), first',
    'the cold run (empty caches), then 20 warm rounds; "srv CPU" there is the process CPU time per query. HTTP rows put autocannon',
    'on GET /api/v1/search/products (a Xiaodian child process on the same database, facets on, 20 per page, each endpoint one',
    'fixed query) at 8 connections (latency) and at the run\'s connection count (throughput); "srv CPU ms/q" is the server',
    'child\'s CPU time per answered request. Warm means: postings lists of the queried terms, parsed queries and the display rows',
    'of shown products are in the server\'s caches (all exact, invalidated by index changes). A repeated query is answered from',
    'the answer cache (default on, emptied by any index change, like Solr\'s queryResultCache); the "answer cache off" rows run',
    'every request through the whole query, as a query never seen before would (the in-process rows also run with it off).',
    `Target: **p99 < ${TARGET_P99_MS} ms over HTTP on the embedded engine** (8 connections).`,
  ].join('\n'),
  columns: [
    { key: 'engine', label: 'engine', align: 'left' },
    { key: 'what', label: 'measurement', align: 'left' },
    { key: 'qps', label: 'per s' },
    { key: 'p50', label: 'p50 ms', decimals: 1 },
    { key: 'p99', label: 'p99 ms', decimals: 1 },
    { key: 'ms', label: 'took ms' },
    { key: 'cpu_ms', label: 'srv CPU ms/q', decimals: 2 },
    { key: 'rss', label: 'RSS MiB' },
    { key: 'other', label: 'CPU other', decimals: 2 },
    { key: 'note', label: 'note', align: 'left' },
  ],
  async run(ctx) {
    const rows: Row[] = [];
    for (const engine of ctx.engines) rows.push(...(await runEngine(ctx, engine.name)));
    return rows;
  },
  summarize(rows) {
    const lines = rows.filter((r) => typeof r.note === 'string' && /PASS|FAIL/.test(r.note)).map((r) => `- ${r.engine}, ${r.what}: p99 **${(r.p99 as number).toFixed(1)} ms** → **${r.note}**`);
    for (const r of rows.filter((x) => String(x.what).startsWith('index build'))) lines.push(`- ${r.engine}: index built in ${((r.ms as number) / 1000).toFixed(1)} s (${Math.round(r.qps as number)} products/s).`);
    const busy = rows.filter((r) => typeof r.other === 'number' && r.other > 0.3);
    if (busy.length) lines.push(`- ⚠ other processes used more than 0.3 of a core during ${busy.length} HTTP row(s) (up to ${Math.max(...busy.map((r) => r.other as number)).toFixed(2)}): latencies there include waiting for the CPU; "srv CPU ms/q" is the steadier figure.`);
    return lines;
  },
};
