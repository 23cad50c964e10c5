import { sql } from 'kysely';
import { Type } from 'typebox';
import type { AppContext } from '../../app/wire.ts';
import type { App } from '../types.ts';

/** Liveness (the process answers) and readiness (database reachable, not shutting down). */
export const healthRoutes = (ctx: AppContext) => async (app: App) => {
  app.get('/healthz', { config: { auth: 'public' }, schema: { tags: ['ops'], response: { 200: Type.Object({ status: Type.Literal('ok') }) } } }, async () => ({ status: 'ok' as const }));
  app.get(
    '/readyz',
    { config: { auth: 'public' }, schema: { tags: ['ops'], response: { 200: Type.Object({ status: Type.String(), engine: Type.String(), outbox_pending: Type.Integer() }), 503: Type.Object({ status: Type.String(), reason: Type.String() }) } } },
    async (_req, reply) => {
      if (!ctx.ready) return reply.status(503).send({ status: 'unavailable', reason: 'starting or shutting down' });
      try {
        await sql`select 1`.execute(ctx.db.kysely);
      } catch {
        return reply.status(503).send({ status: 'unavailable', reason: 'database unreachable' });
      }
      return { status: 'ready', engine: ctx.db.engine, outbox_pending: await ctx.outbox.pending() };
    },
  );
};
