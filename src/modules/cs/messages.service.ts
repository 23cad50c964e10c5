import { invalid, notFound, rule } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { clampLimit, decodeCursor, toPage, type Page } from '../../lib/page.ts';
import type { Executor } from '../../db/index.ts';
import { numMessage, type ConversationRow, type MessageKind, type MessageRow, type Side } from './cs.repo.ts';
import { otherSide, type Ctx, type Scope } from './context.ts';
import { toConversation, type Conversation } from './conversation-view.ts';
import { charCount, preview } from './moderation.ts';

/** A product or order shown as a card in the conversation (a snapshot taken when it was sent). */
export interface Card {
  kind: 'product' | 'order';
  id: string;
  title: string;
  image: string | null;
  /** product: its lowest price then; order: what was paid (fen). */
  amount_minor: number;
  /** order only */
  items?: number;
  status?: string;
}

export interface Message {
  id: string;
  conversation_id: string;
  side: Side;
  sender_id: string;
  kind: MessageKind;
  text: string;
  card: Card | null;
  /** The other side has read it (its read mark reached this message). */
  read_by_recipient: boolean;
  created_at: number;
}

export const MESSAGE_SENT = 'cs.message_sent';

/** The conversation's id when it belongs to the scope, else 404 (another buyer's or store's looks absent). */
export function inScope(c: ConversationRow | undefined, scope: Scope, id: string): ConversationRow {
  if (!c || (scope.side === 'buyer' ? c.buyer_id !== scope.buyer_id : c.store_id !== scope.store_id)) throw notFound('conversation', id);
  return c;
}

export const toMessage = (r: MessageRow, c: Pick<ConversationRow, 'buyer_read_id' | 'store_read_id'>): Message => {
  const readMark = r.side === 'buyer' ? c.store_read_id : c.buyer_read_id;
  return {
    id: r.id, conversation_id: r.conversation_id, side: r.side, sender_id: r.sender_id, kind: r.kind, text: r.body,
    card: r.card ? (JSON.parse(r.card) as Card) : null, read_by_recipient: readMark !== null && readMark >= r.id, created_at: r.created_at,
  };
};

/** Messages: validated, moderated, appended under the conversation's row lock, announced in the outbox. */
export function createMessages(ctx: Ctx) {
  const { db, clock, outbox, repo, config } = ctx;

  /** Trims and checks a text; throws 400 (empty, too long) or 422 (a banned word). */
  function checkText(raw: string): string {
    const text = raw.trim();
    if (!text) throw invalid('empty_message', 'the message is empty').zh('消息不能为空');
    if (charCount(text) > config.maxMessageChars) {
      throw invalid('message_too_long', `a message has at most ${config.maxMessageChars} characters`, { max_chars: config.maxMessageChars }).zh(`消息最多 ${config.maxMessageChars} 个字`);
    }
    const word = ctx.findBanned(text);
    if (word) throw rule('message_blocked', 'the message contains a word that is not allowed; nothing was sent', { word }).zh(`消息包含违规内容（${word}），未发送，请修改后重试`);
    return text;
  }

  /**
   * Appends a message to a conversation whose row lock the caller holds: the sender's side has
   * read everything (its unread count is 0), the other side has one more unread, and a message
   * reopens a closed conversation.
   */
  async function append(tx: Executor, c: ConversationRow, m: { side: Side; sender_id: string; kind: MessageKind; text: string; card: Card | null }): Promise<{ message: Message; conversation: ConversationRow }> {
    const now = clock.now();
    const id = newId('csm');
    const other = otherSide(m.side);
    const row: MessageRow = { id, conversation_id: c.id, side: m.side, sender_id: m.sender_id, kind: m.kind, body: m.text, card: m.card ? JSON.stringify(m.card) : null, created_at: now };
    const set: Record<string, unknown> = {
      last_message_id: id, last_message_side: m.side, last_message_kind: m.kind, last_message_preview: preview(m.card ? m.card.title : m.text), last_message_at: now,
      [`${m.side}_unread`]: 0, [`${m.side}_read_id`]: id, [`${m.side}_read_at`]: now, activity_key: id.slice(4),
      status: 'open', closed_at: null, closed_by: null, updated_at: now,
      ...(m.card ? { subject_kind: m.card.kind, subject_id: m.card.id, subject_title: m.card.title, subject_image: m.card.image } : {}),
    };
    await repo.q(tx).updateTable('cs_conversations')
      .set((eb) => ({ ...set, [`${other}_unread`]: eb(`${other}_unread` as 'buyer_unread', '+', 1) }) as never)
      .where('id', '=', c.id).execute();
    await repo.q(tx).insertInto('cs_messages').values(row).execute();
    await outbox.emit(tx, MESSAGE_SENT, c.id, {
      message_id: id, conversation_id: c.id, store_id: c.store_id, buyer_id: c.buyer_id, side: m.side, sender_id: m.sender_id, kind: m.kind,
      preview: preview(m.card ? m.card.title : m.text), created_at: now,
    });
    const conversation = (await repo.conversation(c.id, tx))!;
    if (c.status === 'closed') await outbox.emit(tx, 'cs.conversation_reopened', c.id, { conversation_id: c.id, store_id: c.store_id, buyer_id: c.buyer_id, by: m.side, actor_id: m.sender_id });
    return { message: toMessage(row, conversation), conversation };
  }

  return {
    checkText,
    append,

    /** A text from the buyer (their own conversation) or from staff (their store's). */
    async sendText(scope: Scope, conversationId: string, raw: string): Promise<{ message: Message; conversation: Conversation }> {
      inScope(await repo.conversation(conversationId), scope, conversationId);
      const text = checkText(raw);
      return db.transaction(async (tx) => {
        const c = inScope(await repo.lockConversation(tx, conversationId), scope, conversationId);
        const r = await append(tx, c, { side: scope.side, sender_id: scope.actor_id, kind: 'text', text, card: null });
        return { message: r.message, conversation: toConversation(r.conversation) };
      });
    },

    /**
     * Newest first, `cursor` for older pages; `after` (a message id) keeps only newer messages —
     * what a chat view polls with. Each says whether the other side has read it.
     */
    async messages(scope: Scope, conversationId: string, opts: { limit?: number; cursor?: string; after?: string }): Promise<Page<Message> & { conversation: Conversation }> {
      const c = inScope(await repo.conversation(conversationId), scope, conversationId);
      const limit = clampLimit(opts.limit);
      const before = decodeCursor(opts.cursor);
      let q = repo.q().selectFrom('cs_messages').selectAll().where('conversation_id', '=', conversationId).orderBy('id', 'desc').limit(limit + 1);
      if (before !== undefined) q = q.where('id', '<', String(before));
      if (opts.after) q = q.where('id', '>', opts.after);
      const page = toPage((await q.execute()).map(numMessage), limit, (m) => m.id);
      return { items: page.items.map((m) => toMessage(m, c)), next_cursor: page.next_cursor, conversation: toConversation(c) };
    },

    /**
     * Marks everything up to the conversation's last message read by the scope's side, in one
     * statement on the row a send also updates, so a message arriving meanwhile stays unread.
     */
    async markRead(scope: Scope, conversationId: string): Promise<Conversation> {
      const c = inScope(await repo.conversation(conversationId), scope, conversationId);
      const side = scope.side;
      if (c[`${side}_unread`] > 0) {
        await repo.q().updateTable('cs_conversations')
          .set((eb) => ({ [`${side}_unread`]: 0, [`${side}_read_id`]: eb.ref('last_message_id'), [`${side}_read_at`]: clock.now() }) as never)
          .where('id', '=', conversationId).where(`${side}_unread` as 'buyer_unread', '>', 0).execute();
        return toConversation((await repo.conversation(conversationId))!);
      }
      return toConversation(c);
    },
  };
}
export type Messages = ReturnType<typeof createMessages>;
