// src/db/index.ts
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { CompiledQuery as CompiledQuery2, Kysely, PostgresDialect } from "kysely";

// src/db/sqlite-driver.ts
import {
  CompiledQuery,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler
} from "kysely";
var CachedSqliteDialect = class {
  constructor(db2) {
    this.db = db2;
  }
  db;
  createDriver() {
    return new CachedSqliteDriver(this.db);
  }
  createQueryCompiler() {
    return new SqliteQueryCompiler();
  }
  createAdapter() {
    return new SqliteAdapter();
  }
  createIntrospector(db2) {
    return new SqliteIntrospector(db2);
  }
};
var STATEMENT_CACHE_SIZE = 500;
var CachedSqliteConnection = class {
  constructor(db2) {
    this.db = db2;
  }
  db;
  cache = /* @__PURE__ */ new Map();
  statement(sql) {
    let stmt = this.cache.get(sql);
    if (stmt) return stmt;
    stmt = this.db.prepare(sql);
    if (this.cache.size >= STATEMENT_CACHE_SIZE) {
      const first = this.cache.keys().next().value;
      if (first !== void 0) this.cache.delete(first);
    }
    this.cache.set(sql, stmt);
    return stmt;
  }
  executeQuery(compiled) {
    const stmt = this.statement(compiled.sql);
    const params = compiled.parameters;
    if (stmt.reader) return Promise.resolve({ rows: stmt.all(params) });
    const { changes, lastInsertRowid } = stmt.run(params);
    return Promise.resolve({
      numAffectedRows: BigInt(changes),
      insertId: lastInsertRowid === void 0 ? void 0 : BigInt(lastInsertRowid),
      rows: []
    });
  }
  // eslint-disable-next-line require-yield
  async *streamQuery() {
    throw new Error("streaming is not supported on the embedded engine");
  }
};
var LOCK_WAIT_MS = 15e3;
var Mutex = class {
  locked = false;
  waiters = [];
  lock() {
    if (!this.locked) {
      this.locked = true;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        grant: () => {
          clearTimeout(timer);
          resolve();
        }
      };
      const timer = setTimeout(() => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(new Error(`embedded database busy for ${LOCK_WAIT_MS} ms: is a query running outside the open transaction (use tx, not db)?`));
      }, LOCK_WAIT_MS);
      timer.unref();
      this.waiters.push(waiter);
    });
  }
  unlock() {
    const next = this.waiters.shift();
    if (next) next.grant();
    else this.locked = false;
  }
};
var CachedSqliteDriver = class {
  constructor(db2) {
    this.db = db2;
    this.connection = new CachedSqliteConnection(db2);
  }
  db;
  mutex = new Mutex();
  connection;
  async init() {
  }
  async acquireConnection() {
    await this.mutex.lock();
    return this.connection;
  }
  async beginTransaction(c) {
    await c.executeQuery(CompiledQuery.raw("begin immediate"));
  }
  async commitTransaction(c) {
    await c.executeQuery(CompiledQuery.raw("commit"));
  }
  async rollbackTransaction(c) {
    await c.executeQuery(CompiledQuery.raw("rollback"));
  }
  async releaseConnection() {
    this.mutex.unlock();
  }
  async destroy() {
    this.db.close();
  }
};

// src/db/index.ts
var pgParsersSet = false;
function setPgTypeParsers() {
  if (pgParsersSet) return;
  pgParsersSet = true;
  pg.types.setTypeParser(20, (v) => {
    const n = Number(v);
    if (!Number.isSafeInteger(n)) throw new Error(`int8 value ${v} exceeds the safe integer range`);
    return n;
  });
}
function isPostgresUrl(url) {
  return /^postgres(ql)?:\/\//.test(url);
}
async function createDb(config) {
  if (isPostgresUrl(config.url)) return createPostgres(config);
  return createSqlite(config);
}
function createSqlite(config) {
  if (config.url !== ":memory:") mkdirSync(dirname(config.url), { recursive: true });
  const raw = new BetterSqlite3(config.url);
  raw.pragma("journal_mode = WAL");
  raw.pragma(`synchronous = ${config.sqliteSynchronous ?? "FULL"}`);
  raw.pragma("busy_timeout = 10000");
  raw.pragma("foreign_keys = ON");
  const kysely = new Kysely({ dialect: new CachedSqliteDialect(raw) });
  return makeDb("sqlite", kysely, (s) => s);
}
async function createPostgres(config) {
  setPgTypeParsers();
  const schema = config.schema;
  if (schema && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name ${schema}`);
  if (schema) {
    const admin = new pg.Client({ connectionString: config.url });
    await admin.connect();
    try {
      await admin.query(`create schema if not exists ${schema}`);
    } finally {
      await admin.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: config.url,
    max: config.poolSize ?? 16,
    ...schema ? { options: `-c search_path=${schema}` } : {}
  });
  const kysely = new Kysely({ dialect: new PostgresDialect({ pool }) });
  return makeDb("postgres", kysely, toDollarParams, schema);
}
function toDollarParams(sqlText) {
  let i = 0;
  return sqlText.replace(/\?/g, () => `$${++i}`);
}
function makeDb(engine, kysely, translate, schema) {
  return {
    engine,
    schema,
    kysely,
    transaction(fn, outer) {
      if (outer && outer.isTransaction) return fn(outer);
      return kysely.transaction().execute(fn);
    },
    prepared(sqlText) {
      const text = translate(sqlText);
      const exec = async (ex, params) => ex.executeQuery(CompiledQuery2.raw(text, params));
      return {
        all: async (ex, params) => (await exec(ex, params)).rows,
        first: async (ex, params) => (await exec(ex, params)).rows[0],
        run: async (ex, params) => Number((await exec(ex, params)).numAffectedRows ?? 0n)
      };
    },
    close: () => kysely.destroy()
  };
}

// src/modules/search/search.repo.ts
var STATE_COLUMNS = "product_id, doc_no, store_id, category_id, category_path, title_compact, brand, visible, in_stock, price_min_minor, sales, created_at, len_title, len_brand, len_category, len_attributes, len_description, seq";
var DOC_COLUMNS = [
  "product_id",
  "doc_no",
  "store_id",
  "category_id",
  "category_path",
  "title",
  "title_compact",
  "title_spans",
  "brand",
  "image_url",
  "status",
  "visible",
  "in_stock",
  "price_min_minor",
  "price_max_minor",
  "sales",
  "created_at",
  "len_title",
  "len_brand",
  "len_category",
  "len_attributes",
  "len_description",
  "postings",
  "content_hash",
  "seq",
  "indexed_at"
];
var CHUNK = 5e3;
function createSearchRepo(db2) {
  const pg2 = db2.engine === "postgres";
  const k = db2.kysely;
  const inList = (col) => pg2 ? `${col} = any(?)` : `${col} in (select value from json_each(?))`;
  const list = (values) => pg2 ? values : JSON.stringify(values);
  const tuples = (cols, types) => pg2 ? `select * from unnest(${types.map((t) => `?::${t}[]`).join(", ")}) as v(${cols.join(", ")})` : `select ${cols.map((c, i) => `value ->> ${i} as ${c}`).join(", ")} from json_each(?)`;
  const tupleParams = (rows2, width) => pg2 ? Array.from({ length: width }, (_, i) => rows2.map((r) => r[i])) : [JSON.stringify(rows2)];
  const seqStmt = db2.prepared(`select value from search_meta where key = 'seq'`);
  const allocateStmt = db2.prepared("update search_meta set value = value + ? where key = ? returning value");
  const existingStmt = db2.prepared(`select product_id, doc_no, postings, content_hash, store_id, category_id, title, created_at from search_documents where ${inList("product_id")}${pg2 ? " for update" : ""}`);
  const deletePostingsStmt = db2.prepared(`delete from search_postings where (term, doc_no) in (${tuples(["term", "doc_no"], ["text", "int"])})`);
  const insertPostingsStmt = db2.prepared(`insert into search_postings (term, doc_no, tfs) ${tuples(["term", "doc_no", "tfs"], ["text", "int", "int"])}`);
  const deleteSkusStmt = db2.prepared(`delete from search_skus where ${inList("product_id")}`);
  const insertSkusStmt = db2.prepared(`insert into search_skus (sku_id, product_id) ${tuples(["sku_id", "product_id"], ["text", "text"])}`);
  const skuProductsStmt = db2.prepared(`select sku_id, product_id from search_skus where ${inList("sku_id")}`);
  const enqueueStmt = db2.prepared("insert into search_pending (product_id, token, enqueued_at) values (?, ?, ?) on conflict (product_id) do update set token = excluded.token, enqueued_at = excluded.enqueued_at");
  const pendingStmt = db2.prepared("select product_id, token from search_pending order by enqueued_at, product_id limit ?");
  const clearPendingStmt = db2.prepared(`delete from search_pending where (product_id, token) in (${tuples(["product_id", "token"], ["text", "text"])})`);
  const docsSinceStmt = db2.prepared(`select ${STATE_COLUMNS}, postings from search_documents where seq > ? order by seq limit ?`);
  const allDocsStmt = db2.prepared(`select ${STATE_COLUMNS} from search_documents where doc_no > ? order by doc_no limit ?`);
  const postingsStmt = db2.prepared(`select term, doc_no, tfs from search_postings where ${inList("term")} order by term, doc_no`);
  const pageStmt = db2.prepared(
    `select doc_no, product_id, title, title_spans, brand, image_url, store_id, category_id, price_min_minor, price_max_minor, in_stock, sales, created_at from search_documents where ${inList("doc_no")}`
  );
  async function chunked(rows2, fn) {
    for (let i = 0; i < rows2.length; i += CHUNK) await fn(rows2.slice(i, i + CHUNK));
  }
  return {
    async currentSeq(ex = k) {
      return Number((await seqStmt.first(ex, []))?.value ?? 0);
    },
    /** Reserves `n` numbers of a counter; returns the first. Commits happen in counter order (row lock). */
    async allocate(tx, key, n) {
      const row = await allocateStmt.first(tx, [n, key]);
      return Number(row.value) - n + 1;
    },
    /** The current rows of these products (locked for the transaction on PostgreSQL). */
    existing: (tx, productIds) => productIds.length ? existingStmt.all(tx, [list(productIds)]) : Promise.resolve([]),
    deletePostings: (tx, pairs) => chunked(pairs, (c) => deletePostingsStmt.run(tx, tupleParams(c, 2))),
    insertPostings: (tx, rows2) => chunked(rows2, (c) => insertPostingsStmt.run(tx, tupleParams(c, 3))),
    async upsertDocs(tx, rows2) {
      const updated = DOC_COLUMNS.filter((c) => c !== "product_id" && c !== "doc_no");
      for (let i = 0; i < rows2.length; i += 200) {
        await tx.insertInto("search_documents").values(rows2.slice(i, i + 200)).onConflict((oc) => oc.column("product_id").doUpdateSet((eb) => Object.fromEntries(updated.map((c) => [c, eb.ref(`excluded.${c}`)])))).execute();
      }
    },
    async replaceSkus(tx, productIds, pairs) {
      if (productIds.length) await deleteSkusStmt.run(tx, [list(productIds)]);
      await chunked(pairs, (c) => insertSkusStmt.run(tx, tupleParams(c, 2)));
    },
    async productIdsForSkus(ex, skuIds) {
      if (!skuIds.length) return /* @__PURE__ */ new Map();
      return new Map((await skuProductsStmt.all(ex, [list(skuIds)])).map((r) => [r.sku_id, r.product_id]));
    },
    enqueue: (tx, productId, token, now) => enqueueStmt.run(tx, [productId, token, now]),
    pending: (limit) => pendingStmt.all(k, [limit]),
    /** Removes queue rows still holding these tokens (a newer event replaced the token: the row stays). */
    clearPending: (tx, pairs) => chunked(pairs, (c) => clearPendingStmt.run(tx, tupleParams(c, 2))),
    async hasPending() {
      return (await pendingStmt.all(k, [1])).length > 0;
    },
    docsSince: (seq, limit) => docsSinceStmt.all(k, [seq, limit]),
    /** Every document in doc_no order, a page at a time (startup and full reloads). */
    docsPage: (afterDocNo, limit) => allDocsStmt.all(k, [afterDocNo, limit]),
    postingsFor: (terms) => postingsStmt.all(k, [list(terms)]),
    pageDocs: (docNos) => docNos.length ? pageStmt.all(k, [list(docNos)]) : Promise.resolve([]),
    async visibleProductIds() {
      return (await k.selectFrom("search_documents").select("product_id").where("visible", "=", 1).execute()).map((r) => r.product_id);
    },
    /** A fresh rebuild: drops every posting and forgets every content hash, so each product is written again. */
    async resetIndex(tx) {
      await tx.deleteFrom("search_postings").execute();
      await tx.updateTable("search_documents").set({ postings: "[]", content_hash: "" }).execute();
    }
  };
}

// src/modules/search/text/jieba.ts
import { createRequire } from "node:module";
var instance;
function getJieba() {
  if (instance === void 0) {
    const require2 = createRequire(import.meta.url);
    const { Jieba: JiebaClass } = require2("@node-rs/jieba");
    const { dict } = require2("@node-rs/jieba/dict");
    instance = JiebaClass.withDict(dict);
  }
  return instance;
}
var USE_HMM = true;

// src/modules/search/text/chinese.ts
function cutWithSpans(run2) {
  return tile(run2, getJieba().cut(run2, USE_HMM));
}
function cutForSearchWithSpans(run2) {
  const jieba = getJieba();
  const words = tile(run2, jieba.cut(run2, USE_HMM));
  const search = jieba.cutForSearch(run2, USE_HMM);
  const grams = [];
  let k = 0;
  for (const word of words) {
    const lastFrom = /* @__PURE__ */ new Map();
    while (k < search.length && search[k] !== word.term) {
      const gram = search[k++];
      const after = (lastFrom.get(gram.length) ?? -1) + 1;
      let at = word.term.indexOf(gram, after);
      if (at < 0) at = word.term.indexOf(gram);
      if (at < 0) return { words, grams };
      lastFrom.set(gram.length, at);
      grams.push({ term: gram, from: word.from + at, to: word.from + at + gram.length });
    }
    k++;
  }
  return { words, grams };
}
function subwordCover(word) {
  const { words, grams } = cutForSearchWithSpans(word);
  const pieces = [...grams, ...words].filter((s) => s.term !== word);
  const cover = [];
  let at = 0;
  while (at < word.length) {
    let best;
    for (const p of pieces) {
      if (p.from === at && (best === void 0 || p.to > best.to)) best = p;
    }
    if (best === void 0) return null;
    cover.push(best);
    at = best.to;
  }
  return cover.length > 1 ? cover : null;
}
function charNgrams(run2, n) {
  const bounds = [0];
  for (const ch of run2) bounds.push(bounds[bounds.length - 1] + ch.length);
  const out = [];
  for (let i = 0; i + n < bounds.length; i++) {
    out.push({ term: run2.slice(bounds[i], bounds[i + n]), from: bounds[i], to: bounds[i + n] });
  }
  return out;
}
function tile(run2, words) {
  const spans = [];
  let at = 0;
  for (const w of words) {
    if (run2.startsWith(w, at)) {
      spans.push({ term: w, from: at, to: at + w.length });
      at += w.length;
    } else {
      spans.push({ term: run2.slice(at), from: at, to: run2.length });
      return spans;
    }
  }
  if (at < run2.length) spans.push({ term: run2.slice(at), from: at, to: run2.length });
  return spans;
}

// src/modules/search/text/normalize.ts
var MARK = /\p{M}/u;
var LATIN = /\p{Script=Latin}/u;
var WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;
var DIGIT = /\p{N}/u;
var LETTER = /\p{L}/u;
var APOSTROPHES = /* @__PURE__ */ new Set(["'", "\u2019", "\u02BC"]);
function normalizeWithOffsets(input) {
  const points = [];
  const starts = [];
  const ends = [];
  let i = 0;
  while (i < input.length) {
    let j = i + codePointLength(input, i);
    while (j < input.length && MARK.test(String.fromCodePoint(input.codePointAt(j)))) {
      j += codePointLength(input, j);
    }
    for (const point of mapChunk(input.slice(i, j))) {
      points.push(point);
      starts.push(i);
      ends.push(j);
    }
    i = j;
  }
  resolvePunctuation(points);
  const out = { text: "", starts: [], ends: [] };
  for (let k = 0; k < points.length; k++) {
    for (let u = 0; u < points[k].length; u++) {
      out.starts.push(starts[k]);
      out.ends.push(ends[k]);
    }
  }
  out.text = points.join("");
  return out;
}
function normalize(input) {
  return normalizeWithOffsets(input).text.replace(/\s+/g, " ").trim();
}
function compact(input) {
  return normalizeWithOffsets(input).text.replace(/\s+/g, "");
}
function codePointLength(s, i) {
  return s.codePointAt(i) > 65535 ? 2 : 1;
}
function mapChunk(chunk) {
  const c = chunk.charCodeAt(0);
  if (chunk.length === 1 && c < 128) {
    if (c >= 65 && c <= 90) return String.fromCharCode(c + 32);
    return chunk;
  }
  if (chunk.length === 1 && c >= 19968 && c <= 40959) return chunk;
  let s = chunk.normalize("NFKC").toLowerCase().replace(/[\uFE00-\uFE0F\u20E3]/g, "");
  if (LATIN.test(s)) s = s.normalize("NFD").replace(/\p{M}/gu, "").normalize("NFC");
  return s;
}
function resolvePunctuation(units) {
  for (let k = 0; k < units.length; k++) {
    const u = units[k];
    if (u === " ") continue;
    if (MARK.test(u)) {
      if (k === 0 || !WORD_CHAR.test(units[k - 1])) units[k] = " ";
      continue;
    }
    if (WORD_CHAR.test(u)) continue;
    const prev = k > 0 ? units[k - 1] : "";
    const next = k + 1 < units.length ? units[k + 1] : "";
    if (u === "." && DIGIT.test(prev) && DIGIT.test(next)) continue;
    if (u === "," && DIGIT.test(prev) && DIGIT.test(next)) units[k] = "";
    else if (APOSTROPHES.has(u) && LETTER.test(prev) && LETTER.test(next)) units[k] = "";
    else units[k] = " ";
  }
}

// src/modules/search/text/stem.ts
var VOWEL = /[aeiouy]/;
var LOWER_ASCII = /^[a-z]+$/;
function stem(word) {
  if (word.length <= 3 || !LOWER_ASCII.test(word)) return word;
  let w = stripPlural(word);
  w = stripVerbSuffix(w);
  return stripFinalE(w);
}
function stripPlural(w) {
  if (w.endsWith("ies") && w.length > 4) return w.slice(0, -3) + "y";
  if (w.endsWith("sses")) return w.slice(0, -2);
  if (/(?:ch|sh|x|z)es$/.test(w)) return w.slice(0, -2);
  if (w.endsWith("ss") || w.endsWith("us") || w.endsWith("is")) return w;
  if (w.endsWith("s")) return w.slice(0, -1);
  return w;
}
function stripVerbSuffix(w) {
  if (w.endsWith("eed")) return w;
  for (const suffix of ["ing", "ed"]) {
    if (!w.endsWith(suffix)) continue;
    const base = w.slice(0, -suffix.length);
    if (base.length < 3 || !VOWEL.test(base)) return w;
    return undouble(base);
  }
  return w;
}
function undouble(w) {
  const last = w[w.length - 1];
  if (w.length >= 3 && last === w[w.length - 2] && !"aeiouylsz".includes(last)) return w.slice(0, -1);
  return w;
}
function stripFinalE(w) {
  if (w.length > 3 && w.endsWith("e") && !w.endsWith("ee")) return w.slice(0, -1);
  return w;
}

// src/modules/search/text/stopwords.ts
var STOPWORDS = /* @__PURE__ */ new Set([
  // Chinese function words and particles
  "\u7684",
  "\u4E86",
  "\u548C",
  "\u4E0E",
  "\u53CA",
  "\u6216",
  "\u7B49",
  "\u4E4B",
  "\u5728",
  "\u662F",
  "\u628A",
  "\u88AB",
  "\u5BF9",
  "\u4E3A",
  "\u4EE5",
  "\u4E8E",
  "\u800C",
  "\u5E76",
  "\u4E5F",
  "\u90FD",
  "\u5C31",
  "\u7740",
  "\u8FC7",
  "\u554A",
  "\u5427",
  "\u5462",
  "\u5417",
  "\u561B",
  "\u54E6",
  "\u5440",
  "\u8FD9",
  "\u90A3",
  "\u4E2A",
  "\u5176",
  "\u5404",
  "\u4ECE",
  "\u5411",
  "\u7ED9",
  "\u8BA9",
  "\u6211",
  "\u4F60",
  "\u4ED6",
  "\u5979",
  "\u5B83",
  "\u6211\u4EEC",
  "\u4F60\u4EEC",
  "\u4ED6\u4EEC",
  "\u4EE5\u53CA",
  "\u6216\u8005",
  "\u8FD8\u6709",
  "\u4E00\u4E2A",
  "\u8FD9\u4E2A",
  "\u90A3\u4E2A",
  "\u5C31\u662F",
  "\u800C\u4E14",
  // English (already lower-cased; stemming happens after this check)
  "a",
  "an",
  "the",
  "and",
  "or",
  "of",
  "for",
  "with",
  "in",
  "on",
  "at",
  "to",
  "by",
  "from",
  "is",
  "are",
  "be",
  "as",
  "it",
  "its",
  "this",
  "that",
  "these",
  "those"
]);
function isStopword(term) {
  return STOPWORDS.has(term);
}

// src/modules/search/text/analyzer.ts
var MAX_TERM_LENGTH = 64;
var HAN = /\p{Script=Han}/u;
var KANA = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u30fc]/u;
var WORD = /[\p{L}\p{N}\p{M}.]/u;
var PIECES = /\p{N}+(?:\.\p{N}+)*|[^\p{N}.]+/gu;
function analyzeQueryUnits(text) {
  const norm = normalizeWithOffsets(text);
  const units = [];
  const tok = (s, base, kind) => makeToken(norm, s.term, base + s.from, base + s.to, units.length, kind);
  const push = (word, ...alts) => {
    const alternatives = [[word], ...alts].map((alt) => alt.filter((t) => !isStopword(t.term) && t.term.length <= MAX_TERM_LENGTH)).filter((alt) => alt.length > 0);
    if (alternatives.length > 0) units.push({ token: word, alternatives });
  };
  for (const run2 of splitRuns(norm.text)) {
    if (run2.kind === "han") {
      for (const w of cutWithSpans(run2.text)) {
        if (isStopword(w.term)) continue;
        const word = tok(w, run2.from, "word");
        if (Array.from(w.term).length < 3) push(word);
        else {
          const pieces = subwordCover(w.term) ?? charNgrams(w.term, 2);
          push(word, pieces.map((p) => tok(p, run2.from + w.from, "part")));
        }
      }
    } else if (run2.kind === "kana") {
      const whole = { term: run2.text, from: 0, to: run2.text.length };
      const grams = charNgrams(run2.text, 2);
      const word = tok(whole, run2.from, "word");
      if (grams.length <= 1) push(word);
      else units.push({ token: word, alternatives: [grams.map((g) => tok(g, run2.from, "part"))] });
    } else {
      const w = latinWord(run2.text);
      if (w === null) continue;
      const word = tok({ term: w.whole, from: 0, to: run2.text.length }, run2.from, "word");
      if (w.parts.length === 0) push(word);
      else push(word, w.parts.map((p) => tok(p, run2.from, "part")));
    }
  }
  return units;
}
function latinWord(text) {
  if (isStopword(text)) return null;
  const pieces = [];
  for (const m of text.matchAll(PIECES)) {
    pieces.push({ term: stem(m[0]), from: m.index, to: m.index + m[0].length });
  }
  if (pieces.length <= 1) return { whole: stem(text), parts: [] };
  return { whole: text, parts: pieces };
}
function splitRuns(text) {
  const runs = [];
  let current;
  let at = 0;
  for (const ch of text) {
    const kind = HAN.test(ch) ? "han" : KANA.test(ch) ? "kana" : WORD.test(ch) ? "word" : null;
    if (kind !== null && current?.kind === kind) current.text += ch;
    else {
      current = kind === null ? void 0 : { kind, text: ch, from: at };
      if (current !== void 0) runs.push(current);
    }
    at += ch.length;
  }
  return runs;
}
function makeToken(norm, term, from, to, position, kind) {
  return { term, position, start: norm.starts[from], end: norm.ends[to - 1], kind };
}

// src/modules/search/text/document.ts
var FIELDS = ["title", "brand", "category", "attributes", "description"];

// src/modules/search/boost.ts
var SALES_WEIGHT = 0.02;
var OUT_OF_STOCK_FACTOR = 0.5;
function docBoost(sales, inStock) {
  return (sales > 0 ? 1 + SALES_WEIGHT * Math.log1p(sales) : 1) * (inStock ? 1 : OUT_OF_STOCK_FACTOR);
}

// src/modules/search/doc-table.ts
var NF = FIELDS.length;
var REC = 8;
var REC_LEN = 0;
var REC_BOOST = 5;
var REC_TITLE = 6;
var REC_TITLE_LEN = 7;
var DocTable = class {
  capacity = 0;
  /** Highest doc_no + 1. */
  size = 0;
  productId = [];
  /**
   * compact(title) of every document, UTF-16 code units back to back in one buffer (a query
   * compares it with thousands of random documents: one array beats 100,000 string objects).
   */
  titleBuf = new Uint16Array(1 << 16);
  titleUsed = 0;
  visible = new Uint8Array(0);
  inStock = new Uint8Array(0);
  price = new Float64Array(0);
  sales = new Float64Array(0);
  created = new Float64Array(0);
  category = new Int32Array(0);
  brand = new Int32Array(0);
  store = new Int32Array(0);
  /**
   * What scoring reads of every candidate, in one 64-byte record per document (one cache line
   * instead of one per array): REC_LEN + f the length of field f (FIELDS order), REC_BOOST the
   * relevance multiplier from sales and stock (scorer.docBoost), REC_TITLE / REC_TITLE_LEN where
   * compact(title) sits in the title buffer.
   */
  rec = new Float64Array(0);
  visibleCount = 0;
  lenSum = new Float64Array(NF);
  lenCount = new Float64Array(NF);
  categories = [];
  categoryById = /* @__PURE__ */ new Map();
  pathCache = /* @__PURE__ */ new Map();
  brandNames = [];
  brandByKey = /* @__PURE__ */ new Map();
  storeIds = [];
  storeById = /* @__PURE__ */ new Map();
  /** Average length per field over visible documents that have the field (as rank.ts expects). */
  avgLength(f) {
    return this.lenCount[f] > 0 ? this.lenSum[f] / this.lenCount[f] : 0;
  }
  categoryNumber(id) {
    return this.categoryById.get(id);
  }
  brandNumber(name) {
    return this.brandByKey.get(brandKey(name));
  }
  storeNumber(id) {
    return this.storeById.get(id);
  }
  /** Category numbers at or under `id` (1 in the mask). */
  categoryMask(categoryNo) {
    const mask = new Uint8Array(this.categories.length);
    this.categories.forEach((c, i) => {
      if (c.path.includes(categoryNo)) mask[i] = 1;
    });
    return mask;
  }
  apply(row) {
    const d = Number(row.doc_no);
    this.grow(d + 1);
    if (this.visible[d]) this.countStats(d, -1);
    this.productId[d] = row.product_id;
    this.setTitle(d, row.title_compact);
    this.visible[d] = Number(row.visible) === 1 ? 1 : 0;
    this.inStock[d] = Number(row.in_stock) === 1 ? 1 : 0;
    this.price[d] = row.price_min_minor === null ? NaN : Number(row.price_min_minor);
    this.sales[d] = Number(row.sales);
    this.rec[d * REC + REC_BOOST] = docBoost(this.sales[d], this.inStock[d] === 1);
    this.created[d] = Number(row.created_at);
    this.category[d] = this.internPath(row.category_id, row.category_path);
    this.brand[d] = row.brand === null || row.brand.trim() === "" ? -1 : this.internBrand(row.brand);
    this.store[d] = this.intern(this.storeIds, this.storeById, row.store_id, row.store_id);
    const lens = [row.len_title, row.len_brand, row.len_category, row.len_attributes, row.len_description];
    for (let f = 0; f < NF; f++) this.rec[d * REC + REC_LEN + f] = Number(lens[f]);
    if (this.visible[d]) this.countStats(d, 1);
    if (d + 1 > this.size) this.size = d + 1;
  }
  /** Whether the document's compact title contains (`exact`: equals) the code units `q`. */
  titleMatch(d, q2, exact) {
    const len = this.rec[d * REC + REC_TITLE_LEN];
    const m = q2.length;
    if (m === 0 || m > len || exact && m !== len) return false;
    const buf = this.titleBuf;
    const from = this.rec[d * REC + REC_TITLE];
    const last = from + len - m;
    outer: for (let i = from; i <= last; i++) {
      for (let k = 0; k < m; k++) if (buf[i + k] !== q2[k]) continue outer;
      return true;
    }
    return false;
  }
  compactTitle(d) {
    const from = this.rec[d * REC + REC_TITLE];
    return String.fromCharCode(...this.titleBuf.subarray(from, from + this.rec[d * REC + REC_TITLE_LEN]));
  }
  setTitle(d, title) {
    if (this.titleUsed + title.length > this.titleBuf.length) {
      const next = new Uint16Array(Math.max(this.titleBuf.length * 2, this.titleUsed + title.length));
      next.set(this.titleBuf.subarray(0, this.titleUsed));
      this.titleBuf = next;
    }
    for (let i = 0; i < title.length; i++) this.titleBuf[this.titleUsed + i] = title.charCodeAt(i);
    this.rec[d * REC + REC_TITLE] = this.titleUsed;
    this.rec[d * REC + REC_TITLE_LEN] = title.length;
    this.titleUsed += title.length;
  }
  countStats(d, sign) {
    this.visibleCount += sign;
    for (let f = 0; f < NF; f++) {
      const len = this.rec[d * REC + REC_LEN + f];
      if (len > 0) {
        this.lenSum[f] += sign * len;
        this.lenCount[f] += sign;
      }
    }
  }
  grow(n) {
    if (n <= this.capacity) return;
    const cap = Math.max(n, this.capacity * 2, 1024);
    const copy = (a, len, fill) => {
      const next = new a.constructor(len);
      if (fill !== void 0) next.fill(fill);
      next.set(a);
      return next;
    };
    this.visible = copy(this.visible, cap);
    this.inStock = copy(this.inStock, cap);
    this.price = copy(this.price, cap, NaN);
    this.sales = copy(this.sales, cap);
    this.created = copy(this.created, cap);
    this.category = copy(this.category, cap, -1);
    this.brand = copy(this.brand, cap, -1);
    this.store = copy(this.store, cap, -1);
    this.rec = copy(this.rec, cap * REC);
    this.capacity = cap;
  }
  intern(names, byKey, key, name) {
    let n = byKey.get(key);
    if (n === void 0) {
      n = names.length;
      names.push(name);
      byKey.set(key, n);
    }
    return n;
  }
  internBrand(name) {
    return this.intern(this.brandNames, this.brandByKey, brandKey(name), name.trim());
  }
  /** The leaf's number; registers every node of the path (names and parents follow the latest row). */
  internPath(categoryId, pathJson) {
    const cached = this.pathCache.get(pathJson);
    if (cached !== void 0) return cached;
    let path = [];
    try {
      path = JSON.parse(pathJson);
    } catch {
    }
    if (!path.length || path[path.length - 1][0] !== categoryId) path = [...path, [categoryId, categoryId]];
    let parent = -1;
    const numbers = [];
    for (const [id, name] of path) {
      let n = this.categoryById.get(id);
      if (n === void 0) {
        n = this.categories.length;
        this.categories.push({ id, name, parent, path: [] });
        this.categoryById.set(id, n);
      }
      const node = this.categories[n];
      node.name = name;
      node.parent = parent;
      numbers.push(n);
      node.path = [...numbers];
      parent = n;
    }
    this.pathCache.set(pathJson, parent);
    return parent;
  }
};
function brandKey(name) {
  return name.normalize("NFKC").trim().toLowerCase();
}

// src/modules/search/text/synonyms.ts
var DEFAULT_SYNONYMS = [
  ["\u624B\u673A", "\u667A\u80FD\u624B\u673A", "mobile phone", "smartphone", "cellphone"],
  ["\u88D9\u5B50", "\u88D9"],
  ["\u7B14\u8BB0\u672C", "\u7B14\u8BB0\u672C\u7535\u8111", "laptop", "notebook"],
  ["\u8033\u673A", "headphone", "earphone", "earbuds"],
  ["\u5E73\u677F", "\u5E73\u677F\u7535\u8111", "tablet"],
  ["t\u6064", "tshirt", "t shirt"],
  ["\u8FD0\u52A8\u978B", "sneaker", "running shoe"],
  ["\u5145\u7535\u5B9D", "\u79FB\u52A8\u7535\u6E90", "power bank"]
];
function buildSynonymIndex(groups) {
  const byKey = /* @__PURE__ */ new Map();
  let maxWords = 1;
  const phrases = groups.map(
    (group) => group.map((phrase) => analyzeQueryUnits(phrase)).filter((units) => units.length > 0).map((units) => ({
      key: units.map((u) => u.token.term).join(" "),
      alternatives: units.length === 1 ? units[0].alternatives.map((alt) => alt.map((t) => t.term)) : [units.map((u) => u.token.term)],
      words: units.length
    }))
  );
  for (const group of phrases) {
    const alternatives = dedupe(group.flatMap((p) => p.alternatives));
    for (const phrase of group) {
      maxWords = Math.max(maxWords, phrase.words);
      byKey.set(phrase.key, dedupe([...byKey.get(phrase.key) ?? [], ...alternatives]));
    }
  }
  return { byKey, maxWords };
}
var defaultIndex;
function defaultSynonymIndex() {
  defaultIndex ??= buildSynonymIndex(DEFAULT_SYNONYMS);
  return defaultIndex;
}
function lookupSynonyms(index, words) {
  return index.byKey.get(words.join(" "));
}
function dedupe(alternatives) {
  const seen = /* @__PURE__ */ new Set();
  const out = [];
  for (const alt of alternatives) {
    const terms = [...new Set(alt)].sort();
    const key = terms.join("\0");
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(terms);
  }
  return out;
}

// src/modules/search/text/query.ts
var MAX_QUERY_CHARS = 100;
var MAX_GROUPS = 12;
function parseQuery(raw, synonyms = defaultSynonymIndex()) {
  const text = Array.from(raw).slice(0, MAX_QUERY_CHARS).join("");
  const units = analyzeQueryUnits(text);
  const groups = [];
  const seen = /* @__PURE__ */ new Set();
  for (let i = 0; i < units.length && groups.length < MAX_GROUPS; ) {
    const { group, used } = nextGroup(text, units, i, synonyms);
    i += used;
    const key = group.alternatives.map((a) => a.join("\0")).sort().join("");
    if (seen.has(key)) continue;
    seen.add(key);
    groups.push(group);
  }
  const terms = [...new Set(groups.flatMap((g) => g.alternatives.flat()))];
  return { raw, normalized: normalize(text), compact: compact(text), groups, terms };
}
function nextGroup(text, units, i, synonyms) {
  const own = units[i].alternatives.map((alt) => alt.map((t2) => t2.term));
  const maxWords = Math.min(synonyms?.maxWords ?? 1, units.length - i);
  for (let n = maxWords; n >= 1 && synonyms !== null; n--) {
    const words = units.slice(i, i + n).map((u) => u.token.term);
    const found = lookupSynonyms(synonyms, words);
    if (found === void 0) continue;
    const alternatives = n === 1 ? [...own, ...found] : [...found];
    const last = units[i + n - 1].token;
    return { group: { text: text.slice(units[i].token.start, last.end), alternatives: dedupe2(alternatives) }, used: n };
  }
  const t = units[i].token;
  return { group: { text: text.slice(t.start, t.end), alternatives: dedupe2(own) }, used: 1 };
}
function dedupe2(alternatives) {
  const seen = /* @__PURE__ */ new Set();
  const out = [];
  for (const alt of alternatives) {
    const key = [...alt].sort().join("\0");
    if (alt.length === 0 || seen.has(key)) continue;
    seen.add(key);
    out.push([...alt]);
  }
  return out;
}

// src/modules/search/text/rank.ts
var FIELD_WEIGHTS = {
  title: 3,
  brand: 2,
  category: 1.5,
  attributes: 1,
  description: 1
};
function idf(df, docCount) {
  const n = Math.max(0, Math.min(df, docCount));
  return Math.log(1 + (docCount - n + 0.5) / (n + 0.5));
}

// src/modules/search/search-doc.ts
var TF_BITS = 6;
var TF_MAX = (1 << TF_BITS) - 1;

// src/modules/search/scorer.ts
var K1 = 1.2;
var B = 0.75;
var TITLE_CONTAINS_BOOST = 1;
var NF2 = FIELDS.length;
var WEIGHTS = FIELDS.map((f) => FIELD_WEIGHTS[f]);
var TF_MASK = (1 << TF_BITS) - 1;
var scratch = {
  slotOf: new Int32Array(0),
  slotDoc: new Int32Array(1024),
  slotTfs: new Int32Array(1024 * 8),
  slotMask: new Int32Array(1024),
  rejected: new Int32Array(1024),
  outDocs: new Int32Array(1024),
  outScore: new Float64Array(1024),
  outExact: new Uint8Array(1024),
  outSlot: new Int32Array(1024),
  inUse: false
};
function growInt(a, n, fill) {
  if (n <= a.length) return a;
  const next = new Int32Array(Math.max(n, a.length * 2));
  if (fill !== void 0) next.fill(fill);
  next.set(a);
  return next;
}
var MASK_TERMS = 30;
function accumulate(query, lists2, table2, accept) {
  if (scratch.inUse) throw new Error("scorer buffers in use: release() the previous query first");
  scratch.inUse = true;
  const T = query.terms.length;
  scratch.slotOf = growInt(scratch.slotOf, table2.size, -1);
  const slotOf = scratch.slotOf;
  const visible = table2.visible;
  const size = table2.size;
  let slotDoc = scratch.slotDoc;
  let slotTfs = scratch.slotTfs;
  let slotMask = scratch.slotMask;
  let rejectedList = scratch.rejected;
  let slots = 0;
  let rejected = 0;
  for (let t = 0; t < T; t++) {
    const { docs, tfs } = lists2[t];
    const bit = t < MASK_TERMS ? 1 << t : 0;
    for (let j = 0; j < docs.length; j++) {
      const d = docs[j];
      if (d >= size) continue;
      let s = slotOf[d];
      if (s < 0) {
        if (s === -2) continue;
        if (visible[d] === 0 || accept !== null && !accept(d)) {
          slotOf[d] = -2;
          if (rejected === rejectedList.length) scratch.rejected = rejectedList = growInt(rejectedList, rejected + 1);
          rejectedList[rejected++] = d;
          continue;
        }
        s = slots++;
        slotOf[d] = s;
        if (s === slotDoc.length) {
          scratch.slotDoc = slotDoc = growInt(slotDoc, s + 1);
          scratch.slotMask = slotMask = growInt(slotMask, s + 1);
        }
        if ((s + 1) * T > slotTfs.length) scratch.slotTfs = slotTfs = growInt(slotTfs, (s + 1) * T);
        slotDoc[s] = d;
        slotMask[s] = 0;
        for (let k = s * T, end = k + T; k < end; k++) slotTfs[k] = 0;
      }
      slotTfs[s * T + t] = tfs[j];
      slotMask[s] |= bit;
    }
  }
  const idfs = lists2.map((l) => idf(l.docs.length, table2.visibleCount));
  return {
    slots,
    evaluate: (mode, scored = true) => evaluate(query, table2, idfs, slots, mode, scored),
    release() {
      for (let s = 0; s < slots; s++) slotOf[scratch.slotDoc[s]] = -1;
      for (let r = 0; r < rejected; r++) slotOf[scratch.rejected[r]] = -1;
      scratch.inUse = false;
    }
  };
}
function bm25(packed, d, rec, avg, termIdf) {
  const at = d * REC + REC_LEN;
  let weighted = 0;
  for (let f = 0; f < NF2; f++) {
    const tf = packed >>> TF_BITS * f & TF_MASK;
    if (tf === 0) continue;
    const a = avg[f];
    const norm = a > 0 ? 1 - B + B * rec[at + f] / a : 1;
    weighted += WEIGHTS[f] * tf / norm;
  }
  if (weighted === 0) return 0;
  return termIdf * weighted * (K1 + 1) / (K1 + weighted);
}
function plan(query) {
  const termIndex = new Map(query.terms.map((t, i) => [t, i]));
  const masked = query.terms.length <= MASK_TERMS;
  const alts = query.groups.map((g) => g.alternatives.map((alt) => alt.map((t) => termIndex.get(t))));
  const altFrom = new Int32Array(alts.length + 1);
  alts.forEach((g, i) => altFrom[i + 1] = altFrom[i] + g.length);
  const flat = alts.flat();
  const termFrom = new Int32Array(flat.length + 1);
  flat.forEach((alt, i) => termFrom[i + 1] = termFrom[i] + alt.length);
  return {
    altFrom,
    termFrom,
    masked,
    altTerms: Int32Array.from(flat.flat()),
    altMasks: Int32Array.from(flat, (alt) => masked ? alt.reduce((m, t) => m | 1 << t, 0) : 0)
  };
}
var SlotScorer = class {
  constructor(plan2, T, idf2, avg, rec, all) {
    this.plan = plan2;
    this.T = T;
    this.idf = idf2;
    this.avg = avg;
    this.rec = rec;
    this.all = all;
    this.termScore = new Float64Array(T);
  }
  plan;
  T;
  idf;
  avg;
  rec;
  all;
  termScore;
  /** The BM25F sum of the candidate in slot `s` (document `d`); -1 when it does not match. */
  score(s, d, slotTfs) {
    const { T, termScore, idf: idf2, avg, rec } = this;
    const { altFrom, termFrom, altTerms } = this.plan;
    const base = s * T;
    for (let t = 0; t < T; t++) {
      const packed = slotTfs[base + t];
      termScore[t] = packed === 0 ? -1 : bm25(packed, d, rec, avg, idf2[t]);
    }
    const G = altFrom.length - 1;
    let matchedGroups = 0;
    let sum = 0;
    for (let g = 0; g < G; g++) {
      let bestFull = -1;
      let bestPart = 0;
      for (let a = altFrom[g]; a < altFrom[g + 1]; a++) {
        const len = termFrom[a + 1] - termFrom[a];
        let present = 0;
        let part = 0;
        for (let k = termFrom[a]; k < termFrom[a + 1]; k++) {
          const v = termScore[altTerms[k]];
          if (v >= 0) {
            present++;
            part += v;
          }
        }
        if (present === len) bestFull = Math.max(bestFull, part);
        else if (present > 0) bestPart = Math.max(bestPart, part * present / len);
      }
      if (bestFull >= 0) {
        matchedGroups++;
        sum += bestFull;
      } else if (this.all) return -1;
      else sum += bestPart;
    }
    if (!(sum > 0)) return -1;
    return this.all ? sum : sum * (1 + matchedGroups) / (1 + G);
  }
};
function hasEveryGroup(mask, altFrom, altMasks) {
  for (let g = 0; g < altFrom.length - 1; g++) {
    let ok = false;
    for (let a = altFrom[g]; a < altFrom[g + 1] && !ok; a++) ok = (mask & altMasks[a]) === altMasks[a];
    if (!ok) return false;
  }
  return true;
}
function evaluate(query, table2, idfs, slots, mode, scored) {
  const T = query.terms.length;
  const p = plan(query);
  const all = mode === "all";
  const scorer = new SlotScorer(p, T, Float64Array.from(idfs), Float64Array.from(FIELDS, (_, f) => table2.avgLength(f)), table2.rec, all);
  const qc = query.compact;
  const q2 = Uint16Array.from({ length: qc.length }, (_, i) => qc.charCodeAt(i));
  if (scratch.outDocs.length < slots) {
    const cap = Math.max(slots, scratch.outDocs.length * 2);
    [scratch.outDocs, scratch.outScore, scratch.outExact, scratch.outSlot] = [new Int32Array(cap), new Float64Array(cap), new Uint8Array(cap), new Int32Array(cap)];
  }
  const { slotTfs, slotMask, slotDoc, outDocs: docs, outScore: score, outExact: exact, outSlot: slotOfMatch } = scratch;
  const { rec } = table2;
  const quick = all && p.masked;
  let n = 0;
  for (let s = 0; s < slots; s++) {
    if (quick && !hasEveryGroup(slotMask[s], p.altFrom, p.altMasks)) continue;
    const d = slotDoc[s];
    let sc = 0;
    if (scored || !p.masked) {
      sc = scorer.score(s, d, slotTfs);
      if (sc < 0) continue;
    }
    let isExact = 0;
    if (scored) {
      if (table2.titleMatch(d, q2, false)) {
        sc *= 1 + TITLE_CONTAINS_BOOST;
        isExact = table2.titleMatch(d, q2, true) ? 1 : 0;
      }
      sc *= rec[d * REC + REC_BOOST];
    }
    docs[n] = d;
    score[n] = sc;
    exact[n] = isExact;
    slotOfMatch[n++] = s;
  }
  return {
    n,
    docs,
    score,
    exact,
    termsOf: (i) => query.terms.filter((_, t) => scratch.slotTfs[slotOfMatch[i] * T + t] !== 0)
  };
}

// ../../tmp/acc2.mts
var db = await createDb({ url: "/tmp/s100k.db" });
var repo = createSearchRepo(db);
var table = new DocTable();
for (let after = 0; ; ) {
  const rows2 = await repo.docsPage(after, 2e4);
  for (const r of rows2) table.apply(r);
  if (rows2.length < 2e4) break;
  after = rows2[rows2.length - 1].doc_no;
}
var q = parseQuery(process.argv[2] ?? "\u624B\u673A");
var rows = await repo.postingsFor(q.terms);
var lists = q.terms.map((t) => {
  const rs = rows.filter((r) => r.term === t);
  return { docs: Int32Array.from(rs.map((r) => r.doc_no)), tfs: Int32Array.from(rs.map((r) => r.tfs)) };
});
function run(label, f) {
  for (let i = 0; i < 200; i++) f();
  const t = performance.now();
  for (let i = 0; i < 200; i++) f();
  console.log(label, ((performance.now() - t) / 200).toFixed(3));
}
var sink = 0;
run("log1p", () => {
  for (let d = 0; d < 6726; d++) sink += Math.log1p(d);
});
var acc = accumulate(q, lists, table, null);
run("eval unscored", () => {
  sink += acc.evaluate("all", false).n;
});
run("eval scored", () => {
  sink += acc.evaluate("all", true).n;
});
acc.release();
console.log(sink > 0);
