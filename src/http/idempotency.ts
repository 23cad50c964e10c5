import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../lib/clock.ts';
import { HOUR_MS } from '../lib/clock.ts';
import { AppError, invalid } from '../lib/errors.ts';
import { isUniqueViolation, type Db, type Executor } from '../db/index.ts';

/**
 * `Idempotency-Key` on POST/PUT/PATCH/DELETE. Keys are scoped to the caller (account, or
 * IP when anonymous) and kept for `ttl_ms` (24 h by default). The same key with the same
 * request replays the stored response (with `Idempotent-Replayed: true`); with a different
 * request it is 409 `idempotency_key_reused`; while the first request still runs, 409
 * `idempotency_request_in_progress`. A 5xx outcome is not stored, so the client may retry.
 */
export function idempotency(db: Db, clock: Clock, ttl_ms = 24 * HOUR_MS) {
  const k = db.kysely;
  return {
    /** Callback-style so the common case (no key) costs no promise. */
    preHandler(request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void): void {
      const key = request.headers['idempotency-key'];
      if (key === undefined || request.method === 'GET' || request.method === 'HEAD') return done();
      // After an early reply (a replay) Fastify must not be told to continue.
      claim(request, reply, key).then((replied) => (replied ? undefined : done()), done);
    },

    onSend(request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (err: Error | null, payload?: unknown) => void): void {
      const idem = request.idempotency;
      if (!idem) return done(null, payload);
      request.idempotency = null;
      store(idem, reply.statusCode, payload).then(() => done(null, payload), (err) => done(err as Error));
    },

    /** Deletes expired keys; run by the scheduler, inside the job's transaction (`ex`). */
    async purgeExpired(ex: Executor = k): Promise<number> {
      const r = await ex.deleteFrom('http_idempotency_keys').where('expires_at', '<=', clock.now()).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };

  async function claim(request: FastifyRequest, reply: FastifyReply, key: string | string[]): Promise<boolean> {
    if (typeof key !== 'string' || key.length < 8 || key.length > 200 || !/^[\x21-\x7e]+$/.test(key)) {
      throw invalid('invalid_idempotency_key', 'Idempotency-Key must be 8–200 printable ASCII characters (a UUID is ideal)');
    }
    const scope = request.principal ? `acc:${request.principal.account_id}` : `ip:${request.ip}`;
    const hash = createHash('sha256').update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`).digest('hex');
    const now = clock.now();
    const existing = await k.selectFrom('http_idempotency_keys').selectAll().where('scope', '=', scope).where('key', '=', key).executeTakeFirst();
    if (existing && Number(existing.expires_at) > now) {
      replayOrConflict(existing, hash, reply);
      return true;
    }
    try {
      if (existing) await k.deleteFrom('http_idempotency_keys').where('scope', '=', scope).where('key', '=', key).execute();
      await k.insertInto('http_idempotency_keys').values({ scope, key, request_hash: hash, state: 'in_progress', created_at: now, expires_at: now + ttl_ms }).execute();
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      const raced = await k.selectFrom('http_idempotency_keys').selectAll().where('scope', '=', scope).where('key', '=', key).executeTakeFirstOrThrow();
      replayOrConflict(raced, hash, reply);
      return true;
    }
    request.idempotency = { scope, key };
    return false;
  }

  async function store(idem: { scope: string; key: string }, status: number, payload: unknown): Promise<void> {
    if (status >= 500) {
      await k.deleteFrom('http_idempotency_keys').where('scope', '=', idem.scope).where('key', '=', idem.key).execute();
      return;
    }
    await k.updateTable('http_idempotency_keys')
      .set({ state: 'done', status_code: status, response_body: typeof payload === 'string' ? payload : payload == null ? '' : String(payload) })
      .where('scope', '=', idem.scope).where('key', '=', idem.key).execute();
  }
}

function replayOrConflict(row: Record<string, any>, hash: string, reply: FastifyReply): FastifyReply {
  if (row.request_hash !== hash) {
    throw new AppError('conflict', 'idempotency_key_reused', 'this Idempotency-Key was already used with a different request');
  }
  if (row.state !== 'done') {
    throw new AppError('conflict', 'idempotency_request_in_progress', 'a request with this Idempotency-Key is still being processed; retry shortly');
  }
  return reply.status(Number(row.status_code)).header('idempotent-replayed', 'true').type('application/json; charset=utf-8').send(row.response_body);
}
