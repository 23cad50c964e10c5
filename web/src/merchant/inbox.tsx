import { useState, type FormEvent } from 'react';
import { dateTime } from '../lib/format.ts';
import { useI18n } from '../lib/i18n.tsx';
import { Link, useLocation } from '../lib/router.tsx';
import type { Page } from '../lib/types.ts';
import { useAsync } from '../lib/use-async.ts';
import { Composer, MessageList, listTime, previewText, usePoll, useThread, type ChatConversation } from '../ui/chat.tsx';
import { Empty, ErrorView, Loading, Notice, useErrorText } from '../ui/states.tsx';
import { api } from './api.ts';

interface QuickReply { id: string; title: string; text: string; sort: number }
const FILTERS = ['all', 'unread', 'open', 'closed'] as const;
type Filter = (typeof FILTERS)[number];
const LIST_POLL_MS = 5000;

/**
 * 客服消息: the store's inbox. Conversations (filter: unread, open, closed) on the left, the chosen
 * one on the right (one column on a phone); quick replies fill the box. Polls for new messages.
 */
export function InboxPage({ storeId }: { storeId: string }) {
  const { t } = useI18n();
  const { query } = useLocation();
  const filter = (FILTERS as readonly string[]).includes(query.get('f') ?? '') ? (query.get('f') as Filter) : 'all';
  const selected = query.get('c');
  const to = (f: Filter, c: string | null) => `/merchant/inbox?${new URLSearchParams({ ...(f !== 'all' ? { f } : {}), ...(c ? { c } : {}) })}`;
  const list = useAsync((s) => api.get<Page<ChatConversation>>(`/merchant/stores/${storeId}/conversations`, {
    limit: 50, unread: filter === 'unread' ? true : undefined, status: filter === 'open' || filter === 'closed' ? filter : undefined,
  }, s), [storeId, filter]);
  const badge = useAsync((s) => api.get<{ conversations: number; messages: number }>(`/merchant/stores/${storeId}/conversations/unread`, undefined, s), [storeId]);
  usePoll(() => {
    list.reload();
    badge.reload();
  }, LIST_POLL_MS);

  return (
    <>
      <h1 className="page-title">{t('m.nav.inbox')}{badge.data && badge.data.messages > 0 && <> <span className="count-badge">{t('cs.unreadCount', { n: badge.data.messages })}</span></>}</h1>
      <div className={`inbox ${selected ? 'has-thread' : ''}`}>
        <section className="inbox-list" aria-label={t('cs.conversations')}>
          <nav className="tabs" aria-label={t('cs.filter')}>
            {FILTERS.map((f) => <Link key={f} to={to(f, selected)} className={filter === f ? 'on' : ''} aria-current={filter === f ? 'page' : undefined}>{t(`cs.filter.${f}`)}</Link>)}
          </nav>
          {list.error ? <ErrorView error={list.error} retry={list.reload} /> : !list.data ? <Loading /> : list.data.items.length === 0 ? <Empty>{t('cs.inboxEmpty')}</Empty> : (
            <ul className="list">
              {list.data.items.map((c) => (
                <li key={c.id}>
                  <Link to={to(filter, c.id)} className={`row-link ${c.id === selected ? 'current' : ''}`} aria-current={c.id === selected ? 'true' : undefined} data-conversation={c.id}>
                    <span className="avatar" aria-hidden="true">{[...(c.buyer?.display_name || '客')][0]}</span>
                    <span className="grow">
                      <span className="row between">
                        <strong className="clamp1">{c.buyer?.display_name} <span className="small muted">{c.buyer?.phone_masked}</span></strong>
                        {c.last_message && <time className="small muted nowrap" dateTime={c.last_message.at} title={dateTime(c.last_message.at)}>{listTime(c.last_message.at)}</time>}
                      </span>
                      <span className="small muted clamp1">{previewText(c, t)}</span>
                    </span>
                    {c.unread > 0 && <span className="count-badge" aria-label={t('cs.unreadCount', { n: c.unread })}>{c.unread}</span>}
                    {c.status === 'closed' && <span className="badge">{t('cs.status.closed')}</span>}
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="inbox-thread" aria-label={t('cs.thread')}>
          {selected ? (
            <>
              <Link to={to(filter, null)} className="inbox-back small">← {t('cs.backToList')}</Link>
              <Thread key={selected} storeId={storeId} id={selected} onActivity={() => { list.reload(); badge.reload(); }} />
            </>
          ) : <p className="muted state">{t('cs.pick')}</p>}
        </section>
      </div>
    </>
  );
}

function Thread({ storeId, id, onActivity }: { storeId: string; id: string; onActivity: () => void }) {
  const { t } = useI18n();
  const errText = useErrorText();
  const base = `/merchant/stores/${storeId}/conversations/${id}`;
  const thread = useThread(api, base);
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>(null);
  const c = thread.conversation;
  if (thread.error && !thread.loaded) return <ErrorView error={thread.error} />;
  if (!thread.loaded || !c) return <Loading />;
  const setStatus = async (action: 'close' | 'reopen') => {
    setError(null);
    try {
      thread.setConversation(await api.post<ChatConversation>(`${base}/${action}`, {}));
      onActivity();
    } catch (e) {
      setError(e);
    }
  };
  const name = c.buyer?.display_name ?? '';
  return (
    <div className="chat-page">
      <div className="chat-head row between">
        <div className="grow">
          <h2 id="thread-title">{t('cs.chatWithBuyer', { name })}</h2>
          <span className="small muted">{c.buyer?.phone_masked} · <span className={`badge ${c.status === 'open' ? 's-ok' : ''}`}>{t(`cs.status.${c.status}`)}</span></span>
        </div>
        {c.status === 'open'
          ? <button type="button" className="btn small" onClick={() => void setStatus('close')}>{t('cs.close')}</button>
          : <button type="button" className="btn small" onClick={() => void setStatus('reopen')}>{t('cs.reopen')}</button>}
      </div>
      {c.subject && <div className="chat-subject small"><span className="muted">{t('cs.about')}</span> <code>{c.subject.id}</code> {c.subject.title}</div>}
      {error !== null && <Notice kind="error">{errText(error)}</Notice>}
      <MessageList messages={thread.messages} peerName={name} hasOlder={thread.hasOlder} loadOlder={thread.loadOlder}
        cardLink={(card) => (card.kind === 'product' ? <Link to={`/product/${card.id}`} target="_blank" rel="noopener">{card.title}</Link> : <>{card.title} <code className="small">{card.id}</code></>)} />
      {thread.error !== null && <p className="small error-text" role="status">{t('cs.reconnecting')}</p>}
      <QuickReplies storeId={storeId} onPick={(s) => setText(text ? `${text}${s}` : s)} />
      <Composer inputId="reply-input" value={text} setValue={setText}
        onSend={async (s) => {
          await thread.send(s);
          onActivity();
        }} />
    </div>
  );
}

/** 快捷回复: chips that fill the box, and a small editor to add or remove them. */
function QuickReplies({ storeId, onPick }: { storeId: string; onPick: (text: string) => void }) {
  const { t } = useI18n();
  const errText = useErrorText();
  const base = `/merchant/stores/${storeId}/quick-replies`;
  const list = useAsync((s) => api.get<{ items: QuickReply[] }>(base, undefined, s), [storeId]);
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [error, setError] = useState<unknown>(null);
  const act = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      list.reload();
      return true;
    } catch (e) {
      setError(e);
      return false;
    }
  };
  const add = async (e: FormEvent) => {
    e.preventDefault();
    if (!title.trim() || !body.trim()) return;
    if (await act(() => api.post(base, { title: title.trim(), text: body.trim(), sort: (list.data?.items.length ?? 0) + 1 }))) {
      setTitle('');
      setBody('');
    }
  };
  return (
    <div className="quick-replies">
      {list.data && list.data.items.length > 0 && (
        <div className="chips" role="group" aria-label={t('cs.quick')}>
          {list.data.items.map((q) => <button key={q.id} type="button" className="chip" title={q.text} onClick={() => onPick(q.text)}>{q.title}</button>)}
        </div>
      )}
      <details>
        <summary className="small">{t('cs.quickManage')}</summary>
        {error !== null && <Notice kind="error">{errText(error)}</Notice>}
        <ul className="qr-list small">
          {list.data?.items.map((q) => (
            <li key={q.id} className="row between">
              <span className="grow"><strong>{q.title}</strong> <span className="muted">{q.text}</span></span>
              <button type="button" className="btn small danger" onClick={() => void act(() => api.del(`${base}/${q.id}`))} aria-label={t('cs.quickDelete', { title: q.title })}>{t('cs.delete')}</button>
            </li>
          ))}
        </ul>
        <form className="qr-form" onSubmit={(e) => void add(e)}>
          <label className="sr-only" htmlFor="qr-title">{t('cs.quickTitle')}</label>
          <input id="qr-title" placeholder={t('cs.quickTitle')} maxLength={20} value={title} onChange={(e) => setTitle(e.target.value)} />
          <label className="sr-only" htmlFor="qr-text">{t('cs.quickText')}</label>
          <input id="qr-text" placeholder={t('cs.quickText')} maxLength={500} value={body} onChange={(e) => setBody(e.target.value)} />
          <button type="submit" className="btn small" disabled={!title.trim() || !body.trim()}>{t('cs.quickAdd')}</button>
        </form>
      </details>
    </div>
  );
}

