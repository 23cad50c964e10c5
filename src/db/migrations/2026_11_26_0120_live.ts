import type { Kysely } from 'kysely';

// Livestream rooms (module `live`): rooms, reservations, the per-user notification inbox, the
// product shelf (小黄车), viewers (watch time, comments, for lucky-bag conditions and stats),
// comments, live coupons (promotions coupon templates scoped to a room), lucky bags (福袋) with a
// committed seed, and the sales read model fed by order events.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('live_rooms')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_kind', 'text', (c) => c.notNull()) // store | creator
    .addColumn('store_id', 'text')
    .addColumn('creator_id', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('cover_url', 'text')
    .addColumn('stream_url', 'text', (c) => c.notNull())
    .addColumn('replay_url', 'text')
    .addColumn('scheduled_start_ms', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // scheduled | live | ended
    .addColumn('started_at', 'bigint')
    .addColumn('ended_at', 'bigint')
    .addColumn('pinned_item_id', 'text')
    .addColumn('reservations', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('total_views', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('peak_viewers', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('likes', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('live_rooms_store').on('live_rooms').columns(['store_id', 'id']).execute();
  await db.schema.createIndex('live_rooms_creator').on('live_rooms').columns(['creator_id', 'id']).execute();
  await db.schema.createIndex('live_rooms_status').on('live_rooms').columns(['status', 'scheduled_start_ms']).execute();

  await db.schema
    .createTable('live_reservations')
    .addColumn('room_id', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('notified_at', 'bigint')
    .addPrimaryKeyConstraint('live_reservations_pk', ['room_id', 'account_id'])
    .execute();

  await db.schema
    .createTable('live_notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull()) // room_started | lucky_bag_won
    .addColumn('room_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('read_at', 'bigint')
    .execute();
  await db.schema.createIndex('live_notifications_account').on('live_notifications').columns(['account_id', 'id']).execute();
  await db.schema.createIndex('live_notifications_once').on('live_notifications').columns(['account_id', 'room_id', 'kind', 'title']).unique().execute();

  await db.schema
    .createTable('live_shelf_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('room_id', 'text', (c) => c.notNull())
    .addColumn('product_id', 'text', (c) => c.notNull())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('image', 'text')
    .addColumn('price_minor', 'bigint', (c) => c.notNull()) // the lowest SKU price when added (display)
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // on_shelf | removed
    .addColumn('clicks', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('added_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('live_shelf_items_room_product').on('live_shelf_items').columns(['room_id', 'product_id']).unique().execute();

  await db.schema
    .createTable('live_viewers')
    .addColumn('room_id', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('views', 'integer', (c) => c.notNull())
    .addColumn('watch_ms', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('commented', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('first_seen_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('live_viewers_pk', ['room_id', 'account_id'])
    .execute();

  await db.schema
    .createTable('live_comments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('room_id', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // visible | blocked
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('live_comments_room').on('live_comments').columns(['room_id', 'id']).execute();

  await db.schema
    .createTable('live_coupons')
    .addColumn('room_id', 'text', (c) => c.notNull())
    .addColumn('template_id', 'text', (c) => c.notNull())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('added_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('live_coupons_pk', ['room_id', 'template_id'])
    .execute();

  await db.schema
    .createTable('live_lucky_bags')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('room_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('prize', 'text', (c) => c.notNull())
    .addColumn('winners', 'integer', (c) => c.notNull())
    .addColumn('condition', 'text', (c) => c.notNull()) // commented | reserved | watched
    .addColumn('watch_minutes', 'integer')
    .addColumn('status', 'text', (c) => c.notNull()) // open | drawn
    .addColumn('seed_commitment', 'text', (c) => c.notNull()) // sha256(seed) hex, published at creation
    .addColumn('seed', 'text', (c) => c.notNull()) // hex; revealed only once drawn
    .addColumn('draw_at_ms', 'bigint', (c) => c.notNull())
    .addColumn('eligible_ids', 'text') // JSON, sorted, at the draw
    .addColumn('winner_ids', 'text') // JSON, in draw order
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('drawn_at', 'bigint')
    .execute();
  await db.schema.createIndex('live_lucky_bags_room').on('live_lucky_bags').columns(['room_id', 'id']).execute();

  await db.schema
    .createTable('live_sales')
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('product_id', 'text', (c) => c.notNull())
    .addColumn('room_id', 'text', (c) => c.notNull())
    .addColumn('buyer_id', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('paid_minor', 'bigint', (c) => c.notNull())
    .addColumn('paid_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('live_sales_pk', ['order_id', 'product_id'])
    .execute();
  await db.schema.createIndex('live_sales_room').on('live_sales').columns(['room_id', 'product_id']).execute();
}
