import { describe, expect, it } from 'vitest';
import { isTipsterError } from '../core/errors.js';
import { formatMoneyAmount, parseMoney } from './money.js';

describe('money', () => {
  it('parses decimal strings into exact minor units per currency', () => {
    expect(parseMoney('1000.5', 'EUR')).toEqual({ minorUnits: 100050, currency: 'EUR' });
    expect(parseMoney('0.07', 'GBP').minorUnits).toBe(7);
    expect(parseMoney('5000', 'JPY').minorUnits).toBe(5000);
    expect(parseMoney('1.234', 'BHD').minorUnits).toBe(1234);
    // 0.1 + 0.2 style binary rounding never touches the amount.
    expect(parseMoney('999999999999.99', 'EUR').minorUnits).toBe(99999999999999);
  });

  it('formats minor units back with the currency digits', () => {
    expect(formatMoneyAmount({ minorUnits: 100050, currency: 'EUR' })).toBe('1000.50');
    expect(formatMoneyAmount({ minorUnits: 7, currency: 'EUR' })).toBe('0.07');
    expect(formatMoneyAmount({ minorUnits: 5000, currency: 'JPY' })).toBe('5000');
  });

  it('rejects too many decimals, negative amounts and unknown currencies, saying why', () => {
    const reason = (amount: string, currency: string) => {
      try {
        parseMoney(amount, currency);
        return 'accepted';
      } catch (error) {
        expect(isTipsterError(error, 'TIPSTER_ERR_ACCOUNT_BANKROLL_INVALID')).toBe(true);
        return (error as Error).message;
      }
    };
    expect(reason('10.001', 'EUR')).toContain('at most 2 decimal(s)');
    expect(reason('10.5', 'JPY')).toContain('no decimals');
    expect(reason('-5', 'EUR')).toContain('non-negative');
    expect(reason('1e3', 'EUR')).toContain('non-negative decimal');
    expect(reason('10', 'XXY')).toContain('ISO 4217');
  });
});
