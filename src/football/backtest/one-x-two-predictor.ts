import type { Fixture, OneXTwoProbabilities, PlayedMatch } from '../football-match.js';

/** A model that turns what is known before kick-off into home/draw/away probabilities. */
export interface OneXTwoPredictor {
  /**
   * Learns from `history`: finished matches that all kicked off before `asOfMs`, oldest first.
   * Called again at every refit; a model may keep state to warm-start.
   */
  fit(history: readonly PlayedMatch[], asOfMs: number): void;
  /** Probabilities for a fixture, or undefined when this model cannot price it (e.g. no odds). */
  predict(fixture: Fixture): OneXTwoProbabilities | undefined;
  /**
   * Called once with every predictor of the same run, by model name. A model built on others (the
   * ensemble) may use a peer instead of fitting its own copy: the engine fits every model before
   * any predicts, so a peer is always fitted on the same history.
   */
  attachPeers?(peers: ReadonlyMap<string, OneXTwoPredictor>): void;
}

/** A named way to build a fresh predictor; the backtest makes one per run. */
export interface PredictorSpec {
  /** Stable id used on the command line and in reports, e.g. `dixon-coles`. */
  readonly name: string;
  /** One-line description for tables and reports. */
  readonly label: string;
  create(): OneXTwoPredictor;
}
