import { removeOverround, type OverroundMethod } from '../../betting/overround.js';
import type { OneXTwoPredictor, PredictorSpec } from '../backtest/one-x-two-predictor.js';
import type { Fixture, OneXTwoProbabilities } from '../football-match.js';

/**
 * The bookmaker's own opinion: probabilities implied by one bookmaker's pre-match 1X2 prices with
 * the margin removed. Nothing to learn; it abstains on fixtures that bookmaker did not price.
 */
export class MarketPredictor implements OneXTwoPredictor {
  readonly #bookmaker: string;
  readonly #method: OverroundMethod;

  constructor(bookmaker: string, method: OverroundMethod = 'multiplicative') {
    this.#bookmaker = bookmaker;
    this.#method = method;
  }

  fit(): void {}

  predict(fixture: Fixture): OneXTwoProbabilities | undefined {
    const book = fixture.preMatchOdds[this.#bookmaker];
    if (!book) return undefined;
    const [home, draw, away] = removeOverround([book.home, book.draw, book.away], this.#method).probabilities as [number, number, number];
    return { home, draw, away };
  }
}

/** `market-<bookmaker>[-<method>]`, e.g. `market-bet365`, `market-pinnacle-shin`. */
export function marketPredictorSpec(bookmaker: string, method: OverroundMethod = 'multiplicative'): PredictorSpec {
  const suffix = method === 'multiplicative' ? '' : `-${method}`;
  return {
    name: `market-${bookmaker}${suffix}`,
    label: `${bookmaker} pre-match odds, margin removed (${method})`,
    create: () => new MarketPredictor(bookmaker, method),
  };
}
