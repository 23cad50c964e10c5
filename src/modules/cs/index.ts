import type { Clock } from '../../lib/clock.ts';
import type { Db } from '../../db/index.ts';
import type { Outbox } from '../../db/outbox.ts';
import { DEFAULT_CS_CONFIG, type CsConfig, type CsPorts, type Ctx, type Scope } from './context.ts';
import { createConversations } from './conversations.service.ts';
import { createCsRepo } from './cs.repo.ts';
import { createMessages } from './messages.service.ts';
import { bannedWordFinder } from './moderation.ts';
import { createQuickReplies } from './quick-replies.service.ts';

export type { StartInput, ListFilter } from './conversations.service.ts';
export type { Conversation } from './conversation-view.ts';
export type { Card, Message } from './messages.service.ts';
export type { QuickReply, QuickReplyInput } from './quick-replies.service.ts';
export type { CsConfig, CsPorts, ProductFacts as CsProductFacts, OrderFacts as CsOrderFacts, StoreFacts as CsStoreFacts, Scope as CsScope } from './context.ts';
export type { Side, ConversationStatus, MessageKind } from './cs.repo.ts';
export { DEFAULT_CS_CONFIG } from './context.ts';
export { MESSAGE_SENT } from './messages.service.ts';

/**
 * Customer service (客服): buyers message a store, optionally about a product or an order; the
 * store's staff (owner, operator, customer service) answer. One conversation per buyer and
 * store, per-side unread counts and read marks, open/closed, quick replies. Rules: README.md.
 *
 * Events (outbox, same transaction; aggregate_id = conversation id):
 * - `cs.message_sent` { message_id, conversation_id, store_id, buyer_id, side, sender_id, kind, preview, created_at }
 *   — one per message, for notifications;
 * - `cs.conversation_closed` / `cs.conversation_reopened` { conversation_id, store_id, buyer_id, by, actor_id }.
 */
export function createCsModule(deps: { db: Db; clock: Clock; outbox: Outbox; ports: CsPorts; config?: Partial<CsConfig> }) {
  const config: CsConfig = { ...DEFAULT_CS_CONFIG, ...deps.config };
  const ctx: Ctx = { db: deps.db, clock: deps.clock, outbox: deps.outbox, repo: createCsRepo(deps.db), config, ports: deps.ports, findBanned: bannedWordFinder(config.bannedWords) };
  const messages = createMessages(ctx);
  const conversations = createConversations(ctx, messages);
  const quickReplies = createQuickReplies(ctx);
  const buyer = (buyerId: string): Scope => ({ side: 'buyer', buyer_id: buyerId, actor_id: buyerId });
  const store = (storeId: string, staffId: string): Extract<Scope, { side: 'store' }> => ({ side: 'store', store_id: storeId, actor_id: staffId });
  return {
    config,
    /** Who acts: a buyer on their own conversations, or a staff member on their store's (membership is checked by the caller). */
    buyer,
    store,
    start: conversations.start,
    conversation: conversations.conversation,
    list: conversations.list,
    unread: conversations.unread,
    close: (scope: Extract<Scope, { side: 'store' }>, id: string) => conversations.setStatus(scope, id, 'closed'),
    reopen: (scope: Extract<Scope, { side: 'store' }>, id: string) => conversations.setStatus(scope, id, 'open'),
    sendText: messages.sendText,
    messages: messages.messages,
    markRead: messages.markRead,
    quickReplies: quickReplies.list,
    createQuickReply: quickReplies.create,
    updateQuickReply: quickReplies.update,
    deleteQuickReply: quickReplies.remove,
  };
}
export type CsModule = ReturnType<typeof createCsModule>;
