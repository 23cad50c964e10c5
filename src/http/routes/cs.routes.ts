import { Type } from 'typebox';
import type { AppContext } from '../../app/wire.ts';
import type { Conversation, ConversationStatus, Message } from '../../modules/cs/index.ts';
import { errors, IdParam, Page } from '../schemas.ts';
import type { App } from '../types.ts';
import {
  ConversationSchema, ListQuery, MessageSchema, MessagesQuery, presentConversation, presentMessage, presentQuickReply, QuickReplyBody, QuickReplySchema, StartBody, TextBody, UnreadSchema,
} from './cs.schemas.ts';

const ConvParams = IdParam('conversationId', 'csc');
const StoreParams = IdParam('storeId', 'sto');
const StoreConvParams = Type.Intersect([StoreParams, ConvParams]);
type ListQ = { status?: ConversationStatus; unread?: boolean; limit?: number; cursor?: string };
type MsgQ = { limit?: number; cursor?: string; after?: string };
const me = (req: { principal: { account_id: string } | null }) => req.principal!.account_id;

/** Buyers under /api/v1/me: their conversations with stores. Another buyer's conversation is 404. */
export const buyerCsRoutes = (ctx: AppContext) => async (app: App) => {
  const cs = ctx.cs;
  const tags = ['customer service'];
  const withStores = async (cs: Conversation[]) => {
    const stores = await ctx.stores.getStores([...new Set(cs.map((c) => c.store_id))]);
    return cs.map((c) => presentConversation(c, 'buyer', { store_name: stores.get(c.store_id)?.name ?? '' }));
  };

  app.post('/me/conversations', {
    schema: {
      tags, summary: 'Contact a store (联系客服) about a product, an order or nothing in particular; returns your one conversation with that store (201 when new)',
      body: StartBody, response: { 200: ConversationSchema, 201: ConversationSchema, ...errors(400, 401, 404, 422) },
    },
  }, async (req, reply) => {
    const r = await cs.start(me(req), req.body);
    return reply.status(r.created ? 201 : 200).send((await withStores([r.conversation]))[0]);
  });
  app.get('/me/conversations', {
    schema: { tags, summary: 'My conversations, most recent activity first', querystring: ListQuery, response: { 200: Page(ConversationSchema), ...errors(400, 401) } },
  }, async (req) => {
    const page = await cs.list(cs.buyer(me(req)), req.query as ListQ);
    return { items: await withStores(page.items), next_cursor: page.next_cursor };
  });
  app.get('/me/conversations/unread', {
    schema: { tags, summary: 'Unread badge: conversations and messages from stores not read yet', response: { 200: UnreadSchema, ...errors(401) } },
  }, async (req) => cs.unread(cs.buyer(me(req))));
  app.get('/me/conversations/:conversationId', {
    schema: { tags, params: ConvParams, response: { 200: ConversationSchema, ...errors(400, 401, 404) } },
  }, async (req) => (await withStores([await cs.conversation(cs.buyer(me(req)), req.params.conversationId)]))[0]);
  app.get('/me/conversations/:conversationId/messages', {
    schema: { tags, summary: 'Messages, newest first; poll with ?after=<last message id>', params: ConvParams, querystring: MessagesQuery, response: { 200: Page(MessageSchema), ...errors(400, 401, 404) } },
  }, async (req) => {
    const page = await cs.messages(cs.buyer(me(req)), req.params.conversationId, req.query as MsgQ);
    return { items: page.items.map((m) => presentMessage(m, 'buyer')), next_cursor: page.next_cursor };
  });
  app.post('/me/conversations/:conversationId/messages', {
    schema: { tags, summary: 'Send a text to the store (reopens a closed conversation)', params: ConvParams, body: TextBody, response: { 201: MessageSchema, ...errors(400, 401, 404, 422) } },
  }, async (req, reply) => reply.status(201).send(presentMessage((await cs.sendText(cs.buyer(me(req)), req.params.conversationId, req.body.text)).message, 'buyer')));
  app.post('/me/conversations/:conversationId/read', {
    schema: { tags, summary: "Mark the store's messages read (the store sees the read receipt)", params: ConvParams, response: { 200: ConversationSchema, ...errors(400, 401, 404) } },
  }, async (req) => (await withStores([await cs.markRead(cs.buyer(me(req)), req.params.conversationId)]))[0]);
};

/**
 * Store staff under /api/v1/merchant/stores/:storeId: the inbox. Owner, operator and customer
 * service answer (permission service.reply); other stores' staff get 404.
 */
export const merchantCsRoutes = (ctx: AppContext) => async (app: App) => {
  const cs = ctx.cs;
  const tags = ['merchant customer service'];
  const perm = { permission: 'service.reply' as const };
  const staff = (req: { params: Record<string, string>; principal: { account_id: string } | null }) => cs.store(req.params.storeId, me(req));
  const withBuyers = async (list: Conversation[]) => {
    const people = await ctx.identity.profiles([...new Set(list.map((c) => c.buyer_id))]);
    return list.map((c) => presentConversation(c, 'store', { buyer: { id: c.buyer_id, display_name: people.get(c.buyer_id)?.display_name ?? '', phone_masked: people.get(c.buyer_id)?.phone_masked ?? '' } }));
  };
  const withSenders = async (list: Message[]) => {
    const people = await ctx.identity.profiles([...new Set(list.filter((m) => m.side === 'store').map((m) => m.sender_id))]);
    return list.map((m) => presentMessage(m, 'store', m.side === 'store' ? people.get(m.sender_id)?.display_name ?? '' : undefined));
  };
  const one = async (c: Conversation) => (await withBuyers([c]))[0];

  app.get('/stores/:storeId/conversations', {
    config: perm, schema: { tags, summary: 'The inbox, most recent activity first; filter by status and unread', params: StoreParams, querystring: ListQuery, response: { 200: Page(ConversationSchema), ...errors(400, 401, 403, 404) } },
  }, async (req) => {
    const page = await cs.list(staff(req), req.query as ListQ);
    return { items: await withBuyers(page.items), next_cursor: page.next_cursor };
  });
  app.get('/stores/:storeId/conversations/unread', {
    config: perm, schema: { tags, summary: 'Unread badge for the store', params: StoreParams, response: { 200: UnreadSchema, ...errors(400, 401, 403, 404) } },
  }, async (req) => cs.unread(staff(req)));
  app.get('/stores/:storeId/conversations/:conversationId', {
    config: perm, schema: { tags, params: StoreConvParams, response: { 200: ConversationSchema, ...errors(400, 401, 403, 404) } },
  }, async (req) => one(await cs.conversation(staff(req), req.params.conversationId)));
  app.get('/stores/:storeId/conversations/:conversationId/messages', {
    config: perm, schema: { tags, summary: 'Messages, newest first; poll with ?after=<last message id>', params: StoreConvParams, querystring: MessagesQuery, response: { 200: Page(MessageSchema), ...errors(400, 401, 403, 404) } },
  }, async (req) => {
    const page = await cs.messages(staff(req), req.params.conversationId, req.query as MsgQ);
    return { items: await withSenders(page.items), next_cursor: page.next_cursor };
  });
  app.post('/stores/:storeId/conversations/:conversationId/messages', {
    config: perm, schema: { tags, summary: 'Answer the buyer (reopens a closed conversation)', params: StoreConvParams, body: TextBody, response: { 201: MessageSchema, ...errors(400, 401, 403, 404, 422) } },
  }, async (req, reply) => reply.status(201).send((await withSenders([(await cs.sendText(staff(req), req.params.conversationId, req.body.text)).message]))[0]));
  app.post('/stores/:storeId/conversations/:conversationId/read', {
    config: perm, schema: { tags, summary: "Mark the buyer's messages read (the buyer sees the read receipt)", params: StoreConvParams, response: { 200: ConversationSchema, ...errors(400, 401, 403, 404) } },
  }, async (req) => one(await cs.markRead(staff(req), req.params.conversationId)));
  app.post('/stores/:storeId/conversations/:conversationId/close', {
    config: perm, schema: { tags, summary: 'Close (answered); a new message reopens it', params: StoreConvParams, response: { 200: ConversationSchema, ...errors(400, 401, 403, 404) } },
  }, async (req) => one(await cs.close(staff(req), req.params.conversationId)));
  app.post('/stores/:storeId/conversations/:conversationId/reopen', {
    config: perm, schema: { tags, params: StoreConvParams, response: { 200: ConversationSchema, ...errors(400, 401, 403, 404) } },
  }, async (req) => one(await cs.reopen(staff(req), req.params.conversationId)));

  const QrParams = Type.Intersect([StoreParams, IdParam('quickReplyId', 'csq')]);
  app.get('/stores/:storeId/quick-replies', {
    config: perm, schema: { tags, summary: 'Quick replies (快捷短语), in their order', params: StoreParams, response: { 200: Type.Object({ items: Type.Array(QuickReplySchema) }), ...errors(400, 401, 403, 404) } },
  }, async (req) => ({ items: (await cs.quickReplies(req.params.storeId)).map(presentQuickReply) }));
  app.post('/stores/:storeId/quick-replies', {
    config: perm, schema: { tags, params: StoreParams, body: QuickReplyBody, response: { 201: QuickReplySchema, ...errors(400, 401, 403, 404, 422) } },
  }, async (req, reply) => reply.status(201).send(presentQuickReply(await cs.createQuickReply(req.params.storeId, me(req), req.body))));
  app.patch('/stores/:storeId/quick-replies/:quickReplyId', {
    config: perm, schema: { tags, params: QrParams, body: Type.Partial(QuickReplyBody, { minProperties: 1 }), response: { 200: QuickReplySchema, ...errors(400, 401, 403, 404, 422) } },
  }, async (req) => presentQuickReply(await cs.updateQuickReply(req.params.storeId, req.params.quickReplyId, req.body)));
  app.delete('/stores/:storeId/quick-replies/:quickReplyId', {
    config: perm, schema: { tags, params: QrParams, response: { 204: Type.Null(), ...errors(400, 401, 403, 404) } },
  }, async (req, reply) => {
    await cs.deleteQuickReply(req.params.storeId, req.params.quickReplyId);
    return reply.status(204).send(null);
  });
};
