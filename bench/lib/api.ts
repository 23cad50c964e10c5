/** Setup calls against a running server (not measured): sign in, create data, check answers. */

export const DEMO_BUYER = { phone: '13700000001', password: 'xiaodian123' };
export const DEMO_OWNER = { phone: '13800000001', password: 'xiaodian123' };
export const DEMO_OPERATOR = { phone: '13900000000', password: 'xiaodian123' };

export interface Response<T> {
  status: number;
  body: T;
}

export async function call<T = any>(baseUrl: string, method: string, path: string, opts: { token?: string; body?: unknown } = {}): Promise<Response<T>> {
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${baseUrl}${path}`, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  const text = await res.text();
  let body: any = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON; keep the text for the error message
  }
  return { status: res.status, body };
}

/** Like call, but anything other than `expected` stops the scenario with the server's answer. */
export async function expectStatus<T = any>(expected: number, baseUrl: string, method: string, path: string, opts: { token?: string; body?: unknown } = {}): Promise<T> {
  const r = await call<T>(baseUrl, method, path, opts);
  if (r.status !== expected) throw new Error(`${method} ${path}: expected ${expected}, got ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/**
 * Signs in with a password. The server throttles failed sign-ins per account, and argon2
 * makes each sign-in deliberately slow, so scenarios sign in once per server and reuse it.
 */
export async function login(baseUrl: string, who: { phone: string; password: string }): Promise<{ token: string; accountId: string }> {
  const body = await expectStatus<{ access_token: string; account_id: string }>(200, baseUrl, 'POST', '/api/v1/auth/login', { body: who });
  return { token: body.access_token, accountId: body.account_id };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
