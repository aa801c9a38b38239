import { removeOverround, type OverroundMethod } from '../../betting/overround.js';
import type { OneXTwoPredictor, PredictorSpec } from '../backtest/one-x-two-predictor.js';
import { findBookmaker } from '../bookmakers.js';
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

/**
 * The consensus of every bookmaker that priced the match (aggregates and exchanges left out): the
 * mean of their margin-free probabilities. Averaging washes out any one bookmaker's shading.
 */
export class MarketConsensusPredictor implements OneXTwoPredictor {
  readonly #method: OverroundMethod;

  constructor(method: OverroundMethod = 'shin') {
    this.#method = method;
  }

  fit(): void {}

  predict(fixture: Fixture): OneXTwoProbabilities | undefined {
    let home = 0;
    let draw = 0;
    let away = 0;
    let books = 0;
    for (const [slug, book] of Object.entries(fixture.preMatchOdds)) {
      if (findBookmaker(slug)?.kind !== 'bookmaker') continue;
      // A book whose prices sum below 1 (a stale or mistyped price) says nothing about the match.
      if (1 / book.home + 1 / book.draw + 1 / book.away < 1) continue;
      const p = removeOverround([book.home, book.draw, book.away], this.#method).probabilities;
      home += p[0]!;
      draw += p[1]!;
      away += p[2]!;
      books++;
    }
    return books === 0 ? undefined : { home: home / books, draw: draw / books, away: away / books };
  }
}

/** `market-consensus`: the mean margin-free probabilities of every bookmaker that priced the match. */
export const marketConsensusPredictorSpec: PredictorSpec = {
  name: 'market-consensus',
  label: 'mean of every bookmaker\'s pre-match probabilities, margins removed (Shin)',
  create: () => new MarketConsensusPredictor('shin'),
};
