import { Type, type TSchema } from 'typebox';
import { toIso } from '../../lib/clock.ts';
import type { Conversation, Message, QuickReply, Side } from '../../modules/cs/index.ts';
import { NullableTimestamp, Timestamp } from '../schemas.ts';

/** Wire shapes of customer service: each side sees its own unread count and the other's read marks. */
const Nullable = <T extends TSchema>(s: T) => Type.Union([s, Type.Null()]);
const iso = (ms: number) => toIso(ms)!;

export const TextBody = Type.Object({
  text: Type.String({ maxLength: 4000, description: 'at most 1000 characters after trimming (else 400 message_too_long); empty → 400 empty_message; a banned word → 422 message_blocked' }),
}, { additionalProperties: false });
export const StartBody = Type.Object({
  store_id: Type.Optional(Type.String({ pattern: '^sto_', maxLength: 40 })),
  product_id: Type.Optional(Type.String({ pattern: '^prd_', maxLength: 40 })),
  order_id: Type.Optional(Type.String({ pattern: '^ord_', maxLength: 40 })),
  text: Type.Optional(TextBody.properties.text),
}, { additionalProperties: false, description: 'exactly one of store_id, product_id (on sale) or order_id (yours); else 400 invalid_subject' });
export const ListQuery = Type.Object({
  status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('closed')])),
  unread: Type.Optional(Type.Boolean({ description: 'only conversations with messages you have not read' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
});
export const MessagesQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  cursor: Type.Optional(Type.String({ maxLength: 200, description: 'older messages' })),
  after: Type.Optional(Type.String({ pattern: '^csm_[0-9A-HJKMNP-TV-Z]{26}$', description: 'only messages newer than this one (what a chat view polls with)' })),
});

const CardSchema = Type.Object({
  kind: Type.Union([Type.Literal('product'), Type.Literal('order')]), id: Type.String(), title: Type.String(), image: Nullable(Type.String()),
  amount_minor: Type.Integer({ description: 'product: its lowest price when sent; order: what was paid (fen)' }), currency: Type.Literal('CNY'),
  items: Type.Optional(Type.Integer()), status: Type.Optional(Type.String()),
});
export const MessageSchema = Type.Object({
  id: Type.String(), conversation_id: Type.String(), side: Type.Union([Type.Literal('buyer'), Type.Literal('store')]), mine: Type.Boolean({ description: 'sent by your side' }),
  kind: Type.Union([Type.Literal('text'), Type.Literal('product'), Type.Literal('order')]), text: Type.String(), card: Nullable(CardSchema),
  read_by_recipient: Type.Boolean({ description: 'the other side has read it (read receipt)' }),
  sender_name: Type.Optional(Type.String({ description: 'staff view: who of the store sent it' })), created_at: Timestamp,
});
export const ConversationSchema = Type.Object({
  id: Type.String(), store_id: Type.String(), status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  subject: Nullable(Type.Object({ kind: Type.String(), id: Type.String(), title: Type.String(), image: Nullable(Type.String()) })),
  last_message: Nullable(Type.Object({ id: Type.String(), side: Type.String(), kind: Type.String(), preview: Type.String(), at: Timestamp })),
  unread: Type.Integer({ description: 'messages from the other side you have not read' }),
  peer_unread: Type.Integer({ description: 'your messages the other side has not read' }),
  peer_read_at: NullableTimestamp,
  store_name: Type.Optional(Type.String({ description: 'buyer view' })),
  buyer: Type.Optional(Type.Object({ id: Type.String(), display_name: Type.String(), phone_masked: Type.String() }, { description: 'staff view' })),
  closed_at: NullableTimestamp, created_at: Timestamp, updated_at: Timestamp,
});
export const UnreadSchema = Type.Object({ conversations: Type.Integer(), messages: Type.Integer() });
export const QuickReplySchema = Type.Object({ id: Type.String(), title: Type.String(), text: Type.String(), sort: Type.Integer(), created_at: Timestamp, updated_at: Timestamp });
export const QuickReplyBody = Type.Object({
  title: Type.String({ maxLength: 100, description: '1–20 characters' }), text: Type.String({ maxLength: 2000, description: '1–500 characters' }), sort: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000 })),
}, { additionalProperties: false });

export function presentConversation(c: Conversation, viewer: Side, extra: { store_name?: string; buyer?: { id: string; display_name: string; phone_masked: string } } = {}) {
  return {
    id: c.id, store_id: c.store_id, status: c.status, subject: c.subject,
    last_message: c.last_message ? { ...c.last_message, at: iso(c.last_message.at) } : null,
    unread: viewer === 'buyer' ? c.buyer_unread : c.store_unread,
    peer_unread: viewer === 'buyer' ? c.store_unread : c.buyer_unread,
    peer_read_at: toIso(viewer === 'buyer' ? c.store_read_at : c.buyer_read_at),
    ...extra,
    closed_at: toIso(c.closed_at), created_at: iso(c.created_at), updated_at: iso(c.updated_at),
  };
}

export function presentMessage(m: Message, viewer: Side, senderName?: string) {
  return {
    id: m.id, conversation_id: m.conversation_id, side: m.side, mine: m.side === viewer, kind: m.kind, text: m.text,
    card: m.card ? { ...m.card, currency: 'CNY' as const } : null, read_by_recipient: m.read_by_recipient,
    ...(senderName !== undefined ? { sender_name: senderName } : {}), created_at: iso(m.created_at),
  };
}

export const presentQuickReply = (q: QuickReply) => ({ id: q.id, title: q.title, text: q.text, sort: q.sort, created_at: iso(q.created_at), updated_at: iso(q.updated_at) });
