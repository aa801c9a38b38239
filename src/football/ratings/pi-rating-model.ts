import { PiRatings } from './pi-ratings.js';
import { RatingModel } from './rating-model.js';

/** Pi-ratings with an ordered-logit 1X2 layer on the expected goal difference. */
export class PiRatingModel extends RatingModel<PiRatings> {
  constructor(options: ConstructorParameters<typeof PiRatings>[0] = {}) {
    // Validate once, up front, rather than at the first fit.
    new PiRatings(options);
    super(() => new PiRatings(options));
  }
}
