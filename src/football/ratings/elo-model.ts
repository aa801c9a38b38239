import { EloRatings } from './elo-ratings.js';
import { RatingModel } from './rating-model.js';

/** Elo ratings with an ordered-logit 1X2 layer: `new EloModel(options).fit(matches, { asOfMs }).predict(home, away)`. */
export class EloModel extends RatingModel<EloRatings> {
  constructor(options: ConstructorParameters<typeof EloRatings>[0] = {}) {
    // Validate once, up front, rather than at the first fit.
    new EloRatings(options);
    super(() => new EloRatings(options));
  }
}
