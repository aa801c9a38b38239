import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { definePlugin } from '../define-plugin.js';

export const DOCS_PREFIX = '/docs';

/**
 * OpenAPI 3.1 generated from the route schemas, and Swagger UI at /docs served from node_modules
 * (no CDN). The UI's Authorize button signs in through the OAuth2 password form at /api/v1/auth/token.
 */
export const openApiPlugin = definePlugin<{ version: string }>(
  { name: 'tipster-openapi', dependencies: ['tipster-access-control'], shared: true },
  async (app, options) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Tipster API',
          version: options.version,
          description:
            'Sports predictions, value bets and stakes. Sign up or log in under /api/v1/auth, then send `Authorization: Bearer <accessToken>`. ' +
            'Every error is application/problem+json with a stable `code` (docs/errors.md).',
        },
        tags: [
          { name: 'auth', description: 'Sign up, sign in, refresh, sign out' },
          { name: 'me', description: 'Your profile, bankroll and risk level' },
          { name: 'admin', description: 'User administration (admins)' },
          { name: 'operations', description: 'Health, readiness, metrics and status' },
        ],
        components: {
          securitySchemes: {
            bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
            oauth2: { type: 'oauth2', flows: { password: { tokenUrl: '/api/v1/auth/token', refreshUrl: '/api/v1/auth/token', scopes: {} } } },
          },
        },
      },
      // Shared schemas appear under their $id (Problem, User, …) rather than def-0, def-1.
      refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
    });
    await app.register(swaggerUi, {
      routePrefix: DOCS_PREFIX,
      staticCSP: true,
      uiConfig: { docExpansion: 'list', deepLinking: true },
    });
  },
);
