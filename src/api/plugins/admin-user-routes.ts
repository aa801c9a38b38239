import type { RiskLevel } from '../../accounts/risk-levels.js';
import type { Role } from '../../accounts/roles.js';
import type { Actor } from '../../accounts/user.js';
import type { FastifyRequest } from 'fastify';
import { definePlugin } from '../define-plugin.js';
import { requirePrincipal } from '../route-access.js';
import { RISK_LEVEL, ROLE, USER_ID_PARAMS, userJson } from '../schemas/account-schemas.js';

interface UserIdParams {
  userId: number;
}
interface ListUsersQuery {
  role?: Role;
  username?: string;
  limit: number;
  pageToken?: string;
}
interface UpdateUserBody {
  role?: Role;
  bankroll?: { amount: string; currency?: string };
  riskLevel?: RiskLevel;
  disabled?: boolean;
  reason?: string;
}
interface AuditQuery {
  userId?: number;
  limit: number;
  pageToken?: string;
}

const REASON = { type: 'string', minLength: 1, maxLength: 500, description: 'Why (kept in the audit trail)' } as const;
const PAGE_TOKEN = { type: 'string', pattern: '^[0-9]{1,15}$', description: 'nextPageToken of the previous page' } as const;
const LIMIT = { type: 'integer', minimum: 1, maximum: 500, default: 50 } as const;

/** The admin making a request, as the audit trail records them. */
function actorOf(request: FastifyRequest): Actor {
  const principal = requirePrincipal(request);
  return { userId: principal.userId, name: principal.username, requestId: request.id };
}

/** /api/v1/admin: list, inspect, change, disable and delete users; read the audit trail. Admins only. */
export const adminUserRoutesPlugin = definePlugin({ name: 'tipster-admin-user-routes', dependencies: ['tipster-access-control'] }, async (app) => {
  const { admin } = app.tipster.accounts;

  app.get<{ Querystring: ListUsersQuery }>(
    '/admin/users',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['admin'],
        summary: 'List users (by id), filtered by role and username fragment',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { role: ROLE, username: { type: 'string', maxLength: 32, description: 'Case-insensitive fragment' }, limit: LIMIT, pageToken: PAGE_TOKEN },
        },
        response: {
          200: {
            type: 'object',
            required: ['users', 'nextPageToken'],
            properties: { users: { type: 'array', items: { $ref: 'User#' } }, nextPageToken: { type: ['string', 'null'] } },
          },
        },
      },
    },
    async (request) => {
      const { role, username, limit, pageToken } = request.query;
      const page = await admin.listUsers({
        limit,
        ...(role !== undefined ? { role } : {}),
        ...(username !== undefined ? { usernameContains: username } : {}),
        ...(pageToken !== undefined ? { pageToken } : {}),
      });
      return { users: page.users.map(userJson), nextPageToken: page.nextPageToken };
    },
  );

  app.get<{ Params: UserIdParams }>(
    '/admin/users/:userId',
    { config: { access: 'admin' }, schema: { tags: ['admin'], summary: 'One user', params: USER_ID_PARAMS, response: { 200: { $ref: 'User#' } } } },
    async (request) => userJson(await admin.getUser(request.params.userId)),
  );

  app.patch<{ Params: UserIdParams; Body: UpdateUserBody }>(
    '/admin/users/:userId',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['admin'],
        summary: 'Change a user’s role, bankroll, risk level or disabled flag (audited)',
        description: 'Disabling ends the user’s sessions at once. The last active admin cannot be demoted or disabled.',
        params: USER_ID_PARAMS,
        body: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: { role: ROLE, bankroll: { $ref: 'BankrollInput#' }, riskLevel: RISK_LEVEL, disabled: { type: 'boolean' }, reason: REASON },
        },
        response: { 200: { $ref: 'User#' } },
      },
    },
    async (request) => {
      const { reason, ...patch } = request.body;
      return userJson(await admin.updateUser(actorOf(request), request.params.userId, patch, reason));
    },
  );

  app.delete<{ Params: UserIdParams; Querystring: { reason?: string } }>(
    '/admin/users/:userId',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['admin'],
        summary: 'Delete a user and their sessions (audited)',
        params: USER_ID_PARAMS,
        querystring: { type: 'object', additionalProperties: false, properties: { reason: REASON } },
        response: { 204: { type: 'null', description: 'Deleted' } },
      },
    },
    async (request, reply) => {
      await admin.deleteUser(actorOf(request), request.params.userId, request.query.reason);
      return reply.code(204).send();
    },
  );

  app.get<{ Querystring: AuditQuery }>(
    '/admin/audit-events',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['admin'],
        summary: 'The audit trail of administrative actions, newest first',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { userId: { type: 'integer', minimum: 1, description: 'Only events about this user' }, limit: LIMIT, pageToken: PAGE_TOKEN },
        },
        response: {
          200: {
            type: 'object',
            required: ['events', 'nextPageToken'],
            properties: {
              events: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['id', 'at', 'actor', 'action', 'details'],
                  properties: {
                    id: { type: 'integer' },
                    at: { type: 'string', format: 'date-time' },
                    actor: { type: 'string' },
                    actorUserId: { type: ['integer', 'null'] },
                    action: { type: 'string', examples: ['user.update', 'user.delete', 'user.create-admin'] },
                    targetUserId: { type: ['integer', 'null'] },
                    target: { type: ['string', 'null'] },
                    details: { type: 'object', additionalProperties: true },
                    requestId: { type: ['string', 'null'] },
                  },
                },
              },
              nextPageToken: { type: ['string', 'null'] },
            },
          },
        },
      },
    },
    async (request) => {
      const { userId, limit, pageToken } = request.query;
      const events = await admin.listAuditEvents({
        limit: limit + 1,
        ...(userId !== undefined ? { targetUserId: userId } : {}),
        ...(pageToken !== undefined ? { beforeId: Number(pageToken) } : {}),
      });
      const page = events.slice(0, limit);
      return {
        events: page.map((e) => ({ ...e, at: new Date(e.atMs).toISOString() })),
        nextPageToken: events.length > limit ? String(page[page.length - 1]!.id) : null,
      };
    },
  );
});
