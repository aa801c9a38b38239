import { createSecretKey, type KeyObject } from 'node:crypto';
import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import { TipsterError } from '../core/errors.js';
import type { Role } from './roles.js';

const ISSUER = 'tipster';
const AUDIENCE = 'tipster-api';
const VERIFIED_CACHE_LIMIT = 20_000;

/** What an access token asserts: the user, the session it belongs to, and the role when issued. */
export interface AccessTokenClaims {
  readonly userId: number;
  readonly username: string;
  readonly sessionId: string;
  /** The role when the token was issued: for display only, the server re-reads the current role. */
  readonly role: Role;
}

/** A signed access token and its expiry. */
export interface SignedAccessToken {
  readonly accessToken: string;
  readonly expiresAtMs: number;
}

/**
 * Short-lived HS256 JWTs (jose). The secret never leaves this object; `now` is injectable so
 * tests can move time past expiry.
 */
export class AccessTokens {
  readonly #key: KeyObject;
  readonly #ttlMs: number;
  readonly #now: () => number;
  // jose's WebCrypto verification costs ~100 µs; a client sends the same token for minutes, so
  // remember tokens already verified (exact string match: nothing unverified can ever hit).
  readonly #verified = new Map<string, { readonly userId: number; readonly sessionId: string; readonly expiresAtMs: number }>();

  constructor(secret: Uint8Array, options: { readonly ttlMs: number; readonly now?: () => number }) {
    if (secret.byteLength < 32) throw new RangeError('the access-token secret must be at least 32 bytes');
    this.#key = createSecretKey(secret);
    this.#ttlMs = options.ttlMs;
    this.#now = options.now ?? Date.now;
  }

  /** Lifetime of a new token in ms. */
  get ttlMs(): number {
    return this.#ttlMs;
  }

  /** Signs a token that expires `ttlMs` from now. */
  async signAccessToken(claims: AccessTokenClaims): Promise<SignedAccessToken> {
    const nowMs = this.#now();
    const issuedAt = Math.floor(nowMs / 1000);
    const expiresAt = Math.floor((nowMs + this.#ttlMs) / 1000);
    const accessToken = await new SignJWT({ sid: claims.sessionId, name: claims.username, role: claims.role })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(String(claims.userId))
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .sign(this.#key);
    return { accessToken, expiresAtMs: expiresAt * 1000 };
  }

  /**
   * Checks signature, issuer, audience and expiry; returns the user id and session id.
   * TIPSTER_ERR_AUTH_TOKEN_EXPIRED when it has expired, TIPSTER_ERR_AUTH_TOKEN_INVALID otherwise.
   */
  async verifyAccessToken(token: string): Promise<{ userId: number; sessionId: string }> {
    const known = this.#verified.get(token);
    if (known !== undefined) {
      if (known.expiresAtMs > this.#now()) return known;
      this.#verified.delete(token);
      throw new TipsterError('TIPSTER_ERR_AUTH_TOKEN_EXPIRED');
    }
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, this.#key, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['HS256'],
        currentDate: new Date(this.#now()),
        requiredClaims: ['sub', 'exp', 'sid'],
      }));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw new TipsterError('TIPSTER_ERR_AUTH_TOKEN_EXPIRED', {}, { cause: error });
      const reason =
        error instanceof joseErrors.JWSSignatureVerificationFailed
          ? 'its signature does not match (was it issued by another server?)'
          : error instanceof joseErrors.JWTClaimValidationFailed
            ? `claim "${error.claim}" is not acceptable`
            : 'it is not a well-formed Tipster access token';
      throw new TipsterError('TIPSTER_ERR_AUTH_TOKEN_INVALID', { reason }, { cause: error });
    }
    const userId = Number(payload.sub);
    const sessionId = payload.sid;
    if (!Number.isSafeInteger(userId) || typeof sessionId !== 'string' || typeof payload.exp !== 'number') {
      throw new TipsterError('TIPSTER_ERR_AUTH_TOKEN_INVALID', { reason: 'it is not a well-formed Tipster access token' });
    }
    const verified = { userId, sessionId, expiresAtMs: payload.exp * 1000 };
    if (this.#verified.size >= VERIFIED_CACHE_LIMIT) this.#verified.clear();
    this.#verified.set(token, verified);
    return verified;
  }
}
