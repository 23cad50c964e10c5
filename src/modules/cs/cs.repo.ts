import { tables, type Db, type Executor } from '../../db/index.ts';

export type Side = 'buyer' | 'store';
export type ConversationStatus = 'open' | 'closed';
export type MessageKind = 'text' | 'product' | 'order';
export type SubjectKind = 'product' | 'order';

export interface ConversationRow {
  id: string; store_id: string; buyer_id: string; status: ConversationStatus;
  subject_kind: SubjectKind | null; subject_id: string | null; subject_title: string | null; subject_image: string | null;
  last_message_id: string | null; last_message_side: Side | null; last_message_kind: MessageKind | null; last_message_preview: string | null; last_message_at: number | null;
  buyer_unread: number; store_unread: number; buyer_read_id: string | null; store_read_id: string | null; buyer_read_at: number | null; store_read_at: number | null;
  activity_key: string; closed_at: number | null; closed_by: string | null; created_at: number; updated_at: number;
}
export interface MessageRow {
  id: string; conversation_id: string; side: Side; sender_id: string; kind: MessageKind; body: string; card: string | null; created_at: number;
}
export interface QuickReplyRow {
  id: string; store_id: string; title: string; body: string; sort: number; created_by: string | null; created_at: number; updated_at: number;
}
interface CsTables {
  cs_conversations: ConversationRow;
  cs_messages: MessageRow;
  cs_quick_replies: QuickReplyRow;
}

const n = (v: number | null) => (v === null ? null : Number(v));
export const numConversation = (r: ConversationRow): ConversationRow => ({
  ...r, buyer_unread: Number(r.buyer_unread), store_unread: Number(r.store_unread), last_message_at: n(r.last_message_at), buyer_read_at: n(r.buyer_read_at),
  store_read_at: n(r.store_read_at), closed_at: n(r.closed_at), created_at: Number(r.created_at), updated_at: Number(r.updated_at),
});
export const numMessage = (r: MessageRow): MessageRow => ({ ...r, created_at: Number(r.created_at) });
export const numQuickReply = (r: QuickReplyRow): QuickReplyRow => ({ ...r, sort: Number(r.sort), created_at: Number(r.created_at), updated_at: Number(r.updated_at) });

/** The only code that touches the cs_* tables. */
export function createCsRepo(db: Db) {
  const q = (ex: Executor = db.kysely) => tables<CsTables>(ex);
  return {
    q,
    async conversation(id: string, ex?: Executor): Promise<ConversationRow | undefined> {
      const r = await q(ex).selectFrom('cs_conversations').selectAll().where('id', '=', id).executeTakeFirst();
      return r && numConversation(r);
    },
    async conversationOfPair(buyerId: string, storeId: string, ex?: Executor): Promise<ConversationRow | undefined> {
      const r = await q(ex).selectFrom('cs_conversations').selectAll().where('buyer_id', '=', buyerId).where('store_id', '=', storeId).executeTakeFirst();
      return r && numConversation(r);
    },
    /**
     * Takes the conversation's row lock for the rest of the transaction (a no-op write), so
     * sends and read marks on one conversation follow each other, then reads the row.
     */
    async lockConversation(tx: Executor, id: string): Promise<ConversationRow | undefined> {
      await q(tx).updateTable('cs_conversations').set((eb) => ({ updated_at: eb.ref('updated_at') })).where('id', '=', id).execute();
      return this.conversation(id, tx);
    },
  };
}
export type CsRepo = ReturnType<typeof createCsRepo>;
