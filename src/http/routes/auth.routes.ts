import { Type } from 'typebox';
import type { AppContext } from '../../app/wire.ts';
import { toIso } from '../../lib/clock.ts';
import type { SessionTokens } from '../../modules/identity/index.ts';
import { errors } from '../schemas.ts';
import type { App } from '../types.ts';

const Phone = Type.String({ minLength: 11, maxLength: 16, description: 'mainland China mobile number, e.g. 13800000001' });
const Tokens = Type.Object({
  access_token: Type.String(),
  refresh_token: Type.String(),
  token_type: Type.Literal('Bearer'),
  expires_at: Type.String({ format: 'date-time' }),
  refresh_expires_at: Type.String({ format: 'date-time' }),
  account_id: Type.String(),
});
const present = (t: SessionTokens) => ({
  access_token: t.access_token, refresh_token: t.refresh_token, token_type: 'Bearer' as const,
  expires_at: toIso(t.expires_at)!, refresh_expires_at: toIso(t.refresh_expires_at)!, account_id: t.account_id,
});

/** Sign-up / sign-in by phone with a password or an SMS code; refresh; sign-out. */
export const authRoutes = (ctx: AppContext) => async (app: App) => {
  const reqCtx = (r: { ip: string; headers: Record<string, unknown> }) => ({ ip: r.ip, user_agent: String(r.headers['user-agent'] ?? '') });

  app.post('/sms-codes', {
    config: { auth: 'public' },
    schema: {
      tags: ['auth'], summary: 'Send a one-time code by SMS',
      body: Type.Object({ phone: Phone, purpose: Type.Union([Type.Literal('signup'), Type.Literal('login')]) }, { additionalProperties: false }),
      response: { 202: Type.Object({ expires_at: Type.String({ format: 'date-time' }), resend_after_s: Type.Integer() }), ...errors(400, 429) },
    },
  }, async (req, reply) => {
    const r = await ctx.identity.requestSmsCode(req.body, reqCtx(req));
    return reply.status(202).send({ expires_at: toIso(r.expires_at)!, resend_after_s: r.resend_after_s });
  });

  app.post('/signup', {
    config: { auth: 'public' },
    schema: {
      tags: ['auth'], summary: 'Create a buyer account with a verified phone',
      body: Type.Object({
        phone: Phone, code: Type.String({ pattern: '^\\d{6}$' }), password: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
        display_name: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
      }, { additionalProperties: false }),
      response: { 201: Tokens, ...errors(400, 401, 409, 429) },
    },
  }, async (req, reply) => reply.status(201).send(present(await ctx.identity.signUp(req.body, reqCtx(req)))));

  app.post('/login', {
    config: { auth: 'public' },
    schema: {
      tags: ['auth'], summary: 'Sign in with phone + password, or phone + SMS code',
      body: Type.Object({ phone: Phone, password: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), code: Type.Optional(Type.String({ pattern: '^\\d{6}$' })) }, { additionalProperties: false }),
      response: { 200: Tokens, ...errors(400, 401, 403, 429) },
    },
  }, async (req) => present(await ctx.identity.signIn(req.body, reqCtx(req))));

  app.post('/refresh', {
    config: { auth: 'public' },
    schema: { tags: ['auth'], summary: 'Exchange a refresh token for new tokens (rotation)', body: Type.Object({ refresh_token: Type.String({ minLength: 10, maxLength: 200 }) }, { additionalProperties: false }), response: { 200: Tokens, ...errors(400, 401) } },
  }, async (req) => present(await ctx.identity.refresh(req.body.refresh_token, reqCtx(req))));

  app.post('/logout', {
    schema: { tags: ['auth'], summary: 'Revoke the current session', response: { 204: Type.Null(), ...errors(401) } },
  }, async (req, reply) => {
    await ctx.identity.signOut(req.principal!.session_id);
    return reply.status(204).send(null);
  });
};
