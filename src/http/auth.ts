import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, forbidden, unauthenticated } from '../lib/errors.ts';
import type { IdentityModule, StaffRole } from '../modules/identity/index.ts';
import type { Permission } from './types.ts';

const ROLE_PERMISSIONS: Record<StaffRole, ReadonlySet<Permission>> = {
  owner: new Set<Permission>(['store.read', 'store.manage', 'staff.manage', 'catalog.write', 'price.write', 'stock.write', 'orders.read', 'orders.write', 'service.reply', 'finance.read', 'content.write']),
  operator: new Set<Permission>(['store.read', 'catalog.write', 'price.write', 'stock.write', 'orders.read', 'orders.write', 'service.reply', 'finance.read', 'content.write']),
  customer_service: new Set<Permission>(['store.read', 'orders.read', 'service.reply']),
};

export function roleAllows(role: StaffRole, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].has(permission);
}

/**
 * onRequest: resolves the bearer token, then enforces the route's `auth` requirement and,
 * for routes with a `:storeId` param, store membership and the route's permission.
 * Staff of another store get 404 (the store's existence is not revealed); a member whose
 * role lacks the permission gets 403.
 */
export function authHook(identity: IdentityModule) {
  return async function onRequest(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    request.principal = null;
    request.idempotency = null;
    const header = request.headers.authorization;
    if (header) {
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      if (m) request.principal = await identity.authenticate(m[1]);
    }
    const config = request.routeOptions.config;
    // Unknown routes answer 404 to anyone; the API docs UI is public like the document.
    if (request.is404 || request.routeOptions.url?.startsWith('/api/docs')) return;
    const need = config?.auth ?? 'user';
    if (need === 'public') return;
    const p = request.principal;
    if (!p) throw unauthenticated(header ? 'invalid_token' : 'unauthenticated', header ? 'access token is invalid or expired; refresh or sign in again' : 'sign in required');
    if (need === 'operator' && !p.roles.has('operator')) throw forbidden('operator_only', 'only platform operators may do this');
    if (need === 'creator' && !p.roles.has('creator')) throw forbidden('creator_only', 'only creators may do this');
    const storeId = (request.params as Record<string, string> | undefined)?.storeId;
    if (storeId !== undefined) {
      const role = p.staff.get(storeId);
      if (!role && !p.roles.has('operator')) throw new AppError('not_found', 'store_not_found', 'store not found', { id: storeId });
      if (config.permission && role && !roleAllows(role, config.permission)) {
        throw forbidden('permission_denied', `your role (${role}) may not do this (${config.permission})`);
      }
      if (config.permission && !role && !['store.read', 'orders.read'].includes(config.permission)) {
        // Platform operators may read any store but act on stores only through console routes.
        throw new AppError('not_found', 'store_not_found', 'store not found', { id: storeId });
      }
    }
  };
}
