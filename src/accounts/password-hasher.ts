import { randomBytes } from 'node:crypto';
import argon2 from 'argon2';

/** argon2id cost parameters. */
export interface PasswordHashCost {
  /** Memory per hash in KiB. */
  readonly memoryKiB: number;
  /** Passes over memory. */
  readonly timeCost: number;
  readonly parallelism: number;
}

/** OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane): about 20 ms per hash on a current server core. */
export const DEFAULT_PASSWORD_HASH_COST: PasswordHashCost = Object.freeze({ memoryKiB: 19_456, timeCost: 2, parallelism: 1 });

/** Hashes and verifies passwords with argon2id; one instance per cost setting. */
export interface PasswordHasher {
  hashPassword(password: string): Promise<string>;
  /** True when `password` matches `hash`; false (never throws) for a malformed hash. */
  verifyPassword(hash: string, password: string): Promise<boolean>;
  /**
   * Spends the same time as verifying a real hash and returns false: sign-in runs it for unknown
   * usernames so response times do not reveal which usernames exist.
   */
  verifyAgainstDummy(password: string): Promise<false>;
  /** True when `hash` was made with other parameters and should be replaced at the next sign-in. */
  needsRehash(hash: string): boolean;
}

/** Creates an argon2id hasher; tests pass a tiny cost to stay fast. */
export function createPasswordHasher(cost: PasswordHashCost = DEFAULT_PASSWORD_HASH_COST): PasswordHasher {
  const options = { type: argon2.argon2id, memoryCost: cost.memoryKiB, timeCost: cost.timeCost, parallelism: cost.parallelism };
  let dummyHash: Promise<string> | undefined;
  const verifyPassword = async (hash: string, password: string): Promise<boolean> => {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  };
  return {
    hashPassword: (password) => argon2.hash(password, options),
    verifyPassword,
    async verifyAgainstDummy(password) {
      dummyHash ??= argon2.hash(randomBytes(18).toString('base64url'), options);
      await verifyPassword(await dummyHash, password);
      return false;
    },
    needsRehash: (hash) => argon2.needsRehash(hash, { memoryCost: cost.memoryKiB, timeCost: cost.timeCost, parallelism: cost.parallelism }),
  };
}
