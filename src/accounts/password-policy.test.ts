import { describe, expect, it } from 'vitest';
import { isTipsterError } from '../core/errors.js';
import { assertStrongPassword, passwordWeakness } from './password-policy.js';

describe('password policy', () => {
  it('accepts long passphrases and random passwords', () => {
    for (const password of ['correct horse battery staple', 'Vx9#qLm2!pR7tW', 'mango-lantern-cobalt-91', 'tea on the 3rd terrace']) {
      expect(passwordWeakness(password, { username: 'alice' }), password).toBeNull();
    }
  });

  it('rejects short passwords and says how long they must be', () => {
    expect(passwordWeakness('Xy7#kQ2!')).toBe('it has 8 characters; at least 12 are needed');
  });

  it('rejects common passwords even with digits, symbols, l33t spelling or repetition added', () => {
    for (const password of ['password1234', 'P@ssw0rd2024!', 'Liverpool1892!', 'iloveyou12345', 'passwordpassword', '!!Football2023', 'l3tm31nl3tm31n', 'tipster-2024-!']) {
      expect(passwordWeakness(password), password).toMatch(/commonly used password/);
    }
  });

  it('rejects keyboard walks, alphabet runs and repeats', () => {
    expect(passwordWeakness('qwertyuiopas')).toMatch(/sequence/);
    expect(passwordWeakness('abcdefghijklm')).toMatch(/sequence/);
    expect(passwordWeakness('1qaz2wsx3edc4rfv')).toMatch(/sequence|commonly/);
    expect(passwordWeakness('98765432101234')).toMatch(/sequence/);
    expect(passwordWeakness('aaaaaaaaaaaaaa')).toMatch(/fewer than 5 different/);
  });

  it('rejects passwords containing the username', () => {
    expect(passwordWeakness('Marguerite-is-great', { username: 'marguerite' })).toBe('it contains the username');
  });

  it('throws the catalogued error with the reason in the message', () => {
    try {
      assertStrongPassword('short');
      expect.unreachable();
    } catch (error) {
      expect(isTipsterError(error, 'TIPSTER_ERR_AUTH_PASSWORD_WEAK')).toBe(true);
      expect((error as Error).message).toBe('The password is too weak: it has 5 characters; at least 12 are needed');
    }
  });
});
