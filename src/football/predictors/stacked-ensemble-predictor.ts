import type { OneXTwoPredictor, PredictorSpec } from '../backtest/one-x-two-predictor.js';
import type { Fixture, OneXTwoProbabilities, PlayedMatch } from '../football-match.js';
import { outcomeOf } from '../football-match.js';

/** Fits on stacked features (row-major n × d) and outcomes, then maps a feature row to 1X2. */
export interface MetaLearner {
  predict(features: Float64Array): OneXTwoProbabilities;
}
export type MetaLearnerFactory = (features: Float64Array, rows: number, columns: number, outcomes: Int32Array) => MetaLearner;

export interface StackedEnsembleOptions {
  /** Fewest stored out-of-sample predictions before the meta-learner is used (default 300). */
  readonly minTrainingRows?: number;
  /** Forget stored predictions older than this many days (default 3 × 365, like the base models). */
  readonly memoryDays?: number;
}

const DAY_MS = 86_400_000;
/** Probabilities are floored before taking logs so one overconfident base model cannot dominate. */
const FLOOR = 1e-4;

/**
 * Stacking without leakage: every base model prices each fixture BEFORE its result exists; the
 * ensemble stores those out-of-sample forecasts, and once a stored fixture appears in the history
 * (its result now known) it becomes a training row for the meta-learner. Features per base model
 * are log(P(home)/P(draw)) and log(P(away)/P(draw)). Until enough rows exist it averages the bases.
 */
export class StackedEnsemblePredictor implements OneXTwoPredictor {
  readonly #bases: OneXTwoPredictor[];
  readonly #baseNames: readonly (string | undefined)[];
  /** Bases borrowed from peers in the same run: fitted by the engine, not by the ensemble. */
  readonly #borrowed = new Set<number>();
  readonly #train: MetaLearnerFactory;
  readonly #minRows: number;
  readonly #memoryMs: number;
  /** matchId → stacked features made before kick-off. */
  readonly #stored = new Map<number, { kickoffAtMs: number; features: Float64Array }>();
  #meta: MetaLearner | undefined;

  constructor(
    bases: readonly OneXTwoPredictor[],
    train: MetaLearnerFactory,
    options: StackedEnsembleOptions & { readonly baseNames?: readonly string[] } = {},
  ) {
    if (bases.length === 0) throw new RangeError('a stacked ensemble needs at least one base model');
    this.#bases = [...bases];
    this.#baseNames = bases.map((_, i) => options.baseNames?.[i]);
    this.#train = train;
    this.#minRows = options.minTrainingRows ?? 300;
    this.#memoryMs = (options.memoryDays ?? 3 * 365) * DAY_MS;
  }

  attachPeers(peers: ReadonlyMap<string, OneXTwoPredictor>): void {
    this.#baseNames.forEach((name, i) => {
      const peer = name === undefined ? undefined : peers.get(name);
      if (peer && peer !== this) {
        this.#bases[i] = peer;
        this.#borrowed.add(i);
      }
    });
  }

  fit(history: readonly PlayedMatch[], asOfMs: number): void {
    this.#bases.forEach((base, i) => {
      if (!this.#borrowed.has(i)) base.fit(history, asOfMs);
    });
    for (const [id, entry] of this.#stored) if (entry.kickoffAtMs < asOfMs - this.#memoryMs) this.#stored.delete(id);
    const rows: Float64Array[] = [];
    const outcomes: number[] = [];
    for (const match of history) {
      const entry = this.#stored.get(match.matchId);
      if (!entry) continue;
      rows.push(entry.features);
      outcomes.push(outcomeOf(match.homeGoals, match.awayGoals));
    }
    if (rows.length < this.#minRows) {
      this.#meta = undefined;
      return;
    }
    const columns = rows[0]!.length;
    const features = new Float64Array(rows.length * columns);
    rows.forEach((row, i) => features.set(row, i * columns));
    this.#meta = this.#train(features, rows.length, columns, Int32Array.from(outcomes));
  }

  predict(fixture: Fixture): OneXTwoProbabilities | undefined {
    const forecasts: OneXTwoProbabilities[] = [];
    for (const base of this.#bases) {
      const p = base.predict(fixture);
      if (!p) return undefined; // the ensemble prices a fixture only when every base can
      forecasts.push(p);
    }
    const features = new Float64Array(forecasts.length * 2);
    forecasts.forEach((p, i) => {
      const draw = Math.max(p.draw, FLOOR);
      features[i * 2] = Math.log(Math.max(p.home, FLOOR) / draw);
      features[i * 2 + 1] = Math.log(Math.max(p.away, FLOOR) / draw);
    });
    this.#stored.set(fixture.matchId, { kickoffAtMs: fixture.kickoffAtMs, features });
    if (this.#meta) return this.#meta.predict(features);
    const n = forecasts.length;
    return {
      home: forecasts.reduce((s, p) => s + p.home, 0) / n,
      draw: forecasts.reduce((s, p) => s + p.draw, 0) / n,
      away: forecasts.reduce((s, p) => s + p.away, 0) / n,
    };
  }
}

/** A named ensemble over named base specs with a given meta-learner. */
export function stackedEnsembleSpec(name: string, label: string, bases: readonly PredictorSpec[], train: MetaLearnerFactory): PredictorSpec {
  return {
    name,
    label,
    create: () => new StackedEnsemblePredictor(bases.map((b) => b.create()), train, { baseNames: bases.map((b) => b.name) }),
  };
}

