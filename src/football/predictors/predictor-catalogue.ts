import { OVERROUND_METHODS, type OverroundMethod } from '../../betting/overround.js';
import { TipsterError } from '../../core/errors.js';
import type { PredictorSpec } from '../backtest/one-x-two-predictor.js';
import { findBookmaker } from '../bookmakers.js';
import { gradientBoostingPredictorSpec, logisticPredictorSpec } from './feature-model-predictor.js';
import { dixonColesPredictorSpec, poissonPredictorSpec } from './goal-model-predictor.js';
import { marketConsensusPredictorSpec, marketPredictorSpec } from './market-predictor.js';
import { eloPredictorSpec, piRatingPredictorSpec } from './rating-predictor.js';
import { logarithmicPool } from './logarithmic-pool.js';
import { stackedEnsembleSpec } from './stacked-ensemble-predictor.js';

/** Settings shared by the models of one backtest. */
export interface CatalogueOptions {
  /** Dixon-Coles time decay per day. */
  readonly xi: number;
}

interface CatalogueEntry {
  readonly name: string;
  readonly summary: string;
  readonly create: (options: CatalogueOptions) => PredictorSpec;
}

const ENSEMBLE_LABEL = 'stacked ensemble: logarithmic pool of market-consensus, dixon-coles and elo, regularised towards the market';

const ENTRIES: readonly CatalogueEntry[] = [
  { name: 'market-consensus', summary: marketConsensusPredictorSpec.label, create: () => marketConsensusPredictorSpec },
  { name: 'dixon-coles', summary: dixonColesPredictorSpec().label, create: ({ xi }) => dixonColesPredictorSpec({ xi }) },
  { name: 'poisson', summary: poissonPredictorSpec().label, create: ({ xi }) => poissonPredictorSpec({ xi }) },
  { name: 'logistic', summary: logisticPredictorSpec.label, create: () => logisticPredictorSpec },
  { name: 'gbt', summary: gradientBoostingPredictorSpec.label, create: () => gradientBoostingPredictorSpec },
  { name: 'elo', summary: eloPredictorSpec.label, create: () => eloPredictorSpec },
  { name: 'pi-ratings', summary: piRatingPredictorSpec.label, create: () => piRatingPredictorSpec },
  {
    name: 'ensemble',
    summary: ENSEMBLE_LABEL,
    create: ({ xi }) =>
      stackedEnsembleSpec(
        'ensemble',
        ENSEMBLE_LABEL,
        [marketConsensusPredictorSpec, dixonColesPredictorSpec({ xi }), eloPredictorSpec],
        logarithmicPool({ l2: 1 }),
      ),
  },
];

/** Model names accepted by `--models`, with a one-line summary each (market models are open-ended). */
export function describeModels(): { name: string; summary: string }[] {
  return [
    ...ENTRIES.map((e) => ({ name: e.name, summary: e.summary })),
    { name: 'dixon-coles-xi<x>, poisson-xi<x>', summary: 'the goal model with its own time decay per day, e.g. dixon-coles-xi0.003' },
    { name: 'market-<bookmaker>[-<method>]', summary: `bookmaker-implied probabilities, e.g. market-bet365, market-pinnacle-shin (methods: ${OVERROUND_METHODS.join(', ')})` },
  ];
}

/** Builds the spec for a model name, or throws a usage error listing what exists. */
export function predictorSpec(name: string, options: CatalogueOptions): PredictorSpec {
  const entry = ENTRIES.find((e) => e.name === name);
  if (entry) return entry.create(options);
  // A goal model with its own decay, e.g. `dixon-coles-xi0.003`: candidates of one run differ by xi.
  const decayed = /^(dixon-coles|poisson)-xi(\d+(?:\.\d+)?)$/.exec(name);
  if (decayed && Number(decayed[2]) >= 0) {
    const xi = Number(decayed[2]);
    const spec = decayed[1] === 'dixon-coles' ? dixonColesPredictorSpec({ xi }) : poissonPredictorSpec({ xi });
    return { ...spec, name };
  }
  const market = /^market-(.+?)(?:-(multiplicative|additive|power|shin|odds-ratio))?$/.exec(name);
  if (market && findBookmaker(market[1]!)) return marketPredictorSpec(market[1]!, (market[2] ?? 'multiplicative') as OverroundMethod);
  throw new TipsterError('TIPSTER_ERR_CLI_INVALID_ARGUMENT', {
    option: '--models',
    reason: `unknown model "${name}"; available: ${describeModels().map((m) => m.name).join(', ')}`,
  });
}
