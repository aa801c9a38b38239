import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE, TipsterError, isTipsterError } from './errors.js';

describe('error catalogue', () => {
  it('documents every code in docs/errors.md', () => {
    const doc = fs.readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
    const undocumented = Object.keys(ERROR_CATALOGUE).filter((code) => !doc.includes(`\`${code}\``));
    expect(undocumented).toEqual([]);
  });

  it('names every code TIPSTER_ERR_<AREA>_<WHAT> and gives each a hint', () => {
    for (const [code, entry] of Object.entries(ERROR_CATALOGUE)) {
      expect(code).toMatch(/^TIPSTER_ERR_[A-Z]+_[A-Z_]+$/);
      expect(entry.hint.length).toBeGreaterThan(10);
    }
  });

  it('fills message and hint placeholders and keeps the HTTP status', () => {
    const error = new TipsterError('TIPSTER_ERR_CONFIG_INVALID', { variable: 'TIPSTER_LOG_LEVEL', reason: 'nope' });
    expect(error.message).toBe('Configuration variable TIPSTER_LOG_LEVEL is invalid: nope');
    expect(error.hint).toContain('TIPSTER_LOG_LEVEL');
    expect(error.statusCode).toBe(500);
    expect(isTipsterError(error, 'TIPSTER_ERR_CONFIG_INVALID')).toBe(true);
    expect(isTipsterError(new Error('x'))).toBe(false);
  });
});
