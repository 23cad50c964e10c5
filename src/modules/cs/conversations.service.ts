import { invalid, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { clampLimit, decodeCursor, toPage, type Page } from '../../lib/page.ts';
import { numConversation, type ConversationStatus } from './cs.repo.ts';
import { toConversation, type Conversation } from './conversation-view.ts';
import type { Ctx, Scope } from './context.ts';
import { inScope, type Card, type Message, type Messages } from './messages.service.ts';

export interface StartInput { store_id?: string; product_id?: string; order_id?: string; text?: string }
export interface ListFilter { status?: ConversationStatus; unread?: boolean; limit?: number; cursor?: string }

const scopeColumn = (s: Scope) => (s.side === 'buyer' ? (['buyer_id', s.buyer_id] as const) : (['store_id', s.store_id] as const));

/** Conversations: one per buyer and store, started from a store, a product or an order. */
export function createConversations(ctx: Ctx, messages: Messages) {
  const { db, clock, outbox, repo, ports } = ctx;

  /** The store and the card a start points at, checked through the owning modules. */
  async function subjectOf(buyerId: string, input: StartInput): Promise<{ storeId: string; card: Card | null }> {
    const given = [input.store_id, input.product_id, input.order_id].filter((x) => x !== undefined).length;
    if (given !== 1) throw invalid('invalid_subject', 'give exactly one of store_id, product_id or order_id').zh('请指定店铺、商品或订单中的一个');
    if (input.order_id) {
      const o = await ports.buyerOrder(buyerId, input.order_id);
      if (!o) throw notFound('order', input.order_id);
      return { storeId: o.store_id, card: { kind: 'order', id: o.id, title: o.title, image: o.image, amount_minor: o.total_minor, items: o.items, status: o.status } };
    }
    let storeId = input.store_id;
    let card: Card | null = null;
    if (input.product_id) {
      const p = (await ports.products([input.product_id])).get(input.product_id);
      if (!p || !p.on_sale) throw notFound('product', input.product_id);
      storeId = p.store_id;
      card = { kind: 'product', id: p.id, title: p.title, image: p.image, amount_minor: p.price_minor };
    }
    const store = (await ports.stores([storeId!])).get(storeId!);
    if (!store || !store.contactable) throw notFound('store', storeId);
    return { storeId: storeId!, card };
  }

  return {
    /**
     * Opens (or finds) the buyer's conversation with the store behind a store, product or order
     * id. A product or order becomes a card message unless the conversation is already about it;
     * a text is sent after the card. `created` says whether the conversation is new.
     */
    async start(buyerId: string, input: StartInput): Promise<{ conversation: Conversation; created: boolean; messages: Message[] }> {
      const text = input.text !== undefined ? messages.checkText(input.text) : null;
      const { storeId, card } = await subjectOf(buyerId, input);
      return db.transaction(async (tx) => {
        const now = clock.now();
        const id = newId('csc');
        const inserted = await repo.q(tx).insertInto('cs_conversations').values({
          id, store_id: storeId, buyer_id: buyerId, status: 'open', subject_kind: null, subject_id: null, subject_title: null, subject_image: null,
          last_message_id: null, last_message_side: null, last_message_kind: null, last_message_preview: null, last_message_at: null,
          buyer_unread: 0, store_unread: 0, buyer_read_id: null, store_read_id: null, buyer_read_at: null, store_read_at: null,
          activity_key: id.slice(4), closed_at: null, closed_by: null, created_at: now, updated_at: now,
        }).onConflict((oc) => oc.columns(['buyer_id', 'store_id']).doNothing()).executeTakeFirst();
        const created = Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1;
        const existing = (await repo.conversationOfPair(buyerId, storeId, tx))!;
        let c = (await repo.lockConversation(tx, existing.id))!;
        const sent: Message[] = [];
        if (card && !(c.subject_kind === card.kind && c.subject_id === card.id)) {
          const r = await messages.append(tx, c, { side: 'buyer', sender_id: buyerId, kind: card.kind, text: '', card });
          sent.push(r.message);
          c = r.conversation;
        }
        if (text) {
          const r = await messages.append(tx, c, { side: 'buyer', sender_id: buyerId, kind: 'text', text, card: null });
          sent.push(r.message);
          c = r.conversation;
        }
        return { conversation: toConversation(c), created, messages: sent };
      });
    },

    async conversation(scope: Scope, id: string): Promise<Conversation> {
      return toConversation(inScope(await repo.conversation(id), scope, id));
    },

    /** Most recent activity first; only conversations with at least one message. */
    async list(scope: Scope, f: ListFilter): Promise<Page<Conversation>> {
      const limit = clampLimit(f.limit);
      const after = decodeCursor(f.cursor);
      const [col, val] = scopeColumn(scope);
      let q = repo.q().selectFrom('cs_conversations').selectAll().where(col, '=', val).where('last_message_id', 'is not', null).orderBy('activity_key', 'desc').limit(limit + 1);
      if (f.status) q = q.where('status', '=', f.status);
      if (f.unread) q = q.where(`${scope.side}_unread`, '>', 0);
      if (after !== undefined) q = q.where('activity_key', '<', String(after));
      const page = toPage((await q.execute()).map(numConversation), limit, (c) => c.activity_key);
      return { items: page.items.map(toConversation), next_cursor: page.next_cursor };
    },

    /** The badge: conversations with unread messages for this side, and how many messages. */
    async unread(scope: Scope): Promise<{ conversations: number; messages: number }> {
      const [col, val] = scopeColumn(scope);
      const column = `${scope.side}_unread` as const;
      const r = await repo.q().selectFrom('cs_conversations').where(col, '=', val).where(column, '>', 0)
        .select((eb) => [eb.fn.countAll<number>().as('conversations'), eb.fn.sum<number>(column).as('messages')]).executeTakeFirst();
      return { conversations: Number(r?.conversations ?? 0), messages: Number(r?.messages ?? 0) };
    },

    /** Staff close a conversation (answered) or reopen it; any new message reopens it too. */
    async setStatus(scope: Extract<Scope, { side: 'store' }>, id: string, to: ConversationStatus): Promise<Conversation> {
      return db.transaction(async (tx) => {
        const c = inScope(await repo.lockConversation(tx, id), scope, id);
        if (c.status === to) return toConversation(c);
        const now = clock.now();
        await repo.q(tx).updateTable('cs_conversations')
          .set({ status: to, closed_at: to === 'closed' ? now : null, closed_by: to === 'closed' ? scope.actor_id : null, updated_at: now })
          .where('id', '=', id).execute();
        await outbox.emit(tx, to === 'closed' ? 'cs.conversation_closed' : 'cs.conversation_reopened', id, { conversation_id: id, store_id: c.store_id, buyer_id: c.buyer_id, by: 'store', actor_id: scope.actor_id });
        return toConversation((await repo.conversation(id, tx))!);
      });
    },
  };
}
