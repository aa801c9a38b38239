import { TipsterError } from '../core/errors.js';

/** An exact amount of money: whole minor units (cents, pence; yen have none) of an ISO 4217 currency. */
export interface Money {
  readonly minorUnits: number;
  readonly currency: string;
}

const AMOUNT_PATTERN = /^(0|[1-9]\d{0,11})(?:\.(\d{1,4}))?$/;
const knownCurrencies: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));
const minorDigitsCache = new Map<string, number>();

/** Digits after the decimal point the currency uses (EUR 2, JPY 0, BHD 3). */
export function currencyMinorDigits(currency: string): number {
  let digits = minorDigitsCache.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    minorDigitsCache.set(currency, digits);
  }
  return digits;
}

/** True when `currency` is an ISO 4217 code this runtime knows. */
export function isCurrency(currency: string): boolean {
  return knownCurrencies.has(currency);
}

/**
 * Parses a non-negative decimal string ("1000.50") in `currency` into exact minor units.
 * Strings, not JSON numbers, so no binary rounding ever touches a bankroll.
 */
export function parseMoney(amount: string, currency: string): Money {
  if (!isCurrency(currency)) {
    throw new TipsterError('TIPSTER_ERR_ACCOUNT_BANKROLL_INVALID', { reason: `"${currency}" is not an ISO 4217 currency code` });
  }
  const match = AMOUNT_PATTERN.exec(amount);
  if (match === null) {
    throw new TipsterError('TIPSTER_ERR_ACCOUNT_BANKROLL_INVALID', {
      reason: `"${amount}" is not a non-negative decimal amount with at most 12 digits before the point`,
    });
  }
  const digits = currencyMinorDigits(currency);
  const fraction = match[2] ?? '';
  if (fraction.length > digits) {
    throw new TipsterError('TIPSTER_ERR_ACCOUNT_BANKROLL_INVALID', {
      reason: `${currency} amounts have ${digits === 0 ? 'no decimals' : `at most ${digits} decimal(s)`}, "${amount}" has ${fraction.length}`,
    });
  }
  const minorUnits = Number(match[1]) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  return Object.freeze({ minorUnits, currency });
}

/** The decimal string of an amount ("1000.50"), exact, with the currency's minor digits. */
export function formatMoneyAmount(money: Money): string {
  const digits = currencyMinorDigits(money.currency);
  if (digits === 0) return String(money.minorUnits);
  const text = String(money.minorUnits).padStart(digits + 1, '0');
  return `${text.slice(0, -digits)}.${text.slice(-digits)}`;
}
