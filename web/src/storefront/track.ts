import { getSession, idempotencyKey } from '../lib/api.ts';

const ANON = 'xiaodian.anon';
function anonymousId(): string {
  let id = localStorage.getItem(ANON);
  if (!id) {
    id = idempotencyKey().replace(/[^A-Za-z0-9]/g, '').slice(0, 32);
    localStorage.setItem(ANON, id);
  }
  return id;
}

/**
 * Tells analytics a person saw a product or a store (visitors and conversion on the merchant
 * dashboard). Fire and forget: a lost view never bothers the buyer.
 */
export function track(kind: 'view' | 'product_click', channel: string, ids: { product_id?: string; store_id?: string; content_id?: string; creator_id?: string }): void {
  const token = getSession('buyer')?.access_token;
  const body = { event_id: `w_${idempotencyKey().replace(/[^A-Za-z0-9]/g, '')}`.slice(0, 64), kind, channel, ...ids, ...(token ? {} : { anonymous_id: anonymousId() }) };
  void fetch('/api/v1/analytics/events', {
    method: 'POST', keepalive: true,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  }).catch(() => {});
}
