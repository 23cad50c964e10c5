import type { Kysely } from 'kysely';

// Customer service (src/modules/cs): one conversation per buyer and store, its messages, and
// the store's quick replies. Unread counters and read marks live on the conversation row, which
// every send and every read updates first (the row lock orders them). Time epoch ms.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('cs_conversations')
    .addColumn('id', 'text', (c) => c.primaryKey()) // csc_…
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('buyer_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // open | closed
    .addColumn('subject_kind', 'text') // product | order: what the latest card was about
    .addColumn('subject_id', 'text')
    .addColumn('subject_title', 'text')
    .addColumn('subject_image', 'text')
    .addColumn('last_message_id', 'text')
    .addColumn('last_message_side', 'text')
    .addColumn('last_message_kind', 'text')
    .addColumn('last_message_preview', 'text')
    .addColumn('last_message_at', 'bigint')
    .addColumn('buyer_unread', 'integer', (c) => c.notNull().defaultTo(0)) // store messages the buyer has not read
    .addColumn('store_unread', 'integer', (c) => c.notNull().defaultTo(0)) // buyer messages the store has not read
    .addColumn('buyer_read_id', 'text') // the buyer has read every message up to this id
    .addColumn('store_read_id', 'text')
    .addColumn('buyer_read_at', 'bigint')
    .addColumn('store_read_at', 'bigint')
    .addColumn('activity_key', 'text', (c) => c.notNull().unique()) // a fresh ULID on every activity: the list order and cursor
    .addColumn('closed_at', 'bigint')
    .addColumn('closed_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('cs_conversations_pair').on('cs_conversations').columns(['buyer_id', 'store_id']).unique().execute();
  await db.schema.createIndex('cs_conversations_store_activity').on('cs_conversations').columns(['store_id', 'activity_key']).execute();
  await db.schema.createIndex('cs_conversations_buyer_activity').on('cs_conversations').columns(['buyer_id', 'activity_key']).execute();

  await db.schema
    .createTable('cs_messages')
    .addColumn('id', 'text', (c) => c.primaryKey()) // csm_…
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('side', 'text', (c) => c.notNull()) // buyer | store
    .addColumn('sender_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull()) // text | product | order
    .addColumn('body', 'text', (c) => c.notNull()) // the text; '' for cards
    .addColumn('card', 'text') // JSON snapshot of the product or order for cards
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('cs_messages_conversation').on('cs_messages').columns(['conversation_id', 'id']).execute();

  await db.schema
    .createTable('cs_quick_replies')
    .addColumn('id', 'text', (c) => c.primaryKey()) // csq_…
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('cs_quick_replies_store').on('cs_quick_replies').columns(['store_id', 'sort']).execute();
}
