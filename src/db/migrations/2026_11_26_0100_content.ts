import type { Kysely } from 'kysely';

// Content: short videos and articles with their product links, likes, comments, signed share
// links, uploaded video/cover files, and the buyer touches that attribution reads (last touch).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('content_items')
    .addColumn('id', 'text', (c) => c.primaryKey()) // cnt_…
    .addColumn('kind', 'text', (c) => c.notNull()) // video | article
    .addColumn('store_id', 'text') // published by a store (staff) …
    .addColumn('creator_id', 'text') // … or by a creator (account id); exactly one is set
    .addColumn('author_id', 'text', (c) => c.notNull()) // the account that wrote it
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('caption', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('body_html', 'text', (c) => c.notNull().defaultTo('')) // articles: sanitised HTML
    .addColumn('video_url', 'text')
    .addColumn('cover_url', 'text')
    .addColumn('duration_ms', 'bigint')
    .addColumn('product_ids', 'text', (c) => c.notNull().defaultTo('[]')) // ordered, as shown
    .addColumn('status', 'text', (c) => c.notNull()) // draft | published | removed
    .addColumn('view_count', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('like_count', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('comment_count', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('share_count', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('published_at', 'bigint')
    .addColumn('removed_at', 'bigint')
    .addColumn('removed_by', 'text')
    .addColumn('removed_reason', 'text')
    .execute();
  await db.schema.createIndex('content_items_feed').on('content_items').columns(['status', 'published_at', 'id']).execute();
  await db.schema.createIndex('content_items_store').on('content_items').columns(['store_id', 'id']).execute();
  await db.schema.createIndex('content_items_creator').on('content_items').columns(['creator_id', 'id']).execute();

  // One row per linked product: "does this content link that product" is a key lookup.
  await db.schema
    .createTable('content_products')
    .addColumn('content_id', 'text', (c) => c.notNull())
    .addColumn('product_id', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('content_products_pk', ['content_id', 'product_id'])
    .execute();
  await db.schema.createIndex('content_products_product').on('content_products').columns(['product_id', 'content_id']).execute();

  await db.schema
    .createTable('content_likes')
    .addColumn('content_id', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('content_likes_pk', ['content_id', 'account_id'])
    .execute();

  await db.schema
    .createTable('content_comments')
    .addColumn('id', 'text', (c) => c.primaryKey()) // cmt_…
    .addColumn('content_id', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // visible | removed
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('content_comments_content').on('content_comments').columns(['content_id', 'status', 'id']).execute();

  // Signed short links. `chain` is every sharer from the first to this one (account ids).
  await db.schema
    .createTable('content_shares')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('content_id', 'text', (c) => c.notNull())
    .addColumn('sharer_id', 'text', (c) => c.notNull())
    .addColumn('parent_code', 'text')
    .addColumn('chain', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('content_shares_sharer').on('content_shares').columns(['sharer_id', 'content_id']).execute();

  // A signed-in buyer met a product somewhere (content, share link, store page, search, feed).
  await db.schema
    .createTable('content_touches')
    .addColumn('id', 'text', (c) => c.primaryKey()) // tch_…
    .addColumn('buyer_id', 'text', (c) => c.notNull())
    .addColumn('product_id', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('content_id', 'text')
    .addColumn('creator_id', 'text')
    .addColumn('share_code', 'text')
    .addColumn('share_chain', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('content_touches_buyer_product').on('content_touches').columns(['buyer_id', 'product_id', 'at']).execute();

  await db.schema
    .createTable('content_media')
    .addColumn('id', 'text', (c) => c.primaryKey()) // cmd_…
    .addColumn('owner', 'text', (c) => c.notNull()) // sto_… or the creator's account id
    .addColumn('storage_key', 'text', (c) => c.notNull().unique())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'bigint', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('uploaded_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  // The share-link HMAC key when XIAODIAN_SHARE_SECRET is not configured: generated once, kept.
  await db.schema
    .createTable('content_secrets')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}
