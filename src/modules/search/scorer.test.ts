import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryIndex } from './text/memory-index.ts';
import { indexDocument, type DocumentText } from './text/document.ts';
import { compact } from './text/normalize.ts';
import { parseQuery } from './text/query.ts';
import { compareRanked, type Ranked } from './text/rank.ts';
import { DocTable } from './doc-table.ts';
import { accumulate, driverTerms } from './scorer.ts';
import { packTfs, unpackTfs } from './search-doc.ts';
import type { TermList } from './postings-cache.ts';
import type { FieldTf } from './text/document.ts';

/** The typed-array scorer must rank exactly like the reference (text/memory-index.ts + rank.ts). */
const CORPUS: (DocumentText & { title: string; sales: number })[] = [
  { title: '华为 Mate 60 Pro 5G智能手机', brand: '华为', category: '数码 手机', attributes: '颜色 雅川青', sales: 120 },
  { title: '华为手机', brand: '华为', category: '数码 手机', sales: 3 },
  { title: '小米14 徕卡影像 手机', brand: '小米', category: '数码 手机', description: '骁龙8 旗舰芯片 手机中的手机', sales: 900 },
  { title: 'Apple iPhone 15 Pro 256GB', brand: 'Apple', category: '数码 手机 phones', sales: 50 },
  { title: '夏季碎花连衣裙 雪纺长裙', category: '女装 连衣裙', attributes: '材质 雪纺', sales: 40 },
  { title: '法式复古连衣裙 女 夏', category: '女装 连衣裙', sales: 0 },
  { title: '百褶半身裙 高腰', category: '女装 半身裙', sales: 7 },
  { title: '联想 ThinkPad X1 Carbon 笔记本电脑', brand: '联想', category: '电脑 笔记本', sales: 15 },
  { title: '华为 MateBook 14 笔记本', brand: '华为', category: '电脑 笔记本', sales: 22 },
  { title: 'Sony WH-1000XM5 headphones 降噪耳机', brand: 'Sony', category: '数码 耳机', sales: 60 },
  { title: '罗技 无线鼠标', brand: '罗技', category: '电脑 外设', sales: 300 },
  { title: '纯棉短袖T恤 男女同款', category: '男装 T恤', sales: 1000 },
];
const QUERIES = ['手机', '华为手机', '裙子 连衣', '连衣裙', '笔记本电脑', 'iphone 15', 'headphone', '华为 连衣裙', '裙', 't恤', '华为 笔记本', 'pro'];

function build() {
  const memory = createMemoryIndex();
  const table = new DocTable();
  const postings = new Map<string, [number, number][]>();
  CORPUS.forEach((doc, i) => {
    const id = `prd_${String(i).padStart(26, '0')}`;
    memory.put(id, doc, doc.sales);
    const indexed = indexDocument(doc);
    const tf = new Map<string, FieldTf>();
    for (const p of indexed.postings) tf.set(p.term, { ...tf.get(p.term), [p.field]: p.tf });
    for (const [term, t] of tf) postings.set(term, [...(postings.get(term) ?? []), [i, packTfs(t)]]);
    const l = indexed.lengths;
    table.apply({
      product_id: id, doc_no: i, store_id: 'sto_x', category_id: 'cat_x', category_path: '[]', title_compact: compact(doc.title), brand: doc.brand ?? null, visible: 1, in_stock: 1,
      price_min_minor: 100, sales: doc.sales, created_at: i, len_title: l.title ?? 0, len_brand: l.brand ?? 0, len_category: l.category ?? 0, len_attributes: l.attributes ?? 0,
      len_description: l.description ?? 0, seq: i + 1,
    });
  });
  const list = (term: string): TermList => {
    const rows = postings.get(term) ?? [];
    return { docs: Int32Array.from(rows.map((r) => r[0])), tfs: Int32Array.from(rows.map((r) => r[1])) };
  };
  return { memory, table, list };
}

test('tfs pack and unpack per field', () => {
  const tf = { title: 3, category: 1, description: 63 };
  assert.deepEqual(unpackTfs(packTfs(tf)), tf);
  assert.deepEqual(unpackTfs(packTfs({ brand: 200 })), { brand: 63 });
});

test('ranks like the reference index, in both match modes', () => {
  const { memory, table, list } = build();
  for (const q of QUERIES) {
    const query = parseQuery(q);
    for (const mode of ['all', 'any'] as const) {
      const expected = memory.search(query, { mode });
      // 'all' as the service runs it: only the driver terms open candidates.
      const lists = query.terms.map(list);
      const acc = accumulate(query, lists, table, () => true, mode === 'all' ? driverTerms(query, lists) : null);
      const m = acc.evaluate(mode);
      const got: Ranked[] = Array.from({ length: m.n }, (_, i) => ({
        id: table.productId[m.docs[i]]!, score: m.score[i], exactTitle: m.exact[i] === 1, titleContainsQuery: false, matchedGroups: 0, matchedTerms: m.termsOf(i),
      })).sort(compareRanked);
      acc.release();
      assert.deepEqual(got.map((r) => r.id), expected.map((r) => r.id), `${q} (${mode})`);
      got.forEach((r, i) => {
        assert.ok(Math.abs(r.score - expected[i].score) < 1e-9, `${q} (${mode}) score of ${r.id}`);
        assert.deepEqual(r.matchedTerms, expected[i].matchedTerms);
      });
    }
  }
});

test('filters reject documents while postings are read, and the buffers are reusable', () => {
  const { table, list } = build();
  const query = parseQuery('手机');
  const acc = accumulate(query, query.terms.map(list), table, (d) => table.brand[d] === table.brandNumber('华为'));
  const m = acc.evaluate('all');
  assert.deepEqual([...m.docs.subarray(0, m.n)].sort(), [0, 1]);
  assert.throws(() => accumulate(query, [], table, () => true), /in use/);
  acc.release();
  const again = accumulate(query, query.terms.map(list), table, () => true);
  assert.equal(again.evaluate('all').n, 4);
  again.release();
});

test('highlights from stored spans equal text/highlight.ts', async () => {
  const { analyze } = await import('./text/analyzer.ts');
  const { highlight } = await import('./text/highlight.ts');
  const { highlightStored } = await import('./highlight-spans.ts');
  for (const title of ['华为 Mate 60 Pro 5G智能手机', 'Sony WH-1000XM5 <b>headphones</b> 降噪耳机', '夏季碎花连衣裙 & 长裙', 'ＰＲＯ 👗 连衣裙']) {
    const spans = JSON.stringify(analyze(title, 'index').map((t) => [t.term, t.start, t.end]));
    for (const q of ['手机', '华为手机', 'headphone', '裙子 连衣', 'pro', '连衣裙 长裙']) {
      const terms = parseQuery(q).terms;
      assert.equal(highlightStored(title, spans, terms), highlight(title, terms), `${title} / ${q}`);
    }
  }
});
