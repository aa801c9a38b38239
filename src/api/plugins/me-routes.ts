import type { RiskLevel } from '../../accounts/risk-levels.js';
import { definePlugin } from '../define-plugin.js';
import type { AuthRateLimit } from './auth-routes.js';
import { requirePrincipal } from '../route-access.js';
import { PASSWORD, RISK_LEVEL, userJson } from '../schemas/account-schemas.js';

interface ProfileBody {
  bankroll?: { amount: string; currency?: string };
  riskLevel?: RiskLevel;
}
interface PasswordBody {
  currentPassword: string;
  newPassword: string;
}

/** /api/v1/me: the caller's profile, bankroll, risk level and password. */
export const meRoutesPlugin = definePlugin<{ rateLimit: AuthRateLimit | false }>(
  { name: 'tipster-me-routes', dependencies: ['tipster-access-control'] },
  async (app, options) => {
  const { accounts } = app.tipster;
  // Guessing the current password through this route is throttled like sign-in.
  const limited = options.rateLimit === false ? {} : { rateLimit: { max: options.rateLimit.max, timeWindow: options.rateLimit.timeWindowMs } };

  app.get(
    '/me',
    { config: { access: 'free' }, schema: { tags: ['me'], summary: 'Your profile', response: { 200: { $ref: 'User#' } } } },
    async (request) => userJson(await accounts.getProfile(requirePrincipal(request))),
  );

  app.patch<{ Body: ProfileBody }>(
    '/me',
    {
      config: { access: 'free' },
      schema: {
        tags: ['me'],
        summary: 'Change your bankroll and/or risk level',
        body: { type: 'object', additionalProperties: false, minProperties: 1, properties: { bankroll: { $ref: 'BankrollInput#' }, riskLevel: RISK_LEVEL } },
        response: { 200: { $ref: 'User#' } },
      },
    },
    async (request) => userJson(await accounts.updateProfile(requirePrincipal(request), request.body)),
  );

  app.post<{ Body: PasswordBody }>(
    '/me/password',
    {
      config: { access: 'free', ...limited },
      schema: {
        tags: ['me'],
        summary: 'Change your password (the current one is required); your other sessions end',
        body: { type: 'object', additionalProperties: false, required: ['currentPassword', 'newPassword'], properties: { currentPassword: PASSWORD, newPassword: PASSWORD } },
        response: {
          200: {
            type: 'object',
            required: ['endedSessions'],
            properties: { endedSessions: { type: 'integer', description: 'Other sessions signed out (this one stays)' } },
          },
        },
      },
    },
    async (request) => accounts.changePassword(requirePrincipal(request), request.body),
  );
  },
);
