import { describe, expect, it } from 'vitest';
import { isTipsterError } from '../core/errors.js';
import { AccessTokens } from './access-tokens.js';

const claims = { userId: 7, username: 'ann', sessionId: 'f2b6a1de-8f57-4c1e-9a55-0d2a4f8b6c11', role: 'free' } as const;

describe('AccessTokens', () => {
  it('verifies its own tokens, also from the cache of verified tokens, until they expire', async () => {
    let nowMs = Date.UTC(2024, 0, 1);
    const tokens = new AccessTokens(new Uint8Array(32).fill(1), { ttlMs: 60_000, now: () => nowMs });
    const { accessToken, expiresAtMs } = await tokens.signAccessToken(claims);
    expect(expiresAtMs).toBe(nowMs + 60_000);
    expect(await tokens.verifyAccessToken(accessToken)).toMatchObject({ userId: 7, sessionId: claims.sessionId });
    nowMs += 59_000;
    expect(await tokens.verifyAccessToken(accessToken)).toMatchObject({ userId: 7 }); // cached
    nowMs += 1_000;
    const expired = await tokens.verifyAccessToken(accessToken).catch((e: unknown) => e);
    expect(isTipsterError(expired, 'TIPSTER_ERR_AUTH_TOKEN_EXPIRED')).toBe(true);
    // Still expired when jose, not the cache, decides.
    const again = await tokens.verifyAccessToken(accessToken).catch((e: unknown) => e);
    expect(isTipsterError(again, 'TIPSTER_ERR_AUTH_TOKEN_EXPIRED')).toBe(true);
  });

  it('refuses tokens signed with another key or altered after signing, even once the real one is cached', async () => {
    const mine = new AccessTokens(new Uint8Array(32).fill(1), { ttlMs: 60_000 });
    const theirs = new AccessTokens(new Uint8Array(32).fill(2), { ttlMs: 60_000 });
    const { accessToken } = await mine.signAccessToken(claims);
    await mine.verifyAccessToken(accessToken);
    const foreign = (await theirs.signAccessToken(claims)).accessToken;
    const altered = `${accessToken.slice(0, -2)}${accessToken.endsWith('AA') ? 'BB' : 'AA'}`;
    for (const token of [foreign, altered, 'garbage']) {
      const error = await mine.verifyAccessToken(token).catch((e: unknown) => e);
      expect(isTipsterError(error, 'TIPSTER_ERR_AUTH_TOKEN_INVALID'), token).toBe(true);
    }
  });

  it('wants a key of at least 256 bits', () => {
    expect(() => new AccessTokens(new Uint8Array(16), { ttlMs: 1 })).toThrow(/32 bytes/);
  });
});
