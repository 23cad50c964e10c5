import type { ConversationRow, ConversationStatus, MessageKind, Side, SubjectKind } from './cs.repo.ts';

export interface Conversation {
  id: string;
  store_id: string;
  buyer_id: string;
  status: ConversationStatus;
  /** What the latest product or order card in it was about. */
  subject: { kind: SubjectKind; id: string; title: string; image: string | null } | null;
  last_message: { id: string; side: Side; kind: MessageKind; preview: string; at: number } | null;
  /** Messages from the store the buyer has not read, and from the buyer the store has not read. */
  buyer_unread: number;
  store_unread: number;
  buyer_read_at: number | null;
  store_read_at: number | null;
  closed_at: number | null;
  created_at: number;
  updated_at: number;
}

export const toConversation = (r: ConversationRow): Conversation => ({
  id: r.id, store_id: r.store_id, buyer_id: r.buyer_id, status: r.status,
  subject: r.subject_kind && r.subject_id ? { kind: r.subject_kind, id: r.subject_id, title: r.subject_title ?? '', image: r.subject_image } : null,
  last_message: r.last_message_id ? { id: r.last_message_id, side: r.last_message_side!, kind: r.last_message_kind!, preview: r.last_message_preview ?? '', at: r.last_message_at! } : null,
  buyer_unread: r.buyer_unread, store_unread: r.store_unread, buyer_read_at: r.buyer_read_at, store_read_at: r.store_read_at,
  closed_at: r.closed_at, created_at: r.created_at, updated_at: r.updated_at,
});

