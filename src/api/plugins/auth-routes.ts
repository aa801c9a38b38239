import type { FastifyRequest } from 'fastify';
import { DEFAULT_CURRENCY, type SignedIn } from '../../accounts/accounts.js';
import type { RiskLevel } from '../../accounts/risk-levels.js';
import { TipsterError } from '../../core/errors.js';
import { definePlugin } from '../define-plugin.js';
import { PASSWORD, RISK_LEVEL, USERNAME, sessionJson } from '../schemas/account-schemas.js';

/** Per-address request limits on the sign-in routes (on top of the per-username lockout). */
export interface AuthRateLimit {
  readonly max: number;
  readonly timeWindowMs: number;
}

interface SignUpBody {
  username: string;
  password: string;
  bankroll: { amount: string; currency?: string };
  riskLevel: RiskLevel;
}
interface LogInBody {
  username: string;
  password: string;
}
interface RefreshBody {
  refreshToken: string;
}
interface TokenBody {
  grant_type: 'password' | 'refresh_token';
  username?: string;
  password?: string;
  refresh_token?: string;
  scope?: string;
  client_id?: string;
  client_secret?: string;
}

const REFRESH_TOKEN = { type: 'string', minLength: 1, maxLength: 200 } as const;
const SESSION_RESPONSE = { $ref: 'Session#' } as const;
const FORM_BODY_LIMIT_BYTES = 8_192;

/**
 * /api/v1/auth: sign-up, sign-in (JSON, and the OAuth2 password form that Swagger UI and OAuth
 * clients use), refresh with rotation, sign-out. All public, all rate-limited per address.
 */
export const authRoutesPlugin = definePlugin<{ rateLimit: AuthRateLimit | false }>(
  { name: 'tipster-auth-routes', dependencies: ['tipster-access-control'] },
  async (app, options) => {
    const { accounts, now } = app.tipster;
    const limited = options.rateLimit === false ? {} : { rateLimit: { max: options.rateLimit.max, timeWindow: options.rateLimit.timeWindowMs } };
    const client = (request: FastifyRequest) => ({ ip: request.ip });
    const session = (signedIn: SignedIn) => sessionJson(signedIn, now());

    app.post<{ Body: SignUpBody }>(
      '/auth/signup',
      {
        config: { access: 'public', ...limited },
        schema: {
          tags: ['auth'],
          summary: 'Create a free account and sign in',
          description:
            `Passwords need at least 12 characters and must not be common, a keyboard or alphabet run, or contain the username. ` +
            `The bankroll currency defaults to ${DEFAULT_CURRENCY}.`,
          body: {
            type: 'object',
            additionalProperties: false,
            required: ['username', 'password', 'bankroll', 'riskLevel'],
            properties: { username: USERNAME, password: PASSWORD, bankroll: { $ref: 'BankrollInput#' }, riskLevel: RISK_LEVEL },
          },
          response: { 201: SESSION_RESPONSE },
        },
      },
      async (request, reply) => reply.code(201).send(session(await accounts.signUp(request.body))),
    );

    app.post<{ Body: LogInBody }>(
      '/auth/login',
      {
        config: { access: 'public', ...limited },
        schema: {
          tags: ['auth'],
          summary: 'Sign in with username and password',
          description: 'Unknown usernames and wrong passwords get the same answer. Repeated failures pause sign-in for the username and the address (429).',
          body: { type: 'object', additionalProperties: false, required: ['username', 'password'], properties: { username: { type: 'string', minLength: 1, maxLength: 64 }, password: PASSWORD } },
          response: { 200: SESSION_RESPONSE },
        },
      },
      async (request) => session(await accounts.logIn(request.body, client(request))),
    );

    // OAuth2's token endpoint takes an HTML form; it lives in its own scope so no other route accepts one.
    await app.register(async (tokenScope) => {
      tokenScope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT_BYTES }, (_request, body, done) => {
        done(null, Object.fromEntries(new URLSearchParams(body as string)));
      });
      tokenScope.post<{ Body: TokenBody }>(
        '/auth/token',
        {
          config: { access: 'public', ...limited },
          schema: {
            tags: ['auth'],
            summary: 'OAuth2 token endpoint (password and refresh_token grants)',
            description: 'Takes application/x-www-form-urlencoded (or JSON). Answers in OAuth2 form: access_token, token_type, expires_in, refresh_token.',
            consumes: ['application/x-www-form-urlencoded', 'application/json'],
            body: {
              type: 'object',
              additionalProperties: false,
              required: ['grant_type'],
              properties: {
                grant_type: { type: 'string', enum: ['password', 'refresh_token'] },
                username: { type: 'string', maxLength: 64 },
                password: PASSWORD,
                refresh_token: REFRESH_TOKEN,
                scope: { type: 'string', maxLength: 200 },
                client_id: { type: 'string', maxLength: 200 },
                client_secret: { type: 'string', maxLength: 200 },
              },
            },
            response: {
              200: {
                type: 'object',
                required: ['access_token', 'token_type', 'expires_in', 'refresh_token'],
                properties: {
                  access_token: { type: 'string' },
                  token_type: { type: 'string', enum: ['bearer'] },
                  expires_in: { type: 'integer' },
                  refresh_token: { type: 'string' },
                },
              },
            },
          },
        },
        async (request) => {
          const body = request.body;
          let signedIn: SignedIn;
          if (body.grant_type === 'password') {
            if (!body.username || !body.password) {
              throw new TipsterError('TIPSTER_ERR_API_VALIDATION_FAILED', { location: 'body', detail: 'grant_type=password needs username and password' });
            }
            signedIn = await accounts.logIn({ username: body.username, password: body.password }, client(request));
          } else {
            if (!body.refresh_token) {
              throw new TipsterError('TIPSTER_ERR_API_VALIDATION_FAILED', { location: 'body', detail: 'grant_type=refresh_token needs refresh_token' });
            }
            signedIn = await accounts.refresh(body.refresh_token);
          }
          const json = session(signedIn);
          return { access_token: json.accessToken, token_type: 'bearer', expires_in: json.expiresIn, refresh_token: json.refreshToken };
        },
      );
    });

    app.post<{ Body: RefreshBody }>(
      '/auth/refresh',
      {
        config: { access: 'public', ...limited },
        schema: {
          tags: ['auth'],
          summary: 'Exchange a refresh token for a new access token and refresh token',
          description: 'Each refresh token works once. Presenting a used one again ends the whole session (it must have leaked).',
          body: { type: 'object', additionalProperties: false, required: ['refreshToken'], properties: { refreshToken: REFRESH_TOKEN } },
          response: { 200: SESSION_RESPONSE },
        },
      },
      async (request) => session(await accounts.refresh(request.body.refreshToken)),
    );

    app.post<{ Body: RefreshBody }>(
      '/auth/logout',
      {
        config: { access: 'public', ...limited },
        schema: {
          tags: ['auth'],
          summary: 'Sign out: end the session of a refresh token',
          description: 'Its refresh token stops working and its access tokens are refused from now on. Unknown tokens are ignored.',
          body: { type: 'object', additionalProperties: false, required: ['refreshToken'], properties: { refreshToken: REFRESH_TOKEN } },
          response: { 204: { type: 'null', description: 'Signed out' } },
        },
      },
      async (request, reply) => {
        await accounts.logOut(request.body.refreshToken);
        return reply.code(204).send();
      },
    );
  },
);
