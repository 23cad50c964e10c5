import type { Clock } from '../../lib/clock.ts';
import type { Logger } from '../../lib/logger.ts';
import type { Db } from '../../db/index.ts';
import { createAuthService, DEFAULT_AUTH_CONFIG, type AuthConfig } from './auth.service.ts';
import { createIdentityRepo } from './identity.repo.ts';
import { createPeopleService } from './people.service.ts';
import type { SmsSender } from './sms.ts';
import { createThrottle } from './throttle.ts';

export type { Principal, SessionTokens, RequestContext, SmsPurpose, AuthConfig } from './auth.service.ts';
export type { AccountRole, StaffRole } from './identity.repo.ts';
export type { Address, AddressInput, StaffMember } from './people.service.ts';
export { LogSmsSender, MemorySmsSender, type SmsSender } from './sms.ts';
export { hashPassword } from './passwords.ts';
export { normalizePhone, maskPhone } from './phone.ts';

/** Accounts, sessions, roles, store staff membership and address books. */
export function createIdentityModule(deps: { db: Db; clock: Clock; log: Logger; sms: SmsSender; config?: Partial<AuthConfig> }) {
  const repo = createIdentityRepo(deps.db);
  const throttle = createThrottle(deps.clock, () => deps.db.kysely);
  const auth = createAuthService({ db: deps.db, repo, clock: deps.clock, sms: deps.sms, throttle, log: deps.log, config: { ...DEFAULT_AUTH_CONFIG, ...deps.config } });
  const people = createPeopleService({ db: deps.db, repo, clock: deps.clock, onMembershipChange: (id) => auth.forgetPrincipals(id) });
  return { ...auth, ...people };
}

export type IdentityModule = ReturnType<typeof createIdentityModule>;
