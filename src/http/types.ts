import type { FastifyInstance, FastifyBaseLogger, RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Principal } from '../modules/identity/index.ts';

/** Who may call a route. Everything requires a signed-in user unless it says otherwise. */
export type AuthRequirement = 'public' | 'user' | 'operator' | 'creator';

/** What a store staff role may do; checked on /merchant/stores/:storeId/… routes. */
export type Permission = 'store.read' | 'store.manage' | 'staff.manage' | 'catalog.write' | 'price.write' | 'stock.write' | 'orders.read' | 'orders.write' | 'service.reply'
  | 'finance.read' // deposit balance and statement (owner and operator roles, not customer service)
  | 'content.write'; // the store's short videos and articles (owner and operator roles)

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: AuthRequirement;
    permission?: Permission;
  }
  interface FastifyRequest {
    principal: Principal | null;
    idempotency: { scope: string; key: string } | null;
  }
}

export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;
