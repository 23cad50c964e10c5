/**
 * The typed HTTP client: JSON over /api/v1, one session per face (a buyer, a merchant and an
 * operator can be signed in side by side), refresh on an expired access token, and errors as
 * ApiError with the server's machine code and zh/en messages.
 */
export type Face = 'buyer' | 'merchant' | 'console';

export interface Session {
  access_token: string;
  refresh_token: string;
  account_id: string;
  expires_at: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly messageZh: string | undefined,
    readonly details: unknown,
  ) {
    super(message);
  }
}

const key = (face: Face) => `xiaodian.session.${face}`;
const listeners = new Set<() => void>();

export function getSession(face: Face): Session | null {
  try {
    const raw = localStorage.getItem(key(face));
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

export function setSession(face: Face, s: Session | null): void {
  if (s) localStorage.setItem(key(face), JSON.stringify(s));
  else localStorage.removeItem(key(face));
  for (const l of listeners) l();
}

export function onSessionChange(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

export function idempotencyKey(): string {
  return crypto.randomUUID ? crypto.randomUUID() : `k-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`;
}

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | number | boolean | string[] | undefined | null>;
  /** true: a fresh Idempotency-Key; a string: that key (a retried submit reuses its key). */
  idempotent?: boolean | string;
  signal?: AbortSignal;
  /** A non-JSON body sent as is (an image, a CSV file) with its content type. */
  raw?: { body: Blob | string; type: string };
}

function qs(query: RequestOptions['query']): string {
  if (!query) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) v.forEach((x) => p.append(k, x));
    else p.append(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

async function send(face: Face, method: string, path: string, o: RequestOptions, token: string | undefined): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (o.body !== undefined) headers['content-type'] = 'application/json';
  if (o.raw) headers['content-type'] = o.raw.type;
  if (o.idempotent) headers['idempotency-key'] = typeof o.idempotent === 'string' ? o.idempotent : idempotencyKey();
  const body = o.raw ? o.raw.body : o.body === undefined ? undefined : JSON.stringify(o.body);
  return fetch(`/api/v1${path}${qs(o.query)}`, { method, headers, body, signal: o.signal });
}

const refreshing = new Map<Face, Promise<boolean>>();
async function refresh(face: Face): Promise<boolean> {
  const s = getSession(face);
  if (!s) return false;
  let p = refreshing.get(face);
  if (!p) {
    p = (async () => {
      const res = await fetch('/api/v1/auth/refresh', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refresh_token: s.refresh_token }) });
      if (!res.ok) {
        setSession(face, null);
        return false;
      }
      setSession(face, (await res.json()) as Session);
      return true;
    })().finally(() => refreshing.delete(face));
    refreshing.set(face, p);
  }
  return p;
}

export async function request<T>(face: Face, method: string, path: string, o: RequestOptions = {}): Promise<T> {
  let res = await send(face, method, path, o, getSession(face)?.access_token);
  if (res.status === 401 && getSession(face) && (await refresh(face))) res = await send(face, method, path, o, getSession(face)?.access_token);
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = text;
  }
  if (!res.ok) {
    const e = (body as { error?: { code?: string; message?: string; message_zh?: string; details?: unknown } } | null)?.error;
    if (res.status === 401 && face) setSession(face, null);
    throw new ApiError(res.status, e?.code ?? `http_${res.status}`, e?.message ?? res.statusText, e?.message_zh, e?.details);
  }
  return body as T;
}

/** A client bound to one face. */
export function client(face: Face) {
  return {
    get: <T>(path: string, query?: RequestOptions['query'], signal?: AbortSignal) => request<T>(face, 'GET', path, { query, signal }),
    post: <T>(path: string, body: unknown = {}, o: Omit<RequestOptions, 'body'> = {}) => request<T>(face, 'POST', path, { ...o, body }),
    patch: <T>(path: string, body: unknown) => request<T>(face, 'PATCH', path, { body }),
    put: <T>(path: string, body: unknown) => request<T>(face, 'PUT', path, { body }),
    del: <T>(path: string) => request<T>(face, 'DELETE', path),
    /** POSTs a file's bytes (an image, a CSV) with its content type. */
    upload: <T>(path: string, body: Blob | string, type: string) => request<T>(face, 'POST', path, { raw: { body, type } }),
    async login(phone: string, password: string): Promise<Session> {
      const s = await request<Session>(face, 'POST', '/auth/login', { body: { phone, password } });
      setSession(face, s);
      return s;
    },
    async logout(): Promise<void> {
      try {
        await request(face, 'POST', '/auth/logout');
      } catch {
        /* signed out locally either way */
      }
      setSession(face, null);
    },
  };
}
export type Client = ReturnType<typeof client>;
