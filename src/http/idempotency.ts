import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../lib/clock.ts';
import { HOUR_MS } from '../lib/clock.ts';
import { AppError, invalid } from '../lib/errors.ts';
import { isUniqueViolation, type Db } from '../db/index.ts';

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
    async preHandler(request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
      const key = request.headers['idempotency-key'];
      if (key === undefined || request.method === 'GET' || request.method === 'HEAD') return;
      if (typeof key !== 'string' || key.length < 8 || key.length > 200 || !/^[\x21-\x7e]+$/.test(key)) {
        throw invalid('invalid_idempotency_key', 'Idempotency-Key must be 8–200 printable ASCII characters (a UUID is ideal)');
      }
      const scope = request.principal ? `acc:${request.principal.account_id}` : `ip:${request.ip}`;
      const hash = createHash('sha256').update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`).digest('hex');
      const now = clock.now();
      const existing = await k.selectFrom('http_idempotency_keys').selectAll().where('scope', '=', scope).where('key', '=', key).executeTakeFirst();
      if (existing && Number(existing.expires_at) > now) return replayOrConflict(existing, hash, reply);
      try {
        if (existing) await k.deleteFrom('http_idempotency_keys').where('scope', '=', scope).where('key', '=', key).execute();
        await k.insertInto('http_idempotency_keys').values({ scope, key, request_hash: hash, state: 'in_progress', created_at: now, expires_at: now + ttl_ms }).execute();
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        const raced = await k.selectFrom('http_idempotency_keys').selectAll().where('scope', '=', scope).where('key', '=', key).executeTakeFirstOrThrow();
        return replayOrConflict(raced, hash, reply);
      }
      request.idempotency = { scope, key };
    },

    async onSend(request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
      const idem = request.idempotency;
      if (!idem) return payload;
      request.idempotency = null;
      if (reply.statusCode >= 500) {
        await k.deleteFrom('http_idempotency_keys').where('scope', '=', idem.scope).where('key', '=', idem.key).execute();
      } else {
        await k.updateTable('http_idempotency_keys')
          .set({ state: 'done', status_code: reply.statusCode, response_body: typeof payload === 'string' ? payload : payload == null ? '' : String(payload) })
          .where('scope', '=', idem.scope).where('key', '=', idem.key).execute();
      }
      return payload;
    },

    /** Deletes expired keys; run by the scheduler. */
    async purgeExpired(): Promise<number> {
      const r = await k.deleteFrom('http_idempotency_keys').where('expires_at', '<=', clock.now()).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
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
