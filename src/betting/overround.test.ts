import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  OVERROUND_METHODS,
  OverroundError,
  impliedProbabilitiesFromBook,
  isOverroundMethod,
  removeOverround,
  type OverroundMethod,
} from './overround.js';

interface ReferenceBook {
  label: string;
  odds: number[];
  overround: number;
  methods: Record<OverroundMethod, { probabilities: number[]; parameter: number; converged: boolean }>;
}

// scipy.optimize.brentq solutions from bench/reference/overround_reference.py (run once, output kept);
// the books are Bet365 prices of the first five 2022/23 Premier League matches plus constructed edge cases.
const reference = JSON.parse(
  fs.readFileSync(new URL('./fixtures/overround-reference.json', import.meta.url), 'utf8'),
) as { books: ReferenceBook[] };

const TOL = 1e-9;

function close(actual: number, expected: number, tolerance = TOL): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tolerance);
}

describe('removeOverround against scipy brentq references', () => {
  for (const book of reference.books) {
    for (const method of OVERROUND_METHODS) {
      it(`${method}: ${book.label}`, () => {
        const expected = book.methods[method];
        const actual = removeOverround(book.odds, method);
        expect(actual.method).toBe(method);
        expect(actual.converged).toBe(true);
        close(actual.overround, book.overround, 1e-15);
        close(actual.parameter, expected.parameter);
        expect(actual.probabilities).toHaveLength(book.odds.length);
        for (let i = 0; i < book.odds.length; i++) close(actual.probabilities[i]!, expected.probabilities[i]!);
        close(
          actual.probabilities.reduce((a, b) => a + b, 0),
          1,
          1e-12,
        );
      });
    }
  }
});

describe('removeOverround behaviour a bettor relies on', () => {
  // Crystal Palace v Arsenal, 5 Aug 2022, Bet365 1X2.
  const palaceArsenal = [4.2, 3.6, 1.85];

  it('keeps the order of outcomes and makes every price fairer than the bookmaker’s', () => {
    for (const method of OVERROUND_METHODS) {
      const { probabilities } = removeOverround(palaceArsenal, method);
      for (let i = 0; i < palaceArsenal.length; i++) {
        expect(probabilities[i]!).toBeLessThan(1 / palaceArsenal[i]!);
      }
      expect(probabilities[2]!).toBeGreaterThan(probabilities[1]!);
      expect(probabilities[1]!).toBeGreaterThan(probabilities[0]!);
    }
  });

  it('power, Shin and odds-ratio take more margin off the outsider than multiplicative does', () => {
    const multiplicative = removeOverround(palaceArsenal, 'multiplicative').probabilities;
    for (const method of ['power', 'shin', 'odds-ratio'] as const) {
      const p = removeOverround(palaceArsenal, method).probabilities;
      expect(p[0]!).toBeLessThan(multiplicative[0]!);
      expect(p[2]!).toBeGreaterThan(multiplicative[2]!);
    }
  });

  it('Shin equals additive on a two-way book (a known identity)', () => {
    const shin = removeOverround([2.1, 1.72], 'shin').probabilities;
    const additive = removeOverround([2.1, 1.72], 'additive').probabilities;
    close(shin[0]!, additive[0]!, 1e-12);
  });

  it('clips additive long shots at 0 instead of returning a negative probability, and says so', () => {
    const result = removeOverround([1.01, 15, 50], 'additive');
    expect(result.clippedOutcomes).toEqual([2]);
    expect(result.probabilities[2]).toBe(0);
    for (const p of result.probabilities) expect(p).toBeGreaterThanOrEqual(0);
    close(result.probabilities[0]! + result.probabilities[1]!, 1, 1e-15);
    expect(removeOverround(palaceArsenal, 'additive').clippedOutcomes).toEqual([]);
  });

  it('leaves a book with no margin unchanged, even when Σ 1/odds rounds just below 1', () => {
    const sixWay = [6, 6, 6, 6, 6, 6];
    expect(sixWay.reduce((sum, odds) => sum + 1 / odds, 0)).toBeLessThan(1);
    for (const method of OVERROUND_METHODS) {
      const result = removeOverround([2, 2], method);
      close(result.probabilities[0]!, 0.5, 1e-15);
      close(result.overround, 0, 1e-15);
      for (const p of removeOverround(sixWay, method).probabilities) close(p, 1 / 6, 1e-15);
    }
  });

  it('handles large books quickly', () => {
    const odds = [3, 4, 6, 8, 10, 12, 15, 20, 25, 34, 41, 51, 67, 81, 101, 151, 201, 251, 501, 1001];
    for (const method of OVERROUND_METHODS) {
      const result = removeOverround(odds, method);
      expect(result.converged).toBe(true);
      close(
        result.probabilities.reduce((a, b) => a + b, 0),
        1,
        1e-12,
      );
    }
  });
});

describe('removeOverround input validation', () => {
  function reasonOf(action: () => unknown): string | undefined {
    try {
      action();
    } catch (error) {
      expect(error).toBeInstanceOf(OverroundError);
      expect(error).toBeInstanceOf(RangeError);
      return (error as OverroundError).reason;
    }
    return undefined;
  }

  it('rejects a single outcome, odds of 1 or less, NaN and Infinity', () => {
    expect(reasonOf(() => removeOverround([1.5], 'power'))).toBe('too-few-outcomes');
    expect(reasonOf(() => removeOverround([1, 5], 'shin'))).toBe('invalid-odds');
    expect(reasonOf(() => removeOverround([0.5, 5], 'multiplicative'))).toBe('invalid-odds');
    expect(reasonOf(() => removeOverround([Number.NaN, 2], 'additive'))).toBe('invalid-odds');
    expect(reasonOf(() => removeOverround([Number.POSITIVE_INFINITY, 2], 'additive'))).toBe('invalid-odds');
  });

  it('refuses an arbitrage book (booksum < 1) with a message that says so', () => {
    expect(reasonOf(() => removeOverround([2.1, 2.1], 'odds-ratio'))).toBe('arbitrage');
    expect(() => removeOverround([2.1, 2.1], 'multiplicative')).toThrow(/arbitrage/);
  });

  it('rejects an unknown method at run time and validates method names', () => {
    expect(reasonOf(() => removeOverround([2, 2], 'basic' as OverroundMethod))).toBe('unknown-method');
    expect(isOverroundMethod('shin')).toBe(true);
    expect(isOverroundMethod('Shin')).toBe(false);
  });

  it('reports implied probabilities and the margin of a book', () => {
    const book = impliedProbabilitiesFromBook([2, 4, 4]);
    expect(book.implied).toEqual([0.5, 0.25, 0.25]);
    expect(book.bookSum).toBe(1);
    expect(book.overround).toBe(0);
  });
});
