import { useCallback, useEffect, useLayoutEffect, useRef, useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import type { Client } from '../lib/api.ts';
import { dateTime } from '../lib/format.ts';
import { useI18n } from '../lib/i18n.tsx';
import { Money, Thumb } from './bits.tsx';
import { Notice, useErrorText } from './states.tsx';

/**
 * Customer-service chat shared by the storefront (buyer) and the merchant inbox (staff).
 * New messages arrive by polling every 3 s while the page is visible (no SSE: polling works the
 * same behind any number of server processes and the chat is not latency-critical).
 */
export const CHAT_POLL_MS = 3000;
export const MAX_CHARS = 1000;

export interface ChatCard { kind: 'product' | 'order'; id: string; title: string; image: string | null; amount_minor: number; items?: number; status?: string }
export interface ChatMessage {
  id: string; conversation_id: string; side: 'buyer' | 'store'; mine: boolean; kind: 'text' | 'product' | 'order'; text: string; card: ChatCard | null;
  read_by_recipient: boolean; sender_name?: string; created_at: string;
}
export interface ChatConversation {
  id: string; store_id: string; status: 'open' | 'closed'; subject: { kind: string; id: string; title: string; image: string | null } | null;
  last_message: { id: string; side: string; kind: string; preview: string; at: string } | null; unread: number; peer_unread: number; peer_read_at: string | null;
  store_name?: string; buyer?: { id: string; display_name: string; phone_masked: string }; closed_at: string | null; created_at: string; updated_at: string;
}
interface MessagePage { items: ChatMessage[]; next_cursor: string | null }

/** Calls `fn` every `ms` while the document is visible (and once when it becomes visible again). */
export function usePoll(fn: () => void, ms: number, enabled = true): void {
  const ref = useRef(fn);
  ref.current = fn;
  useEffect(() => {
    if (!enabled) return;
    const tick = () => {
      if (!document.hidden) ref.current();
    };
    const id = setInterval(tick, ms);
    document.addEventListener('visibilitychange', tick);
    return () => {
      clearInterval(id);
      document.removeEventListener('visibilitychange', tick);
    };
  }, [ms, enabled]);
}

/** Merges pages of messages by id, oldest first. */
function merge(a: ChatMessage[], b: ChatMessage[]): ChatMessage[] {
  const byId = new Map(a.map((m) => [m.id, m]));
  for (const m of b) byId.set(m.id, m);
  return [...byId.values()].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
}

/**
 * One conversation: the latest messages, older pages on demand, new ones by polling, read
 * receipts from the conversation's `peer_unread` (the last N of mine are unread by the other side),
 * and the other side's messages marked read while the thread is on screen.
 */
export function useThread(api: Client, base: string) {
  const [conversation, setConversation] = useState<ChatConversation | null>(null);
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [older, setOlder] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loaded, setLoaded] = useState(false);
  const last = useRef<string | null>(null);
  const busy = useRef(false);
  last.current = messages.length ? messages[messages.length - 1].id : null;

  const markRead = useCallback(async (c: ChatConversation) => {
    if (c.unread > 0 && !document.hidden) setConversation(await api.post<ChatConversation>(`${base}/read`, {}));
  }, [api, base]);

  useEffect(() => {
    const ac = new AbortController();
    setLoaded(false);
    setMessages([]);
    setConversation(null);
    setError(null);
    (async () => {
      const [c, page] = await Promise.all([api.get<ChatConversation>(base, undefined, ac.signal), api.get<MessagePage>(`${base}/messages`, { limit: 30 }, ac.signal)]);
      if (ac.signal.aborted) return;
      setConversation(c);
      setMessages([...page.items].reverse());
      setOlder(page.next_cursor);
      setLoaded(true);
      await markRead(c);
    })().catch((e) => {
      if (!ac.signal.aborted) setError(e);
    });
    return () => ac.abort();
  }, [api, base, markRead]);

  const poll = useCallback(async () => {
    if (busy.current || !loaded) return;
    busy.current = true;
    try {
      const [c, page] = await Promise.all([api.get<ChatConversation>(base), api.get<MessagePage>(`${base}/messages`, { after: last.current ?? undefined, limit: 100 })]);
      setConversation(c);
      if (page.items.length) setMessages((m) => merge(m, page.items));
      setError(null);
      await markRead(c);
    } catch (e) {
      setError(e);
    } finally {
      busy.current = false;
    }
  }, [api, base, loaded, markRead]);
  usePoll(() => void poll(), CHAT_POLL_MS, loaded);

  const loadOlder = async () => {
    if (!older) return;
    const page = await api.get<MessagePage>(`${base}/messages`, { limit: 30, cursor: older });
    setMessages((m) => merge(m, page.items));
    setOlder(page.next_cursor);
  };
  const send = async (text: string) => {
    const m = await api.post<ChatMessage>(`${base}/messages`, { text });
    setMessages((list) => merge(list, [m]));
    setConversation((c) => (c ? { ...c, status: 'open', unread: 0, peer_unread: c.peer_unread + 1 } : c));
  };

  // Receipts: everything of mine except the last `peer_unread` has been read by the other side.
  const mine = messages.filter((m) => m.mine);
  const unreadFrom = conversation ? mine.length - conversation.peer_unread : mine.length;
  const readIds = new Set(mine.slice(0, Math.max(0, unreadFrom)).map((m) => m.id));
  const shown = messages.map((m) => (m.mine ? { ...m, read_by_recipient: readIds.has(m.id) } : m));
  return { conversation, setConversation, messages: shown, loaded, error, hasOlder: older !== null, loadOlder, send, reload: poll };
}

const sameDay = new Intl.DateTimeFormat(typeof navigator !== 'undefined' ? navigator.language : 'zh-CN', { hour: '2-digit', minute: '2-digit' });
const otherDay = new Intl.DateTimeFormat(typeof navigator !== 'undefined' ? navigator.language : 'zh-CN', { month: 'numeric', day: 'numeric' });
/** For list lines: the time today, else the day (the full date is in the title). */
export function listTime(iso: string): string {
  const d = new Date(iso);
  return (d.toDateString() === new Date().toDateString() ? sameDay : otherDay).format(d);
}

/** A list line: cards as [商品] / [订单] with their title. */
export function previewText(c: ChatConversation, t: ReturnType<typeof useI18n>['t']): string {
  const m = c.last_message;
  if (!m) return '';
  if (m.kind === 'product') return `[${t('cs.card.product')}] ${m.preview}`;
  if (m.kind === 'order') return `[${t('cs.card.order')}] ${m.preview}`;
  return m.preview;
}

export function CardView({ card, link }: { card: ChatCard; link?: ReactNode }) {
  const { t, tx } = useI18n();
  return (
    <div className="chat-card">
      <Thumb src={card.image} title={card.title} size="sm" />
      <div className="grow">
        <span className="small muted">{card.kind === 'product' ? t('cs.card.product') : t('cs.card.order')}</span>
        <strong className="clamp2">{link ?? card.title}</strong>
        <span className="small">
          {card.kind === 'order' ? <>{t('cs.card.orderTotal', { n: card.items ?? 0 })} <Money fen={card.amount_minor} /> · {tx(`status.${card.status}`, card.status)}</> : <Money fen={card.amount_minor} className="price" />}
        </span>
      </div>
    </div>
  );
}

/** The message list: mine on the right with a read receipt, theirs on the left; cards as cards. */
export function MessageList({ messages, peerName, cardLink, hasOlder, loadOlder }: {
  messages: ChatMessage[]; peerName: string; cardLink?: (c: ChatCard) => ReactNode; hasOlder: boolean; loadOlder: () => Promise<void>;
}) {
  const { t } = useI18n();
  const end = useRef<HTMLLIElement>(null);
  const lastId = messages.length ? messages[messages.length - 1].id : '';
  useLayoutEffect(() => {
    end.current?.scrollIntoView({ block: 'end' });
  }, [lastId]);
  return (
    <div className="chat-scroll">
      {hasOlder && <button type="button" className="linklike small" onClick={() => void loadOlder()}>{t('cs.older')}</button>}
      <ol className="chat-log" aria-live="polite" aria-relevant="additions" aria-label={t('cs.messages')}>
        {messages.length === 0 && <li className="muted small chat-empty">{t('cs.noMessages')}</li>}
        {messages.map((m) => (
          <li key={m.id} className={`bubble-row ${m.mine ? 'mine' : 'theirs'}`} data-message={m.id}>
            <div className="bubble">
              <span className="sr-only">{m.mine ? t('cs.you') : peerName}: </span>
              {m.card ? <CardView card={m.card} link={cardLink?.(m.card)} /> : <p className="prewrap">{m.text}</p>}
            </div>
            <span className="bubble-meta small muted">
              {m.sender_name ? `${m.sender_name} · ` : ''}<time dateTime={m.created_at}>{dateTime(m.created_at)}</time>
              {m.mine && <> · <span className={m.read_by_recipient ? 'read' : 'unread'}>{m.read_by_recipient ? t('cs.read') : t('cs.unread')}</span></>}
            </span>
          </li>
        ))}
        <li ref={end} aria-hidden="true" className="chat-end" />
      </ol>
    </div>
  );
}

/** Text box and send button; Ctrl/⌘+Enter sends. Shows the server's refusal (banned word, too long). */
export function Composer({ onSend, value, setValue, inputId }: {
  onSend: (text: string) => Promise<void>; value: string; setValue: (s: string) => void; inputId: string;
}) {
  const { t } = useI18n();
  const errText = useErrorText();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const count = [...value].length;
  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    if (!value.trim() || busy || count > MAX_CHARS) return;
    setBusy(true);
    setError(null);
    try {
      await onSend(value.trim());
      setValue('');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const onKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void submit();
  };
  return (
    <form className="composer" onSubmit={(e) => void submit(e)}>
      {error !== null && <Notice kind="error">{errText(error)}</Notice>}
      <label htmlFor={inputId} className="sr-only">{t('cs.input')}</label>
      <textarea id={inputId} rows={2} value={value} placeholder={t('cs.placeholder')} onChange={(e) => setValue(e.target.value)} onKeyDown={onKey} aria-describedby={`${inputId}-count`} />
      <div className="row between">
        <span id={`${inputId}-count`} className={`small ${count > MAX_CHARS ? 'error-text' : 'muted'}`}>{t('cs.count', { n: count, max: MAX_CHARS })}</span>
        <button type="submit" className="btn primary" disabled={busy || !value.trim() || count > MAX_CHARS}>{busy ? t('cs.sending') : t('cs.send')}</button>
      </div>
    </form>
  );
}
