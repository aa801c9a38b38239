import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadHttpConfig } from './http-config.js';

const reader = (env: Record<string, string>) => (name: string) => env[name];

describe('loadHttpConfig', () => {
  it('defaults to localhost:8080, 15-minute access tokens, 14-day sessions and a generated secret', () => {
    expect(loadHttpConfig(reader({}))).toEqual({
      host: '127.0.0.1',
      port: 8080,
      jwtSecret: null,
      accessTokenTtlSeconds: 900,
      refreshTokenTtlSeconds: 1_209_600,
      trustProxy: false,
    });
  });

  it('keeps the JWT secret out of JSON, logs and inspection', () => {
    const secret = 'k'.repeat(20) + 'super-secret-value';
    const config = loadHttpConfig(reader({ TIPSTER_JWT_SECRET: secret }));
    expect(config.jwtSecret?.reveal()).toBe(secret);
    expect(JSON.stringify(config)).not.toContain('super-secret');
    expect(inspect(config)).not.toContain('super-secret');
    expect(`${config.jwtSecret}`).toBe('[redacted]');
  });

  it('rejects a short secret without echoing it, and bad numbers naming the variable', () => {
    expect(() => loadHttpConfig(reader({ TIPSTER_JWT_SECRET: 'hunter2hunter2' }))).toThrow(/TIPSTER_JWT_SECRET.*14 characters/);
    expect(() => loadHttpConfig(reader({ TIPSTER_JWT_SECRET: 'hunter2hunter2' }))).not.toThrow(/hunter2/);
    expect(() => loadHttpConfig(reader({ TIPSTER_HTTP_PORT: '80a' }))).toThrow(/TIPSTER_HTTP_PORT/);
    expect(() => loadHttpConfig(reader({ TIPSTER_ACCESS_TOKEN_TTL_SECONDS: '3600', TIPSTER_REFRESH_TOKEN_TTL_SECONDS: '600' }))).toThrow(
      /must be longer/,
    );
  });

  it('reads a trusted proxy as a flag, a hop count or addresses', () => {
    expect(loadHttpConfig(reader({ TIPSTER_HTTP_TRUST_PROXY: 'true' })).trustProxy).toBe(true);
    expect(loadHttpConfig(reader({ TIPSTER_HTTP_TRUST_PROXY: '1' })).trustProxy).toBe(1);
    expect(loadHttpConfig(reader({ TIPSTER_HTTP_TRUST_PROXY: '10.0.0.0/8' })).trustProxy).toBe('10.0.0.0/8');
  });
});
