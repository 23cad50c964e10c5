import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { Clock } from '../../lib/clock.ts';
import { DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS } from '../../lib/clock.ts';
import { AppError, invalid, unauthenticated } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { Logger } from '../../lib/logger.ts';
import type { Db } from '../../db/index.ts';
import type { AccountRole, IdentityRepo, StaffRole } from './identity.repo.ts';
import { dummyVerify, hashPassword, passwordProblem, verifyPassword } from './passwords.ts';
import { normalizePhone } from './phone.ts';
import type { SmsSender } from './sms.ts';
import { LOGIN_PER_ACCOUNT, LOGIN_PER_IP, type Throttle } from './throttle.ts';

export interface AuthConfig {
  access_ttl_ms: number;
  refresh_ttl_ms: number;
  sms_code_ttl_ms: number;
  sms_resend_ms: number;
  principal_cache_ms: number;
}
export const DEFAULT_AUTH_CONFIG: AuthConfig = {
  access_ttl_ms: 2 * HOUR_MS,
  refresh_ttl_ms: 30 * DAY_MS,
  sms_code_ttl_ms: 5 * MINUTE_MS,
  sms_resend_ms: 60 * SECOND_MS,
  principal_cache_ms: SECOND_MS,
};
const PRINCIPAL_CACHE_MAX = 50_000;

export interface Principal {
  account_id: string;
  session_id: string;
  roles: ReadonlySet<AccountRole>;
  /** store_id → role, for merchant staff. */
  staff: ReadonlyMap<string, StaffRole>;
}

export interface SessionTokens {
  access_token: string;
  refresh_token: string;
  expires_at: number;
  refresh_expires_at: number;
  account_id: string;
}

export interface RequestContext {
  ip: string;
  user_agent?: string;
}

export type SmsPurpose = 'signup' | 'login';
const SMS_MAX_ATTEMPTS = 5;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const token = (prefix: string) => `${prefix}${randomBytes(32).toString('base64url')}`;
const throttled = (retryMs: number) =>
  new AppError('throttled', 'too_many_attempts', 'too many failed attempts; try again later', { retry_after_s: Math.ceil(retryMs / 1000) }, {
    'retry-after': String(Math.ceil(retryMs / 1000)),
  });

function requirePhone(input: string): string {
  const phone = normalizePhone(input);
  if (!phone) throw invalid('invalid_phone', 'phone must be a mainland China mobile number (11 digits starting with 1)');
  return phone;
}

export function createAuthService(deps: { db: Db; repo: IdentityRepo; clock: Clock; sms: SmsSender; throttle: Throttle; log: Logger; config: AuthConfig }) {
  const { db, repo, clock, sms, throttle, config } = deps;
  /**
   * Resolved principals, kept for `principal_cache_ms` (1 s by default): the token lookup is
   * the most frequent query in the system. Sign-out and membership changes in this process
   * take effect at once; in another process a revoked session lives at most that long.
   */
  const cache = new Map<string, { principal: Principal; expires_at: number; cached_until: number }>();

  async function issueSession(accountId: string, ctx: RequestContext): Promise<SessionTokens> {
    const now = clock.now();
    const access = token('xd_at_');
    const refresh = token('xd_rt_');
    const row = {
      id: newId('ses'), account_id: accountId, token_hash: sha256(access), refresh_hash: sha256(refresh),
      expires_at: now + config.access_ttl_ms, refresh_expires_at: now + config.refresh_ttl_ms, created_at: now,
      revoked_at: null, ip: ctx.ip, user_agent: ctx.user_agent?.slice(0, 300) ?? null,
    };
    await repo.q().insertInto('identity_sessions').values(row).execute();
    return { access_token: access, refresh_token: refresh, expires_at: row.expires_at, refresh_expires_at: row.refresh_expires_at, account_id: accountId };
  }

  /** Checks a code; counts a wrong guess against the code. Consumes it on success. */
  async function consumeSmsCode(phone: string, purpose: SmsPurpose, code: string): Promise<boolean> {
    const now = clock.now();
    const row = await repo.q().selectFrom('identity_sms_codes').selectAll()
      .where('phone', '=', phone).where('purpose', '=', purpose).where('consumed_at', 'is', null)
      .orderBy('created_at', 'desc').limit(1).executeTakeFirst();
    if (!row || row.expires_at <= now || row.attempts >= SMS_MAX_ATTEMPTS) return false;
    if (row.code_hash !== sha256(`${phone}:${code}`)) {
      await repo.q().updateTable('identity_sms_codes').set({ attempts: row.attempts + 1 }).where('id', '=', row.id).execute();
      return false;
    }
    const used = await repo.q().updateTable('identity_sms_codes').set({ consumed_at: now })
      .where('id', '=', row.id).where('consumed_at', 'is', null).executeTakeFirst();
    return Number(used.numUpdatedRows) === 1;
  }

  async function guardThrottle(phone: string, ctx: RequestContext): Promise<void> {
    const wait = Math.max(await throttle.retryAfterMs(`account:${phone}`), await throttle.retryAfterMs(`ip:${ctx.ip}`));
    if (wait > 0) throw throttled(wait);
  }

  async function recordFailure(phone: string, ctx: RequestContext): Promise<never> {
    await throttle.fail(`account:${phone}`, LOGIN_PER_ACCOUNT);
    await throttle.fail(`ip:${ctx.ip}`, LOGIN_PER_IP);
    throw unauthenticated('invalid_credentials', 'phone number or password/code is incorrect');
  }

  return {
    async requestSmsCode(input: { phone: string; purpose: SmsPurpose }, ctx: RequestContext): Promise<{ expires_at: number; resend_after_s: number }> {
      const phone = requirePhone(input.phone);
      const now = clock.now();
      const last = await repo.q().selectFrom('identity_sms_codes').select('created_at').where('phone', '=', phone).orderBy('created_at', 'desc').limit(1).executeTakeFirst();
      if (last && now - last.created_at < config.sms_resend_ms) throw throttled(config.sms_resend_ms - (now - last.created_at));
      const sentToday = await repo.q().selectFrom('identity_sms_codes').select((eb) => eb.fn.countAll<number>().as('n'))
        .where('phone', '=', phone).where('created_at', '>', now - DAY_MS).executeTakeFirstOrThrow();
      if (Number(sentToday.n) >= 10) throw throttled(DAY_MS - (now - (last?.created_at ?? now)));
      await guardThrottle(phone, ctx);
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      await repo.q().insertInto('identity_sms_codes').values({
        id: newId('sms'), phone, purpose: input.purpose, code_hash: sha256(`${phone}:${code}`), attempts: 0,
        expires_at: now + config.sms_code_ttl_ms, consumed_at: null, created_at: now,
      }).execute();
      await sms.send(phone, `【小店】验证码 ${code}，${Math.round(config.sms_code_ttl_ms / MINUTE_MS)} 分钟内有效。请勿告诉他人。`, code);
      return { expires_at: now + config.sms_code_ttl_ms, resend_after_s: Math.round(config.sms_resend_ms / 1000) };
    },

    async signUp(input: { phone: string; code: string; password?: string; display_name?: string }, ctx: RequestContext): Promise<SessionTokens> {
      const phone = requirePhone(input.phone);
      if (input.password !== undefined) {
        const problem = passwordProblem(input.password);
        if (problem) throw invalid('weak_password', problem);
      }
      await guardThrottle(phone, ctx);
      if (await repo.accountByPhone(phone)) throw new AppError('conflict', 'phone_taken', 'an account with this phone number already exists; sign in instead');
      if (!(await consumeSmsCode(phone, 'signup', input.code))) return recordFailure(phone, ctx);
      const now = clock.now();
      const id = newId('acc');
      const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
      await db.transaction(async (tx) => {
        await repo.insertAccount({ id, phone, password_hash: passwordHash, display_name: input.display_name?.trim() || `用户${phone.slice(-4)}`, status: 'active', created_at: now, updated_at: now }, tx);
        await repo.grantRole(id, 'buyer', now, tx);
      });
      return issueSession(id, ctx);
    },

    async signIn(input: { phone: string; password?: string; code?: string }, ctx: RequestContext): Promise<SessionTokens> {
      const phone = requirePhone(input.phone);
      if ((input.password === undefined) === (input.code === undefined)) throw invalid('credentials_required', 'give exactly one of password or code');
      await guardThrottle(phone, ctx);
      const account = await repo.accountByPhone(phone);
      let ok = false;
      if (input.password !== undefined) {
        ok = account?.password_hash ? await verifyPassword(account.password_hash, input.password) : await dummyVerify(input.password);
      } else if (account) {
        ok = await consumeSmsCode(phone, 'login', input.code!);
      }
      if (!ok || !account) return recordFailure(phone, ctx);
      if (account.status !== 'active') throw new AppError('forbidden', 'account_disabled', 'this account is disabled');
      await throttle.reset(`account:${phone}`);
      return issueSession(account.id, ctx);
    },

    /** Rotates both tokens; the old refresh token stops working (reuse is refused). */
    async refresh(refreshToken: string, ctx: RequestContext): Promise<SessionTokens> {
      const now = clock.now();
      const row = await repo.q().selectFrom('identity_sessions').selectAll().where('refresh_hash', '=', sha256(refreshToken)).executeTakeFirst();
      if (!row || row.revoked_at !== null || row.refresh_expires_at <= now) throw unauthenticated('invalid_refresh_token', 'refresh token is invalid or expired; sign in again');
      const revoked = await repo.q().updateTable('identity_sessions').set({ revoked_at: now }).where('id', '=', row.id).where('revoked_at', 'is', null).executeTakeFirst();
      if (Number(revoked.numUpdatedRows) !== 1) throw unauthenticated('invalid_refresh_token', 'refresh token already used');
      for (const [k, v] of cache) if (v.principal.session_id === row.id) cache.delete(k);
      return issueSession(row.account_id, ctx);
    },

    async signOut(sessionId: string): Promise<void> {
      for (const [k, v] of cache) if (v.principal.session_id === sessionId) cache.delete(k);
      await repo.q().updateTable('identity_sessions').set({ revoked_at: clock.now() }).where('id', '=', sessionId).where('revoked_at', 'is', null).execute();
    },

    /** Resolves a bearer token to a principal, or null when unknown, revoked or expired. */
    async authenticate(accessToken: string): Promise<Principal | null> {
      const hash = sha256(accessToken);
      const now = clock.now();
      const hit = cache.get(hash);
      if (hit && hit.cached_until > now) return hit.expires_at > now ? hit.principal : null;
      const s = await repo.principalByToken(hash);
      if (!s || s.expires_at <= now || s.status !== 'active') {
        cache.delete(hash);
        return null;
      }
      const principal: Principal = {
        account_id: s.account_id, session_id: s.session_id,
        roles: new Set(JSON.parse(s.roles) as AccountRole[]), staff: new Map(JSON.parse(s.staff) as [string, StaffRole][]),
      };
      if (cache.size >= PRINCIPAL_CACHE_MAX) cache.delete(cache.keys().next().value!);
      cache.set(hash, { principal, expires_at: s.expires_at, cached_until: now + config.principal_cache_ms });
      return principal;
    },

    /** Drops cached principals (after a change to roles or store memberships). */
    forgetPrincipals(accountId?: string): void {
      if (accountId === undefined) return cache.clear();
      for (const [k, v] of cache) if (v.principal.account_id === accountId) cache.delete(k);
    },

    async setPassword(accountId: string, password: string): Promise<void> {
      const problem = passwordProblem(password);
      if (problem) throw invalid('weak_password', problem);
      await repo.updatePassword(accountId, await hashPassword(password), clock.now());
    },
  };
}
export type AuthService = ReturnType<typeof createAuthService>;
