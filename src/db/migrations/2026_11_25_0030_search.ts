import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../dialect.ts';

/**
 * Search, issue 3: the product index. The search module's own read model, fed by catalog and
 * inventory events (never joined with their tables):
 * - search_documents: one row per product ever indexed — what filters, facets, sorting and
 *   scoring need, the postings it owns (to delete them on re-index) and a change sequence
 *   (`seq`) that query processes follow to refresh their in-memory copy;
 * - search_postings: the inverted index, one row per (term, document) with the term
 *   frequency of each field packed into one integer (6 bits per field, see search-doc.ts);
 * - search_skus: SKU → product, for stock events that name only a SKU;
 * - search_pending: products whose events arrived but are not re-indexed yet;
 * - search_meta: counters (`seq`, `doc_no`), allocated by one conditional update so commits
 *   happen in counter order on both engines.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  await db.schema
    .createTable('search_documents')
    .addColumn('product_id', 'text', (c) => c.primaryKey())
    .addColumn('doc_no', 'integer', (c) => c.notNull().unique())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('category_id', 'text', (c) => c.notNull())
    .addColumn('category_path', 'text', (c) => c.notNull()) // JSON [[id, name_zh], …] root → leaf
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('title_compact', 'text', (c) => c.notNull()) // compact(title): exact-title boosts
    .addColumn('title_spans', 'text', (c) => c.notNull()) // JSON [[term, start, end], …]: the title's index terms, for highlighting without re-analysis
    .addColumn('brand', 'text')
    .addColumn('image_url', 'text')
    .addColumn('status', 'text', (c) => c.notNull()) // the catalog status, or 'deleted'
    .addColumn('visible', 'integer', (c) => c.notNull()) // 1: live with an active SKU
    .addColumn('in_stock', 'integer', (c) => c.notNull())
    .addColumn('price_min_minor', 'bigint')
    .addColumn('price_max_minor', 'bigint')
    .addColumn('sales', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('len_title', 'integer', (c) => c.notNull())
    .addColumn('len_brand', 'integer', (c) => c.notNull())
    .addColumn('len_category', 'integer', (c) => c.notNull())
    .addColumn('len_attributes', 'integer', (c) => c.notNull())
    .addColumn('len_description', 'integer', (c) => c.notNull())
    .addColumn('postings', 'text', (c) => c.notNull()) // JSON [[term, tfs], …]: this document's rows in search_postings
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('indexed_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('search_documents_seq').on('search_documents').column('seq').execute();

  const postings = db.schema
    .createTable('search_postings')
    .addColumn('term', 'text', (c) => c.notNull())
    .addColumn('doc_no', 'integer', (c) => c.notNull())
    .addColumn('tfs', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('search_postings_pk', ['term', 'doc_no']);
  // Clustered by term on SQLite: a term's postings are one contiguous range of the b-tree.
  await (pg ? postings : postings.modifyEnd(sql`without rowid`)).execute();

  await db.schema
    .createTable('search_skus')
    .addColumn('sku_id', 'text', (c) => c.primaryKey())
    .addColumn('product_id', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('search_skus_product').on('search_skus').column('product_id').execute();

  await db.schema
    .createTable('search_pending')
    .addColumn('product_id', 'text', (c) => c.primaryKey())
    .addColumn('token', 'text', (c) => c.notNull()) // the latest event id: a newer event keeps the row
    .addColumn('enqueued_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('search_meta')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'bigint', (c) => c.notNull())
    .execute();
  await db.insertInto('search_meta').values([{ key: 'seq', value: 0 }, { key: 'doc_no', value: 0 }]).execute();
}
