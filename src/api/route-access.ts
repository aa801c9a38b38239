import type { FastifyRequest } from 'fastify';
import type { Principal } from '../accounts/user.js';
import { ROLES, type Role } from '../accounts/roles.js';
import { TipsterError } from '../core/errors.js';

/** Who may call a route: anyone (`public`) or a signed-in user with at least this role. */
export type RouteAccess = 'public' | Role;

export const ROUTE_ACCESS_LEVELS: readonly RouteAccess[] = Object.freeze(['public', ...ROLES]);

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Required on every route: checked before the body is even read. */
    access?: RouteAccess;
  }
  interface FastifyRequest {
    /** The signed-in caller; null on public routes. */
    principal: Principal | null;
  }
}

/** The caller of a route that declared a role (the access hook has already checked it). */
export function requirePrincipal(request: FastifyRequest): Principal {
  if (request.principal === null) throw new TipsterError('TIPSTER_ERR_AUTH_REQUIRED', { required: 'signed-in' });
  return request.principal;
}
