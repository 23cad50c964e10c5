import { useEffect, useState } from 'react';
import { dateTime } from '../lib/format.ts';
import { useI18n } from '../lib/i18n.tsx';
import { Link, navigate, useLocation } from '../lib/router.tsx';
import type { Page } from '../lib/types.ts';
import { useAsync } from '../lib/use-async.ts';
import { Composer, MessageList, listTime, previewText, useThread, type ChatCard, type ChatConversation } from '../ui/chat.tsx';
import { Empty, ErrorView, Loading } from '../ui/states.tsx';
import { api } from './api.ts';

/** 联系客服 from a product, an order or a store: opens (or finds) the conversation, then shows it. */
export function StartChatPage() {
  const { query } = useLocation();
  const [error, setError] = useState<unknown>(null);
  const product = query.get('product');
  const order = query.get('order');
  const store = query.get('store');
  useEffect(() => {
    const body = product ? { product_id: product } : order ? { order_id: order } : store ? { store_id: store } : {};
    let live = true;
    api.post<ChatConversation>('/me/conversations', body).then(
      (c) => live && navigate(`/messages/${c.id}`, { replace: true }),
      (e) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [product, order, store]);
  return error ? <ErrorView error={error} /> : <Loading />;
}

const cardLink = (c: ChatCard) => <Link to={c.kind === 'product' ? `/product/${c.id}` : `/orders/${c.id}`}>{c.title}</Link>;

/** A conversation with a store: messages, read receipts, and a box to write. */
export function ChatPage({ id }: { id: string }) {
  const { t } = useI18n();
  const thread = useThread(api, `/me/conversations/${id}`);
  const [text, setText] = useState('');
  const c = thread.conversation;
  if (thread.error && !thread.loaded) return <ErrorView error={thread.error} />;
  if (!thread.loaded || !c) return <Loading />;
  return (
    <section className="chat-page" aria-labelledby="chat-title">
      <div className="chat-head">
        <h1 id="chat-title" className="page-title">{t('cs.chatWith', { name: c.store_name ?? '' })}</h1>
        <Link to={`/store/${c.store_id}`} className="small">{t('cs.visitStore')}</Link>
        {c.status === 'closed' && <p className="small muted">{t('cs.closedBuyer')}</p>}
      </div>
      <MessageList messages={thread.messages} peerName={c.store_name ?? ''} cardLink={cardLink} hasOlder={thread.hasOlder} loadOlder={thread.loadOlder} />
      {thread.error !== null && <p className="small error-text" role="status">{t('cs.reconnecting')}</p>}
      <Composer inputId="chat-input" value={text} setValue={setText} onSend={thread.send} />
    </section>
  );
}

/** My conversations with stores, unread first in the eye: newest activity on top. */
export function ConversationsPage() {
  const { t } = useI18n();
  const list = useAsync((s) => api.get<Page<ChatConversation>>('/me/conversations', { limit: 50 }, s), []);
  return (
    <>
      <h1 className="page-title">{t('cs.myMessages')}</h1>
      {list.error ? <ErrorView error={list.error} retry={list.reload} /> : !list.data ? <Loading /> : list.data.items.length === 0 ? (
        <Empty action={<Link className="btn" to="/">{t('cart.shop')}</Link>}>{t('cs.noConversations')}</Empty>
      ) : (
        <ul className="list">
          {list.data.items.map((c) => (
            <li key={c.id}>
              <Link to={`/messages/${c.id}`} className="row-link">
                <span className="avatar" aria-hidden="true">{[...(c.store_name ?? '店')][0]}</span>
                <span className="grow">
                  <span className="row between">
                    <strong className="clamp1">{c.store_name}</strong>
                    {c.last_message && <time className="small muted nowrap" dateTime={c.last_message.at} title={dateTime(c.last_message.at)}>{listTime(c.last_message.at)}</time>}
                  </span>
                  <span className="small muted clamp1">{c.last_message && previewText(c, t)}</span>
                </span>
                {c.unread > 0 && <span className="count-badge" aria-label={t('cs.unreadCount', { n: c.unread })}>{c.unread}</span>}
                {c.status === 'closed' && <span className="badge">{t('cs.status.closed')}</span>}
              </Link>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
